// The prompt source under a real pseudo-terminal (forkpty): prompt text, no echo, the value.
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "airbyte/secrets.h"
#include "secrets/terminal.h"
#include "util/fd.h"

namespace airbyte {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kTyped = "typed-on-the-terminal-6620";
constexpr const char* kPrompt = "Enter the value for secret 'PTY_SECRET': ";

// Reads from `fd` until `until` appears (empty: until EOF/EIO) or 10 s pass.
std::string ReadUntil(int fd, std::string_view until) {
  std::string text;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!until.empty() && text.find(until) != std::string::npos) break;
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 100) <= 0) continue;
    char buffer[512];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;  // EIO once the child closed the terminal
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

TEST(PromptSecretManagerTest, PromptsOnTheTerminalWithoutEchoingTheValue) {
  util::Pipe result = util::Pipe::Create();
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // the child: its controlling terminal is the pty
    ::unsetenv("CI");
    std::string report = secrets::IsInteractive() ? "interactive|" : "not-interactive|";
    try {
      report += GetSecret("PTY_SECRET",
                          {.sources = {{std::make_shared<PromptSecretManager>()}}}).Reveal();
    } catch (...) {
      report += "<threw>";
    }
    (void)::write(result.write.get(), report.data(), report.size());
    ::_exit(0);
  }
  util::Fd master_fd(master);
  result.write.reset();
  std::string screen = ReadUntil(master_fd.get(), kPrompt);
  ASSERT_THAT(screen, HasSubstr(kPrompt));
  const std::string line = std::string(kTyped) + "\n";
  ASSERT_EQ(::write(master_fd.get(), line.data(), line.size()),
            static_cast<ssize_t>(line.size()));
  screen += ReadUntil(master_fd.get(), "");
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const std::string report = ReadUntil(result.read.get(), "");
  EXPECT_EQ(report, std::string("interactive|") + kTyped);
  EXPECT_THAT(screen, Not(HasSubstr(kTyped))) << "the typed value was echoed";
}

TEST(PromptSecretManagerTest, WithoutATerminalNothingIsFound) {
  const auto no_terminal = [] {
    ::setsid();  // a new session has no controlling terminal: /dev/tty cannot be opened
    std::exit(PromptSecretManager().GetSecret("ANY") == std::nullopt ? 0 : 1);
  };
  EXPECT_EXIT(no_terminal(), ::testing::ExitedWithCode(0), "");
}

TEST(PromptSecretManagerTest, NotInteractiveUnderCiOrWithoutTerminals) {
  const auto under_ci = [] {
    ::setenv("CI", "true", 1);
    std::exit(secrets::IsInteractive() ? 1 : 0);
  };
  EXPECT_EXIT(under_ci(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace airbyte
