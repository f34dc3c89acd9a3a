#include "declarative/template_parser.h"

#include <algorithm>
#include <set>

#include "declarative/builtins.h"
#include "declarative/eval_error.h"
#include "declarative/template_lexer.h"

namespace airbyte::declarative {

namespace {

using ExprPtr = std::unique_ptr<Expr>;
using TokType = Token::Type;

ExprPtr MakeExpr(Expr::Kind kind, std::size_t pos) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->pos = pos;
  return e;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  std::vector<Stmt> ParseBody(const std::vector<std::string>& end_tags, std::string* ended_by) {
    std::vector<Stmt> body;
    while (true) {
      const Token& t = Peek();
      if (t.type == TokType::kEof) {
        if (!end_tags.empty()) {
          std::string tags;
          for (const std::string& tag : end_tags) tags += (tags.empty() ? "'" : " or '") + tag + "'";
          throw EvalError("Unexpected end of template. Jinja was looking for the following tags: " + tags + ".", t.pos);
        }
        return body;
      }
      if (t.type == TokType::kText) {
        Stmt s;
        s.kind = Stmt::Kind::kText;
        s.pos = t.pos;
        s.text = Next().text;
        body.push_back(std::move(s));
      } else if (t.type == TokType::kVarBegin) {
        Next();
        Stmt s;
        s.kind = Stmt::Kind::kOutput;
        s.pos = t.pos;
        s.expr = ParseTuple();
        Expect(TokType::kVarEnd, "end of print statement");
        body.push_back(std::move(s));
      } else {
        Next();  // {%
        const Token& tag = Peek();
        if (tag.type != TokType::kName) throw EvalError("tag name expected", tag.pos);
        if (std::find(end_tags.begin(), end_tags.end(), tag.text) != end_tags.end()) {
          *ended_by = Next().text;
          return body;
        }
        body.push_back(ParseStatement());
      }
    }
  }

  void ExpectEof() {
    if (Peek().type != TokType::kEof) throw EvalError("unexpected token", Peek().pos);
  }

  std::set<std::string> assigned_names;
  std::set<std::string> loaded_names;

 private:
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
      throw EvalError("expected token '" + std::string(op) + "', got '" + Describe(Peek()) + "'", Peek().pos);
    }
    Next();
  }
  void Expect(TokType type, std::string_view what) {
    if (Peek().type != type) {
      throw EvalError("expected " + std::string(what) + ", got '" + Describe(Peek()) + "'", Peek().pos);
    }
    Next();
  }
  static std::string Describe(const Token& t) {
    switch (t.type) {
      case TokType::kEof: return "end of template";
      case TokType::kVarEnd: return "}}";
      case TokType::kBlockEnd: return "%}";
      default: return t.text;
    }
  }
  std::string ExpectName() {
    if (Peek().type != TokType::kName) throw EvalError("expected a name, got '" + Describe(Peek()) + "'", Peek().pos);
    return Next().text;
  }

  Stmt ParseStatement() {
    const Token& tag = Next();
    Stmt s;
    s.pos = tag.pos;
    if (tag.text == "if") {
      s.kind = Stmt::Kind::kIf;
      s.conditions.push_back(ParseExpression());
      Expect(TokType::kBlockEnd, "'%}'");
      while (true) {
        std::string ended;
        s.bodies.push_back(ParseBody({"elif", "else", "endif"}, &ended));
        if (ended == "endif") break;
        if (ended == "elif") {
          s.conditions.push_back(ParseExpression());
          Expect(TokType::kBlockEnd, "'%}'");
        } else {
          Expect(TokType::kBlockEnd, "'%}'");
          s.bodies.push_back(ParseBody({"endif"}, &ended));
          break;
        }
      }
      Expect(TokType::kBlockEnd, "'%}'");
    } else if (tag.text == "for") {
      s.kind = Stmt::Kind::kFor;
      do {
        s.targets.push_back(ExpectName());
        assigned_names.insert(s.targets.back());
      } while (IsOp(",") && Next().type == TokType::kOperator);
      if (!IsName("in")) throw EvalError("expected 'in' in for loop", Peek().pos);
      Next();
      s.expr = ParseCondition(/*allow_condexpr=*/false);
      if (IsName("if")) {
        Next();
        s.filter = ParseExpression();
      }
      Expect(TokType::kBlockEnd, "'%}'");
      assigned_names.insert("loop");
      std::string ended;
      s.bodies.push_back(ParseBody({"else", "endfor"}, &ended));
      if (ended == "else") {
        Expect(TokType::kBlockEnd, "'%}'");
        s.bodies.push_back(ParseBody({"endfor"}, &ended));
      }
      Expect(TokType::kBlockEnd, "'%}'");
    } else if (tag.text == "set") {
      s.kind = Stmt::Kind::kSet;
      s.targets.push_back(ExpectName());
      assigned_names.insert(s.targets.back());
      if (!IsOp("=")) throw EvalError("block `{% set %}` is not supported, use `{% set x = ... %}`", Peek().pos);
      Next();
      s.expr = ParseTuple();
      Expect(TokType::kBlockEnd, "'%}'");
    } else {
      throw EvalError("Encountered unknown tag '" + tag.text + "'", tag.pos);
    }
    return s;
  }

  // expression [, expression]* -> a tuple (list) when commas appear.
  ExprPtr ParseTuple() {
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

  ExprPtr ParseExpression() { return ParseCondition(true); }

  ExprPtr ParseCondition(bool allow_condexpr) {
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

  ExprPtr Binary(std::string op, std::size_t pos, ExprPtr left, ExprPtr right) {
    auto e = MakeExpr(Expr::Kind::kBinary, pos);
    e->name = std::move(op);
    e->children.push_back(std::move(left));
    e->children.push_back(std::move(right));
    return e;
  }

  ExprPtr ParseOr() {
    ExprPtr left = ParseAnd();
    while (IsName("or")) {
      std::size_t pos = Next().pos;
      left = Binary("or", pos, std::move(left), ParseAnd());
    }
    return left;
  }
  ExprPtr ParseAnd() {
    ExprPtr left = ParseNot();
    while (IsName("and")) {
      std::size_t pos = Next().pos;
      left = Binary("and", pos, std::move(left), ParseNot());
    }
    return left;
  }
  ExprPtr ParseNot() {
    if (IsName("not")) {
      auto e = MakeExpr(Expr::Kind::kUnary, Next().pos);
      e->name = "not";
      e->children.push_back(ParseNot());
      return e;
    }
    return ParseCompare();
  }
  ExprPtr ParseCompare() {
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
  ExprPtr ParseMath1() {
    ExprPtr left = ParseConcat();
    while (IsOp("+") || IsOp("-")) {
      const Token& op = Next();
      left = Binary(op.text, op.pos, std::move(left), ParseConcat());
    }
    return left;
  }
  ExprPtr ParseConcat() {
    ExprPtr left = ParseMath2();
    while (IsOp("~")) {
      std::size_t pos = Next().pos;
      left = Binary("~", pos, std::move(left), ParseMath2());
    }
    return left;
  }
  ExprPtr ParseMath2() {
    ExprPtr left = ParsePow();
    while (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%")) {
      const Token& op = Next();
      left = Binary(op.text, op.pos, std::move(left), ParsePow());
    }
    return left;
  }
  ExprPtr ParsePow() {
    ExprPtr left = ParseUnary(true);
    while (IsOp("**")) {
      std::size_t pos = Next().pos;
      left = Binary("**", pos, std::move(left), ParseUnary(true));
    }
    return left;
  }
  ExprPtr ParseUnary(bool with_filter) {
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

  ExprPtr ParsePrimary() {
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
        loaded_names.insert(t.text);
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
      default: break;
    }
    throw EvalError("unexpected '" + Describe(t) + "'", t.pos);
  }

  ExprPtr ParsePostfix(ExprPtr node) {
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

  ExprPtr ParseSubscript(ExprPtr node) {
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
    for (ExprPtr& p : parts) e->children.push_back(p ? std::move(p) : MakeExpr(Expr::Kind::kOmitted, pos));
    return e;
  }

  // Arguments after '(' up to ')' into `e` (children after the first, kwarg_names).
  void ParseArgs(Expr& e) {
    ExpectOp("(");
    while (!IsOp(")")) {
      if (Peek().type == TokType::kName && IsOp("=", 1)) {
        e.kwarg_names.push_back(Next().text);
        Next();
        e.children.push_back(ParseExpression());
      } else {
        if (!e.kwarg_names.empty()) throw EvalError("positional argument follows keyword argument", Peek().pos);
        e.children.push_back(ParseExpression());
      }
      if (!IsOp(",")) break;
      Next();
    }
    ExpectOp(")");
  }

  ExprPtr ParseCall(ExprPtr callee) {
    auto e = MakeExpr(Expr::Kind::kCall, Peek().pos);
    e->children.push_back(std::move(callee));
    ParseArgs(*e);
    return e;
  }

  ExprPtr ParseFilterExpr(ExprPtr node) {
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
        } else if ((Peek().type == TokType::kName && !IsName("else") && !IsName("or") && !IsName("and") &&
                    !IsName("if") && !IsName("in") && !IsName("is") && !IsName("not")) ||
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
};

}  // namespace

std::unique_ptr<CompiledTemplate> ParseTemplate(std::string_view source) {
  auto compiled = std::make_unique<CompiledTemplate>();
  compiled->source = std::string(source);
  compiled->is_plain = source.find("{{") == std::string_view::npos &&
                       source.find("{%") == std::string_view::npos &&
                       source.find("{#") == std::string_view::npos;
  Parser parser(TokenizeTemplate(source));
  std::string unused;
  compiled->body = parser.ParseBody({}, &unused);
  parser.ExpectEof();
  for (const std::string& name : parser.loaded_names) {
    if (parser.assigned_names.count(name) == 0 && !IsMacro(name)) compiled->free_names.push_back(name);
  }
  return compiled;
}

}  // namespace airbyte::declarative
