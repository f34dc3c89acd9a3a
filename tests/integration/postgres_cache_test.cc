// The Postgres cache backend against a real PostgreSQL server (scripts/pg_test_server): URLs,
// connection errors, binary COPY against DuckDB's reading of the same batch, 63-character
// names, exports, the CLI, and a connection lost in the middle of a read.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/airbyte.h"
#include "caches/duckdb/duckdb_backend.h"
#include "caches/postgres/pg_connection.h"
#include "caches/postgres/postgres_backend.h"
#include "caches/record_batch.h"
#include "caches/sql_dialect.h"
#include "caches/type_mapping.h"
#include "testutil/postgres_server.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testutil::ThrowsError;

// The password of the test server's URL (between "airbyte:" and '@').
std::string ServerPassword() {
  const std::string url = testutil::PostgresUrl();
  const std::size_t colon = url.find(':', std::string("postgresql://").size());
  return url.substr(colon + 1, url.find('@') - colon - 1);
}

caches::PgConnectParams ServerParams() {
  return caches::ParsePostgresUrl(testutil::PostgresUrl(), nullptr);
}

TEST(PostgresUrlTest, ParsesEveryPart) {
  std::vector<std::pair<std::string, std::string>> options;
  const caches::PgConnectParams params = caches::ParsePostgresUrl(
      "postgresql://me%40corp:p%3Ass%2Fw@db.example.com:6543/an%20db?schema=raw&table_prefix=x_"
      "&sslmode=require",
      &options);
  EXPECT_EQ(params.username, "me@corp");
  EXPECT_EQ(params.password, "p:ss/w");
  EXPECT_EQ(params.host, "db.example.com");
  EXPECT_EQ(params.port, 6543);
  EXPECT_EQ(params.database, "an db");
  EXPECT_THAT(options, ::testing::ElementsAre(std::pair<std::string, std::string>{"schema_name", "raw"},
                                              std::pair<std::string, std::string>{"table_prefix", "x_"}));
  ASSERT_EQ(params.options.size(), 1u);
  EXPECT_EQ(params.options[0].first, "sslmode");

  const caches::PgConnectParams v6 = caches::ParsePostgresUrl("postgres://[::1]:5433/db", nullptr);
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 5433);
  // The password is a secret from now on, as written and decoded.
  EXPECT_EQ(MaskSecrets("p%3Ass%2Fw and p:ss/w"), "**** and ****");
}

TEST(PostgresUrlTest, RejectsBadUrlsWithoutShowingThePassword) {
  EXPECT_THAT([] { caches::ParsePostgresUrl("mysql://u:sekret123@h/db", nullptr); },
              ThrowsError(ErrorKind::kInput, HasSubstr("postgresql://")));
  EXPECT_THAT([] { caches::ParsePostgresUrl("postgresql://u:sekret123@h:99999/db", nullptr); },
              ThrowsError(ErrorKind::kInput, AllOf(HasSubstr("port"), Not(HasSubstr("sekret123")))));
  EXPECT_THAT([] { caches::ParsePostgresUrl("postgresql://u:sekret123@h:5432", nullptr); },
              ThrowsError(ErrorKind::kInput, HasSubstr("no database")));
}

TEST(PostgresCacheErrorsTest, ConnectionRefusedSaysWhereAndWhat) {
  // A port nobody listens on: the test server's port + 1 is free in practice; find one that
  // refuses for sure by binding nothing there.
  const caches::PgConnectParams server = ServerParams();
  PostgresCacheOptions options{.host = "127.0.0.1", .port = server.port == 65535 ? 1 : server.port + 1,
                               .username = "airbyte", .password = "refused-secret-value",
                               .database = "postgres"};
  EXPECT_THAT([&] { PostgresCache cache(options); },
              ThrowsError(ErrorKind::kCache,
                          AllOf(HasSubstr("Could not connect"), HasSubstr("No Postgres server is listening"),
                                HasSubstr("127.0.0.1:" + std::to_string(options.port)),
                                Not(HasSubstr("refused-secret-value")))));
}

TEST(PostgresCacheErrorsTest, WrongPasswordIsAnAuthenticationError) {
  const caches::PgConnectParams server = ServerParams();
  PostgresCacheOptions options{.host = server.host, .port = server.port, .username = "airbyte",
                               .password = "wrong-password-123", .database = server.database};
  EXPECT_THAT([&] { PostgresCache cache(options); },
              ThrowsError(ErrorKind::kCache, AllOf(HasSubstr("user name or password"),
                                                   Not(HasSubstr("wrong-password-123")))));
}

TEST(PostgresCacheErrorsTest, UnknownDatabaseSaysToCreateIt) {
  const caches::PgConnectParams server = ServerParams();
  PostgresCacheOptions options{.host = server.host, .port = server.port, .username = server.username,
                               .password = server.password, .database = "no_such_db"};
  EXPECT_THAT([&] { PostgresCache cache(options); },
              ThrowsError(ErrorKind::kCache, AllOf(HasSubstr("CREATE DATABASE"), HasSubstr("no_such_db"),
                                                   Not(HasSubstr(ServerPassword())))));
}

TEST(PostgresCacheErrorsTest, PermissionDeniedNamesThePrivilege) {
  testutil::Psql(
      "DROP ROLE IF EXISTS limited_user; CREATE ROLE limited_user LOGIN PASSWORD 'limited-pw-1'");
  const caches::PgConnectParams server = ServerParams();
  PostgresCacheOptions options{.host = server.host, .port = server.port, .username = "limited_user",
                               .password = "limited-pw-1", .database = server.database,
                               .schema_name = "forbidden_schema"};
  EXPECT_THAT([&] { PostgresCache cache(options); },
              ThrowsError(ErrorKind::kCache, AllOf(HasSubstr("permission denied"), HasSubstr("GRANT"),
                                                   Not(HasSubstr("limited-pw-1")))));
}

// One batch of every column type, loaded through binary COPY into Postgres and through the
// appender into DuckDB, reads back as the same JSON.
TEST(PostgresCopyTest, EveryTypeReadsBackLikeDuckDb) {
  const Json schema = Json::parse(R"({"type": "object", "properties": {
      "id": {"type": "integer"}, "name": {"type": "string"}, "amount": {"type": "number"},
      "flag": {"type": "boolean"}, "day": {"type": "string", "format": "date"},
      "at": {"type": "string", "format": "date-time"},
      "naive": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_without_timezone"},
      "clock": {"type": "string", "format": "time"}, "obj": {"type": "object"},
      "list": {"type": "array"}}})");
  const std::vector<std::string> records = {
      R"({"id": 1, "name": "plain", "amount": 0, "flag": true, "day": "2024-02-29", "at": "2024-01-01T00:00:00Z", "naive": "2024-01-01T12:30:00", "clock": "23:59:59.5", "obj": {"a": [1, 2]}, "list": [1, "x"]})",
      R"({"id": 2, "name": "ünïcode ✓ 'quote' \"dq\" \\ tab\t", "amount": -1.5, "flag": false, "day": "1969-12-31", "at": "1999-12-31T23:59:59.999999+02:00", "naive": "1970-01-01T00:00:00", "clock": "00:00:00", "obj": {}, "list": []})",
      R"({"id": 3, "amount": 12345678901234567890.123456789, "day": "0001-01-01", "at": "2100-06-30T10:00:00.25Z"})",
      R"({"id": 4, "amount": 0.000000001, "name": ""})",
      R"({"id": 5, "amount": -99999999999999999999.999999999, "at": "not a date"})",
      R"({"id": -9223372036854775807, "amount": 1e-12})",
  };
  const caches::StreamLayout layout =
      caches::BuildStreamLayout("types", "types", schema, {}, {}, 63, {});
  caches::RecordBatchBuilder builder(std::make_shared<const caches::StreamLayout>(layout));
  for (const std::string& record : records) builder.AddJson(record, 1704067200000, Json());
  const caches::RecordBatch batch = builder.Take();

  const std::string pg_schema = testutil::FreshPostgresSchema();
  std::unique_ptr<caches::CacheBackend> pg = caches::OpenPostgresBackend(ServerParams());
  pg->Execute(caches::CreateSchemaSql(pg_schema));
  pg->Execute(caches::CreateTableSql(caches::PostgresDialect(), pg_schema, "types", layout.columns));
  std::unique_ptr<caches::CacheBackend> duck = caches::OpenDuckDbBackend(":memory:");
  duck->Execute(caches::CreateTableSql(caches::DuckDbDialect(), "main", "types", layout.columns));
  for (caches::CacheBackend* db : {pg.get(), duck.get()}) {
    const std::string schema_name = db == pg.get() ? pg_schema : "main";
    db->Begin();
    std::unique_ptr<caches::BatchAppender> appender = db->OpenAppender(schema_name, "types");
    appender->Append(batch);
    appender->Flush();
    appender.reset();
    db->Commit();
  }
  const std::string select = " ORDER BY id";
  const caches::QueryResult from_pg =
      pg->Query("SELECT * FROM " + caches::QualifiedName(pg_schema, "types") + select);
  const caches::QueryResult from_duck = duck->Query("SELECT * FROM main.types" + select);
  ASSERT_EQ(from_pg.rows.size(), records.size());
  EXPECT_EQ(from_pg.column_names, from_duck.column_names);
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(from_pg.RowObject(i), from_duck.RowObject(i)) << "row " << i;
  }
  // Spot checks that the comparison is not vacuous.
  EXPECT_EQ(from_pg.RowObject(3)["amount"], "12345678901234567890.123456789");
  EXPECT_EQ(from_pg.RowObject(2)["at"], "1999-12-31 21:59:59.999999+00");
  EXPECT_EQ(from_pg.RowObject(5)["at"], nullptr);
  EXPECT_THAT(from_pg.RowObject(5)["_airbyte_meta"].get<std::string>(), HasSubstr("NULLED"));
}

TEST(PostgresCopyTest, NulCharactersAreDroppedNotFatal) {
  const Json schema = Json::parse(R"({"type": "object", "properties": {"s": {"type": "string"}}})");
  const caches::StreamLayout layout = caches::BuildStreamLayout("nul", "nul", schema, {}, {}, 63, {});
  caches::RecordBatchBuilder builder(std::make_shared<const caches::StreamLayout>(layout));
  builder.AddJson(R"({"s": "a\u0000b"})", 0, Json());
  const std::string pg_schema = testutil::FreshPostgresSchema();
  std::unique_ptr<caches::CacheBackend> pg = caches::OpenPostgresBackend(ServerParams());
  pg->Execute(caches::CreateSchemaSql(pg_schema));
  pg->Execute(caches::CreateTableSql(caches::PostgresDialect(), pg_schema, "nul", layout.columns));
  std::unique_ptr<caches::BatchAppender> appender = pg->OpenAppender(pg_schema, "nul");
  appender->Append(builder.Take());
  appender->Flush();
  EXPECT_EQ(pg->Query("SELECT s FROM " + caches::QualifiedName(pg_schema, "nul")).rows.at(0).at(0), "ab");
}

// A connector script whose one stream has properties longer than 63 characters.
std::filesystem::path LongNamesConnector(const std::filesystem::path& dir) {
  const std::string a = std::string(70, 'a');
  const std::string schema = R"({"type":"object","properties":{"id":{"type":"integer"},")" + a +
                             R"(_first":{"type":"string"},")" + a + R"(_second":{"type":"string"}}})";
  const std::string script =
      "#!/bin/sh\ncase \"$1\" in\n"
      "  spec) echo '{\"type\":\"SPEC\",\"spec\":{\"connectionSpecification\":{\"type\":\"object\"}}}' ;;\n"
      "  check) echo '{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"SUCCEEDED\"}}' ;;\n"
      "  discover) echo '{\"type\":\"CATALOG\",\"catalog\":{\"streams\":[{\"name\":\"Long_Stream_" +
      std::string(60, 'x') + "\",\"json_schema\":" + schema +
      ",\"supported_sync_modes\":[\"full_refresh\"],\"source_defined_primary_key\":[[\"id\"]]}]}}' ;;\n"
      "  read) echo '{\"type\":\"RECORD\",\"record\":{\"stream\":\"Long_Stream_" + std::string(60, 'x') +
      "\",\"data\":{\"id\":1,\"" + a + "_first\":\"one\",\"" + a +
      "_second\":\"two\"},\"emitted_at\":1}}' ;;\nesac\n";
  const std::filesystem::path path = testutil::WriteText(dir / "source-long", script);
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}

TEST(PostgresCacheTest, LongNamesTruncateTo63WithoutDroppingColumns) {
  util::ScopedTempDir dir("pg-long");
  PostgresCache cache = PostgresCache::FromUrl(testutil::PostgresCacheUrl(testutil::FreshPostgresSchema()));
  Source source = GetSource("source-long", Json::object(),
                            {.local_executable = LongNamesConnector(dir.path()).string()});
  source.SelectAllStreams();
  source.Read(cache);
  const std::string table = cache.TableName("Long_Stream_" + std::string(60, 'x'));
  EXPECT_EQ(table, "long_stream_" + std::string(51, 'x'));
  const std::vector<Json> rows = cache.Query("SELECT * FROM \"" + cache.schema_name() + "\".\"" + table + "\"");
  ASSERT_EQ(rows.size(), 1u);
  const std::string first = std::string(63, 'a');
  const std::string second = std::string(61, 'a') + "_2";
  EXPECT_EQ(rows[0].value(first, Json()), "one") << rows[0].dump();
  EXPECT_EQ(rows[0].value(second, Json()), "two") << rows[0].dump();
  // A second read merges into the same columns (the names are stable).
  source.Read(cache);
  EXPECT_EQ(cache.Query("SELECT count(*) AS n FROM \"" + cache.schema_name() + "\".\"" + table + "\"")
                .at(0)["n"], 1);
}

TEST(PostgresCacheTest, DatasetsExportAndStreamArrow) {
  util::ScopedTempDir dir("pg-export");
  PostgresCache cache = PostgresCache::FromUrl(testutil::PostgresCacheUrl(testutil::FreshPostgresSchema()));
  Source source = GetSource("source-faker", Json{{"count", 300}});
  source.SelectStreams({"users"});
  ReadResult result = source.Read(cache);
  CachedDataset users = cache["users"];
  EXPECT_EQ(users.Count(), 300);
  users.ToParquet(dir.path() / "u.parquet");
  users.ToCsv(dir.path() / "u.csv");
  users.ToJsonl(dir.path() / "u.jsonl");
  DuckDbCache check({.db_path = ":memory:"});
  EXPECT_EQ(check.Query("SELECT count(*) AS n, count(DISTINCT id) AS d FROM read_parquet('" +
                        (dir.path() / "u.parquet").string() + "')")
                .at(0),
            (Json{{"n", 300}, {"d", 300}}));
  EXPECT_EQ(check.Query("SELECT count(*) AS n FROM read_csv('" + (dir.path() / "u.csv").string() + "')")
                .at(0)["n"],
            300);
  EXPECT_EQ(check.Query("SELECT count(*) AS n, min(id) AS lo FROM read_json('" +
                        (dir.path() / "u.jsonl").string() + "')")
                .at(0),
            (Json{{"n", 300}, {"lo", 1}}));
  ArrowArrayStream stream = users.WithFilter("id <= 10").ToArrowStream();
  ArrowArray batch{};
  std::int64_t rows = 0;
  while (stream.get_next(&stream, &batch) == 0 && batch.release != nullptr) {
    rows += batch.length;
    batch.release(&batch);
  }
  stream.release(&stream);
  EXPECT_EQ(rows, 10);
}

TEST(PostgresCliTest, ReadAndSqlNeverPrintThePassword) {
  const std::string url = testutil::PostgresCacheUrl(testutil::FreshPostgresSchema());
  const testutil::CommandResult read = testutil::RunCommand(
      {testutil::CliPath().string(), "read", "--source", "source-faker", "--config", "{count: 50}",
       "--cache", url});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_THAT(read.out, HasSubstr("users: 50 records"));
  const testutil::CommandResult sql = testutil::RunCommand(
      {testutil::CliPath().string(), "sql", "--json", "--cache", url, "SELECT count(*) AS n FROM users"});
  ASSERT_EQ(sql.exit_code, 0) << sql.err;
  EXPECT_EQ(Json::parse(sql.out)["n"], 50);
  const testutil::CommandResult bad = testutil::RunCommand(
      {testutil::CliPath().string(), "sql", "--cache", url, "SELECT * FROM no_such_table"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("no_such_table"));
  const testutil::CommandResult info = testutil::RunCommand(
      {testutil::CliPath().string(), "cache", "info", "--json", "--cache", url});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  const Json info_json = Json::parse(info.out);
  EXPECT_THAT(info_json["cache"].get<std::string>(), AllOf(HasSubstr("postgresql://"), HasSubstr("****")));
  EXPECT_GT(info_json["size_bytes"].get<std::int64_t>(), 0);
  bool saw_users = false;
  for (const Json& stream : info_json["streams"]) {
    if (stream["name"] == "users") {
      saw_users = true;
      EXPECT_EQ(stream["rows"], 50);
    }
  }
  EXPECT_TRUE(saw_users) << info.out;
  const testutil::CommandResult state = testutil::RunCommand(
      {testutil::CliPath().string(), "state", "show", "--source", "source-faker", "--json", "--cache", url});
  ASSERT_EQ(state.exit_code, 0) << state.err;
  EXPECT_THAT(state.out, HasSubstr("users"));
  for (const testutil::CommandResult* r : {&read, &sql, &bad, &info, &state}) {
    EXPECT_THAT(r->out + r->err, Not(HasSubstr(ServerPassword())));
  }
}

// The server ends our session in the middle of a read: the read fails saying the connection
// was lost, what was committed stays, and running the read again completes it.
TEST(PostgresCacheTest, LostConnectionMidReadKeepsCommittedDataAndResumes) {
  const std::string schema = testutil::FreshPostgresSchema();
  // Its own application_name, so that only this read's sessions are ended (tests run in
  // parallel on one server).
  const std::string url = testutil::PostgresCacheUrl(schema) + "&application_name=airbyte-lost-test";
  const std::vector<std::string> argv = {
      testutil::CliPath().string(), "read", "--source", "source-faker", "--config",
      "{count: 60000, seed: 3, records_per_slice: 1000, always_updated: true}", "--streams",
      "users", "--cache", url};
  const std::vector<std::string> env = {"AIRBYTE_COMMIT_ROWS=2000", "AIRBYTE_COMMIT_INTERVAL_MS=20"};
  testutil::CommandResult first;
  std::thread reader([&] { first = testutil::RunCommand(argv, env); });
  // Wait for some committed rows, then terminate the session.
  std::int64_t committed = 0;
  for (int i = 0; i < 600 && committed == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const std::string n = testutil::Psql(
        "SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema + "' AND tablename = 'users'");
    if (n.starts_with("1")) {
      committed = std::stoll(testutil::Psql("SELECT count(*) FROM \"" + schema + "\".users"));
    }
  }
  if (committed == 0) reader.join();
  ASSERT_GT(committed, 0) << "no rows were committed in time";
  EXPECT_EQ(testutil::Psql("SELECT count(pg_terminate_backend(pid)) > 0 FROM pg_stat_activity "
                           "WHERE application_name = 'airbyte-lost-test'"),
            "t\n");
  reader.join();
  const std::string& err = first.err;
  ASSERT_EQ(first.exit_code, 1) << err;
  EXPECT_THAT(err, AllOf(HasSubstr("Lost the connection"), HasSubstr("run the read again")));
  EXPECT_THAT(err, Not(HasSubstr(ServerPassword())));
  const std::int64_t kept = std::stoll(testutil::Psql("SELECT count(*) FROM \"" + schema + "\".users"));
  EXPECT_GE(kept, committed);
  EXPECT_LT(kept, 60000);
  // Stored state never covers more than the committed rows.
  const std::string state = testutil::Psql("SELECT state_json FROM \"" + schema +
                                           "\"._airbyte_state WHERE stream_name = 'users'");
  if (!state.empty()) {
    const Json parsed = Json::parse(state);
    EXPECT_LE(parsed["stream"]["stream_state"].value("loop_offset", std::int64_t{0}), kept);
  }
  const testutil::CommandResult again = testutil::RunCommand(argv, env);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(testutil::Psql("SELECT count(*), count(DISTINCT id) FROM \"" + schema + "\".users"),
            "60000|60000\n");
}

// The server runs out of disk in the middle of a read (the cache's tables live in a
// tablespace on an 8 MiB tmpfs): the error says so, committed rows and their states stay, and
// once there is room again a re-run completes the read.
TEST(PostgresCacheTest, DiskFullMidReadKeepsCommittedDataAndResumes) {
  if (std::getenv("AIRBYTE_TEST_PG_DSN") != nullptr) {
    GTEST_SKIP() << "needs the local test cluster (a tablespace on a local tmpfs)";
  }
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
  const std::string mount = "/tmp/airbyte-pg-full-" + std::to_string(getpid());
  std::filesystem::create_directories(mount);
  if (testutil::RunCommand({"mount", "-t", "tmpfs", "-o", "size=8M", "tmpfs", mount}).exit_code != 0) {
    std::filesystem::remove(mount);
    GTEST_SKIP() << "cannot mount a tmpfs here (no CAP_SYS_ADMIN)";
  }
  const std::string schema = testutil::FreshPostgresSchema();
  struct Cleanup {
    std::string mount, schema;
    ~Cleanup() {
      try {
        testutil::Psql("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        testutil::Psql("DROP TABLESPACE IF EXISTS t_small");
      } catch (...) {
      }
      testutil::RunCommand({"umount", mount});
      std::filesystem::remove(mount);
    }
  } cleanup{mount, schema};
  ASSERT_EQ(testutil::RunCommand({"chown", "postgres:", mount}).exit_code, 0);
  testutil::Psql("DROP TABLESPACE IF EXISTS t_small");
  testutil::Psql("CREATE TABLESPACE t_small LOCATION '" + mount + "'");

  const std::string url = testutil::PostgresCacheUrl(schema) + "&options=-c%20default_tablespace%3Dt_small";
  const std::vector<std::string> argv = {
      testutil::CliPath().string(), "read", "--source", "source-faker", "--config",
      "{count: 100000, seed: 4, records_per_slice: 1000, always_updated: true}", "--streams",
      "users", "--cache", url};
  const std::vector<std::string> env = {"AIRBYTE_COMMIT_ROWS=2000", "AIRBYTE_COMMIT_INTERVAL_MS=20"};
  const testutil::CommandResult full = testutil::RunCommand(argv, env);
  ASSERT_EQ(full.exit_code, 1) << full.out << full.err;
  EXPECT_THAT(full.err, AllOf(HasSubstr("out of disk space"), HasSubstr("53100"),
                              HasSubstr("Committed Records")));
  const std::int64_t kept = std::stoll(testutil::Psql("SELECT count(*) FROM \"" + schema + "\".users"));
  EXPECT_GT(kept, 0);
  EXPECT_LT(kept, 100000);
  const std::string state = testutil::Psql("SELECT state_json FROM \"" + schema +
                                           "\"._airbyte_state WHERE stream_name = 'users'");
  ASSERT_FALSE(state.empty());
  EXPECT_LE(Json::parse(state)["stream"]["stream_state"].value("loop_offset", std::int64_t{0}), kept);

  ASSERT_EQ(testutil::RunCommand({"mount", "-o", "remount,size=256M", mount}).exit_code, 0);
  const testutil::CommandResult again = testutil::RunCommand(argv, env);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(testutil::Psql("SELECT count(*), count(DISTINCT id) FROM \"" + schema + "\".users"),
            "100000|100000\n");
}

}  // namespace
}  // namespace airbyte
