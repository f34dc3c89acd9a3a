#include "connectors/declarative/component_util.h"

#include "airbyte/error.h"
#include "connectors/declarative/interpolation/value.h"

namespace airbyte::declarative {

std::string ComponentType(const Json& component, std::string_view fallback) {
  const Json& type = Field(component, "type");
  return type.is_string() ? type.get<std::string>() : std::string(fallback);
}

Json ComponentContext(const Json& component, const Json& context) {
  Json out = context.is_object() ? context : Json::object();
  const Json& parameters = Field(component, "$parameters");
  if (parameters.is_object()) out["parameters"] = parameters;
  if (!out.contains("parameters")) out["parameters"] = Json::object();
  return out;
}

const Json& Field(const Json& component, std::string_view field) {
  static const Json kNull = nullptr;
  if (!component.is_object()) return kNull;
  auto it = component.find(std::string(field));
  return it == component.end() ? kNull : *it;
}

dpath::Path EvalPath(const Json& segments, Interpolator& interpolator, const Json& context) {
  dpath::Path path;
  if (segments.is_null()) return path;
  if (!segments.is_array()) {
    throw Error(ErrorKind::kInput, "A field path must be a list of strings.",
                {.context = {{"field_path", segments.dump()}}});
  }
  for (const Json& segment : segments) {
    if (!segment.is_string()) {
      path.push_back(Str(Value::Borrow(segment)));
      continue;
    }
    Json v = interpolator.EvalString(segment.get<std::string>(), context);
    path.push_back(v.is_string() ? v.get<std::string>() : Str(Value::Borrow(v)));
  }
  return path;
}

bool Truthy(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return false;
    case Json::value_t::boolean:
      return value.get<bool>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return value.get<std::int64_t>() != 0;
    case Json::value_t::number_float:
      return value.get<double>() != 0.0;
    case Json::value_t::string:
    case Json::value_t::object:
    case Json::value_t::array:
      return !value.empty();
    default:
      return true;
  }
}

}  // namespace airbyte::declarative
