#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connectors/declarative/interpolation/value.h"

namespace airbyte::declarative {

/// What the builtins need from the outside world; the clock is injectable for tests.
struct EvalEnv {
  /// Current time in microseconds since the Unix epoch (UTC).
  std::function<std::int64_t()> now_micros;
  /// A random UUID4 string (generate_uuid()).
  std::function<std::string()> new_uuid;
};

/// Arguments of a macro, filter, test or method call.
struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keywords;

  /// The argument at `index` or named `name`; nullptr when absent.
  const Value* Get(std::size_t index, std::string_view name) const;
  /// Throws EvalError("<what>() takes at most N arguments") when there are more.
  void ExpectAtMost(std::size_t n, std::string_view what) const;
};

bool IsMacro(std::string_view name);
/// Throws EvalError for bad arguments, UndefinedError for Undefined inputs.
Value CallMacro(std::string_view name, const CallArgs& args, const EvalEnv& env);

bool IsFilter(std::string_view name);
Value CallFilter(std::string_view name, const Value& input, const CallArgs& args,
                 const EvalEnv& env);

bool IsTest(std::string_view name);
bool RunTest(std::string_view name, const Value& input, const CallArgs& args);

/// Python-style method `self.name(args)`: str, dict, list, datetime, date methods. A name the
/// type does not have raises UndefinedError (Jinja: calling an undefined attribute); a Python
/// method this interpreter lacks raises EvalError naming it.
Value CallMethod(const Value& self, std::string_view name, const CallArgs& args);

/// Python `str(v)` as a Jinja string argument would see it; Undefined raises UndefinedError.
std::string StrictStr(const Value& v, std::string_view what);

}  // namespace airbyte::declarative
