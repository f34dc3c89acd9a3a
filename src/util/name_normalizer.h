#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace airbyte::util {

/// PyAirbyte's LowerCaseNormalizer (behavior doc 4.3): Unicode-aware lower-casing, then every
/// code point that is not ASCII [a-z0-9] becomes one '_', and a leading digit gets a '_'
/// prefix. Returns nullopt when the result is empty or only underscores (PyAirbyte raises).
/// Invalid UTF-8 bytes count as one code point each. `max_length` truncates (Postgres: 63).
std::optional<std::string> TryNormalizeName(std::string_view name,
                                            std::size_t max_length = std::string::npos);

/// As TryNormalizeName, but throws Error(kNameNormalization) naming the raw name.
std::string NormalizeName(std::string_view name, std::size_t max_length = std::string::npos);

}  // namespace airbyte::util
