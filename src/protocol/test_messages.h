#pragma once

// Test-only: canonical protocol lines covering every message type and form, shared by the
// protocol tests (round trips, schema validation). Each line is what a Python CDK connector
// would print: compact, nulls omitted except inside opaque blobs.

#include <ostream>
#include <string>
#include <vector>

namespace airbyte::testutil {

struct SampleLine {
  std::string name;  // for test output
  std::string line;
};

// Short names in test output (gtest would otherwise dump the struct's bytes).
inline void PrintTo(const SampleLine& sample, std::ostream* out) { *out << sample.name; }

inline std::vector<SampleLine> SampleProtocolLines() {
  return {
      {"record",
       R"({"type":"RECORD","record":{"stream":"users","data":{"id":1,"name":"Ann","score":null,)"
       R"("tags":["a",null],"address":{"city":"Paris","zip":null},"height":"1.62"},)"
       R"("emitted_at":1735689600002}})"},
      {"record_with_namespace_meta_file",
       R"({"type":"RECORD","record":{"stream":"files","namespace":"public","data":{"k":"v"},)"
       R"("emitted_at":1,"meta":{"changes":[{"field":"k","change":"NULLED",)"
       R"("reason":"SOURCE_FIELD_SIZE_LIMITATION"}]},"file_reference":{"staging_file_url":)"
       R"("/tmp/a","source_file_relative_path":"a","file_size_bytes":12}}})"},
      {"state_stream",
       R"({"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":)"
       R"("users"},"stream_state":{"updated_at":"2025-01-01T00:00:00+00:00","cursor":null}},)"
       R"("sourceStats":{"recordCount":100.0}}})"},
      {"state_stream_reset",
       R"({"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":)"
       R"("users","namespace":"public"}}}})"},
      {"state_global",
       R"({"type":"STATE","state":{"type":"GLOBAL","global":{"shared_state":{"lsn":123,)"
       R"("gap":null},"stream_states":[{"stream_descriptor":{"name":"t","namespace":"public"},)"
       R"("stream_state":{"pk":5}},{"stream_descriptor":{"name":"u"}}]},)"
       R"("sourceStats":{"recordCount":3.0},)"
       R"("destinationStats":{"recordCount":2.0,"rejectedRecordCount":1.0}}})"},
      {"state_legacy", R"({"type":"STATE","state":{"type":"LEGACY","data":{"users":{"cursor":"x"},)"
                       R"("orders":null}}})"},
      {"log", R"({"type":"LOG","log":{"level":"WARN","message":"Retrying \"x\"\n",)"
              R"("stack_trace":"Traceback ..."}})"},
      {"spec",
       R"({"type":"SPEC","spec":{"documentationUrl":"https://docs.airbyte.com/x",)"
       R"("changelogUrl":"https://docs.airbyte.com/x/changelog",)"
       R"("connectionSpecification":{"$schema":"http://json-schema.org/draft-07/schema#",)"
       R"("type":"object","required":["api_key"],"properties":{"api_key":{"type":"string",)"
       R"("airbyte_secret":true}},"additionalProperties":true},)"
       R"("$schema":"http://json-schema.org/draft-07/schema#","supportsNamespaces":true,)"
       R"("supportsIncremental":true,"supportsNormalization":false,"supportsDBT":false,)"
       R"("supported_destination_sync_modes":["append","overwrite","append_dedup","update",)"
       R"("soft_delete"],"authSpecification":{"auth_type":"oauth2.0","oauth2Specification":)"
       R"({"rootObject":["credentials",0],"oauthFlowInitParameters":[["client_id"]],)"
       R"("oauthFlowOutputParameters":[["refresh_token"]]}},)"
       R"("advanced_auth":{"auth_flow_type":"oauth2.0","predicate_key":["credentials",)"
       R"("auth_type"],"predicate_value":"Client","oauth_config_specification":)"
       R"({"complete_oauth_output_specification":{"type":"object","properties":)"
       R"({"refresh_token":{"type":"string","path_in_connector_config":["credentials",)"
       R"("refresh_token"]}}}}},"protocol_version":"0.2.1"}})"},
      {"connection_status_succeeded",
       R"({"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}})"},
      {"connection_status_failed",
       R"({"type":"CONNECTION_STATUS","connectionStatus":{"status":"FAILED",)"
       R"("message":"Count option is missing"}})"},
      {"catalog",
       R"({"type":"CATALOG","catalog":{"streams":[{"name":"users","json_schema":{"type":)"
       R"("object","properties":{"id":{"type":"integer"},"updated_at":{"type":"string",)"
       R"("format":"date-time","airbyte_type":"timestamp_with_timezone"}}},)"
       R"("supported_sync_modes":["full_refresh","incremental"],"source_defined_cursor":true,)"
       R"("default_cursor_field":["updated_at"],"source_defined_primary_key":[["id"]],)"
       R"("is_resumable":true},{"name":"files","namespace":"s3","json_schema":{},)"
       R"("supported_sync_modes":["full_refresh"],"is_file_based":true,)"
       R"("x-custom-hint":{"keep":"me"}}]}})"},
      {"trace_error",
       R"({"type":"TRACE","trace":{"type":"ERROR","emitted_at":1735689600003.0,"error":)"
       R"({"message":"Invalid API key","internal_message":"401","stack_trace":"...",)"
       R"("failure_type":"config_error","stream_descriptor":{"name":"users"}}}})"},
      {"trace_estimate",
       R"({"type":"TRACE","trace":{"type":"ESTIMATE","emitted_at":1735689600001,"estimate":)"
       R"({"name":"users","type":"STREAM","namespace":"public","row_estimate":1000,)"
       R"("byte_estimate":450000}}})"},
      {"trace_stream_status",
       R"({"type":"TRACE","trace":{"type":"STREAM_STATUS","emitted_at":1735689600000.5,)"
       R"("stream_status":{"stream_descriptor":{"name":"users"},"status":"RUNNING",)"
       R"("reasons":[{"type":"RATE_LIMITED","rate_limited":{"quota_reset":1735689700000}},)"
       R"({"type":"RATE_LIMITED"}]}}})"},
      {"trace_analytics",
       R"({"type":"TRACE","trace":{"type":"ANALYTICS","emitted_at":1.0,"analytics":)"
       R"({"type":"sql-source-used-cursor-count-indexed","value":"2"}}})"},
      {"control",
       R"({"type":"CONTROL","control":{"type":"CONNECTOR_CONFIG","emitted_at":1735689600004.0,)"
       R"("connectorConfig":{"config":{"refresh_token":"abc","nested":{"x":null}}}}})"},
      {"destination_catalog",
       R"({"type":"DESTINATION_CATALOG","destination_catalog":{"operations":[{"object_name":)"
       R"("contacts","sync_mode":"update","json_schema":{"type":"object"},)"
       R"("matching_keys":[["email"],["account","id"]]},{"object_name":"events",)"
       R"("sync_mode":"append","json_schema":{}}]}})"},
  };
}

/// A ConfiguredAirbyteCatalog as PyAirbyte writes it for `read --catalog`.
inline std::string SampleConfiguredCatalog() {
  return R"({"streams":[{"stream":{"name":"users","json_schema":{"type":"object"},)"
         R"("supported_sync_modes":["full_refresh","incremental"],"source_defined_cursor":true,)"
         R"("default_cursor_field":["updated_at"],"source_defined_primary_key":[["id"]],)"
         R"("is_resumable":true},"sync_mode":"incremental","destination_sync_mode":"overwrite",)"
         R"("cursor_field":["updated_at"],"primary_key":[["id"]],"generation_id":2,)"
         R"("minimum_generation_id":1,"sync_id":42,"destination_object_name":"Users",)"
         R"("include_files":false},{"stream":{"name":"products","json_schema":{},)"
         R"("supported_sync_modes":["full_refresh"]},"sync_mode":"full_refresh",)"
         R"("destination_sync_mode":"append_dedup"}]})";
}

}  // namespace airbyte::testutil
