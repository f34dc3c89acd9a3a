#include "caches/python_json.h"

#include <nlohmann/json.hpp>

namespace airbyte::caches {
namespace {

void Dump(const Json& value, std::string& out) {
  if (value.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& [key, item] : value.items()) {
      if (!first) out += ", ";
      first = false;
      out += Json(key).dump(-1, ' ', /*ensure_ascii=*/true);
      out += ": ";
      Dump(item, out);
    }
    out += '}';
  } else if (value.is_array()) {
    out += '[';
    bool first = true;
    for (const Json& item : value) {
      if (!first) out += ", ";
      first = false;
      Dump(item, out);
    }
    out += ']';
  } else {
    out += value.dump(-1, ' ', /*ensure_ascii=*/true);
  }
}

}  // namespace

std::string PythonJsonDumps(const Json& value) {
  std::string out;
  Dump(value, out);
  return out;
}

}  // namespace airbyte::caches
