#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "caches/cache_backend.h"

namespace airbyte::caches {

/// The DuckDB CacheBackend over a database file (or ":memory:"). Throws Error(kCache) when the
/// file cannot be opened (for example another process holds its lock).
std::unique_ptr<CacheBackend> OpenDuckDbBackend(const std::filesystem::path& db_path);

class DuckDbDatabase;
/// `query`'s rows as an Arrow C stream (one record batch per DuckDB chunk) on a new connection
/// to `db`, which keeps the database alive until the stream is released.
ArrowArrayStream DuckDbArrowStream(const DuckDbDatabase& db, const std::string& query);

}  // namespace airbyte::caches
