#pragma once

/// The umbrella header of the airbyte library: run Airbyte connectors from C++.
///
/// Example:
///   #include <airbyte/airbyte.h>
///   #include <nlohmann/json.hpp>
///
///   int main() {
///     airbyte::Source source = airbyte::GetSource("./source-pokeapi",
///         nlohmann::json{{"pokemon_name", "ditto"}}, {.local_executable = "./source-pokeapi"});
///     for (const airbyte::StreamRecord& record : source.GetRecords("pokemon", {.limit = 3})) {
///       std::cout << record.ToJson().dump() << "\n";
///     }
///   }

#include "airbyte/cache.h"    // IWYU pragma: export
#include "airbyte/dataset.h"  // IWYU pragma: export
#include "airbyte/error.h"    // IWYU pragma: export
#include "airbyte/json.h"     // IWYU pragma: export
#include "airbyte/read_result.h"  // IWYU pragma: export
#include "airbyte/records.h"  // IWYU pragma: export
#include "airbyte/secrets.h"  // IWYU pragma: export
#include "airbyte/source.h"   // IWYU pragma: export
#include "airbyte/state.h"    // IWYU pragma: export
