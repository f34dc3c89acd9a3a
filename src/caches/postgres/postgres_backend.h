#pragma once

#include <memory>

#include "caches/cache_backend.h"
#include "caches/postgres/pg_connection.h"

namespace airbyte::caches {

/// The Postgres CacheBackend (PostgresDialect). Connects at once; batches load through
/// binary COPY ... FROM STDIN, streamed as they come. Throws Error(kCache) when the server
/// cannot be reached or refuses the credentials.
std::unique_ptr<CacheBackend> OpenPostgresBackend(const PgConnectParams& params);

}  // namespace airbyte::caches
