#pragma once

/// Incremental state kept in a cache (PyAirbyte's state providers, behavior doc 5.5).
///
///   airbyte::StateProvider state = cache.GetStateProvider("source-faker");
///   for (const std::string& stream : state.KnownStreamNames()) std::cout << stream << "\n";
///   std::optional<airbyte::Json> users = state.GetStreamState("users");

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "airbyte/json.h"

namespace airbyte {

/// A fixed set of AirbyteStateMessages (JSON objects). A value type; thread-compatible.
class StateProvider {
 public:
  StateProvider() = default;
  explicit StateProvider(std::vector<Json> state_messages);

  /// Every state message (STREAM, GLOBAL and LEGACY).
  const std::vector<Json>& state_message_artifacts() const { return messages_; }
  /// The `stream` payloads of STREAM-type messages.
  std::vector<Json> StreamStateArtifacts() const;
  /// Names of the streams with STREAM state, in stored order.
  std::vector<std::string> KnownStreamNames() const;
  /// The first STREAM state message for `stream`, or nullopt.
  std::optional<Json> GetStreamState(std::string_view stream) const;
  /// As GetStreamState, but throws Error(kStateNotFound, "State message not found.") with the
  /// stream and the available streams.
  Json RequireStreamState(std::string_view stream) const;
  /// The connector's `--state` file: "[" + messages joined by "\n, " + "]", or "[]".
  std::string ToStateInputFileText() const;
  bool empty() const { return messages_.empty(); }

 private:
  std::vector<Json> messages_;
};

}  // namespace airbyte
