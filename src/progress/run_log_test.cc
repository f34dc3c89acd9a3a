#include "progress/run_log.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte::progress {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(RunLogTest, RootComesFromTheEnvironmentElseTmp) {
  {
    testutil::ScopedEnv root("AIRBYTE_LOGGING_ROOT", "/somewhere/logs");
    EXPECT_EQ(LoggingRoot(), "/somewhere/logs");
  }
  testutil::ScopedEnv root("AIRBYTE_LOGGING_ROOT", std::nullopt);
  EXPECT_EQ(LoggingRoot(), "/tmp/airbyte/logs");
}

TEST(RunLogTest, ConnectorLogFollowsPyAirbytesLayout) {
  util::ScopedTempDir dir;
  testutil::ScopedEnv root("AIRBYTE_LOGGING_ROOT", dir.path().string());
  testutil::ScopedEnv structured("AIRBYTE_STRUCTURED_LOGGING", std::nullopt);
  const auto log = OpenConnectorLog("source-faker");
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->path().parent_path(), dir.path() / "source-faker");
  EXPECT_THAT(log->path().filename().string(),
              MatchesRegex("source-faker-log-[0-9A-HJKMNP-TV-Z]{9}\\.log"));
  EXPECT_NE(OpenConnectorLog("source-faker")->path(), log->path());  // one file per Source
  log->Write("INFO", "hello");
  EXPECT_THAT(testutil::ReadText(log->path()), HasSubstr(" - INFO - hello\n"));
}

TEST(RunLogTest, StructuredLoggingWritesJsonLines) {
  util::ScopedTempDir dir;
  testutil::ScopedEnv root("AIRBYTE_LOGGING_ROOT", dir.path().string());
  testutil::ScopedEnv structured("AIRBYTE_STRUCTURED_LOGGING", "True");
  const auto log = OpenConnectorLog("source-x");
  ASSERT_NE(log, nullptr);
  log->Write("INFO", "hello");
  EXPECT_EQ(nlohmann::json::parse(testutil::ReadText(log->path()))["event"], "hello");
}

TEST(RunLogTest, UnwritableRootDisablesFileLogging) {
  testutil::ScopedEnv root("AIRBYTE_LOGGING_ROOT", "/proc/no-such-dir/logs");
  EXPECT_EQ(OpenConnectorLog("source-x"), nullptr);
}

}  // namespace
}  // namespace airbyte::progress
