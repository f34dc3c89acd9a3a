#include "caches/value_convert.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <system_error>

namespace airbyte::caches {
namespace {

// -Wpedantic rejects __int128 unless marked as an extension; GCC and Clang both have it.
__extension__ typedef unsigned __int128 U128;
__extension__ typedef __int128 S128;

constexpr std::array<U128, 39> MakePow10() {
  std::array<U128, 39> table{};
  U128 value = 1;
  for (auto& entry : table) {
    entry = value;
    value *= 10;
  }
  return table;
}
constexpr std::array<U128, 39> kPow10 = MakePow10();
constexpr U128 kMaxScaled = kPow10[kDecimalPrecision] - 1;
constexpr U128 kScale = kPow10[kDecimalScale];

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Int128 ToInt128(S128 value) {
  const auto bits = static_cast<U128>(value);
  return Int128{.lower = static_cast<std::uint64_t>(bits),
                .upper = static_cast<std::int64_t>(static_cast<std::uint64_t>(bits >> 64))};
}

S128 FromInt128(Int128 value) {
  const U128 bits = (static_cast<U128>(static_cast<std::uint64_t>(value.upper)) << 64) | value.lower;
  return static_cast<S128>(bits);
}

// Reads exactly `count` digits at text[pos]; advances pos.
bool ReadDigits(std::string_view text, std::size_t& pos, int count, int& out) {
  if (pos + static_cast<std::size_t>(count) > text.size()) return false;
  int value = 0;
  for (int k = 0; k < count; ++k) {
    const char c = text[pos + static_cast<std::size_t>(k)];
    if (!IsDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(count);
  out = value;
  return true;
}

bool IsLeapYear(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// "YYYY-MM-DD" at text[pos] -> days since the epoch.
bool ReadDate(std::string_view text, std::size_t& pos, std::int64_t& days) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (!ReadDigits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
      !ReadDigits(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' ||
      !ReadDigits(text, pos, 2, day)) {
    return false;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return false;
  }
  days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return true;
}

// "HH:MM[:SS[.f{1,9}]]" at text[pos] -> microseconds since midnight.
bool ReadTime(std::string_view text, std::size_t& pos, std::int64_t& micros) {
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!ReadDigits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
      !ReadDigits(text, pos, 2, minute)) {
    return false;
  }
  std::int64_t fraction_us = 0;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!ReadDigits(text, pos, 2, second)) return false;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      int digits = 0;
      while (pos < text.size() && IsDigit(text[pos])) {
        if (++digits > 9) return false;
        if (digits <= 6) fraction_us = fraction_us * 10 + (text[pos] - '0');
        ++pos;
      }
      if (digits == 0) return false;
      for (int k = digits; k < 6; ++k) fraction_us *= 10;
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return false;
  micros = ((hour * std::int64_t{60} + minute) * 60 + second) * 1'000'000 + fraction_us;
  return true;
}

// An offset at text[pos] to the end: "Z", "z", " UTC", "±hh", "±hhmm", "±hh:mm".
bool ReadOffset(std::string_view text, std::size_t pos, std::int64_t& offset_seconds) {
  const std::string_view rest = text.substr(pos);
  if (rest == "Z" || rest == "z" || rest == " UTC") {
    offset_seconds = 0;
    return true;
  }
  if (rest.empty() || (rest[0] != '+' && rest[0] != '-')) return false;
  std::size_t i = 1;
  int hours = 0;
  int minutes = 0;
  if (!ReadDigits(rest, i, 2, hours)) return false;
  if (i < rest.size()) {
    if (rest[i] == ':') ++i;
    if (!ReadDigits(rest, i, 2, minutes)) return false;
  }
  if (i != rest.size() || hours > 23 || minutes > 59) return false;
  offset_seconds = (hours * 60 + minutes) * 60;
  if (rest[0] == '-') offset_seconds = -offset_seconds;
  return true;
}

// Timestamp text -> date days and time-of-day micros (offset applied separately).
bool ReadTimestamp(std::string_view text, std::int64_t& days, std::int64_t& micros,
                   std::int64_t& offset_seconds, bool& had_offset) {
  std::size_t pos = 0;
  had_offset = false;
  micros = 0;
  offset_seconds = 0;
  if (!ReadDate(text, pos, days)) return false;
  if (pos == text.size()) return true;
  const char separator = text[pos++];
  if (separator != 'T' && separator != 't' && separator != ' ') return false;
  if (!ReadTime(text, pos, micros)) return false;
  if (pos == text.size()) return true;
  had_offset = true;
  return ReadOffset(text, pos, offset_seconds);
}

constexpr char kHex[] = "0123456789abcdef";

void AppendUnicodeEscape(std::uint32_t unit, std::string& out) {
  const char escape[6] = {'\\', 'u', kHex[(unit >> 12) & 0xF], kHex[(unit >> 8) & 0xF],
                          kHex[(unit >> 4) & 0xF], kHex[unit & 0xF]};
  out.append(escape, sizeof escape);
}

// One UTF-16 code unit as Python's ensure_ascii writes it.
void AppendPythonUnit(std::uint32_t unit, std::string& out) {
  switch (unit) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: break;
  }
  if (unit >= 0x20 && unit <= 0x7E) {
    out += static_cast<char>(unit);
  } else {
    AppendUnicodeEscape(unit, out);
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the UTF-8 sequence at text[i] (i < size); returns its code point and advances i.
// Ill-formed bytes decode as U+FFFD, one byte each (the parser repaired input already).
std::uint32_t DecodeUtf8(std::string_view text, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1Fu, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0Fu, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + length > text.size()) {
    ++i;
    return 0xFFFD;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += length;
  return cp;
}

// The string token at json[i] (a '"'): re-encoded as Python's json.dumps would write it after
// json.loads. \uXXXX escapes map to one code unit each, so lone surrogates survive as Python's do.
bool AppendPythonString(std::string_view json, std::size_t& i, std::string& out) {
  out += '"';
  ++i;
  while (i < json.size()) {
    const char c = json[i];
    if (c == '"') {
      out += '"';
      ++i;
      return true;
    }
    if (c == '\\') {
      if (i + 1 >= json.size()) return false;
      const char e = json[i + 1];
      i += 2;
      switch (e) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '/': out += '/'; break;
        case 'b': out += "\\b"; break;
        case 'f': out += "\\f"; break;
        case 'n': out += "\\n"; break;
        case 'r': out += "\\r"; break;
        case 't': out += "\\t"; break;
        case 'u': {
          if (i + 4 > json.size()) return false;
          std::uint32_t unit = 0;
          for (std::size_t k = 0; k < 4; ++k) {
            const int h = HexValue(json[i + k]);
            if (h < 0) return false;
            unit = (unit << 4) | static_cast<std::uint32_t>(h);
          }
          i += 4;
          AppendPythonUnit(unit, out);
          break;
        }
        default: return false;
      }
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      AppendPythonUnit(byte, out);
      ++i;
      continue;
    }
    const std::uint32_t cp = DecodeUtf8(json, i);
    if (cp > 0xFFFF) {
      const std::uint32_t v = cp - 0x10000;
      AppendUnicodeEscape(0xD800 + (v >> 10), out);
      AppendUnicodeEscape(0xDC00 + (v & 0x3FF), out);
    } else {
      AppendUnicodeEscape(cp, out);
    }
  }
  return false;
}

// The string token at json[i], copied as is.
bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool EndsToken(char c) {
  return IsJsonSpace(c) || c == ',' || c == ':' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '"';
}

}  // namespace

std::optional<Int128> ParseDecimal(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  const std::size_t int_begin = i;
  while (i < text.size() && IsDigit(text[i])) ++i;
  const std::size_t int_length = i - int_begin;
  std::size_t frac_begin = i;
  std::size_t frac_length = 0;
  if (i < text.size() && text[i] == '.') {
    frac_begin = ++i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    frac_length = i - frac_begin;
  }
  if (int_length + frac_length == 0) return std::nullopt;
  std::int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exponent_negative = text[i++] == '-';
    const std::size_t exponent_begin = i;
    while (i < text.size() && IsDigit(text[i])) {
      // Clamped: beyond this the value is 0 or overflows either way.
      if (exponent < 1'000'000) exponent = exponent * 10 + (text[i] - '0');
      ++i;
    }
    if (i == exponent_begin) return std::nullopt;
    if (exponent_negative) exponent = -exponent;
  }
  if (i != text.size()) return std::nullopt;

  // The digits d_0 .. d_{n-1} (integer then fraction part) times 10^shift is the scaled value;
  // the first `keep` digits form its integer part, the rest are rounded away.
  const auto n = static_cast<std::int64_t>(int_length + frac_length);
  const std::int64_t shift = exponent - static_cast<std::int64_t>(frac_length) + kDecimalScale;
  const std::int64_t keep = n + shift;
  const auto digit_at = [&](std::int64_t k) -> unsigned {
    const auto index = static_cast<std::size_t>(k);
    const char c = index < int_length ? text[int_begin + index] : text[frac_begin + index - int_length];
    return static_cast<unsigned>(c - '0');
  };
  U128 magnitude = 0;
  const std::int64_t kept = std::min(keep, n);
  for (std::int64_t k = 0; k < kept; ++k) {
    const unsigned d = digit_at(k);
    if (magnitude > (kMaxScaled - d) / 10) return std::nullopt;
    magnitude = magnitude * 10 + d;
  }
  if (keep < n && keep >= 0) {
    const unsigned round_digit = digit_at(keep);
    bool sticky = false;
    for (std::int64_t k = keep + 1; k < n && !sticky; ++k) sticky = digit_at(k) != 0;
    if (round_digit > 5 || (round_digit == 5 && (sticky || (magnitude & 1) != 0))) {
      if (magnitude == kMaxScaled) return std::nullopt;
      ++magnitude;
    }
  } else if (keep > n && magnitude != 0) {
    if (shift > kDecimalPrecision || magnitude > kMaxScaled / kPow10[static_cast<std::size_t>(shift)]) {
      return std::nullopt;
    }
    magnitude *= kPow10[static_cast<std::size_t>(shift)];
  }
  const auto value = static_cast<S128>(magnitude);
  return ToInt128(negative ? -value : value);
}

std::optional<Int128> DecimalFromDouble(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ParseDecimal(std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer)));
}

Int128 DecimalFromInt64(std::int64_t value) {
  return ToInt128(static_cast<S128>(value) * static_cast<S128>(kScale));
}

std::optional<std::int64_t> ParseInt64(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  const std::size_t digits_begin = i;
  while (i < text.size() && IsDigit(text[i])) ++i;
  if (i == text.size() && i > digits_begin) {
    // Plain integer: the common case, without 128-bit arithmetic.
    const std::uint64_t limit =
        negative ? std::uint64_t{1} << 63 : static_cast<std::uint64_t>(INT64_MAX);
    std::uint64_t magnitude = 0;
    for (std::size_t k = digits_begin; k < i; ++k) {
      const auto d = static_cast<std::uint64_t>(text[k] - '0');
      if (magnitude > (limit - d) / 10) return std::nullopt;
      magnitude = magnitude * 10 + d;
    }
    return negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  }
  const std::optional<Int128> decimal = ParseDecimal(text);
  if (!decimal) return std::nullopt;
  const S128 scaled = FromInt128(*decimal);
  if (scaled % static_cast<S128>(kScale) != 0) return std::nullopt;
  const S128 value = scaled / static_cast<S128>(kScale);
  if (value < INT64_MIN || value > INT64_MAX) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

std::optional<double> ParseDouble(std::string_view text) {
  if (!text.empty() && text[0] == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text[0] == '-') return std::nullopt;
  }
  if (text.empty()) return std::nullopt;
  // from_chars also takes "inf" and "nan": only digits, '-' and '.' may start a number here.
  const char first = text[0] == '-' && text.size() > 1 ? text[1] : text[0];
  if (!IsDigit(first) && first != '.') return std::nullopt;
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> ParseBool(std::string_view text) {
  const auto equals_ignoring_case = [text](std::string_view lower) {
    if (text.size() != lower.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != lower[i]) return false;
    }
    return true;
  };
  if (equals_ignoring_case("true")) return true;
  if (equals_ignoring_case("false")) return false;
  return std::nullopt;
}

std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);                    // [0, 399]
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

std::optional<std::int32_t> ParseDate(std::string_view text) {
  std::size_t pos = 0;
  std::int64_t days = 0;
  if (!ReadDate(text, pos, days)) return std::nullopt;
  if (pos != text.size()) {
    std::int64_t micros = 0;
    std::int64_t offset_seconds = 0;
    bool had_offset = false;
    if (!ReadTimestamp(text, days, micros, offset_seconds, had_offset)) return std::nullopt;
  }
  return static_cast<std::int32_t>(days);
}

std::optional<std::int64_t> ParseTime(std::string_view text) {
  std::size_t pos = 0;
  std::int64_t micros = 0;
  if (!ReadTime(text, pos, micros)) return std::nullopt;
  if (pos != text.size()) {
    std::int64_t offset_seconds = 0;
    if (!ReadOffset(text, pos, offset_seconds)) return std::nullopt;
  }
  return micros;
}

std::optional<std::int64_t> ParseTimestamp(std::string_view text, bool& had_offset) {
  std::int64_t days = 0;
  std::int64_t micros = 0;
  std::int64_t offset_seconds = 0;
  if (!ReadTimestamp(text, days, micros, offset_seconds, had_offset)) return std::nullopt;
  return days * 86'400'000'000 + micros - offset_seconds * 1'000'000;
}

namespace {

// AppendJsonText's compact form: `json` without the whitespace between tokens, copied in runs
// (strings found with memchr) instead of byte by byte; this was ~3% of a read's CPU.
bool AppendCompactJson(std::string_view json, std::string& out) {
  const char* p = json.data();
  const char* const end = p + json.size();
  const char* run = p;  // start of the bytes not yet copied
  int depth = 0;
  bool any = false;
  while (p < end) {
    const char c = *p;
    if (c == '"') {
      // The closing quote is the first one preceded by an even number of backslashes.
      const char* quote = p + 1;
      while (true) {
        quote = static_cast<const char*>(
            std::memchr(quote, '"', static_cast<std::size_t>(end - quote)));
        if (quote == nullptr) return false;
        const char* backslashes = quote;
        while (backslashes > p + 1 && backslashes[-1] == '\\') --backslashes;
        if (((quote - backslashes) & 1) == 0) break;
        ++quote;
      }
      p = quote + 1;
      any = true;
      continue;
    }
    if (IsJsonSpace(c)) {
      out.append(run, static_cast<std::size_t>(p - run));
      run = ++p;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth < 0) {
      return false;
    }
    any = true;
    ++p;
  }
  out.append(run, static_cast<std::size_t>(p - run));
  return any && depth == 0;
}

}  // namespace

bool AppendJsonText(std::string_view json, JsonStyle style, std::string& out) {
  if (style == JsonStyle::kCompact) return AppendCompactJson(json, out);
  std::size_t i = 0;
  int depth = 0;
  bool any = false;
  while (i < json.size()) {
    const char c = json[i];
    switch (c) {
      case ' ': case '\t': case '\n': case '\r':
        ++i;
        continue;
      case '{': case '[':
        ++depth;
        out += c;
        ++i;
        break;
      case '}': case ']':
        if (--depth < 0) return false;
        out += c;
        ++i;
        break;
      case ',':
        out += ", ";
        ++i;
        break;
      case ':':
        out += ": ";
        ++i;
        break;
      case '"':
        if (!AppendPythonString(json, i, out)) {
          return false;
        }
        break;
      default: {
        const std::size_t begin = i;
        while (i < json.size() && !EndsToken(json[i])) ++i;
        out.append(json.data() + begin, i - begin);
        break;
      }
    }
    any = true;
  }
  return any && depth == 0;
}

void AppendJsonString(std::string_view text, std::string& out) {
  out += '"';
  std::size_t run = 0;  // start of the current run of bytes needing no escape
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (byte) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: AppendUnicodeEscape(byte, out); break;
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}


void AppendInt64(std::int64_t value, std::string& out) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, static_cast<std::size_t>(result.ptr - buffer));
}

void AppendUuidV7(std::int64_t unix_ms, std::uint64_t random_a, std::uint64_t random_b,
                  std::string& out) {
  const auto ms = static_cast<std::uint64_t>(unix_ms) & 0xFFFFFFFFFFFFull;
  const std::uint64_t high = (ms << 16) | 0x7000ull | (random_a & 0x0FFFull);
  const std::uint64_t low = 0x8000000000000000ull | (random_b & 0x3FFFFFFFFFFFFFFFull);
  char text[36];
  std::size_t pos = 0;
  const auto put = [&](std::uint64_t bits, int nibbles) {
    for (int k = nibbles - 1; k >= 0; --k) text[pos++] = kHex[(bits >> (4 * k)) & 0xF];
  };
  put(high >> 32, 8);
  text[pos++] = '-';
  put(high >> 16, 4);
  text[pos++] = '-';
  put(high, 4);
  text[pos++] = '-';
  put(low >> 48, 4);
  text[pos++] = '-';
  put(low, 12);
  out.append(text, sizeof text);
}

bool IsJsonNumber(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  if (i >= text.size()) return false;
  if (text[i] == '0') {
    ++i;
  } else if (IsDigit(text[i])) {
    while (i < text.size() && IsDigit(text[i])) ++i;
  } else {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    const std::size_t begin = ++i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i == begin) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    const std::size_t begin = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i == begin) return false;
  }
  return i == text.size();
}

}  // namespace airbyte::caches
