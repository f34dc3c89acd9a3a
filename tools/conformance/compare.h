#pragma once

/// Compares a conformance run with a case's expected outcome by the rules of
/// shared/conformance/README.md section 3.
///
/// Example:
///   conformance::Comparison result = conformance::Compare(expected, actual);
///   if (!result.ok()) for (const std::string& line : result.failures) std::cout << line;
///
/// Pure functions, thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "airbyte/json.h"
#include "outcome.h"

namespace airbyte::conformance {

struct Comparison {
  /// One readable paragraph per failed rule (first differing item, expected vs actual, counts).
  std::vector<std::string> failures = {};
  /// Differences the README calls informative or optional (LOG counts, intermediate STATE
  /// counts, reference-generated texts).
  std::vector<std::string> notes = {};

  bool ok() const { return failures.empty(); }
};

/// Compares `actual` with `expected`.
Comparison Compare(const Outcome& expected, const Outcome& actual);

/// JSON equality where object key order does not matter and numbers compare numerically
/// (5000 == 5000.0).
bool JsonEquivalent(const Json& a, const Json& b);

/// Where `actual` first differs from `expected` ("$.data.name: expected "a", got "b""), or
/// nullopt when they are equivalent.
std::optional<std::string> FirstDifference(const Json& expected, const Json& actual);

/// messages.txt parsed back into its parts.
struct MessagesSummary {
  struct ErrorLine {
    std::string failure_type = {};
    std::string stream = {};
    std::string text = {};
  };
  std::optional<int> exit_code = std::nullopt;
  /// TYPE -> n, sorted by TYPE.
  std::vector<std::pair<std::string, long>> counts = {};
  /// stream -> statuses in order, sorted by stream.
  std::vector<std::pair<std::string, std::vector<std::string>>> stream_statuses = {};
  std::optional<std::string> connection_status = std::nullopt;
  std::optional<std::string> connection_message = std::nullopt;
  std::vector<Json> control_configs = {};
  std::vector<ErrorLine> errors = {};
};

/// Parses messages.txt lines; unknown lines are ignored.
MessagesSummary ParseMessagesSummary(const std::vector<std::string>& lines);

}  // namespace airbyte::conformance
