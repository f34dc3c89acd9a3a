#pragma once

// fmt support for SecretString: `fmt::format("{}", secret)` writes "****". Kept out of the
// public header, which may not include fmt.

#include <fmt/format.h>

#include "airbyte/secrets.h"

template <>
struct fmt::formatter<airbyte::SecretString> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const airbyte::SecretString& /*secret*/, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format("****", ctx);
  }
};
