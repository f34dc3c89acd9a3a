#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "connectors/declarative/interpolation/value.h"

namespace airbyte::declarative {

/// One expression node of a compiled template. `pos` is the byte offset in the template text.
struct Expr {
  enum class Kind {
    kLiteral,    // value
    kName,       // name
    kList,       // children
    kDict,       // children: key, value, key, value, ...
    kGetAttr,    // children[0].name
    kGetItem,    // children[0][children[1]]
    kSlice,      // children[0][children[1]:children[2]:children[3]] (kNone children = omitted)
    kCall,       // children[0](children[1..]); kwarg_names for the trailing keyword args
    kFilter,     // children[0] | name(children[1..])
    kTest,       // children[0] is [not] name(children[1..]); negate
    kUnary,      // op children[0]: "-", "+", "not"
    kBinary,     // children[0] op children[1]: + - * / // % ** ~ and or
    kCompare,    // children[0] (ops[i] children[i+1])...: == != < <= > >= in notin
    kCondition,  // children[1] if children[0] else children[2] (missing else: children.size()==2)
    kOmitted,    // an omitted slice bound
  };
  Kind kind = Kind::kLiteral;
  std::size_t pos = 0;
  std::string name;                      // kName, kGetAttr, kFilter, kTest, operators
  Value value;                           // kLiteral
  bool negate = false;                   // kTest
  std::vector<std::string> ops;          // kCompare
  std::vector<std::string> kwarg_names;  // kCall/kFilter/kTest: names of the last N args
  std::vector<std::unique_ptr<Expr>> children;
};

/// One statement of a compiled template.
struct Stmt {
  enum class Kind { kText, kOutput, kIf, kFor, kSet };
  Kind kind = Kind::kText;
  std::size_t pos = 0;
  std::string text;                               // kText
  std::unique_ptr<Expr> expr;                     // kOutput, kFor (iterable), kSet
  std::vector<std::unique_ptr<Expr>> conditions;  // kIf: if/elif conditions
  std::vector<std::vector<Stmt>> bodies;  // kIf: one per condition (+ else); kFor: body, else
  std::vector<std::string> targets;       // kFor loop variables, kSet name
  std::unique_ptr<Expr> filter;           // kFor `if` clause (optional)
};

/// A parsed template: its statements and the top-level names it reads from the context.
struct CompiledTemplate {
  std::string source;
  std::vector<Stmt> body;
  std::vector<std::string> free_names;
  bool is_plain = false;  // no `{{`, `{%` or `{#`: renders to itself
};

}  // namespace airbyte::declarative
