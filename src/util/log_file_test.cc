#include "util/log_file.h"

#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "testutil/testutil.h"
#include "util/line_ring.h"
#include "util/temp_dir.h"

namespace airbyte::util {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;

std::vector<std::string> FileLines(const std::filesystem::path& path) {
  std::vector<std::string> lines;
  std::string text = testutil::ReadText(path);
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

TEST(LogFileTest, TextLinesHaveTimestampLevelAndMessage) {
  ScopedTempDir dir;
  LogFile log(dir.path() / "sub" / "x.log", LogFile::Format::kText);
  log.Write("INFO", "hello\n");
  log.Write("ERROR", "broken");
  const std::vector<std::string> lines = FileLines(log.path());
  ASSERT_THAT(lines, SizeIs(2));
  EXPECT_THAT(lines[0], MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} - "
                                     "INFO - hello"));
  EXPECT_THAT(lines[1], HasSubstr(" - ERROR - broken"));
}

TEST(LogFileTest, JsonLinesHaveEventLevelAndTimestamp) {
  ScopedTempDir dir;
  LogFile log(dir.path() / "x.log", LogFile::Format::kJsonLines);
  log.Write("WARNING", "careful \"quoted\"");
  const std::vector<std::string> lines = FileLines(log.path());
  ASSERT_THAT(lines, SizeIs(1));
  const nlohmann::json entry = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(entry["event"], "careful \"quoted\"");
  EXPECT_EQ(entry["level"], "WARNING");
  EXPECT_THAT(entry["timestamp"].get<std::string>(),
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}"));
}

TEST(LogFileTest, RegisteredSecretsAreMasked) {
  RegisterSecret("log-file-secret-6121");
  ScopedTempDir dir;
  LogFile log(dir.path() / "x.log", LogFile::Format::kText);
  log.Write("INFO", "token=log-file-secret-6121");
  EXPECT_THAT(testutil::ReadText(log.path()), AllOf(HasSubstr("token=****"),
                                                    Not(HasSubstr("log-file-secret-6121"))));
}

TEST(LogFileTest, UnwritableDirectoryThrowsIoError) {
  EXPECT_THAT([] { LogFile log("/proc/no-such-dir/x.log", LogFile::Format::kText); },
              testutil::ThrowsError(ErrorKind::kIo, HasSubstr("/proc/no-such-dir/x.log")));
}

TEST(LogFileTest, LineRingTeesEveryLineMaskedAndWhole) {
  RegisterSecret("ring-tee-secret-991");
  ScopedTempDir dir;
  auto log = std::make_shared<LogFile>(dir.path() / "x.log", LogFile::Format::kText);
  LineRing ring(/*max_lines=*/2);
  ring.set_sink([log](std::string_view line) { log->Write("INFO", line); });
  for (int i = 0; i < 5; ++i) ring.Append("line " + std::to_string(i) + " ring-tee-secret-991");
  const std::vector<std::string> lines = FileLines(log->path());
  ASSERT_THAT(lines, SizeIs(5));  // the ring keeps 2; the file keeps everything
  EXPECT_THAT(lines[4], HasSubstr("INFO - line 4 ****"));
}

TEST(LogFileTest, ConcurrentWritersNeverInterleaveLines) {
  ScopedTempDir dir;
  LogFile log(dir.path() / "x.log", LogFile::Format::kText);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&log, t] {
      for (int i = 0; i < 200; ++i) log.Write("INFO", "thread " + std::to_string(t) + " entry");
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::vector<std::string> lines = FileLines(log.path());
  ASSERT_THAT(lines, SizeIs(800));
  for (const std::string& line : lines) EXPECT_THAT(line, MatchesRegex(".* - INFO - thread [0-3] entry"));
}

}  // namespace
}  // namespace airbyte::util
