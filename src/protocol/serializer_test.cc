#include "protocol/serializer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <memory>

#include "protocol/json_convert.h"

namespace airbyte::protocol {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(SerializeTest, RecordPutsTypeFirstAndSplicesDataVerbatim) {
  RecordMessage record{.stream = "users",
                       .data = R"({"id":1,"b":null,"a":[1.50,"x"]})",
                       .emitted_at = 1735689600002};
  EXPECT_EQ(Serialize(Message(record)),
            R"({"type":"RECORD","record":{"stream":"users","data":{"id":1,"b":null,)"
            R"("a":[1.50,"x"]},"emitted_at":1735689600002}})");
}

TEST(SerializeTest, RecordWritesOptionalFieldsOnlyWhenPresent) {
  RecordMessage record{.stream = "users",
                       .namespace_ = "public",
                       .data = R"({"id":1})",
                       .emitted_at = -5,
                       .meta = {{"changes", Json::array()}}};
  EXPECT_EQ(Serialize(Message(record)),
            R"({"type":"RECORD","record":{"stream":"users","data":{"id":1},"emitted_at":-5,)"
            R"("namespace":"public","meta":{"changes":[]}}})");
}

TEST(SerializeTest, RecordWithEmptyDataWritesEmptyObject) {
  RecordMessage record{.stream = "s", .data = ""};
  EXPECT_EQ(Serialize(Message(record)),
            R"({"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":0}})");
}

TEST(SerializeTest, RecordDataLineBreaksBecomeSpacesSoTheMessageStaysOneLine) {
  RecordMessage record{.stream = "s", .data = "{\n  \"a\": \"x\"\r\n}"};
  const std::string line = Serialize(Message(record));
  EXPECT_THAT(line, Not(HasSubstr("\n")));
  EXPECT_THAT(line, Not(HasSubstr("\r")));
  EXPECT_EQ(Json::parse(line)["record"]["data"], Json({{"a", "x"}}));
}

TEST(SerializeTest, EscapesOddStreamNames) {
  RecordMessage record{.stream = "we\"ird\\na\nme\t\x01\x1f/\x7f",
                       .namespace_ = "sch\xC3\xA9ma \xF0\x9F\x98\x80",
                       .data = "{}"};
  const std::string line = Serialize(Message(record));
  EXPECT_THAT(line, HasSubstr(R"("stream":"we\"ird\\na\nme\t\u0001\u001f/)"
                              "\x7f\""));
  EXPECT_THAT(line, HasSubstr("\"namespace\":\"sch\xC3\xA9ma \xF0\x9F\x98\x80\""));
  const Json parsed = Json::parse(line);
  EXPECT_EQ(parsed["record"]["stream"], record.stream);
  EXPECT_EQ(parsed["record"]["namespace"], *record.namespace_);
}

TEST(SerializeTest, ReplacesInvalidUtf8InStreamNames) {
  RecordMessage record{.stream =
                           "a\xFF"
                           "b\xE2\x82",
                       .data = "{}"};
  const std::string line = Serialize(Message(record));
  EXPECT_EQ(Json::parse(line)["record"]["stream"],
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
}

TEST(SerializeTest, ConnectionStatusOmitsAbsentMessage) {
  EXPECT_EQ(Serialize(Message(ConnectionStatus{})),
            R"({"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}})");
  EXPECT_EQ(Serialize(Message(
                ConnectionStatus{.status = ConnectionStatusValue::kFailed, .message = "bad"})),
            R"({"type":"CONNECTION_STATUS","connectionStatus":{"status":"FAILED",)"
            R"("message":"bad"}})");
}

TEST(SerializeTest, LogOmitsStackTraceAndNonProtocolMarker) {
  LogMessage log{.level = LogLevel::kWarn, .message = "a\nb", .from_non_protocol_line = true};
  EXPECT_EQ(Serialize(Message(log)), R"({"type":"LOG","log":{"level":"WARN","message":"a\nb"}})");
}

TEST(SerializeTest, StateOmitsNullBlobAndWritesCountsWithDecimalPoint) {
  StateMessage state{.type = StateType::kStream,
                     .stream = StreamState{.stream_descriptor = {.name = "users"}},
                     .source_stats = StateStats{.record_count = 100}};
  EXPECT_EQ(Serialize(Message(state)),
            R"({"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":)"
            R"({"name":"users"}},"sourceStats":{"recordCount":100.0}}})");
}

TEST(SerializeTest, StateKeepsNullsInsideBlobs) {
  StateMessage state{.type = StateType::kGlobal,
                     .global = GlobalState{.shared_state = {{"lsn", nullptr}},
                                           .stream_states = {{.stream_descriptor = {.name = "t"},
                                                              .stream_state = {{"pk", nullptr}}}}}};
  const std::string line = Serialize(Message(state));
  EXPECT_THAT(line, HasSubstr(R"("shared_state":{"lsn":null})"));
  EXPECT_THAT(line, HasSubstr(R"("stream_state":{"pk":null})"));
}

TEST(SerializeTest, TraceWritesEmittedAtAsNumberWithDecimalPoint) {
  TraceMessage trace{.type = TraceType::kStreamStatus,
                     .emitted_at = 1735689600000,
                     .stream_status = StreamStatusTrace{.stream_descriptor = {.name = "users"},
                                                        .status = StreamStatus::kComplete}};
  EXPECT_EQ(Serialize(Message(trace)),
            R"({"type":"TRACE","trace":{"type":"STREAM_STATUS","emitted_at":1735689600000.0,)"
            R"("stream_status":{"stream_descriptor":{"name":"users"},"status":"COMPLETE"}}})");
}

TEST(SerializeTest, ControlWritesConnectorConfig) {
  ControlMessage control{.emitted_at = 5, .config = {{"token", "t"}}};
  EXPECT_EQ(Serialize(Message(control)),
            R"({"type":"CONTROL","control":{"type":"CONNECTOR_CONFIG","emitted_at":5.0,)"
            R"("connectorConfig":{"config":{"token":"t"}}}})");
}

TEST(SerializeTest, SpecWritesExtrasAndOmitsNulls) {
  ConnectorSpecification spec;
  spec.connection_specification = {{"type", "object"}};
  spec.supports_dbt = false;
  spec.additional_properties = {{"supportsNamespaces", true}, {"dropped", nullptr}};
  EXPECT_EQ(Serialize(Message(spec)),
            R"({"type":"SPEC","spec":{"connectionSpecification":{"type":"object"},)"
            R"("supportsDBT":false,"supportsNamespaces":true}})");
}

TEST(SerializeTest, AppendSerializedAppendsWithoutNewline) {
  std::string out = "prefix:";
  AppendSerialized(Message(ConnectionStatus{}), out);
  EXPECT_EQ(out,
            R"(prefix:{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}})");
}

TEST(ToJsonTest, ConfiguredStreamOmitsAbsentOptionals) {
  ConfiguredAirbyteStream stream;
  stream.stream.name = "users";
  stream.stream.supported_sync_modes = {SyncMode::kFullRefresh};
  EXPECT_EQ(ToJson(stream), Json::parse(R"({"stream":{"name":"users","json_schema":{},)"
                                        R"("supported_sync_modes":["full_refresh"]},)"
                                        R"("sync_mode":"full_refresh",)"
                                        R"("destination_sync_mode":"append"})"));
}

TEST(ToJsonTest, StreamNamedFieldsWinOverSameNamedExtras) {
  AirbyteStream stream{.name = "real", .additional_properties = {{"name", "extra"}, {"x", 1}}};
  const Json json = ToJson(stream);
  EXPECT_EQ(json["name"], "real");
  EXPECT_EQ(json["x"], 1);
}

TEST(SerializeStateArrayTest, EmptyIsEmptyArray) { EXPECT_EQ(SerializeStateArray({}), "[]"); }

TEST(SerializeStateArrayTest, WritesBareStateObjectsCompactly) {
  std::vector<StateMessage> states = {
      {.type = StateType::kStream,
       .stream = StreamState{.stream_descriptor = {.name = "a"}, .stream_state = {{"c", 1}}}},
      {.type = StateType::kLegacy, .data = {{"x", nullptr}}}};
  EXPECT_EQ(SerializeStateArray(states),
            R"([{"type":"STREAM","stream":{"stream_descriptor":{"name":"a"},"stream_state":)"
            R"({"c":1}}},{"type":"LEGACY","data":{"x":null}}])");
}

}  // namespace
}  // namespace airbyte::protocol

namespace airbyte::protocol {
namespace {

TEST(SerializeTest, TypedRecordWritesFieldsInOrderWithoutAJsonDom) {
  RecordMessage record{.stream = "users", .emitted_at = 7};
  record.typed = TypedRecord{
      .fields = std::make_shared<const std::vector<std::string>>(
          std::vector<std::string>{"id", "name", "height", "weight", "ok", "gone", "address"}),
      .values = {std::int64_t{1}, std::string("Ann \"A\""), 1.62, 70.0, true, std::monostate{},
                 RawJson{R"({"city":"Paris"})"}}};
  EXPECT_EQ(Serialize(Message(record)),
            R"({"type":"RECORD","record":{"stream":"users","data":{"id":1,"name":"Ann \"A\"",)"
            R"("height":1.62,"weight":70.0,"ok":true,"gone":null,"address":{"city":"Paris"}},)"
            R"("emitted_at":7}})");
  const Json data = RecordDataJson(record);
  EXPECT_EQ(data["name"], "Ann \"A\"");
  EXPECT_EQ(data.begin().key(), "id");  // property order kept
}

TEST(SerializeTest, TypedRecordWritesNonFiniteNumbersAsNull) {
  RecordMessage record{.stream = "s"};
  record.typed = TypedRecord{.fields = std::make_shared<const std::vector<std::string>>(
                                 std::vector<std::string>{"x"}),
                             .values = {std::numeric_limits<double>::infinity()}};
  EXPECT_EQ(Serialize(Message(record)),
            R"({"type":"RECORD","record":{"stream":"s","data":{"x":null},"emitted_at":0}})");
}

}  // namespace
}  // namespace airbyte::protocol
