#include "util/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "airbyte/error.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte::util {
namespace {

using ::airbyte::testutil::ThrowsError;
using ::testing::AllOf;
using ::testing::ContainerEq;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

using Clock = std::chrono::steady_clock;

// Reads `fd` until EOF.
std::string ReadAll(int fd) {
  std::string out;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

// Reads one '\n'-terminated line (without the '\n'); nullopt on EOF or after `timeout`.
std::optional<std::string> ReadLine(int fd, std::chrono::milliseconds timeout = 5s) {
  std::string line;
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 50) <= 0) continue;
    char c;
    const ssize_t n = ::read(fd, &c, 1);
    if (n <= 0) return std::nullopt;
    if (c == '\n') return line;
    line += c;
  }
  return std::nullopt;
}

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    ASSERT_GT(n, 0) << std::strerror(errno);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

ChildProcess Shell(std::string script, ChildProcessOptions options = {}) {
  options.argv = {"/bin/sh", "-c", std::move(script)};
  return ChildProcess::Spawn(options);
}

// The state letter in /proc/<pid>/stat ('S', 'R', 'Z', ...), or nullopt if there is no such
// process (it was reaped).
std::optional<char> ProcessState(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return std::nullopt;
  const std::size_t paren = stat.rfind(')');  // the command name may contain spaces
  if (paren == std::string::npos || paren + 2 >= stat.size()) return std::nullopt;
  return stat[paren + 2];
}

// True once `pid` is gone or a zombie. A killed grandchild is reparented to PID 1, which in a
// container may never reap it, so a zombie counts as dead.
bool WaitUntilDead(pid_t pid, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    const std::optional<char> state = ProcessState(pid);
    if (!state || *state == 'Z') return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

// A reaped child leaves no trace: no /proc entry and nothing left for waitpid.
void ExpectReaped(pid_t pid) {
  EXPECT_EQ(ProcessState(pid), std::nullopt) << "pid " << pid << " is still in /proc";
  int status = 0;
  errno = 0;
  EXPECT_EQ(::waitpid(pid, &status, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

std::set<std::string> FdsOfProcess(pid_t pid) {
  std::set<std::string> fds;
  for (const std::string& name : testutil::ListDir("/proc/" + std::to_string(pid) + "/fd")) {
    fds.insert(name);
  }
  return fds;
}

// A file with `content` and permission `mode` (umask-proof).
std::filesystem::path WriteFileWithMode(const std::filesystem::path& path,
                                        const std::string& content, mode_t mode) {
  testutil::WriteText(path, content);
  std::filesystem::permissions(path, static_cast<std::filesystem::perms>(mode));
  return path;
}

// ---- spawning and exit statuses ------------------------------------------------------------

TEST(ChildProcessTest, EchoOutputArrivesOnStdoutPipe) {
  ChildProcess child = ChildProcess::Spawn({.argv = {"/bin/echo", "hello", "world"}});
  EXPECT_GT(child.pid(), 0);
  EXPECT_EQ(ReadAll(child.stdout_fd()), "hello world\n");
  const ExitStatus status = child.Wait();
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code, 0);
  EXPECT_FALSE(status.signaled);
  EXPECT_FALSE(child.running());
}

TEST(ChildProcessTest, ProgramNameWithoutSlashIsFoundOnPath) {
  ChildProcess child = ChildProcess::Spawn({.argv = {"echo", "from-path"}});
  EXPECT_EQ(ReadAll(child.stdout_fd()), "from-path\n");
  EXPECT_EQ(child.Wait().code, 0);
}

TEST(ChildProcessTest, StdoutAndStderrArriveOnSeparatePipes) {
  ChildProcess child = Shell("echo to-out; echo to-err >&2");
  EXPECT_EQ(ReadAll(child.stdout_fd()), "to-out\n");
  EXPECT_EQ(ReadAll(child.stderr_fd()), "to-err\n");
  EXPECT_EQ(child.Wait().code, 0);
}

TEST(ChildProcessTest, NonZeroExitCodeIsReported) {
  ChildProcess child = Shell("exit 3");
  const ExitStatus status = child.Wait();
  EXPECT_EQ(status.code, 3);
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(status.signaled);
  EXPECT_FALSE(status.terminated_by_us);
}

TEST(ChildProcessTest, DeathBySignalIsMinusSignalNumberAndNotOurDoing) {
  ChildProcess child = Shell("kill -KILL $$");
  const ExitStatus status = child.Wait();
  EXPECT_EQ(status.code, -9);
  EXPECT_TRUE(status.signaled);
  EXPECT_FALSE(status.terminated_by_us);
  EXPECT_FALSE(status.ok());
}

TEST(ChildProcessTest, WaitIsIdempotent) {
  ChildProcess child = Shell("exit 5");
  EXPECT_EQ(child.Wait().code, 5);
  EXPECT_EQ(child.Wait().code, 5);
  EXPECT_EQ(child.TryWait()->code, 5);
}

TEST(ChildProcessTest, TryWaitIsEmptyWhileRunningAndReapsAfterExit) {
  ChildProcess child = Shell("read line; exit 7", {.pipe_stdin = true});
  EXPECT_EQ(child.TryWait(), std::nullopt);
  EXPECT_TRUE(child.running());
  const pid_t pid = child.pid();
  WriteAll(child.stdin_fd(), "go\n");
  child.CloseStdin();
  std::optional<ExitStatus> status;
  const auto deadline = Clock::now() + 5s;
  while (!status && Clock::now() < deadline) {
    status = child.TryWait();
    if (!status) std::this_thread::sleep_for(5ms);
  }
  ASSERT_TRUE(status.has_value()) << "child did not exit";
  EXPECT_EQ(status->code, 7);
  EXPECT_FALSE(child.running());
  ExpectReaped(pid);
}

// ---- Terminate -----------------------------------------------------------------------------

TEST(ChildProcessTest, TerminateStopsChildWithSigterm) {
  ChildProcess child = ChildProcess::Spawn({.argv = {"sleep", "100"}});
  const pid_t pid = child.pid();
  const auto start = Clock::now();
  const ExitStatus status = child.Terminate(5s);
  EXPECT_LT(Clock::now() - start, 4s) << "SIGTERM should have been enough";
  EXPECT_EQ(status.code, -SIGTERM);
  EXPECT_TRUE(status.signaled);
  EXPECT_TRUE(status.terminated_by_us);
  EXPECT_FALSE(child.running());
  ExpectReaped(pid);
}

TEST(ChildProcessTest, TerminateSendsSigkillAfterGraceWhenSigtermIsIgnored) {
  ChildProcess child = Shell("trap '' TERM; echo ready; sleep 100");
  ASSERT_EQ(ReadLine(child.stdout_fd()), "ready");  // the trap is installed
  const pid_t pid = child.pid();
  const auto start = Clock::now();
  const ExitStatus status = child.Terminate(300ms);
  const auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, 300ms) << "SIGKILL came before the grace period ended";
  EXPECT_LT(elapsed, 4s);
  EXPECT_EQ(status.code, -9);
  EXPECT_TRUE(status.signaled);
  EXPECT_TRUE(status.terminated_by_us);
  ExpectReaped(pid);
}

TEST(ChildProcessTest, TerminateKillsGrandchildThatIgnoresSigterm) {
  // The shell starts a grandchild that ignores SIGTERM, prints its pid, then waits. SIGTERM
  // ends the shell; the grandchild survives it and must be SIGKILLed through the group.
  ChildProcess child =
      Shell("sh -c 'trap \"\" TERM; echo ready; exec sleep 100' & echo \"pid $!\"; wait");
  std::optional<pid_t> grandchild;
  bool ready = false;
  for (int i = 0; i < 2; ++i) {
    std::optional<std::string> line = ReadLine(child.stdout_fd());
    ASSERT_TRUE(line.has_value());
    if (line->rfind("pid ", 0) == 0) grandchild = std::stoi(line->substr(4));
    if (*line == "ready") ready = true;
  }
  ASSERT_TRUE(grandchild.has_value());
  ASSERT_TRUE(ready);
  EXPECT_EQ(::getpgid(*grandchild), child.pid()) << "grandchild is not in the child's group";

  const ExitStatus status = child.Terminate(5s);
  EXPECT_EQ(status.code, -SIGTERM);
  EXPECT_TRUE(status.terminated_by_us);
  EXPECT_TRUE(WaitUntilDead(*grandchild)) << "grandchild " << *grandchild << " survived";
}

TEST(ChildProcessTest, TerminateAfterNormalExitReturnsRecordedStatus) {
  ChildProcess child = Shell("exit 4");
  EXPECT_EQ(child.Wait().code, 4);
  const ExitStatus status = child.Terminate(100ms);
  EXPECT_EQ(status.code, 4);
  EXPECT_FALSE(status.terminated_by_us);
}

TEST(ChildProcessTest, DestructorTerminatesAndReapsRunningChild) {
  pid_t pid = -1;
  const auto start = Clock::now();
  {
    ChildProcess child = ChildProcess::Spawn({.argv = {"sleep", "100"}});
    pid = child.pid();
    ASSERT_EQ(ProcessState(pid).has_value(), true);
  }
  EXPECT_LT(Clock::now() - start, 5s);
  ExpectReaped(pid);
}

TEST(ChildProcessTest, MoveTransfersOwnershipOfTheChild) {
  ChildProcess first = ChildProcess::Spawn({.argv = {"sleep", "100"}});
  const pid_t pid = first.pid();
  ChildProcess second = std::move(first);
  EXPECT_EQ(first.pid(), -1);  // NOLINT(bugprone-use-after-move): the moved-from state
  EXPECT_FALSE(first.running());
  EXPECT_EQ(second.pid(), pid);
  EXPECT_TRUE(second.running());
  EXPECT_EQ(second.Terminate(5s).code, -SIGTERM);
}

TEST(ChildProcessTest, MoveAssignmentTerminatesThePreviousChild) {
  ChildProcess child = ChildProcess::Spawn({.argv = {"sleep", "100"}});
  const pid_t old_pid = child.pid();
  child = ChildProcess::Spawn({.argv = {"/bin/echo", "replacement"}});
  ExpectReaped(old_pid);
  EXPECT_EQ(ReadAll(child.stdout_fd()), "replacement\n");
  EXPECT_EQ(child.Wait().code, 0);
}

// ---- stdin, environment, working directory -------------------------------------------------

TEST(ChildProcessTest, StdinPipeFeedsTheChild) {
  ChildProcess child = ChildProcess::Spawn({.argv = {"cat"}, .pipe_stdin = true});
  ASSERT_GE(child.stdin_fd(), 0);
  WriteAll(child.stdin_fd(), "line one\nline two\n");
  child.CloseStdin();
  EXPECT_EQ(child.stdin_fd(), -1);
  EXPECT_EQ(ReadAll(child.stdout_fd()), "line one\nline two\n");
  EXPECT_EQ(child.Wait().code, 0);
}

TEST(ChildProcessTest, StdinIsDevNullWithoutStdinPipe) {
  ChildProcess child = Shell("readlink /proc/self/fd/0; cat");
  EXPECT_EQ(child.stdin_fd(), -1);
  EXPECT_EQ(ReadAll(child.stdout_fd()), "/dev/null\n");  // and cat read nothing
  EXPECT_EQ(child.Wait().code, 0);
}

TEST(ChildProcessTest, ParentEnvironmentIsInherited) {
  testutil::ScopedEnv env("AIRBYTE_CHILD_TEST_INHERITED", "from-parent");
  ChildProcess child = Shell("echo \"$AIRBYTE_CHILD_TEST_INHERITED\"");
  EXPECT_EQ(ReadAll(child.stdout_fd()), "from-parent\n");
  child.Wait();
}

TEST(ChildProcessTest, ExtraEnvOverridesParentValueOnce) {
  testutil::ScopedEnv env("AIRBYTE_CHILD_TEST_VAR", "parent");
  ChildProcess child = ChildProcess::Spawn(
      {.argv = {"env"}, .extra_env = {"AIRBYTE_CHILD_TEST_VAR=child", "AIRBYTE_CHILD_NEW=1"}});
  const std::string out = ReadAll(child.stdout_fd());
  child.Wait();
  EXPECT_THAT(out, HasSubstr("AIRBYTE_CHILD_TEST_VAR=child\n"));
  EXPECT_THAT(out, HasSubstr("AIRBYTE_CHILD_NEW=1\n"));
  EXPECT_THAT(out, Not(HasSubstr("AIRBYTE_CHILD_TEST_VAR=parent")));
  std::size_t definitions = 0;
  for (std::size_t pos = 0; (pos = out.find("AIRBYTE_CHILD_TEST_VAR=", pos)) != std::string::npos;
       ++pos) {
    ++definitions;
  }
  EXPECT_EQ(definitions, 1u);
}

TEST(ChildProcessTest, ExtraEnvOverrideMatchesTheWholeName) {
  testutil::ScopedEnv short_name("AIRBYTE_CHILD_T", "a");
  testutil::ScopedEnv long_name("AIRBYTE_CHILD_T_LONG", "b");
  ChildProcess child = ChildProcess::Spawn({.argv = {"env"}, .extra_env = {"AIRBYTE_CHILD_T=c"}});
  const std::string out = ReadAll(child.stdout_fd());
  child.Wait();
  EXPECT_THAT(out, AllOf(HasSubstr("\nAIRBYTE_CHILD_T=c\n"), HasSubstr("AIRBYTE_CHILD_T_LONG=b\n"),
                         Not(HasSubstr("AIRBYTE_CHILD_T=a"))));
}

TEST(ChildProcessTest, WorkingDirectoryIsApplied) {
  ScopedTempDir dir;
  ChildProcess child = Shell("pwd -P", {.working_dir = dir.path()});
  EXPECT_EQ(ReadAll(child.stdout_fd()), std::filesystem::canonical(dir.path()).string() + "\n");
  EXPECT_EQ(child.Wait().code, 0);
}

TEST(ChildProcessTest, MissingWorkingDirectoryIsNamedInTheError) {
  ScopedTempDir dir;
  const std::filesystem::path missing = dir.path() / "no-such-dir";
  EXPECT_THAT([&] { Shell("true", {.working_dir = missing}); },
              ThrowsError(ErrorKind::kIo, HasSubstr(missing.string())));
}

// ---- spawn failures ------------------------------------------------------------------------

TEST(ChildProcessTest, MissingProgramPathThrowsExecutableNotFound) {
  EXPECT_THAT([] { ChildProcess::Spawn({.argv = {"/nonexistent/dir/connector"}}); },
              ThrowsError(ErrorKind::kExecutableNotFound, HasSubstr("/nonexistent/dir/connector")));
}

TEST(ChildProcessTest, UnknownProgramNameThrowsExecutableNotFound) {
  EXPECT_THAT(
      [] { ChildProcess::Spawn({.argv = {"airbyte-no-such-program-4711"}}); },
      ThrowsError(ErrorKind::kExecutableNotFound, HasSubstr("'airbyte-no-such-program-4711'")));
}

TEST(ChildProcessTest, NonExecutableFileThrowsExecutableNotFound) {
  ScopedTempDir dir;
  const auto file = WriteFileWithMode(dir.path() / "connector", "#!/bin/sh\necho hi\n", 0644);
  EXPECT_THAT([&] { ChildProcess::Spawn({.argv = {file.string()}}); },
              ThrowsError(ErrorKind::kExecutableNotFound, HasSubstr(file.string())));
}

TEST(ChildProcessTest, ExecutableWithoutInterpreterLineThrowsExecutableNotFound) {
  // posix_spawn (unlike execvp and the shell) does not fall back to /bin/sh on ENOEXEC.
  ScopedTempDir dir;
  const auto file = WriteFileWithMode(dir.path() / "script", "echo hi\n", 0755);
  EXPECT_THAT([&] { ChildProcess::Spawn({.argv = {file.string()}}); },
              ThrowsError(ErrorKind::kExecutableNotFound,
                          AllOf(HasSubstr(file.string()), HasSubstr("Exec format error"))));
}

TEST(ChildProcessTest, EmptyArgvIsAnInternalError) {
  EXPECT_THAT([] { ChildProcess::Spawn({}); },
              ThrowsError(ErrorKind::kInternal, HasSubstr("argv")));
}

// ---- pipes and file descriptors ------------------------------------------------------------

TEST(ChildProcessTest, StdoutPipeIsAtLeast64KiB) {
  ChildProcess child = ChildProcess::Spawn({.argv = {"true"}});
  EXPECT_GE(child.stdout_pipe_size(), 64 * 1024);
  EXPECT_EQ(child.stdout_pipe_size(), ::fcntl(child.stdout_fd(), F_GETPIPE_SZ));
  // Informational: what the kernel grants for the default 1 MiB request on this machine.
  ::testing::Test::RecordProperty("granted_stdout_pipe_size", child.stdout_pipe_size());
  std::printf("[   INFO   ] requested %d bytes, granted %d\n",
              ChildProcessOptions{}.stdout_pipe_size, child.stdout_pipe_size());
  child.Wait();
}

TEST(ChildProcessTest, ChildCanFillTheGrantedPipeWithoutAReader) {
  // The child writes exactly the granted pipe size and exits while nobody reads: it must not
  // block, or the reported size is a lie.
  ChildProcess child = Shell("read n; head -c \"$n\" /dev/zero", {.pipe_stdin = true});
  const int granted = child.stdout_pipe_size();
  WriteAll(child.stdin_fd(), std::to_string(granted) + "\n");
  child.CloseStdin();
  std::optional<ExitStatus> status;
  const auto deadline = Clock::now() + 10s;
  while (!status && Clock::now() < deadline) {
    status = child.TryWait();
    if (!status) std::this_thread::sleep_for(5ms);
  }
  ASSERT_TRUE(status.has_value()) << "child blocked writing " << granted << " bytes";
  EXPECT_EQ(status->code, 0);
  EXPECT_EQ(ReadAll(child.stdout_fd()).size(), static_cast<std::size_t>(granted));
}

TEST(ChildProcessTest, SmallPipeRequestIsHonoured) {
  ChildProcess child = ChildProcess::Spawn({.argv = {"true"}, .stdout_pipe_size = 4096});
  EXPECT_EQ(child.stdout_pipe_size(), 4096);
  child.Wait();
}

TEST(ChildProcessTest, FileDescriptorsAreNotLeakedAcrossManySpawns) {
  ScopedTempDir dir;
  const auto no_interpreter = WriteFileWithMode(dir.path() / "script", "echo hi\n", 0755);
  const int before = testutil::CountOpenFds();
  for (int i = 0; i < 60; ++i) {
    ChildProcess child = ChildProcess::Spawn({.argv = {"/bin/echo", std::to_string(i)}});
    EXPECT_EQ(ReadAll(child.stdout_fd()), std::to_string(i) + "\n");
    child.Wait();
  }
  for (int i = 0; i < 10; ++i) {  // destroyed while running, with a stdin pipe
    ChildProcess child = ChildProcess::Spawn({.argv = {"sleep", "100"}, .pipe_stdin = true});
  }
  for (int i = 0; i < 10; ++i) {  // posix_spawn fails after the pipes were created
    EXPECT_THROW(ChildProcess::Spawn({.argv = {no_interpreter.string()}, .pipe_stdin = true}),
                 Error);
  }
  EXPECT_EQ(testutil::CountOpenFds(), before);
}

TEST(ChildProcessTest, ChildInheritsNoOtherPipes) {
  // Our own descriptors without FD_CLOEXEC (from the test runner, say) are inherited by any
  // child; the pipes of another ChildProcess must not be.
  std::set<std::string> expected = {"0", "1", "2"};
  for (const std::string& name : testutil::ListDir("/proc/self/fd")) {
    const int fd = std::stoi(name);
    const int flags = ::fcntl(fd, F_GETFD);
    if (fd > 2 && flags >= 0 && (flags & FD_CLOEXEC) == 0) expected.insert(name);
  }
  ChildProcess other = ChildProcess::Spawn({.argv = {"sleep", "100"}, .pipe_stdin = true});
  ChildProcess child = Shell("echo ready; read line", {.pipe_stdin = true});
  // posix_spawn's vfork-style parent resumes before the kernel has closed the child's
  // close-on-exec descriptors, so /proc/<pid>/fd briefly lists them: look only once the child
  // runs code after the exec.
  ASSERT_EQ(ReadLine(child.stdout_fd()), "ready");
  EXPECT_THAT(FdsOfProcess(child.pid()), ContainerEq(expected));
  EXPECT_EQ(other.Terminate(5s).code, -SIGTERM);
  EXPECT_EQ(child.Terminate(5s).code, -SIGTERM);
}

// ---- process group and signals -------------------------------------------------------------

TEST(ChildProcessTest, ChildLeadsItsOwnProcessGroup) {
  ChildProcess child = ChildProcess::Spawn({.argv = {"sleep", "100"}});
  EXPECT_EQ(::getpgid(child.pid()), child.pid());
  EXPECT_NE(::getpgid(child.pid()), ::getpgrp());
  child.Terminate(5s);
}

// Ignores SIGPIPE and blocks SIGTERM in this thread while alive, as a CLI host might.
class ScopedHostileSignalSetup {
 public:
  ScopedHostileSignalSetup() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old_pipe_);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    ::pthread_sigmask(SIG_BLOCK, &block, &old_mask_);
  }
  ~ScopedHostileSignalSetup() {
    ::sigaction(SIGPIPE, &old_pipe_, nullptr);
    ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }
  ScopedHostileSignalSetup(const ScopedHostileSignalSetup&) = delete;
  ScopedHostileSignalSetup& operator=(const ScopedHostileSignalSetup&) = delete;

 private:
  struct sigaction old_pipe_ {};
  sigset_t old_mask_{};
};

// The hex mask of a "SigIgn:"/"SigBlk:" line of /proc/<pid>/status text.
unsigned long long SignalMask(const std::string& status, const std::string& field) {
  std::istringstream in(status);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0)
      return std::stoull(line.substr(field.size() + 1), nullptr, 16);
  }
  ADD_FAILURE() << field << " not found in " << status;
  return ~0ull;
}

TEST(ChildProcessTest, ChildGetsDefaultSigpipeAndEmptySignalMask) {
  ScopedHostileSignalSetup hostile;
  ChildProcess child = Shell("exec cat /proc/self/status");
  const std::string status = ReadAll(child.stdout_fd());
  child.Wait();
  const unsigned long long sigpipe_bit = 1ull << (SIGPIPE - 1);
  EXPECT_EQ(SignalMask(status, "SigIgn") & sigpipe_bit, 0u) << "SIGPIPE is ignored in the child";
  EXPECT_EQ(SignalMask(status, "SigBlk"), 0u) << "the child inherited a blocked signal";
}

// ---- FindExecutable ------------------------------------------------------------------------

class FindExecutableTest : public ::testing::Test {
 protected:
  ScopedTempDir dir_;
};

TEST_F(FindExecutableTest, FindsSystemShellOnPath) {
  std::optional<std::filesystem::path> sh = FindExecutable("sh");
  ASSERT_TRUE(sh.has_value());
  EXPECT_TRUE(sh->is_absolute());
  EXPECT_EQ(sh->filename(), "sh");
}

TEST_F(FindExecutableTest, FindsExecutableInPathDirectory) {
  const auto tool = WriteFileWithMode(dir_.path() / "fake-tool", "#!/bin/sh\n", 0755);
  testutil::ScopedEnv path("PATH", dir_.path().string());
  EXPECT_EQ(FindExecutable("fake-tool"), tool);
}

TEST_F(FindExecutableTest, SkipsNonExecutableFilesAndDirectoriesOnPath) {
  const std::filesystem::path first = dir_.path() / "first";
  const std::filesystem::path second = dir_.path() / "second";
  const std::filesystem::path third = dir_.path() / "third";
  std::filesystem::create_directories(second / "tool");  // a directory named like the tool
  WriteFileWithMode(first / "tool", "#!/bin/sh\n", 0644);
  const auto good = WriteFileWithMode(third / "tool", "#!/bin/sh\n", 0755);
  testutil::ScopedEnv path("PATH", first.string() + ":" + second.string() + ":" + third.string());
  EXPECT_EQ(FindExecutable("tool"), good);
}

TEST_F(FindExecutableTest, UnknownNameIsNotFound) {
  testutil::ScopedEnv path("PATH", dir_.path().string());
  EXPECT_EQ(FindExecutable("sh"), std::nullopt);
  EXPECT_EQ(FindExecutable("airbyte-no-such-program-4711"), std::nullopt);
}

TEST_F(FindExecutableTest, NameWithSlashIsUsedAsPathNotSearched) {
  EXPECT_EQ(FindExecutable("/bin/sh"), std::filesystem::path("/bin/sh"));
  EXPECT_EQ(FindExecutable("/nonexistent/sh"), std::nullopt);  // although sh is on PATH
  const auto tool = WriteFileWithMode(dir_.path() / "tool", "#!/bin/sh\n", 0755);
  testutil::ScopedEnv path("PATH", "/nonexistent");
  EXPECT_EQ(FindExecutable(tool.string()), tool);
}

TEST_F(FindExecutableTest, RelativePathWithSlashIsMadeAbsolute) {
  const std::filesystem::path relative =
      std::filesystem::relative("/bin/sh", std::filesystem::current_path());
  ASSERT_NE(relative.string().find('/'), std::string::npos);
  std::optional<std::filesystem::path> found = FindExecutable(relative.string());
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->is_absolute());
  EXPECT_EQ(std::filesystem::canonical(*found), std::filesystem::canonical("/bin/sh"));
}

TEST_F(FindExecutableTest, DirectoryOrEmptyNameIsNotAnExecutable) {
  EXPECT_EQ(FindExecutable(dir_.path().string()), std::nullopt);
  EXPECT_EQ(FindExecutable(""), std::nullopt);
}

}  // namespace
}  // namespace airbyte::util
