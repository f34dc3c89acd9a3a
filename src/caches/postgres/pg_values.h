#pragma once

/// Postgres result values as JSON (the rules PgConnection documents). Internal to
/// src/caches/postgres: includes libpq-fe.h.

#include <libpq-fe.h>

#include <string>

#include "airbyte/json.h"

namespace airbyte::caches {

/// A readable type name for a result column's type OID ("BIGINT", "TIMESTAMP WITH TIME
/// ZONE"; "OID <n>" for types without one).
std::string PgTypeName(Oid oid);

/// Row `row` of a text-format result as a JSON array in column order.
Json PgRowJson(PGresult* result, int row);

}  // namespace airbyte::caches
