#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace airbyte::util {

/// `text` with ASCII letters lower-cased (other bytes unchanged).
inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  });
  return out;
}

}  // namespace airbyte::util
