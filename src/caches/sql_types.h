#pragma once

/// The backend-neutral description of a cache table: SQL column types, column definitions and
/// the layout of one stream's table (behavior doc 4.3-4.6). Shared by the record converter,
/// the SQL statement generator and every backend (DuckDB, Postgres).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace airbyte::caches {

/// The SQL types a cache column can have. Each backend renders them as DDL text (SqlDialect)
/// and stores values in the representation RecordBatch documents.
enum class SqlType {
  kVarchar,      // text
  kBigint,       // 64-bit integer
  kDecimal,      // DECIMAL(38, 9)
  kDouble,       // only for existing columns of caches written elsewhere
  kBoolean,
  kDate,         // days since 1970-01-01
  kTimestamp,    // naive, microseconds since the epoch (UTC wall time)
  kTimestampTz,  // microseconds since the epoch, UTC
  kTime,         // microseconds since midnight
  kJson,         // JSON text
};

/// Decimal scale of kDecimal: values are stored as integers scaled by 10^9.
inline constexpr int kDecimalScale = 9;

/// "VARCHAR", "BIGINT", "DECIMAL(38, 9)", "TIMESTAMPTZ", ... (DuckDB's spelling; for messages
/// and tests, not DDL: use SqlDialect::type_ddl for that).
std::string_view SqlTypeName(SqlType type);

/// The three internal columns every table ends with (behavior doc 4.5).
inline constexpr std::string_view kRawIdColumn = "_airbyte_raw_id";
inline constexpr std::string_view kExtractedAtColumn = "_airbyte_extracted_at";
inline constexpr std::string_view kMetaColumn = "_airbyte_meta";

/// One column of a cache table.
struct ColumnDef {
  /// Normalized SQL column name.
  std::string name = {};
  /// The JSON property it comes from (the schema's original spelling); empty for the
  /// internal columns.
  std::string property = {};
  SqlType type = SqlType::kVarchar;
};

/// Where one stream lands: the final table's name and columns (properties in schema order,
/// then _airbyte_raw_id, _airbyte_extracted_at, _airbyte_meta), its primary key and cursor.
/// Immutable once built; shared between the reader thread (conversion) and the writer.
struct StreamLayout {
  std::string stream = {};
  /// Normalized final table name (prefix + stream).
  std::string table_name = {};
  std::vector<ColumnDef> columns = {};
  /// Normalized primary-key column names (empty: none).
  std::vector<std::string> primary_key = {};
  /// Normalized cursor column path (empty: none).
  std::vector<std::string> cursor_field = {};

  /// Number of property columns (columns before the three internal ones).
  std::size_t property_count() const { return columns.size() - 3; }
};

using StreamLayoutPtr = std::shared_ptr<const StreamLayout>;

}  // namespace airbyte::caches
