#pragma once

/// A thin RAII layer over DuckDB's C API: open a database file, run SQL, stream results as
/// JSON rows, append RecordBatches. Nothing outside src/caches/duckdb includes duckdb.h.
///
///   DuckDbDatabase db = DuckDbDatabase::Open("/tmp/x.duckdb");
///   DuckDbConnection conn(db);
///   conn.Execute("CREATE TABLE t (a BIGINT)");
///   QueryResult result = conn.Query("SELECT a FROM t");
///
/// Thread safety: a DuckDbDatabase may be shared by threads; a DuckDbConnection (and its
/// appenders and result readers) is used by one thread at a time.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "airbyte/json.h"
#include "caches/query_result.h"
#include "caches/record_batch.h"

namespace airbyte::caches {

/// An open DuckDB database (file or ":memory:"). Move-only. Closing it (destruction or
/// Close()) releases the file lock once every connection is gone.
class DuckDbDatabase {
 public:
  /// Opens or creates `path` (":memory:" for in-memory), creating its parent directory.
  /// Throws Error(kCache) with DuckDB's message; when another process holds the file lock the
  /// guidance says so and names the file.
  static DuckDbDatabase Open(const std::filesystem::path& path);

  DuckDbDatabase();
  DuckDbDatabase(DuckDbDatabase&&) noexcept;
  DuckDbDatabase& operator=(DuckDbDatabase&&) noexcept;
  ~DuckDbDatabase();

  bool is_open() const;
  const std::filesystem::path& path() const;
  void Close() noexcept;

  /// Internal: the duckdb_database handle (as void* to keep duckdb.h out of this header).
  void* handle() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// How DuckdbConnection::Query and DuckDbRowReader turn DuckDB values into JSON:
/// Conversion: NULL → null; BOOLEAN → bool; integer types → integers (HUGEINT/UHUGEINT beyond
/// 64 bits → string); FLOAT/DOUBLE → number; DECIMAL → an integer when it has no fraction
/// and fits 64 bits, else a double when the double prints back to the same decimal text,
/// else the exact decimal text as a string; VARCHAR/JSON/UUID → string; BLOB → DuckDB's
/// escaped text; DATE → "YYYY-MM-DD"; TIME → "HH:MM:SS[.ffffff]"; TIMESTAMP →
/// "YYYY-MM-DD HH:MM:SS[.ffffff]"; TIMESTAMPTZ → "YYYY-MM-DD HH:MM:SS[.ffffff]+00" (UTC);
/// LIST/ARRAY → array; STRUCT → object; MAP → object with keys as text; other types → their
/// DuckDB text form.
/// (the QueryResult struct itself is backend-neutral: caches/query_result.h).

/// Streams a query's rows chunk by chunk (constant memory for large tables). Created by
/// DuckDbConnection::Stream; must not outlive the connection.
class DuckDbRowReader {
 public:
  DuckDbRowReader(DuckDbRowReader&&) noexcept;
  DuckDbRowReader& operator=(DuckDbRowReader&&) noexcept;
  ~DuckDbRowReader();

  const std::vector<std::string>& column_names() const;
  const std::vector<std::string>& column_types() const;
  /// The next row as an array in column order (QueryResult's conversion), or nullopt at end.
  std::optional<Json> Next();

 private:
  friend class DuckDbConnection;
  struct State;
  explicit DuckDbRowReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// Appends RecordBatches to one table whose columns match the batch's columns in order and
/// type (a kJson column may be JSON or VARCHAR; kTimestampTz/kTimestamp the matching
/// TIMESTAMP type). Must not outlive its connection. Close() flushes and throws DuckDB's error;
/// the destructor discards unflushed rows.
class DuckDbAppender {
 public:
  DuckDbAppender(DuckDbAppender&&) noexcept;
  DuckDbAppender& operator=(DuckDbAppender&&) noexcept;
  ~DuckDbAppender();

  /// Copies the batch into DuckDB data chunks (2048 rows each) and appends them.
  /// Throws Error(kCache) naming the table.
  void Append(const RecordBatch& batch);
  /// Flushes everything appended so far into the table (in the connection's transaction).
  void Flush();
  /// Flushes and closes. Throws Error(kCache) with DuckDB's message.
  void Close();

 private:
  friend class DuckDbConnection;
  struct State;
  explicit DuckDbAppender(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// One connection to a DuckDbDatabase. Move-only; one thread at a time.
class DuckDbConnection {
 public:
  explicit DuckDbConnection(const DuckDbDatabase& database);
  DuckDbConnection(DuckDbConnection&&) noexcept;
  DuckDbConnection& operator=(DuckDbConnection&&) noexcept;
  ~DuckDbConnection();

  /// Runs one or more statements. Throws Error(kCache) with DuckDB's message and the SQL
  /// (secrets masked by Error) in context.
  void Execute(std::string_view sql);
  /// Runs a statement and materializes its rows (at most `max_rows` when given).
  QueryResult Query(std::string_view sql, std::optional<std::size_t> max_rows = std::nullopt);
  /// Runs a statement and streams its rows.
  DuckDbRowReader Stream(std::string_view sql);
  /// An appender for `schema`.`table` (unquoted names are quoted by DuckDB's API).
  DuckDbAppender Appender(const std::string& schema, const std::string& table);

  /// Internal: the duckdb_connection handle.
  void* handle() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace airbyte::caches
