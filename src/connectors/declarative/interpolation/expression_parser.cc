#include "connectors/declarative/interpolation/expression_parser.h"

#include "connectors/declarative/interpolation/builtins.h"

namespace airbyte::declarative {

namespace {

std::unique_ptr<Expr> MakeExpr(Expr::Kind kind, std::size_t pos) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->pos = pos;
  return e;
}

}  // namespace

ExpressionParser::ExprPtr ExpressionParser::ParseTuple() {
  std::size_t pos = Peek().pos;
  ExprPtr first = ParseExpression();
  if (!IsOp(",")) return first;
  auto list = MakeExpr(Expr::Kind::kList, pos);
  list->children.push_back(std::move(first));
  while (IsOp(",")) {
    Next();
    if (Peek().type == TokType::kVarEnd || Peek().type == TokType::kBlockEnd) break;
    list->children.push_back(ParseExpression());
  }
  return list;
}

ExpressionParser::ExprPtr ExpressionParser::ParseCondition(bool allow_condexpr) {
  ExprPtr expr = ParseOr();
  while (allow_condexpr && IsName("if")) {
    std::size_t pos = Next().pos;
    auto cond = MakeExpr(Expr::Kind::kCondition, pos);
    cond->children.push_back(ParseOr());
    cond->children.push_back(std::move(expr));
    if (IsName("else")) {
      Next();
      cond->children.push_back(ParseCondition(true));
    }
    expr = std::move(cond);
  }
  return expr;
}

ExpressionParser::ExprPtr ExpressionParser::Binary(std::string op, std::size_t pos, ExprPtr left,
                                                   ExprPtr right) {
  auto e = MakeExpr(Expr::Kind::kBinary, pos);
  e->name = std::move(op);
  e->children.push_back(std::move(left));
  e->children.push_back(std::move(right));
  return e;
}

ExpressionParser::ExprPtr ExpressionParser::ParseOr() {
  ExprPtr left = ParseAnd();
  while (IsName("or")) {
    std::size_t pos = Next().pos;
    left = Binary("or", pos, std::move(left), ParseAnd());
  }
  return left;
}
ExpressionParser::ExprPtr ExpressionParser::ParseAnd() {
  ExprPtr left = ParseNot();
  while (IsName("and")) {
    std::size_t pos = Next().pos;
    left = Binary("and", pos, std::move(left), ParseNot());
  }
  return left;
}
ExpressionParser::ExprPtr ExpressionParser::ParseNot() {
  if (IsName("not")) {
    auto e = MakeExpr(Expr::Kind::kUnary, Next().pos);
    e->name = "not";
    e->children.push_back(ParseNot());
    return e;
  }
  return ParseCompare();
}
ExpressionParser::ExprPtr ExpressionParser::ParseCompare() {
  std::size_t pos = Peek().pos;
  ExprPtr first = ParseMath1();
  ExprPtr cmp;
  while (true) {
    std::string op;
    if (Peek().type == TokType::kOperator &&
        (Peek().text == "==" || Peek().text == "!=" || Peek().text == "<" || Peek().text == "<=" ||
         Peek().text == ">" || Peek().text == ">=")) {
      op = Next().text;
    } else if (IsName("in")) {
      Next();
      op = "in";
    } else if (IsName("not") && IsName("in", 1)) {
      Next();
      Next();
      op = "notin";
    } else {
      break;
    }
    if (!cmp) {
      cmp = MakeExpr(Expr::Kind::kCompare, pos);
      cmp->children.push_back(std::move(first));
    }
    cmp->ops.push_back(op);
    cmp->children.push_back(ParseMath1());
  }
  return cmp ? std::move(cmp) : std::move(first);
}
ExpressionParser::ExprPtr ExpressionParser::ParseMath1() {
  ExprPtr left = ParseConcat();
  while (IsOp("+") || IsOp("-")) {
    const Token& op = Next();
    left = Binary(op.text, op.pos, std::move(left), ParseConcat());
  }
  return left;
}
ExpressionParser::ExprPtr ExpressionParser::ParseConcat() {
  ExprPtr left = ParseMath2();
  while (IsOp("~")) {
    std::size_t pos = Next().pos;
    left = Binary("~", pos, std::move(left), ParseMath2());
  }
  return left;
}
ExpressionParser::ExprPtr ExpressionParser::ParseMath2() {
  ExprPtr left = ParsePow();
  while (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%")) {
    const Token& op = Next();
    left = Binary(op.text, op.pos, std::move(left), ParsePow());
  }
  return left;
}
ExpressionParser::ExprPtr ExpressionParser::ParsePow() {
  ExprPtr left = ParseUnary(true);
  while (IsOp("**")) {
    std::size_t pos = Next().pos;
    left = Binary("**", pos, std::move(left), ParseUnary(true));
  }
  return left;
}
ExpressionParser::ExprPtr ExpressionParser::ParseUnary(bool with_filter) {
  ExprPtr node;
  if (IsOp("-") || IsOp("+")) {
    const Token& op = Next();
    node = MakeExpr(Expr::Kind::kUnary, op.pos);
    node->name = op.text;
    node->children.push_back(ParseUnary(false));
  } else {
    node = ParsePostfix(ParsePrimary());
  }
  return with_filter ? ParseFilterExpr(std::move(node)) : std::move(node);
}

ExpressionParser::ExprPtr ExpressionParser::ParsePrimary() {
  const Token& t = Next();
  switch (t.type) {
    case TokType::kName: {
      if (t.text == "True" || t.text == "true" || t.text == "False" || t.text == "false") {
        auto e = MakeExpr(Expr::Kind::kLiteral, t.pos);
        e->value = Json(t.text == "True" || t.text == "true");
        return e;
      }
      if (t.text == "None" || t.text == "none") {
        auto e = MakeExpr(Expr::Kind::kLiteral, t.pos);
        e->value = Json(nullptr);
        return e;
      }
      auto e = MakeExpr(Expr::Kind::kName, t.pos);
      e->name = t.text;
      loaded_names_.insert(t.text);
      return e;
    }
    case TokType::kString: {
      std::string text = t.text;
      while (Peek().type == TokType::kString) text += Next().text;  // adjacent literals
      auto e = MakeExpr(Expr::Kind::kLiteral, t.pos);
      e->value = Json(std::move(text));
      return e;
    }
    case TokType::kInteger: {
      auto e = MakeExpr(Expr::Kind::kLiteral, t.pos);
      try {
        e->value = Json(static_cast<std::int64_t>(std::stoll(t.text)));
      } catch (const std::out_of_range&) {
        throw EvalError("integer literal too large: " + t.text, t.pos);
      }
      return e;
    }
    case TokType::kFloat: {
      auto e = MakeExpr(Expr::Kind::kLiteral, t.pos);
      e->value = Json(std::strtod(t.text.c_str(), nullptr));
      return e;
    }
    case TokType::kOperator:
      if (t.text == "(") {
        if (IsOp(")")) {
          Next();
          return MakeExpr(Expr::Kind::kList, t.pos);
        }
        ExprPtr inner = ParseExpression();
        if (IsOp(",")) {
          auto list = MakeExpr(Expr::Kind::kList, t.pos);
          list->children.push_back(std::move(inner));
          while (IsOp(",")) {
            Next();
            if (IsOp(")")) break;
            list->children.push_back(ParseExpression());
          }
          inner = std::move(list);
        }
        ExpectOp(")");
        return inner;
      }
      if (t.text == "[") {
        auto list = MakeExpr(Expr::Kind::kList, t.pos);
        while (!IsOp("]")) {
          list->children.push_back(ParseExpression());
          if (!IsOp(",")) break;
          Next();
        }
        ExpectOp("]");
        return list;
      }
      if (t.text == "{") {
        auto dict = MakeExpr(Expr::Kind::kDict, t.pos);
        while (!IsOp("}")) {
          dict->children.push_back(ParseExpression());
          ExpectOp(":");
          dict->children.push_back(ParseExpression());
          if (!IsOp(",")) break;
          Next();
        }
        ExpectOp("}");
        return dict;
      }
      break;
    default:
      break;
  }
  throw EvalError("unexpected '" + Describe(t) + "'", t.pos);
}

ExpressionParser::ExprPtr ExpressionParser::ParsePostfix(ExprPtr node) {
  while (true) {
    if (IsOp(".")) {
      std::size_t pos = Next().pos;
      const Token& t = Next();
      if (t.type != TokType::kName && t.type != TokType::kInteger) {
        throw EvalError("expected name or number after '.'", t.pos);
      }
      if (t.type == TokType::kInteger) {
        auto e = MakeExpr(Expr::Kind::kGetItem, pos);
        auto index = MakeExpr(Expr::Kind::kLiteral, t.pos);
        index->value = Json(static_cast<std::int64_t>(std::stoll(t.text)));
        e->children.push_back(std::move(node));
        e->children.push_back(std::move(index));
        node = std::move(e);
        continue;
      }
      auto e = MakeExpr(Expr::Kind::kGetAttr, pos);
      e->name = t.text;
      e->children.push_back(std::move(node));
      node = std::move(e);
    } else if (IsOp("[")) {
      node = ParseSubscript(std::move(node));
    } else if (IsOp("(")) {
      node = ParseCall(std::move(node));
    } else {
      return node;
    }
  }
}

ExpressionParser::ExprPtr ExpressionParser::ParseSubscript(ExprPtr node) {
  std::size_t pos = Next().pos;  // [
  std::vector<ExprPtr> parts(1);
  bool slice = false;
  while (!IsOp("]")) {
    if (IsOp(":")) {
      Next();
      slice = true;
      if (parts.size() == 3) throw EvalError("invalid slice", pos);
      parts.emplace_back();
      continue;
    }
    if (parts.back()) throw EvalError("expected ']'", Peek().pos);
    parts.back() = ParseExpression();
  }
  Next();
  if (!slice) {
    if (!parts[0]) throw EvalError("expected an index", pos);
    auto e = MakeExpr(Expr::Kind::kGetItem, pos);
    e->children.push_back(std::move(node));
    e->children.push_back(std::move(parts[0]));
    return e;
  }
  auto e = MakeExpr(Expr::Kind::kSlice, pos);
  e->children.push_back(std::move(node));
  parts.resize(3);
  for (ExprPtr& p : parts)
    e->children.push_back(p ? std::move(p) : MakeExpr(Expr::Kind::kOmitted, pos));
  return e;
}

// Arguments after '(' up to ')' into `e` (children after the first, kwarg_names).
void ExpressionParser::ParseArgs(Expr& e) {
  ExpectOp("(");
  while (!IsOp(")")) {
    if (Peek().type == TokType::kName && IsOp("=", 1)) {
      e.kwarg_names.push_back(Next().text);
      Next();
      e.children.push_back(ParseExpression());
    } else {
      if (!e.kwarg_names.empty())
        throw EvalError("positional argument follows keyword argument", Peek().pos);
      e.children.push_back(ParseExpression());
    }
    if (!IsOp(",")) break;
    Next();
  }
  ExpectOp(")");
}

ExpressionParser::ExprPtr ExpressionParser::ParseCall(ExprPtr callee) {
  auto e = MakeExpr(Expr::Kind::kCall, Peek().pos);
  e->children.push_back(std::move(callee));
  ParseArgs(*e);
  return e;
}

ExpressionParser::ExprPtr ExpressionParser::ParseFilterExpr(ExprPtr node) {
  while (true) {
    if (IsOp("|")) {
      Next();
      const Token& name = Peek();
      std::string filter = ExpectName();
      while (IsOp(".")) {  // dotted filter names
        Next();
        filter += "." + ExpectName();
      }
      if (!IsFilter(filter)) throw EvalError("No filter named '" + filter + "'.", name.pos);
      auto e = MakeExpr(Expr::Kind::kFilter, name.pos);
      e->name = filter;
      e->children.push_back(std::move(node));
      if (IsOp("(")) ParseArgs(*e);
      node = std::move(e);
    } else if (IsName("is")) {
      Next();
      auto e = MakeExpr(Expr::Kind::kTest, Peek().pos);
      if (IsName("not")) {
        Next();
        e->negate = true;
      }
      const Token& name = Peek();
      std::string test = name.type == TokType::kOperator ? Next().text : ExpectName();
      if (!IsTest(test)) throw EvalError("No test named '" + test + "'.", name.pos);
      e->name = test;
      e->children.push_back(std::move(node));
      if (IsOp("(")) {
        ParseArgs(*e);
      } else if ((Peek().type == TokType::kName && !IsName("else") && !IsName("or") &&
                  !IsName("and") && !IsName("if") && !IsName("in") && !IsName("is") &&
                  !IsName("not")) ||
                 Peek().type == TokType::kString || Peek().type == TokType::kInteger ||
                 Peek().type == TokType::kFloat || IsOp("[") || IsOp("{") || IsOp("-")) {
        e->children.push_back(ParsePostfix(ParsePrimary()));
      }
      node = std::move(e);
    } else if (IsOp("(")) {
      node = ParseCall(std::move(node));
    } else {
      return node;
    }
  }
}

std::vector<Token> tokens_;
std::size_t index_ = 0;

}  // namespace airbyte::declarative
