// Model -> JSON half of json_convert.h, plus the enum spellings. JSON -> model is in
// json_from.cc and json_from_catalog.cc.
#include "protocol/json_convert.h"

#include <cmath>
#include <utility>

namespace airbyte::protocol {
namespace {

// Number of values of each enum in message.h (the enums are dense, starting at 0).
template <typename Enum>
constexpr int kEnumCount = 0;
template <>
constexpr int kEnumCount<MessageType> = 9;
template <>
constexpr int kEnumCount<SyncMode> = 2;
template <>
constexpr int kEnumCount<DestinationSyncMode> = 5;
template <>
constexpr int kEnumCount<StateType> = 3;
template <>
constexpr int kEnumCount<LogLevel> = 6;
template <>
constexpr int kEnumCount<ConnectionStatusValue> = 2;
template <>
constexpr int kEnumCount<TraceType> = 4;
template <>
constexpr int kEnumCount<FailureType> = 3;
template <>
constexpr int kEnumCount<EstimateType> = 2;
template <>
constexpr int kEnumCount<StreamStatus> = 4;

// Strings written by us may come from anywhere (a user-built model); replace invalid UTF-8
// instead of letting dump() throw.
std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

template <typename T>
void PutOptional(Json& out, const char* key, const std::optional<T>& value) {
  if (value) out[key] = *value;
}

void PutBlob(Json& out, const char* key, const Json& value) {
  if (!value.is_null()) out[key] = value;
}

template <typename Enum>
Json EnumJson(Enum value) {
  return std::string(ToString(value));
}

Json PathsJson(const std::vector<FieldPath>& paths) {
  Json out = Json::array();
  for (const FieldPath& path : paths) out.push_back(path);
  return out;
}

// An integral double (a count, epoch ms) as a JSON float, so it prints with a decimal point
// ("100.0"), as the protocol asks for recordCount. Non-finite values have no JSON spelling.
Json Number(double value) { return std::isfinite(value) ? value : 0.0; }

}  // namespace

template <typename Enum>
std::optional<Enum> FromString(std::string_view text) {
  for (int i = 0; i < kEnumCount<Enum>; ++i) {
    if (ToString(static_cast<Enum>(i)) == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

template std::optional<MessageType> FromString<MessageType>(std::string_view);
template std::optional<SyncMode> FromString<SyncMode>(std::string_view);
template std::optional<DestinationSyncMode> FromString<DestinationSyncMode>(std::string_view);
template std::optional<StateType> FromString<StateType>(std::string_view);
template std::optional<LogLevel> FromString<LogLevel>(std::string_view);
template std::optional<ConnectionStatusValue> FromString<ConnectionStatusValue>(std::string_view);
template std::optional<TraceType> FromString<TraceType>(std::string_view);
template std::optional<FailureType> FromString<FailureType>(std::string_view);
template std::optional<EstimateType> FromString<EstimateType>(std::string_view);
template std::optional<StreamStatus> FromString<StreamStatus>(std::string_view);

std::string_view PayloadKey(MessageType type) {
  switch (type) {
    case MessageType::kRecord:
      return "record";
    case MessageType::kState:
      return "state";
    case MessageType::kLog:
      return "log";
    case MessageType::kSpec:
      return "spec";
    case MessageType::kConnectionStatus:
      return "connectionStatus";
    case MessageType::kCatalog:
      return "catalog";
    case MessageType::kTrace:
      return "trace";
    case MessageType::kControl:
      return "control";
    case MessageType::kDestinationCatalog:
      return "destination_catalog";
  }
  return "unknown";
}

Json ToJson(const StreamDescriptor& value) {
  Json out = {{"name", value.name}};
  PutOptional(out, "namespace", value.namespace_);
  return out;
}

Json ToJson(const RecordMessage& value) {
  Json out = {
      {"stream", value.stream}, {"data", RecordDataJson(value)}, {"emitted_at", value.emitted_at}};
  PutOptional(out, "namespace", value.namespace_);
  PutBlob(out, "meta", value.meta);
  PutBlob(out, "file_reference", value.file_reference);
  return out;
}

Json ToJson(const StateStats& value) {
  Json out = Json::object();
  if (value.record_count) out["recordCount"] = Number(*value.record_count);
  if (value.rejected_record_count) {
    out["rejectedRecordCount"] = Number(*value.rejected_record_count);
  }
  return out;
}

Json ToJson(const StreamState& value) {
  Json out = {{"stream_descriptor", ToJson(value.stream_descriptor)}};
  PutBlob(out, "stream_state", value.stream_state);
  return out;
}

Json ToJson(const GlobalState& value) {
  Json out = {{"stream_states", Json::array()}};
  for (const StreamState& state : value.stream_states)
    out["stream_states"].push_back(ToJson(state));
  PutBlob(out, "shared_state", value.shared_state);
  return out;
}

Json ToJson(const StateMessage& value) {
  Json out = {{"type", EnumJson(value.type)}};
  if (value.stream) out["stream"] = ToJson(*value.stream);
  if (value.global) out["global"] = ToJson(*value.global);
  PutBlob(out, "data", value.data);
  if (value.source_stats) out["sourceStats"] = ToJson(*value.source_stats);
  if (value.destination_stats) out["destinationStats"] = ToJson(*value.destination_stats);
  return out;
}

Json ToJson(const LogMessage& value) {
  Json out = {{"level", EnumJson(value.level)}, {"message", value.message}};
  PutOptional(out, "stack_trace", value.stack_trace);
  return out;
}

// Keys the model does not name, after the named fields (a named field wins over a same-named
// extra).
void PutExtras(Json& out, const Json& extras) {
  if (!extras.is_object()) return;
  for (const auto& [key, extra] : extras.items()) {
    if (!extra.is_null() && !out.contains(key)) out[key] = extra;
  }
}

Json ToJson(const ConnectorSpecification& value) {
  Json out = Json::object();
  out["connectionSpecification"] = value.connection_specification.is_null()
                                       ? Json::object()
                                       : value.connection_specification;
  PutOptional(out, "documentationUrl", value.documentation_url);
  PutOptional(out, "changelogUrl", value.changelog_url);
  PutOptional(out, "supportsIncremental", value.supports_incremental);
  PutOptional(out, "supportsNormalization", value.supports_normalization);
  PutOptional(out, "supportsDBT", value.supports_dbt);
  if (value.supported_destination_sync_modes) {
    Json modes = Json::array();
    for (DestinationSyncMode mode : *value.supported_destination_sync_modes) {
      modes.push_back(EnumJson(mode));
    }
    out["supported_destination_sync_modes"] = std::move(modes);
  }
  PutBlob(out, "authSpecification", value.auth_specification);
  PutBlob(out, "advanced_auth", value.advanced_auth);
  PutOptional(out, "protocol_version", value.protocol_version);
  PutExtras(out, value.additional_properties);
  return out;
}

Json ToJson(const ConnectionStatus& value) {
  Json out = {{"status", EnumJson(value.status)}};
  PutOptional(out, "message", value.message);
  return out;
}

Json ToJson(const AirbyteStream& value) {
  Json out = Json::object();
  out["name"] = value.name;
  out["json_schema"] = value.json_schema.is_null() ? Json::object() : value.json_schema;
  Json modes = Json::array();
  for (SyncMode mode : value.supported_sync_modes) modes.push_back(EnumJson(mode));
  out["supported_sync_modes"] = std::move(modes);
  PutOptional(out, "source_defined_cursor", value.source_defined_cursor);
  PutOptional(out, "default_cursor_field", value.default_cursor_field);
  if (value.source_defined_primary_key) {
    out["source_defined_primary_key"] = PathsJson(*value.source_defined_primary_key);
  }
  PutOptional(out, "namespace", value.namespace_);
  PutOptional(out, "is_resumable", value.is_resumable);
  PutOptional(out, "is_file_based", value.is_file_based);
  PutExtras(out, value.additional_properties);
  return out;
}

Json ToJson(const AirbyteCatalog& value) {
  Json streams = Json::array();
  for (const AirbyteStream& stream : value.streams) streams.push_back(ToJson(stream));
  return {{"streams", std::move(streams)}};
}

Json ToJson(const ConfiguredAirbyteStream& value) {
  Json out = {{"stream", ToJson(value.stream)},
                        {"sync_mode", EnumJson(value.sync_mode)},
                        {"destination_sync_mode", EnumJson(value.destination_sync_mode)}};
  PutOptional(out, "cursor_field", value.cursor_field);
  if (value.primary_key) out["primary_key"] = PathsJson(*value.primary_key);
  PutOptional(out, "generation_id", value.generation_id);
  PutOptional(out, "minimum_generation_id", value.minimum_generation_id);
  PutOptional(out, "sync_id", value.sync_id);
  PutOptional(out, "destination_object_name", value.destination_object_name);
  PutOptional(out, "include_files", value.include_files);
  return out;
}

Json ToJson(const ConfiguredAirbyteCatalog& value) {
  Json streams = Json::array();
  for (const ConfiguredAirbyteStream& stream : value.streams) streams.push_back(ToJson(stream));
  return {{"streams", std::move(streams)}};
}

Json ToJson(const ErrorTrace& value) {
  Json out = {{"message", value.message}};
  PutOptional(out, "internal_message", value.internal_message);
  PutOptional(out, "stack_trace", value.stack_trace);
  if (value.failure_type) out["failure_type"] = EnumJson(*value.failure_type);
  if (value.stream_descriptor) out["stream_descriptor"] = ToJson(*value.stream_descriptor);
  return out;
}

Json ToJson(const EstimateTrace& value) {
  Json out = {{"name", value.name}, {"type", EnumJson(value.type)}};
  PutOptional(out, "namespace", value.namespace_);
  PutOptional(out, "row_estimate", value.row_estimate);
  PutOptional(out, "byte_estimate", value.byte_estimate);
  return out;
}

Json ToJson(const StreamStatusReason& value) {
  Json out = {{"type", value.type}};
  if (value.quota_reset) out["rate_limited"] = {{"quota_reset", *value.quota_reset}};
  return out;
}

Json ToJson(const StreamStatusTrace& value) {
  Json out = {{"stream_descriptor", ToJson(value.stream_descriptor)},
                        {"status", EnumJson(value.status)}};
  // The CDK leaves `reasons` out (None) unless it has some.
  if (!value.reasons.empty()) {
    Json reasons = Json::array();
    for (const StreamStatusReason& reason : value.reasons) reasons.push_back(ToJson(reason));
    out["reasons"] = std::move(reasons);
  }
  return out;
}

Json ToJson(const AnalyticsTrace& value) {
  Json out = {{"type", value.type}};
  PutOptional(out, "value", value.value);
  return out;
}

Json ToJson(const TraceMessage& value) {
  Json out = {{"type", EnumJson(value.type)}, {"emitted_at", Number(value.emitted_at)}};
  if (value.error) out["error"] = ToJson(*value.error);
  if (value.estimate) out["estimate"] = ToJson(*value.estimate);
  if (value.stream_status) out["stream_status"] = ToJson(*value.stream_status);
  if (value.analytics) out["analytics"] = ToJson(*value.analytics);
  return out;
}

Json ToJson(const ControlMessage& value) {
  return {{"type", "CONNECTOR_CONFIG"},
          {"emitted_at", Number(value.emitted_at)},
          {"connectorConfig",
           {{"config", value.config.is_null() ? Json::object() : value.config}}}};
}

Json ToJson(const DestinationOperation& value) {
  Json out = {
      {"object_name", value.object_name},
      {"sync_mode", EnumJson(value.sync_mode)},
      {"json_schema", value.json_schema.is_null() ? Json::object() : value.json_schema}};
  if (value.matching_keys) out["matching_keys"] = PathsJson(*value.matching_keys);
  return out;
}

Json ToJson(const DestinationCatalog& value) {
  Json operations = Json::array();
  for (const DestinationOperation& operation : value.operations) {
    operations.push_back(ToJson(operation));
  }
  return {{"operations", std::move(operations)}};
}

Json ToJson(const Message& value) {
  Json payload = std::visit([](const auto& p) { return ToJson(p); }, value.payload());
  return {{"type", EnumJson(value.type())}, {PayloadKey(value.type()), std::move(payload)}};
}

std::string SerializeStateArray(const std::vector<StateMessage>& states) {
  std::string out = "[";
  for (const StateMessage& state : states) {
    if (out.size() > 1) out += ',';
    out += Dump(ToJson(state));
  }
  out += ']';
  return out;
}

}  // namespace airbyte::protocol
