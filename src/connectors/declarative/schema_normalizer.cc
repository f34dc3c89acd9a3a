#include "connectors/declarative/schema_normalizer.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

#include "connectors/declarative/interpolation/value.h"
#include "util/strings.h"

namespace airbyte::declarative {
namespace {

const Json& Resolve(const Json& subschema, const Json& root) {
  if (!subschema.is_object()) return subschema;
  auto ref = subschema.find("$ref");
  if (ref == subschema.end() || !ref->is_string()) return subschema;
  const std::string& text = ref->get_ref<const std::string&>();
  if (text.rfind('#', 0) != 0) return subschema;
  try {
    Json::json_pointer pointer(text.substr(1));
    if (root.contains(pointer)) return root.at(pointer);
  } catch (const nlohmann::json::exception&) {
  }
  return subschema;  // unresolvable: the CDK keeps the subschema as it is
}

std::string Trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t\n\r\f\v");
  if (b == std::string::npos) return "";
  std::size_t e = s.find_last_not_of(" \t\n\r\f\v");
  return s.substr(b, e - b + 1);
}

// Python numeric literals allow single underscores between digits.
std::optional<std::string> StripUnderscores(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      bool ok = i > 0 && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                std::isdigit(static_cast<unsigned char>(s[i + 1]));
      if (!ok) return std::nullopt;
      continue;
    }
    out += s[i];
  }
  return out;
}

std::optional<Json> PyInt(const Json& v) {
  if (v.is_boolean()) return Json(v.get<bool>() ? 1 : 0);
  if (v.is_number_integer()) return v;
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return std::nullopt;
    return Json(static_cast<std::int64_t>(std::trunc(d)));
  }
  if (!v.is_string()) return std::nullopt;
  std::optional<std::string> text = StripUnderscores(Trim(v.get<std::string>()));
  if (!text || text->empty()) return std::nullopt;
  std::size_t i = (*text)[0] == '+' || (*text)[0] == '-' ? 1 : 0;
  if (i == text->size()) return std::nullopt;
  for (std::size_t j = i; j < text->size(); ++j) {
    if (!std::isdigit(static_cast<unsigned char>((*text)[j]))) return std::nullopt;
  }
  errno = 0;
  long long n = std::strtoll(text->c_str(), nullptr, 10);
  if (errno == ERANGE) return std::nullopt;
  return Json(static_cast<std::int64_t>(n));
}

std::optional<Json> PyFloat(const Json& v) {
  if (v.is_boolean()) return Json(v.get<bool>() ? 1.0 : 0.0);
  if (v.is_number()) return Json(v.get<double>());
  if (!v.is_string()) return std::nullopt;
  std::optional<std::string> text = StripUnderscores(Trim(v.get<std::string>()));
  if (!text || text->empty()) return std::nullopt;
  for (char c : *text) {  // strtod also takes hex and "nan(...)", Python does not
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' ||
          c == '+' || c == '-')) {
      return std::nullopt;  // inf/nan: JSON cannot carry them, keep the text
    }
  }
  char* end = nullptr;
  double d = std::strtod(text->c_str(), &end);
  if (end != text->c_str() + text->size() || !std::isfinite(d)) return std::nullopt;
  return Json(d);
}

std::optional<Json> PyBool(const Json& v) {
  if (!v.is_string()) {
    if (v.is_null()) return Json(false);
    if (v.is_boolean()) return v;
    if (v.is_number_float()) return Json(v.get<double>() != 0.0);
    if (v.is_number()) return Json(v.get<std::int64_t>() != 0);
    return Json(!v.empty());
  }
  std::string s = util::AsciiLower(Trim(v.get<std::string>()));
  for (const char* t : {"y", "yes", "t", "true", "on", "1"}) {
    if (s == t) return Json(true);
  }
  for (const char* f : {"n", "no", "f", "false", "off", "0"}) {
    if (s == f) return Json(false);
  }
  return std::nullopt;
}

bool IsSimpleTypeName(const Json& t) {
  if (!t.is_string()) return false;
  const std::string& s = t.get_ref<const std::string&>();
  return s == "string" || s == "number" || s == "integer" || s == "boolean" || s == "null";
}

// TypeTransformer.default_convert.
Json DefaultConvert(Json value, const Json& subschema) {
  Json target = subschema.is_object() && subschema.contains("type") ? subschema["type"]
                                                                    : Json::array();
  if (value.is_null()) {
    // `"null" in target_type`: list membership, or substring of a type string.
    if (target.is_array()) {
      for (const Json& t : target) {
        if (t == "null") return value;
      }
    } else if (target.is_string() &&
               target.get_ref<const std::string&>().find("null") != std::string::npos) {
      return value;
    }
  }
  if (target.is_array()) {
    Json non_null = Json::array();
    for (const Json& t : target) {
      if (t != "null") non_null.push_back(t);
    }
    if (non_null.size() != 1) return value;
    target = non_null[0];
  }
  if (!target.is_string()) return value;
  const std::string& type = target.get_ref<const std::string&>();
  std::optional<Json> cast;
  if (type == "string") {
    cast = value.is_string() ? value : Json(Str(Value::Borrow(value)));
  } else if (type == "number") {
    cast = PyFloat(value);
  } else if (type == "integer") {
    cast = PyInt(value);
  } else if (type == "boolean") {
    cast = PyBool(value);
  } else if (type == "array") {
    // set(items.type) must be a subset of the simple type names; a string type is a set of
    // characters in Python, so only a missing type or a list qualifies.
    const Json& items = subschema.contains("items") ? subschema["items"] : Json::object();
    bool subset = true;
    if (items.is_object() && items.contains("type")) {
      const Json& t = items["type"];
      if (t.is_array()) {
        for (const Json& x : t) subset = subset && IsSimpleTypeName(x);
      } else {
        subset = t.is_string() && t.get_ref<const std::string&>().empty();
      }
    }
    if (subset && !value.is_object() && !value.is_array()) cast = Json::array({value});
  }
  return cast ? std::move(*cast) : value;
}

// The normalizing validator: only `type`, `properties`, `items` and `$ref` are looked at.
void Descend(Json& instance, const Json& schema, const Json& root, int depth) {
  if (!schema.is_object() || depth > 64) return;
  if (auto ref = schema.find("$ref"); ref != schema.end()) {
    // Draft 7: a `$ref` overrides its sibling keywords.
    const Json& target = Resolve(schema, root);
    if (&target != &schema) Descend(instance, target, root, depth + 1);
    return;
  }
  if (auto props = schema.find("properties"); props != schema.end() && props->is_object() &&
                                               instance.is_object()) {
    for (const auto& [key, sub] : props->items()) {
      auto it = instance.find(key);
      if (it == instance.end()) continue;
      const Json& resolved = Resolve(sub, root);
      *it = DefaultConvert(std::move(*it), resolved);
      Descend(*it, sub, root, depth + 1);
    }
  }
  if (auto items = schema.find("items"); items != schema.end() && items->is_object() &&
                                         instance.is_array()) {
    const Json& resolved = Resolve(*items, root);
    for (Json& element : instance) {
      element = DefaultConvert(std::move(element), resolved);
      Descend(element, *items, root, depth + 1);
    }
  }
}

}  // namespace

void NormalizeBySchema(Json& record, const Json& schema) { Descend(record, schema, schema, 0); }

}  // namespace airbyte::declarative
