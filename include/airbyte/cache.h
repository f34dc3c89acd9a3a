#pragma once

/// Caches: where Source::Read() lands records (PyAirbyte's DuckDBCache and friends, behavior
/// doc 1.4 and 4).
///
///   airbyte::DuckDbCache cache = airbyte::NewLocalCache("demo");   // .cache/demo/db_demo.duckdb
///   airbyte::Source source = airbyte::GetSource("source-faker", Json{{"count", 1000}});
///   source.SelectAllStreams();
///   airbyte::ReadResult result = source.Read(cache);
///   for (const airbyte::Json& row : cache.Query("SELECT count(*) AS n FROM users")) ...
///   cache.Close();                                                 // releases the file lock

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "airbyte/dataset.h"
#include "airbyte/json.h"
#include "airbyte/state.h"

namespace airbyte {

namespace caches {
class CacheCore;
}  // namespace caches

/// How records are written into existing tables (behavior doc 4.9).
enum class WriteStrategy {
  kAuto,     // merge with a primary key, else append with a cursor, else replace
  kAppend,   // insert every record
  kMerge,    // upsert by primary key (records of one sync de-duplicated, latest wins)
  kReplace,  // swap in a new table at the end of the sync
};

/// "auto" | "append" | "merge" | "replace" (case-insensitive). Throws Error(kInput,
/// "Invalid strategy") listing the available strategies.
WriteStrategy ParseWriteStrategy(std::string_view text);
std::string_view ToString(WriteStrategy strategy);

/// Per-column statistics of a cache table (behavior doc 4.13).
struct ColumnStatistics {
  std::string column_name = {};
  std::string column_type = {};
  std::int64_t null_count = 0;
  std::int64_t non_null_count = 0;
  std::int64_t total_count = 0;
};

struct TableStatistics {
  std::string table_name = {};
  std::string database_name = {};
  std::string schema_name = {};
  std::int64_t row_count = 0;
  std::vector<ColumnStatistics> column_statistics = {};
};

/// A SQL cache (PyAirbyte's CacheBase). Opening one connects, creates the schema and the
/// internal tables and loads the stream catalog for its table prefix. Move-only; one thread
/// at a time. Datasets and read results share the underlying connection state, which lives
/// until Close() or until the cache and every dataset of it are gone.
class Cache {
 public:
  virtual ~Cache();
  Cache(Cache&&) noexcept;
  Cache& operator=(Cache&&) noexcept;

  const std::string& schema_name() const;
  const std::string& table_prefix() const;
  /// The database name (DuckDB: the file name up to its first '.', "memory" for ":memory:").
  std::string database_name() const;

  /// Runs `sql` and returns its rows as JSON objects (at most `max_records`). Throws
  /// Error(kCache) naming the SQL and the database's message.
  std::vector<Json> Query(std::string_view sql,
                          std::optional<std::size_t> max_records = std::nullopt);
  /// Runs statements in order, in one transaction.
  void Execute(const std::vector<std::string>& statements);

  /// Streams known to this cache (rows of _airbyte_streams for this prefix, plus streams
  /// written in this process), sorted by name.
  std::vector<std::string> Streams() const;
  bool Contains(std::string_view stream) const;
  /// The dataset of `stream`; Error(kStreamNotFound) when the cache does not know it.
  CachedDataset operator[](std::string_view stream) const;
  /// The SQL table name of `stream`: normalize(table_prefix + stream).
  std::string TableName(std::string_view stream) const;

  /// State stored for `source_name` (rows of _airbyte_state for this table prefix).
  StateProvider GetStateProvider(std::string_view source_name) const;
  /// Deletes the stored state of `source_name` (all streams, or only `streams`).
  void ResetState(std::string_view source_name, const std::vector<std::string>& streams = {});

  /// Row and per-column counts for each stream whose table exists.
  std::map<std::string, TableStatistics> FetchTableStatistics(
      const std::vector<std::string>& streams) const;

  /// Closes the database (releases DuckDB's file lock). Later calls on this cache or its
  /// datasets throw Error(kCache). Idempotent.
  void Close();

  /// Internal: the shared implementation (read pipeline, datasets, CLI).
  const std::shared_ptr<caches::CacheCore>& core() const { return core_; }

 protected:
  explicit Cache(std::shared_ptr<caches::CacheCore> core);
  std::shared_ptr<caches::CacheCore> core_;
};

/// Options of a DuckDB cache.
struct DuckDbCacheOptions {
  /// The database file (created with its directory), or ":memory:".
  std::filesystem::path db_path = {};
  std::string schema_name = "main";
  std::string table_prefix = {};
  /// Where temporary files go (default: the cache root, behavior doc 4.1).
  std::optional<std::filesystem::path> cache_dir = std::nullopt;
  /// Delete temporary files after loading.
  bool cleanup = true;
};

/// A cache in a local DuckDB file (PyAirbyte's DuckDBCache).
class DuckDbCache : public Cache {
 public:
  /// Opens (or creates) the database. Throws Error(kCache) when the file cannot be opened,
  /// for example because another process holds its lock.
  explicit DuckDbCache(DuckDbCacheOptions options);
  const std::filesystem::path& db_path() const { return db_path_; }

 private:
  std::filesystem::path db_path_;
};

/// Options of a Postgres cache (PyAirbyte's PostgresCache, behavior doc 1.4).
struct PostgresCacheOptions {
  /// Host name or address; a path starting with '/' is a Unix-socket directory.
  std::string host = "localhost";
  int port = 5432;
  std::string username = {};
  /// Registered as a secret: masked in every error, log and output.
  std::string password = {};
  std::string database = {};
  std::string schema_name = "airbyte_raw";
  std::string table_prefix = {};
  /// Where temporary files go (default: the cache root).
  std::optional<std::filesystem::path> cache_dir = std::nullopt;
  bool cleanup = true;
  /// Further libpq connection keywords (sslmode, sslrootcert, connect_timeout, ...).
  std::map<std::string, std::string> connection_options = {};
};

/// A cache in a Postgres database (PyAirbyte's PostgresCache): the same tables, columns and
/// semantics as DuckDbCache with Postgres types, names truncated to 63 characters, merge as
/// UPDATE + INSERT, and records loaded with binary COPY.
class PostgresCache : public Cache {
 public:
  /// Connects and creates the schema and internal tables. Throws Error(kCache) saying why the
  /// server could not be used (refused, authentication, unknown database, permission).
  explicit PostgresCache(PostgresCacheOptions options);
  /// postgresql://user:password@host:port/database[?schema=s&table_prefix=p&sslmode=...]
  /// (also postgres://); percent-escapes in user, password and host are decoded.
  static PostgresCache FromUrl(std::string_view url);
  /// The connection URL with the password shown as "****".
  std::string url() const;
  const std::string& host() const { return host_; }
  int port() const { return port_; }
  const std::string& username() const { return username_; }

 private:
  std::string host_;
  int port_ = 5432;
  std::string username_;
};

/// The cache a CLI `--cache` value names: a postgresql:// (or postgres://) URL, else a DuckDB
/// file path; empty means the default cache.
Cache OpenCache(std::string_view reference);

/// The project's cache root: $AIRBYTE_CACHE_ROOT, else <project>/.cache where <project> is
/// $AIRBYTE_PROJECT_DIR or the current directory.
std::filesystem::path DefaultCacheRoot();

/// <cache root>/default_cache/default_cache.duckdb (a new object each call, same file).
DuckDbCache GetDefaultCache();

/// <cache_dir or cache root/name>/db_<name>.duckdb. `name` may hold only letters, digits and
/// '_' (Error(kInput) otherwise); empty: a fresh ULID-like unique name.
DuckDbCache NewLocalCache(std::string name = {}, std::filesystem::path cache_dir = {},
                          bool cleanup = true);

}  // namespace airbyte
