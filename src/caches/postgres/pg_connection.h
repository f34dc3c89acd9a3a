#pragma once

/// A thin RAII layer over libpq: connect with clear errors, run SQL, materialize or stream
/// results as JSON rows, and COPY data in. Nothing outside src/caches/postgres includes
/// libpq-fe.h.
///
///   PgConnection conn = PgConnection::Connect(params);
///   conn.Execute("CREATE TABLE t (a BIGINT)");
///   QueryResult result = conn.Query("SELECT a FROM t");
///
/// Every session runs with TimeZone=UTC and DateStyle=ISO, so timestamps read back as
/// "YYYY-MM-DD HH:MM:SS[.f]+00" like DuckDB's. Values become JSON as DuckDbConnection::Query
/// documents: NULL → null, boolean → bool, integers → integers, float4/float8 → numbers
/// (NaN/Infinity → strings), numeric → an integer when integral and within 64 bits, else a
/// double when it prints back as the same decimal, else the decimal text; everything else →
/// its text (json as stored, dates and times in ISO form).
///
/// Not thread-safe: one thread per connection.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "airbyte/json.h"
#include "caches/query_result.h"

namespace airbyte::caches {

/// Where and how to connect. `password` is registered as a secret by Connect().
struct PgConnectParams {
  std::string host = {};  // a name, an address, or a Unix-socket directory ('/...')
  int port = 5432;
  std::string database = {};
  std::string username = {};
  std::string password = {};
  /// Further libpq keywords (sslmode, connect_timeout, ...).
  std::vector<std::pair<std::string, std::string>> options = {};

  /// "host:port/database" for messages (never the credentials).
  std::string Describe() const;
};

/// Parses postgresql://[user[:password]@][host][:port][/database][?k=v&...] (also
/// postgres://). Percent-escapes are decoded; a host in brackets is an IPv6 address. Query
/// keys schema/schema_name and table_prefix are returned in `cache_options`, the rest become
/// libpq options. Throws Error(kInput) naming the problem (never the password).
PgConnectParams ParsePostgresUrl(std::string_view url,
                                 std::vector<std::pair<std::string, std::string>>* cache_options);

class PgResult;

/// One open connection. Move-only.
class PgConnection {
 public:
  /// Connects and sets up the session. Throws Error(kCache) saying what went wrong and how to
  /// fix it: connection refused, unknown host, authentication failed, unknown database.
  static PgConnection Connect(const PgConnectParams& params);

  PgConnection(PgConnection&&) noexcept;
  PgConnection& operator=(PgConnection&&) noexcept;
  ~PgConnection();

  /// Runs one or more statements. Throws Error(kCache) with the server's message, the SQL,
  /// and guidance by SQLSTATE (permission denied, disk full, lost connection, ...).
  void Execute(std::string_view sql);
  /// Runs a statement and materializes its rows (at most `max_rows`).
  QueryResult Query(std::string_view sql, std::optional<std::size_t> max_rows = std::nullopt);

  /// Starts COPY ... FROM STDIN (`copy_sql` is the whole statement). Until EndCopy() the
  /// connection takes only PutCopyData().
  void BeginCopy(std::string_view copy_sql);
  void PutCopyData(std::string_view data);
  /// Ends the COPY and throws Error(kCache) when the server rejected the data.
  void EndCopy();
  /// Abandons an open COPY (the server discards it); no-op without one. Never throws.
  void AbortCopy() noexcept;
  bool copying() const { return copying_; }

  /// Runs `sql` (COPY ... TO STDOUT) and calls `sink` with each chunk of output.
  template <typename Sink>
  void CopyOut(std::string_view sql, Sink&& sink) {
    StartCopyOut(sql);
    std::string chunk;
    while (NextCopyOut(chunk)) sink(std::string_view(chunk));
  }

  /// Sends a query whose rows then come one at a time from NextRow() (libpq single-row
  /// mode); the connection runs nothing else until NextRow() returned nullopt.
  void StartRows(std::string_view sql, std::vector<std::string>* column_names);
  std::optional<Json> NextRow();

  const PgConnectParams& params() const { return params_; }

  /// Internal: the PGconn.
  void* handle() const { return conn_; }

 private:
  PgConnection(void* conn, PgConnectParams params);
  void Release() noexcept;
  void StartCopyOut(std::string_view sql);
  bool NextCopyOut(std::string& chunk);
  /// Throws the error of a failed result (consumes it).
  [[noreturn]] void Fail(PgResult& result, std::string_view sql);
  [[noreturn]] void FailConnection(std::string_view what, std::string_view sql);

  void* conn_ = nullptr;
  PgConnectParams params_;
  bool copying_ = false;
  bool streaming_ = false;
  std::vector<unsigned> stream_types_;
  void* pending_ = nullptr;  // a PGresult StartRows() read ahead
};

}  // namespace airbyte::caches
