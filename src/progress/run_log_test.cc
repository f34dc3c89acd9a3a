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

TEST(RunLogTest, StatsRecordHasPyAirbytesShapeAndGoesToTheStatsLog) {
  Snapshot snapshot{.job = "source-faker -> DuckDBCache", .phase = Phase::kDone,
                    .elapsed_s = 2.0, .bytes_read = 3'000'000};
  snapshot.streams.push_back({.name = "users", .records = 500, .loaded = 500,
                              .first_record_s = 0.5, .last_record_s = 1.5});
  const nlohmann::json stats =
      nlohmann::json::parse(ReadStatsJson(snapshot, "source-faker", "DuckDBCache"));
  EXPECT_EQ(stats["job_type"], "read");
  EXPECT_EQ(stats["job_info"]["description"], "source-faker -> DuckDBCache");
  EXPECT_EQ(stats["job_info"]["source"]["name"], "source-faker");
  EXPECT_EQ(stats["job_info"]["cache"]["type"], "DuckDBCache");
  const nlohmann::json& metrics = stats["performance_metrics"];
  EXPECT_EQ(metrics["records_read"], 500);
  EXPECT_EQ(metrics["records_per_second"], 250.0);
  EXPECT_EQ(metrics["mb_read"], 3.0);
  EXPECT_EQ(metrics["mb_per_second"], 1.5);
  EXPECT_EQ(metrics["stream_metrics"]["users"]["records_per_second"], 500.0);
  EXPECT_EQ(metrics["stream_metrics"]["users"]["time_to_first_record"], 0.5);

  util::ScopedTempDir dir;
  testutil::ScopedEnv root("AIRBYTE_LOGGING_ROOT", dir.path().string());
  AppendStats("{\"a\":1}");
  AppendStats("{\"a\":2}");
  EXPECT_EQ(testutil::ReadText(dir.path() / "airbyte-stats.log"), "{\"a\":1}\n{\"a\":2}\n");
}

}  // namespace
}  // namespace airbyte::progress
