#include "executors/checked_stream.h"

#include "airbyte/error.h"

namespace airbyte::executors {
namespace {

std::string GuidanceFor(const std::optional<protocol::FailureType>& type) {
  if (!type) return {};
  switch (*type) {
    case protocol::FailureType::kConfigError:
      return "The connector reports a configuration problem: fix the config value it names, "
             "then run `airbyte check`.";
    case protocol::FailureType::kTransientError:
      return "The connector reports a transient problem (network, rate limit): try again "
             "later.";
    case protocol::FailureType::kSystemError:
      return "The connector reports an internal error; see its log output below.";
  }
  return {};
}

}  // namespace

CheckedMessageStream::CheckedMessageStream(std::string connector_name, Verb verb,
                                           std::unique_ptr<MessageStream> inner,
                                           std::string log_file)
    : connector_name_(std::move(connector_name)),
      verb_(verb),
      inner_(std::move(inner)),
      log_file_(std::move(log_file)) {}

bool CheckedMessageStream::Next(protocol::Message& out) {
  if (done_) return false;
  bool more = false;
  try {
    more = inner_->Next(out);
  } catch (const Error& e) {
    done_ = true;
    if (first_error_ && e.kind() == ErrorKind::kConnectorFailed) {
      ThrowTraceFailure(e.ContextValue("exit_code"));
    }
    throw;
  }
  if (!more) {
    done_ = true;
    if (first_error_) ThrowTraceFailure("");
    return false;
  }
  if (out.type() == protocol::MessageType::kTrace && out.trace().error) {
    if (!first_error_) first_error_ = *out.trace().error;
    ++error_count_;
  }
  return true;
}

void CheckedMessageStream::ThrowTraceFailure(const std::string& exit_code) {
  const protocol::ErrorTrace& trace = *first_error_;
  ErrorDetails details{.guidance = GuidanceFor(trace.failure_type),
                       .log_tail = inner_->LogTail(),
                       .log_file = log_file_};
  details.context.emplace_back("connector_name", connector_name_);
  details.context.emplace_back("command", std::string(ToString(verb_)));
  if (trace.failure_type) {
    details.context.emplace_back("failure_type", std::string(protocol::ToString(*trace.failure_type)));
  }
  if (trace.stream_descriptor) {
    details.context.emplace_back("stream_name", trace.stream_descriptor->name);
  }
  if (trace.internal_message) details.context.emplace_back("internal_message", *trace.internal_message);
  if (!exit_code.empty()) details.context.emplace_back("exit_code", std::stoll(exit_code));
  if (error_count_ > 1) details.context.emplace_back("other_errors", error_count_ - 1);
  if (trace.stack_trace) details.cause = *trace.stack_trace;
  throw Error(ErrorKind::kConnectorFailed, trace.message, std::move(details));
}

std::unique_ptr<MessageStream> ExecuteChecked(Executor& executor, std::string connector_name,
                                              const Invocation& invocation) {
  return std::make_unique<CheckedMessageStream>(std::move(connector_name), invocation.verb,
                                                executor.Execute(invocation),
                                                LogPath(invocation.log));
}

void TeeToLog(util::LineRing& ring, const std::shared_ptr<util::LogFile>& log) {
  if (log == nullptr) return;
  ring.set_sink([log](std::string_view line) { log->Write("INFO", line); });
}

}  // namespace airbyte::executors
