#include "progress/progress_display.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testutil/testutil.h"
#include "util/fd.h"

namespace airbyte::progress {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using namespace std::chrono_literals;

// Reads everything written to a pipe once its write end is closed.
std::string Drain(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof(buffer))) > 0) out.append(buffer, static_cast<std::size_t>(n));
  return out;
}

struct Pipe {
  Pipe() { EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0); }
  ~Pipe() {
    for (int fd : fds) if (fd >= 0) ::close(fd);
  }
  std::string CloseAndRead() {
    ::close(fds[1]);
    fds[1] = -1;
    return Drain(fds[0]);
  }
  int fds[2] = {-1, -1};
};

// A pseudo-terminal: the display sees a real TTY.
struct Pty {
  Pty() {
    master = posix_openpt(O_RDWR | O_NOCTTY);
    EXPECT_GE(master, 0);
    EXPECT_EQ(grantpt(master), 0);
    EXPECT_EQ(unlockpt(master), 0);
    slave = ::open(ptsname(master), O_RDWR | O_NOCTTY);
    EXPECT_GE(slave, 0);
  }
  ~Pty() {
    ::close(slave);
    ::close(master);
  }
  int master = -1;
  int slave = -1;
};

TEST(ProgressDisplayTest, AutoIsPlainForAPipeAndLiveForATerminal) {
  testutil::ScopedEnv ci("CI", std::nullopt);
  testutil::ScopedEnv no_live("NO_LIVE_PROGRESS", std::nullopt);
  testutil::ScopedEnv term("TERM", "xterm-256color");
  Pipe pipe;
  Pty pty;
  EXPECT_EQ(ResolveStyle(ProgressStyle::kAuto, pipe.fds[1]), ProgressStyle::kPlain);
  EXPECT_EQ(ResolveStyle(ProgressStyle::kAuto, pty.slave), ProgressStyle::kLive);
  EXPECT_EQ(ResolveStyle(ProgressStyle::kNone, pty.slave), ProgressStyle::kNone);
  EXPECT_EQ(ResolveStyle(ProgressStyle::kLive, pipe.fds[1]), ProgressStyle::kLive);
}

TEST(ProgressDisplayTest, CiOrNoLiveProgressForcePlainOnATerminal) {
  testutil::ScopedEnv term("TERM", "xterm-256color");
  Pty pty;
  {
    testutil::ScopedEnv ci("CI", "");
    EXPECT_EQ(ResolveStyle(ProgressStyle::kAuto, pty.slave), ProgressStyle::kPlain);
  }
  {
    testutil::ScopedEnv ci("CI", std::nullopt);
    testutil::ScopedEnv no_live("NO_LIVE_PROGRESS", "0");
    EXPECT_EQ(ResolveStyle(ProgressStyle::kAuto, pty.slave), ProgressStyle::kPlain);
  }
  {
    testutil::ScopedEnv ci("CI", std::nullopt);
    testutil::ScopedEnv dumb("TERM", "dumb");
    EXPECT_EQ(ResolveStyle(ProgressStyle::kAuto, pty.slave), ProgressStyle::kPlain);
  }
}

TEST(ProgressDisplayTest, NoColorTurnsColorsOff) {
  testutil::ScopedEnv term("TERM", "xterm");
  {
    testutil::ScopedEnv no_color("NO_COLOR", "1");
    EXPECT_FALSE(ColorEnabled());
  }
  testutil::ScopedEnv no_color("NO_COLOR", std::nullopt);
  EXPECT_TRUE(ColorEnabled());
}

TEST(ProgressDisplayTest, PlainPrintsHeartbeatsAndASummaryWithoutEscapeCodes) {
  testutil::ScopedEnv heartbeat("AIRBYTE_PROGRESS_HEARTBEAT_MS", std::nullopt);
  Pipe pipe;
  ReadProgress progress("source-x -> DuckDBCache", {"users"});
  {
    ProgressDisplay display(progress, {.style = ProgressStyle::kPlain,
                                       .fd = pipe.fds[1],
                                       .heartbeat = 50ms});
    progress.set_phase(Phase::kReading);
    for (int i = 1; i <= 30; ++i) {
      progress.stream(0).SetRecords(i * 100);
      std::this_thread::sleep_for(10ms);
    }
    display.Finish(true);
  }
  const std::string out = pipe.CloseAndRead();
  EXPECT_THAT(out, StartsWith("source-x -> DuckDBCache: reading, "));
  EXPECT_THAT(out, HasSubstr(" records (")) << out;
  EXPECT_THAT(out, HasSubstr("Read 3,000 records over "));
  EXPECT_THAT(out, ContainsRegex("\n  users +3,000  "));
  EXPECT_THAT(out, HasSubstr("Completed `source-x -> DuckDBCache` sync at `"));
  EXPECT_THAT(out, Not(HasSubstr("\x1b")));
}

TEST(ProgressDisplayTest, NonePrintsNothing) {
  Pipe pipe;
  ReadProgress progress("job", {"users"});
  {
    ProgressDisplay display(progress, {.style = ProgressStyle::kNone, .fd = pipe.fds[1]});
    progress.stream(0).SetRecords(10);
    display.Finish(true);
  }
  EXPECT_EQ(pipe.CloseAndRead(), "");
}

TEST(ProgressDisplayTest, LiveRedrawsInPlaceThenLeavesOnlyTheSummary) {
  testutil::ScopedEnv no_color("NO_COLOR", "1");
  Pipe pipe;
  ReadProgress progress("job", {"users", "orders"});
  {
    ProgressDisplay display(progress, {.style = ProgressStyle::kLive,
                                       .fd = pipe.fds[1],
                                       .refresh = 20ms});
    progress.set_phase(Phase::kReading);
    for (int i = 1; i <= 20; ++i) {
      progress.stream(0).SetRecords(i);
      std::this_thread::sleep_for(10ms);
    }
    display.Finish(true);
  }
  const std::string out = pipe.CloseAndRead();
  // Frames: cursor up over the previous block, lines ending in erase-to-end-of-line.
  EXPECT_THAT(out, HasSubstr("job | reading | "));
  EXPECT_THAT(out, HasSubstr("\x1b[3A"));   // header + 2 streams + total: up 3 lines
  EXPECT_THAT(out, HasSubstr("\x1b[K\n"));
  EXPECT_THAT(out, Not(HasSubstr("\x1b[1m")));  // NO_COLOR
  // The end: the block erased, then the plain summary.
  const std::size_t summary = out.find("Read 20 records over ");
  ASSERT_NE(summary, std::string::npos) << out;
  EXPECT_THAT(out.substr(summary - 5, 5), HasSubstr("\x1b[J"));
  EXPECT_THAT(out.substr(summary), Not(HasSubstr("\x1b")));
}

TEST(ProgressDisplayTest, LiveHeaderIsBoldUnlessNoColor) {
  testutil::ScopedEnv no_color("NO_COLOR", std::nullopt);
  testutil::ScopedEnv term("TERM", "xterm-256color");
  Pipe pipe;
  ReadProgress progress("job", {"users"});
  {
    ProgressDisplay display(progress, {.style = ProgressStyle::kLive,
                                       .fd = pipe.fds[1],
                                       .refresh = 10ms});
    std::this_thread::sleep_for(100ms);
    display.Finish(true);
  }
  const std::string out = pipe.CloseAndRead();
  EXPECT_THAT(out, HasSubstr("\x1b[1mjob | "));
  EXPECT_THAT(out.substr(out.find("Read 0 records")), Not(HasSubstr("\x1b")));
}

}  // namespace
}  // namespace airbyte::progress
