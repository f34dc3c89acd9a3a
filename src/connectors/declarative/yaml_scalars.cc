#include "connectors/declarative/yaml_scalars.h"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <regex>
#include <string>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"

namespace airbyte::declarative::yaml_detail {
namespace {

// Python's int()/float() on the text PyYAML's constructors pass them.
Json IntegerValue(const std::string& digits, int base, bool negative) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  const auto b = static_cast<std::uint64_t>(base);
  std::uint64_t value = 0;
  bool overflow = false;
  double approx = 0;
  for (char c : digits) {
    const int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    approx = approx * base + d;
    const auto digit = static_cast<std::uint64_t>(d);
    if (value > (kMax - digit) / b) overflow = true;
    if (!overflow) value = value * b + digit;
  }
  constexpr auto kInt64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!overflow) {
    if (!negative && value <= kInt64Max) return static_cast<std::int64_t>(value);
    if (!negative) return value;
    if (value <= kInt64Max) return -static_cast<std::int64_t>(value);
    if (value == kInt64Max + 1) return std::numeric_limits<std::int64_t>::min();
  }
  return negative ? -approx : approx;  // beyond 64 bits: a double, as nlohmann parses them
}

std::pair<bool, std::string> SplitSign(const Node& node) {
  std::string text;
  for (char c : node.value) {
    if (c != '_') text.push_back(c);
  }
  bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.erase(0, 1);
  return {negative, text};
}

}  // namespace

[[noreturn]] void Fail(std::string_view origin, std::string_view problem, std::size_t line,
                       std::size_t column) {
  throw Error(ErrorKind::kInput,
              "Cannot parse " + std::string(origin) + " as YAML: " + std::string(problem) +
                  " (line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) +
                  ").",
              {.context = {{"file", std::string(origin)},
                           {"line", static_cast<std::int64_t>(line + 1)},
                           {"column", static_cast<std::int64_t>(column + 1)}}});
}

std::string Tag(std::string_view suffix) { return std::string(kTagPrefix) + std::string(suffix); }

// PyYAML's implicit resolvers (resolver.py), tried in registration order for plain scalars.
std::string ResolvePlainScalar(const std::string& value) {
  static const std::regex kFloat(R"(^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?)"
                                 R"(|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)"
                                 R"(|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*)"
                                 R"(|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$)");
  static const std::regex kInt(R"(^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*))"
                               R"(|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$)");
  static const std::regex kTimestamp(
      R"(^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9])"
      R"(|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?)"
      R"((?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?)"
      R"((?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$)");
  static const std::unordered_set<std::string> kBools = {
      "yes",   "Yes",   "YES",   "no", "No", "NO", "true", "True", "TRUE",
      "false", "False", "FALSE", "on", "On", "ON", "off",  "Off",  "OFF"};
  if (value.empty()) return Tag("null");
  const char first = value[0];
  // The first-character filters of PyYAML's resolvers, then their patterns.
  if (std::string_view("yYnNtTfFoO").find(first) != std::string_view::npos &&
      kBools.count(value) > 0) {
    return Tag("bool");
  }
  if (std::string_view("-+0123456789.").find(first) != std::string_view::npos &&
      std::regex_match(value, kFloat)) {
    return Tag("float");
  }
  if (std::string_view("-+0123456789").find(first) != std::string_view::npos &&
      std::regex_match(value, kInt)) {
    return Tag("int");
  }
  if (value == "<<") return Tag("merge");
  if (value == "~" || value == "null" || value == "Null" || value == "NULL") return Tag("null");
  if (first >= '0' && first <= '9' && std::regex_match(value, kTimestamp)) {
    return Tag("timestamp");
  }
  if (value == "=") return Tag("value");
  return Tag("str");
}

Json ConstructInt(const Node& node, std::string_view origin) {
  auto [negative, text] = SplitSign(node);
  auto bad = [&]() -> Json {
    Fail(origin, "invalid literal for int(): '" + node.value + "'", node.line, node.column);
  };
  auto all_of = [&](std::size_t from, std::string_view allowed) {
    if (from >= text.size()) return false;
    return text.find_first_not_of(allowed, from) == std::string::npos;
  };
  if (text == "0") return 0;
  if (text.rfind("0b", 0) == 0)
    return all_of(2, "01") ? IntegerValue(text.substr(2), 2, negative) : bad();
  if (text.rfind("0x", 0) == 0) {
    return all_of(2, "0123456789abcdefABCDEF") ? IntegerValue(text.substr(2), 16, negative) : bad();
  }
  if (!text.empty() && text[0] == '0')
    return all_of(0, "01234567") ? IntegerValue(text, 8, negative) : bad();
  if (text.find(':') != std::string::npos) {
    std::int64_t value = 0;
    std::size_t start = 0;
    while (true) {
      std::size_t colon = text.find(':', start);
      std::string part = text.substr(start, colon - start);
      if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos) bad();
      value = value * 60 + std::stoll(part);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    return negative ? -value : value;
  }
  return all_of(0, "0123456789") ? IntegerValue(text, 10, negative) : bad();
}

Json ConstructFloat(const Node& node, std::string_view origin) {
  auto [negative, text] = SplitSign(node);
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const double sign = negative ? -1.0 : 1.0;
  if (text == ".inf") return sign * std::numeric_limits<double>::infinity();
  if (text == ".nan") return std::numeric_limits<double>::quiet_NaN();
  auto parse = [&](const std::string& part) {
    char* end = nullptr;
    double value = std::strtod(part.c_str(), &end);
    if (part.empty() || end != part.c_str() + part.size()) {
      Fail(origin, "could not convert string to float: '" + node.value + "'", node.line,
           node.column);
    }
    return value;
  };
  if (text.find(':') != std::string::npos) {
    double value = 0;
    std::size_t start = 0;
    while (true) {
      std::size_t colon = text.find(':', start);
      value = value * 60 + parse(text.substr(start, colon - start));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    return sign * value;
  }
  return sign * parse(text);
}

Json ConstructBool(const Node& node, std::string_view origin) {
  std::string lower;
  for (char c : node.value)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "yes" || lower == "true" || lower == "on") return true;
  if (lower == "no" || lower == "false" || lower == "off") return false;
  Fail(origin, "invalid boolean '" + node.value + "'", node.line, node.column);
}

// Python's date/datetime isoformat() of the object PyYAML builds for a timestamp.
Json ConstructTimestamp(const Node& node, std::string_view origin) {
  static const std::regex kParts(
      R"(^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?))"
      R"((?:(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\.([0-9]*))?)"
      R"((?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?)?$)");
  std::smatch m;
  if (!std::regex_match(node.value, m, kParts)) {
    Fail(origin, "invalid timestamp '" + node.value + "'", node.line, node.column);
  }
  const int year = std::stoi(m[1]);
  const int month = std::stoi(m[2]);
  const int day = std::stoi(m[3]);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const bool valid_date = year >= 1 && month >= 1 && month <= 12 && day >= 1 &&
                          day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (!valid_date) {
    Fail(origin, "invalid date '" + node.value + "'", node.line, node.column);
  }
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", year, month, day);
  std::string iso = buffer;
  if (!m[4].matched) return iso;
  const int hour = std::stoi(m[4]);
  const int minute = std::stoi(m[5]);
  const int second = std::stoi(m[6]);
  if (hour > 23 || minute > 59 || second > 59) {
    Fail(origin, "invalid time '" + node.value + "'", node.line, node.column);
  }
  std::snprintf(buffer, sizeof(buffer), "T%02d:%02d:%02d", hour, minute, second);
  iso += buffer;
  if (m[7].matched) {
    std::string fraction = m[7].str().substr(0, 6);
    fraction.resize(6, '0');
    if (fraction != "000000") iso += "." + fraction;
  }
  if (m[9].matched) {
    const int tz_hour = std::stoi(m[10]);
    const int tz_minute = m[11].matched ? std::stoi(m[11]) : 0;
    // datetime.timezone(delta) normalizes minutes past 59 into hours.
    const int total = tz_hour * 60 + tz_minute;
    if (total >= 24 * 60) {
      Fail(origin, "invalid time zone offset '" + node.value + "'", node.line, node.column);
    }
    std::snprintf(buffer, sizeof(buffer), "%c%02d:%02d", total == 0 ? '+' : m[9].str()[0],
                  total / 60, total % 60);
    iso += buffer;
  } else if (m[8].matched) {
    iso += "+00:00";  // Z: datetime.timezone.utc
  }
  return iso;
}

}  // namespace airbyte::declarative::yaml_detail
