#pragma once

/// What a conformance case produced, in the file formats of shared/conformance/README.md
/// section 2: the `expected/` folder of a case, or the same built from a run's messages.
///
/// Example:
///   conformance::Outcome expected = conformance::LoadOutcome(case_dir / "expected");
///   conformance::Outcome actual =
///       conformance::OutcomeFromRun(exit_code, sink.messages, server.Requests());
///
/// Pure functions; LoadOutcome() throws Error(kIo) for unreadable files and Error(kInput) for
/// lines that are not JSON.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "airbyte/json.h"
#include "protocol/message.h"

namespace airbyte::conformance {

struct Outcome {
  /// records.jsonl: {"stream", "data"} per RECORD, grouped by stream.
  std::vector<Json> records = {};
  /// state.jsonl: each STATE message's state object, grouped by stream.
  std::vector<Json> states = {};
  /// requests.jsonl: {"method", "path", "query", "headers", "body"} per request, in order.
  std::vector<Json> requests = {};
  /// messages.txt, one entry per line.
  std::vector<std::string> messages = {};
  /// catalog.json (discover cases only).
  std::optional<Json> catalog = std::nullopt;
};

/// Reads the files of an `expected/` folder; missing files are empty.
Outcome LoadOutcome(const std::filesystem::path& dir);

/// Writes `outcome` as an `expected/`-style folder (created if needed).
void WriteOutcome(const Outcome& outcome, const std::filesystem::path& dir);

/// The outcome of a run: the messages the connector emitted (for check, the CONNECTION_STATUS;
/// for discover, the CATALOG), its exit code and the requests the replay server recorded.
Outcome OutcomeFromRun(int exit_code, const std::vector<protocol::Message>& messages,
                       std::vector<Json> requests);

/// The messages.txt lines for a run (README section 2 grammar).
std::vector<std::string> SummarizeMessages(int exit_code,
                                           const std::vector<protocol::Message>& messages);

/// `text` with whitespace runs collapsed to one space and the ends trimmed.
std::string CollapseWhitespace(const std::string& text);

/// The stream a state object belongs to (`stream.stream_descriptor.name`); "" for GLOBAL and
/// LEGACY states.
std::string StateStreamName(const Json& state);

}  // namespace airbyte::conformance
