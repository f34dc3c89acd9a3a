#pragma once

/// Postgres' binary COPY format for RecordBatches: COPY "t" (...) FROM STDIN (FORMAT binary)
/// takes the header, then rows, then the trailer. Binary rows skip the server's text parsing
/// (timestamps and numerics are the costly ones), so loading costs less server CPU than
/// `psql \copy` of the same rows as CSV.
///
/// Each SqlType is sent as the Postgres type its DDL names (PostgresDialect): kVarchar →
/// varchar, kBigint → int8, kDecimal → numeric (scale 9), kDouble → float8, kBoolean → bool,
/// kDate → date, kTime → time, kTimestamp → timestamp, kTimestampTz → timestamptz, kJson →
/// json. The target column must have exactly that type (binary input does no casts):
/// PgExactType() tells.

#include <cstddef>
#include <string>
#include <string_view>

#include "caches/record_batch.h"
#include "caches/sql_types.h"

namespace airbyte::caches {

/// The 19-byte signature, flags and header-extension length that start a binary COPY.
std::string_view PgCopyHeader();
/// The 2-byte end-of-data marker.
std::string_view PgCopyTrailer();

/// Appends rows [start, start + count) of `batch` to `out` as binary COPY tuples. Text
/// values lose NUL characters, which Postgres text types cannot hold.
void AppendPgCopyRows(const RecordBatch& batch, std::size_t start, std::size_t count,
                      std::string& out);

/// Whether a column whose format_type() text is `type_text` is exactly the Postgres type
/// `type` is encoded as (e.g. "numeric(38,9)" for kDecimal; "integer" is not kBigint).
bool PgExactType(std::string_view type_text, SqlType type);

}  // namespace airbyte::caches
