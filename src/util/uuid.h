#pragma once

#include <cstdint>
#include <string>

namespace airbyte::util {

/// A fresh UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, variant 10, random rest,
/// formatted as 36 lower-case hex characters with hyphens. Time-ordered. Thread-safe.
std::string NewUuidV7();
/// The same for a given time in Unix milliseconds (for tests and replays).
std::string NewUuidV7(std::int64_t unix_ms);

/// ISO-8601 UTC text of epoch milliseconds as PyAirbyte writes `_airbyte_extracted_at`:
/// `2024-01-01T00:00:00+00:00`, with `.ffffff` microseconds only when non-zero.
std::string FormatUtcMillis(std::int64_t unix_ms);

}  // namespace airbyte::util
