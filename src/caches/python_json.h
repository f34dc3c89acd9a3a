#pragma once

#include <string>

#include "airbyte/json.h"

namespace airbyte::caches {

/// `value` as Python's json.dumps writes it by default (separators ", " and ": ",
/// ensure_ascii: non-ASCII as \uXXXX escapes), as PyAirbyte stores catalog_metadata.
std::string PythonJsonDumps(const Json& value);

}  // namespace airbyte::caches
