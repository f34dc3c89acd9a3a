#pragma once

/// The Airbyte protocol message model (docs/protocol.md, spec/airbyte_protocol.yaml).
///
/// Plain values: every struct is copyable and movable. Opaque blobs (record metadata, state,
/// JSON schemas, configs) are Json; an absent optional field is std::nullopt or a
/// null json. Record data stays raw JSON text (`RecordMessage::data`) so the hot path never
/// builds a DOM; call `RecordDataJson()` when a DOM is wanted.
///
/// Example:
///   protocol::MessageParser parser;
///   protocol::Message message;
///   if (parser.Parse(line, padding, message) && message.type() == MessageType::kRecord) {
///     const protocol::RecordMessage& record = message.record();
///   }
///   std::string line = protocol::Serialize(message);  // one line, nulls omitted

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"

namespace airbyte::protocol {

enum class MessageType {
  kRecord,
  kState,
  kLog,
  kSpec,
  kConnectionStatus,
  kCatalog,
  kTrace,
  kControl,
  kDestinationCatalog,
};

enum class SyncMode { kFullRefresh, kIncremental };
enum class DestinationSyncMode { kAppend, kOverwrite, kAppendDedup, kUpdate, kSoftDelete };
enum class StateType { kStream, kGlobal, kLegacy };
enum class LogLevel { kFatal, kError, kWarn, kInfo, kDebug, kTrace };
enum class ConnectionStatusValue { kSucceeded, kFailed };
enum class TraceType { kError, kEstimate, kStreamStatus, kAnalytics };
enum class FailureType { kSystemError, kConfigError, kTransientError };
enum class EstimateType { kStream, kSync };
enum class StreamStatus { kStarted, kRunning, kComplete, kIncomplete };

/// A field path such as ["metadata", "updated_at"].
using FieldPath = std::vector<std::string>;

/// Identity of a stream: (name, namespace). A missing and a null namespace are the same.
struct StreamDescriptor {
  std::string name = {};
  std::optional<std::string> namespace_ = {};

  friend bool operator==(const StreamDescriptor&, const StreamDescriptor&) = default;
};

/// Nested JSON (an object or array) as text, inside a TypedRecord.
struct RawJson {
  std::string text = {};
};

/// One value of a TypedRecord: null, boolean, integer, number, string, or nested JSON text.
using FieldValue = std::variant<std::monostate, bool, std::int64_t, double, std::string, RawJson>;

/// A record's data as typed values, as in-process (native) connectors produce it: no JSON text
/// is written or parsed on the hot path. `fields` names the values in order and is shared by
/// all records of a stream. Serializing the record writes the object {field: value, ...}.
struct TypedRecord {
  std::shared_ptr<const std::vector<std::string>> fields = {};
  std::vector<FieldValue> values = {};
};

struct RecordMessage {
  std::string stream = {};
  std::optional<std::string> namespace_ = {};
  /// The record's `data` object as raw JSON text, exactly as the connector sent it. Empty
  /// when a RecordDataSink took it while parsing (data_taken_bytes).
  std::string data = "{}";
  /// Non-zero when the parser's RecordDataSink took `data`: the size of its JSON text.
  std::size_t data_taken_bytes = 0;
  /// Epoch milliseconds.
  std::int64_t emitted_at = 0;
  /// `meta` (`{"changes": [...]}`); null when absent.
  Json meta = {};
  /// When set, the record's data is these values and `data` is ignored.
  std::optional<TypedRecord> typed = std::nullopt;
  /// `file_reference`; null when absent.
  Json file_reference = {};
};

/// Parses `record.data` (or renders `record.typed`) into a DOM. Throws Error(kProtocol) if it is not valid JSON.
Json RecordDataJson(const RecordMessage& record);

struct StateStats {
  std::optional<double> record_count = {};
  std::optional<double> rejected_record_count = {};
};

struct StreamState {
  StreamDescriptor stream_descriptor = {};
  /// The opaque per-stream blob; null when absent (the stream is reset).
  Json stream_state = {};
};

struct GlobalState {
  /// Opaque blob shared by all streams; null when absent.
  Json shared_state = {};
  std::vector<StreamState> stream_states = {};
};

struct StateMessage {
  /// Absent `type` on the wire means LEGACY.
  StateType type = StateType::kLegacy;
  std::optional<StreamState> stream = {};
  std::optional<GlobalState> global = {};
  /// LEGACY blob (`data`); null when absent.
  Json data = {};
  std::optional<StateStats> source_stats = {};
  std::optional<StateStats> destination_stats = {};
};

struct LogMessage {
  LogLevel level = LogLevel::kInfo;
  std::string message = {};
  std::optional<std::string> stack_trace = {};
  /// Not a protocol field: true when the parser made this message from a stdout line that was
  /// not an Airbyte message (plain text, broken JSON, unknown message type). Never serialized.
  bool from_non_protocol_line = false;
};

struct ConnectorSpecification {
  /// JSON Schema (draft-07) of the connector config; required.
  Json connection_specification = Json::object();
  std::optional<std::string> documentation_url = {};
  std::optional<std::string> changelog_url = {};
  std::optional<bool> supports_incremental = {};
  std::optional<bool> supports_normalization = {};
  std::optional<bool> supports_dbt = {};
  std::optional<std::vector<DestinationSyncMode>> supported_destination_sync_modes = {};
  /// Deprecated `authSpecification`; null when absent.
  Json auth_specification = {};
  /// `advanced_auth`; null when absent.
  Json advanced_auth = {};
  std::optional<std::string> protocol_version = {};
  /// Keys this model does not name (`$schema`, `supportsNamespaces`, ...), kept for round trips.
  Json additional_properties = Json::object();
};

struct ConnectionStatus {
  ConnectionStatusValue status = ConnectionStatusValue::kSucceeded;
  std::optional<std::string> message = {};
};

struct AirbyteStream {
  std::string name = {};
  Json json_schema = Json::object();
  std::vector<SyncMode> supported_sync_modes = {};
  std::optional<bool> source_defined_cursor = {};
  std::optional<FieldPath> default_cursor_field = {};
  std::optional<std::vector<FieldPath>> source_defined_primary_key = {};
  std::optional<std::string> namespace_ = {};
  std::optional<bool> is_resumable = {};
  std::optional<bool> is_file_based = {};
  /// Keys this model does not name, kept for round trips.
  Json additional_properties = Json::object();
};

struct AirbyteCatalog {
  std::vector<AirbyteStream> streams = {};
};

struct ConfiguredAirbyteStream {
  AirbyteStream stream = {};
  SyncMode sync_mode = SyncMode::kFullRefresh;
  DestinationSyncMode destination_sync_mode = DestinationSyncMode::kAppend;
  std::optional<FieldPath> cursor_field = {};
  std::optional<std::vector<FieldPath>> primary_key = {};
  std::optional<std::int64_t> generation_id = {};
  std::optional<std::int64_t> minimum_generation_id = {};
  std::optional<std::int64_t> sync_id = {};
  std::optional<std::string> destination_object_name = {};
  std::optional<bool> include_files = {};
};

struct ConfiguredAirbyteCatalog {
  std::vector<ConfiguredAirbyteStream> streams = {};
};

struct ErrorTrace {
  std::string message = {};
  std::optional<std::string> internal_message = {};
  std::optional<std::string> stack_trace = {};
  std::optional<FailureType> failure_type = {};
  std::optional<StreamDescriptor> stream_descriptor = {};
};

struct EstimateTrace {
  std::string name = {};
  EstimateType type = EstimateType::kStream;
  std::optional<std::string> namespace_ = {};
  std::optional<std::int64_t> row_estimate = {};
  std::optional<std::int64_t> byte_estimate = {};
};

struct StreamStatusReason {
  /// Only "RATE_LIMITED" is defined today; other values are kept as sent.
  std::string type = "RATE_LIMITED";
  /// `rate_limited.quota_reset` (epoch ms); absent when not sent.
  std::optional<std::int64_t> quota_reset = {};
};

struct StreamStatusTrace {
  StreamDescriptor stream_descriptor = {};
  StreamStatus status = StreamStatus::kStarted;
  std::vector<StreamStatusReason> reasons = {};
};

struct AnalyticsTrace {
  std::string type = {};
  std::optional<std::string> value = {};
};

struct TraceMessage {
  TraceType type = TraceType::kError;
  /// Epoch milliseconds; a JSON number (connectors send both 1.7e12 and integers).
  double emitted_at = 0;
  std::optional<ErrorTrace> error = {};
  std::optional<EstimateTrace> estimate = {};
  std::optional<StreamStatusTrace> stream_status = {};
  std::optional<AnalyticsTrace> analytics = {};
};

struct ControlMessage {
  /// `type` is always CONNECTOR_CONFIG, the only value the protocol defines.
  double emitted_at = 0;
  /// `connectorConfig.config`: the connector's updated config.
  Json config = Json::object();
};

struct DestinationOperation {
  std::string object_name = {};
  DestinationSyncMode sync_mode = DestinationSyncMode::kAppend;
  Json json_schema = Json::object();
  std::optional<std::vector<FieldPath>> matching_keys = {};
};

struct DestinationCatalog {
  std::vector<DestinationOperation> operations = {};
};

/// One AirbyteMessage envelope: exactly one payload, matching its type.
class Message {
 public:
  using Payload = std::variant<RecordMessage, StateMessage, LogMessage, ConnectorSpecification,
                               ConnectionStatus, AirbyteCatalog, TraceMessage, ControlMessage,
                               DestinationCatalog>;

  Message() = default;
  // Forwarding, not by value: a RecordMessage is a few hundred bytes, and the hot path builds
  // one Message per record.
  template <typename T>
    requires(!std::is_same_v<std::remove_cvref_t<T>, Message>)
  explicit Message(T&& payload) : payload_(std::forward<T>(payload)) {}

  MessageType type() const { return static_cast<MessageType>(payload_.index()); }

  // Accessors; calling one that does not match type() is a bug (std::bad_variant_access).
  const RecordMessage& record() const { return std::get<RecordMessage>(payload_); }
  RecordMessage& record() { return std::get<RecordMessage>(payload_); }
  const StateMessage& state() const { return std::get<StateMessage>(payload_); }
  const LogMessage& log() const { return std::get<LogMessage>(payload_); }
  const ConnectorSpecification& spec() const { return std::get<ConnectorSpecification>(payload_); }
  const ConnectionStatus& connection_status() const {
    return std::get<ConnectionStatus>(payload_);
  }
  const AirbyteCatalog& catalog() const { return std::get<AirbyteCatalog>(payload_); }
  const TraceMessage& trace() const { return std::get<TraceMessage>(payload_); }
  const ControlMessage& control() const { return std::get<ControlMessage>(payload_); }
  const DestinationCatalog& destination_catalog() const {
    return std::get<DestinationCatalog>(payload_);
  }

  Payload& payload() { return payload_; }
  const Payload& payload() const { return payload_; }

 private:
  // Alternatives are in MessageType order, so index() is the type.
  Payload payload_;
};

/// Protocol spelling of enum values ("RECORD", "full_refresh", "STREAM", ...).
std::string_view ToString(MessageType value);
std::string_view ToString(SyncMode value);
std::string_view ToString(DestinationSyncMode value);
std::string_view ToString(StateType value);
std::string_view ToString(LogLevel value);
std::string_view ToString(ConnectionStatusValue value);
std::string_view ToString(TraceType value);
std::string_view ToString(FailureType value);
std::string_view ToString(EstimateType value);
std::string_view ToString(StreamStatus value);

}  // namespace airbyte::protocol
