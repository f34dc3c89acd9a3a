#include "protocol/json_reader.h"

#include <cmath>
#include <limits>

#include "airbyte/error.h"

namespace airbyte::protocol::internal {

[[noreturn]] void ThrowMissing(const Path& path) {
  throw Error(ErrorKind::kProtocol, "Invalid Airbyte protocol data: a required field is missing.",
              {.context = {{"field", path.Text()}}});
}

[[noreturn]] void ThrowWrongType(const Path& path, std::string_view expected) {
  throw Error(ErrorKind::kProtocol, "Invalid Airbyte protocol data: a field has the wrong type.",
              {.context = {{"field", path.Text()}, {"expected", std::string(expected)}}});
}

[[noreturn]] void ThrowUnknownValue(const Path& path, std::string_view value) {
  // Enum spellings are protocol vocabulary, not user data, so the value may be shown.
  throw Error(ErrorKind::kProtocol, "Invalid Airbyte protocol data: unknown enum value.",
              {.context = {{"field", path.Text()}, {"value", std::string(value)}}});
}

const Json& ExpectObject(const Json& json, const Path& path) {
  if (!json.is_object()) ThrowWrongType(path, "object");
  return json;
}

const Json* Find(const Json& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

const Json& Require(const Json& object, std::string_view key, const Path& path) {
  const Json* member = Find(object, key);
  if (member == nullptr) ThrowMissing(path);
  return *member;
}

std::string String(const Json& json, const Path& path) {
  if (!json.is_string()) ThrowWrongType(path, "string");
  return json.get<std::string>();
}

bool Bool(const Json& json, const Path& path) {
  if (!json.is_boolean()) ThrowWrongType(path, "boolean");
  return json.get<bool>();
}

double Double(const Json& json, const Path& path) {
  if (!json.is_number()) ThrowWrongType(path, "number");
  return json.get<double>();
}

// An integer; a float is truncated (connectors send `emitted_at` as 1.7e12 too).
std::int64_t Int64(const Json& json, const Path& path) {
  if (json.is_number_integer() && !json.is_number_unsigned()) return json.get<std::int64_t>();
  if (json.is_number_unsigned()) {
    const std::uint64_t value = json.get<std::uint64_t>();
    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      ThrowWrongType(path, "64-bit integer");
    }
    return static_cast<std::int64_t>(value);
  }
  if (json.is_number_float()) {
    const double value = json.get<double>();
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    if (!std::isfinite(value) || value >= 9223372036854775808.0 || value < -9223372036854775808.0) {
      ThrowWrongType(path, "64-bit integer");
    }
    return static_cast<std::int64_t>(value);
  }
  ThrowWrongType(path, "integer");
}

const Json& Array(const Json& json, const Path& path) {
  if (!json.is_array()) ThrowWrongType(path, "array");
  return json;
}

FieldPath FieldPathOf(const Json& json, const Path& path) {
  FieldPath out;
  for (std::size_t i = 0; i < Array(json, path).size(); ++i) {
    out.push_back(String(json[i], path.Element(i)));
  }
  return out;
}

std::vector<FieldPath> FieldPathsOf(const Json& json, const Path& path) {
  std::vector<FieldPath> out;
  for (std::size_t i = 0; i < Array(json, path).size(); ++i) {
    out.push_back(FieldPathOf(json[i], path.Element(i)));
  }
  return out;
}

// Readers for optional members: absent or null -> nullopt, wrong type -> throws.
std::optional<std::string> OptString(const Json& object, std::string_view key, const Path& path) {
  const Json* member = Find(object, key);
  if (member == nullptr) return std::nullopt;
  return String(*member, path.Field(key));
}

std::optional<bool> OptBool(const Json& object, std::string_view key, const Path& path) {
  const Json* member = Find(object, key);
  if (member == nullptr) return std::nullopt;
  return Bool(*member, path.Field(key));
}

std::optional<std::int64_t> OptInt64(const Json& object, std::string_view key, const Path& path) {
  const Json* member = Find(object, key);
  if (member == nullptr) return std::nullopt;
  return Int64(*member, path.Field(key));
}

std::optional<double> OptDouble(const Json& object, std::string_view key, const Path& path) {
  const Json* member = Find(object, key);
  if (member == nullptr) return std::nullopt;
  return Double(*member, path.Field(key));
}

std::optional<FieldPath> OptFieldPath(const Json& object, std::string_view key, const Path& path) {
  const Json* member = Find(object, key);
  if (member == nullptr) return std::nullopt;
  return FieldPathOf(*member, path.Field(key));
}

std::optional<std::vector<FieldPath>> OptFieldPaths(const Json& object, std::string_view key,
                                                    const Path& path) {
  const Json* member = Find(object, key);
  if (member == nullptr) return std::nullopt;
  return FieldPathsOf(*member, path.Field(key));
}

// An opaque blob that must be an object when present; null when absent.
Json OptObjectBlob(const Json& object, std::string_view key, const Path& path) {
  const Json* member = Find(object, key);
  if (member == nullptr) return nullptr;
  return ExpectObject(*member, path.Field(key));
}

const Json& RequireObjectMember(const Json& object, std::string_view key, const Path& path) {
  const Path field = path.Field(key);
  return ExpectObject(Require(object, key, field), field);
}

Json Extras(const Json& object, std::span<const std::string_view> known) {
  Json out = Json::object();
  for (const auto& [key, value] : object.items()) {
    if (value.is_null()) continue;
    bool is_known = false;
    for (std::string_view name : known) is_known = is_known || name == key;
    if (!is_known) out[key] = value;
  }
  return out;
}

}  // namespace airbyte::protocol::internal
