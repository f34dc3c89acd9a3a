#include "airbyte/cache.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "caches/cache_core.h"
#include "caches/duckdb/duckdb_backend.h"
#include "caches/postgres/postgres_backend.h"
#include "caches/sql_dialect.h"
#include "util/strings.h"
#include "util/uuid.h"

namespace airbyte {
namespace {


std::filesystem::path EnvPath(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? std::filesystem::path() : std::filesystem::path(value);
}

}  // namespace

WriteStrategy ParseWriteStrategy(std::string_view text) {
  const std::string lower = util::AsciiLower(text);
  if (lower == "auto") return WriteStrategy::kAuto;
  if (lower == "append") return WriteStrategy::kAppend;
  if (lower == "merge") return WriteStrategy::kMerge;
  if (lower == "replace") return WriteStrategy::kReplace;
  throw Error(ErrorKind::kInput, "Invalid strategy",
              {.guidance = "Use one of: merge, append, replace, auto.",
               .context = {{"write_strategy", std::string(text)},
                           {"available_strategies", "['merge', 'append', 'replace', 'auto']"}}});
}

std::string_view ToString(WriteStrategy strategy) {
  switch (strategy) {
    case WriteStrategy::kAuto:
      return "auto";
    case WriteStrategy::kAppend:
      return "append";
    case WriteStrategy::kMerge:
      return "merge";
    case WriteStrategy::kReplace:
      return "replace";
  }
  return "auto";
}

Cache::Cache(std::shared_ptr<caches::CacheCore> core) : core_(std::move(core)) {}
Cache::~Cache() = default;
Cache::Cache(Cache&&) noexcept = default;
Cache& Cache::operator=(Cache&&) noexcept = default;

const std::string& Cache::schema_name() const { return core_->schema_name(); }
const std::string& Cache::table_prefix() const { return core_->table_prefix(); }
std::string Cache::database_name() const { return core_->database_name(); }

std::vector<Json> Cache::Query(std::string_view sql, std::optional<std::size_t> max_records) {
  const caches::QueryResult result = core_->backend().Query(sql, max_records);
  std::vector<Json> rows;
  rows.reserve(result.rows.size());
  for (std::size_t i = 0; i < result.rows.size(); ++i) rows.push_back(result.RowObject(i));
  return rows;
}

void Cache::Execute(const std::vector<std::string>& statements) {
  caches::CacheBackend& db = core_->backend();
  db.Begin();
  try {
    for (const std::string& sql : statements) db.Execute(sql);
    db.Commit();
  } catch (...) {
    db.Rollback();
    throw;
  }
}

std::vector<std::string> Cache::Streams() const { return core_->StreamNames(); }

bool Cache::Contains(std::string_view stream) const { return core_->HasStream(stream); }

CachedDataset Cache::operator[](std::string_view stream) const {
  if (!core_->HasStream(stream)) {
    throw Error(ErrorKind::kStreamNotFound, "The cache has no such stream.",
                {.guidance = "Read the stream into this cache first; Streams() lists the ones "
                             "it has.",
                 .context = {{"stream_name", std::string(stream)},
                             {"table_prefix", core_->table_prefix()}}});
  }
  return CachedDataset(core_, std::string(stream));
}

std::string Cache::TableName(std::string_view stream) const { return core_->TableName(stream); }

StateProvider Cache::GetStateProvider(std::string_view source_name) const {
  return StateProvider(core_->LoadState(source_name));
}

void Cache::ResetState(std::string_view source_name, const std::vector<std::string>& streams) {
  core_->DeleteState(source_name, streams);
}

std::map<std::string, TableStatistics> Cache::FetchTableStatistics(
    const std::vector<std::string>& streams) const {
  caches::CacheBackend& db = core_->backend();
  std::map<std::string, TableStatistics> statistics;
  for (const std::string& stream : streams) {
    // Candidates: the normalized name, then the raw stream name (4.13).
    std::optional<std::vector<std::pair<std::string, std::string>>> columns;
    std::string table;
    for (const std::string& candidate : {core_->TableName(stream), stream}) {
      columns = db.TableColumns(core_->schema_name(), candidate);
      if (columns) {
        table = candidate;
        break;
      }
    }
    if (!columns) continue;
    const std::string qualified = core_->Qualified(table);
    std::string sql = "SELECT COUNT(*) AS total_rows";
    for (std::size_t i = 0; i < columns->size(); ++i) {
      sql += ", COUNT(" + caches::QuoteIdentifier((*columns)[i].first) + ") AS nn_" +
             std::to_string(i);
    }
    sql += " FROM " + qualified;
    const caches::QueryResult counts = db.Query(sql);
    TableStatistics table_stats{.table_name = table,
                                .database_name = core_->database_name(),
                                .schema_name = core_->schema_name()};
    const Json& row = counts.rows.at(0);
    table_stats.row_count = row.at(0).get<std::int64_t>();
    for (std::size_t i = 0; i < columns->size(); ++i) {
      const std::int64_t non_null = row.at(i + 1).get<std::int64_t>();
      table_stats.column_statistics.push_back({.column_name = (*columns)[i].first,
                                               .column_type = (*columns)[i].second,
                                               .null_count = table_stats.row_count - non_null,
                                               .non_null_count = non_null,
                                               .total_count = table_stats.row_count});
    }
    statistics.emplace(stream, std::move(table_stats));
  }
  return statistics;
}

void Cache::Close() { core_->Close(); }

DuckDbCache::DuckDbCache(DuckDbCacheOptions options)
    : Cache(std::make_shared<caches::CacheCore>(
          caches::OpenDuckDbBackend(options.db_path), options.schema_name, options.table_prefix,
          options.cache_dir.value_or(DefaultCacheRoot()), options.cleanup)),
      db_path_(std::move(options.db_path)) {}

namespace {

caches::PgConnectParams ConnectParams(const PostgresCacheOptions& options) {
  caches::PgConnectParams params{.host = options.host,
                                 .port = options.port,
                                 .database = options.database,
                                 .username = options.username,
                                 .password = options.password};
  for (const auto& [key, value] : options.connection_options) params.options.emplace_back(key, value);
  return params;
}

}  // namespace

PostgresCache::PostgresCache(PostgresCacheOptions options)
    : Cache(std::make_shared<caches::CacheCore>(
          caches::OpenPostgresBackend(ConnectParams(options)), options.schema_name,
          options.table_prefix, options.cache_dir.value_or(DefaultCacheRoot()), options.cleanup)),
      host_(options.host),
      port_(options.port),
      username_(options.username) {}

PostgresCache PostgresCache::FromUrl(std::string_view url) {
  std::vector<std::pair<std::string, std::string>> cache_options;
  const caches::PgConnectParams params = caches::ParsePostgresUrl(url, &cache_options);
  PostgresCacheOptions options{.host = params.host,
                               .port = params.port,
                               .username = params.username,
                               .password = params.password,
                               .database = params.database};
  for (const auto& [key, value] : cache_options) {
    if (key == "schema_name") options.schema_name = value;
    if (key == "table_prefix") options.table_prefix = value;
  }
  for (const auto& [key, value] : params.options) options.connection_options[key] = value;
  return PostgresCache(std::move(options));
}

std::string PostgresCache::url() const {
  std::string host = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
  return "postgresql://" + username_ + (username_.empty() ? "" : ":****@") + host + ":" +
         std::to_string(port_) + "/" + database_name() + "?schema=" + schema_name();
}

Cache OpenCache(std::string_view reference) {
  if (reference.empty()) return GetDefaultCache();
  if (reference.starts_with("postgresql://") || reference.starts_with("postgres://")) {
    return PostgresCache::FromUrl(reference);
  }
  return DuckDbCache({.db_path = std::filesystem::path(std::string(reference))});
}

std::filesystem::path DefaultCacheRoot() {
  std::filesystem::path root = EnvPath("AIRBYTE_CACHE_ROOT");
  if (!root.empty()) return root;
  std::filesystem::path project = EnvPath("AIRBYTE_PROJECT_DIR");
  if (project.empty()) project = std::filesystem::current_path();
  return project / ".cache";
}

DuckDbCache GetDefaultCache() {
  const std::filesystem::path dir = DefaultCacheRoot() / "default_cache";
  return DuckDbCache({.db_path = dir / "default_cache.duckdb", .cache_dir = dir});
}

DuckDbCache NewLocalCache(std::string name, std::filesystem::path cache_dir, bool cleanup) {
  if (name.find(' ') != std::string::npos) {
    throw Error(ErrorKind::kInput, "Cache name cannot contain spaces.",
                {.context = {{"cache_name", name}}});
  }
  if (!std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '_';
      })) {
    throw Error(ErrorKind::kInput,
                "Cache name can only contain alphanumeric characters and underscores.",
                {.context = {{"cache_name", name}}});
  }
  if (name.empty()) {
    // A fresh, time-ordered unique name (PyAirbyte uses a ULID).
    name = util::NewUuidV7();
    name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  }
  if (cache_dir.empty()) cache_dir = DefaultCacheRoot() / name;
  return DuckDbCache({.db_path = cache_dir / ("db_" + name + ".duckdb"),
                      .cache_dir = cache_dir,
                      .cleanup = cleanup});
}

}  // namespace airbyte
