#pragma once

// Drains a connector MessageStream in tests: every message until its end, and the error it
// ended with, if any.

#include <optional>
#include <vector>

#include "airbyte/error.h"
#include "executors/executor.h"

namespace airbyte::testutil {

struct StreamOutcome {
  std::vector<protocol::Message> messages;
  std::optional<Error> error;
};

inline StreamOutcome RunToEnd(executors::MessageStream& stream) {
  StreamOutcome outcome;
  protocol::Message message;
  try {
    while (stream.Next(message)) outcome.messages.push_back(message);
  } catch (const Error& e) {
    outcome.error = e;
  }
  return outcome;
}

}  // namespace airbyte::testutil
