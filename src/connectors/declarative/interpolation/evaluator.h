#pragma once

#include <map>
#include <string>
#include <vector>

#include "connectors/declarative/interpolation/builtins.h"
#include "connectors/declarative/interpolation/template_ast.h"

namespace airbyte::declarative {

/// Renders one compiled template against one context (a JSON object of top-level variables).
/// Short-lived: one per render; the context, template and env must outlive it. Not
/// thread-safe (holds the local scopes); create one per thread and render.
class Evaluator {
 public:
  Evaluator(const Json& context, const EvalEnv& env) : context_(context), env_(env) {}

  /// Throws EvalError (position set) or UndefinedError.
  std::string Render(const CompiledTemplate& tmpl);

  /// Evaluates one expression to a value (used by tests and by Render).
  Value Eval(const Expr& expr);

 private:
  void Exec(const std::vector<Stmt>& body, std::string& out);
  Value EvalNode(const Expr& expr);
  Value Lookup(const std::string& name) const;
  Value EvalCall(const Expr& expr);
  CallArgs EvalArgs(const Expr& expr, std::size_t first);
  bool CompareOp(const std::string& op, const Value& a, const Value& b);

  const Json& context_;
  const EvalEnv& env_;
  std::vector<std::map<std::string, Value, std::less<>>> scopes_;
};

}  // namespace airbyte::declarative
