#pragma once

/// DOM conversions between the protocol model (message.h) and Json, both ways.
///
/// Example:
///   protocol::AirbyteCatalog catalog = protocol::CatalogFromJson(message_json["catalog"]);
///   Json wire = protocol::ToJson(configured_catalog);  // nulls omitted
///   std::string state_file = protocol::SerializeStateArray(states);  // "[]" when empty
///
/// ToJson() writes the exact protocol field names (camelCase where the protocol has them) and
/// omits absent optionals and null members; nulls inside opaque blobs (record data, state,
/// schemas, configs) are kept. Objects keep their key order (airbyte::Json is ordered).
///
/// The *FromJson() functions ignore unknown fields, except that ConnectorSpecification and
/// AirbyteStream keep them in `additional_properties` (and ToJson() writes them back). They
/// throw Error(ErrorKind::kProtocol) when a required field is missing or any field has the
/// wrong type, with the field's path in the error context ("field", e.g.
/// "catalog.streams[2].name"); `path` names the root of that path. Unknown enum values are
/// tolerated where the protocol allows it: an unknown log level reads as INFO, unknown sync
/// modes in a supported-modes list are skipped, an unknown stream-status reason type is kept
/// as sent, an unknown failure type reads as absent; other unknown enum values throw.
///
/// All functions are pure and thread-safe.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/message.h"

namespace airbyte::protocol {

/// Inverse of ToString(): the enum value with that protocol spelling ("incremental",
/// "STREAM", ...), or nullopt. Case-sensitive, as the protocol is. Defined for every enum of
/// message.h.
template <typename Enum>
std::optional<Enum> FromString(std::string_view text);

/// The envelope key holding a message type's payload ("record", "connectionStatus", ...).
std::string_view PayloadKey(MessageType type);

// ---- model -> JSON -------------------------------------------------------------------------

Json ToJson(const StreamDescriptor& value);
/// Parses `data` into a DOM; throws Error(kProtocol) (naming the stream) if it is not a JSON
/// object.
Json ToJson(const RecordMessage& value);
Json ToJson(const StateStats& value);
Json ToJson(const StreamState& value);
Json ToJson(const GlobalState& value);
Json ToJson(const StateMessage& value);
/// `from_non_protocol_line` is not a protocol field and is never written.
Json ToJson(const LogMessage& value);
Json ToJson(const ConnectorSpecification& value);
Json ToJson(const ConnectionStatus& value);
Json ToJson(const AirbyteStream& value);
Json ToJson(const AirbyteCatalog& value);
Json ToJson(const ConfiguredAirbyteStream& value);
Json ToJson(const ConfiguredAirbyteCatalog& value);
Json ToJson(const ErrorTrace& value);
Json ToJson(const EstimateTrace& value);
Json ToJson(const StreamStatusReason& value);
Json ToJson(const StreamStatusTrace& value);
Json ToJson(const AnalyticsTrace& value);
Json ToJson(const TraceMessage& value);
Json ToJson(const ControlMessage& value);
Json ToJson(const DestinationOperation& value);
Json ToJson(const DestinationCatalog& value);
/// The whole envelope: {"type": ..., "<payload key>": ...}.
Json ToJson(const Message& value);

// ---- JSON -> model -------------------------------------------------------------------------

StreamDescriptor StreamDescriptorFromJson(const Json& json,
                                          std::string_view path = "stream_descriptor");
/// `emitted_at` may be a float (truncated to integer milliseconds).
RecordMessage RecordFromJson(const Json& json, std::string_view path = "record");
StateStats StateStatsFromJson(const Json& json, std::string_view path = "sourceStats");
StreamState StreamStateFromJson(const Json& json, std::string_view path = "stream");
GlobalState GlobalStateFromJson(const Json& json, std::string_view path = "global");
/// A missing `type` means LEGACY.
StateMessage StateFromJson(const Json& json, std::string_view path = "state");
/// A `read --state` file: a JSON array of state objects (not envelopes).
std::vector<StateMessage> StateArrayFromJson(const Json& json,
                                             std::string_view path = "state");
LogMessage LogFromJson(const Json& json, std::string_view path = "log");
ConnectorSpecification SpecFromJson(const Json& json, std::string_view path = "spec");
ConnectionStatus ConnectionStatusFromJson(const Json& json,
                                          std::string_view path = "connectionStatus");
AirbyteStream StreamFromJson(const Json& json, std::string_view path = "stream");
AirbyteCatalog CatalogFromJson(const Json& json, std::string_view path = "catalog");
ConfiguredAirbyteStream ConfiguredStreamFromJson(const Json& json,
                                                 std::string_view path = "stream");
ConfiguredAirbyteCatalog ConfiguredCatalogFromJson(const Json& json,
                                                   std::string_view path = "catalog");
ErrorTrace ErrorTraceFromJson(const Json& json, std::string_view path = "error");
EstimateTrace EstimateTraceFromJson(const Json& json, std::string_view path = "estimate");
StreamStatusTrace StreamStatusTraceFromJson(const Json& json,
                                            std::string_view path = "stream_status");
AnalyticsTrace AnalyticsTraceFromJson(const Json& json,
                                      std::string_view path = "analytics");
/// `emitted_at` may be an integer or a float. The sub-trace matching `type` is required.
TraceMessage TraceFromJson(const Json& json, std::string_view path = "trace");
/// `type` must be CONNECTOR_CONFIG; `connectorConfig.config` is required.
ControlMessage ControlFromJson(const Json& json, std::string_view path = "control");
DestinationCatalog DestinationCatalogFromJson(const Json& json,
                                              std::string_view path = "destination_catalog");
/// A whole envelope. Throws Error(kProtocol) for a missing or unknown `type` and for a
/// missing or null payload; paths start at the payload key ("record.stream").
Message MessageFromJson(const Json& json);

/// The text of a `read --state` file: a compact JSON array of state objects (not envelopes);
/// "[]" when empty.
std::string SerializeStateArray(const std::vector<StateMessage>& states);

}  // namespace airbyte::protocol
