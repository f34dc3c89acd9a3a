#pragma once

/// The JSON value type of the public API: nlohmann's ordered_json, so objects keep their key
/// order (a stream schema's property order is its table's column order; specs and catalogs
/// print as the connector sent them). A plain nlohmann::json converts to it implicitly.

#include <nlohmann/json_fwd.hpp>

namespace airbyte {

using Json = nlohmann::ordered_json;

}  // namespace airbyte
