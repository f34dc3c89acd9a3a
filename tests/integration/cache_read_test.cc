// Source::Read() into real DuckDB files: PyAirbyte's P0 scenarios (behavior doc 17), write
// strategies, state, layout, and failure handling.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/airbyte.h"
#include "testutil/postgres_server.h"
#include "testutil/testutil.h"
#include "util/strings.h"
#include "util/temp_dir.h"

namespace airbyte {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using testutil::ThrowsError;

std::filesystem::path FixturePath() {
  return std::filesystem::path(AIRBYTE_SOURCE_DIR) / "tests/data/source_test_fixture.sh";
}

Source SourceTest(const std::string& api_key = "test") {
  Source source = GetSource("source-test", Json{{"apiKey", api_key}},
                            {.local_executable = FixturePath().string()});
  return source;
}

// Every test runs against DuckDB (a file per test) and Postgres (a schema per test on the
// test server).
class CacheReadTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (pg()) schema_ = testutil::FreshPostgresSchema();
  }
  bool pg() const { return GetParam() == "postgres"; }
  Cache OpenCache(const std::string& prefix = "") {
    if (pg()) return PostgresCache::FromUrl(testutil::PostgresCacheUrl(schema_, prefix));
    return DuckDbCache({.db_path = dir_.path() / "cache.duckdb",
                        .table_prefix = prefix,
                        .cache_dir = dir_.path()});
  }
  std::vector<Json> Rows(Cache& cache, const std::string& sql) { return cache.Query(sql); }
  std::int64_t Count(Cache& cache, const std::string& table) {
    return cache.Query("SELECT count(*) AS n FROM \"" + table + "\"").at(0).at("n").get<std::int64_t>();
  }
  // information_schema's data_type as each backend spells it.
  std::string TypeText(const std::string& duckdb) const {
    if (!pg()) return duckdb;
    if (duckdb == "VARCHAR") return "character varying";
    if (duckdb == "DECIMAL(38,9)") return "numeric";
    if (duckdb == "JSON") return "json";
    if (duckdb == "BIGINT") return "bigint";
    return util::AsciiLower(duckdb);
  }

  util::ScopedTempDir dir_{"cache-read-test"};
  std::string schema_;
};

INSTANTIATE_TEST_SUITE_P(Backends, CacheReadTest, ::testing::Values("duckdb", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

// P0 6: every stream lands with the expected contents and internal columns.
TEST_P(CacheReadTest, ReadsSourceTestIntoFreshCache) {
  Cache cache = OpenCache();
  Source source = SourceTest();
  source.SelectAllStreams();
  ReadResult result = source.Read(cache);
  EXPECT_EQ(result.processed_records(), 4);

  const std::vector<Json> stream1 = Rows(
      cache, "SELECT column1, column2, sometimes_object FROM stream1 ORDER BY column1");
  ASSERT_EQ(stream1.size(), 2u);
  EXPECT_EQ(stream1[0]["column1"], "value1");
  EXPECT_EQ(stream1[0]["column2"], 1);
  EXPECT_EQ(stream1[0]["sometimes_object"], R"({"nested_column": "nested_value"})");
  EXPECT_EQ(stream1[1]["sometimes_object"], "string_value");

  const std::vector<Json> stream2 =
      Rows(cache, "SELECT column1, column2, empty_column, big_number FROM stream2");
  ASSERT_EQ(stream2.size(), 1u);
  EXPECT_EQ(stream2[0], (Json{{"column1", "value1"}, {"column2", 1}, {"empty_column", nullptr},
                              {"big_number", 1234567890123456}}));
  EXPECT_EQ(Count(cache, "always_empty_stream"), 0);
  const std::vector<Json> dotted = Rows(cache, "SELECT table1_column1, table1_big_number FROM "
                                               "primary_key_with_dot");
  ASSERT_EQ(dotted.size(), 1u);
  EXPECT_EQ(dotted[0]["table1_big_number"], 1234567890123456);

  const std::vector<Json> internals = Rows(
      cache, "SELECT count(*) AS n FROM stream1 WHERE _airbyte_raw_id IS NULL OR "
             "_airbyte_extracted_at IS NULL OR _airbyte_meta IS NULL");
  EXPECT_EQ(internals[0]["n"], 0);
  // emitted_at 1704067200 is taken as milliseconds, as PyAirbyte does.
  const std::vector<Json> extracted =
      Rows(cache, "SELECT CAST(_airbyte_extracted_at AS VARCHAR) AS t, "
                  "CAST(_airbyte_meta AS VARCHAR) AS m, length(_airbyte_raw_id) AS l FROM stream1 LIMIT 1");
  EXPECT_EQ(extracted[0]["t"], "1970-01-20 17:21:07.2+00");
  EXPECT_EQ(extracted[0]["m"], "{}");
  EXPECT_EQ(extracted[0]["l"], 36);
}

// §4.4-4.6: column order and types, TIMESTAMPTZ fix, internal tables' columns.
TEST_P(CacheReadTest, TableLayoutMatchesPyAirbyte) {
  Cache cache = OpenCache();
  Source source = SourceTest();
  source.SelectAllStreams();
  source.Read(cache);
  const auto columns = [&](const std::string& table) {
    std::vector<std::string> out;
    for (const Json& row : cache.Query("SELECT column_name, data_type FROM "
                                       "information_schema.columns WHERE table_name = '" +
                                       table + "' AND table_schema = '" + cache.schema_name() +
                                       "' ORDER BY ordinal_position")) {
      out.push_back(row["column_name"].get<std::string>() + " " + row["data_type"].get<std::string>());
    }
    return out;
  };
  const std::string varchar = TypeText("VARCHAR");
  const std::string tz = TypeText("TIMESTAMP WITH TIME ZONE");
  EXPECT_THAT(columns("stream1"),
              ElementsAre("column1 " + varchar, "column2 " + TypeText("DECIMAL(38,9)"),
                          "sometimes_object " + varchar, "_airbyte_raw_id " + varchar,
                          "_airbyte_extracted_at " + tz, "_airbyte_meta " + TypeText("JSON")));
  EXPECT_THAT(columns("_airbyte_streams"),
              ElementsAre("stream_name " + varchar, "source_name " + varchar,
                          "table_name " + varchar, "catalog_metadata " + varchar));
  EXPECT_THAT(columns("_airbyte_state"),
              ElementsAre("source_name " + varchar, "stream_name " + varchar,
                          "table_name " + varchar, "state_json " + varchar,
                          "last_updated " + tz));
  EXPECT_THAT(columns("_airbyte_destination_state"),
              ElementsAre("destination_name " + varchar, "source_name " + varchar,
                          "stream_name " + varchar, "state_json " + varchar,
                          "last_updated " + tz));
  const std::vector<Json> catalog = cache.Query(
      "SELECT stream_name, table_name, catalog_metadata FROM _airbyte_streams ORDER BY stream_name");
  ASSERT_EQ(catalog.size(), 4u);
  EXPECT_EQ(catalog[0]["stream_name"], "always-empty-stream");
  EXPECT_EQ(catalog[0]["table_name"], "always-empty-stream");
  EXPECT_THAT(catalog[0]["catalog_metadata"].get<std::string>(),
              HasSubstr(R"({"type": "object", "properties": {"Column1": {"type": "string"})"));
}

// P0 7: the result maps the processed streams only.
TEST_P(CacheReadTest, ReadResultMapsProcessedStreams) {
  Cache cache = OpenCache();
  Source source = SourceTest();
  source.SelectAllStreams();
  ReadResult result = source.Read(cache);
  EXPECT_EQ(result.size(), 4u);
  EXPECT_THAT(result.stream_names(), ElementsAre("stream1", "stream2", "always-empty-stream",
                                                 "primary-key-with-dot"));
  EXPECT_FALSE(result.Contains("stream3"));
  EXPECT_EQ(result["stream1"].Count(), 2u);
  EXPECT_EQ(result["stream1"].FetchAll().size(), 2u);
  EXPECT_THAT([&] { result["not_a_stream"]; }, ThrowsError(ErrorKind::kStreamNotFound, HasSubstr("not_a_stream")));
  EXPECT_THAT([&] { cache["not_a_stream"]; }, ThrowsError(ErrorKind::kStreamNotFound, HasSubstr("not_a_stream")));
  EXPECT_TRUE(result["stream1"] == cache["stream1"]);
  EXPECT_EQ(result.StreamRecords("stream1"), 2);
}

// P0 8: AUTO with primary keys merges: reading twice keeps one row per key.
TEST_P(CacheReadTest, ReadTwiceWithAutoMergesByPrimaryKey) {
  Cache cache = OpenCache();
  Source source = SourceTest();
  source.SelectAllStreams();
  source.Read(cache);
  ReadResult second = source.Read(cache);
  EXPECT_EQ(second.processed_records(), 4);
  EXPECT_EQ(Count(cache, "stream1"), 2);
  EXPECT_EQ(Count(cache, "stream2"), 1);
  EXPECT_EQ(Count(cache, "primary_key_with_dot"), 1);
}

// §16.10: a key repeated within one sync is merged once, the latest record winning, both
// into a fresh table (written straight until the repeat) and into an existing one (staged).
TEST_P(CacheReadTest, MergeKeepsTheLatestOfRepeatedKeys) {
  testutil::ScopedEnv duplicates("SOURCE_TEST_DUPLICATES", "1");
  Cache cache = OpenCache();
  Source source = SourceTest();
  source.SelectStreams({"stream1"});
  for (int read = 0; read < 2; ++read) {
    source.Read(cache, {.write_strategy = WriteStrategy::kMerge});
    const std::vector<Json> rows =
        Rows(cache, "SELECT column1, column2 FROM stream1 ORDER BY column1");
    ASSERT_EQ(rows.size(), 2u) << "read " << read;
    EXPECT_EQ(rows[0]["column2"], 9) << "read " << read;
    EXPECT_EQ(rows[1]["column2"], 2) << "read " << read;
  }
}

// A stream added to a new record shape later: records of several streams interleave, and new
// properties of an evolved schema land in added columns.
TEST_P(CacheReadTest, AppendWritesStraightAndKeepsEveryRecord) {
  testutil::ScopedEnv extra("SOURCE_TEST_EXTRA", "1");
  Cache cache = OpenCache();
  Source source = SourceTest();
  source.SelectStreams({"stream1", "stream2"});
  source.Read(cache, {.write_strategy = WriteStrategy::kAppend});
  EXPECT_EQ(Count(cache, "stream1"), 3);
  EXPECT_EQ(Count(cache, "stream2"), 1);
}

// P0 10 and 11: append doubles; replace with full refresh stays, even for an empty stream.
TEST_P(CacheReadTest, AppendDoublesAndReplaceStays) {
  Cache cache = OpenCache();
  Source source = SourceTest();
  source.SelectAllStreams();
  source.Read(cache, {.write_strategy = WriteStrategy::kAppend});
  source.Read(cache, {.write_strategy = WriteStrategy::kAppend});
  EXPECT_EQ(Count(cache, "stream1"), 4);
  cache.Execute({"ALTER TABLE stream2 ADD COLUMN old_extra VARCHAR"});
  source.Read(cache, {.write_strategy = WriteStrategy::kReplace, .force_full_refresh = true});
  source.Read(cache, {.write_strategy = WriteStrategy::kReplace, .force_full_refresh = true});
  EXPECT_EQ(Count(cache, "stream1"), 2);
  EXPECT_EQ(Count(cache, "stream2"), 1);
  EXPECT_EQ(Count(cache, "always_empty_stream"), 0);
  EXPECT_TRUE(cache.Query("SELECT * FROM information_schema.columns WHERE table_name = "
                          "'stream2' AND column_name = 'old_extra'").empty());
}

// §16.9: a full refresh with zero records leaves an empty table.
TEST_P(CacheReadTest, ReplaceWithNoRecordsEmptiesTheTable) {
  Cache cache = OpenCache();
  Source source = SourceTest();
  source.SelectStreams({"always-empty-stream"});
  cache.Execute({"CREATE TABLE always_empty_stream (column1 VARCHAR)",
                 "INSERT INTO always_empty_stream VALUES ('old')"});
  source.Read(cache, {.write_strategy = WriteStrategy::kReplace, .force_full_refresh = true});
  EXPECT_EQ(Count(cache, "always_empty_stream"), 0);
}

// P0 13: strategy validation.
TEST_P(CacheReadTest, WriteStrategyValidation) {
  EXPECT_THAT([] { ParseWriteStrategy("bogus"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("'merge', 'append', 'replace', 'auto'")));
  EXPECT_EQ(ParseWriteStrategy("MERGE"), WriteStrategy::kMerge);
  Cache cache = OpenCache();
  Source source = SourceTest();
  source.SelectStreams({"always-empty-stream"});
  EXPECT_THAT([&] { source.Read(cache, {.write_strategy = WriteStrategy::kMerge}); },
              ThrowsError(ErrorKind::kInput, HasSubstr("Cannot use merge strategy")));
}

// P0 15 and 16.
TEST_P(CacheReadTest, NothingSelectedOrNoConfigFails) {
  Cache cache = OpenCache();
  Source source = SourceTest();
  EXPECT_THAT([&] { source.Read(cache); },
              ThrowsError(ErrorKind::kNoStreamsSelected, HasSubstr("stream1")));
  Source unconfigured = GetSource("source-test", {.local_executable = FixturePath().string()});
  EXPECT_THAT([&] { unconfigured.Read(cache); }, ThrowsError(ErrorKind::kConfigMissing, HasSubstr("")));
}

// P0 22-24: reopening by name, prefix isolation, accumulating streams.
TEST_P(CacheReadTest, PrefixesIsolateStreamsInOneFile) {
  {
    Cache prefixed = OpenCache("prefix_");
    Source source = SourceTest();
    source.SelectAllStreams();
    source.Read(prefixed);
    EXPECT_EQ(prefixed.Streams().size(), 4u);
  }
  Cache other = OpenCache("different_prefix_");
  Cache none = OpenCache();
  EXPECT_TRUE(other.Streams().empty());
  EXPECT_TRUE(none.Streams().empty());
  Source source = SourceTest();
  source.SelectStreams({"stream1"});
  source.Read(other);
  EXPECT_THAT(other.Streams(), ElementsAre("stream1"));
  EXPECT_EQ(Count(other, "different_prefix_stream1"), 2);
  Cache reopened = OpenCache("prefix_");
  EXPECT_EQ(reopened.Streams().size(), 4u);
  EXPECT_EQ(reopened["stream1"].table_name(), "prefix_stream1");
}

TEST_P(CacheReadTest, StreamsAccumulateAcrossReads) {
  Source source = SourceTest();
  for (const char* stream : {"stream1", "stream2", "always-empty-stream"}) {
    Cache cache = OpenCache();
    if (std::string(stream) == "stream1") {
      EXPECT_FALSE(cache.Contains("stream2"));
    }
    source.SelectStreams({stream});
    ReadResult result = source.Read(cache);
    if (std::string(stream) == "always-empty-stream") {
      EXPECT_FALSE(result.Contains("stream1"));
      EXPECT_TRUE(cache.Contains("stream1"));
    }
  }
  Cache cache = OpenCache();
  EXPECT_THAT(cache.Streams(), ElementsAre("always-empty-stream", "stream1", "stream2"));
  EXPECT_EQ(cache["stream2"].Count(), 1u);
}

// P0 25, 26, 28, 29: state is stored per source and prefix and fed back.
TEST_P(CacheReadTest, StateIsStoredAndFedBack) {
  const std::filesystem::path dump = dir_.path() / "state_in.json";
  testutil::ScopedEnv env("SOURCE_TEST_DUMP", dump.string());
  Source source = SourceTest();
  source.SelectAllStreams();
  {
    Cache cache = OpenCache("prefix_");
    source.Read(cache);
    EXPECT_EQ(testutil::ReadText(dump), "[]");
    StateProvider state = cache.GetStateProvider("source-test");
    EXPECT_THAT(state.KnownStreamNames(), ElementsAre("stream1"));
    EXPECT_EQ(state.RequireStreamState("stream1")["stream"]["stream_state"]["cursor"], "value2");
    EXPECT_THAT([&] { state.RequireStreamState("stream2"); },
                ThrowsError(ErrorKind::kStateNotFound, HasSubstr("State message not found.")));
  }
  {
    Cache cache = OpenCache("prefix_");
    source.Read(cache);
    const Json fed = Json::parse(testutil::ReadText(dump));
    ASSERT_EQ(fed.size(), 1u);
    EXPECT_EQ(fed[0]["stream"]["stream_descriptor"]["name"], "stream1");
    source.Read(cache, {.force_full_refresh = true});
    EXPECT_EQ(testutil::ReadText(dump), "[]");
  }
  {
    Cache other = OpenCache("different_prefix_");
    source.Read(other);
    EXPECT_EQ(testutil::ReadText(dump), "[]");  // state is not shared across prefixes
    EXPECT_TRUE(other.GetStateProvider("another-source").empty());
  }
}

// §16.14: two sources with a same-named stream keep their own state.
TEST_P(CacheReadTest, TwoSourcesKeepSeparateStateForSameStream) {
  Cache cache = OpenCache();
  Source first = SourceTest();
  first.SelectStreams({"stream1"});
  first.Read(cache);
  Source second = GetSource("source-test-copy", Json{{"apiKey", "test"}},
                            {.local_executable = FixturePath().string()});
  second.SelectStreams({"stream1"});
  second.Read(cache);
  EXPECT_THAT(cache.GetStateProvider("source-test").KnownStreamNames(), ElementsAre("stream1"));
  EXPECT_THAT(cache.GetStateProvider("source-test-copy").KnownStreamNames(), ElementsAre("stream1"));
}

// P0 27: a connector failure keeps what was committed before and says so.
TEST_P(CacheReadTest, FailedReadKeepsCommittedDataAndSaysSo) {
  Cache cache = OpenCache();
  Source source = SourceTest("test_fail_during_sync");
  source.SelectStreams({"stream1"});
  EXPECT_THAT([&] { source.Read(cache); },
              ThrowsError(ErrorKind::kConnectorFailed,
                          AllOf(HasSubstr("Committed Records: 0"), HasSubstr("crashing"),
                                HasSubstr("committed before the failure are kept"))));
  EXPECT_EQ(Count(cache, "stream1"), 0);
  EXPECT_TRUE(cache.GetStateProvider("source-test").empty());
  for (const std::string& file : testutil::ListDir(dir_.path())) {
    EXPECT_THAT(file, ::testing::StartsWith("cache.duckdb"));  // no leftover batch files
  }
}

// P0 30: schema evolution re-adds a dropped column; types widen instead of failing.
TEST_P(CacheReadTest, SchemaEvolutionAddsAndWidensColumns) {
  Cache cache = OpenCache();
  Source source = SourceTest();
  source.SelectStreams({"stream1"});
  source.Read(cache);
  cache.Execute({"ALTER TABLE stream1 DROP COLUMN _airbyte_raw_id",
                 "ALTER TABLE stream1 ALTER COLUMN column2 SET DATA TYPE BIGINT"});
  source.Read(cache);
  const std::vector<Json> rows = cache.Query(
      "SELECT data_type FROM information_schema.columns WHERE table_name = 'stream1' AND "
      "table_schema = '" + cache.schema_name() + "' AND "
      "column_name IN ('_airbyte_raw_id', 'column2') ORDER BY column_name");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["data_type"], TypeText("VARCHAR"));
  EXPECT_EQ(rows[1]["data_type"], TypeText("DECIMAL(38,9)"));
  EXPECT_EQ(Count(cache, "stream1"), 2);
}

// P0 32: Close() releases the lock so another database handle can open the file.
TEST_P(CacheReadTest, CloseReleasesTheFile) {
  Cache cache = OpenCache();
  cache.Execute({"CREATE TABLE t AS SELECT 1 AS a"});
  cache.Close();
  EXPECT_THAT([&] { cache.Query("SELECT 1"); }, ThrowsError(ErrorKind::kCache, HasSubstr("closed")));
  Cache again = OpenCache();
  EXPECT_EQ(again.Query("SELECT a FROM t").at(0)["a"], 1);
}

// §4.9 test-pinned faker counts: seeds A (200) and B (300) with merge, append and replace.
TEST_P(CacheReadTest, FakerMergeSequenceMatchesPyAirbyte) {
  Cache cache = OpenCache();
  const auto read = [&](int count, int seed, ReadOptions options) {
    Source faker = GetSource("source-faker", Json{{"count", count}, {"seed", seed},
                                                  {"always_updated", true}});
    faker.SelectAllStreams();
    return faker.Read(cache, options);
  };
  const auto counts = [&] {
    return std::vector<std::int64_t>{Count(cache, "products"), Count(cache, "users"),
                                     Count(cache, "purchases")};
  };
  read(200, 1, {.write_strategy = WriteStrategy::kMerge});
  const std::vector<std::int64_t> a = counts();
  EXPECT_EQ(a[0], 100);
  EXPECT_EQ(a[1], 200);
  read(200, 1, {.write_strategy = WriteStrategy::kMerge});
  EXPECT_EQ(counts(), a);
  read(300, 2, {.write_strategy = WriteStrategy::kMerge});
  EXPECT_EQ(counts()[1], 300);
  const std::vector<std::int64_t> b = counts();
  read(200, 1, {.write_strategy = WriteStrategy::kAuto});
  EXPECT_EQ(counts(), b);
  read(200, 1, {.write_strategy = WriteStrategy::kReplace, .force_full_refresh = true});
  EXPECT_EQ(counts(), a);
}

// §5.7: incremental resume with always_updated=false reads nothing the second time.
TEST_P(CacheReadTest, FakerIncrementalSecondReadProcessesNothing) {
  Source faker = GetSource("source-faker", Json{{"count", 200}, {"seed", 1},
                                                {"always_updated", false}});
  faker.SelectAllStreams();
  {
    Cache cache = OpenCache();
    EXPECT_GT(faker.Read(cache).processed_records(), 200);
  }
  Cache cache = OpenCache();
  EXPECT_EQ(faker.Read(cache).processed_records(), 0);
  EXPECT_EQ(Count(cache, "products"), 100);
  EXPECT_EQ(Count(cache, "users"), 200);
  EXPECT_THAT(cache.GetStateProvider("source-faker").KnownStreamNames(),
              UnorderedElementsAre("products", "purchases", "users"));
}

// Every smoke-test scenario round-trips: one table per stream, one row per record.
TEST_P(CacheReadTest, SmokeTestScenariosRoundTrip) {
  Cache cache = OpenCache();
  Source smoke = GetSource("source-smoke-test", Json{{"all_fast_streams", true}});
  smoke.SelectAllStreams();
  ReadResult result = smoke.Read(cache, {.write_strategy = WriteStrategy::kAppend});
  ASSERT_GE(result.size(), 15u);
  for (const std::string& stream : result.stream_names()) {
    SCOPED_TRACE(stream);
    EXPECT_EQ(static_cast<std::int64_t>(result[stream].Count()), result.StreamRecords(stream));
  }
  EXPECT_GT(result.processed_records(), 0);
  // Wide numbers and Unicode survive exactly (DECIMAL(38, 9), as PyAirbyte maps numbers).
  const std::vector<Json> numbers = cache.Query(
      "SELECT big_integer, CAST(precise_decimal AS VARCHAR) AS d FROM large_decimals_and_numbers "
      "ORDER BY id");
  ASSERT_EQ(numbers.size(), 3u);
  EXPECT_EQ(numbers[0]["big_integer"], 9999999999999999);
  EXPECT_EQ(numbers[2]["d"], "99999999.999999990");
  EXPECT_EQ(cache.Query("SELECT unicode_text FROM unicode_and_special_strings WHERE id = 2")
                .at(0)["unicode_text"], "Café naïve résumé");
  EXPECT_EQ(cache.TableName("CamelCaseStreamName"), "camelcasestreamname");
  EXPECT_EQ(result["CamelCaseStreamName"].Count(), 1u);
}

// §16.20: two streams with the same name in different namespaces land in separate tables
// (PyAirbyte writes both into one).
TEST_P(CacheReadTest, SameStreamNameInTwoNamespacesDoesNotCollide) {
  const Json schema = {{"type", "object"},
                       {"properties", {{"id", {{"type", "integer"}}}, {"name", {{"type", "string"}}}}}};
  const auto stream = [&](const char* ns) {
    return Json{{"name", "users"}, {"namespace", ns}, {"json_schema", schema},
                {"supported_sync_modes", {"full_refresh"}}};
  };
  const Json script = {
      {"discover", {{{"emit", {{"type", "CATALOG"},
                               {"catalog", {{"streams", {stream("east"), stream("west")}}}}}}}}},
      {"read", {{{"records", {{"stream", "users"}, {"namespace", "east"}, {"count", 3}}}},
                {{"records", {{"stream", "users"}, {"namespace", "west"}, {"count", 5}}}}}}};
  Cache cache = OpenCache();
  Source source = GetSource("source-fake", Json{{"api_key", "k"}, {"__script", script}},
                            {.local_executable = testutil::FakeConnectorPath().string()});
  source.SelectAllStreams();
  ReadResult result = source.Read(cache, {.write_strategy = WriteStrategy::kAppend});
  EXPECT_EQ(result.processed_records(), 8);
  EXPECT_EQ(Count(cache, "east_users"), 3);
  EXPECT_EQ(Count(cache, "west_users"), 5);
  EXPECT_THAT(cache.Streams(), ElementsAre("east_users", "west_users"));
}

// Datasets: filters, exports, Arrow, statistics.
TEST_P(CacheReadTest, DatasetsFilterExportAndStream) {
  Cache cache = OpenCache();
  Source faker = GetSource("source-faker", Json{{"count", 500}, {"seed", 7}});
  faker.SelectStreams({"users"});
  ReadResult result = faker.Read(cache);
  CachedDataset users = result["users"];
  EXPECT_EQ(users.Count(), 500u);
  CachedDataset some = users.WithFilter("id <= 10").WithFilter("id > 5");
  EXPECT_EQ(some.Count(), 5u);
  std::size_t seen = 0;
  for (const Json& row : some.rows()) {
    EXPECT_GT(row["id"].get<int>(), 5);
    ++seen;
  }
  EXPECT_EQ(seen, 5u);
  users.ToParquet(dir_.path() / "users.parquet");
  users.ToCsv(dir_.path() / "users.csv");
  some.ToJsonl(dir_.path() / "some.jsonl");
  DuckDbCache reader({.db_path = ":memory:"});
  EXPECT_EQ(reader.Query("SELECT count(*) AS n FROM '" + (dir_.path() / "users.parquet").string() + "'")
                .at(0)["n"], 500);
  const std::string jsonl = testutil::ReadText(dir_.path() / "some.jsonl");
  EXPECT_EQ(std::count(jsonl.begin(), jsonl.end(), '\n'), 5);

  ArrowArrayStream stream = users.ToArrowStream();
  ArrowSchema schema{};
  ASSERT_EQ(stream.get_schema(&stream, &schema), 0);
  EXPECT_EQ(schema.n_children, static_cast<std::int64_t>(users.column_names().size()));
  schema.release(&schema);
  std::int64_t rows = 0;
  while (true) {
    ArrowArray array{};
    ASSERT_EQ(stream.get_next(&stream, &array), 0);
    if (array.release == nullptr) break;
    rows += array.length;
    array.release(&array);
  }
  stream.release(&stream);
  EXPECT_EQ(rows, 500);

  const auto stats = cache.FetchTableStatistics({"users", "missing"});
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats.at("users").row_count, 500);
  EXPECT_EQ(stats.at("users").column_statistics.front().column_name, "id");
}

}  // namespace
}  // namespace airbyte
