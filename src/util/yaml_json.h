#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"

namespace airbyte::util {

/// Parses YAML (or JSON, which is YAML) text into JSON, resolving plain scalars as PyYAML does
/// (YAML 1.1): `400_000` and `0x1f` are integers, `1.5e3` a float, `true`/`yes`/`on` booleans,
/// `null`/`~`/empty null; quoted scalars stay strings. `origin` names the text in errors
/// ("config file 'x.yaml'"). Throws Error(kInput) with the line and column of a syntax error.
Json ParseYaml(std::string_view text, std::string_view origin);

}  // namespace airbyte::util
