#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"

namespace airbyte::sources {

/// Validates `config` against a connector's `connectionSpecification` (JSON Schema draft-07,
/// via valijson). As PyAirbyte: `format` is not enforced and Airbyte's own keywords
/// (`airbyte_secret`, `order`, ...) are ignored. Throws Error(kValidation) naming the failing
/// field path and the reason; never includes the offending value.
void ValidateConfigAgainstSpec(const Json& config, const Json& connection_specification,
                               const std::string& connector_name);

/// The values in `config` at fields that `connection_specification` marks secret
/// (`airbyte_secret: true`, `writeOnly: true` or `format: "password"`), through properties,
/// oneOf/anyOf/allOf branches and array items. A secret object or array contributes every
/// string and number inside it. Numbers are returned in their JSON spelling.
std::vector<std::string> SecretValuesInConfig(const Json& config,
                                              const Json& connection_specification);

}  // namespace airbyte::sources
