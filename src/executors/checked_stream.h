#pragma once

#include <memory>
#include <optional>
#include <string>

#include "executors/executor.h"

namespace airbyte::executors {

/// Applies the failure rules shared by every executor to a MessageStream.
///
/// A TRACE ERROR fails the operation (unlike PyAirbyte, which swallows it): the messages after
/// it are still returned, and once the connector has finished Next() throws
/// Error(kConnectorFailed) carrying the trace's message, failure_type, internal message,
/// stream, the exit code (when the connector also exited non-zero) and the last log lines.
/// Other failures of the inner stream pass through. Thread safety: as MessageStream.
class CheckedMessageStream : public MessageStream {
 public:
  CheckedMessageStream(std::string connector_name, Verb verb,
                       std::unique_ptr<MessageStream> inner, std::string log_file = {});

  bool Next(protocol::Message& out) override;
  void Cancel() noexcept override { inner_->Cancel(); }
  std::string LogTail() const override { return inner_->LogTail(); }
  std::uint64_t bytes_read() const override { return inner_->bytes_read(); }
  void SetRecordDataSink(protocol::RecordDataSink* sink) override {
    inner_->SetRecordDataSink(sink);
  }

 private:
  [[noreturn]] void ThrowTraceFailure(const std::string& exit_code);

  std::string connector_name_;
  Verb verb_;
  std::unique_ptr<MessageStream> inner_;
  std::string log_file_;  // named by the errors it throws; empty: none
  std::optional<protocol::ErrorTrace> first_error_;
  int error_count_ = 0;
  bool done_ = false;
};

/// Starts `invocation` on `executor` and wraps the stream in a CheckedMessageStream.
std::unique_ptr<MessageStream> ExecuteChecked(Executor& executor, std::string connector_name,
                                              const Invocation& invocation);

}  // namespace airbyte::executors
