#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "airbyte/json.h"
#include "caches/cache_backend.h"
#include "protocol/message.h"

namespace airbyte::caches {

/// The state shared by a Cache and its datasets and results: the backend, the schema and
/// table prefix, the stream catalog (_airbyte_streams) and state (_airbyte_state). Creating it
/// creates the schema and internal tables and loads the catalog rows of the prefix.
/// Not thread-safe.
class CacheCore {
 public:
  CacheCore(std::unique_ptr<CacheBackend> backend, std::string schema_name,
            std::string table_prefix, std::filesystem::path cache_dir, bool cleanup);
  ~CacheCore();

  /// The backend; Error(kCache) once closed.
  CacheBackend& backend();
  const SqlDialect& dialect() const { return dialect_; }
  const std::string& schema_name() const { return schema_name_; }
  const std::string& table_prefix() const { return table_prefix_; }
  const std::filesystem::path& cache_dir() const { return cache_dir_; }
  bool cleanup() const { return cleanup_; }
  std::string database_name() const { return database_name_; }

  /// normalize(prefix + stream), truncated to the dialect's identifier limit.
  std::string TableName(std::string_view stream) const;
  /// "schema"."table".
  std::string Qualified(std::string_view table) const;

  // --- Catalog (_airbyte_streams) -----------------------------------------------------------

  /// One _airbyte_streams row: the stream's name as the cache knows it ("<namespace>_<name>"
  /// when two streams of a read share a name), its JSON schema.
  struct CatalogEntry {
    std::string stream_name = {};
    Json json_schema = {};
  };
  /// Replaces the catalog rows of these streams (4.4): delete by table_name (prefix +
  /// stream_name), insert.
  void RegisterStreams(std::string_view source_name, const std::vector<CatalogEntry>& entries);
  std::vector<std::string> StreamNames() const;
  bool HasStream(std::string_view stream) const;

  // --- State (_airbyte_state) ---------------------------------------------------------------

  /// Stored state messages of `source_name` for this prefix (stream, _GLOBAL, _LEGACY rows).
  std::vector<Json> LoadState(std::string_view source_name);
  /// The upsert statement for one state row (`key` is the stream name, "_GLOBAL" or "_LEGACY").
  std::string StateUpsertSql(std::string_view source_name, std::string_view key,
                             const std::string& state_json) const;
  void DeleteState(std::string_view source_name, const std::vector<std::string>& keys);

  void Close() noexcept;
  bool closed() const { return backend_ == nullptr; }

 private:
  std::unique_ptr<CacheBackend> backend_;
  SqlDialect dialect_;
  std::string schema_name_;
  std::string table_prefix_;
  std::filesystem::path cache_dir_;
  bool cleanup_ = true;
  std::string database_name_;
  /// Primary key of _airbyte_state: {source_name, table_name} (ours) or {table_name}
  /// (created by PyAirbyte).
  std::vector<std::string> state_key_;
  /// Stream name → catalog key, for streams of this prefix.
  std::map<std::string, std::string> streams_;
};

}  // namespace airbyte::caches
