#pragma once

/// `source-smoke-test`: PyAirbyte's smoke-test source (airbyte/cli/smoke_test_source) as a
/// native connector. It emits fixed scenarios that commonly break destinations, for
/// `destination-smoke-test` and for tests of our own caches.
///
/// Config (all optional):
///   all_fast_streams (default true)   every predefined scenario that is not high-volume
///   all_slow_streams (default false)  the high-volume ones (large_batch_stream)
///   scenario_filter  (default [])     names unioned with the flag-selected sets
///   custom_scenarios (default [])     extra {name, json_schema, primary_key?, records?}
///   large_batch_record_count (1000)   records of large_batch_stream
///   namespace                         set on every stream, record and status trace
///
/// Streams are full_refresh only; a read emits, per configured stream, STREAM_STATUS STARTED
/// and RUNNING, the records, then COMPLETE. No STATE.
///
/// Example:
///   std::unique_ptr<NativeConnector> source = MakeSmokeTestSource();
///   protocol::AirbyteCatalog catalog = source->Discover({{"all_slow_streams", true}});

#include <memory>

#include "connectors/native_connector.h"

namespace airbyte::connectors {

std::unique_ptr<NativeConnector> MakeSmokeTestSource();

}  // namespace airbyte::connectors
