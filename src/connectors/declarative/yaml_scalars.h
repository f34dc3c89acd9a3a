#pragma once

// Internals of the YAML reader shared by its two files: the composed node, PyYAML's implicit
// resolvers and its scalar constructors (yaml_scalars.cc).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "airbyte/json.h"

namespace airbyte::declarative::yaml_detail {

inline constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

// A composed YAML node, as PyYAML's composer builds it before construction. Aliases share the
// anchored node, so a node may have several parents.
struct Node {
  enum class Kind { kScalar, kSequence, kMapping };
  Kind kind = Kind::kScalar;
  std::string tag;       // resolved tag ("tag:yaml.org,2002:str", ...)
  std::string value;     // scalars only
  std::size_t line = 0;  // 0-based, as libyaml marks
  std::size_t column = 0;
  std::vector<std::shared_ptr<Node>> items;                                    // sequences
  std::vector<std::pair<std::shared_ptr<Node>, std::shared_ptr<Node>>> pairs;  // mappings
};
using NodePtr = std::shared_ptr<Node>;

/// Throws Error(kInput): "Cannot parse <origin> as YAML: <problem> (line L, column C)."
/// `line` and `column` are 0-based (libyaml marks); the message shows them 1-based.
[[noreturn]] void Fail(std::string_view origin, std::string_view problem, std::size_t line,
                       std::size_t column);

/// "tag:yaml.org,2002:<suffix>".
std::string Tag(std::string_view suffix);

/// The tag PyYAML's implicit resolvers give a plain scalar (str when none matches).
std::string ResolvePlainScalar(const std::string& value);

/// SafeConstructor's scalar constructors; throw Error(kInput) naming the node's position.
Json ConstructInt(const Node& node, std::string_view origin);
Json ConstructFloat(const Node& node, std::string_view origin);
Json ConstructBool(const Node& node, std::string_view origin);
/// Bare dates and timestamps as Python's isoformat() text.
Json ConstructTimestamp(const Node& node, std::string_view origin);

}  // namespace airbyte::declarative::yaml_detail
