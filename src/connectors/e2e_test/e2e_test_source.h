#pragma once

/// `source-e2e-test` in its BENCHMARK mode (docs/protocol.md section 11), natively: stream
/// `stream1` with string fields field1..field5, each "valuevaluevaluevaluevalue" followed by
/// the record number modulo 10, emitted_at 0. Other modes (INFINITE_FEED, CONTINUOUS_FEED, ...)
/// need the Docker image; Check() says so.
///
/// Example:
///   std::unique_ptr<NativeConnector> source = MakeE2eTestSource();
///   source->Read(BenchmarkSourceConfig(ParseNumRecords("5e5")), catalog, {}, sink);

#include <cstdint>
#include <memory>
#include <string_view>

#include "airbyte/json.h"
#include "connectors/native_connector.h"

namespace airbyte::connectors {

std::unique_ptr<NativeConnector> MakeE2eTestSource();

/// The config get_benchmark_source() uses:
/// {"type":"BENCHMARK","schema":"FIVE_STRING_COLUMNS",
///  "terminationCondition":{"type":"MAX_RECORDS","max":num_records}}.
Json BenchmarkSourceConfig(std::int64_t num_records);

/// get_benchmark_source()'s reading of a record count given as text: underscores removed, any
/// decimal notation ("400_000", "5e5", "2.4e6"), truncated toward zero. Throws
/// Error(kInput, "Invalid number format.") with context input_value when it is not a number
/// or does not fit in 64 bits.
std::int64_t ParseNumRecords(std::string_view text);

}  // namespace airbyte::connectors
