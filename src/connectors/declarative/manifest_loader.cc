#include "connectors/declarative/manifest_loader.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"

namespace airbyte::declarative {
namespace {

constexpr std::string_view kRef = "$ref";
constexpr std::string_view kParameters = "$parameters";

// JSON pointer segment escaping (RFC 6901).
std::string PointerSegment(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return "/" + out;
}

std::string PointerText(const std::string& pointer) { return pointer.empty() ? "/" : pointer; }

// Python's truthiness of a JSON value.
bool Truthy(const Json& value) {
  if (value.is_null()) return false;
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_float()) return value.get<double>() != 0.0;
  if (value.is_number()) return value != 0;
  if (value.is_string()) return !value.get_ref<const std::string&>().empty();
  if (value.is_array() || value.is_object()) return !value.empty();
  return true;
}

// ManifestReferenceResolver: references are looked up in the unresolved manifest and resolved
// where they are used, so each use is an independent copy.
class ReferenceResolver {
 public:
  explicit ReferenceResolver(const Json& manifest) : manifest_(manifest) {}

  Json Evaluate(const Json& node, std::string& pointer) {
    if (node.is_object()) {
      Json evaluated = Json::object();
      for (const auto& [key, value] : node.items()) {
        if (key == kRef) continue;
        const std::size_t size = pointer.size();
        pointer += PointerSegment(key);
        evaluated[key] = Evaluate(value, pointer);
        pointer.resize(size);
      }
      auto ref = node.find(kRef);
      if (ref == node.end()) return evaluated;
      const std::size_t size = pointer.size();
      pointer += PointerSegment(kRef);
      Json target = Evaluate(*ref, pointer);
      pointer.resize(size);
      if (!target.is_object()) return target;
      // The component's own keys take precedence over the referenced ones.
      for (auto& [key, value] : evaluated.items()) target[key] = std::move(value);
      return target;
    }
    if (node.is_array()) {
      Json evaluated = Json::array();
      for (std::size_t i = 0; i < node.size(); ++i) {
        const std::size_t size = pointer.size();
        pointer += "/" + std::to_string(i);
        evaluated.push_back(Evaluate(node[i], pointer));
        pointer.resize(size);
      }
      return evaluated;
    }
    if (node.is_string()) {
      const std::string& text = node.get_ref<const std::string&>();
      if (text.rfind("#/", 0) == 0) return EvaluateReference(text, pointer);
    }
    return node;
  }

 private:
  Json EvaluateReference(const std::string& ref, std::string& pointer) {
    for (const std::string& active : chain_) {
      if (active != ref) continue;
      std::string cycle;
      for (const std::string& step : chain_) cycle += step + " -> ";
      throw Error(ErrorKind::kInput,
                  "Circular reference in the manifest: " + cycle + ref + " (used at " +
                      PointerText(pointer) + ").",
                  {.guidance = "A referenced definition must not refer back to itself.",
                   .context = {{"reference", ref}, {"location", PointerText(pointer)}}});
    }
    chain_.push_back(ref);
    Json value = Evaluate(Lookup(ref, pointer), pointer);
    chain_.pop_back();
    return value;
  }

  // _read_ref_value: the whole remaining path as one key first, else descend one segment.
  const Json& Lookup(const std::string& ref, const std::string& pointer) const {
    std::string path = ref.substr(2);
    const Json* node = &manifest_;
    while (!path.empty()) {
      if (node->is_object()) {
        auto it = node->find(path);
        if (it != node->end()) return *it;
      }
      const std::size_t slash = path.find('/');
      const std::string head = path.substr(0, slash);
      path = slash == std::string::npos ? std::string() : path.substr(slash + 1);
      node = Child(*node, head);
      if (node == nullptr) {
        throw Error(
            ErrorKind::kInput,
            "Undefined reference in the manifest: " + ref + " (used at " + PointerText(pointer) +
                ").",
            {.guidance = "Define the referenced key, or fix the path after '#/'.",
             .context = {
                 {"reference", ref}, {"missing_key", head}, {"location", PointerText(pointer)}}});
      }
    }
    return *node;
  }

  static const Json* Child(const Json& node, const std::string& head) {
    if (node.is_object()) {
      auto it = node.find(head);
      return it == node.end() ? nullptr : &*it;
    }
    if (!node.is_array() || head.empty()) return nullptr;
    // Python's int(): optional sign, digits.
    std::size_t start = head[0] == '-' || head[0] == '+' ? 1 : 0;
    if (start == head.size() || head.find_first_not_of("0123456789", start) != std::string::npos ||
        head.size() > 18) {
      return nullptr;
    }
    std::int64_t index = std::stoll(head);
    const auto size = static_cast<std::int64_t>(node.size());
    if (index < 0) index += size;
    if (index < 0 || index >= size) return nullptr;
    return &node[static_cast<std::size_t>(index)];
  }

  const Json& manifest_;
  std::vector<std::string> chain_;  // references being resolved, outermost first
};

// ManifestComponentTransformer's DEFAULT_MODEL_TYPES.
const std::unordered_map<std::string, std::string>& DefaultTypes() {
  static const std::unordered_map<std::string, std::string> kTypes = {
      {"CompositeErrorHandler.error_handlers", "DefaultErrorHandler"},
      {"CursorPagination.decoder", "JsonDecoder"},
      {"DatetimeBasedCursor.end_datetime", "MinMaxDatetime"},
      {"DatetimeBasedCursor.end_time_option", "RequestOption"},
      {"DatetimeBasedCursor.start_datetime", "MinMaxDatetime"},
      {"DatetimeBasedCursor.start_time_option", "RequestOption"},
      {"DeclarativeSource.check", "CheckStream"},
      {"DeclarativeSource.spec", "Spec"},
      {"DeclarativeSource.streams", "DeclarativeStream"},
      {"DeclarativeStream.retriever", "SimpleRetriever"},
      {"DeclarativeStream.schema_loader", "JsonFileSchemaLoader"},
      {"DynamicDeclarativeStream.stream_template", "DeclarativeStream"},
      {"DynamicDeclarativeStream.components_resolver", "ConfigComponentResolver"},
      {"HttpComponentsResolver.retriever", "SimpleRetriever"},
      {"HttpComponentsResolver.components_mapping", "ComponentMappingDefinition"},
      {"ConfigComponentsResolver.stream_config", "StreamConfig"},
      {"ConfigComponentsResolver.components_mapping", "ComponentMappingDefinition"},
      {"DefaultErrorHandler.response_filters", "HttpResponseFilter"},
      {"DefaultPaginator.decoder", "JsonDecoder"},
      {"DefaultPaginator.page_size_option", "RequestOption"},
      {"DpathExtractor.decoder", "JsonDecoder"},
      {"DpathExtractor.record_expander", "RecordExpander"},
      {"HttpRequester.error_handler", "DefaultErrorHandler"},
      {"ListPartitionRouter.request_option", "RequestOption"},
      {"ParentStreamConfig.request_option", "RequestOption"},
      {"ParentStreamConfig.stream", "DeclarativeStream"},
      {"RecordSelector.extractor", "DpathExtractor"},
      {"RecordSelector.record_filter", "RecordFilter"},
      {"SimpleRetriever.paginator", "NoPagination"},
      {"SimpleRetriever.record_selector", "RecordSelector"},
      {"SimpleRetriever.requester", "HttpRequester"},
      {"SubstreamPartitionRouter.parent_stream_configs", "ParentStreamConfig"},
      {"AddFields.fields", "AddedFieldDefinition"},
      {"CustomPartitionRouter.parent_stream_configs", "ParentStreamConfig"},
      {"DynamicSchemaLoader.retriever", "SimpleRetriever"},
      {"SchemaTypeIdentifier.types_map", "TypesMap"},
      {"StreamGroup.streams", "DeclarativeStream"},
  };
  return kTypes;
}

// CUSTOM_COMPONENTS_MAPPING: the type of an untyped mapping with class_name.
const std::unordered_map<std::string, std::string>& CustomTypes() {
  static const std::unordered_map<std::string, std::string> kTypes = {
      {"CompositeErrorHandler.backoff_strategies", "CustomBackoffStrategy"},
      {"DeclarativeStream.retriever", "CustomRetriever"},
      {"DeclarativeStream.transformations", "CustomTransformation"},
      {"DefaultErrorHandler.backoff_strategies", "CustomBackoffStrategy"},
      {"DefaultPaginator.pagination_strategy", "CustomPaginationStrategy"},
      {"HttpRequester.authenticator", "CustomAuthenticator"},
      {"HttpRequester.error_handler", "CustomErrorHandler"},
      {"RecordSelector.extractor", "CustomRecordExtractor"},
      {"SimpleRetriever.partition_router", "CustomPartitionRouter"},
  };
  return kTypes;
}

// ADDITIONAL_PROPERTIES_TYPES: fields holding a map of name -> component.
const std::unordered_map<std::string, std::string>& MapOfComponentTypes() {
  static const std::unordered_map<std::string, std::string> kTypes = {
      {"DeclarativeSource.stream_groups", "StreamGroup"},
  };
  return kTypes;
}

bool IsJsonSchema(const Json& component) {
  auto type = component.find("type");
  if (type == component.end()) return false;
  return *type == "object" || *type == Json::array({"null", "object"});
}

// ManifestComponentTransformer.propagate_types_and_parameters, in place on `component`.
class ComponentTransformer {
 public:
  void Propagate(const std::string& parent_field, Json& component, const Json& parent_parameters,
                 std::string& pointer) {
    if (!component.contains("type")) {
      const auto& table = component.contains("class_name") ? CustomTypes() : DefaultTypes();
      if (auto it = table.find(parent_field); it != table.end()) component["type"] = it->second;
    }

    Json current = parent_parameters;
    if (auto own = component.find(kParameters); own != component.end()) {
      if (!own->is_object()) {
        throw Error(ErrorKind::kInput,
                    "$parameters must be a mapping (at " + PointerText(pointer) + ").",
                    {.context = {{"location", PointerText(pointer)}}});
      }
      for (const auto& [key, value] : own->items()) current[key] = value;
      component.erase(own);
    }

    if (IsJsonSchema(component)) return;

    if (!component.contains("type")) {
      // Plain mappings are not components, but typed mappings inside them are (e.g. a
      // QueryProperties in request_parameters); they see the same field identifier.
      for (auto& [key, value] : component.items()) {
        if (value.is_object() && Truthy(value.value("type", Json()))) {
          const std::size_t size = pointer.size();
          pointer += PointerSegment(key);
          Propagate(parent_field, value, current, pointer);
          pointer.resize(size);
        }
      }
      return;
    }

    for (const auto& [key, value] : current.items()) {
      auto existing = component.find(key);
      if (existing == component.end()) {
        component[key] = value;
      } else if (!Truthy(*existing)) {
        *existing = value;
      }
    }

    const Json& type = component["type"];
    const std::string type_name = type.is_string() ? type.get<std::string>() : type.dump();
    for (auto& [field, value] : component.items()) {
      if (!value.is_object() && !value.is_array()) continue;
      // A parameter named like the field is withheld from its subtree (and, as in the CDK,
      // put back at the end only when truthy).
      Json excluded;
      if (auto it = current.find(field); it != current.end()) {
        excluded = std::move(*it);
        current.erase(it);
      }
      const std::string field_id = type_name + "." + field;
      const std::size_t size = pointer.size();
      pointer += PointerSegment(field);
      if (value.is_object()) {
        if (auto map_type = MapOfComponentTypes().find(field_id);
            map_type != MapOfComponentTypes().end()) {
          for (auto& [name, child] : value.items()) {
            if (!child.is_object()) continue;
            if (!child.contains("type")) child["type"] = map_type->second;
            const std::size_t child_size = pointer.size();
            pointer += PointerSegment(name);
            Propagate(field_id, child, current, pointer);
            pointer.resize(child_size);
          }
        } else {
          Propagate(field_id, value, current, pointer);
        }
      } else {
        for (std::size_t i = 0; i < value.size(); ++i) {
          if (!value[i].is_object()) continue;
          const std::size_t item_size = pointer.size();
          pointer += "/" + std::to_string(i);
          Propagate(field_id, value[i], current, pointer);
          pointer.resize(item_size);
        }
      }
      pointer.resize(size);
      if (Truthy(excluded)) current[field] = std::move(excluded);
    }

    if (!current.empty()) component[std::string(kParameters)] = std::move(current);
  }
};

void CollectCustom(const Json& node, std::string& pointer, bool top_level,
                   std::vector<std::string>& out) {
  if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::size_t size = pointer.size();
      pointer += "/" + std::to_string(i);
      CollectCustom(node[i], pointer, false, out);
      pointer.resize(size);
    }
    return;
  }
  if (!node.is_object() || IsJsonSchema(node)) return;
  auto type = node.find("type");
  auto class_name = node.find("class_name");
  if (class_name != node.end() && class_name->is_string()) {
    out.push_back(PointerText(pointer) + ": " + class_name->get<std::string>());
  } else if (type != node.end() && type->is_string() &&
             type->get_ref<const std::string&>().rfind("Custom", 0) == 0) {
    out.push_back(PointerText(pointer) + ": " + type->get<std::string>());
  }
  for (const auto& [key, value] : node.items()) {
    if (top_level && (key == "definitions" || key == "schemas" || key == "metadata")) continue;
    const std::size_t size = pointer.size();
    pointer += PointerSegment(key);
    CollectCustom(value, pointer, false, out);
    pointer.resize(size);
  }
}

}  // namespace

Json ReadManifestFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    throw Error(ErrorKind::kIo, "Cannot read the manifest file.",
                {.guidance = "Check that the file exists and is readable.",
                 .context = {{"file", path.string()}}});
  }
  if (path.extension() == ".json") {
    try {
      return Json::parse(text.str());
    } catch (const nlohmann::json::parse_error& e) {
      throw Error(
          ErrorKind::kInput, "Cannot parse " + path.string() + " as JSON: " + e.what(),
          {.context = {{"file", path.string()}, {"byte", static_cast<std::int64_t>(e.byte)}}});
    }
  }
  return ParseYaml(text.str(), path.string());
}

Json ResolveManifest(const Json& manifest) {
  Json source = manifest;
  if (source.is_object() && !source.contains("type")) source["type"] = "DeclarativeSource";
  std::string pointer;
  Json resolved = ReferenceResolver(source).Evaluate(source, pointer);
  if (resolved.is_object()) {
    ComponentTransformer().Propagate("", resolved, Json::object(), pointer);
  }
  return resolved;
}

std::vector<std::string> FindCustomComponents(const Json& resolved) {
  std::vector<std::string> out;
  std::string pointer;
  CollectCustom(resolved, pointer, true, out);
  return out;
}

}  // namespace airbyte::declarative
