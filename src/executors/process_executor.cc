#include "executors/process_executor.h"

#include <poll.h>

#include <csignal>

#include <atomic>
#include <mutex>
#include <stop_token>
#include <thread>

#include "airbyte/error.h"
#include "protocol/message_parser.h"
#include "util/child_process.h"
#include "util/line_reader.h"
#include "util/line_ring.h"
#include "util/temp_dir.h"

namespace airbyte::executors {
namespace {

using Clock = std::chrono::steady_clock;

// How long we wait for stderr to reach EOF after the connector exited; a grandchild that
// inherited the pipe must not hang us.
constexpr std::chrono::milliseconds kStderrDrainAfterExit{2000};
// Longest a read blocks before checking for Cancel() from another thread.
constexpr std::chrono::milliseconds kCancelPoll{200};
// While lines keep coming no read times out, so the total time limit is also checked every
// this many lines (a clock read per line would be measurable on the record hot path).
constexpr std::uint32_t kLinesPerDeadlineCheck = 64;

// Appends each stderr line of the child to `ring`, until EOF or a stop request.
void DrainStderr(int fd, util::LineRing& ring, std::stop_token stop) {
  util::LineReader reader(fd, 64 * 1024);
  std::string_view line;
  while (!stop.stop_requested()) {
    util::LineReader::Status status;
    try {
      status = reader.Next(line, std::chrono::milliseconds(100));
    } catch (...) {  // a read error on stderr only loses log text
      return;
    }
    if (status == util::LineReader::Status::kEof) return;
    if (status == util::LineReader::Status::kLine) ring.Append(line);
  }
}

std::string LogLine(const protocol::LogMessage& log) {
  if (log.from_non_protocol_line) return log.message;
  return std::string(protocol::ToString(log.level)) + " " + log.message;
}

class ProcessMessageStream : public MessageStream {
 public:
  ProcessMessageStream(std::string connector_name, const std::filesystem::path& program,
                       const std::vector<std::string>& extra_env, const Invocation& invocation)
      : connector_name_(std::move(connector_name)),
        verb_(invocation.verb),
        limits_(invocation.limits),
        temp_dir_("airbyte-" + connector_name_ + "-"),
        started_(Clock::now()),
        log_file_(LogPath(invocation.log)) {
    std::vector<std::string> argv = {program.string(), std::string(ToString(verb_))};
    if (verb_ != Verb::kSpec) {
      const std::string config = invocation.config.is_null() ? "{}" : invocation.config.dump();
      argv.push_back("--config");
      argv.push_back(temp_dir_.WriteFile("config.json", config).string());
    }
    if (verb_ == Verb::kRead || verb_ == Verb::kWrite) {
      argv.push_back("--catalog");
      argv.push_back(temp_dir_.WriteFile("catalog.json", invocation.catalog_json).string());
    }
    if (verb_ == Verb::kRead) {
      argv.push_back("--state");
      argv.push_back(temp_dir_.WriteFile("state.json", invocation.state_json).string());
    }
    child_.emplace(util::ChildProcess::Spawn(
        {.argv = std::move(argv), .extra_env = extra_env, .pipe_stdin = verb_ == Verb::kWrite}));
    reader_.emplace(child_->stdout_fd());
    TeeToLog(ring_, invocation.log);  // before the drain thread starts appending
    const int stderr_fd = child_->stderr_fd();
    stderr_thread_ = std::jthread(
        [this, stderr_fd](std::stop_token stop) { DrainStderr(stderr_fd, ring_, stop); });
  }

  ~ProcessMessageStream() override { Stop(); }

  bool Next(protocol::Message& out) override {
    while (!done_) {
      if (cancelled_.load()) {
        Stop();
        return false;
      }
      std::string_view line;
      const util::LineReader::Status status = reader_->Next(line, WaitLimit());
      if (status == util::LineReader::Status::kTimeout) {
        CheckTimeouts();
        continue;
      }
      if (status == util::LineReader::Status::kEof) {
        if (cancelled_.load()) continue;  // Stop() above reaps it
        OnEof();
        return false;
      }
      if (limits_.total_timeout && ++lines_since_deadline_check_ >= kLinesPerDeadlineCheck) {
        lines_since_deadline_check_ = 0;
        CheckTimeouts();
      }
      if (!parser_.Parse(line, util::LineReader::kPadding, out, sink_)) continue;  // blank
      if (out.type() == protocol::MessageType::kLog) ring_.Append(LogLine(out.log()));
      if (out.type() == protocol::MessageType::kTrace && out.trace().error) {
        ring_.Append("TRACE ERROR " + out.trace().error->message);
      }
      return true;
    }
    return false;
  }

  // Any thread: ask the connector to stop; the owning thread reaps it in Next() or the
  // destructor.
  void Cancel() noexcept override {
    if (cancelled_.exchange(true)) return;
    if (!done_) child_->Signal(SIGTERM);
  }

  std::string LogTail() const override { return ring_.Text(); }
  std::uint64_t bytes_read() const override { return reader_ ? reader_->bytes_read() : 0; }
  void SetRecordDataSink(protocol::RecordDataSink* sink) override { sink_ = sink; }

 private:
  // How long one read may block: the time limits, and a short poll so that a Cancel() from
  // another thread is noticed even when the connector is silent.
  std::optional<std::chrono::milliseconds> WaitLimit() const {
    std::optional<std::chrono::milliseconds> wait = kCancelPoll;
    if (limits_.idle_timeout) {
      const auto idle_left = std::chrono::duration_cast<std::chrono::milliseconds>(
          last_output_ + *limits_.idle_timeout - Clock::now());
      wait = std::min(*wait, std::max(idle_left, std::chrono::milliseconds(0)));
    }
    if (limits_.total_timeout) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          started_ + *limits_.total_timeout - Clock::now());
      const auto clamped = std::max(left, std::chrono::milliseconds(0));
      if (!wait || clamped < *wait) wait = clamped;
    }
    return wait;
  }

  // Called when a read timed out: fails the operation if a time limit has passed.
  void CheckTimeouts() {
    const auto now = Clock::now();
    // Output since the last check resets the idle clock (cheaper than a clock read per line).
    if (reader_->bytes_read() != bytes_at_last_check_) {
      bytes_at_last_check_ = reader_->bytes_read();
      last_output_ = now;
    }
    const bool total_exceeded = limits_.total_timeout && now - started_ >= *limits_.total_timeout;
    const bool idle_exceeded =
        limits_.idle_timeout && now - last_output_ >= *limits_.idle_timeout;
    if (!total_exceeded && !idle_exceeded) return;
    const auto limit = total_exceeded ? *limits_.total_timeout : *limits_.idle_timeout;
    Stop();
    throw Error(ErrorKind::kTimeout,
                total_exceeded ? "The connector did not finish within the time limit."
                               : "The connector produced no output within the idle time limit.",
                {.context = {{"connector_name", connector_name_},
                             {"command", std::string(ToString(verb_))},
                             {"timeout_ms", static_cast<std::int64_t>(limit.count())}},
                 .log_tail = ring_.Text(20),
                 .log_file = log_file_});
  }

  void OnEof() {
    done_ = true;
    const util::ExitStatus status = child_->Wait();
    Finish();
    if (status.ok() || (status.signaled && status.terminated_by_us)) return;
    std::string message = status.signaled
                              ? "Connector was killed by signal " + std::to_string(-status.code) + "."
                              : "Connector exited with code " + std::to_string(status.code) + ".";
    throw Error(ErrorKind::kConnectorFailed, message,
                {.context = {{"connector_name", connector_name_},
                             {"command", std::string(ToString(verb_))},
                             {"exit_code", status.code}},
                 .log_tail = ring_.Text(20),
                 .log_file = log_file_});
  }

  // Owning thread: terminates the connector if it still runs, then cleans up. Idempotent.
  void Stop() noexcept {
    done_ = true;
    try {
      if (child_) child_->Terminate(limits_.terminate_grace);
    } catch (...) {  // Terminate only fails if waitpid does; nothing left to do
    }
    Finish();
  }

  // Joins the stderr drain (bounded wait) and removes the temp files. Idempotent.
  void Finish() noexcept {
    if (stderr_thread_.joinable()) {
      const auto deadline = Clock::now() + kStderrDrainAfterExit;
      // The drain thread ends by itself at EOF; only a lingering grandchild keeps it going.
      bool writers_gone = false;
      while (Clock::now() < deadline && child_ && child_->stderr_fd() >= 0) {
        pollfd pfd{child_->stderr_fd(), 0, 0};
        if (::poll(&pfd, 1, 0) >= 0 && (pfd.revents & POLLHUP) != 0) {
          writers_gone = true;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      // POLLHUP comes while unread lines may still sit in the pipe: with every writer gone the
      // drain reads them and stops at EOF by itself. Stopping it now would lose the last lines,
      // usually the ones that explain the failure.
      if (!writers_gone) stderr_thread_.request_stop();
      stderr_thread_.join();
    }
    temp_dir_.Remove();
  }

  std::string connector_name_;
  Verb verb_;
  ExecutionLimits limits_;
  util::ScopedTempDir temp_dir_;
  Clock::time_point started_;
  Clock::time_point last_output_ = started_;
  std::uint64_t bytes_at_last_check_ = 0;
  std::uint32_t lines_since_deadline_check_ = 0;
  std::optional<util::ChildProcess> child_;
  std::optional<util::LineReader> reader_;
  protocol::MessageParser parser_;
  protocol::RecordDataSink* sink_ = nullptr;
  std::string log_file_;
  util::LineRing ring_;
  std::jthread stderr_thread_;
  std::atomic<bool> done_ = false;  // atomic: Cancel() reads it from another thread
  std::atomic<bool> cancelled_ = false;
};

}  // namespace

std::string_view ToString(Verb verb) {
  switch (verb) {
    case Verb::kSpec: return "spec";
    case Verb::kCheck: return "check";
    case Verb::kDiscover: return "discover";
    case Verb::kRead: return "read";
    case Verb::kWrite: return "write";
  }
  return "?";
}

ProcessExecutor::ProcessExecutor(std::string connector_name, std::filesystem::path program,
                                 std::vector<std::string> extra_env)
    : connector_name_(std::move(connector_name)),
      program_(std::move(program)),
      extra_env_(std::move(extra_env)) {}

std::unique_ptr<MessageStream> ProcessExecutor::Execute(const Invocation& invocation) {
  return std::make_unique<ProcessMessageStream>(connector_name_, program_, extra_env_,
                                                invocation);
}

std::string ProcessExecutor::Describe() const { return "local executable " + program_.string(); }

}  // namespace airbyte::executors
