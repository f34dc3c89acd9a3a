#include "connectors/declarative/key_transformations.h"

#include <string>
#include <utility>
#include <vector>

#include "airbyte/error.h"
#include "connectors/declarative/component_util.h"
#include "connectors/declarative/interpolation/value.h"
#include "util/strings.h"

namespace airbyte::declarative {
namespace {

// flatten_fields.py: a LIFO stack, so a mapping's keys are visited last to first; a key seen
// before, or any key once a list was met, is prefixed with its parent's flattened name.
class FlattenFields final : public Transformation {
 public:
  void Apply(Json& record, const Json&, Interpolator&) const override {
    std::vector<std::pair<const Json*, std::string>> stack = {{&record, "_"}};
    Json flat = Json::object();
    bool force_with_parent_name = false;
    while (!stack.empty()) {
      auto [node, parent_key] = std::move(stack.back());
      stack.pop_back();
      if (node->is_object()) {
        for (const auto& [key, value] : node->items()) {
          bool prefixed = force_with_parent_name || flat.contains(key);
          stack.emplace_back(&value, prefixed ? parent_key + "." + key : key);
        }
      } else if (node->is_array()) {
        for (std::size_t i = 0; i < node->size(); ++i) {
          force_with_parent_name = true;
          stack.emplace_back(&(*node)[i], parent_key + "." + std::to_string(i));
        }
      } else {
        flat[parent_key] = *node;
      }
    }
    record = std::move(flat);
  }
};

template <typename KeyFn>
void RenameTopLevelKeys(Json& record, KeyFn key_fn) {
  if (!record.is_object()) return;
  Json out = Json::object();
  for (auto& item : record.items()) out[key_fn(item.key())] = std::move(item.value());
  record = std::move(out);
}

class KeysToLower final : public Transformation {
 public:
  void Apply(Json& record, const Json&, Interpolator&) const override {
    RenameTopLevelKeys(record, [](const std::string& key) { return util::AsciiLower(key); });
  }
};

class KeysToSnakeCase final : public Transformation {
 public:
  void Apply(Json& record, const Json&, Interpolator&) const override {
    RenameTopLevelKeys(record, [](const std::string& key) { return KeyToSnakeCase(key); });
  }
};

// keys_replace_transformation.py: `old`/`new` are interpolated once per record (config,
// parameters, record, stream_slice), then str.replace on every key, recursing into mappings
// (not into lists).
class KeysReplace final : public Transformation {
 public:
  explicit KeysReplace(const Json& component) : component_(component) {
    for (const char* option : {"regex", "keep_original", "only_if_missing", "field_path"}) {
      const Json& v = Field(component, option);
      if (!v.is_null() && !(v.is_boolean() && !v.get<bool>())) {
        throw Error(ErrorKind::kInput,
                    std::string("KeysReplace option `") + option + "` is not supported natively.");
      }
    }
    for (const char* field : {"old", "new"}) {
      if (!Field(component, field).is_string()) {
        throw Error(ErrorKind::kInput, std::string("KeysReplace needs a string `") + field + "`.",
                    {.context = {{"component", component.dump()}}});
      }
    }
  }

  void Apply(Json& record, const Json& context, Interpolator& interpolator) const override {
    Json ctx = ComponentContext(component_, context);
    ctx["record"] = std::move(record);
    std::string old_key;
    std::string new_key;
    try {
      old_key = Text(interpolator.EvalString(Field(component_, "old").get<std::string>(), ctx));
      new_key = Text(interpolator.EvalString(Field(component_, "new").get<std::string>(), ctx));
    } catch (...) {
      record = std::move(ctx["record"]);
      throw;
    }
    record = std::move(ctx["record"]);
    Replace(record, old_key, new_key);
  }

 private:
  static std::string Text(const Json& v) {
    return v.is_string() ? v.get<std::string>() : Str(Value::Borrow(v));
  }
  // Python str.replace, including its rule for an empty `old` (insert between characters).
  static std::string ReplaceAll(const std::string& text, const std::string& from,
                                const std::string& to) {
    if (from.empty()) {
      std::string out;
      for (char c : text) {
        // `to` goes before every code point, so not before a UTF-8 continuation byte.
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) out += to;
        out += c;
      }
      return out + to;
    }
    std::string out;
    std::size_t pos = 0;
    while (true) {
      std::size_t hit = text.find(from, pos);
      if (hit == std::string::npos) break;
      out.append(text, pos, hit - pos);
      out += to;
      pos = hit + from.size();
    }
    out.append(text, pos, std::string::npos);
    return out;
  }
  static void Replace(Json& node, const std::string& from, const std::string& to) {
    Json out = Json::object();
    for (auto& item : node.items()) {
      if (item.value().is_object()) Replace(item.value(), from, to);
      out[ReplaceAll(item.key(), from, to)] = std::move(item.value());
    }
    node = std::move(out);
  }

  Json component_;
};

// unidecode for Latin-1 (U+00C0..U+00FF); other non-ASCII code points are dropped, as
// unidecode does for characters it has no transliteration for.
constexpr const char* kLatin1[64] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",
    "D", "N", "O", "O", "O", "O", "O",  "x", "O", "U", "U", "U", "U", "Y", "Th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "/", "o", "u", "u", "u", "u", "y", "th", "y"};

std::string Transliterate(const std::string& key) {
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(key[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (len == 2 && i + 1 < key.size()) {
      unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(key[i + 1]) & 0x3Fu);
      if (cp >= 0xC0 && cp <= 0xFF) out += kLatin1[cp - 0xC0];
      if (cp == 0xA0) out += ' ';
    }
    i += len - 1;
  }
  return out;
}

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string KeyToSnakeCase(const std::string& key) {
  std::string text = Transliterate(key);
  // TOKEN_PATTERN: [A-Z]+[a-z]* | [a-z]+ | \d+ | (?P<NoToken>[^a-zA-Z\d]+) -> ""
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    char c = text[i];
    if (IsUpper(c)) {
      while (i < text.size() && IsUpper(text[i])) ++i;
      while (i < text.size() && IsLower(text[i])) ++i;
    } else if (IsLower(c)) {
      while (i < text.size() && IsLower(text[i])) ++i;
    } else if (IsDigit(c)) {
      while (i < text.size() && IsDigit(text[i])) ++i;
    } else {
      while (i < text.size() && !IsUpper(text[i]) && !IsLower(text[i]) && !IsDigit(text[i])) ++i;
      tokens.emplace_back();
      continue;
    }
    tokens.push_back(text.substr(start, i - start));
  }
  // filter_tokens: inner empty tokens go; a leading number gets a leading "_".
  if (tokens.size() >= 3) {
    std::vector<std::string> kept = {tokens.front()};
    for (std::size_t t = 1; t + 1 < tokens.size(); ++t) {
      if (!tokens[t].empty()) kept.push_back(tokens[t]);
    }
    kept.push_back(tokens.back());
    tokens = std::move(kept);
  }
  if (!tokens.empty() && !tokens.front().empty() && IsDigit(tokens.front()[0])) {
    tokens.insert(tokens.begin(), std::string());
  }
  std::string out;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    if (t > 0) out += '_';
    out += util::AsciiLower(tokens[t]);
  }
  return out;
}

std::unique_ptr<Transformation> MakeKeyTransformation(const Json& component) {
  std::string type = ComponentType(component);
  if (type == "FlattenFields") return std::make_unique<FlattenFields>();
  if (type == "KeysToLower") return std::make_unique<KeysToLower>();
  if (type == "KeysToSnakeCase") return std::make_unique<KeysToSnakeCase>();
  if (type == "KeysReplace") return std::make_unique<KeysReplace>(component);
  return nullptr;
}

}  // namespace airbyte::declarative
