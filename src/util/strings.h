#pragma once

#include <algorithm>
#include <cstdint>
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

/// `text` with ASCII letters upper-cased (other bytes unchanged).
inline std::string AsciiUpper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : static_cast<char>(c);
  });
  return out;
}

/// Python's repr() of a str: single quotes unless the text holds a single quote and no double
/// quote; backslash, that quote, \n, \r, \t and other control characters (\xHH) escaped.
/// UTF-8 passes through as Python 3 prints it.
std::string PythonRepr(std::string_view text);

/// Appends code point `cp` (at most U+10FFFF) to `out` as UTF-8.
inline void AppendUtf8(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace airbyte::util
