#include "connectors/declarative/auth_support.h"

#include "connectors/declarative/interpolation/value.h"

namespace airbyte::declarative::auth {

Json ContextFor(const Json& component, const Runtime& runtime) {
  return {{"config", runtime.config},
          {"parameters", component.value("$parameters", Json::object())}};
}

std::string RenderField(const Json& component, const char* field, Runtime& runtime) {
  auto it = component.find(field);
  if (it == component.end() || it->is_null()) return "";
  if (!it->is_string()) return PyStr(*it);
  Json value = runtime.interpolator.Eval(it->get<std::string>(), ContextFor(component, runtime));
  if (value.is_null()) return "";
  return PyStr(value);
}

const Json* FindRecursive(const Json& node, const std::string& key, int depth) {
  if (depth > 5) return nullptr;
  if (node.is_object()) {
    if (auto it = node.find(key); it != node.end()) return &*it;
    for (const auto& [name, child] : node.items()) {
      if (const Json* found = FindRecursive(child, key, depth + 1)) return found;
    }
  } else if (node.is_array()) {
    for (const Json& child : node) {
      if (const Json* found = FindRecursive(child, key, depth + 1)) return found;
    }
  }
  return nullptr;
}

Json* PathIn(Json& root, const Json& path, bool create) {
  Json* node = &root;
  for (const Json& part : path) {
    const std::string key = part.get<std::string>();
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) {
      if (!create) return nullptr;
      (*node)[key] = Json();
      it = node->find(key);
    }
    node = &*it;
  }
  return node;
}

}  // namespace airbyte::declarative::auth
