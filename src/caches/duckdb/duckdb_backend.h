#pragma once

#include <filesystem>
#include <memory>

#include "caches/cache_backend.h"

namespace airbyte::caches {

/// The DuckDB CacheBackend over a database file (or ":memory:"). Throws Error(kCache) when the
/// file cannot be opened (for example another process holds its lock).
std::unique_ptr<CacheBackend> OpenDuckDbBackend(const std::filesystem::path& db_path);

}  // namespace airbyte::caches
