#include "connectors/declarative/interpolation/template_lexer.h"

#include <cctype>

#include "connectors/declarative/interpolation/eval_error.h"
#include "connectors/declarative/interpolation/text_util.h"

namespace airbyte::declarative {

namespace {

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  std::vector<Token> Run() {
    bool trim_next_text = false;
    while (pos_ < src_.size()) {
      std::size_t open = FindTag(pos_);
      std::string text(src_.substr(pos_, open - pos_));
      if (trim_next_text)
        text.erase(0, text.find_first_not_of(" \t\r\n\f\v") == std::string::npos
                          ? text.size()
                          : text.find_first_not_of(" \t\r\n\f\v"));
      trim_next_text = false;
      if (open == src_.size()) {
        Push(Token::Type::kText, std::move(text), pos_);
        break;
      }
      bool trim_before = open + 2 < src_.size() && src_[open + 2] == '-';
      if (trim_before) {
        std::size_t keep = text.find_last_not_of(" \t\r\n\f\v");
        text.erase(keep == std::string::npos ? 0 : keep + 1);
      }
      Push(Token::Type::kText, std::move(text), pos_);
      char kind = src_[open + 1];
      pos_ = open + 2 + (trim_before ? 1 : 0);
      if (kind == '#') {
        std::size_t close = src_.find("#}", pos_);
        if (close == std::string_view::npos) throw EvalError("Missing end of comment tag", open);
        trim_next_text = close > 0 && src_[close - 1] == '-';
        pos_ = close + 2;
        continue;
      }
      bool var = kind == '{';
      Push(var ? Token::Type::kVarBegin : Token::Type::kBlockBegin, var ? "{{" : "{%", open);
      trim_next_text = LexExpression(var ? "}}" : "%}", open);
    }
    Push(Token::Type::kEof, "", src_.size());
    return std::move(tokens_);
  }

 private:
  std::size_t FindTag(std::size_t from) const {
    for (std::size_t i = from; i + 1 < src_.size(); ++i) {
      if (src_[i] == '{' && (src_[i + 1] == '{' || src_[i + 1] == '%' || src_[i + 1] == '#')) {
        return i;
      }
    }
    return src_.size();
  }

  void Push(Token::Type type, std::string text, std::size_t pos) {
    if (type == Token::Type::kText && text.empty()) return;
    tokens_.push_back(Token{type, std::move(text), pos});
  }

  // Tokens up to the closing delimiter; returns whether it was written `-}}` / `-%}`.
  bool LexExpression(std::string_view close, std::size_t open_pos) {
    int depth = 0;
    while (true) {
      while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
      if (pos_ >= src_.size()) {
        throw EvalError(
            std::string("unexpected end of template, expected '") + std::string(close) + "'",
            open_pos);
      }
      bool trim = src_[pos_] == '-' && src_.substr(pos_ + 1, 2) == close;
      if (depth == 0 && (src_.substr(pos_, 2) == close || trim)) {
        pos_ += trim ? 3 : 2;
        Push(close == "}}" ? Token::Type::kVarEnd : Token::Type::kBlockEnd, std::string(close),
             pos_ - 2);
        return trim;
      }
      std::size_t start = pos_;
      char c = src_[pos_];
      if (IsNameStart(c)) {
        while (pos_ < src_.size() && IsNameChar(src_[pos_])) ++pos_;
        Push(Token::Type::kName, std::string(src_.substr(start, pos_ - start)), start);
      } else if (IsDigit(c)) {
        LexNumber();
      } else if (c == '\'' || c == '"') {
        LexString();
      } else {
        static constexpr std::string_view kTwo[] = {"//", "**", "==", "!=", "<=", ">="};
        std::string op(1, c);
        for (std::string_view two : kTwo) {
          if (src_.substr(pos_, 2) == two) op = std::string(two);
        }
        if (op.size() == 1 &&
            std::string_view("+-*/%~<>=()[]{},.:|").find(c) == std::string_view::npos) {
          throw EvalError(std::string("unexpected char '") + c + "'", pos_);
        }
        if (op == "(" || op == "[" || op == "{") ++depth;
        if ((op == ")" || op == "]" || op == "}") && depth > 0) --depth;
        pos_ += op.size();
        Push(Token::Type::kOperator, op, start);
      }
    }
  }

  void LexNumber() {
    std::size_t start = pos_;
    std::string digits;
    bool is_float = false;
    auto take_digits = [&] {
      while (pos_ < src_.size() &&
             (IsDigit(src_[pos_]) ||
              (src_[pos_] == '_' && pos_ + 1 < src_.size() && IsDigit(src_[pos_ + 1])))) {
        if (src_[pos_] != '_') digits += src_[pos_];
        ++pos_;
      }
    };
    take_digits();
    if (pos_ + 1 < src_.size() && src_[pos_] == '.' && IsDigit(src_[pos_ + 1])) {
      is_float = true;
      digits += '.';
      ++pos_;
      take_digits();
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      std::size_t save = pos_;
      std::string save_digits = digits;
      digits += 'e';
      ++pos_;
      if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) digits += src_[pos_++];
      if (pos_ < src_.size() && IsDigit(src_[pos_])) {
        is_float = true;
        take_digits();
      } else {
        pos_ = save;
        digits = save_digits;
      }
    }
    Push(is_float ? Token::Type::kFloat : Token::Type::kInteger, digits, start);
  }

  void LexString() {
    std::size_t start = pos_;
    char quote = src_[pos_++];
    std::string out;
    while (true) {
      if (pos_ >= src_.size()) throw EvalError("unexpected end of string", start);
      char c = src_[pos_++];
      if (c == quote) break;
      if (c != '\\' || pos_ >= src_.size()) {
        out += c;
        continue;
      }
      const char letter = src_[pos_];
      if (!DecodePyEscape(src_, pos_, out)) {
        throw EvalError("truncated \\" + std::string(1, letter) + " escape in string", start);
      }
    }
    Push(Token::Type::kString, std::move(out), start);
  }

  std::string_view src_;
  std::size_t pos_ = 0;
  std::vector<Token> tokens_;
};

}  // namespace

std::vector<Token> TokenizeTemplate(std::string_view source) {
  if (source.ends_with("\r\n")) {
    source.remove_suffix(2);
  } else if (source.ends_with('\n')) {
    source.remove_suffix(1);
  }
  return Lexer(source).Run();
}

}  // namespace airbyte::declarative
