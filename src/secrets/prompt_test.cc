// The prompt source under a real pseudo-terminal (forkpty): prompt text, no echo, the value.
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "airbyte/secrets.h"
#include "secrets/terminal.h"
#include "testutil/testutil.h"
#include "util/fd.h"

namespace airbyte {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kTyped = "typed-on-the-terminal-6620";
constexpr const char* kPrompt = "Enter the value for secret 'PTY_SECRET': ";

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
  std::string screen = testutil::ReadFdUntil(master_fd.get(), kPrompt);
  ASSERT_THAT(screen, HasSubstr(kPrompt));
  const std::string line = std::string(kTyped) + "\n";
  ASSERT_EQ(::write(master_fd.get(), line.data(), line.size()),
            static_cast<ssize_t>(line.size()));
  screen += testutil::ReadFdUntil(master_fd.get(), "");
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const std::string report = testutil::ReadFdUntil(result.read.get(), "");
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
