#include "util/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "airbyte/error.h"

extern char** environ;

namespace airbyte::util {
namespace {

[[noreturn]] void ThrowErrno(std::string_view what, int err) {
  throw Error(ErrorKind::kIo, std::string(what) + " failed: " + std::strerror(err));
}

bool IsExecutableFile(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// RAII for the posix_spawn attribute objects.
struct SpawnFileActions {
  posix_spawn_file_actions_t actions;
  SpawnFileActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnFileActions() { posix_spawn_file_actions_destroy(&actions); }
};
struct SpawnAttr {
  posix_spawnattr_t attr;
  SpawnAttr() { posix_spawnattr_init(&attr); }
  ~SpawnAttr() { posix_spawnattr_destroy(&attr); }
};

std::vector<std::string> MergedEnvironment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('='));
    bool overridden = false;
    for (const std::string& x : extra) {
      if (x.size() > name.size() && x.compare(0, name.size(), name) == 0 && x[name.size()] == '=') {
        overridden = true;
        break;
      }
    }
    if (!overridden) env.emplace_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

}  // namespace

Pipe Pipe::Create() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) ThrowErrno("pipe2", errno);
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

std::optional<std::filesystem::path> FindExecutable(const std::string& name) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string::npos) {
    std::filesystem::path path = std::filesystem::absolute(name);
    if (IsExecutableFile(path)) return path;
    return std::nullopt;
  }
  const char* path_env = std::getenv("PATH");
  std::string_view dirs = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    const std::size_t colon = dirs.find(':');
    std::string_view dir = dirs.substr(0, colon);
    std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (IsExecutableFile(candidate)) return std::filesystem::absolute(candidate);
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

ChildProcess ChildProcess::Spawn(const ChildProcessOptions& options) {
  if (options.argv.empty()) throw Error(ErrorKind::kInternal, "ChildProcess::Spawn: empty argv");
  std::optional<std::filesystem::path> program = FindExecutable(options.argv[0]);
  if (!program) {
    throw Error(ErrorKind::kExecutableNotFound,
                "Connector executable not found: '" + options.argv[0] + "'.",
                {.guidance = "Check the path, or put the executable on PATH and make it "
                             "executable (chmod +x).",
                 .context = {{"executable", options.argv[0]},
                             {"working_directory", std::filesystem::current_path().string()}}});
  }
  // posix_spawn reports a failed chdir as ENOENT too, which would blame the executable.
  if (options.working_dir && !std::filesystem::is_directory(*options.working_dir)) {
    throw Error(ErrorKind::kIo,
                "Working directory '" + options.working_dir->string() +
                    "' does not exist or is not a directory.",
                {.context = {{"executable", program->string()}}});
  }

  Pipe out = Pipe::Create();
  Pipe err = Pipe::Create();
  std::optional<Pipe> in;
  if (options.pipe_stdin) in = Pipe::Create();

  ChildProcess child;
  // A large stdout pipe lets the connector run ahead of us in big blocks.
  if (options.stdout_pipe_size > 0) {
    ::fcntl(out.write.get(), F_SETPIPE_SZ, options.stdout_pipe_size);
  }
  child.stdout_pipe_size_ = ::fcntl(out.read.get(), F_GETPIPE_SZ);

  SpawnFileActions fa;
  if (in) {
    posix_spawn_file_actions_adddup2(&fa.actions, in->read.get(), STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&fa.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&fa.actions, out.write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa.actions, err.write.get(), STDERR_FILENO);
  if (options.working_dir) {
    // glibc 2.29+; Debian 12 has 2.36.
    posix_spawn_file_actions_addchdir_np(&fa.actions, options.working_dir->c_str());
  }

  SpawnAttr attr;
  sigset_t default_signals;
  sigemptyset(&default_signals);
  sigaddset(&default_signals, SIGPIPE);  // we may ignore SIGPIPE; the connector must not inherit it
  sigaddset(&default_signals, SIGINT);
  sigaddset(&default_signals, SIGTERM);
  posix_spawnattr_setsigdefault(&attr.attr, &default_signals);
  sigset_t empty_mask;
  sigemptyset(&empty_mask);
  posix_spawnattr_setsigmask(&attr.attr, &empty_mask);
  // Own process group: Terminate() signals the connector and anything it started.
  posix_spawnattr_setpgroup(&attr.attr, 0);
  posix_spawnattr_setflags(&attr.attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK |
                                           POSIX_SPAWN_SETPGROUP);

  std::vector<std::string> argv_storage = options.argv;
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage = MergedEnvironment(options.extra_env);
  std::vector<char*> envp;
  for (std::string& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, program->c_str(), &fa.actions, &attr.attr, argv.data(),
                               envp.data());
  if (rc != 0) {
    if (rc == ENOENT || rc == EACCES || rc == ENOEXEC) {
      throw Error(ErrorKind::kExecutableNotFound,
                  "Cannot execute '" + program->string() + "': " + std::strerror(rc) + ".",
                  {.context = {{"executable", program->string()}}});
    }
    ThrowErrno("posix_spawn", rc);
  }
  child.pid_ = pid;
  child.stdout_ = std::move(out.read);
  child.stderr_ = std::move(err.read);
  if (in) child.stdin_ = std::move(in->write);
  return child;  // the child's pipe ends close here, so EOF arrives when the child exits
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      stdin_(std::move(other.stdin_)),
      stdout_(std::move(other.stdout_)),
      stderr_(std::move(other.stderr_)),
      stdout_pipe_size_(other.stdout_pipe_size_),
      signaled_by_us_(other.signaled_by_us_.load()),
      reaped_(other.reaped_.load()),
      status_(std::exchange(other.status_, std::nullopt)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    Reset();
    pid_ = std::exchange(other.pid_, -1);
    stdin_ = std::move(other.stdin_);
    stdout_ = std::move(other.stdout_);
    stderr_ = std::move(other.stderr_);
    stdout_pipe_size_ = other.stdout_pipe_size_;
    signaled_by_us_ = other.signaled_by_us_.load();
    reaped_ = other.reaped_.load();
    status_ = std::exchange(other.status_, std::nullopt);
  }
  return *this;
}

ChildProcess::~ChildProcess() { Reset(); }

void ChildProcess::Reset() noexcept {
  if (running()) {
    try {
      Terminate();
    } catch (...) {  // destructor: nothing to report to
    }
  }
  stdin_.reset();
  stdout_.reset();
  stderr_.reset();
  pid_ = -1;
}

ExitStatus ChildProcess::Record(int wait_status) {
  ExitStatus status;
  if (WIFEXITED(wait_status)) {
    status.code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    status.signaled = true;
    status.code = -WTERMSIG(wait_status);
    status.terminated_by_us = signaled_by_us_;
  }
  status_ = status;
  reaped_.store(true);
  return status;
}

ExitStatus ChildProcess::Wait() {
  if (status_) return *status_;
  if (pid_ <= 0) return ExitStatus{};
  int wait_status = 0;
  while (::waitpid(pid_, &wait_status, 0) < 0) {
    if (errno != EINTR) ThrowErrno("waitpid", errno);
  }
  return Record(wait_status);
}

std::optional<ExitStatus> ChildProcess::TryWait() {
  if (status_) return status_;
  if (pid_ <= 0) return ExitStatus{};
  int wait_status = 0;
  const pid_t rc = ::waitpid(pid_, &wait_status, WNOHANG);
  if (rc == 0) return std::nullopt;
  if (rc < 0) ThrowErrno("waitpid", errno);
  return Record(wait_status);
}

void ChildProcess::Signal(int signal) noexcept {
  if (pid_ <= 0 || reaped_.load()) return;
  signaled_by_us_ = true;
  ::kill(-pid_, signal);
  ::kill(pid_, signal);
}

ExitStatus ChildProcess::Terminate(std::chrono::milliseconds grace) {
  if (status_ || pid_ <= 0) return Wait();
  signaled_by_us_ = true;
  ::kill(-pid_, SIGTERM);  // the whole process group
  ::kill(pid_, SIGTERM);   // in case the child left its group
  const auto deadline = std::chrono::steady_clock::now() + grace;
  auto pause = std::chrono::microseconds(200);
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::optional<ExitStatus> status = TryWait()) {
      ::kill(-pid_, SIGKILL);  // stragglers the connector started
      return *status;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(20'000));
  }
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  return Wait();
}

}  // namespace airbyte::util
