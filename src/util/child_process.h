#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "util/fd.h"

namespace airbyte::util {

/// How a child process ended.
struct ExitStatus {
  /// Exit code when the child exited; -N when it was killed by signal N (Python's convention).
  int code = 0;
  bool signaled = false;
  /// True when the signal was one we sent (Terminate/Kill), so it is not a failure by itself.
  bool terminated_by_us = false;

  bool ok() const { return code == 0; }
};

struct ChildProcessOptions {
  /// argv[0] is the program: a path, or a name looked up on PATH.
  std::vector<std::string> argv = {};
  /// Extra environment entries "NAME=value" added to (and overriding) the parent's.
  std::vector<std::string> extra_env = {};
  /// Give the child a pipe on stdin (stdin_fd()); otherwise stdin is /dev/null.
  bool pipe_stdin = false;
  /// Requested stdout pipe size (F_SETPIPE_SZ); the kernel may grant less.
  int stdout_pipe_size = 1 << 20;
  std::optional<std::filesystem::path> working_dir = std::nullopt;
};

/// A child process started with posix_spawn, with stdout and stderr on pipes.
///
/// Owns the pid and the parent's pipe ends (O_CLOEXEC). The destructor terminates a child
/// still running (SIGTERM, grace period, SIGKILL) and reaps it: no zombies, even during stack
/// unwinding. Not thread-safe, except that stdout/stderr fds may be read from other threads
/// while this object lives.
class ChildProcess {
 public:
  static constexpr std::chrono::milliseconds kDefaultGrace{10'000};

  /// Starts the child. Throws Error(kExecutableNotFound) if the program does not exist or is
  /// not executable, Error(kIo) for other spawn failures.
  static ChildProcess Spawn(const ChildProcessOptions& options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  int stdout_fd() const { return stdout_.get(); }
  int stderr_fd() const { return stderr_.get(); }
  int stdin_fd() const { return stdin_.get(); }
  /// Closes our end of the child's stdin (EOF for the child).
  void CloseStdin() { stdin_.reset(); }
  /// The stdout pipe size the kernel granted.
  int stdout_pipe_size() const { return stdout_pipe_size_; }

  /// Waits for the child to exit and reaps it. Idempotent.
  ExitStatus Wait();
  /// Non-blocking: the status if the child has exited (and reaps it), else nullopt.
  std::optional<ExitStatus> TryWait();
  /// SIGTERM; after `grace` SIGKILL; then reap. Safe to call when already reaped.
  ExitStatus Terminate(std::chrono::milliseconds grace = kDefaultGrace);
  bool running() const { return pid_ > 0 && !status_; }
  /// Sends `signal` to the child's process group (no reaping), unless it was reaped already.
  /// The one method that may be called from another thread while the owner reads or waits.
  void Signal(int signal) noexcept;

 private:
  ChildProcess() = default;
  void Reset() noexcept;
  ExitStatus Record(int wait_status);

  pid_t pid_ = -1;
  Fd stdin_;
  Fd stdout_;
  Fd stderr_;
  int stdout_pipe_size_ = 0;
  std::atomic<bool> signaled_by_us_ = false;  // set by Signal() from any thread
  std::atomic<bool> reaped_ = false;
  std::optional<ExitStatus> status_;
};

/// The absolute path of `name` on PATH (or `name` itself when it contains a '/'), if it
/// exists and is executable.
std::optional<std::filesystem::path> FindExecutable(const std::string& name);

}  // namespace airbyte::util
