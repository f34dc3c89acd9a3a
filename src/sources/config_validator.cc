#include "sources/config_validator.h"

#include <charconv>
#include <system_error>

// Without this valijson prints and abort()s on a schema it cannot use (an unresolvable $ref in
// a connector's spec); with it, it throws and we report Error(kValidation) below.
#define VALIJSON_USE_EXCEPTIONS 1
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "airbyte/error.h"

namespace airbyte::sources {
namespace {

// Keys whose value is one subschema / an array of subschemas / a map of name -> subschema.
constexpr const char* kSubschemaKeys[] = {"items", "additionalProperties", "additionalItems",
                                          "contains", "not", "if", "then", "else",
                                          "propertyNames"};
constexpr const char* kSubschemaArrayKeys[] = {"oneOf", "anyOf", "allOf", "items"};
constexpr const char* kSubschemaMapKeys[] = {"properties", "patternProperties", "definitions",
                                             "$defs", "dependencies"};

// PyAirbyte's validator does not enforce `format`: drop the keyword from every subschema (but
// keep properties that happen to be named "format").
void StripFormats(nlohmann::json& schema) {
  if (!schema.is_object()) return;
  if (auto it = schema.find("format"); it != schema.end() && it->is_string()) schema.erase(it);
  for (const char* key : kSubschemaKeys) {
    if (auto it = schema.find(key); it != schema.end() && it->is_object()) StripFormats(*it);
  }
  for (const char* key : kSubschemaArrayKeys) {
    if (auto it = schema.find(key); it != schema.end() && it->is_array()) {
      for (nlohmann::json& sub : *it) StripFormats(sub);
    }
  }
  for (const char* key : kSubschemaMapKeys) {
    if (auto it = schema.find(key); it != schema.end() && it->is_object()) {
      for (auto& [name, sub] : it->items()) StripFormats(sub);
    }
  }
}

// valijson context ["<root>", "[nested]", "[0]", "[name]"] -> "nested[0].name". valijson
// (1.0) writes property names and array indexes alike, so the config tells them apart.
std::string FieldPath(const std::vector<std::string>& context, const nlohmann::json& config) {
  std::string path;
  const nlohmann::json* node = &config;
  for (const std::string& part : context) {
    if (part.size() < 2 || part.front() != '[' || part.back() != ']') continue;  // "<root>"
    std::string key = part.substr(1, part.size() - 2);
    if (key.size() >= 2 && key.front() == '"' && key.back() == '"') {  // other valijson versions
      key = key.substr(1, key.size() - 2);
    }
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
    const bool is_index = ec == std::errc() && end == key.data() + key.size();
    if (node != nullptr && node->is_array() && is_index) {
      path += '[' + key + ']';
      node = index < node->size() ? &(*node)[index] : nullptr;
      continue;
    }
    if (!path.empty()) path += '.';
    path += key;
    const bool has_key = node != nullptr && node->is_object() && node->contains(key);
    node = has_key ? &(*node)[key] : nullptr;
  }
  return path;
}

bool IsTrue(const Json& schema, const char* key) {
  auto it = schema.find(key);
  return it != schema.end() && it->is_boolean() && it->get<bool>();
}

// A field whose schema marks it secret the way Airbyte (airbyte_secret) or JSON Schema
// (writeOnly, format: password) does; the same markers DetectHardcodedSecrets() uses.
bool IsSecretField(const Json& schema) {
  auto format = schema.find("format");
  return IsTrue(schema, "airbyte_secret") || IsTrue(schema, "writeOnly") ||
         (format != schema.end() && *format == "password");
}

// Every string and number under a secret field (an object-valued secret such as a
// service-account key is secret as a whole).
void CollectLeaves(const Json& value, std::vector<std::string>& out) {
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_number()) {
    out.push_back(value.dump());
  } else if (value.is_structured()) {
    for (const Json& child : value) CollectLeaves(child, out);
  }
}

void CollectSecrets(const Json& value, const Json& schema, std::vector<std::string>& out) {
  if (!schema.is_object()) return;
  if (IsSecretField(schema)) CollectLeaves(value, out);
  if (value.is_object()) {
    if (auto props = schema.find("properties"); props != schema.end() && props->is_object()) {
      for (const auto& [name, sub] : props->items()) {
        if (auto v = value.find(name); v != value.end()) CollectSecrets(*v, sub, out);
      }
    }
  }
  for (const char* key : {"oneOf", "anyOf", "allOf"}) {
    if (auto branches = schema.find(key); branches != schema.end() && branches->is_array()) {
      for (const Json& branch : *branches) CollectSecrets(value, branch, out);
    }
  }
  if (value.is_array()) {
    if (auto items = schema.find("items"); items != schema.end() && items->is_object()) {
      for (const Json& element : value) CollectSecrets(element, *items, out);
    }
  }
}

}  // namespace

void ValidateConfigAgainstSpec(const Json& config, const Json& connection_specification,
                               const std::string& connector_name) {
  // valijson's adapter takes nlohmann::json; key order does not matter for validation.
  nlohmann::json schema_doc = connection_specification;
  StripFormats(schema_doc);
  const nlohmann::json target = config;

  valijson::Schema schema;
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
    parser.populateSchema(schema_adapter, schema);
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kValidation, "The connector's spec is not a usable JSON Schema.",
                {.guidance = "Report this to the connector's maintainers; or skip validation.",
                 .context = {{"connector_name", connector_name}},
                 .cause = e.what()});
  }
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target_adapter(target);
  if (validator.validate(schema, target_adapter, &results)) return;

  // Report the most specific error: the one with the deepest path (first among equals).
  valijson::ValidationResults::Error best;
  valijson::ValidationResults::Error error;
  bool first = true;
  while (results.popError(error)) {
    if (first || error.context.size() > best.context.size()) best = error;
    first = false;
  }
  const std::string path = FieldPath(best.context, target);
  throw Error(ErrorKind::kValidation, "The provided config is not valid.",
              {.guidance = "Fix the config field named below; `airbyte spec --source " +
                           connector_name + "` shows what the connector accepts.",
               .context = {{"connector_name", connector_name},
                           {"error_path", path.empty() ? "<root>" : path},
                           {"error_message", best.description}}});
}

std::vector<std::string> SecretValuesInConfig(const Json& config,
                                              const Json& connection_specification) {
  std::vector<std::string> out;
  CollectSecrets(config, connection_specification, out);
  return out;
}

}  // namespace airbyte::sources
