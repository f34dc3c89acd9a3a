#pragma once

/// The PostgreSQL server the tests use: $AIRBYTE_TEST_PG_DSN when set, else a throwaway
/// cluster of scripts/pg_test_server in AIRBYTE_TEST_PG_DIR. CTest starts that cluster once
/// before the suite (fixture `postgres`) and stops it after; a test binary run on its own
/// starts it on first use (and leaves it for the next run; `scripts/pg_test_server stop DIR`
/// removes it). There is no skipping: when no server can start, the test fails.

#include <string>
#include <string_view>

namespace airbyte::testutil {

/// postgresql://user:password@host:port/database of the test server. Throws
/// std::runtime_error with the script's output when the server cannot start.
std::string PostgresUrl();

/// The URL with `?schema=<schema>` (and `&table_prefix=` when given) appended.
std::string PostgresCacheUrl(std::string_view schema, std::string_view table_prefix = {});

/// A schema name unique to this test (from the running test's name and `suffix`), dropped
/// (CASCADE) on the server so the test starts empty. At most 63 characters.
std::string FreshPostgresSchema(std::string_view suffix = {});
/// The name FreshPostgresSchema(suffix) returns, without touching the server.
std::string FreshPostgresSchemaName(std::string_view suffix = {});

/// Runs `sql` on the test server with psql; returns stdout (rows as unaligned text).
/// Throws std::runtime_error with psql's output on failure.
std::string Psql(std::string_view sql);

}  // namespace airbyte::testutil
