#include "connectors/declarative/interpolation/evaluator.h"

#include "connectors/declarative/interpolation/eval_error.h"
#include "connectors/declarative/interpolation/operators.h"

namespace airbyte::declarative {

std::string Evaluator::Render(const CompiledTemplate& tmpl) {
  std::string out;
  scopes_.clear();
  scopes_.emplace_back();
  Exec(tmpl.body, out);
  return out;
}

void Evaluator::Exec(const std::vector<Stmt>& body, std::string& out) {
  for (const Stmt& s : body) {
    switch (s.kind) {
      case Stmt::Kind::kText:
        out += s.text;
        break;
      case Stmt::Kind::kOutput:
        out += Str(Eval(*s.expr));
        break;
      case Stmt::Kind::kSet:
        scopes_.back()[s.targets[0]] = Eval(*s.expr);
        break;
      case Stmt::Kind::kIf: {
        std::size_t i = 0;
        for (; i < s.conditions.size(); ++i) {
          if (Truthy(Eval(*s.conditions[i]))) break;
        }
        if (i < s.bodies.size()) Exec(s.bodies[i], out);
        break;
      }
      case Stmt::Kind::kFor: {
        Value iterable = Eval(*s.expr);
        std::vector<Value> items;
        try {
          items = Iterate(iterable);
        } catch (EvalError& e) {
          if (e.pos == EvalError::kNoPos) e.pos = s.pos;
          throw;
        }
        std::vector<Value> selected;
        scopes_.emplace_back();
        auto bind = [&](const Value& item) {
          if (s.targets.size() == 1) {
            scopes_.back()[s.targets[0]] = item;
            return;
          }
          std::vector<Value> parts = Iterate(item);
          if (parts.size() != s.targets.size()) {
            throw EvalError("cannot unpack " + std::to_string(parts.size()) + " values into " +
                                std::to_string(s.targets.size()) + " loop variables",
                            s.pos);
          }
          for (std::size_t k = 0; k < parts.size(); ++k) scopes_.back()[s.targets[k]] = parts[k];
        };
        for (const Value& item : items) {
          bind(item);
          if (!s.filter || Truthy(Eval(*s.filter))) selected.push_back(item);
        }
        for (std::size_t i = 0; i < selected.size(); ++i) {
          bind(selected[i]);
          Json loop = {{"index", i + 1},
                       {"index0", i},
                       {"revindex", selected.size() - i},
                       {"revindex0", selected.size() - i - 1},
                       {"first", i == 0},
                       {"last", i + 1 == selected.size()},
                       {"length", selected.size()}};
          scopes_.back()["loop"] = Value(std::move(loop));
          Exec(s.bodies[0], out);
        }
        scopes_.pop_back();
        if (selected.empty() && s.bodies.size() > 1) Exec(s.bodies[1], out);
        break;
      }
    }
  }
}

Value Evaluator::Eval(const Expr& expr) {
  try {
    return EvalNode(expr);
  } catch (EvalError& e) {
    if (e.pos == EvalError::kNoPos) e.pos = expr.pos;
    throw;
  }
}

Value Evaluator::Lookup(const std::string& name) const {
  for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
    auto it = scope->find(name);
    if (it != scope->end()) return it->second;
  }
  if (context_.is_object()) {
    auto it = context_.find(name);
    if (it != context_.end()) return Value::Borrow(*it);
    // The CDK exposes stream_slice under these aliases too (jinja.py _ALIASES).
    if (name == "stream_partition" || name == "stream_interval") {
      auto slice = context_.find("stream_slice");
      if (slice != context_.end()) return Value::Borrow(*slice);
    }
  }
  return Value::Undefined("'" + name + "' is undefined");
}

CallArgs Evaluator::EvalArgs(const Expr& expr, std::size_t first) {
  CallArgs args;
  std::size_t n_keywords = expr.kwarg_names.size();
  std::size_t n_positional = expr.children.size() - first - n_keywords;
  for (std::size_t i = 0; i < n_positional; ++i)
    args.positional.push_back(Eval(*expr.children[first + i]));
  for (std::size_t i = 0; i < n_keywords; ++i) {
    args.keywords.emplace_back(expr.kwarg_names[i], Eval(*expr.children[first + n_positional + i]));
  }
  return args;
}

Value Evaluator::EvalCall(const Expr& expr) {
  const Expr& callee = *expr.children[0];
  if (callee.kind == Expr::Kind::kGetAttr) {
    Value self = Eval(*callee.children[0]);
    if (self.is_undefined()) throw UndefinedError(self.undefined_reason());
    // A mapping key holding a value is not callable; methods win only when no such key exists.
    CallArgs args = EvalArgs(expr, 1);
    return CallMethod(self, callee.name, args);
  }
  if (callee.kind == Expr::Kind::kName && IsMacro(callee.name)) {
    bool shadowed = false;
    for (const auto& scope : scopes_) shadowed = shadowed || scope.count(callee.name) > 0;
    if (!shadowed) return CallMacro(callee.name, EvalArgs(expr, 1), env_);
  }
  Value target = Eval(callee);
  if (target.is_undefined()) throw UndefinedError(target.undefined_reason());
  throw EvalError("'" + TypeName(target) + "' object is not callable");
}

bool Evaluator::CompareOp(const std::string& op, const Value& a, const Value& b) {
  if (op == "==") return Equal(a, b);
  if (op == "!=") return !Equal(a, b);
  if (op == "<") return Less(a, b);
  if (op == ">") return Less(b, a);
  if (op == "<=") return Less(a, b) || Equal(a, b);
  if (op == ">=") return Less(b, a) || Equal(a, b);
  if (op == "in") return Contains(b, a);
  return !Contains(b, a);  // notin
}

Value Evaluator::EvalNode(const Expr& expr) {
  switch (expr.kind) {
    case Expr::Kind::kLiteral:
      return expr.value.is_json() ? Value::Borrow(expr.value.json()) : expr.value;
    case Expr::Kind::kOmitted:
      return Json(nullptr);
    case Expr::Kind::kName:
      return Lookup(expr.name);
    case Expr::Kind::kList: {
      Json list = Json::array();
      for (const auto& child : expr.children) {
        Value v = Eval(*child);
        if (!v.is_json()) {
          throw EvalError("a " + TypeName(v) + " inside a list or dict literal is not supported");
        }
        list.push_back(v.json());
      }
      return list;
    }
    case Expr::Kind::kDict: {
      Json dict = Json::object();
      for (std::size_t i = 0; i + 1 < expr.children.size(); i += 2) {
        Value key = Eval(*expr.children[i]);
        Value v = Eval(*expr.children[i + 1]);
        if (!key.is_json() || key.json().is_structured())
          throw EvalError("unhashable type: '" + TypeName(key) + "'");
        if (!v.is_json())
          throw EvalError("a " + TypeName(v) + " inside a list or dict literal is not supported");
        dict[key.is_string() ? key.json().get<std::string>() : Str(key)] = v.json();
      }
      return dict;
    }
    case Expr::Kind::kGetAttr:
      return GetAttr(Eval(*expr.children[0]), expr.name);
    case Expr::Kind::kGetItem:
      return GetItem(Eval(*expr.children[0]), Eval(*expr.children[1]));
    case Expr::Kind::kSlice:
      return SliceOp(Eval(*expr.children[0]), Eval(*expr.children[1]), Eval(*expr.children[2]),
                     Eval(*expr.children[3]));
    case Expr::Kind::kCall:
      return EvalCall(expr);
    case Expr::Kind::kFilter: {
      Value input = Eval(*expr.children[0]);
      return CallFilter(expr.name, input, EvalArgs(expr, 1), env_);
    }
    case Expr::Kind::kTest: {
      Value input = Eval(*expr.children[0]);
      bool result = RunTest(expr.name, input, EvalArgs(expr, 1));
      return Json(expr.negate ? !result : result);
    }
    case Expr::Kind::kUnary: {
      Value v = Eval(*expr.children[0]);
      if (expr.name == "not") return Json(!Truthy(v));
      if (v.is_undefined()) throw UndefinedError(v.undefined_reason());
      if (!v.is_number())
        throw EvalError("bad operand type for unary " + expr.name + ": '" + TypeName(v) + "'");
      if (expr.name == "+") return v.json().is_boolean() ? Json(AsInt(v.json())) : v.json();
      if (v.is_integer()) return Json(-AsInt(v.json()));
      return Json(-AsDouble(v.json()));
    }
    case Expr::Kind::kBinary: {
      Value left = Eval(*expr.children[0]);
      if (expr.name == "and") return Truthy(left) ? Eval(*expr.children[1]) : left;
      if (expr.name == "or") return Truthy(left) ? left : Eval(*expr.children[1]);
      return BinaryOp(expr.name, left, Eval(*expr.children[1]));
    }
    case Expr::Kind::kCompare: {
      Value left = Eval(*expr.children[0]);
      for (std::size_t i = 0; i < expr.ops.size(); ++i) {
        Value right = Eval(*expr.children[i + 1]);
        if (!CompareOp(expr.ops[i], left, right)) return Json(false);
        left = std::move(right);
      }
      return Json(true);
    }
    case Expr::Kind::kCondition: {
      if (Truthy(Eval(*expr.children[0]))) return Eval(*expr.children[1]);
      if (expr.children.size() > 2) return Eval(*expr.children[2]);
      return Value::Undefined(
          "the inline if-expression on line 1 evaluated to false and no else section was defined.");
    }
  }
  throw EvalError("unknown expression node");
}

}  // namespace airbyte::declarative
