#include "caches/duckdb/duckdb_connection.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte::caches {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testutil::ThrowsError;

constexpr const char* kLockChildPathEnv = "AIRBYTE_DUCKDB_LOCK_CHILD_PATH";

class DuckDbConnectionTest : public ::testing::Test {
 protected:
  util::ScopedTempDir dir_{"duckdb-test-"};
  std::filesystem::path db_path_ = dir_.path() / "test.duckdb";
  DuckDbDatabase db_ = DuckDbDatabase::Open(db_path_);
  DuckDbConnection conn_{db_};

  // The single value of a one-row, one-column query.
  Json Scalar(const std::string& sql) {
    QueryResult result = conn_.Query(sql);
    EXPECT_EQ(result.rows.size(), 1u) << sql;
    return result.rows.empty() ? Json() : result.rows[0][0];
  }
};

// ---------------------------------------------------------------------------------------
// Open / Close

TEST_F(DuckDbConnectionTest, OpenCreatesMissingParentDirectories) {
  const std::filesystem::path path = dir_.path() / "a" / "b" / "cache.duckdb";
  DuckDbDatabase db = DuckDbDatabase::Open(path);
  EXPECT_TRUE(db.is_open());
  EXPECT_EQ(db.path(), path);
  DuckDbConnection conn(db);
  conn.Execute("CREATE TABLE t (a BIGINT); INSERT INTO t VALUES (1)");
  EXPECT_TRUE(std::filesystem::exists(path));
}

// A new file appears complete (made under a temporary name, then linked into place), so a
// process killed while creating a cache never leaves a file DuckDB refuses later.
TEST_F(DuckDbConnectionTest, NewDatabaseFileIsCompleteAndLeavesNoTemporaryFile) {
  util::ScopedTempDir dir("duckdb-create");
  const std::filesystem::path path = dir.path() / "fresh.duckdb";
  {
    DuckDbDatabase db = DuckDbDatabase::Open(path);
    // Before anything is written through it, the file already holds DuckDB's headers: a copy
    // taken now (what a kill would leave) opens.
    std::filesystem::copy_file(path, dir.path() / "copy.duckdb");
  }
  EXPECT_GE(std::filesystem::file_size(path), 4096u);
  DuckDbDatabase copy = DuckDbDatabase::Open(dir.path() / "copy.duckdb");
  EXPECT_EQ(DuckDbConnection(copy).Query("SELECT 1").rows.size(), 1u);
  for (const std::string& name : testutil::ListDir(dir.path())) {
    EXPECT_THAT(name, Not(HasSubstr("creating"))) << "temporary file left behind";
  }
}

TEST_F(DuckDbConnectionTest, OpenInMemory) {
  DuckDbDatabase db = DuckDbDatabase::Open(":memory:");
  DuckDbConnection conn(db);
  EXPECT_EQ(conn.Query("SELECT 41 + 1").rows[0][0], 42);
  EXPECT_FALSE(std::filesystem::exists(":memory:"));
}

TEST_F(DuckDbConnectionTest, OpenRejectsFileThatIsNotADatabase) {
  const std::filesystem::path path = dir_.WriteFile("not.duckdb", std::string(8192, 'x'));
  EXPECT_THAT([&] { DuckDbDatabase::Open(path); },
              ThrowsError(ErrorKind::kCache, AllOf(HasSubstr("Could not open the DuckDB database"),
                                                   HasSubstr("not.duckdb"))));
}

TEST_F(DuckDbConnectionTest, ReopenInSameProcessWorksAfterClose) {
  conn_.Execute("CREATE TABLE t AS SELECT 7 AS a");
  conn_ = DuckDbConnection(DuckDbDatabase::Open(":memory:"));  // drop the file's connection
  db_.Close();
  EXPECT_FALSE(db_.is_open());

  DuckDbDatabase again = DuckDbDatabase::Open(db_path_);
  DuckDbConnection conn(again);
  EXPECT_EQ(conn.Query("SELECT a FROM t").rows[0][0], 7);
}

TEST_F(DuckDbConnectionTest, ReopenInSameProcessWorksAfterDestruction) {
  const std::filesystem::path path = dir_.path() / "other.duckdb";
  {
    DuckDbDatabase db = DuckDbDatabase::Open(path);
    DuckDbConnection conn(db);
    conn.Execute("CREATE TABLE t AS SELECT 'x' AS s");
  }
  DuckDbDatabase db = DuckDbDatabase::Open(path);
  DuckDbConnection conn(db);
  EXPECT_EQ(conn.Query("SELECT s FROM t").rows[0][0], "x");
}

TEST_F(DuckDbConnectionTest, MovedDatabaseKeepsItsFile) {
  DuckDbDatabase moved = std::move(db_);
  EXPECT_TRUE(moved.is_open());
  EXPECT_EQ(moved.path(), db_path_);
  DuckDbConnection conn(moved);
  EXPECT_EQ(conn.Query("SELECT 1").rows[0][0], 1);
}

// Runs only when started by OpenFailsWhileAnotherProcessHoldsTheLock, in a child process.
TEST(DuckDbLockChild, DISABLED_OpenFailsWhileParentHoldsLock) {
  const char* path = std::getenv(kLockChildPathEnv);
  ASSERT_NE(path, nullptr);
  EXPECT_THAT([&] { DuckDbDatabase::Open(path); },
              ThrowsError(ErrorKind::kCache, AllOf(HasSubstr("Another process holds the lock"),
                                                   HasSubstr(path), HasSubstr("Close()"))));
}

TEST_F(DuckDbConnectionTest, OpenFailsWhileAnotherProcessHoldsTheLock) {
  conn_.Execute("CREATE TABLE t (a BIGINT)");
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
  testutil::CommandResult child = testutil::RunCommand(
      {self.string(), "--gtest_also_run_disabled_tests",
       "--gtest_filter=DuckDbLockChild.DISABLED_OpenFailsWhileParentHoldsLock"},
      {std::string(kLockChildPathEnv) + "=" + db_path_.string()});
  EXPECT_EQ(child.exit_code, 0) << child.out << child.err;
  EXPECT_THAT(child.out, HasSubstr("[  PASSED  ] 1 test"));
}

// ---------------------------------------------------------------------------------------
// Execute / Query

TEST_F(DuckDbConnectionTest, ExecuteErrorCarriesDuckDbMessageAndSql) {
  EXPECT_THAT(
      [&] { conn_.Execute("SELECT * FROM missing_table"); },
      ThrowsError(ErrorKind::kCache, AllOf(HasSubstr("Catalog Error"), HasSubstr("missing_table"),
                                           HasSubstr("SELECT * FROM missing_table"))));
}

TEST_F(DuckDbConnectionTest, ExecuteRunsSeveralStatements) {
  conn_.Execute(
      "CREATE TABLE t (a BIGINT); INSERT INTO t VALUES (1), (2); "
      "INSERT INTO t VALUES (3);");
  EXPECT_EQ(Scalar("SELECT sum(a) FROM t"), 6);
}

TEST_F(DuckDbConnectionTest, QueryErrorCarriesDuckDbMessage) {
  EXPECT_THAT([&] { conn_.Query("SELEC 1"); },
              ThrowsError(ErrorKind::kCache, HasSubstr("Parser Error")));
}

TEST_F(DuckDbConnectionTest, QueryRunsEarlierStatementsThenReturnsLast) {
  QueryResult result = conn_.Query("CREATE TABLE t AS SELECT 5 AS a; SELECT a * 2 AS b FROM t");
  EXPECT_EQ(result.column_names, std::vector<std::string>{"b"});
  EXPECT_EQ(result.rows, std::vector<Json>{Json::array({10})});
}

TEST_F(DuckDbConnectionTest, QueryConvertsScalars) {
  QueryResult result = conn_.Query(
      "SELECT NULL AS n, true AS b, -8::TINYINT AS i1, 300::SMALLINT AS i2, "
      "70000::INTEGER AS i4, 9007199254740993::BIGINT AS i8, 200::UTINYINT AS u1, "
      "18446744073709551615::UBIGINT AS u8, 170141183460469231731687303715884105727::HUGEINT "
      "AS h_big, -5::HUGEINT AS h_small, 340282366920938463463374607431768211455::UHUGEINT "
      "AS uh, 1.25::FLOAT AS f4, 0.1::DOUBLE AS f8, 'héllo \"x\"' AS s, "
      "'{\"a\": [1]}'::JSON AS j, '6ba7b810-9dad-11d1-80b4-00c04fd430c8'::UUID AS u, "
      "'\\xAA\\x00ab'::BLOB AS bl, 'b'::ENUM('a', 'b') AS e, '10110'::BIT AS bits");
  ASSERT_EQ(result.rows.size(), 1u);
  const Json row = result.RowObject(0);
  EXPECT_TRUE(row["n"].is_null());
  EXPECT_EQ(row["b"], true);
  EXPECT_EQ(row["i1"], -8);
  EXPECT_EQ(row["i2"], 300);
  EXPECT_EQ(row["i4"], 70000);
  EXPECT_EQ(row["i8"], 9007199254740993LL);
  EXPECT_EQ(row["u1"], 200);
  EXPECT_EQ(row["u8"], 18446744073709551615ULL);
  EXPECT_EQ(row["h_big"], "170141183460469231731687303715884105727");
  EXPECT_EQ(row["h_small"], -5);
  EXPECT_EQ(row["uh"], "340282366920938463463374607431768211455");
  EXPECT_EQ(row["f4"], 1.25);
  EXPECT_EQ(row["f8"], 0.1);
  EXPECT_EQ(row["s"], "héllo \"x\"");
  EXPECT_EQ(row["j"], "{\"a\": [1]}");
  EXPECT_EQ(row["u"], "6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  EXPECT_EQ(row["bl"], "\\xAA\\x00ab");
  EXPECT_EQ(row["e"], "b");
  EXPECT_EQ(row["bits"], "10110");
}

TEST_F(DuckDbConnectionTest, QueryReportsColumnNamesAndTypes) {
  QueryResult result = conn_.Query(
      "SELECT 1::DECIMAL(38,9) AS d, now()::TIMESTAMPTZ AS tz, [1, 2] AS l, "
      "{'a': 1, 'b Two': ['x']} AS st, '{}'::JSON AS j, MAP {'k': 1.5} AS m, "
      "[1, 2, 3]::INTEGER[3] AS arr, 'a'::ENUM('a', 'b') AS e, TIME '01:02:03' AS t, "
      "DATE '2024-01-01' AS dt, INTERVAL 1 DAY AS iv");
  EXPECT_EQ(result.column_names, (std::vector<std::string>{"d", "tz", "l", "st", "j", "m", "arr",
                                                           "e", "t", "dt", "iv"}));
  // DuckDB's own spelling, via typeof().
  QueryResult typeof_result = conn_.Query(
      "SELECT typeof(1::DECIMAL(38,9)), typeof(now()::TIMESTAMPTZ), typeof([1, 2]), "
      "typeof({'a': 1, 'b Two': ['x']}), typeof('{}'::JSON), typeof(MAP {'k': 1.5}), "
      "typeof([1, 2, 3]::INTEGER[3]), typeof('a'::ENUM('a', 'b')), typeof(TIME '01:02:03'), "
      "typeof(DATE '2024-01-01'), typeof(INTERVAL 1 DAY)");
  ASSERT_EQ(typeof_result.rows.size(), 1u);
  for (std::size_t c = 0; c < result.column_types.size(); ++c) {
    EXPECT_EQ(result.column_types[c], typeof_result.rows[0][c].get<std::string>())
        << result.column_names[c];
  }
  EXPECT_EQ(result.column_types[0], "DECIMAL(38,9)");
  EXPECT_EQ(result.column_types[1], "TIMESTAMP WITH TIME ZONE");
}

TEST_F(DuckDbConnectionTest, QueryConvertsDecimals) {
  const Json row = conn_
                       .Query(
                           "SELECT 1234567890123456789.123456789::DECIMAL(38,9) AS big, "
                           "1.5::DECIMAL(38,9) AS half, 42::DECIMAL(38,9) AS whole, "
                           "-0.000000001::DECIMAL(38,9) AS tiny, "
                           "-98765432109876543210.5::DECIMAL(38,9) AS neg_big, "
                           "100000000000000000000::DECIMAL(38,9) AS round_big, "
                           "0.1::DECIMAL(38,9) AS tenth, "
                           "12.34::DECIMAL(4,2) AS small, -123456.789::DECIMAL(9,3) AS int32, "
                           "123456789012.345::DECIMAL(18,3) AS int64, 5::DECIMAL(10,0) AS scale0, "
                           "NULL::DECIMAL(38,9) AS n")
                       .RowObject(0);
  EXPECT_EQ(row["big"], "1234567890123456789.123456789");
  EXPECT_EQ(row["half"], 1.5);
  EXPECT_TRUE(row["half"].is_number_float());
  EXPECT_EQ(row["whole"], 42);
  EXPECT_TRUE(row["whole"].is_number_integer());
  EXPECT_EQ(row["tiny"], -0.000000001);
  EXPECT_EQ(row["neg_big"], "-98765432109876543210.5");
  EXPECT_EQ(row["round_big"], 1e20);  // no fraction, beyond 64 bits, exact as a double
  EXPECT_EQ(row["tenth"], 0.1);
  EXPECT_EQ(row["small"], 12.34);
  EXPECT_EQ(row["int32"], -123456.789);
  EXPECT_EQ(row["int64"], 123456789012.345);
  EXPECT_EQ(row["scale0"], 5);
  EXPECT_TRUE(row["n"].is_null());
}

TEST_F(DuckDbConnectionTest, QueryConvertsTemporalTypes) {
  const Json row =
      conn_
          .Query(
              "SELECT DATE '2024-02-29' AS d, DATE '0044-03-15' AS d_old, "
              "TIME '12:34:56.5' AS t, TIME '00:00:00' AS t0, "
              "TIMESTAMP '2024-01-02 03:04:05.123456' AS ts, "
              "TIMESTAMP '1969-12-31 23:59:59.5' AS ts_pre_epoch, "
              "TIMESTAMPTZ '2024-01-02 03:04:05+02:00' AS tz, "
              "TIMESTAMP_MS '2024-01-02 03:04:05.123' AS ts_ms, TIMESTAMP_S '2024-01-02 03:04:05' "
              "AS ts_s, "
              "TIMESTAMP_NS '2024-01-02 03:04:05.123456789' AS ts_ns, "
              "'infinity'::TIMESTAMP AS ts_inf, 'infinity'::DATE AS d_inf, "
              "INTERVAL '1 year 2 months 3 days 04:05:06.7' AS iv, INTERVAL 0 DAY AS iv0")
          .RowObject(0);
  EXPECT_EQ(row["d"], "2024-02-29");
  EXPECT_EQ(row["d_old"], "0044-03-15");
  EXPECT_EQ(row["t"], "12:34:56.5");
  EXPECT_EQ(row["t0"], "00:00:00");
  EXPECT_EQ(row["ts"], "2024-01-02 03:04:05.123456");
  EXPECT_EQ(row["ts_pre_epoch"], "1969-12-31 23:59:59.5");
  EXPECT_EQ(row["tz"], "2024-01-02 01:04:05+00");
  EXPECT_EQ(row["ts_ms"], "2024-01-02 03:04:05.123");
  EXPECT_EQ(row["ts_s"], "2024-01-02 03:04:05");
  EXPECT_EQ(row["ts_ns"], "2024-01-02 03:04:05.123456789");
  EXPECT_EQ(row["ts_inf"], "infinity");
  EXPECT_EQ(row["d_inf"], "infinity");
  EXPECT_EQ(row["iv"], "1 year 2 months 3 days 04:05:06.7");
  EXPECT_EQ(row["iv0"], "00:00:00");
}

// Our text for DuckDB's text-form types equals DuckDB's own VARCHAR cast.
TEST_F(DuckDbConnectionTest, TextFormsMatchDuckDbCasts) {
  QueryResult result = conn_.Query(
      "SELECT v, v::VARCHAR FROM (VALUES "
      "(TIMESTAMP '0001-01-01 00:00:00'), (TIMESTAMP '9999-12-31 23:59:59.999999'), "
      "(TIMESTAMP '1900-03-01 12:00:00.000001'), (TIMESTAMP '2000-02-29 00:00:00.01')) t(v) "
      "UNION ALL SELECT v::TIMESTAMP, v::VARCHAR FROM (VALUES (DATE '1492-10-12'), "
      "(DATE '-0044-03-15')) d(v)");
  ASSERT_EQ(result.rows.size(), 6u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(result.rows[i][0], result.rows[i][1]);
  const Json intervals =
      conn_
          .Query(
              "SELECT [v::VARCHAR for v in l] AS duck, l AS ours FROM (SELECT [INTERVAL 1 MONTH, "
              "INTERVAL '-2 days', INTERVAL '25 hours', INTERVAL '-1 second', INTERVAL 13 MONTH, "
              "INTERVAL '1 year -1 day'] AS l)")
          .RowObject(0);
  EXPECT_EQ(intervals["ours"], intervals["duck"]);
  const Json dates =
      conn_
          .Query(
              "SELECT [v::VARCHAR for v in l] AS duck, l AS ours FROM (SELECT [DATE '-0044-03-15', "
              "DATE '0001-01-01', DATE '1970-01-01', DATE '1969-12-31'] AS l)")
          .RowObject(0);
  EXPECT_EQ(dates["ours"], dates["duck"]);
  const Json times = conn_
                         .Query(
                             "SELECT [v::VARCHAR for v in l] AS duck, l AS ours FROM (SELECT "
                             "[TIMETZ '12:00:00+05:30', TIMETZ '01:02:03.25-08', TIMETZ "
                             "'23:59:59.999999+00'] AS l)")
                         .RowObject(0);
  EXPECT_EQ(times["ours"], times["duck"]);
}

TEST_F(DuckDbConnectionTest, TypesTheCApiCannotDescribeReadAsNull) {
  // DuckDB 1.4's C API reports TIME_NS as an invalid type; its text needs a cast in SQL.
  QueryResult result = conn_.Query(
      "SELECT '01:02:03.000000001'::TIME_NS AS t, '01:02:03.000000001'::TIME_NS::VARCHAR AS s");
  EXPECT_EQ(result.column_types[0], "UNKNOWN");
  EXPECT_EQ(result.rows[0], Json::parse(R"([null, "01:02:03.000000001"])"));
}

TEST_F(DuckDbConnectionTest, QueryConvertsNestedTypes) {
  const Json row =
      conn_
          .Query(
              "SELECT [1, NULL, 3] AS l, [] :: INTEGER[] AS empty, "
              "{'a': 1, 'b': ['x', NULL], 'c': {'d': 1.5::DECIMAL(38,9)}} AS st, "
              "[{'k': 'v1'}, NULL, {'k': NULL}] AS list_of_structs, "
              "[[1, 2], [3]] AS nested, MAP {'one': 1, 'two': 2} AS m, MAP {1: 'a'} AS m_int, "
              "[1, 2, 3]::INTEGER[3] AS arr, [DATE '2024-01-01'] AS dates, "
              "union_value(num := 2)::UNION(num INTEGER, str VARCHAR) AS un, "
              "NULL::INTEGER[] AS null_list")
          .RowObject(0);
  EXPECT_EQ(row["l"], Json::parse("[1, null, 3]"));
  EXPECT_EQ(row["empty"], Json::array());
  EXPECT_EQ(row["st"], Json::parse(R"({"a": 1, "b": ["x", null], "c": {"d": 1.5}})"));
  EXPECT_EQ(row["list_of_structs"], Json::parse(R"([{"k": "v1"}, null, {"k": null}])"));
  EXPECT_EQ(row["nested"], Json::parse("[[1, 2], [3]]"));
  EXPECT_EQ(row["m"], Json::parse(R"({"one": 1, "two": 2})"));
  EXPECT_EQ(row["m_int"], Json::parse(R"({"1": "a"})"));
  EXPECT_EQ(row["arr"], Json::parse("[1, 2, 3]"));
  EXPECT_EQ(row["dates"], Json::parse(R"(["2024-01-01"])"));
  EXPECT_EQ(row["un"], 2);
  EXPECT_TRUE(row["null_list"].is_null());
}

TEST_F(DuckDbConnectionTest, NestedValuesSpanChunks) {
  // List children beyond the first 2048 rows use offsets into a larger child vector.
  QueryResult result =
      conn_.Query("SELECT i, [i, i + 1] AS l, {'x': i} AS s FROM range(5000) r(i) ORDER BY i");
  ASSERT_EQ(result.rows.size(), 5000u);
  for (std::int64_t i = 0; i < 5000; i += 499) {
    EXPECT_EQ(result.rows[i][1], Json::array({i, i + 1}));
    EXPECT_EQ(result.rows[i][2], Json({{"x", i}}));
  }
}

TEST_F(DuckDbConnectionTest, QueryHonorsMaxRows) {
  QueryResult result = conn_.Query("SELECT * FROM range(10000)", /*max_rows=*/3);
  EXPECT_EQ(result.rows.size(), 3u);
  EXPECT_EQ(conn_.Query("SELECT * FROM range(10)", 0).rows.size(), 0u);
  EXPECT_EQ(conn_.Query("SELECT * FROM range(10)", 100).rows.size(), 10u);
  // The connection is usable afterwards (the streaming result was closed).
  EXPECT_EQ(Scalar("SELECT 1"), 1);
}

TEST_F(DuckDbConnectionTest, RowObjectKeysValuesByColumnInOrder) {
  QueryResult result = conn_.Query("SELECT 2 AS z, 'a' AS a UNION ALL SELECT 3, NULL ORDER BY z");
  EXPECT_EQ(result.RowObject(1).dump(), R"({"z":3,"a":null})");
  EXPECT_EQ(result.RowObject(0).dump(), R"({"z":2,"a":"a"})");
}

TEST_F(DuckDbConnectionTest, StreamReadsManyRowsInOrder) {
  conn_.Execute("CREATE TABLE big AS SELECT range AS i, 'v' || range AS s FROM range(100000)");
  DuckDbRowReader reader = conn_.Stream("SELECT i, s FROM big ORDER BY i");
  EXPECT_EQ(reader.column_names(), (std::vector<std::string>{"i", "s"}));
  EXPECT_EQ(reader.column_types(), (std::vector<std::string>{"BIGINT", "VARCHAR"}));
  std::int64_t count = 0;
  bool all_match = true;
  while (std::optional<Json> row = reader.Next()) {
    all_match = all_match && (*row)[0] == count && (*row)[1] == "v" + std::to_string(count);
    ++count;
  }
  EXPECT_EQ(count, 100000);
  EXPECT_TRUE(all_match);
  EXPECT_FALSE(reader.Next().has_value());
}

TEST_F(DuckDbConnectionTest, StreamReportsErrorsRaisedWhileReading) {
  EXPECT_THAT(
      [&] {
        DuckDbRowReader reader = conn_.Stream(
            "SELECT CASE WHEN i < 5000 THEN i ELSE error('boom at row') END "
            "FROM range(10000) r(i)");
        while (reader.Next()) {
        }
      },
      ThrowsError(ErrorKind::kCache, HasSubstr("boom at row")));
}

TEST_F(DuckDbConnectionTest, StreamIsClosedByAnotherStatementOnTheConnection) {
  DuckDbRowReader reader = conn_.Stream("SELECT * FROM range(100000)");
  ASSERT_TRUE(reader.Next().has_value());
  conn_.Execute("SELECT 1");
  EXPECT_THAT(
      [&] {
        while (reader.Next()) {
        }
      },
      ThrowsError(ErrorKind::kInternal, HasSubstr("ran another statement")));
}

TEST_F(DuckDbConnectionTest, StreamIsClosedByAnAppenderOnTheConnection) {
  conn_.Execute("CREATE TABLE t (a BIGINT)");
  DuckDbRowReader reader = conn_.Stream("SELECT * FROM range(100000)");
  ASSERT_TRUE(reader.Next().has_value());
  DuckDbAppender appender = conn_.Appender("main", "t");
  RecordBatch batch;
  batch.rows = 1;
  batch.columns = {ColumnData{.type = SqlType::kBigint, .valid = {1}, .ints = {1}}};
  appender.Append(batch);
  appender.Close();
  EXPECT_THAT(
      [&] {
        while (reader.Next()) {
        }
      },
      ThrowsError(ErrorKind::kInternal, HasSubstr("ran another statement")));
}

TEST_F(DuckDbConnectionTest, StreamOfEmptyResult) {
  DuckDbRowReader reader = conn_.Stream("SELECT 1 AS a WHERE false");
  EXPECT_EQ(reader.column_names(), std::vector<std::string>{"a"});
  EXPECT_FALSE(reader.Next().has_value());
}

// ---------------------------------------------------------------------------------------
// Appender

void AddText(ColumnData& column, bool valid, std::string_view text) {
  if (column.offsets.empty()) column.offsets.push_back(0);
  column.valid.push_back(valid ? 1 : 0);
  if (valid) column.text += text;
  column.offsets.push_back(static_cast<std::uint32_t>(column.text.size()));
}

Int128 ToInt128(std::int64_t value) {
  return Int128{static_cast<std::uint64_t>(value), value < 0 ? -1 : 0};
}

constexpr const char* kAllTypesDdl =
    "CREATE TABLE all_types (v VARCHAR, b BIGINT, d DECIMAL(38,9), f DOUBLE, bo BOOLEAN, "
    "dt DATE, ts TIMESTAMP, tz TIMESTAMPTZ, t TIME, j JSON)";

const std::vector<SqlType> kAllTypes = {
    SqlType::kVarchar, SqlType::kBigint, SqlType::kDecimal,   SqlType::kDouble,
    SqlType::kBoolean, SqlType::kDate,   SqlType::kTimestamp, SqlType::kTimestampTz,
    SqlType::kTime,    SqlType::kJson};

// Row i: b = i (never NULL); column c is NULL when (i + c) % 11 == 0.
RecordBatch AllTypesBatch(std::int64_t rows) {
  RecordBatch batch;
  batch.rows = static_cast<std::size_t>(rows);
  for (SqlType type : kAllTypes) batch.columns.push_back(ColumnData{.type = type});
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::size_t c = 0; c < kAllTypes.size(); ++c) {
      ColumnData& column = batch.columns[c];
      const bool valid = c == 1 || (i + static_cast<std::int64_t>(c)) % 11 != 0;
      switch (column.type) {
        case SqlType::kVarchar:
          AddText(column, valid, "name-" + std::to_string(i));
          continue;
        case SqlType::kJson:
          AddText(column, valid, "{\"i\":" + std::to_string(i) + "}");
          continue;
        default:
          break;
      }
      column.valid.push_back(valid ? 1 : 0);
      switch (column.type) {
        case SqlType::kBigint:
          column.ints.push_back(i);
          break;
        case SqlType::kDecimal:
          column.decimals.push_back(valid ? ToInt128((i - 2500) * 1'500'000'000) : Int128{});
          break;
        case SqlType::kDouble:
          column.doubles.push_back(valid ? i * 0.25 : 0);
          break;
        case SqlType::kBoolean:
          column.ints.push_back(valid ? i % 2 : 0);
          break;
        case SqlType::kDate:
          column.ints.push_back(valid ? i * 3 - 1000 : 0);
          break;
        case SqlType::kTimestamp:
          column.ints.push_back(valid ? (i - 2500) * 1'000'000'007 : 0);
          break;
        case SqlType::kTimestampTz:
          column.ints.push_back(valid ? i * 1'234'567 + 1'700'000'000'000'000 : 0);
          break;
        case SqlType::kTime:
          column.ints.push_back(valid ? (i * 17'000'001) % 86'400'000'000 : 0);
          break;
        default:
          break;
      }
    }
  }
  return batch;
}

TEST_F(DuckDbConnectionTest, AppenderWritesEveryTypeAcrossChunks) {
  conn_.Execute(kAllTypesDdl);
  DuckDbAppender appender = conn_.Appender("main", "all_types");
  appender.Append(AllTypesBatch(5000));
  appender.Close();

  EXPECT_EQ(Scalar("SELECT count(*) FROM all_types"), 5000);
  EXPECT_EQ(Scalar("SELECT count(DISTINCT b) FROM all_types"), 5000);
  // Each column holds exactly the expected value (or NULL) in every row.
  const std::vector<std::string> expected = {
      "'name-' || b",
      "b",
      "((b - 2500) * 1.5)::DECIMAL(38,9)",
      "b * 0.25",
      "b % 2 = 1",
      "DATE '1970-01-01' + (b * 3 - 1000)::INTEGER",
      "make_timestamp((b - 2500) * 1000000007)",
      "b * 1234567 + 1700000000000000",
      "TIME '00:00:00' + to_microseconds((b * 17000001) % 86400000000)",
      "'{\"i\":' || b || '}'",
  };
  const std::vector<std::string> columns = {
      "v", "b", "d", "f", "bo", "dt", "ts", "epoch_us(tz)", "t", "j::VARCHAR"};
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::string null_when = c == 1 ? "false" : "(b + " + std::to_string(c) + ") % 11 = 0";
    EXPECT_EQ(Scalar("SELECT count(*) FROM all_types WHERE " + columns[c] +
                     " IS DISTINCT FROM (CASE WHEN " + null_when + " THEN NULL ELSE " +
                     expected[c] + " END)"),
              0)
        << columns[c];
  }
  // And the values read back through Query's conversion.
  QueryResult result = conn_.Query("SELECT * FROM all_types WHERE b IN (0, 2501, 4999) ORDER BY b");
  ASSERT_EQ(result.rows.size(), 3u);
  EXPECT_EQ(result.RowObject(1).dump(),
            R"({"v":"name-2501","b":2501,"d":1.5,"f":625.25,"bo":true,"dt":"1987-10-22",)"
            R"("ts":"1970-01-01 00:16:40.000007","tz":null,)"
            R"("t":"11:48:37.002501","j":"{\"i\":2501}"})");
  const Json first = result.RowObject(0);
  EXPECT_TRUE(first["v"].is_null());  // (0 + 0) % 11 == 0
  EXPECT_EQ(first["b"], 0);
  EXPECT_EQ(first["d"], -3750);
  EXPECT_EQ(first["bo"], false);
}

TEST_F(DuckDbConnectionTest, AppenderTimestampTextRoundTrips) {
  conn_.Execute(kAllTypesDdl);
  DuckDbAppender appender = conn_.Appender("main", "all_types");
  appender.Append(AllTypesBatch(3000));
  appender.Close();
  // Our text form for every row equals DuckDB's VARCHAR cast (TIMESTAMPTZ is rendered in UTC,
  // so compare it against the naive timestamp of the same instant).
  QueryResult result = conn_.Query(
      "SELECT ts, ts::VARCHAR, dt, dt::VARCHAR, t, t::VARCHAR, tz, "
      "make_timestamp(epoch_us(tz))::VARCHAR || '+00' FROM all_types ORDER BY b");
  ASSERT_EQ(result.rows.size(), 3000u);
  int mismatches = 0;
  for (const Json& row : result.rows) {
    for (std::size_t c = 0; c < 8; c += 2) {
      if (row[c] != row[c + 1]) {
        if (++mismatches < 5) ADD_FAILURE() << row.dump();
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST_F(DuckDbConnectionTest, AppenderAcceptsJsonIntoVarcharAndJsonColumns) {
  conn_.Execute("CREATE TABLE t (a JSON, b VARCHAR)");
  RecordBatch batch;
  batch.rows = 2;
  batch.columns = {ColumnData{.type = SqlType::kJson}, ColumnData{.type = SqlType::kJson}};
  for (ColumnData& column : batch.columns) {
    AddText(column, true, R"({"k":[1,2]})");
    AddText(column, false, "");
  }
  DuckDbAppender appender = conn_.Appender("main", "t");
  appender.Append(batch);
  appender.Close();
  QueryResult result = conn_.Query("SELECT a, b, a->>'$.k[1]' FROM t ORDER BY a NULLS LAST");
  EXPECT_EQ(result.column_types[0], "JSON");
  EXPECT_EQ(result.rows[0], Json::parse(R"(["{\"k\":[1,2]}", "{\"k\":[1,2]}", "2"])"));
  EXPECT_EQ(result.rows[1], Json::parse("[null, null, null]"));
}

TEST_F(DuckDbConnectionTest, AppenderRejectsMismatchedColumnType) {
  conn_.Execute("CREATE TABLE t (a BIGINT, b VARCHAR)");
  auto layout = std::make_shared<StreamLayout>();
  layout->columns = {ColumnDef{.name = "a", .type = SqlType::kBigint},
                     ColumnDef{.name = "b", .type = SqlType::kDecimal}};
  RecordBatch batch;
  batch.layout = layout;
  batch.rows = 1;
  batch.columns = {ColumnData{.type = SqlType::kBigint, .valid = {1}, .ints = {1}},
                   ColumnData{.type = SqlType::kDecimal, .valid = {1}, .decimals = {Int128{}}}};
  DuckDbAppender appender = conn_.Appender("main", "t");
  EXPECT_THAT(
      [&] { appender.Append(batch); },
      ThrowsError(ErrorKind::kCache, AllOf(HasSubstr("Column 'b'"), HasSubstr("VARCHAR"),
                                           HasSubstr("DECIMAL(38, 9)"), HasSubstr("main.t"))));
}

TEST_F(DuckDbConnectionTest, AppenderRejectsWrongColumnCount) {
  conn_.Execute("CREATE TABLE t (a BIGINT, b BIGINT)");
  RecordBatch batch;
  batch.rows = 1;
  batch.columns = {ColumnData{.type = SqlType::kBigint, .valid = {1}, .ints = {1}}};
  DuckDbAppender appender = conn_.Appender("main", "t");
  EXPECT_THAT([&] { appender.Append(batch); },
              ThrowsError(ErrorKind::kCache,
                          AllOf(HasSubstr("do not match"), HasSubstr("Batch Columns: 1"))));
}

TEST_F(DuckDbConnectionTest, AppenderForMissingTableFails) {
  EXPECT_THAT([&] { conn_.Appender("main", "nope"); },
              ThrowsError(ErrorKind::kCache, AllOf(HasSubstr("nope"), HasSubstr("appender"))));
}

TEST_F(DuckDbConnectionTest, AppenderCloseReportsConstraintViolation) {
  conn_.Execute("CREATE TABLE t (a BIGINT PRIMARY KEY)");
  RecordBatch batch;
  batch.rows = 2;
  batch.columns = {ColumnData{.type = SqlType::kBigint, .valid = {1, 1}, .ints = {7, 7}}};
  DuckDbAppender appender = conn_.Appender("main", "t");
  appender.Append(batch);
  EXPECT_THAT([&] { appender.Close(); },
              ThrowsError(ErrorKind::kCache,
                          AllOf(HasSubstr("duplicate key \"7\""), HasSubstr("Table: 'main.t'"))));
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), 0);
}

TEST_F(DuckDbConnectionTest, AppenderRowsRollBackWithTheConnectionTransaction) {
  conn_.Execute("CREATE TABLE t (a BIGINT)");
  RecordBatch batch;
  batch.rows = 3;
  batch.columns = {ColumnData{.type = SqlType::kBigint, .valid = {1, 1, 0}, .ints = {1, 2, 0}}};

  conn_.Execute("BEGIN TRANSACTION");
  DuckDbAppender appender = conn_.Appender("main", "t");
  appender.Append(batch);
  appender.Flush();
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), 3);  // visible inside the transaction
  appender.Close();
  conn_.Execute("ROLLBACK");
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), 0);

  conn_.Execute("BEGIN TRANSACTION");
  DuckDbAppender committed = conn_.Appender("main", "t");
  committed.Append(batch);
  committed.Close();
  conn_.Execute("COMMIT");
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), 3);
  EXPECT_EQ(Scalar("SELECT count(a) FROM t"), 2);
}

TEST_F(DuckDbConnectionTest, AppenderDestructorFlushesRemainingRows) {
  conn_.Execute("CREATE TABLE t (a BIGINT)");
  RecordBatch batch;
  batch.rows = 2;
  batch.columns = {ColumnData{.type = SqlType::kBigint, .valid = {1, 1}, .ints = {1, 2}}};
  {
    DuckDbAppender appender = conn_.Appender("main", "t");
    appender.Append(batch);
  }
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), 2);
}

TEST_F(DuckDbConnectionTest, AppenderUseAfterCloseIsAnError) {
  conn_.Execute("CREATE TABLE t (a BIGINT)");
  DuckDbAppender appender = conn_.Appender("", "t");
  appender.Close();
  appender.Close();  // idempotent
  RecordBatch batch;
  batch.columns = {ColumnData{.type = SqlType::kBigint}};
  EXPECT_THAT([&] { appender.Append(batch); }, ThrowsError(ErrorKind::kInternal, HasSubstr("t")));
}

TEST_F(DuckDbConnectionTest, AppenderAcceptsEmptyBatch) {
  conn_.Execute("CREATE TABLE t (a BIGINT)");
  DuckDbAppender appender = conn_.Appender("main", "t");
  RecordBatch batch;
  batch.columns = {ColumnData{.type = SqlType::kBigint}};
  appender.Append(batch);
  appender.Close();
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), 0);
}

// Serves `batches` batches of `rows` rows (b BIGINT, v VARCHAR) in 2048-row pieces, holding
// only the current batch, as the cache writer does. The insert references batch strings
// without copying them, so it must keep a batch alive until DuckDB has consumed its rows: a
// batch the source moves past while nobody else holds it is overwritten, and a string read
// too late would then differ.
class CountingSource : public InsertSource {
 public:
  CountingSource(int batches, std::size_t rows) : batches_(batches), rows_(rows) {}

  bool Next(std::shared_ptr<const RecordBatch>& batch, std::size_t& start,
            std::size_t& count) override {
    if (current_ == nullptr || offset_ >= current_->rows) {
      if (current_ != nullptr && current_.use_count() == 1) {
        std::fill(current_->columns[1].text.begin(), current_->columns[1].text.end(), '#');
      }
      if (made_ == batches_) return false;
      current_ = Make(made_++);
      offset_ = 0;
    }
    batch = current_;
    start = offset_;
    count = std::min<std::size_t>(2048, current_->rows - offset_);
    offset_ += count;
    return true;
  }

  // Row b's v: NULL when b % 7 == 3, else 'row-<b>-' and (b % 20) times 'ab': 0 to 48 bytes,
  // both inlined (<= 12) and pointer strings.
  static std::string Value(std::int64_t b) {
    std::string value = "row-" + std::to_string(b) + "-";
    for (std::int64_t i = 0; i < b % 20; ++i) value += "ab";
    return value;
  }

 private:
  std::shared_ptr<RecordBatch> Make(int index) const {
    auto batch = std::make_shared<RecordBatch>();
    batch->rows = rows_;
    ColumnData ids{.type = SqlType::kBigint};
    ColumnData values{.type = SqlType::kVarchar, .offsets = {0}};
    for (std::size_t row = 0; row < rows_; ++row) {
      const auto b = static_cast<std::int64_t>(static_cast<std::size_t>(index) * rows_ + row);
      ids.valid.push_back(1);
      ids.ints.push_back(b);
      const bool valid = b % 7 != 3;
      values.valid.push_back(valid ? 1 : 0);
      if (valid) values.text += Value(b);
      values.offsets.push_back(static_cast<std::uint32_t>(values.text.size()));
    }
    batch->columns = {std::move(ids), std::move(values)};
    return batch;
  }

  int batches_;
  std::size_t rows_;
  int made_ = 0;
  std::shared_ptr<RecordBatch> current_;
  std::size_t offset_ = 0;
};

TEST_F(DuckDbConnectionTest, InsertFromWritesEveryStringOfManyBatches) {
  conn_.Execute("CREATE TABLE t (b BIGINT, v VARCHAR)");
  CountingSource source(/*batches=*/100, /*rows=*/2048);
  conn_.InsertFrom("main", "t", {SqlType::kBigint, SqlType::kVarchar}, source);
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), 204800);
  EXPECT_EQ(Scalar("SELECT count(DISTINCT b) FROM t"), 204800);
  EXPECT_EQ(Scalar("SELECT count(*) FROM t WHERE v IS DISTINCT FROM (CASE WHEN b % 7 = 3 THEN "
                   "NULL ELSE 'row-' || b || '-' || repeat('ab', (b % 20)::INTEGER) END)"),
            0);
  EXPECT_EQ(Scalar("SELECT v FROM t WHERE b = 204799"), CountingSource::Value(204799));
}

// The appender is handed vectors that point into the batch's text; it must have copied the
// strings by the time Append() returns (the batch may change or go away before the flush).
TEST_F(DuckDbConnectionTest, AppenderCopiesStringsBeforeAppendReturns) {
  conn_.Execute("CREATE TABLE t (b BIGINT, v VARCHAR)");
  DuckDbAppender appender = conn_.Appender("main", "t");
  {
    CountingSource source(/*batches=*/1, /*rows=*/3000);
    std::shared_ptr<const RecordBatch> batch;
    std::size_t start = 0;
    std::size_t count = 0;
    ASSERT_TRUE(source.Next(batch, start, count));
    appender.Append(*batch);
    // Scribble over the text, then let the batch go before the appender flushes.
    auto& text = const_cast<std::string&>(batch->columns[1].text);
    std::fill(text.begin(), text.end(), '#');
  }
  appender.Close();
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), 3000);
  EXPECT_EQ(Scalar("SELECT count(*) FROM t WHERE v IS DISTINCT FROM (CASE WHEN b % 7 = 3 THEN "
                   "NULL ELSE 'row-' || b || '-' || repeat('ab', (b % 20)::INTEGER) END)"),
            0);
}

}  // namespace
}  // namespace airbyte::caches
