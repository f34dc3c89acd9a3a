// Uses the library exactly as the README shows: only <airbyte/airbyte.h> and nlohmann/json,
// so an API change that breaks the documented usage fails to compile here.
#include <airbyte/airbyte.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <vector>

#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace {

using ::testing::ElementsAre;

TEST(PublicApiTest, ReadmeUsageReadsRecordsWithAPlainJsonConfig) {
  const std::string connector = airbyte::testutil::FakeConnectorPath().string();
  airbyte::Source source = airbyte::GetSource("source-fake", nlohmann::json{{"count", 3}},
                                              {.local_executable = connector});
  source.Check();
  std::vector<std::int64_t> ids;
  for (const airbyte::StreamRecord& record : source.GetRecords("users", {.limit = 10})) {
    ids.push_back(record.at("ID").get<std::int64_t>());  // case-insensitive lookup
  }
  EXPECT_THAT(ids, ElementsAre(1, 2, 3));
}

// A read bounds DuckDB's memory while it writes (flat RSS) and gives the setting back after,
// so the caller's own queries keep DuckDB's default.
TEST(PublicApiTest, ReadRestoresDuckDbMemoryLimit) {
  airbyte::util::ScopedTempDir dir;
  airbyte::DuckDbCache cache({.db_path = dir.path() / "c.duckdb"});
  auto limit = [&cache] {
    return cache.Query("SELECT current_setting('memory_limit') AS m")[0]["m"].get<std::string>();
  };
  const std::string before = limit();
  ASSERT_NE(before, "128.0 MiB");
  airbyte::Source source = airbyte::GetSource("source-faker", nlohmann::json{{"count", 50}});
  source.SelectStreams({"users"});
  airbyte::ReadResult result = source.Read(cache);
  EXPECT_EQ(result.processed_records(), 50);
  EXPECT_EQ(limit(), before);
}

TEST(PublicApiTest, ErrorsAreAirbyteErrorsWithExitCodes) {
  try {
    airbyte::GetSource("source-does-not-exist-anywhere");
    FAIL() << "expected an airbyte::Error";
  } catch (const airbyte::Error& e) {
    EXPECT_EQ(e.kind(), airbyte::ErrorKind::kConnectorNotRegistered);
    EXPECT_EQ(airbyte::ExitCodeFor(e.kind()), 2);
  }
}

}  // namespace
