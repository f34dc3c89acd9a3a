#include "protocol/json_convert.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testutil/testutil.h"

namespace airbyte::protocol {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::ThrowsError;

// The "field" context of the Error(kProtocol) that `convert` throws.
template <typename Fn>
std::string FieldOfError(Fn convert) {
  try {
    convert();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kProtocol) << e.Render();
    return e.ContextValue("field");
  }
  ADD_FAILURE() << "did not throw";
  return "";
}

TEST(FromStringTest, InvertsToString) {
  EXPECT_EQ(FromString<SyncMode>("incremental"), SyncMode::kIncremental);
  EXPECT_EQ(FromString<DestinationSyncMode>("soft_delete"), DestinationSyncMode::kSoftDelete);
  EXPECT_EQ(FromString<MessageType>("DESTINATION_CATALOG"), MessageType::kDestinationCatalog);
  EXPECT_EQ(FromString<LogLevel>("info"), std::nullopt);  // the protocol is case-sensitive
  EXPECT_EQ(FromString<SyncMode>(""), std::nullopt);
}

TEST(CatalogFromJsonTest, MissingRequiredFieldNamesItsPath) {
  const Json catalog = Json::parse(R"({"streams":[
      {"name":"a","json_schema":{},"supported_sync_modes":["full_refresh"]},
      {"name":"b","json_schema":{},"supported_sync_modes":["full_refresh"]},
      {"json_schema":{},"supported_sync_modes":["full_refresh"]}]})");
  EXPECT_EQ(FieldOfError([&] { CatalogFromJson(catalog); }), "catalog.streams[2].name");
  EXPECT_THAT([&] { CatalogFromJson(catalog); },
              ThrowsError(ErrorKind::kProtocol, HasSubstr("catalog.streams[2].name")));
}

TEST(CatalogFromJsonTest, WrongTypeNamesPathAndExpectedType) {
  const Json catalog = Json::parse(
      R"({"streams":[{"name":"a","json_schema":"{}","supported_sync_modes":["full_refresh"]}]})");
  EXPECT_THAT([&] { CatalogFromJson(catalog); },
              ThrowsError(ErrorKind::kProtocol, HasSubstr("catalog.streams[0].json_schema")));
  EXPECT_EQ(FieldOfError([] { CatalogFromJson(Json::array()); }), "catalog");
  EXPECT_EQ(FieldOfError([] { CatalogFromJson(Json::object()); }), "catalog.streams");
}

TEST(CatalogFromJsonTest, PathRootCanBeNamedByCaller) {
  EXPECT_EQ(FieldOfError([] { CatalogFromJson(Json::object(), "discovered"); }),
            "discovered.streams");
}

TEST(StreamFromJsonTest, SkipsUnknownSyncModesAndKeepsUnknownKeys) {
  const AirbyteStream stream = StreamFromJson(Json::parse(
      R"({"name":"a","json_schema":{},"supported_sync_modes":["full_refresh","cdc","incremental"],
          "namespace":null,"x-hint":{"k":1},"dropped":null})"));
  EXPECT_THAT(stream.supported_sync_modes,
              ElementsAre(SyncMode::kFullRefresh, SyncMode::kIncremental));
  EXPECT_EQ(stream.namespace_, std::nullopt);
  EXPECT_EQ(stream.additional_properties, Json::parse(R"({"x-hint":{"k":1}})"));
}

TEST(StreamFromJsonTest, PrimaryKeyMustBeListOfPaths) {
  const Json stream = Json::parse(
      R"({"name":"a","json_schema":{},"supported_sync_modes":[],"source_defined_primary_key":["id"]})");
  EXPECT_EQ(FieldOfError([&] { StreamFromJson(stream); }), "stream.source_defined_primary_key[0]");
}

TEST(ConfiguredCatalogFromJsonTest, UnknownRequiredEnumThrowsWithValue) {
  const Json catalog = Json::parse(R"({"streams":[{"stream":{"name":"a","json_schema":{},
      "supported_sync_modes":["full_refresh"]},"sync_mode":"cdc","destination_sync_mode":"append"}]})");
  EXPECT_THAT([&] { ConfiguredCatalogFromJson(catalog); },
              ThrowsError(ErrorKind::kProtocol, HasSubstr("catalog.streams[0].sync_mode")));
  EXPECT_THAT([&] { ConfiguredCatalogFromJson(catalog); },
              ThrowsError(ErrorKind::kProtocol, HasSubstr("cdc")));
}

TEST(ConfiguredCatalogFromJsonTest, IgnoresUnknownFields) {
  const ConfiguredAirbyteCatalog catalog = ConfiguredCatalogFromJson(Json::parse(
      R"({"streams":[{"stream":{"name":"a","json_schema":{},"supported_sync_modes":["incremental"]},
          "sync_mode":"incremental","destination_sync_mode":"append","future":1,"sync_id":null}],
          "also_future":true})"));
  ASSERT_EQ(catalog.streams.size(), 1u);
  EXPECT_EQ(catalog.streams[0].sync_id, std::nullopt);
  EXPECT_EQ(ToJson(catalog)["streams"][0].count("future"), 0u);
}

TEST(ConfiguredCatalogFromJsonTest, IntegersAcceptIntegralFloats) {
  const ConfiguredAirbyteStream stream = ConfiguredStreamFromJson(Json::parse(
      R"({"stream":{"name":"a","json_schema":{},"supported_sync_modes":["full_refresh"]},
          "sync_mode":"full_refresh","destination_sync_mode":"append","generation_id":3.0})"));
  EXPECT_EQ(stream.generation_id, 3);
  EXPECT_EQ(FieldOfError([] {
              ConfiguredStreamFromJson(Json::parse(
                  R"({"stream":{"name":"a","json_schema":{},"supported_sync_modes":[]},
                      "sync_mode":"full_refresh","destination_sync_mode":"append",
                      "sync_id":"7"})"));
            }),
            "stream.sync_id");
}

TEST(RecordFromJsonTest, TruncatesFloatEmittedAt) {
  const RecordMessage record = RecordFromJson(
      Json::parse(R"({"stream":"s","data":{"a":null},"emitted_at":1735689600002.9})"));
  EXPECT_EQ(record.emitted_at, 1735689600002);
  EXPECT_EQ(record.data, R"({"a":null})");
}

TEST(RecordFromJsonTest, ErrorsNameTheFieldNotTheContent) {
  EXPECT_EQ(FieldOfError([] {
              RecordFromJson(Json::parse(R"({"stream":"s","data":"secret","emitted_at":1})"));
            }),
            "record.data");
  EXPECT_THAT(
      [] { RecordFromJson(Json::parse(R"({"stream":"s","data":"secret","emitted_at":1})")); },
      ThrowsError(ErrorKind::kProtocol, ::testing::Not(HasSubstr("secret"))));
  EXPECT_EQ(FieldOfError([] {
              RecordFromJson(Json::parse(R"({"stream":"s","data":{},"emitted_at":"1"})"));
            }),
            "record.emitted_at");
  EXPECT_EQ(FieldOfError([] { RecordFromJson(Json::parse(R"({"stream":"s","data":{}})")); }),
            "record.emitted_at");
}

TEST(StateFromJsonTest, MissingTypeMeansLegacy) {
  const StateMessage state = StateFromJson(Json::parse(R"({"data":{"cursor":1}})"));
  EXPECT_EQ(state.type, StateType::kLegacy);
  EXPECT_EQ(state.data, Json::parse(R"({"cursor":1})"));
}

TEST(StateFromJsonTest, ReadsStatsAndNestedErrorsNamePath) {
  const StateMessage state = StateFromJson(Json::parse(
      R"({"type":"GLOBAL","global":{"stream_states":[]},
          "sourceStats":{"recordCount":100.0,"rejectedRecordCount":2}})"));
  ASSERT_TRUE(state.source_stats.has_value());
  EXPECT_EQ(state.source_stats->record_count, 100.0);
  EXPECT_EQ(state.source_stats->rejected_record_count, 2.0);
  EXPECT_EQ(FieldOfError([] {
              StateFromJson(Json::parse(
                  R"({"type":"GLOBAL","global":{"stream_states":[{"stream_descriptor":{}}]}})"));
            }),
            "state.global.stream_states[0].stream_descriptor.name");
  EXPECT_EQ(FieldOfError([] { StateFromJson(Json::parse(R"({"type":"PER_STREAM"})")); }),
            "state.type");
}

TEST(StateArrayFromJsonTest, RequiresAnArray) {
  EXPECT_TRUE(StateArrayFromJson(Json::array()).empty());
  EXPECT_EQ(FieldOfError([] { StateArrayFromJson(Json::object()); }), "state");
  EXPECT_EQ(FieldOfError([] { StateArrayFromJson(Json::parse(R"([{}, {"type":1}])")); }),
            "state[1].type");
}

TEST(LogFromJsonTest, UnknownLevelReadsAsInfo) {
  const LogMessage log = LogFromJson(Json::parse(R"({"level":"WARNING","message":"m"})"));
  EXPECT_EQ(log.level, LogLevel::kInfo);
  EXPECT_EQ(FieldOfError([] { LogFromJson(Json::parse(R"({"level":"INFO"})")); }), "log.message");
}

TEST(SpecFromJsonTest, KeepsOnlyUnknownKeysAsExtras) {
  const ConnectorSpecification spec = SpecFromJson(Json::parse(
      R"({"connectionSpecification":{"type":"object"},"documentationUrl":"https://x",
          "$schema":"s","supportsNamespaces":true,"supported_destination_sync_modes":["append","upsert"]})"));
  EXPECT_EQ(spec.documentation_url, "https://x");
  EXPECT_EQ(spec.additional_properties,
            Json::parse(R"({"$schema":"s","supportsNamespaces":true})"));
  EXPECT_THAT(*spec.supported_destination_sync_modes, ElementsAre(DestinationSyncMode::kAppend));
  EXPECT_EQ(FieldOfError([] { SpecFromJson(Json::object()); }), "spec.connectionSpecification");
}

TEST(TraceFromJsonTest, AcceptsIntegerEmittedAtAndToleratesUnknownDetails) {
  const TraceMessage trace = TraceFromJson(Json::parse(
      R"({"type":"ERROR","emitted_at":1735689600000,
          "error":{"message":"m","failure_type":"cosmic_ray_error"}})"));
  EXPECT_EQ(trace.emitted_at, 1735689600000.0);
  ASSERT_TRUE(trace.error.has_value());
  EXPECT_EQ(trace.error->failure_type, std::nullopt);

  const TraceMessage status = TraceFromJson(Json::parse(
      R"({"type":"STREAM_STATUS","emitted_at":1.5,"stream_status":{"stream_descriptor":
          {"name":"s"},"status":"INCOMPLETE","reasons":[{"type":"QUOTA_GONE"}]}})"));
  ASSERT_TRUE(status.stream_status.has_value());
  ASSERT_EQ(status.stream_status->reasons.size(), 1u);
  EXPECT_EQ(status.stream_status->reasons[0].type, "QUOTA_GONE");
  EXPECT_EQ(status.stream_status->reasons[0].quota_reset, std::nullopt);
}

TEST(TraceFromJsonTest, RequiresTheSubTraceMatchingItsType) {
  EXPECT_EQ(FieldOfError([] { TraceFromJson(Json::parse(R"({"type":"ERROR","emitted_at":1})")); }),
            "trace.error");
  EXPECT_EQ(FieldOfError([] {
              TraceFromJson(Json::parse(R"({"type":"DEBUG","emitted_at":1,"error":{}})"));
            }),
            "trace.type");
  EXPECT_EQ(FieldOfError([] {
              TraceFromJson(Json::parse(
                  R"({"type":"ESTIMATE","emitted_at":1,"estimate":{"name":"s","type":"ROWS"}})"));
            }),
            "trace.estimate.type");
}

TEST(ControlFromJsonTest, RequiresConnectorConfig) {
  EXPECT_EQ(FieldOfError([] {
              ControlFromJson(Json::parse(R"({"type":"CONNECTOR_CONFIG","emitted_at":1})"));
            }),
            "control.connectorConfig");
  EXPECT_EQ(FieldOfError([] {
              ControlFromJson(Json::parse(
                  R"({"type":"CONNECTOR_CONFIG","emitted_at":1,"connectorConfig":{}})"));
            }),
            "control.connectorConfig.config");
  EXPECT_EQ(FieldOfError([] {
              ControlFromJson(Json::parse(
                  R"({"type":"OTHER","emitted_at":1,"connectorConfig":{"config":{}}})"));
            }),
            "control.type");
}

TEST(DestinationCatalogFromJsonTest, NamesOperationPath) {
  EXPECT_EQ(FieldOfError([] {
              DestinationCatalogFromJson(
                  Json::parse(R"({"operations":[{"object_name":"o","sync_mode":"append"}]})"));
            }),
            "destination_catalog.operations[0].json_schema");
}

TEST(MessageFromJsonTest, EnvelopeErrorsNameTypeOrPayload) {
  EXPECT_EQ(FieldOfError([] { MessageFromJson(Json::parse(R"({"record":{}})")); }), "type");
  EXPECT_EQ(FieldOfError([] { MessageFromJson(Json::parse(R"({"type":"NOPE"})")); }), "type");
  EXPECT_EQ(FieldOfError([] { MessageFromJson(Json::parse(R"({"type":"RECORD"})")); }), "record");
  EXPECT_EQ(
      FieldOfError([] {
        MessageFromJson(Json::parse(R"({"type":"CONNECTION_STATUS","connectionStatus":null})"));
      }),
      "connectionStatus");
  EXPECT_EQ(FieldOfError([] {
              MessageFromJson(Json::parse(R"({"type":"CATALOG","catalog":{"streams":[1]}})"));
            }),
            "catalog.streams[0]");
  EXPECT_EQ(FieldOfError([] { MessageFromJson(Json::parse("[1,2]")); }), "message");
}

TEST(MessageFromJsonTest, PicksThePayloadMatchingType) {
  const Message message = MessageFromJson(Json::parse(
      R"({"type":"CONNECTION_STATUS","log":{"level":"INFO","message":"x"},
          "connectionStatus":{"status":"FAILED","message":"m"}})"));
  ASSERT_EQ(message.type(), MessageType::kConnectionStatus);
  EXPECT_EQ(message.connection_status().status, ConnectionStatusValue::kFailed);
}

}  // namespace
}  // namespace airbyte::protocol
