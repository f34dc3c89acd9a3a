// The live progress display as a person sees it: `airbyte read` runs in a real terminal
// (a detached tmux session with a fixed size), and the pane is captured mid-read and at the end.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "progress/format.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte {
namespace {

using ::testing::AllOf;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

using namespace std::chrono_literals;

using testutil::Lines;

int Count(const std::string& text, const std::string& needle) {
  int count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// A tmux server of our own (private socket), killed with its sessions at the end.
class TmuxSession {
 public:
  TmuxSession(const std::filesystem::path& dir, int width, int height, const std::string& command)
      : socket_((dir / ("tmux-" + std::to_string(NextId()) + ".sock")).string()) {
    const testutil::CommandResult r = Tmux({"new-session", "-d", "-x", std::to_string(width), "-y",
                                            std::to_string(height), command});
    started_ = r.exit_code == 0;
    EXPECT_TRUE(started_) << r.err;
  }
  ~TmuxSession() { Tmux({"kill-server"}); }

  // A socket per session: a new server on the socket of one being killed fails to start
  // ("server exited unexpectedly").
  static int NextId() {
    static int next = 0;
    return next++;
  }

  // What the terminal shows now (trailing blanks trimmed by tmux).
  std::string Capture() { return Tmux({"capture-pane", "-p"}).out; }

  // Captures until `text` shows up (or the deadline passes); returns the last capture.
  std::string WaitFor(const std::string& text, std::chrono::milliseconds deadline) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    std::string pane;
    while (std::chrono::steady_clock::now() < end) {
      pane = Capture();
      if (pane.find(text) != std::string::npos) return pane;
      std::this_thread::sleep_for(50ms);
    }
    return pane;
  }

 private:
  testutil::CommandResult Tmux(std::vector<std::string> args) {
    args.insert(args.begin(), {"tmux", "-S", socket_});
    return testutil::RunCommand(args);
  }
  std::string socket_;
  bool started_ = false;
};

class TtyProgressTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testutil::RunCommand({"tmux", "-V"}).exit_code != 0) {
      if (testutil::InCi()) FAIL() << "tmux is required under CI (scripts/setup installs it)";
      GTEST_SKIP() << "tmux not installed";
    }
  }

  // The shell command tmux runs: the read, then its exit code, then a pause to be captured.
  std::string ReadCommand(const std::string& extra_env, const std::string& extra_args) const {
    return "env -u CI -u NO_LIVE_PROGRESS -u NO_COLOR TERM=xterm-256color AIRBYTE_LOGGING_ROOT=" +
           (work_.path() / "logs").string() + " " + extra_env + " " + testutil::CliPath().string() +
           " read --source " + AIRBYTE_SOURCE_DIR + "/tests/data/source_slow.sh --cache " +
           (work_.path() / "c.duckdb").string() + " " + extra_args + "; echo EXIT=$?; sleep 60";
  }

  util::ScopedTempDir work_{"tty-progress-test-"};
};

TEST_F(TtyProgressTest, LiveBlockUpdatesInPlaceThenLeavesTheSummary) {
  TmuxSession tmux(work_.path(), 100, 30, ReadCommand("SLOW_ROUNDS=30", ""));
  // Mid-read: one status block, redrawn in place.
  std::string pane = tmux.WaitFor("records/s", 10s);
  std::this_thread::sleep_for(700ms);
  pane = tmux.Capture();
  EXPECT_EQ(Count(pane, "source_slow -> DuckDBCache | reading | "), 1) << pane;
  EXPECT_THAT(pane, ContainsRegex("\n  users +[0-9]+ records +[0-9,]+\\.[0-9] records/s\n"))
      << pane;
  EXPECT_THAT(pane, ContainsRegex("\n  orders +[0-9]+ records"));
  EXPECT_THAT(pane, ContainsRegex("\n  Total +[0-9]+ records"));
  EXPECT_THAT(pane, Not(HasSubstr("Read 60 records")));
  // Later: the counts moved on (the block is live, not a one-off).
  std::this_thread::sleep_for(1s);
  const std::string later = tmux.Capture();
  EXPECT_NE(later, pane);
  EXPECT_EQ(Count(later, "| reading |") + Count(later, "| loading |") +
                Count(later, "| finalizing |") + Count(later, "Read 60 records"),
            1)
      << later;

  // The end: the block is gone, the summary and the command's own output remain.
  pane = tmux.WaitFor("EXIT=", 20s);
  EXPECT_THAT(pane, HasSubstr("EXIT=0")) << pane;
  EXPECT_THAT(pane, AllOf(HasSubstr("Read 60 records over "),
                          ContainsRegex("\n  Stream +Records +Time +Records/s\n"),
                          ContainsRegex("\n  users +30 +"), ContainsRegex("\n  orders +30 +"),
                          ContainsRegex("\n  Total +60 +"),
                          HasSubstr("Completed `source_slow -> DuckDBCache` sync at `"),
                          HasSubstr("users: 30 records -> table users")))
      << pane;
  EXPECT_THAT(pane, Not(HasSubstr("| reading |"))) << pane;
  EXPECT_THAT(pane, Not(HasSubstr("| finalizing |"))) << pane;
}

TEST_F(TtyProgressTest, NarrowTerminalShowsTruncatedLinesWithoutGarbage) {
  TmuxSession tmux(work_.path(), 30, 12, ReadCommand("SLOW_ROUNDS=40", ""));
  std::string pane = tmux.WaitFor("  users", 10s);
  std::this_thread::sleep_for(1s);
  pane = tmux.Capture();
  // Truncated, never wrapped: each line fits, and the block is drawn exactly once.
  for (const std::string& line : Lines(pane)) {
    EXPECT_LE(progress::DisplayWidth(line), 30u) << line;
  }
  EXPECT_EQ(Count(pane, "source_slow -> DuckDBCache |"), 1) << pane;
  EXPECT_THAT(pane, ContainsRegex("(^|\n)source_slow -> DuckDBCache \\|[^\n]*\u2026\n"))
      << pane;  // the header, cut with an ellipsis
  EXPECT_THAT(pane, ContainsRegex("\n  users +[0-9]+ recor"));
  pane = tmux.WaitFor("EXIT=", 20s);
  EXPECT_THAT(pane, HasSubstr("EXIT=0")) << pane;
  EXPECT_EQ(Count(pane, "DuckDBCache |"), 0) << pane;  // the block is gone
  EXPECT_EQ(Count(pane, "…"), 0) << pane;
}

TEST_F(TtyProgressTest, QuietAndCiShowNoLiveBlock) {
  {
    TmuxSession tmux(work_.path(), 100, 30, ReadCommand("SLOW_ROUNDS=10", "--quiet"));
    const std::string pane = tmux.WaitFor("EXIT=", 20s);
    EXPECT_THAT(pane, HasSubstr("EXIT=0"));
    EXPECT_THAT(pane, AllOf(Not(HasSubstr("| reading |")), Not(HasSubstr("Read 20 records over")),
                            HasSubstr("users: 10 records")));
  }
  {
    TmuxSession tmux(work_.path(), 100, 30,
                     ReadCommand("SLOW_ROUNDS=10 CI=true AIRBYTE_PROGRESS_HEARTBEAT_MS=200", ""));
    std::string pane = tmux.WaitFor("EXIT=", 20s);
    EXPECT_THAT(pane, HasSubstr("EXIT=0"));
    EXPECT_THAT(pane, HasSubstr("source_slow -> DuckDBCache: reading, "));  // heartbeat lines
    EXPECT_THAT(pane, HasSubstr("Read 20 records over"));
    EXPECT_THAT(pane, Not(HasSubstr("| reading |")));
  }
}

}  // namespace
}  // namespace airbyte
