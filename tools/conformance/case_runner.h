#pragma once

/// Runs one conformance case (shared/conformance/README.md) in-process: starts the replay
/// server with the case's routes, builds the declarative connector from the case's manifest
/// with a frozen clock, URL rewriting to the replay server and a no-op sleeper, runs the
/// command through NativeConnector and returns the expected and the actual outcome.
///
/// Example:
///   for (const auto& dir : conformance::FindCases(root)) {
///     conformance::CaseResult result = conformance::RunCase(dir, {});
///     conformance::Comparison diff = conformance::Compare(result.expected, result.actual);
///   }
///
/// RunCase() throws Error(kInput) for a case it cannot load (bad case.json, manifest not
/// found); failures of the engine itself are part of the actual outcome (exit code 1).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "outcome.h"

namespace airbyte::conformance {

struct CaseOptions {
  /// Root for manifests given as `<connector>/manifest.yaml`.
  std::filesystem::path manifests_root = {};
  /// The `shared/` folder that contains `conformance/`; empty: found by walking up from the
  /// case directory.
  std::filesystem::path shared_dir = {};
};

struct CaseResult {
  /// "<connector>/<case-name>".
  std::string name = {};
  Outcome expected = {};
  Outcome actual = {};
  /// What the command threw, if anything (a failed read's Error included).
  std::optional<std::string> exception = std::nullopt;
};

/// Case directories under `root` (itself when it holds case.json), sorted.
std::vector<std::filesystem::path> FindCases(const std::filesystem::path& root);

/// The nearest ancestor of `start` (or `start` itself) that contains a `conformance/` folder.
std::optional<std::filesystem::path> FindSharedDir(const std::filesystem::path& start);

/// Microseconds since the Unix epoch of an ISO-8601 instant ("2024-06-30T12:00:00Z",
/// fractions and +hh:mm offsets accepted). Throws Error(kInput) for other text.
std::int64_t ParseInstantMicros(const std::string& text);

/// `url` redirected to `base_url` (keeping its whole path and query) when it starts with one
/// of `prefixes`; nullopt otherwise.
std::optional<std::string> RewriteUrl(const std::string& url,
                                      const std::vector<std::string>& prefixes,
                                      const std::string& base_url);

/// Runs the case in `case_dir`.
CaseResult RunCase(const std::filesystem::path& case_dir, const CaseOptions& options);

}  // namespace airbyte::conformance
