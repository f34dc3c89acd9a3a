#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace airbyte::declarative {

/// Internal: a failure while evaluating a template (Python's TypeError/ValueError/...). The
/// Interpolator turns it into airbyte::Error naming the template and `pos`.
class EvalError : public std::runtime_error {
 public:
  static constexpr std::size_t kNoPos = static_cast<std::size_t>(-1);
  explicit EvalError(const std::string& what, std::size_t pos_in = kNoPos)
      : std::runtime_error(what), pos(pos_in) {}
  std::size_t pos;
};

/// Internal: an Undefined value was used in a way Jinja's default Undefined rejects (attribute
/// of undefined, arithmetic). The pipeline then falls back to the site's default (jinja.py).
class UndefinedError : public EvalError {
 public:
  using EvalError::EvalError;
};

/// Internal: Python's TypeError (an operand or argument of the wrong type). The CDK's jinja.py
/// catches TypeError around rendering and returns the template's own text instead, so such a
/// template evaluates to its source (a documented quirk manifests depend on).
class TypeError : public EvalError {
 public:
  using EvalError::EvalError;
};

}  // namespace airbyte::declarative
