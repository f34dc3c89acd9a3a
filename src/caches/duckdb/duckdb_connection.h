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

/// How DuckDbConnection::Query and DuckDbRowReader turn DuckDB values into JSON:
/// Conversion: NULL → null; BOOLEAN → bool; integer types → integers (HUGEINT/UHUGEINT beyond
/// 64 bits → string); FLOAT/DOUBLE → number; DECIMAL → an integer when it has no fraction
/// and fits 64 bits, else a double when the double's shortest fixed notation is the same
/// decimal text (1.5 → 1.5), else the exact decimal text as a string
/// ("1234567890123456789.123456789"); VARCHAR/JSON/UUID/ENUM → string; BLOB → DuckDB's
/// escaped text (\xHH for non-printable bytes); BIT → "0101"; DATE → "YYYY-MM-DD";
/// TIME → "HH:MM:SS[.f]"; TIMESTAMP → "YYYY-MM-DD HH:MM:SS[.f]"; TIMESTAMPTZ →
/// "YYYY-MM-DD HH:MM:SS[.f]+00" (UTC, whatever the session time zone); TIME WITH TIME ZONE →
/// "HH:MM:SS[.f]+HH[:MM]"; INTERVAL → DuckDB's text ("1 year 2 months 3 days 04:05:06");
/// fractions have up to 6 digits (9 for _NS types) with trailing zeros dropped, dates before
/// year 1 end in " (BC)", infinite values are "infinity"/"-infinity": all as DuckDB's own
/// VARCHAR cast prints them. LIST/ARRAY → array; STRUCT → object; MAP → object with keys as
/// text; UNION → the member's value. Types DuckDB 1.4's C API cannot describe or decode
/// (TIME_NS reports as invalid, BIGNUM) → null, with column type "UNKNOWN"/"BIGNUM": cast them
/// to VARCHAR in the SQL to read them.
/// (the QueryResult struct itself is backend-neutral: caches/query_result.h).

/// Streams a query's rows chunk by chunk (constant memory for large tables): a DuckDB
/// streaming result (duckdb_execute_prepared_streaming + duckdb_fetch_chunk), so at most one
/// 2048-row chunk is held. Created by DuckDbConnection::Stream; must not outlive the
/// connection, and the connection must run no other statement until the reader is done or
/// destroyed: DuckDB silently ends an open streaming result when its connection runs another
/// statement or appends, so Next() then throws Error(kInternal) instead of returning a
/// truncated result. Next() throws Error(kCache) for errors raised while reading.
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
/// TIMESTAMP type). Must not outlive its connection. Close() flushes and throws DuckDB's error.
///
/// Transactions: flushed rows join the connection's open transaction (BEGIN ... ROLLBACK
/// discards them, even after Flush()/Close()); without one each flush commits on its own.
/// DuckDB may also flush on its own once enough rows are buffered. The destructor flushes what
/// is left and ignores errors (DuckDB's appender has no way to discard buffered rows): to drop
/// rows on failure, append inside a transaction and roll it back. After a failed Append or
/// Flush the appender is unusable (DuckDB invalidated its buffered rows); further calls throw
/// Error(kInternal), Close() just releases it.
class DuckDbAppender {
 public:
  DuckDbAppender(DuckDbAppender&&) noexcept;
  DuckDbAppender& operator=(DuckDbAppender&&) noexcept;
  ~DuckDbAppender();

  /// Copies the batch into DuckDB data chunks (duckdb_vector_size() rows each, 2048) and
  /// appends them. Throws Error(kCache) naming the table and column when the batch's column
  /// count or a column's SqlType does not match the table, or DuckDB rejects the rows.
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
  /// Runs a statement and materializes its rows (at most `max_rows` when given; the rest are
  /// never computed: this reads a streaming result). With several statements the earlier
  /// ones run first and the last one's rows are returned. Throws Error(kCache).
  QueryResult Query(std::string_view sql, std::optional<std::size_t> max_rows = std::nullopt);
  /// Runs a statement and streams its rows (several statements: as Query). Throws
  /// Error(kCache) when DuckDB rejects the SQL.
  DuckDbRowReader Stream(std::string_view sql);
  /// INSERT INTO schema.table SELECT * FROM <the rows of `source`>, in the connection's open
  /// transaction. Unlike an appender, DuckDB runs it on all its threads, each converting and
  /// compressing its own row groups (insertion order is not kept). `types` are the table's
  /// column types in order. Throws Error(kCache), or rethrows what `source` threw.
  void InsertFrom(const std::string& schema, const std::string& table,
                  const std::vector<SqlType>& types, InsertSource& source);
  /// An appender for `schema`.`table` (names are taken literally, no quoting needed; an empty
  /// schema means the default one). Throws Error(kCache) with DuckDB's message, e.g. when the
  /// table does not exist.
  DuckDbAppender Appender(const std::string& schema, const std::string& table);

  /// Internal: the duckdb_connection handle.
  void* handle() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace airbyte::caches
