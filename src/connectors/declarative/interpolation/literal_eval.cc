#include "connectors/declarative/interpolation/literal_eval.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "connectors/declarative/interpolation/eval_error.h"
#include "connectors/declarative/interpolation/value.h"
#include "connectors/declarative/interpolation/text_util.h"

namespace airbyte::declarative {

namespace {

struct Fail {};        // not a literal; unwinds to LiteralEval
struct Unhashable {};  // a list or dict as a dict key or set member: Python raises TypeError

class LiteralParser {
 public:
  explicit LiteralParser(std::string_view s) : s_(s) {}

  Json ParseTop() {
    SkipSpace(false);
    Json first = ParseValue();
    SkipSpace(false);
    if (Peek() == ',') {  // a bare tuple: 1, 2
      Json tuple = Json::array({first});
      while (Peek() == ',') {
        ++pos_;
        SkipSpace(false);
        if (AtEnd()) break;
        tuple.push_back(ParseValue());
        SkipSpace(false);
      }
      first = std::move(tuple);
    }
    SkipSpace(false);
    while (Peek() == '\n' || Peek() == '\r') {
      ++pos_;
      SkipSpace(false);
    }
    if (!AtEnd()) throw Fail{};
    return first;
  }

 private:
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }

  // Spaces, tabs, comments, line continuations; newlines too inside brackets.
  void SkipSpace(bool newlines) {
    while (!AtEnd()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\f' || ((c == '\n' || c == '\r') && newlines)) {
        ++pos_;
      } else if (c == '\\' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') {
        pos_ += 2;
      } else if (c == '#') {
        while (!AtEnd() && s_[pos_] != '\n') ++pos_;
      } else {
        return;
      }
    }
  }

  Json ParseValue() {
    char c = Peek();
    if (c == '[' || c == '(' || c == '{') return ParseContainer();
    if (c == '-' || c == '+') {
      ++pos_;
      SkipSpace(depth_ > 0);
      Json n = ParseNumber();
      if (c == '-') n = n.is_number_float() ? Json(-n.get<double>()) : Json(-n.get<std::int64_t>());
      return n;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && pos_ + 1 < s_.size() &&
         std::isdigit(static_cast<unsigned char>(s_[pos_ + 1])))) {
      return ParseNumber();
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '\'' || c == '"') {
      std::size_t start = pos_;
      while (!AtEnd() && (std::isalnum(static_cast<unsigned char>(Peek())) || Peek() == '_'))
        ++pos_;
      std::string_view word = s_.substr(start, pos_ - start);
      if (Peek() == '\'' || Peek() == '"') return ParseStrings(word);
      if (word == "True") return Json(true);
      if (word == "False") return Json(false);
      if (word == "None") return Json(nullptr);
    }
    throw Fail{};
  }

  Json ParseNumber() {
    std::size_t start = pos_;
    std::string digits;
    bool is_float = false;
    if (Peek() == '0' && pos_ + 1 < s_.size() &&
        std::string_view("xXoObB").find(s_[pos_ + 1]) != std::string_view::npos) {
      char kind = static_cast<char>(std::tolower(static_cast<unsigned char>(s_[pos_ + 1])));
      pos_ += 2;
      while (!AtEnd() && (std::isxdigit(static_cast<unsigned char>(Peek())) || Peek() == '_')) {
        if (Peek() != '_') digits += Peek();
        ++pos_;
      }
      int base = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
      std::int64_t v = 0;
      auto res = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
      if (digits.empty() || res.ec != std::errc() || res.ptr != digits.data() + digits.size())
        throw Fail{};
      CheckNumberEnd();
      return Json(v);
    }
    auto take_digits = [&] {
      bool any = false;
      while (!AtEnd() &&
             (std::isdigit(static_cast<unsigned char>(Peek())) || (Peek() == '_' && any))) {
        if (Peek() == '_') {
          if (pos_ + 1 >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[pos_ + 1])))
            throw Fail{};
        } else {
          digits += Peek();
          any = true;
        }
        ++pos_;
      }
      return any;
    };
    bool int_part = take_digits();
    if (Peek() == '.') {
      is_float = true;
      digits += '.';
      ++pos_;
      take_digits();
    }
    if (Peek() == 'e' || Peek() == 'E') {
      is_float = true;
      digits += 'e';
      ++pos_;
      if (Peek() == '+' || Peek() == '-') digits += s_[pos_++];
      if (!take_digits()) throw Fail{};
    }
    if (Peek() == 'j' || Peek() == 'J') throw Fail{};  // complex: never produced
    CheckNumberEnd();
    if (is_float) return Json(std::strtod(digits.c_str(), nullptr));
    // Python 3 rejects leading zeros in non-zero decimal integers ("007").
    if (!int_part || (digits.size() > 1 && digits[0] == '0' &&
                      digits.find_first_not_of('0') != std::string::npos))
      throw Fail{};
    (void)start;
    std::int64_t v = 0;
    auto res = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (res.ec == std::errc()) return Json(v);
    std::uint64_t u = 0;  // up to 2**64-1 still fits JSON's unsigned integers
    res = std::from_chars(digits.data(), digits.data() + digits.size(), u);
    if (res.ec != std::errc()) throw Fail{};
    return Json(u);
  }

  void CheckNumberEnd() {
    if (std::isalnum(static_cast<unsigned char>(Peek())) || Peek() == '_' || Peek() == '.' ||
        Peek() == '\'' || Peek() == '"')
      throw Fail{};
  }

  // One or more adjacent string literals; `prefix` is the letters just read (r, u, b, ...).
  Json ParseStrings(std::string_view prefix) {
    std::string out;
    std::optional<bool> bytes;
    while (true) {
      std::string p = std::string(prefix);
      for (char& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (p != "" && p != "r" && p != "u" && p != "b" && p != "rb" && p != "br")
        throw Fail{};  // f-strings
      bool is_bytes = p.find('b') != std::string::npos;
      if (bytes && *bytes != is_bytes) throw Fail{};  // cannot mix bytes and str
      bytes = is_bytes;
      out += ParseOneString(p.find('r') != std::string::npos);
      SkipSpace(depth_ > 0);
      std::size_t save = pos_;
      std::size_t start = pos_;
      while (!AtEnd() && std::isalpha(static_cast<unsigned char>(Peek()))) ++pos_;
      if (Peek() != '\'' && Peek() != '"') {
        pos_ = save;
        return Json(out);
      }
      prefix = s_.substr(start, pos_ - start);
    }
  }

  std::string ParseOneString(bool raw) {
    char quote = s_[pos_];
    bool triple = s_.substr(pos_, 3) == std::string(3, quote);
    pos_ += triple ? 3 : 1;
    std::string out;
    while (true) {
      if (AtEnd()) throw Fail{};
      char c = s_[pos_];
      if (triple ? s_.substr(pos_, 3) == std::string(3, quote) : c == quote) {
        pos_ += triple ? 3 : 1;
        return out;
      }
      if (!triple && c == '\n') throw Fail{};
      ++pos_;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (AtEnd()) throw Fail{};
      if (raw) {
        out += '\\';
        out += s_[pos_++];
        continue;
      }
      if (!DecodePyEscape(s_, pos_, out)) throw Fail{};
    }
  }

  Json ParseContainer() {
    char open = s_[pos_++];
    char close = open == '[' ? ']' : open == '(' ? ')' : '}';
    ++depth_;
    Json list = Json::array();
    Json dict = Json::object();
    bool is_dict = false;
    bool is_set = false;
    bool saw_comma = false;
    SkipSpace(true);
    while (Peek() != close) {
      Json item = ParseValue();
      SkipSpace(true);
      if (open == '{' && !is_set && Peek() == ':') {
        ++pos_;
        SkipSpace(true);
        if (item.is_structured()) throw Unhashable{};
        std::string key = item.is_string() ? item.get<std::string>() : Str(Value::Borrow(item));
        dict[key] = ParseValue();
        is_dict = true;
      } else {
        if (is_dict) throw Fail{};
        if (open == '{') {
          if (item.is_structured()) throw Unhashable{};
          is_set = true;
        }
        list.push_back(std::move(item));
      }
      SkipSpace(true);
      if (Peek() == ',') {
        ++pos_;
        saw_comma = true;
        SkipSpace(true);
      } else if (Peek() != close) {
        throw Fail{};
      }
    }
    ++pos_;
    --depth_;
    if (open == '(' && list.size() == 1 && !saw_comma) return list[0];  // parenthesized value
    if (open == '{' && !is_set) return dict;
    return list;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

std::optional<Json> LiteralEval(std::string_view text) {
  try {
    return LiteralParser(text).ParseTop();
  } catch (const Fail&) {
    return std::nullopt;
  } catch (const Unhashable&) {
    throw EvalError("unhashable type in the rendered literal: " + std::string(text));
  }
}

}  // namespace airbyte::declarative
