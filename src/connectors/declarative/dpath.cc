#include "connectors/declarative/dpath.h"

#include <cctype>
#include <optional>
#include <utility>

#include "airbyte/error.h"

namespace airbyte::declarative::dpath {
namespace {

// Returns false to stop the walk.
using Visitor = std::function<bool(const Path&, const Json&)>;

bool IsDecimal(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// dpath.segments.walk: yields every child of a node, then walks each child. Returns false
// once the visitor asked to stop.
bool Walk(const Json& node, Path& path, const Visitor& visit) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key.empty()) {
        throw Error(ErrorKind::kInput,
                    "Empty string keys not allowed without "
                    "dpath.options.ALLOW_EMPTY_STRING_KEYS=True",
                    {.context = {{"path", nlohmann::json(path).dump()}}});
      }
      path.push_back(key);
      bool go_on = visit(path, value);
      path.pop_back();
      if (!go_on) return false;
    }
    for (const auto& [key, value] : node.items()) {
      path.push_back(key);
      bool go_on = Walk(value, path, visit);
      path.pop_back();
      if (!go_on) return false;
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      path.push_back(std::to_string(i));
      bool go_on = visit(path, node[i]);
      path.pop_back();
      if (!go_on) return false;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
      path.push_back(std::to_string(i));
      bool go_on = Walk(node[i], path, visit);
      path.pop_back();
      if (!go_on) return false;
    }
  }
  return true;
}

bool MatchBracket(std::string_view pattern, std::size_t& p, char c, bool& ok) {
  // pattern[p] == '['; on success p points past ']'.
  std::size_t i = p + 1;
  bool negate = false;
  if (i < pattern.size() && pattern[i] == '!') {
    negate = true;
    ++i;
  }
  std::size_t start = i;
  if (i < pattern.size() && pattern[i] == ']') ++i;  // a leading ']' is literal
  while (i < pattern.size() && pattern[i] != ']') ++i;
  if (i >= pattern.size()) {
    ok = false;  // no closing bracket: '[' is a literal
    return false;
  }
  bool found = false;
  for (std::size_t j = start; j < i; ++j) {
    if (j + 2 < i && pattern[j + 1] == '-') {
      if (pattern[j] <= c && c <= pattern[j + 2]) found = true;
      j += 2;
    } else if (pattern[j] == c) {
      found = true;
    }
  }
  ok = true;
  p = i + 1;
  return found != negate;
}

// The node at `path`, or nullptr (dpath.segments.has / get; decimal segments index lists).
Json* Find(Json& obj, const Path& path, std::size_t length) {
  Json* current = &obj;
  for (std::size_t i = 0; i < length; ++i) {
    const std::string& seg = path[i];
    if (current->is_object()) {
      auto it = current->find(seg);
      if (it == current->end()) return nullptr;
      current = &*it;
    } else if (current->is_array()) {
      if (!IsDecimal(seg)) return nullptr;
      std::size_t index = std::stoul(seg);
      if (index >= current->size()) return nullptr;
      current = &(*current)[index];
    } else {
      return nullptr;
    }
  }
  return current;
}

bool IsLeaf(const Json& v) { return !v.is_object() && !v.is_array(); }

}  // namespace

bool FnMatch(std::string_view name, std::string_view pattern) {
  // Iterative glob match with single-star backtracking.
  std::size_t n = 0;
  std::size_t p = 0;
  std::optional<std::size_t> star_p;
  std::size_t star_n = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = ++p;
      star_n = n;
      continue;
    }
    if (p < pattern.size()) {
      if (pattern[p] == '?') {
        ++p;
        ++n;
        continue;
      }
      if (pattern[p] == '[') {
        std::size_t q = p;
        bool ok = false;
        bool hit = MatchBracket(pattern, q, name[n], ok);
        if (ok) {
          if (hit) {
            p = q;
            ++n;
            continue;
          }
        } else if (name[n] == '[') {
          ++p;
          ++n;
          continue;
        }
      } else if (pattern[p] == name[n]) {
        ++p;
        ++n;
        continue;
      }
    }
    if (!star_p) return false;
    p = *star_p;
    n = ++star_n;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool Match(const Path& path, const Path& glob) {
  std::size_t star_star = glob.size();
  for (std::size_t i = 0; i < glob.size(); ++i) {
    if (glob[i] == "**") {
      if (star_star != glob.size()) {
        throw Error(ErrorKind::kInput, "Invalid glob. Only one '**' is permitted per glob.",
                    {.context = {{"glob", nlohmann::json(glob).dump()}}});
      }
      star_star = i;
    }
  }
  const Path* effective = &glob;
  Path expanded;
  if (star_star != glob.size()) {
    // '**' stands for as many '*' as the path needs (at least zero).
    if (path.size() + 1 < glob.size()) return false;
    expanded.assign(glob.begin(), glob.begin() + static_cast<std::ptrdiff_t>(star_star));
    expanded.insert(expanded.end(), path.size() + 1 - glob.size(), "*");
    expanded.insert(expanded.end(), glob.begin() + static_cast<std::ptrdiff_t>(star_star) + 1,
                    glob.end());
    effective = &expanded;
  }
  if (path.size() != effective->size()) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!FnMatch(path[i], (*effective)[i])) return false;
  }
  return true;
}

std::vector<const Json*> Values(const Json& obj, const Path& glob) {
  std::vector<const Json*> out;
  Path path;
  Walk(obj, path, [&](const Path& p, const Json& v) {
    if (Match(p, glob)) out.push_back(&v);
    return true;
  });
  return out;
}

const Json* Get(const Json& obj, const Path& glob) {
  if (glob.empty()) return &obj;
  // A path without glob characters names one node: descend directly instead of walking the
  // whole document (dpath's walk would also reject empty keys anywhere in it; we do not).
  bool literal = true;
  for (const std::string& segment : glob) {
    literal = literal && segment.find_first_of("*?[") == std::string::npos;
  }
  if (literal) {
    const Json* node = &obj;
    for (const std::string& segment : glob) {
      if (node->is_object()) {
        auto it = node->find(segment);
        if (it == node->end()) return nullptr;
        node = &*it;
      } else if (node->is_array()) {
        if (segment.empty() || segment.find_first_not_of("0123456789") != std::string::npos) {
          return nullptr;
        }
        std::size_t index = std::stoul(segment);
        if (index >= node->size()) return nullptr;
        node = &(*node)[index];
      } else {
        return nullptr;
      }
    }
    return node;
  }
  std::vector<const Json*> found;
  Path path;
  Walk(obj, path, [&](const Path& p, const Json& v) {
    if (Match(p, glob)) found.push_back(&v);
    return found.size() <= 1;
  });
  if (found.size() > 1) {
    throw Error(ErrorKind::kInput, "dpath.get() globs must match only one leaf.",
                {.context = {{"glob", nlohmann::json(glob).dump()}}});
  }
  return found.empty() ? nullptr : found.front();
}

std::size_t Delete(Json& obj, const Path& glob, const std::function<bool(const Json&)>& leaf_filter) {
  // dpath collects the whole walk first, then deletes, skipping paths already gone.
  std::vector<Path> paths;
  Path path;
  Walk(obj, path, [&](const Path& p, const Json&) {
    paths.push_back(p);
    return true;
  });
  std::size_t deleted = 0;
  for (const Path& p : paths) {
    Json* node = Find(obj, p, p.size());
    if (node == nullptr) continue;
    bool selected = leaf_filter ? IsLeaf(*node) && leaf_filter(*node) : Match(p, glob);
    if (!selected) continue;
    Json* parent = Find(obj, p, p.size() - 1);
    if (parent->is_object()) {
      parent->erase(p.back());
    } else {
      std::size_t index = std::stoul(p.back());
      if (index + 1 == parent->size()) {
        parent->erase(index);
      } else {
        (*parent)[index] = nullptr;  // keeps the indices of the elements after it
      }
    }
    ++deleted;
  }
  return deleted;
}

void New(Json& obj, const Path& path, Json value) {
  if (path.empty()) {
    throw Error(ErrorKind::kInput, "dpath.new needs a non-empty path.");
  }
  Json* current = &obj;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& seg = path[i];
    bool last = i + 1 == path.size();
    Json* next = nullptr;
    if (current->is_array() && IsDecimal(seg)) {
      std::size_t index = std::stoul(seg);
      while (current->size() <= index) current->push_back(nullptr);
      next = &(*current)[index];
      if (!last && next->is_null()) {
        *next = IsDecimal(path[i + 1]) ? Json::array() : Json::object();
      }
    } else if (current->is_object()) {
      auto it = current->find(seg);
      if (it == current->end()) {
        if (last) {
          (*current)[seg] = std::move(value);
          return;
        }
        next = &((*current)[seg] = IsDecimal(path[i + 1]) ? Json::array() : Json::object());
      } else {
        next = &*it;
      }
    } else {
      throw Error(ErrorKind::kInput, "Cannot set a value below a scalar value.",
                  {.context = {{"path", nlohmann::json(path).dump()}}});
    }
    if (last) {
      *next = std::move(value);
      return;
    }
    if (IsLeaf(*next)) {
      throw Error(ErrorKind::kInput, "Cannot set a value below a scalar value.",
                  {.context = {{"path", nlohmann::json(path).dump()}}});
    }
    current = next;
  }
}

}  // namespace airbyte::declarative::dpath
