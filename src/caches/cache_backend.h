#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "airbyte/dataset.h"
#include "airbyte/error.h"
#include "airbyte/json.h"
#include "caches/query_result.h"
#include "caches/record_batch.h"
#include "caches/sql_dialect.h"

namespace airbyte::caches {

/// Streams the rows of one query (its own connection; constant memory).
class RowCursor {
 public:
  virtual ~RowCursor() = default;
  virtual const std::vector<std::string>& column_names() const = 0;
  /// The next row as an array in column order, or nullopt at the end.
  virtual std::optional<Json> Next() = 0;
};

/// Appends batches straight into an existing table whose columns are exactly the batch's, in
/// the backend's open transaction (visible to SQL on the writer connection after Flush()).
class BatchAppender {
 public:
  virtual ~BatchAppender() = default;
  virtual void Append(const RecordBatch& batch) = 0;
  virtual void Flush() = 0;
};

/// A connection-local staging table that batches are loaded into before the strategy's SQL
/// moves them into the final table. Rows keep their load order in `order_column`.
class StagingTable {
 public:
  virtual ~StagingTable() = default;
  /// The table as SQL (quoted, qualified as the backend needs).
  virtual const std::string& sql_name() const = 0;
  /// A column that increases with load order (for de-duplication: the latest row wins).
  virtual const std::string& order_column() const = 0;
  virtual void Append(const RecordBatch& batch) = 0;
  /// Makes everything appended visible to SQL on the writer connection.
  virtual void Flush() = 0;
  /// Empties the table (after its rows were moved).
  virtual void Clear() = 0;
  virtual std::size_t rows() const = 0;
};

/// What one SQL database offers a cache. The cache (CacheCore) generates all SQL through
/// SqlDialect; a backend only runs it. Not thread-safe: the cache's thread only, except
/// OpenCursor() whose cursors run on their own connection.
class CacheBackend {
 public:
  virtual ~CacheBackend() = default;

  virtual const SqlDialect& dialect() const = 0;
  virtual std::string database_name() const = 0;

  /// Makes unqualified table names in users' SQL resolve to `schema` first (Postgres:
  /// search_path, on every connection of the backend). DuckDB keeps its default.
  virtual void UseSchema(std::string_view /*schema*/) {}

  virtual void Execute(std::string_view sql) = 0;
  virtual QueryResult Query(std::string_view sql,
                            std::optional<std::size_t> max_rows = std::nullopt) = 0;
  virtual std::unique_ptr<RowCursor> OpenCursor(const std::string& sql) = 0;

  /// The columns (name, type text) of schema.table in order, or nullopt when it does not exist.
  virtual std::optional<std::vector<std::pair<std::string, std::string>>> TableColumns(
      std::string_view schema, std::string_view table) = 0;
  /// The primary-key column names of schema.table (empty when none).
  virtual std::vector<std::string> PrimaryKeyColumns(std::string_view schema,
                                                     std::string_view table) = 0;

  /// Creates an empty staging table with `columns` (connection-local, gone after a crash).
  virtual std::unique_ptr<StagingTable> CreateStaging(std::string_view name,
                                                      const std::vector<ColumnDef>& columns) = 0;

  /// Whether BulkInsert() is available (else batches go through OpenAppender()).
  virtual bool SupportsBulkInsert() const { return false; }
  /// Inserts every row `source` yields into schema.table (columns exactly `columns`) in the
  /// open transaction, using all the database's threads. Rethrows what `source` throws.
  virtual void BulkInsert(std::string_view /*schema*/, std::string_view /*table*/,
                          const std::vector<ColumnDef>& /*columns*/, InsertSource& /*source*/) {
    throw Error(ErrorKind::kInternal, "This cache backend has no bulk insert.");
  }
  /// Whether batches of `type` can be appended (OpenAppender, BulkInsert) into an existing
  /// column whose type text (TableColumns) is `type_text`; false sends them through staging
  /// and INSERT ... SELECT, which converts. DuckDB's appender converts by itself.
  virtual bool CanAppendInto(std::string_view /*type_text*/, SqlType /*type*/) const {
    return true;
  }
  /// An appender into schema.table (see BatchAppender).
  virtual std::unique_ptr<BatchAppender> OpenAppender(std::string_view schema,
                                                      std::string_view table) = 0;

  virtual void Begin() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() noexcept = 0;
  /// Makes the database file self-contained (DuckDB CHECKPOINT); no-op elsewhere.
  virtual void Checkpoint() {}
  /// Bounds the database's own memory while a read writes (`on`), so memory stays flat however
  /// long the stream; `off` restores the previous setting. DuckDB: its buffer pool would
  /// otherwise keep every written block cached. No-op elsewhere; `off` never throws.
  virtual void LimitWriteMemory(bool /*on*/) noexcept {}

  /// COPY (query) TO path in `format` ("parquet", "csv", "json").
  virtual void CopyTo(const std::string& query, const std::filesystem::path& path,
                      std::string_view format) = 0;
  /// The rows as an Arrow C stream (one record batch per DuckDB chunk).
  virtual ArrowArrayStream ToArrow(const std::string& query) = 0;

  /// Releases the database (file locks). Idempotent.
  virtual void Close() noexcept = 0;
};

}  // namespace airbyte::caches
