#pragma once

/// Backend-neutral SQL text generation for caches. Each backend supplies a SqlDialect; the
/// statements below are the same for all of them (behavior doc 4.8-4.11, 5.1).
/// All identifiers are double-quoted (with embedded quotes doubled), fixing PyAirbyte's
/// unquoted schema names; string literals are single-quoted with quotes doubled.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "caches/sql_types.h"

namespace airbyte::caches {

/// What differs between SQL backends.
struct SqlDialect {
  /// "duckdb" or "postgres".
  std::string name = {};
  /// Identifier length limit (63 for Postgres; npos: none).
  std::size_t max_identifier_length = std::string::npos;
  /// Native MERGE INTO (DuckDB ≥ 1.4); otherwise UPDATE + INSERT (4.9).
  bool supports_merge = true;
  /// DDL text per type.
  std::string (*type_ddl)(SqlType type) = nullptr;
};

/// DuckDB: VARCHAR, BIGINT, DECIMAL(38, 9), DOUBLE, BOOLEAN, DATE, TIMESTAMP,
/// TIMESTAMP WITH TIME ZONE, TIME, JSON.
const SqlDialect& DuckDbDialect();
/// Postgres: VARCHAR, BIGINT, DECIMAL(38, 9), DOUBLE PRECISION, BOOLEAN, DATE, TIMESTAMP,
/// TIMESTAMP WITH TIME ZONE, TIME, JSON; 63-character identifiers; emulated merge.
const SqlDialect& PostgresDialect();

/// "name" with embedded `"` doubled.
std::string QuoteIdentifier(std::string_view name);
/// 'text' with embedded `'` doubled.
std::string QuoteLiteral(std::string_view text);
/// "schema"."table"; just "table" when `schema` is empty.
std::string QualifiedName(std::string_view schema, std::string_view table);

/// CREATE SCHEMA IF NOT EXISTS "schema"
std::string CreateSchemaSql(std::string_view schema);

/// CREATE TABLE [IF NOT EXISTS] "schema"."table" ("c1" TYPE, ...). With `temporary`, a
/// connection-local TEMP table (schema ignored).
std::string CreateTableSql(const SqlDialect& dialect, std::string_view schema,
                           std::string_view table, const std::vector<ColumnDef>& columns,
                           bool if_not_exists = false, bool temporary = false);

/// ALTER TABLE "schema"."table" ADD COLUMN "name" TYPE
std::string AddColumnSql(const SqlDialect& dialect, std::string_view schema,
                         std::string_view table, const ColumnDef& column);
/// Changes a column's type, converting existing values. DuckDB: ALTER TABLE .. ALTER COLUMN "c"
/// SET DATA TYPE T. Postgres: ALTER TABLE .. ALTER COLUMN "c" TYPE T USING "c"::T (to JSON via
/// "c"::text::JSON, as few types cast to json directly). Postgres converts a naive TIMESTAMP
/// to TIMESTAMPTZ in the session time zone: run it with TimeZone=UTC.
std::string AlterColumnTypeSql(const SqlDialect& dialect, std::string_view schema,
                               std::string_view table, const ColumnDef& column);

/// SELECT <columns> FROM <source> keeping, per primary key, only the last row in `order_column`
/// order (the latest record of a sync wins); ties keep an arbitrary one of the tied rows.
/// `source` is already qualified/quoted (a table name or "(SELECT ...)"). Uses
/// row_number() OVER (PARTITION BY <pk> ORDER BY <order_column> DESC) in a subquery (valid in
/// DuckDB and Postgres) and returns only `columns`. With an empty `primary_key`, every row.
std::string DedupedSelectSql(std::string_view source, const std::vector<ColumnDef>& columns,
                             const std::vector<std::string>& primary_key,
                             std::string_view order_column);

/// INSERT INTO <final> ("c1", ...) SELECT "c1", ... FROM <source_sql> AS tmp (APPEND).
/// `final_table` is qualified/quoted; `source_sql` a quoted table name or "(SELECT ...)".
std::string InsertSelectSql(std::string_view final_table, const std::vector<ColumnDef>& columns,
                            std::string_view source_sql);

/// MERGE by primary key of `source_sql` into `final_table` (4.9): native MERGE INTO when the
/// dialect supports it (one statement), else UPDATE ... FROM then INSERT ... LEFT JOIN ...
/// WHERE final.<first pk> IS NULL (two statements). Run them in one transaction. Matched rows
/// get every non-key column (the internal ones included) from the source; the source must
/// hold one row per key (DedupedSelectSql), else MERGE fails or applies rows in any order.
/// Throws Error(kInput) for an empty `primary_key` or when every column is a key column.
std::vector<std::string> MergeSql(const SqlDialect& dialect, std::string_view final_table,
                                  const std::vector<ColumnDef>& columns,
                                  const std::vector<std::string>& primary_key,
                                  std::string_view source_sql);

/// The internal tables (4.4, 5.1), created if missing, in `schema`:
/// _airbyte_streams (stream_name VARCHAR, source_name VARCHAR, table_name VARCHAR PRIMARY KEY,
/// catalog_metadata VARCHAR); _airbyte_state (source_name VARCHAR, stream_name VARCHAR,
/// table_name VARCHAR, state_json VARCHAR, last_updated TIMESTAMP WITH TIME ZONE,
/// PRIMARY KEY (source_name, table_name): unlike PyAirbyte's key on table_name alone, two
/// sources keep their own state for same-named streams, and PyAirbyte still reads the rows);
/// _airbyte_destination_state (destination_name VARCHAR NOT NULL, source_name VARCHAR NOT NULL,
/// stream_name VARCHAR NOT NULL, state_json VARCHAR, last_updated TIMESTAMP WITH TIME ZONE,
/// PRIMARY KEY (destination_name, source_name, stream_name)). The schema must exist
/// (CreateSchemaSql).
std::vector<std::string> CreateInternalTablesSql(std::string_view schema);

/// Upserts one _airbyte_state row (INSERT ... ON CONFLICT (<conflict_columns>) DO UPDATE SET
/// source_name, stream_name, state_json, last_updated = now()). `conflict_columns` is the
/// table's primary key: {"source_name", "table_name"} for tables we create, {"table_name"} for
/// tables PyAirbyte created. Key columns are left out of the SET list (DuckDB refuses to
/// assign them, and they already hold the conflicting values). All values are quoted
/// literals (QuoteLiteral), so any state JSON is safe.
std::string UpsertStateSql(std::string_view schema, const std::vector<std::string>& conflict_columns,
                           std::string_view source_name, std::string_view stream_name,
                           std::string_view table_name, std::string_view state_json);

}  // namespace airbyte::caches
