#include "caches/sql_dialect.h"

#include <algorithm>
#include <utility>

#include "airbyte/error.h"

namespace airbyte::caches {
namespace {

std::string DuckDbTypeDdl(SqlType type) { return std::string(SqlTypeName(type)); }

std::string PostgresTypeDdl(SqlType type) {
  if (type == SqlType::kDouble) return "DOUBLE PRECISION";  // Postgres has no plain DOUBLE
  return DuckDbTypeDdl(type);
}

std::string Ddl(const SqlDialect& dialect, SqlType type) {
  return dialect.type_ddl != nullptr ? dialect.type_ddl(type) : DuckDbTypeDdl(type);
}

// "a", "b", ... with an optional qualifier: tmp."a", tmp."b", ...
std::string ColumnList(const std::vector<ColumnDef>& columns, std::string_view qualifier = {}) {
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ", ";
    if (!qualifier.empty()) {
      out += qualifier;
      out += '.';
    }
    out += QuoteIdentifier(columns[i].name);
  }
  return out;
}

// tmp."pk1" = final."pk1" AND tmp."pk2" = final."pk2"
std::string PkJoin(const std::vector<std::string>& primary_key, std::string_view left,
                   std::string_view right) {
  std::string out;
  for (std::size_t i = 0; i < primary_key.size(); ++i) {
    if (i > 0) out += " AND ";
    const std::string pk = QuoteIdentifier(primary_key[i]);
    out.append(left).append(".").append(pk).append(" = ").append(right).append(".").append(pk);
  }
  return out;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

const SqlDialect& DuckDbDialect() {
  static const SqlDialect kDialect{.name = "duckdb",
                                   .max_identifier_length = std::string::npos,
                                   .supports_merge = true,
                                   .type_ddl = &DuckDbTypeDdl};
  return kDialect;
}

const SqlDialect& PostgresDialect() {
  static const SqlDialect kDialect{.name = "postgres",
                                   .max_identifier_length = 63,
                                   .supports_merge = false,
                                   .type_ddl = &PostgresTypeDdl};
  return kDialect;
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string QuoteLiteral(std::string_view text) {
  // Both backends treat backslashes in '...' literally (Postgres with its default
  // standard_conforming_strings=on), so doubling quotes is the whole escape.
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

std::string QualifiedName(std::string_view schema, std::string_view table) {
  if (schema.empty()) return QuoteIdentifier(table);
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(table);
}

std::string CreateSchemaSql(std::string_view schema) {
  return "CREATE SCHEMA IF NOT EXISTS " + QuoteIdentifier(schema);
}

std::string CreateTableSql(const SqlDialect& dialect, std::string_view schema,
                           std::string_view table, const std::vector<ColumnDef>& columns,
                           bool if_not_exists, bool temporary) {
  std::string sql = temporary ? "CREATE TEMP TABLE " : "CREATE TABLE ";
  if (if_not_exists) sql += "IF NOT EXISTS ";
  sql += temporary ? QuoteIdentifier(table) : QualifiedName(schema, table);
  sql += " (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += QuoteIdentifier(columns[i].name) + " " + Ddl(dialect, columns[i].type);
  }
  sql += ")";
  return sql;
}

std::string AddColumnSql(const SqlDialect& dialect, std::string_view schema, std::string_view table,
                         const ColumnDef& column) {
  return "ALTER TABLE " + QualifiedName(schema, table) + " ADD COLUMN " +
         QuoteIdentifier(column.name) + " " + Ddl(dialect, column.type);
}

std::string AlterColumnTypeSql(const SqlDialect& dialect, std::string_view schema,
                               std::string_view table, const ColumnDef& column) {
  const std::string name = QuoteIdentifier(column.name);
  const std::string type = Ddl(dialect, column.type);
  std::string sql = "ALTER TABLE " + QualifiedName(schema, table) + " ALTER COLUMN " + name;
  if (dialect.name != "postgres") return sql + " SET DATA TYPE " + type;
  // Postgres refuses implicit conversions in ALTER TYPE; cast explicitly. There is no cast
  // from most types straight to json, but every type casts to text and text parses as json.
  const std::string cast = column.type == SqlType::kJson ? "::text::" + type : "::" + type;
  return sql + " TYPE " + type + " USING " + name + cast;
}

std::string DedupedSelectSql(std::string_view source, const std::vector<ColumnDef>& columns,
                             const std::vector<std::string>& primary_key,
                             std::string_view order_column) {
  const std::string column_list = ColumnList(columns);
  if (primary_key.empty()) {
    return "SELECT " + column_list + " FROM " + std::string(source) + " AS src";
  }
  // The row-number alias must not collide with a real column of the source.
  std::string row_number = "_airbyte_row_number";
  while (std::any_of(columns.begin(), columns.end(),
                     [&](const ColumnDef& c) { return c.name == row_number; })) {
    row_number += '_';
  }
  std::string partition;
  for (std::size_t i = 0; i < primary_key.size(); ++i) {
    if (i > 0) partition += ", ";
    partition += QuoteIdentifier(primary_key[i]);
  }
  const std::string rn = QuoteIdentifier(row_number);
  return "SELECT " + column_list + " FROM (SELECT " + column_list +
         ", row_number() OVER (PARTITION BY " + partition + " ORDER BY " +
         QuoteIdentifier(order_column) + " DESC) AS " + rn + " FROM " + std::string(source) +
         " AS src) AS deduped WHERE " + rn + " = 1";
}

std::string InsertSelectSql(std::string_view final_table, const std::vector<ColumnDef>& columns,
                            std::string_view source_sql) {
  const std::string column_list = ColumnList(columns);
  return "INSERT INTO " + std::string(final_table) + " (" + column_list + ") SELECT " +
         column_list + " FROM " + std::string(source_sql) + " AS tmp";
}

std::vector<std::string> MergeSql(const SqlDialect& dialect, std::string_view final_table,
                                  const std::vector<ColumnDef>& columns,
                                  const std::vector<std::string>& primary_key,
                                  std::string_view source_sql) {
  if (primary_key.empty()) {
    throw Error(ErrorKind::kInput, "Cannot use merge strategy on a stream with no primary keys.",
                {.context = {{"table_name", std::string(final_table)}}});
  }
  std::vector<ColumnDef> non_pk;
  for (const ColumnDef& column : columns) {
    if (!Contains(primary_key, column.name)) non_pk.push_back(column);
  }
  // The internal columns are never primary keys, so only a key that names them all can get
  // here; an empty SET list would be invalid SQL.
  if (non_pk.empty()) {
    throw Error(ErrorKind::kInput, "Cannot merge: every column is a primary-key column.",
                {.context = {{"table_name", std::string(final_table)}}});
  }
  // SET targets are never qualified: Postgres rejects `SET final."c" = ...`.
  std::string set_list;
  for (std::size_t i = 0; i < non_pk.size(); ++i) {
    if (i > 0) set_list += ", ";
    const std::string name = QuoteIdentifier(non_pk[i].name);
    set_list.append(name).append(" = tmp.").append(name);
  }
  const std::string final_name(final_table);
  const std::string source(source_sql);

  if (dialect.supports_merge) {
    return {"MERGE INTO " + final_name + " AS final USING " + source + " AS tmp ON " +
            PkJoin(primary_key, "tmp", "final") + " WHEN MATCHED THEN UPDATE SET " + set_list +
            " WHEN NOT MATCHED THEN INSERT (" + ColumnList(columns) + ") VALUES (" +
            ColumnList(columns, "tmp") + ")"};
  }
  return {
      "UPDATE " + final_name + " AS final SET " + set_list + " FROM " + source + " AS tmp WHERE " +
          PkJoin(primary_key, "final", "tmp"),
      "INSERT INTO " + final_name + " (" + ColumnList(columns) + ") SELECT " +
          ColumnList(columns, "tmp") + " FROM " + source + " AS tmp LEFT OUTER JOIN " + final_name +
          " AS final ON " + PkJoin(primary_key, "tmp", "final") + " WHERE final." +
          QuoteIdentifier(primary_key.front()) + " IS NULL",
  };
}

std::vector<std::string> CreateInternalTablesSql(std::string_view schema) {
  return {
      "CREATE TABLE IF NOT EXISTS " + QualifiedName(schema, "_airbyte_streams") +
          " (\"stream_name\" VARCHAR, \"source_name\" VARCHAR, \"table_name\" VARCHAR PRIMARY KEY, "
          "\"catalog_metadata\" VARCHAR)",
      "CREATE TABLE IF NOT EXISTS " + QualifiedName(schema, "_airbyte_state") +
          " (\"source_name\" VARCHAR, \"stream_name\" VARCHAR, \"table_name\" VARCHAR, "
          "\"state_json\" VARCHAR, \"last_updated\" TIMESTAMP WITH TIME ZONE, "
          "PRIMARY KEY (\"source_name\", \"table_name\"))",
      "CREATE TABLE IF NOT EXISTS " + QualifiedName(schema, "_airbyte_destination_state") +
          " (\"destination_name\" VARCHAR NOT NULL, \"source_name\" VARCHAR NOT NULL, "
          "\"stream_name\" VARCHAR NOT NULL, \"state_json\" VARCHAR, "
          "\"last_updated\" TIMESTAMP WITH TIME ZONE, "
          "PRIMARY KEY (\"destination_name\", \"source_name\", \"stream_name\"))",
  };
}

std::string UpsertStateSql(std::string_view schema,
                           const std::vector<std::string>& conflict_columns,
                           std::string_view source_name, std::string_view stream_name,
                           std::string_view table_name, std::string_view state_json) {
  std::string conflict;
  for (std::size_t i = 0; i < conflict_columns.size(); ++i) {
    if (i > 0) conflict += ", ";
    conflict += QuoteIdentifier(conflict_columns[i]);
  }
  // DuckDB refuses to assign key columns in DO UPDATE SET, and assigning a key its own
  // conflicting value is a no-op anyway, so the key columns are left out.
  std::string updates;
  for (const char* column : {"source_name", "stream_name", "state_json", "last_updated"}) {
    if (Contains(conflict_columns, column)) continue;
    if (!updates.empty()) updates += ", ";
    const std::string name = QuoteIdentifier(column);
    updates.append(name).append(" = excluded.").append(name);
  }
  // Only a key of all four columns leaves nothing to update; keep the SQL valid anyway.
  const std::string action = updates.empty() ? "NOTHING" : "UPDATE SET " + updates;
  return "INSERT INTO " + QualifiedName(schema, "_airbyte_state") +
         " (\"source_name\", \"stream_name\", \"table_name\", \"state_json\", \"last_updated\") "
         "VALUES (" +
         QuoteLiteral(source_name) + ", " + QuoteLiteral(stream_name) + ", " +
         QuoteLiteral(table_name) + ", " + QuoteLiteral(state_json) + ", now()) ON CONFLICT (" +
         conflict + ") DO " + action;
}

}  // namespace airbyte::caches
