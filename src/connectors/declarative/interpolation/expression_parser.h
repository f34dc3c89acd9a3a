#pragma once

#include <memory>
#include <set>
#include <string>

#include "connectors/declarative/interpolation/template_ast.h"
#include "connectors/declarative/interpolation/token_cursor.h"

namespace airbyte::declarative {

/// Parses Jinja expressions with Jinja's precedence (condexpr, or, and, not, comparisons,
/// + -, ~, * / // %, **, unary, then postfix `.attr`, `[i]`, `[a:b]`, calls, `|filter`,
/// `is test`). Records every variable name it reads in `loaded_names`. Throws EvalError with
/// the offending token's position.
class ExpressionParser {
 public:
  using ExprPtr = std::unique_ptr<Expr>;
  using TokType = Token::Type;

  ExpressionParser(TokenCursor& cursor, std::set<std::string>& loaded_names)
      : cursor_(cursor), loaded_names_(loaded_names) {}

  /// expression [, expression]* (a tuple, as a list, when commas appear).
  ExprPtr ParseTuple();
  ExprPtr ParseExpression() { return ParseCondition(true); }
  /// `allow_condexpr` false: no trailing `x if c else y` (for-loop iterables).
  ExprPtr ParseCondition(bool allow_condexpr);

 private:
  ExprPtr Binary(std::string op, std::size_t pos, ExprPtr left, ExprPtr right);
  ExprPtr ParseOr();
  ExprPtr ParseAnd();
  ExprPtr ParseNot();
  ExprPtr ParseCompare();
  ExprPtr ParseMath1();
  ExprPtr ParseConcat();
  ExprPtr ParseMath2();
  ExprPtr ParsePow();
  ExprPtr ParseUnary(bool with_filter);
  ExprPtr ParsePrimary();
  ExprPtr ParsePostfix(ExprPtr node);
  ExprPtr ParseSubscript(ExprPtr node);
  void ParseArgs(Expr& e);
  ExprPtr ParseCall(ExprPtr callee);
  ExprPtr ParseFilterExpr(ExprPtr node);

  const Token& Peek(std::size_t ahead = 0) const { return cursor_.Peek(ahead); }
  const Token& Next() { return cursor_.Next(); }
  bool IsOp(std::string_view op, std::size_t ahead = 0) const { return cursor_.IsOp(op, ahead); }
  bool IsName(std::string_view name, std::size_t ahead = 0) const {
    return cursor_.IsName(name, ahead);
  }
  void ExpectOp(std::string_view op) { cursor_.ExpectOp(op); }
  std::string ExpectName() { return cursor_.ExpectName(); }
  static std::string Describe(const Token& t) { return TokenCursor::Describe(t); }

  TokenCursor& cursor_;
  std::set<std::string>& loaded_names_;
};

}  // namespace airbyte::declarative
