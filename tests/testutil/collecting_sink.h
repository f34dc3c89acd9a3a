#pragma once

// A MessageSink for native-connector tests: keeps every message, optionally asking the
// connector to stop after `stop_after` messages.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "connectors/native_connector.h"

namespace airbyte::testutil {

class CollectingSink : public connectors::MessageSink {
 public:
  explicit CollectingSink(std::size_t stop_after = SIZE_MAX) : stop_after_(stop_after) {}

  bool Emit(protocol::Message message) override {
    messages.push_back(std::move(message));
    return messages.size() < stop_after_;
  }

  std::vector<protocol::Message> messages;

 private:
  std::size_t stop_after_;
};

}  // namespace airbyte::testutil
