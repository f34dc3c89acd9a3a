#pragma once

/// The native source-faker ("Sample Data (Faker)"): streams products, users and purchases,
/// generated in-process as typed records (docs: ../shared/docs/source-faker.md).
///
/// Example:
///   std::unique_ptr<NativeConnector> faker = MakeFakerSource();
///   faker->Read(Json{{"count", 100}, {"seed", 42}}, configured_catalog, /*state=*/{}, sink);
///
/// Differences from the Python connector: values come from the project's own word lists and
/// PRNG (same shapes and formats, not the same values); a fixed seed gives the same values per
/// id whatever `parallelism` is (generation runs on the calling thread; `parallelism` is
/// validated and otherwise ignored); "now" is UTC.

#include <cstdint>
#include <memory>
#include <optional>

#include "airbyte/json.h"
#include "connectors/native_connector.h"
#include "protocol/message.h"

namespace airbyte::connectors {

/// The connector's config with the *code* defaults applied for absent keys (not the spec's
/// UI defaults: records_per_slice defaults to 100, seed to none).
struct FakerConfig {
  std::int64_t count = 1000;
  /// Absent or null: a random seed per read. Any value, -1 included, is a fixed seed.
  std::optional<std::int64_t> seed = {};
  std::int64_t records_per_slice = 100;
  bool always_updated = true;
  /// Accepted and validated (>= 1); generation is single-threaded and deterministic anyway.
  std::int64_t parallelism = 4;
};

/// Reads a config object. Throws Error(kInput) naming the field that has the wrong type or
/// range (count >= 0 as a number, seed integer or null, records_per_slice and parallelism
/// integers >= 1, always_updated boolean).
FakerConfig ParseFakerConfig(const Json& config);

/// The published spec (6.x), built in code.
protocol::ConnectorSpecification FakerSpec();
/// The catalog: products, users, purchases, with their JSON schemas.
protocol::AirbyteCatalog FakerCatalog();

/// A new source-faker connector. Thread-safe: Read() keeps all its state on the stack.
std::unique_ptr<NativeConnector> MakeFakerSource();

}  // namespace airbyte::connectors
