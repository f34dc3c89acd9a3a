// Everything the serializer writes validates against the protocol's own JSON Schema
// (../shared/spec/airbyte_protocol.yaml).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "protocol/json_convert.h"
#include "protocol/message_parser.h"
#include "protocol/serializer.h"
#include "protocol/test_messages.h"
#include "testutil/protocol_schema.h"
#include "testutil/testutil.h"
#include "util/yaml_json.h"

namespace airbyte::protocol {
namespace {

using Json = nlohmann::json;

using testutil::ProtocolSchema;

class SchemaValidationTest : public ::testing::Test {
 protected:
  void Load(const std::filesystem::path& shared) {
    message_ = std::make_unique<ProtocolSchema>(shared, "AirbyteMessage");
    configured_catalog_ = std::make_unique<ProtocolSchema>(shared, "ConfiguredAirbyteCatalog");
  }

  std::unique_ptr<ProtocolSchema> message_;
  std::unique_ptr<ProtocolSchema> configured_catalog_;
};

TEST_F(SchemaValidationTest, EveryMessageWeSerializeValidates) {
  AIRBYTE_REQUIRE_SHARED(shared);
  Load(shared);
  MessageParser parser;
  for (const testutil::SampleLine& sample : testutil::SampleProtocolLines()) {
    SCOPED_TRACE(sample.name);
    EXPECT_EQ(message_->Errors(Json::parse(sample.line)), "") << "sample itself is invalid";
    Message message;
    ASSERT_TRUE(parser.Parse(sample.line, 0, message));
    EXPECT_EQ(message_->Errors(Json::parse(Serialize(message))), "") << Serialize(message);
    EXPECT_EQ(message_->Errors(ToJson(message)), "");
  }
  EXPECT_EQ(parser.non_protocol_lines(), 0u);
}

TEST_F(SchemaValidationTest, MessagesBuiltInCodeValidate) {
  AIRBYTE_REQUIRE_SHARED(shared);
  Load(shared);
  AirbyteStream stream{.name = "users", .supported_sync_modes = {SyncMode::kFullRefresh}};
  const std::vector<Message> messages = {
      Message(RecordMessage{.stream = "users"}),
      Message(StateMessage{}),
      Message(StateMessage{.type = StateType::kStream,
                           .stream = StreamState{.stream_descriptor = {.name = "u"}},
                           .source_stats = StateStats{.record_count = 0}}),
      Message(StateMessage{.type = StateType::kGlobal, .global = GlobalState{}}),
      Message(LogMessage{.message = "text", .from_non_protocol_line = true}),
      Message(ConnectorSpecification{}),
      Message(ConnectionStatus{.status = ConnectionStatusValue::kFailed}),
      Message(AirbyteCatalog{.streams = {stream}}),
      Message(TraceMessage{.error = ErrorTrace{.message = "boom"}}),
      Message(TraceMessage{
          .type = TraceType::kStreamStatus,
          .stream_status = StreamStatusTrace{.stream_descriptor = {.name = "u", .namespace_ = "n"},
                                             .reasons = {{.quota_reset = 5}}}}),
      Message(ControlMessage{}),
      Message(DestinationCatalog{.operations = {{.object_name = "o"}}}),
  };
  for (const Message& message : messages) {
    const std::string line = Serialize(message);
    EXPECT_EQ(message_->Errors(Json::parse(line)), "") << line;
  }
}

TEST_F(SchemaValidationTest, NonProtocolLinesBecomeValidLogMessages) {
  AIRBYTE_REQUIRE_SHARED(shared);
  Load(shared);
  MessageParser parser;
  Message message;
  ASSERT_TRUE(parser.Parse("not json \xFF at all", 0, message));
  EXPECT_EQ(message_->Errors(Json::parse(Serialize(message))), "");
}

TEST_F(SchemaValidationTest, ConfiguredCatalogWeWriteValidates) {
  AIRBYTE_REQUIRE_SHARED(shared);
  Load(shared);
  const Json sample = Json::parse(testutil::SampleConfiguredCatalog());
  EXPECT_EQ(configured_catalog_->Errors(sample), "");
  EXPECT_EQ(configured_catalog_->Errors(ToJson(ConfiguredCatalogFromJson(sample))), "");

  ConfiguredAirbyteCatalog built;
  built.streams.push_back({.stream = {.name = "users",
                                      .supported_sync_modes = {SyncMode::kIncremental},
                                      .source_defined_primary_key = {{{"id"}}}},
                           .sync_mode = SyncMode::kIncremental,
                           .destination_sync_mode = DestinationSyncMode::kOverwrite,
                           .cursor_field = {{"updated_at"}}});
  EXPECT_EQ(configured_catalog_->Errors(ToJson(built)), "");
}

// Guards the tests above: a validator that accepts everything would make them pointless.
TEST_F(SchemaValidationTest, ValidatorRejectsBrokenMessages) {
  AIRBYTE_REQUIRE_SHARED(shared);
  Load(shared);
  for (const char* broken : {
           R"({"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":"1"}})",
           R"({"type":"RECORD","record":{"stream":"s","data":[],"emitted_at":1}})",
           R"({"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1,"namespace":null}})",
           R"({"type":"NOPE"})",
           R"({"record":{}})",
           R"({"type":"STATE","state":{"type":"STREAM","stream":{"stream_state":{}}}})",
           R"({"type":"STATE","state":{"sourceStats":{"recordCount":null}}})",
           R"({"type":"TRACE","trace":{"type":"ERROR","error":{"message":"m"}}})",
           R"({"type":"CONNECTION_STATUS","connectionStatus":{"status":"OK"}})",
           R"({"type":"CATALOG","catalog":{"streams":[{"supported_sync_modes":[]}]}})",
       }) {
    EXPECT_NE(message_->Errors(Json::parse(broken)), "") << broken;
  }
  EXPECT_NE(configured_catalog_->Errors(Json::parse(
                R"({"streams":[{"stream":{"name":"s","json_schema":{},)"
                R"("supported_sync_modes":["full_refresh"]},"sync_mode":"full_refresh"}]})")),
            "");
}

}  // namespace
}  // namespace airbyte::protocol
