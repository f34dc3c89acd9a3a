#pragma once

#include <optional>
#include <string_view>

#include "airbyte/json.h"

namespace airbyte::declarative {

/// Python's `ast.literal_eval` on rendered template text, as the CDK applies it: numbers
/// (`42`, `-3.5`, `1_000`, `0x1f`, `1e3`), strings in any quoting (incl. triple quotes and
/// adjacent-literal concatenation), True/False/None, lists, tuples and sets (as arrays), dicts
/// (non-string keys become their str()). Leading spaces/tabs are ignored; trailing whitespace
/// and `#` comments are allowed.
///
/// Returns nullopt when Python would raise ValueError/SyntaxError (not a literal, complex
/// number, name, operator) -- the caller then keeps the text. Integers beyond 64 bits (signed,
/// or unsigned for positives) also give nullopt (Python would return an int; we keep the text).
/// Throws EvalError where Python raises TypeError, which the CDK does not catch: a list or dict
/// as a dict key or set member.
std::optional<Json> LiteralEval(std::string_view text);

}  // namespace airbyte::declarative
