#include "connectors/declarative/interpolation/template_parser.h"

#include <algorithm>
#include <set>

#include "connectors/declarative/interpolation/builtins.h"
#include "connectors/declarative/interpolation/eval_error.h"
#include "connectors/declarative/interpolation/expression_parser.h"
#include "connectors/declarative/interpolation/template_lexer.h"
#include "connectors/declarative/interpolation/token_cursor.h"

namespace airbyte::declarative {

namespace {

using TokType = Token::Type;

// Statements: text, {{ }}, {% if %}, {% for %}, {% set %}; expressions go to ExpressionParser.
class Parser {
 public:
  explicit Parser(std::vector<Token> tokens)
      : cursor_(std::move(tokens)), exprs_(cursor_, loaded_names) {}

  std::set<std::string> assigned_names;
  std::set<std::string> loaded_names;

  std::vector<Stmt> ParseBody(const std::vector<std::string>& end_tags, std::string* ended_by) {
    std::vector<Stmt> body;
    while (true) {
      const Token& t = Peek();
      if (t.type == TokType::kEof) {
        if (!end_tags.empty()) {
          std::string tags;
          for (const std::string& tag : end_tags)
            tags += (tags.empty() ? "'" : " or '") + tag + "'";
          throw EvalError(
              "Unexpected end of template. Jinja was looking for the following tags: " + tags + ".",
              t.pos);
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
        s.expr = exprs_.ParseTuple();
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

 private:
  const Token& Peek(std::size_t ahead = 0) const { return cursor_.Peek(ahead); }
  const Token& Next() { return cursor_.Next(); }
  bool IsOp(std::string_view op) const { return cursor_.IsOp(op); }
  bool IsName(std::string_view name) const { return cursor_.IsName(name); }
  void Expect(TokType type, std::string_view what) { cursor_.Expect(type, what); }
  std::string ExpectName() { return cursor_.ExpectName(); }

  Stmt ParseStatement() {
    const Token& tag = Next();
    Stmt s;
    s.pos = tag.pos;
    if (tag.text == "if") {
      s.kind = Stmt::Kind::kIf;
      s.conditions.push_back(exprs_.ParseExpression());
      Expect(TokType::kBlockEnd, "'%}'");
      while (true) {
        std::string ended;
        s.bodies.push_back(ParseBody({"elif", "else", "endif"}, &ended));
        if (ended == "endif") break;
        if (ended == "elif") {
          s.conditions.push_back(exprs_.ParseExpression());
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
      s.expr = exprs_.ParseCondition(/*allow_condexpr=*/false);
      if (IsName("if")) {
        Next();
        s.filter = exprs_.ParseExpression();
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
      if (!IsOp("="))
        throw EvalError("block `{% set %}` is not supported, use `{% set x = ... %}`", Peek().pos);
      Next();
      s.expr = exprs_.ParseTuple();
      Expect(TokType::kBlockEnd, "'%}'");
    } else {
      throw EvalError("Encountered unknown tag '" + tag.text + "'", tag.pos);
    }
    return s;
  }

  TokenCursor cursor_;
  ExpressionParser exprs_;
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
    if (parser.assigned_names.count(name) == 0 && !IsMacro(name))
      compiled->free_names.push_back(name);
  }
  return compiled;
}

}  // namespace airbyte::declarative
