#pragma once

/// The subset of the Python `dpath` library (2.x) that declarative manifests reach through the
/// CDK: glob search (`*`, `**`, fnmatch patterns per segment), get, delete and new. Paths are
/// lists of strings; a segment matches a mapping key or a list index by its text.
///
/// Example:
///   Json doc = Json::parse(R"({"data": [{"id": 1}, {"id": 2}]})");
///   std::vector<const Json*> ids = dpath::Values(doc, {"data", "*", "id"});  // 1, 2
///
/// Like dpath, walking a document that holds an empty mapping key throws (dpath's
/// InvalidKeyName), as Error(kInput).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"

namespace airbyte::declarative::dpath {

using Path = std::vector<std::string>;

/// Python's fnmatch.fnmatchcase: `*`, `?`, `[seq]`, `[!seq]`.
bool FnMatch(std::string_view name, std::string_view pattern);

/// dpath.segments.match: does the concrete path match the glob (one `**` allowed)?
bool Match(const Path& path, const Path& glob);

/// dpath.values: every node matching the glob, in dpath's walk order (all children of a node,
/// then each child's subtree).
std::vector<const Json*> Values(const Json& obj, const Path& glob);

/// dpath.get: the single node matching the glob; nullptr when none. Throws Error(kInput) when
/// the glob matches more than one node.
const Json* Get(const Json& obj, const Path& glob);

/// dpath.delete: removes every node matching the glob (a list element that is not the last
/// becomes null, as dpath keeps the indices). With `leaf_filter`, dpath deletes every *leaf*
/// (scalar or null) the filter accepts anywhere in the document, whether or not its path
/// matches the glob: a dpath quirk the CDK's RemoveFields.condition inherits. Returns the
/// number of deleted nodes.
std::size_t Delete(Json& obj, const Path& glob,
                   const std::function<bool(const Json&)>& leaf_filter = {});

/// dpath.new: sets `value` at `path`, creating intermediate mappings (or lists, when the next
/// segment is a decimal number); list indices past the end extend the list with nulls.
/// Throws Error(kInput) when an intermediate value is a scalar.
void New(Json& obj, const Path& path, Json value);

}  // namespace airbyte::declarative::dpath
