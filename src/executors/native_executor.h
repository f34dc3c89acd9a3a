#pragma once

#include <memory>
#include <string>

#include "connectors/native_connector.h"
#include "executors/executor.h"

namespace airbyte::executors {

/// Runs a native (C++) connector in-process behind the same Executor interface as a connector
/// process, so every Source feature works alike for both.
///
/// spec/check/discover run synchronously in Execute(). `read` runs the connector on a producer
/// thread that hands batches of messages to the caller through a bounded queue (backpressure:
/// a slow consumer pauses the connector); records stay typed (protocol::TypedRecord), no JSON
/// text in between. Cancel() makes the connector stop at its next message. A connector
/// exception fails the stream after the messages emitted before it, as a non-zero exit does.
/// Thread-compatible.
class NativeExecutor : public Executor {
 public:
  explicit NativeExecutor(std::unique_ptr<connectors::NativeConnector> connector);

  std::unique_ptr<MessageStream> Execute(const Invocation& invocation) override;
  std::string Describe() const override;

 private:
  // Shared with running streams: a read's producer thread may outlive nothing but its stream,
  // yet the stream must not depend on the executor outliving it.
  std::shared_ptr<const connectors::NativeConnector> connector_;
};

}  // namespace airbyte::executors
