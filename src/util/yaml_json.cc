#include "util/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

#include "airbyte/error.h"

namespace airbyte::util {
namespace {

bool ParseInteger(std::string text, Json& out) {
  text.erase(std::remove(text.begin(), text.end(), '_'), text.end());
  if (text.empty()) return false;
  std::size_t i = (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (i == text.size()) return false;
  int base = 10;
  if (text.size() > i + 2 && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
    base = 16;
  } else if (text.size() > i + 2 && text[i] == '0' && (text[i + 1] == 'o')) {
    base = 8;
    text.erase(i + 1, 1);
  }
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, base);
  if (end != text.c_str() + text.size() || errno == ERANGE) return false;
  if (base == 10) {
    for (std::size_t k = i; k < text.size(); ++k) {
      if (!std::isdigit(static_cast<unsigned char>(text[k]))) return false;
    }
  }
  out = value;
  return true;
}

bool ParseFloat(std::string text, Json& out) {
  text.erase(std::remove(text.begin(), text.end(), '_'), text.end());
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == ".inf" || lower == "+.inf" || lower == "-.inf" || lower == ".nan") {
    return false;  // JSON has no infinities or NaN; keep the text
  }
  if (text.empty() || text.find_first_of(".eE") == std::string::npos) return false;
  const bool has_digit = std::any_of(text.begin(), text.end(),
                                     [](unsigned char c) { return std::isdigit(c); });
  if (!has_digit) return false;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return false;
  out = value;
  return true;
}

Json PlainScalar(const std::string& text) {
  static const char* const kTrue[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
  static const char* const kFalse[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off",
                                       "OFF"};
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  for (const char* t : kTrue) {
    if (text == t) return true;
  }
  for (const char* f : kFalse) {
    if (text == f) return false;
  }
  Json number;
  if (ParseInteger(text, number) || ParseFloat(text, number)) return number;
  return text;
}

Json Convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      // yaml-cpp tags quoted scalars "!" and plain ones "?"; explicit tags keep their text.
      if (node.Tag() == "?") return PlainScalar(node.Scalar());
      if (node.Tag() == "tag:yaml.org,2002:int" || node.Tag() == "!!int") {
        Json n;
        if (ParseInteger(node.Scalar(), n)) return n;
      }
      return node.Scalar();
    case YAML::NodeType::Sequence: {
      Json array = Json::array();
      for (const YAML::Node& item : node) array.push_back(Convert(item));
      return array;
    }
    case YAML::NodeType::Map: {
      Json object = Json::object();
      for (const auto& kv : node) object[kv.first.as<std::string>()] = Convert(kv.second);
      return object;
    }
  }
  return nullptr;
}

}  // namespace

Json ParseYaml(std::string_view text, std::string_view origin) {
  try {
    return Convert(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::kInput,
                "Cannot parse " + std::string(origin) + " as YAML or JSON: " + e.msg +
                    " (line " + std::to_string(e.mark.line + 1) + ", column " +
                    std::to_string(e.mark.column + 1) + ").",
                {.guidance = "Fix the syntax at that position. Inline configs start with `{`, "
                             "e.g. --config '{count: 100}'."});
  }
}

}  // namespace airbyte::util
