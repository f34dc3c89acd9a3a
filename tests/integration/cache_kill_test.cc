// Crash safety: `airbyte read` killed with SIGKILL at random moments, then re-run, must end
// with the same table contents as an uninterrupted read (merge), and a stored state must never
// cover records that were not committed. (Faker ignores its state with always_updated, so the
// re-run re-emits everything and the merge must converge; the state check below is what
// proves states never run ahead of their data.)

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "airbyte/airbyte.h"
#include "testutil/postgres_server.h"
#include "testutil/testutil.h"
#include "util/child_process.h"
#include "util/temp_dir.h"

namespace airbyte {
namespace {

constexpr int kUsers = 8'000;
const char* const kConfig = "{count: 8000, seed: 5, records_per_slice: 100, always_updated: true}";

std::vector<std::string> ReadArgv(const std::string& cache) {
  return {testutil::CliPath().string(), "read", "--source", "source-faker", "--config", kConfig,
          "--streams", "users,purchases", "--cache", cache};
}

// Frequent checkpoints so that kills land between commits.
const std::vector<std::string> kEnv = {"AIRBYTE_COMMIT_ROWS=500", "AIRBYTE_COMMIT_INTERVAL_MS=50"};

// Faker derives these columns from the clock; everything else is fixed by the seed.
bool ClockColumn(const std::string& table, const std::string& column) {
  static const std::vector<std::string> always = {"updated_at", "_airbyte_raw_id",
                                                  "_airbyte_extracted_at", "_airbyte_meta"};
  static const std::vector<std::string> purchases = {"added_to_cart_at", "purchased_at",
                                                     "returned_at"};
  const auto in = [&](const std::vector<std::string>& names) {
    return std::find(names.begin(), names.end(), column) != names.end();
  };
  return in(always) || (table == "purchases" && in(purchases));
}

// Each round reads into its own cache: a DuckDB file, or a Postgres schema.
class CacheKillTest : public ::testing::TestWithParam<std::string> {
 protected:
  bool pg() const { return GetParam() == "postgres"; }

  // The --cache value of cache `name`.
  std::string CacheRef(const std::string& name) {
    if (!pg()) return (dir_.path() / (name + ".duckdb")).string();
    return testutil::PostgresCacheUrl(testutil::FreshPostgresSchema(name));
  }
  bool Exists(const std::string& name) {
    if (!pg()) return std::filesystem::exists(dir_.path() / (name + ".duckdb"));
    return !testutil::Psql("SELECT 1 FROM pg_namespace WHERE nspname = '" +
                           testutil::FreshPostgresSchemaName(name) + "'").empty();
  }

  // Rows of `db` and `reference` that differ (both directions), comparing every column but
  // the clock-dependent ones, plus the row counts: "users:0/0/8000 purchases:0/0/8000 " when
  // equal.
  std::string Differences(const std::string& db, const std::string& reference) {
    Cache cache = OpenCache(db);
    std::string ours_schema = cache.schema_name();
    std::string theirs_schema = "reference";
    if (pg()) {
      theirs_schema = testutil::FreshPostgresSchemaName("reference");
    } else {
      cache.Execute({"ATTACH '" + reference + "' AS reference (READ_ONLY)"});
      theirs_schema = "reference\".\"main";
    }
    std::string text;
    for (const std::string table : {"users", "purchases"}) {
      std::string columns;
      for (const Json& row : cache.Query("SELECT column_name FROM information_schema.columns "
                                         "WHERE table_catalog = current_database() AND table_schema = '" + ours_schema +
                                         "' AND table_name = '" + table +
                                         "' ORDER BY ordinal_position")) {
        const std::string name = row["column_name"].get<std::string>();
        if (ClockColumn(table, name)) continue;
        // As text: Postgres' json has no equality.
        columns += (columns.empty() ? "" : ", ") + ("CAST(\"" + name + "\" AS VARCHAR)");
      }
      const std::string ours = "SELECT " + columns + " FROM \"" + ours_schema + "\"." + table;
      const std::string theirs = "SELECT " + columns + " FROM \"" + theirs_schema + "\"." + table;
      const Json row = cache.Query("SELECT (SELECT count(*) FROM (" + ours + " EXCEPT " + theirs +
                                   ") AS a) AS a, (SELECT count(*) FROM (" + theirs + " EXCEPT " +
                                   ours + ") AS b) AS b, (SELECT count(*) FROM \"" + ours_schema +
                                   "\"." + table + ") AS n")
                           .at(0);
      text += table + ":" + row["a"].dump() + "/" + row["b"].dump() + "/" + row["n"].dump() + " ";
    }
    if (!pg()) cache.Execute({"DETACH reference"});
    return text;
  }

  util::ScopedTempDir dir_{"cache-kill-test"};
};

INSTANTIATE_TEST_SUITE_P(Backends, CacheKillTest, ::testing::Values("duckdb", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

TEST_P(CacheKillTest, KilledReadsResumeToTheSameContents) {
  const std::string reference = CacheRef("reference");
  const auto start = std::chrono::steady_clock::now();
  const testutil::CommandResult full = testutil::RunCommand(ReadArgv(reference), kEnv);
  ASSERT_EQ(full.exit_code, 0) << full.err;
  const auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start)
                           .count();
  const std::string expected = "users:0/0/8000 purchases:0/0/8000 ";
  {
    Cache cache = OpenCache(reference);
    ASSERT_EQ(cache.Query("SELECT count(*) AS n FROM users").at(0)["n"], kUsers);
  }

  std::mt19937 random(20261125);
  std::uniform_int_distribution<long> delay_ms(0, full_ms + full_ms / 5);
  int killed_mid_read = 0;
  for (int round = 0; round < 20; ++round) {
    const std::string name = "killed_" + std::to_string(round);
    const std::string db = CacheRef(name);
    const long delay = delay_ms(random);
    {
      util::ChildProcess child = util::ChildProcess::Spawn({.argv = ReadArgv(db), .extra_env = kEnv});
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
      if (child.running() && !child.TryWait()) ++killed_mid_read;
      child.Signal(SIGKILL);
      child.Wait();
    }
    // The stored state never runs ahead of the committed rows.
    if (Exists(name)) {
      Cache cache = OpenCache(db);
      const StateProvider state = cache.GetStateProvider("source-faker");
      if (const std::optional<Json> users = state.GetStreamState("users")) {
        const std::int64_t covered =
            (*users)["stream"]["stream_state"].value("loop_offset", std::int64_t{0});
        const std::int64_t rows =
            cache.Query("SELECT count(*) AS n FROM users").at(0)["n"].get<std::int64_t>();
        EXPECT_GE(rows, covered) << "round " << round << " killed after " << delay << " ms";
      }
    }
    const testutil::CommandResult resumed = testutil::RunCommand(ReadArgv(db), kEnv);
    ASSERT_EQ(resumed.exit_code, 0) << "round " << round << ": " << resumed.err;
    EXPECT_EQ(Differences(db, reference), expected) << "round " << round << " killed after " << delay << " ms";
  }
  // Most kills must land while the read runs, or the test proves little.
  EXPECT_GE(killed_mid_read, 10);
  std::cerr << GetParam() << ": full read " << full_ms << " ms; " << killed_mid_read
            << "/20 kills mid-read\n";
}

}  // namespace
}  // namespace airbyte
