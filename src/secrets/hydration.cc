#include <cctype>
#include <set>

#include <nlohmann/json.hpp>

#include "airbyte/secrets.h"

namespace airbyte {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

void Hydrate(Json& value, std::string_view prefix) {
  if (value.is_object() || value.is_array()) {
    // Unlike PyAirbyte (behavior doc 16, item 28), strings directly inside lists count too.
    for (Json& child : value) Hydrate(child, prefix);
  } else if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (text.compare(0, prefix.size(), prefix) == 0) {
      value = GetSecret(Trim(std::string_view(text).substr(prefix.size()))).Reveal();
    }
  }
}

bool IsTrue(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

// Names of spec properties marked secret, at any depth (PyAirbyte walks every nested object).
void CollectSecretFieldNames(const Json& schema, std::set<std::string>& names) {
  if (schema.is_array()) {
    for (const Json& element : schema) CollectSecretFieldNames(element, names);
    return;
  }
  if (!schema.is_object()) return;
  for (const auto& [key, child] : schema.items()) {
    if (child.is_object()) {
      auto format = child.find("format");
      if (IsTrue(child, "airbyte_secret") || IsTrue(child, "writeOnly") ||
          (format != child.end() && *format == "password")) {
        names.insert(key);
      }
    }
    CollectSecretFieldNames(child, names);
  }
}

void CollectHardcoded(const Json& config, const std::set<std::string>& names,
                      std::vector<std::string>& path, bool under_secret,
                      std::vector<std::vector<std::string>>& out) {
  for (const auto& [key, value] : config.items()) {
    path.push_back(key);
    const bool secret = under_secret || names.count(key) > 0;
    if (value.is_object()) {
      CollectHardcoded(value, names, path, secret, out);
    } else if (secret && value.is_string() &&
               value.get_ref<const std::string&>().rfind(kSecretReferencePrefix, 0) != 0) {
      out.push_back(path);
    }
    path.pop_back();
  }
}

}  // namespace

Json HydrateSecrets(const Json& config, std::string_view prefix) {
  Json hydrated = config;
  Hydrate(hydrated, prefix);
  return hydrated;
}

std::vector<std::vector<std::string>> DetectHardcodedSecrets(
    const Json& config, const Json& connection_specification) {
  std::set<std::string> names;
  CollectSecretFieldNames(connection_specification, names);
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> path;
  if (config.is_object()) CollectHardcoded(config, names, path, false, out);
  return out;
}

}  // namespace airbyte
