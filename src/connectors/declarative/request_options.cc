#include "connectors/declarative/request_options.h"

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/interpolation/value.h"

namespace airbyte::declarative {
namespace {

Json& KindOf(RequestOptions& options, std::string_view inject_into) {
  if (inject_into == "request_parameter") return options.params;
  if (inject_into == "header") return options.headers;
  if (inject_into == "body_json") return options.body_json;
  if (inject_into == "body_data") {
    if (!options.body_data.is_object()) options.body_data = Json::object();
    return options.body_data;
  }
  throw Error(ErrorKind::kInput,
              "RequestOption has an unknown inject_into '" + std::string(inject_into) + "'.",
              {.guidance = "Use one of request_parameter, header, body_data, body_json."});
}

// A deep merge of JSON body mappings; equal leaves merge, different ones conflict.
void MergeJson(Json& into, const Json& from, std::string_view source, const std::string& path) {
  for (const auto& [key, value] : from.items()) {
    auto it = into.find(key);
    if (it == into.end()) {
      into[key] = value;
    } else if (it->is_object() && value.is_object()) {
      MergeJson(*it, value, source, path + key + ".");
    } else if (*it != value) {
      throw Error(ErrorKind::kInput,
                  "Duplicate request option '" + path + key + "' with different values.",
                  {.context = {{"source", std::string(source)}}});
    }
  }
}

void MergeFlat(Json& into, const Json& from, std::string_view kind, std::string_view source) {
  for (const auto& [key, value] : from.items()) {
    if (into.contains(key)) {
      throw Error(ErrorKind::kInput,
                  "Duplicate " + std::string(kind) + " '" + key + "' in the request options.",
                  {.guidance = "A request option is set twice (for example in request_parameters "
                               "and by a paginator); remove one of them.",
                   .context = {{"source", std::string(source)}}});
    }
    into[key] = value;
  }
}

}  // namespace

void InjectRequestOption(const Json& option, const Json& value, Interpolator& interpolator,
                         const Json& context, RequestOptions& out) {
  if (option.is_null() || value.is_null()) return;
  std::string inject_into = option.value("inject_into", "request_parameter");
  Json& target = KindOf(out, inject_into);
  if (option.contains("field_path") && option["field_path"].is_array() &&
      !option["field_path"].empty()) {
    Json* node = &target;
    const Json& path = option["field_path"];
    for (std::size_t i = 0; i < path.size(); ++i) {
      std::string key = interpolator.Render(path[i].get<std::string>(), context);
      if (i + 1 == path.size()) {
        (*node)[key] = value;
      } else {
        Json& child = (*node)[key];
        if (!child.is_object()) child = Json::object();
        node = &child;
      }
    }
    return;
  }
  std::string name = interpolator.Render(option.value("field_name", ""), context);
  target[name] = value;
}

void MergeRequestOptions(RequestOptions& into, const RequestOptions& from,
                         std::string_view source) {
  MergeFlat(into.params, from.params, "query parameter", source);
  MergeFlat(into.headers, from.headers, "header", source);
  MergeJson(into.body_json, from.body_json, source, "");
  if (from.body_data.is_string()) {
    if ((into.body_data.is_object() && !into.body_data.empty()) ||
        (into.body_data.is_string() && !into.body_data.get<std::string>().empty())) {
      throw Error(ErrorKind::kInput, "A raw request body cannot be combined with other body data.",
                  {.context = {{"source", std::string(source)}}});
    }
    into.body_data = from.body_data;
  } else if (from.body_data.is_object() && !from.body_data.empty()) {
    if (into.body_data.is_string()) {
      throw Error(ErrorKind::kInput, "A raw request body cannot be combined with other body data.",
                  {.context = {{"source", std::string(source)}}});
    }
    MergeFlat(into.body_data, from.body_data, "body field", source);
  }
}

namespace {

Json EvalNested(const Json& node, Interpolator& interpolator, const Json& context) {
  if (node.is_string()) return interpolator.Eval(node.get<std::string>(), context);
  if (node.is_object()) {
    Json out = Json::object();
    for (const auto& [key, value] : node.items()) {
      out[interpolator.Render(key, context)] = EvalNested(value, interpolator, context);
    }
    return out;
  }
  if (node.is_array()) {
    Json out = Json::array();
    for (const Json& item : node) out.push_back(EvalNested(item, interpolator, context));
    return out;
  }
  return node;
}

}  // namespace

Json InterpolateRequestInput(const Json& field, Interpolator& interpolator, const Json& context,
                             bool json_body) {
  if (field.is_null()) return Json::object();
  if (field.is_string()) {
    // One template for the whole input: a mapping after literal parsing, or raw text.
    Json value = interpolator.Eval(field.get<std::string>(), context);
    if (value.is_null()) return Json::object();
    if (value.is_object()) {
      Json out = Json::object();
      for (const auto& [key, item] : value.items()) {
        if (!item.is_null()) out[key] = item;
      }
      return out;
    }
    return Json(PyStr(value));
  }
  if (!field.is_object()) return Json::object();
  Json out = Json::object();
  EvalOptions options;
  if (!json_body) options.valid_types = ValidTypes::kStr | ValidTypes::kList;
  for (const auto& [key, value] : field.items()) {
    std::string name = interpolator.Render(key, context);
    Json evaluated;
    if (json_body) {
      evaluated = EvalNested(value, interpolator, context);
    } else if (value.is_string()) {
      evaluated = interpolator.Eval(value.get<std::string>(), context, options);
    } else {
      evaluated = value;
    }
    if (evaluated.is_null()) continue;
    out[name] = std::move(evaluated);
  }
  return out;
}

}  // namespace airbyte::declarative
