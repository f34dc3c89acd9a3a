#include "caches/sql_dialect.h"

#include <gtest/gtest.h>

#include "testutil/testutil.h"

namespace airbyte::caches {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::ThrowsError;

std::vector<ColumnDef> UsersColumns() {
  return {{.name = "id", .property = "id", .type = SqlType::kBigint},
          {.name = "name", .property = "Name", .type = SqlType::kVarchar},
          {.name = "_airbyte_raw_id", .type = SqlType::kVarchar},
          {.name = "_airbyte_extracted_at", .type = SqlType::kTimestampTz},
          {.name = "_airbyte_meta", .type = SqlType::kJson}};
}

TEST(SqlDialectTest, DialectsDescribeTheirBackends) {
  EXPECT_EQ(DuckDbDialect().name, "duckdb");
  EXPECT_EQ(DuckDbDialect().max_identifier_length, std::string::npos);
  EXPECT_TRUE(DuckDbDialect().supports_merge);
  EXPECT_EQ(PostgresDialect().name, "postgres");
  EXPECT_EQ(PostgresDialect().max_identifier_length, 63u);
  EXPECT_FALSE(PostgresDialect().supports_merge);
}

TEST(SqlDialectTest, DuckDbTypeDdl) {
  const auto ddl = DuckDbDialect().type_ddl;
  EXPECT_EQ(ddl(SqlType::kVarchar), "VARCHAR");
  EXPECT_EQ(ddl(SqlType::kBigint), "BIGINT");
  EXPECT_EQ(ddl(SqlType::kDecimal), "DECIMAL(38, 9)");
  EXPECT_EQ(ddl(SqlType::kDouble), "DOUBLE");
  EXPECT_EQ(ddl(SqlType::kBoolean), "BOOLEAN");
  EXPECT_EQ(ddl(SqlType::kDate), "DATE");
  EXPECT_EQ(ddl(SqlType::kTimestamp), "TIMESTAMP");
  EXPECT_EQ(ddl(SqlType::kTimestampTz), "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(ddl(SqlType::kTime), "TIME");
  EXPECT_EQ(ddl(SqlType::kJson), "JSON");
}

TEST(SqlDialectTest, PostgresTypeDdl) {
  const auto ddl = PostgresDialect().type_ddl;
  EXPECT_EQ(ddl(SqlType::kVarchar), "VARCHAR");
  EXPECT_EQ(ddl(SqlType::kBigint), "BIGINT");
  EXPECT_EQ(ddl(SqlType::kDecimal), "DECIMAL(38, 9)");
  EXPECT_EQ(ddl(SqlType::kDouble), "DOUBLE PRECISION");
  EXPECT_EQ(ddl(SqlType::kBoolean), "BOOLEAN");
  EXPECT_EQ(ddl(SqlType::kDate), "DATE");
  EXPECT_EQ(ddl(SqlType::kTimestamp), "TIMESTAMP");
  EXPECT_EQ(ddl(SqlType::kTimestampTz), "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(ddl(SqlType::kTime), "TIME");
  EXPECT_EQ(ddl(SqlType::kJson), "JSON");
}

TEST(SqlQuotingTest, QuotesIdentifiersAndDoublesEmbeddedQuotes) {
  EXPECT_EQ(QuoteIdentifier("users"), R"("users")");
  EXPECT_EQ(QuoteIdentifier(R"(we"ird)"), R"("we""ird")");
  EXPECT_EQ(QuoteIdentifier(""), R"("")");
  EXPECT_EQ(QualifiedName("main", "users"), R"("main"."users")");
  EXPECT_EQ(QualifiedName("My Schema", R"(t"1)"), R"("My Schema"."t""1")");
  EXPECT_EQ(QualifiedName("", "users"), R"("users")");
}

TEST(SqlQuotingTest, QuotesLiteralsAndDoublesEmbeddedQuotes) {
  EXPECT_EQ(QuoteLiteral("abc"), "'abc'");
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
  EXPECT_EQ(QuoteLiteral("''"), "''''''");
  EXPECT_EQ(QuoteLiteral(R"(back\slash)"), R"('back\slash')");
  EXPECT_EQ(QuoteLiteral(""), "''");
}

TEST(SqlDdlTest, CreateSchema) {
  EXPECT_EQ(CreateSchemaSql("airbyte_raw"), R"(CREATE SCHEMA IF NOT EXISTS "airbyte_raw")");
}

TEST(SqlDdlTest, CreateTableDuckDb) {
  EXPECT_EQ(
      CreateTableSql(DuckDbDialect(), "main", "users", UsersColumns()),
      R"(CREATE TABLE "main"."users" ("id" BIGINT, "name" VARCHAR, "_airbyte_raw_id" VARCHAR, )"
      R"("_airbyte_extracted_at" TIMESTAMP WITH TIME ZONE, "_airbyte_meta" JSON))");
}

TEST(SqlDdlTest, CreateTableIfNotExistsPostgres) {
  const std::vector<ColumnDef> columns = {{.name = "x", .type = SqlType::kDouble}};
  EXPECT_EQ(CreateTableSql(PostgresDialect(), "public", "t", columns, /*if_not_exists=*/true),
            R"(CREATE TABLE IF NOT EXISTS "public"."t" ("x" DOUBLE PRECISION))");
  EXPECT_EQ(CreateTableSql(DuckDbDialect(), "main", "t", columns, /*if_not_exists=*/true),
            R"(CREATE TABLE IF NOT EXISTS "main"."t" ("x" DOUBLE))");
}

TEST(SqlDdlTest, CreateTempTableIgnoresSchema) {
  const std::vector<ColumnDef> columns = {{.name = "a", .type = SqlType::kDate}};
  EXPECT_EQ(CreateTableSql(DuckDbDialect(), "main", "users_01j8z3abc", columns,
                           /*if_not_exists=*/false, /*temporary=*/true),
            R"(CREATE TEMP TABLE "users_01j8z3abc" ("a" DATE))");
  EXPECT_EQ(CreateTableSql(PostgresDialect(), "public", "tmp", columns, /*if_not_exists=*/true,
                           /*temporary=*/true),
            R"(CREATE TEMP TABLE IF NOT EXISTS "tmp" ("a" DATE))");
}

TEST(SqlDdlTest, AddColumn) {
  const ColumnDef column{.name = "new col", .type = SqlType::kDouble};
  EXPECT_EQ(AddColumnSql(DuckDbDialect(), "main", "users", column),
            R"(ALTER TABLE "main"."users" ADD COLUMN "new col" DOUBLE)");
  EXPECT_EQ(AddColumnSql(PostgresDialect(), "public", "users", column),
            R"(ALTER TABLE "public"."users" ADD COLUMN "new col" DOUBLE PRECISION)");
}

TEST(SqlDdlTest, AlterColumnTypeDuckDb) {
  EXPECT_EQ(AlterColumnTypeSql(DuckDbDialect(), "main", "users",
                               {.name = "age", .type = SqlType::kDecimal}),
            R"(ALTER TABLE "main"."users" ALTER COLUMN "age" SET DATA TYPE DECIMAL(38, 9))");
  EXPECT_EQ(AlterColumnTypeSql(DuckDbDialect(), "main", "users",
                               {.name = "doc", .type = SqlType::kVarchar}),
            R"(ALTER TABLE "main"."users" ALTER COLUMN "doc" SET DATA TYPE VARCHAR)");
}

TEST(SqlDdlTest, AlterColumnTypePostgresCastsExplicitly) {
  EXPECT_EQ(AlterColumnTypeSql(PostgresDialect(), "public", "users",
                               {.name = "age", .type = SqlType::kDecimal}),
            R"(ALTER TABLE "public"."users" ALTER COLUMN "age" TYPE DECIMAL(38, 9) )"
            R"(USING "age"::DECIMAL(38, 9))");
  EXPECT_EQ(AlterColumnTypeSql(PostgresDialect(), "public", "users",
                               {.name = "at", .type = SqlType::kTimestampTz}),
            R"(ALTER TABLE "public"."users" ALTER COLUMN "at" TYPE TIMESTAMP WITH TIME ZONE )"
            R"(USING "at"::TIMESTAMP WITH TIME ZONE)");
  EXPECT_EQ(AlterColumnTypeSql(PostgresDialect(), "public", "users",
                               {.name = "doc", .type = SqlType::kJson}),
            R"(ALTER TABLE "public"."users" ALTER COLUMN "doc" TYPE JSON USING "doc"::text::JSON)");
}

TEST(SqlDmlTest, DedupedSelectKeepsLatestRowPerKey) {
  const std::vector<ColumnDef> columns = {
      {.name = "id"}, {.name = "v"}, {.name = "_airbyte_raw_id"}};
  EXPECT_EQ(DedupedSelectSql(R"("main"."tmp")", columns, {"id"}, "_airbyte_raw_id"),
            R"(SELECT "id", "v", "_airbyte_raw_id" FROM (SELECT "id", "v", "_airbyte_raw_id", )"
            R"(row_number() OVER (PARTITION BY "id" ORDER BY "_airbyte_raw_id" DESC) )"
            R"(AS "_airbyte_row_number" FROM "main"."tmp" AS src) AS deduped )"
            R"(WHERE "_airbyte_row_number" = 1)");
}

TEST(SqlDmlTest, DedupedSelectPartitionsByCompositeKey) {
  const std::vector<ColumnDef> columns = {{.name = "a"}, {.name = "b"}};
  EXPECT_THAT(DedupedSelectSql(R"("t")", columns, {"a", "b"}, "_airbyte_extracted_at"),
              HasSubstr(R"(PARTITION BY "a", "b" ORDER BY "_airbyte_extracted_at" DESC)"));
}

TEST(SqlDmlTest, DedupedSelectAvoidsColumnNamedLikeRowNumber) {
  const std::vector<ColumnDef> columns = {{.name = "id"}, {.name = "_airbyte_row_number"}};
  const std::string sql = DedupedSelectSql(R"("t")", columns, {"id"}, "id");
  EXPECT_THAT(sql, HasSubstr(R"(AS "_airbyte_row_number_" FROM)"));
  EXPECT_THAT(sql, HasSubstr(R"(WHERE "_airbyte_row_number_" = 1)"));
}

TEST(SqlDmlTest, DedupedSelectWithoutKeySelectsEverything) {
  EXPECT_EQ(DedupedSelectSql(R"("t")", {{.name = "a"}}, {}, "a"), R"(SELECT "a" FROM "t" AS src)");
}

TEST(SqlDmlTest, InsertSelect) {
  EXPECT_EQ(InsertSelectSql(R"("main"."users")", UsersColumns(), R"("main"."users_tmp")"),
            R"(INSERT INTO "main"."users" ("id", "name", "_airbyte_raw_id", )"
            R"("_airbyte_extracted_at", "_airbyte_meta") SELECT "id", "name", "_airbyte_raw_id", )"
            R"("_airbyte_extracted_at", "_airbyte_meta" FROM "main"."users_tmp" AS tmp)");
}

TEST(SqlDmlTest, NativeMergeUpdatesNonKeyColumnsAndInsertsAll) {
  const std::vector<std::string> sql =
      MergeSql(DuckDbDialect(), R"("main"."users")", UsersColumns(), {"id"}, R"("users_tmp")");
  EXPECT_THAT(
      sql,
      ElementsAre(
          R"(MERGE INTO "main"."users" AS final USING "users_tmp" AS tmp ON tmp."id" = final."id" )"
          R"(WHEN MATCHED THEN UPDATE SET "name" = tmp."name", "_airbyte_raw_id" = tmp."_airbyte_raw_id", )"
          R"("_airbyte_extracted_at" = tmp."_airbyte_extracted_at", "_airbyte_meta" = tmp."_airbyte_meta" )"
          R"(WHEN NOT MATCHED THEN INSERT ("id", "name", "_airbyte_raw_id", "_airbyte_extracted_at", )"
          R"("_airbyte_meta") VALUES (tmp."id", tmp."name", tmp."_airbyte_raw_id", )"
          R"(tmp."_airbyte_extracted_at", tmp."_airbyte_meta"))"));
}

TEST(SqlDmlTest, NativeMergeWithCompositeKeyAndSubquerySource) {
  const std::vector<ColumnDef> columns = {{.name = "a"}, {.name = "b"}, {.name = "_airbyte_meta"}};
  const std::vector<std::string> sql =
      MergeSql(DuckDbDialect(), R"("s"."t")", columns, {"a", "b"}, R"((SELECT * FROM "x"))");
  EXPECT_THAT(sql,
              ElementsAre(R"(MERGE INTO "s"."t" AS final USING (SELECT * FROM "x") AS tmp )"
                          R"(ON tmp."a" = final."a" AND tmp."b" = final."b" )"
                          R"(WHEN MATCHED THEN UPDATE SET "_airbyte_meta" = tmp."_airbyte_meta" )"
                          R"(WHEN NOT MATCHED THEN INSERT ("a", "b", "_airbyte_meta") )"
                          R"(VALUES (tmp."a", tmp."b", tmp."_airbyte_meta"))"));
}

TEST(SqlDmlTest, EmulatedMergeIsUpdateThenInsertWithUnqualifiedSetTargets) {
  const std::vector<ColumnDef> columns = {{.name = "a"}, {.name = "b"}, {.name = "v"}};
  const std::vector<std::string> sql =
      MergeSql(PostgresDialect(), R"("public"."t")", columns, {"a", "b"}, R"("public"."t_tmp")");
  EXPECT_THAT(
      sql,
      ElementsAre(R"(UPDATE "public"."t" AS final SET "v" = tmp."v" FROM "public"."t_tmp" AS tmp )"
                  R"(WHERE final."a" = tmp."a" AND final."b" = tmp."b")",
                  R"(INSERT INTO "public"."t" ("a", "b", "v") SELECT tmp."a", tmp."b", tmp."v" )"
                  R"(FROM "public"."t_tmp" AS tmp LEFT OUTER JOIN "public"."t" AS final )"
                  R"(ON tmp."a" = final."a" AND tmp."b" = final."b" WHERE final."a" IS NULL)"));
}

TEST(SqlDmlTest, MergeWithoutPrimaryKeyIsAnInputError) {
  EXPECT_THAT(
      [] { MergeSql(DuckDbDialect(), R"("t")", UsersColumns(), {}, R"("s")"); },
      ThrowsError(ErrorKind::kInput,
                  HasSubstr("Cannot use merge strategy on a stream with no primary keys.")));
}

TEST(SqlDmlTest, MergeWhereEveryColumnIsAKeyIsAnInputError) {
  EXPECT_THAT([] { MergeSql(PostgresDialect(), R"("t")", {{.name = "a"}}, {"a"}, R"("s")"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("every column")));
}

TEST(SqlStateTest, CreatesInternalTables) {
  EXPECT_THAT(
      CreateInternalTablesSql("main"),
      ElementsAre(
          R"(CREATE TABLE IF NOT EXISTS "main"."_airbyte_streams" ("stream_name" VARCHAR, )"
          R"("source_name" VARCHAR, "table_name" VARCHAR PRIMARY KEY, "catalog_metadata" VARCHAR))",
          R"(CREATE TABLE IF NOT EXISTS "main"."_airbyte_state" ("source_name" VARCHAR, )"
          R"("stream_name" VARCHAR, "table_name" VARCHAR, "state_json" VARCHAR, )"
          R"("last_updated" TIMESTAMP WITH TIME ZONE, PRIMARY KEY ("source_name", "table_name")))",
          R"(CREATE TABLE IF NOT EXISTS "main"."_airbyte_destination_state" )"
          R"(("destination_name" VARCHAR NOT NULL, "source_name" VARCHAR NOT NULL, )"
          R"("stream_name" VARCHAR NOT NULL, "state_json" VARCHAR, )"
          R"("last_updated" TIMESTAMP WITH TIME ZONE, )"
          R"(PRIMARY KEY ("destination_name", "source_name", "stream_name")))"));
}

TEST(SqlStateTest, UpsertStateLeavesKeyColumnsOutOfTheUpdate) {
  EXPECT_EQ(
      UpsertStateSql("main", {"source_name", "table_name"}, "source-faker", "users", "users",
                     R"({"type":"STREAM"})"),
      R"(INSERT INTO "main"."_airbyte_state" ("source_name", "stream_name", "table_name", )"
      R"("state_json", "last_updated") VALUES ('source-faker', 'users', 'users', )"
      R"('{"type":"STREAM"}', now()) ON CONFLICT ("source_name", "table_name") DO UPDATE SET )"
      R"("stream_name" = excluded."stream_name", "state_json" = excluded."state_json", )"
      R"("last_updated" = excluded."last_updated")");
}

TEST(SqlStateTest, UpsertStateOnPyAirbyteTableOverwritesSourceName) {
  EXPECT_EQ(
      UpsertStateSql("airbyte_raw", {"table_name"}, "source-a", "s", "pre_s", "{}"),
      R"(INSERT INTO "airbyte_raw"."_airbyte_state" ("source_name", "stream_name", "table_name", )"
      R"("state_json", "last_updated") VALUES ('source-a', 's', 'pre_s', '{}', now()) )"
      R"(ON CONFLICT ("table_name") DO UPDATE SET "source_name" = excluded."source_name", )"
      R"("stream_name" = excluded."stream_name", "state_json" = excluded."state_json", )"
      R"("last_updated" = excluded."last_updated")");
}

TEST(SqlStateTest, UpsertStateQuotesEveryValue) {
  const std::string sql = UpsertStateSql("main", {"source_name", "table_name"}, "it's", "o'brien",
                                         "t'", R"({"cursor":"'; DROP TABLE x; --"})");
  EXPECT_THAT(sql, HasSubstr(R"(VALUES ('it''s', 'o''brien', 't''', )"
                             R"('{"cursor":"''; DROP TABLE x; --"}', now()))"));
}

}  // namespace
}  // namespace airbyte::caches
