// JSON -> model for messages (json_convert.h); specs and catalogs are in json_from_catalog.cc.
#include <utility>

#include "protocol/json_convert.h"
#include "protocol/json_reader.h"

namespace airbyte::protocol {
namespace internal {
namespace {

StreamDescriptor DescriptorAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  StreamDescriptor out;
  out.name = String(Require(json, "name", path.Field("name")), path.Field("name"));
  out.namespace_ = OptString(json, "namespace", path);
  return out;
}

RecordMessage RecordAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  RecordMessage out;
  out.stream = String(Require(json, "stream", path.Field("stream")), path.Field("stream"));
  out.namespace_ = OptString(json, "namespace", path);
  out.data =
      RequireObjectMember(json, "data", path).dump(-1, ' ', false, Json::error_handler_t::replace);
  out.emitted_at =
      Int64(Require(json, "emitted_at", path.Field("emitted_at")), path.Field("emitted_at"));
  out.meta = OptObjectBlob(json, "meta", path);
  out.file_reference = OptObjectBlob(json, "file_reference", path);
  return out;
}

StateStats StatsAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  return StateStats{.record_count = OptDouble(json, "recordCount", path),
                    .rejected_record_count = OptDouble(json, "rejectedRecordCount", path)};
}

StreamState StreamStateAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  StreamState out;
  const Path descriptor = path.Field("stream_descriptor");
  out.stream_descriptor = DescriptorAt(Require(json, "stream_descriptor", descriptor), descriptor);
  // Opaque to everyone but the source; kept whatever its JSON type.
  if (const Json* blob = Find(json, "stream_state")) out.stream_state = *blob;
  return out;
}

GlobalState GlobalStateAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  GlobalState out;
  if (const Json* blob = Find(json, "shared_state")) out.shared_state = *blob;
  out.stream_states = RequiredList(json, "stream_states", path, StreamStateAt);
  return out;
}

StateMessage StateAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  StateMessage out;
  if (const Json* type = Find(json, "type"))
    out.type = RequiredEnum<StateType>(*type, path.Field("type"));
  if (const Json* stream = Find(json, "stream")) {
    out.stream = StreamStateAt(*stream, path.Field("stream"));
  }
  if (const Json* global = Find(json, "global")) {
    out.global = GlobalStateAt(*global, path.Field("global"));
  }
  if (const Json* data = Find(json, "data")) out.data = *data;
  if (const Json* stats = Find(json, "sourceStats")) {
    out.source_stats = StatsAt(*stats, path.Field("sourceStats"));
  }
  if (const Json* stats = Find(json, "destinationStats")) {
    out.destination_stats = StatsAt(*stats, path.Field("destinationStats"));
  }
  return out;
}

LogMessage LogAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  LogMessage out;
  const Path level = path.Field("level");
  // Unknown levels (a newer protocol, "WARNING" from a sloppy connector) read as INFO.
  out.level =
      FromString<LogLevel>(String(Require(json, "level", level), level)).value_or(LogLevel::kInfo);
  out.message = String(Require(json, "message", path.Field("message")), path.Field("message"));
  out.stack_trace = OptString(json, "stack_trace", path);
  return out;
}

ConnectionStatus ConnectionStatusAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  ConnectionStatus out;
  out.status = RequiredEnum<ConnectionStatusValue>(Require(json, "status", path.Field("status")),
                                                   path.Field("status"));
  out.message = OptString(json, "message", path);
  return out;
}

ErrorTrace ErrorTraceAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  ErrorTrace out;
  out.message = String(Require(json, "message", path.Field("message")), path.Field("message"));
  out.internal_message = OptString(json, "internal_message", path);
  out.stack_trace = OptString(json, "stack_trace", path);
  if (const Json* type = Find(json, "failure_type")) {
    // Unknown failure types read as absent: the error itself still counts.
    out.failure_type = FromString<FailureType>(String(*type, path.Field("failure_type")));
  }
  if (const Json* descriptor = Find(json, "stream_descriptor")) {
    out.stream_descriptor = DescriptorAt(*descriptor, path.Field("stream_descriptor"));
  }
  return out;
}

EstimateTrace EstimateTraceAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  EstimateTrace out;
  out.name = String(Require(json, "name", path.Field("name")), path.Field("name"));
  out.type =
      RequiredEnum<EstimateType>(Require(json, "type", path.Field("type")), path.Field("type"));
  out.namespace_ = OptString(json, "namespace", path);
  out.row_estimate = OptInt64(json, "row_estimate", path);
  out.byte_estimate = OptInt64(json, "byte_estimate", path);
  return out;
}

StreamStatusTrace StreamStatusTraceAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  StreamStatusTrace out;
  const Path descriptor = path.Field("stream_descriptor");
  out.stream_descriptor = DescriptorAt(Require(json, "stream_descriptor", descriptor), descriptor);
  out.status = RequiredEnum<StreamStatus>(Require(json, "status", path.Field("status")),
                                          path.Field("status"));
  if (const Json* reasons = Find(json, "reasons")) {
    const Path reasons_path = path.Field("reasons");
    for (std::size_t i = 0; i < Array(*reasons, reasons_path).size(); ++i) {
      const Path element = reasons_path.Element(i);
      const Json& reason = ExpectObject((*reasons)[i], element);
      StreamStatusReason parsed;
      parsed.type = String(Require(reason, "type", element.Field("type")), element.Field("type"));
      if (const Json* limited = Find(reason, "rate_limited")) {
        parsed.quota_reset = OptInt64(ExpectObject(*limited, element.Field("rate_limited")),
                                      "quota_reset", element.Field("rate_limited"));
      }
      out.reasons.push_back(std::move(parsed));
    }
  }
  return out;
}

AnalyticsTrace AnalyticsTraceAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  AnalyticsTrace out;
  out.type = String(Require(json, "type", path.Field("type")), path.Field("type"));
  out.value = OptString(json, "value", path);
  return out;
}

TraceMessage TraceAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  TraceMessage out;
  out.type = RequiredEnum<TraceType>(Require(json, "type", path.Field("type")), path.Field("type"));
  out.emitted_at =
      Double(Require(json, "emitted_at", path.Field("emitted_at")), path.Field("emitted_at"));
  // The sub-trace matching `type` is required (a TRACE ERROR without `error` says nothing);
  // the others are read when present.
  auto sub = [&](std::string_view key, TraceType type, auto read, auto& field) {
    const Path sub_path = path.Field(key);
    if (const Json* member = Find(json, key)) {
      field = read(*member, sub_path);
    } else if (out.type == type) {
      ThrowMissing(sub_path);
    }
  };
  sub("error", TraceType::kError, ErrorTraceAt, out.error);
  sub("estimate", TraceType::kEstimate, EstimateTraceAt, out.estimate);
  sub("stream_status", TraceType::kStreamStatus, StreamStatusTraceAt, out.stream_status);
  sub("analytics", TraceType::kAnalytics, AnalyticsTraceAt, out.analytics);
  return out;
}

ControlMessage ControlAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  const Path type = path.Field("type");
  const std::string type_text = String(Require(json, "type", type), type);
  if (type_text != "CONNECTOR_CONFIG") ThrowUnknownValue(type, type_text);
  ControlMessage out;
  out.emitted_at =
      Double(Require(json, "emitted_at", path.Field("emitted_at")), path.Field("emitted_at"));
  const Path connector_config = path.Field("connectorConfig");
  out.config = RequireObjectMember(RequireObjectMember(json, "connectorConfig", path), "config",
                                   connector_config);
  return out;
}

// The envelope. Payload paths start at the payload key ("record.stream").
Message MessageAt(const Json& json) {
  const Path root;
  ExpectObject(json, Root("message"));
  const Path type_path = root.Field("type");
  const std::string type_text = String(Require(json, "type", type_path), type_path);
  const std::optional<MessageType> type = FromString<MessageType>(type_text);
  if (!type) ThrowUnknownValue(type_path, type_text);

  const std::string_view key = PayloadKey(*type);
  const Path payload_path = root.Field(key);
  const Json& payload = Require(json, key, payload_path);
  switch (*type) {
    case MessageType::kRecord:
      return Message(RecordAt(payload, payload_path));
    case MessageType::kState:
      return Message(StateAt(payload, payload_path));
    case MessageType::kLog:
      return Message(LogAt(payload, payload_path));
    case MessageType::kSpec:
      return Message(SpecFromJson(payload, key));  // same path: the key is the root
    case MessageType::kConnectionStatus:
      return Message(ConnectionStatusAt(payload, payload_path));
    case MessageType::kCatalog:
      return Message(CatalogFromJson(payload, key));
    case MessageType::kTrace:
      return Message(TraceAt(payload, payload_path));
    case MessageType::kControl:
      return Message(ControlAt(payload, payload_path));
    case MessageType::kDestinationCatalog:
      return Message(DestinationCatalogFromJson(payload, key));
  }
  ThrowUnknownValue(type_path, type_text);
}

}  // namespace
}  // namespace internal


StreamDescriptor StreamDescriptorFromJson(const Json& json, std::string_view path) {
  return internal::DescriptorAt(json, internal::Root(path));
}
RecordMessage RecordFromJson(const Json& json, std::string_view path) {
  return internal::RecordAt(json, internal::Root(path));
}
StateStats StateStatsFromJson(const Json& json, std::string_view path) {
  return internal::StatsAt(json, internal::Root(path));
}
StreamState StreamStateFromJson(const Json& json, std::string_view path) {
  return internal::StreamStateAt(json, internal::Root(path));
}
GlobalState GlobalStateFromJson(const Json& json, std::string_view path) {
  return internal::GlobalStateAt(json, internal::Root(path));
}
StateMessage StateFromJson(const Json& json, std::string_view path) {
  return internal::StateAt(json, internal::Root(path));
}
std::vector<StateMessage> StateArrayFromJson(const Json& json, std::string_view path) {
  const internal::Path root = internal::Root(path);
  std::vector<StateMessage> out;
  for (std::size_t i = 0; i < internal::Array(json, root).size(); ++i) {
    out.push_back(internal::StateAt(json[i], root.Element(i)));
  }
  return out;
}
LogMessage LogFromJson(const Json& json, std::string_view path) {
  return internal::LogAt(json, internal::Root(path));
}
ConnectionStatus ConnectionStatusFromJson(const Json& json, std::string_view path) {
  return internal::ConnectionStatusAt(json, internal::Root(path));
}
ErrorTrace ErrorTraceFromJson(const Json& json, std::string_view path) {
  return internal::ErrorTraceAt(json, internal::Root(path));
}
EstimateTrace EstimateTraceFromJson(const Json& json, std::string_view path) {
  return internal::EstimateTraceAt(json, internal::Root(path));
}
StreamStatusTrace StreamStatusTraceFromJson(const Json& json, std::string_view path) {
  return internal::StreamStatusTraceAt(json, internal::Root(path));
}
AnalyticsTrace AnalyticsTraceFromJson(const Json& json, std::string_view path) {
  return internal::AnalyticsTraceAt(json, internal::Root(path));
}
TraceMessage TraceFromJson(const Json& json, std::string_view path) {
  return internal::TraceAt(json, internal::Root(path));
}
ControlMessage ControlFromJson(const Json& json, std::string_view path) {
  return internal::ControlAt(json, internal::Root(path));
}

Message MessageFromJson(const Json& json) { return internal::MessageAt(json); }

}  // namespace airbyte::protocol
