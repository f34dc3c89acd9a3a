// Every message type and form survives parse -> serialize -> parse, through both the line
// parser and the DOM conversions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/json_convert.h"
#include "protocol/message_parser.h"
#include "protocol/serializer.h"
#include "protocol/test_messages.h"

namespace airbyte::protocol {
namespace {


class RoundTripTest : public ::testing::TestWithParam<testutil::SampleLine> {
 protected:
  Message ParseLine(const std::string& line) {
    Message message;
    EXPECT_TRUE(parser_.Parse(line, /*readable_after=*/0, message));
    if (const auto* log = std::get_if<LogMessage>(&message.payload())) {
      EXPECT_FALSE(log->from_non_protocol_line) << "not parsed as a message: " << line;
    }
    return message;
  }

  MessageParser parser_;
};

TEST_P(RoundTripTest, ParserAndSerializerKeepEveryField) {
  const std::string& line = GetParam().line;
  const Message first = ParseLine(line);
  EXPECT_EQ(ToString(first.type()), Json::parse(line)["type"].get<std::string>());

  const std::string serialized = Serialize(first);
  // Key order may differ (extras go last); compare as unordered JSON.
  EXPECT_EQ(nlohmann::json(Json::parse(serialized)), nlohmann::json(Json::parse(line))) << serialized;

  const Message second = ParseLine(serialized);
  EXPECT_EQ(Serialize(second), serialized);
  EXPECT_EQ(ToJson(second), ToJson(first));
  EXPECT_EQ(parser_.non_protocol_lines(), 0u);
}

TEST_P(RoundTripTest, DomConversionKeepsEveryField) {
  const Json wire = Json::parse(GetParam().line);
  const Message message = MessageFromJson(wire);
  EXPECT_EQ(nlohmann::json(ToJson(message)), nlohmann::json(wire));
  EXPECT_EQ(nlohmann::json(Json::parse(Serialize(message))), nlohmann::json(wire));
}

INSTANTIATE_TEST_SUITE_P(AllMessageTypes, RoundTripTest,
                         ::testing::ValuesIn(testutil::SampleProtocolLines()),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(ConfiguredCatalogRoundTripTest, KeepsEveryField) {
  const Json wire = Json::parse(testutil::SampleConfiguredCatalog());
  const ConfiguredAirbyteCatalog catalog = ConfiguredCatalogFromJson(wire);
  ASSERT_EQ(catalog.streams.size(), 2u);
  EXPECT_EQ(catalog.streams[0].sync_mode, SyncMode::kIncremental);
  EXPECT_EQ(catalog.streams[0].destination_sync_mode, DestinationSyncMode::kOverwrite);
  EXPECT_EQ(catalog.streams[0].generation_id, 2);
  EXPECT_EQ(catalog.streams[1].destination_sync_mode, DestinationSyncMode::kAppendDedup);
  EXPECT_EQ(ToJson(catalog), wire);
}

TEST(StateArrayRoundTripTest, KeepsEveryState) {
  const std::string text =
      R"([{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},)"
      R"("stream_state":{"updated_at":"x"}}},{"type":"LEGACY","data":{"a":null}}])";
  const std::vector<StateMessage> states = StateArrayFromJson(Json::parse(text));
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(Json::parse(SerializeStateArray(states)), Json::parse(text));
}

}  // namespace
}  // namespace airbyte::protocol
