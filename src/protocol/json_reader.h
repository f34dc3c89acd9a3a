#pragma once

// Internal to the protocol module: checked access to JSON members for the *FromJson()
// functions, throwing Error(kProtocol) with the failing field's path.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/json_convert.h"
#include "protocol/message.h"

namespace airbyte::protocol::internal {


// A field path built on the stack as the conversion descends; turned into text
// ("catalog.streams[2].name") only when an error names it.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;

  Path Field(std::string_view name) const { return Path{this, name, 0, false}; }
  Path Element(std::size_t i) const { return Path{this, {}, i, true}; }

  std::string Text() const {
    std::string out = parent != nullptr ? parent->Text() : std::string();
    if (is_index) {
      out += '[';
      out += std::to_string(index);
      out += ']';
    } else if (!key.empty()) {
      if (!out.empty()) out += '.';
      out += key;
    }
    return out;
  }
};

/// The root of a path ("catalog"); empty for none.
inline Path Root(std::string_view name) { return Path{nullptr, name, 0, false}; }

[[noreturn]] void ThrowMissing(const Path& path);
[[noreturn]] void ThrowWrongType(const Path& path, std::string_view expected);
[[noreturn]] void ThrowUnknownValue(const Path& path, std::string_view value);

/// `json` itself; throws unless it is an object.
const Json& ExpectObject(const Json& json, const Path& path);
/// The member `key` of `object`, or nullptr when it is absent or null (the protocol treats the
/// two alike).
const Json* Find(const Json& object, std::string_view key);
/// The member `key` of `object`; throws (naming `path`) when it is absent or null.
const Json& Require(const Json& object, std::string_view key, const Path& path);
/// The object member `key` of `object`; throws when absent, null or not an object.
const Json& RequireObjectMember(const Json& object, std::string_view key, const Path& path);

// Scalars and lists; each throws (naming `path`) on the wrong JSON type.
std::string String(const Json& json, const Path& path);
bool Bool(const Json& json, const Path& path);
double Double(const Json& json, const Path& path);
/// An integer; a float is truncated (connectors send `emitted_at` as 1.7e12 too).
std::int64_t Int64(const Json& json, const Path& path);
const Json& Array(const Json& json, const Path& path);
FieldPath FieldPathOf(const Json& json, const Path& path);

/// The required array member `key` of `object`, each element converted by
/// `element_at(element, element_path)`; throws (naming the path) when absent or not an array.
template <typename ElementAt>
auto RequiredList(const Json& object, std::string_view key, const Path& path,
                  ElementAt element_at) {
  const Path list_path = path.Field(key);
  const Json& list = Array(Require(object, key, list_path), list_path);
  std::vector<decltype(element_at(list, list_path))> out;
  out.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    out.push_back(element_at(list[i], list_path.Element(i)));
  }
  return out;
}
std::vector<FieldPath> FieldPathsOf(const Json& json, const Path& path);

// Optional members of `object`: absent or null -> nullopt, wrong type -> throws.
std::optional<std::string> OptString(const Json& object, std::string_view key, const Path& path);
std::optional<bool> OptBool(const Json& object, std::string_view key, const Path& path);
std::optional<std::int64_t> OptInt64(const Json& object, std::string_view key, const Path& path);
std::optional<double> OptDouble(const Json& object, std::string_view key, const Path& path);
std::optional<FieldPath> OptFieldPath(const Json& object, std::string_view key, const Path& path);
std::optional<std::vector<FieldPath>> OptFieldPaths(const Json& object, std::string_view key,
                                                    const Path& path);
/// An opaque blob that must be an object when present; null when absent.
Json OptObjectBlob(const Json& object, std::string_view key, const Path& path);

/// The members of `object` not named in `known` (nulls dropped), as an object.
Json Extras(const Json& object, std::span<const std::string_view> known);

template <typename Enum>
Enum RequiredEnum(const Json& json, const Path& path) {
  const std::string text = String(json, path);
  std::optional<Enum> value = FromString<Enum>(text);
  if (!value) ThrowUnknownValue(path, text);
  return *value;
}

/// A list of enum values where unknown spellings are skipped (forward compatibility).
template <typename Enum>
std::vector<Enum> TolerantEnumList(const Json& json, const Path& path) {
  std::vector<Enum> out;
  for (std::size_t i = 0; i < Array(json, path).size(); ++i) {
    if (std::optional<Enum> value = FromString<Enum>(String(json[i], path.Element(i)))) {
      out.push_back(*value);
    }
  }
  return out;
}

}  // namespace airbyte::protocol::internal
