#pragma once

// Internal to the template parser: a cursor over template tokens shared by the statement and
// expression parsers.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/declarative/interpolation/eval_error.h"
#include "connectors/declarative/interpolation/template_lexer.h"

namespace airbyte::declarative {

class TokenCursor {
 public:
  using TokType = Token::Type;
  explicit TokenCursor(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  const Token& Peek(std::size_t ahead = 0) const {
    return tokens_[std::min(index_ + ahead, tokens_.size() - 1)];
  }
  const Token& Next() { return tokens_[std::min(index_++, tokens_.size() - 1)]; }
  bool IsOp(std::string_view op, std::size_t ahead = 0) const {
    return Peek(ahead).type == TokType::kOperator && Peek(ahead).text == op;
  }
  bool IsName(std::string_view name, std::size_t ahead = 0) const {
    return Peek(ahead).type == TokType::kName && Peek(ahead).text == name;
  }
  void ExpectOp(std::string_view op) {
    if (!IsOp(op)) {
      throw EvalError("expected token '" + std::string(op) + "', got '" + Describe(Peek()) + "'",
                      Peek().pos);
    }
    Next();
  }
  void Expect(TokType type, std::string_view what) {
    if (Peek().type != type) {
      throw EvalError("expected " + std::string(what) + ", got '" + Describe(Peek()) + "'",
                      Peek().pos);
    }
    Next();
  }
  static std::string Describe(const Token& t) {
    switch (t.type) {
      case TokType::kEof:
        return "end of template";
      case TokType::kVarEnd:
        return "}}";
      case TokType::kBlockEnd:
        return "%}";
      default:
        return t.text;
    }
  }
  std::string ExpectName() {
    if (Peek().type != TokType::kName)
      throw EvalError("expected a name, got '" + Describe(Peek()) + "'", Peek().pos);
    return Next().text;
  }

 private:
  std::vector<Token> tokens_;
  std::size_t index_ = 0;
};

}  // namespace airbyte::declarative
