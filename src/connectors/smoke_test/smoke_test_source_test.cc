#include "connectors/smoke_test/smoke_test_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "connectors/smoke_test/smoke_test_scenarios.h"
#include "protocol/json_convert.h"
#include "protocol/serializer.h"
#include "testutil/collecting_sink.h"
#include "testutil/protocol_schema.h"
#include "testutil/testutil.h"

namespace airbyte::connectors {
namespace {

using protocol::Message;
using protocol::MessageType;
using protocol::StreamStatus;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// PyAirbyte's predefined scenario names, in its order.
const std::vector<std::string> kScenarioNames = {"basic_types",
                                                 "timestamp_types",
                                                 "large_decimals_and_numbers",
                                                 "nested_json_objects",
                                                 "null_handling",
                                                 "column_naming_edge_cases",
                                                 "table_naming_edge_cases",
                                                 "CamelCaseStreamName",
                                                 "wide_table_50_columns",
                                                 "empty_stream",
                                                 "single_record_stream",
                                                 "large_batch_stream",
                                                 "unicode_and_special_strings",
                                                 "schema_with_no_primary_key",
                                                 "long_column_names",
                                                 "duplicate_primary_keys",
                                                 "time_types",
                                                 "union_types"};

const std::map<std::string, std::size_t> kRecordCounts = {{"basic_types", 3},
                                                          {"timestamp_types", 3},
                                                          {"large_decimals_and_numbers", 3},
                                                          {"nested_json_objects", 2},
                                                          {"null_handling", 3},
                                                          {"column_naming_edge_cases", 1},
                                                          {"table_naming_edge_cases", 1},
                                                          {"CamelCaseStreamName", 1},
                                                          {"wide_table_50_columns", 2},
                                                          {"empty_stream", 0},
                                                          {"single_record_stream", 1},
                                                          {"large_batch_stream", 1000},
                                                          {"unicode_and_special_strings", 4},
                                                          {"schema_with_no_primary_key", 3},
                                                          {"long_column_names", 1},
                                                          {"duplicate_primary_keys", 6},
                                                          {"time_types", 3},
                                                          {"union_types", 3}};

using testutil::CollectingSink;

protocol::ConfiguredAirbyteCatalog ConfiguredCatalog(const protocol::AirbyteCatalog& catalog) {
  protocol::ConfiguredAirbyteCatalog configured;
  for (const protocol::AirbyteStream& stream : catalog.streams) {
    configured.streams.push_back({.stream = stream});
  }
  return configured;
}

protocol::ConfiguredAirbyteCatalog CatalogOf(const std::vector<std::string>& names) {
  protocol::ConfiguredAirbyteCatalog configured;
  for (const std::string& name : names) configured.streams.push_back({.stream = {.name = name}});
  return configured;
}

std::vector<std::string> StreamNames(const protocol::AirbyteCatalog& catalog) {
  std::vector<std::string> names;
  for (const protocol::AirbyteStream& stream : catalog.streams) names.push_back(stream.name);
  return names;
}

std::vector<std::string> Without(std::vector<std::string> names, const std::string& name) {
  std::erase(names, name);
  return names;
}

// Validation errors of `value` against a draft-07 `schema`; empty when valid.
std::string SchemaErrors(const Json& schema, const Json& value) {
  return testutil::JsonSchemaErrors(nlohmann::json::parse(schema.dump()),
                                    nlohmann::json::parse(value.dump()));
}

std::vector<Message> ReadAll(const Json& config, std::size_t limit = SIZE_MAX) {
  std::unique_ptr<NativeConnector> source = MakeSmokeTestSource();
  CollectingSink sink(limit);
  source->Read(config, ConfiguredCatalog(source->Discover(config)), {}, sink);
  return std::move(sink.messages);
}

std::map<std::string, std::vector<Json>> RecordsByStream(const std::vector<Message>& messages) {
  std::map<std::string, std::vector<Json>> records;
  for (const Message& message : messages) {
    if (message.type() == MessageType::kRecord) {
      records[message.record().stream].push_back(protocol::RecordDataJson(message.record()));
    }
  }
  return records;
}

const Json kAllStreams = {{"all_slow_streams", true}};

TEST(SmokeTestScenariosTest, NamesAndOrderAreExactlyPyAirbytes) {
  std::vector<std::string> names;
  for (const Scenario& scenario : PredefinedScenarios()) names.push_back(scenario.name);
  EXPECT_EQ(names, kScenarioNames);
  for (const Scenario& scenario : PredefinedScenarios()) {
    SCOPED_TRACE(scenario.name);
    EXPECT_EQ(scenario.high_volume, scenario.name == "large_batch_stream");
    EXPECT_EQ(scenario.json_schema["$schema"], "http://json-schema.org/draft-07/schema#");
    EXPECT_EQ(scenario.json_schema["type"], "object");
    if (scenario.name == "schema_with_no_primary_key") {
      EXPECT_FALSE(scenario.primary_key.has_value());
    } else {
      EXPECT_EQ(scenario.primary_key, (std::vector<protocol::FieldPath>{{"id"}}));
    }
  }
}

TEST(SmokeTestSourceTest, NameAndSpecListPyAirbytesOptions) {
  std::unique_ptr<NativeConnector> source = MakeSmokeTestSource();
  EXPECT_EQ(source->name(), "source-smoke-test");
  const protocol::ConnectorSpecification spec = source->Spec();
  EXPECT_EQ(spec.documentation_url, "https://docs.airbyte.com/integrations/sources/smoke-test");
  std::vector<std::string> properties;
  for (auto it = spec.connection_specification["properties"].begin();
       it != spec.connection_specification["properties"].end(); ++it) {
    properties.push_back(it.key());
  }
  EXPECT_THAT(properties,
              ElementsAre("custom_scenarios", "large_batch_record_count", "all_fast_streams",
                          "all_slow_streams", "scenario_filter", "namespace"));
  const Json& props = spec.connection_specification["properties"];
  EXPECT_EQ(props["all_fast_streams"]["default"], true);
  EXPECT_EQ(props["all_slow_streams"]["default"], false);
  EXPECT_EQ(props["large_batch_record_count"]["default"], 1000);
  // The spec is itself a valid draft-07 schema that accepts the configs we document.
  EXPECT_EQ(
      SchemaErrors(spec.connection_specification,
                   {{"all_slow_streams", true},
                    {"scenario_filter", {"basic_types"}},
                    {"namespace", "ns"},
                    {"custom_scenarios", {{{"name", "x"}, {"json_schema", Json::object()}}}}}),
      "");
}

TEST(SmokeTestSourceTest, DefaultDiscoverListsTheFastScenariosAsFullRefreshOnly) {
  const protocol::AirbyteCatalog catalog = MakeSmokeTestSource()->Discover(Json::object());
  EXPECT_EQ(StreamNames(catalog), Without(kScenarioNames, "large_batch_stream"));
  for (const protocol::AirbyteStream& stream : catalog.streams) {
    SCOPED_TRACE(stream.name);
    EXPECT_THAT(stream.supported_sync_modes, ElementsAre(protocol::SyncMode::kFullRefresh));
    EXPECT_EQ(stream.source_defined_cursor, false);
    EXPECT_FALSE(stream.namespace_.has_value());
    if (stream.name == "schema_with_no_primary_key") {
      EXPECT_FALSE(stream.source_defined_primary_key.has_value());
      EXPECT_FALSE(protocol::ToJson(stream).contains("source_defined_primary_key"));
    } else {
      EXPECT_EQ(stream.source_defined_primary_key, (std::vector<protocol::FieldPath>{{"id"}}));
    }
  }
  EXPECT_EQ(catalog.streams[8].json_schema["properties"].size(), 50u);  // wide_table_50_columns
}

TEST(SmokeTestSourceTest, FlagsAndFilterSelectScenarios) {
  std::unique_ptr<NativeConnector> source = MakeSmokeTestSource();
  EXPECT_EQ(StreamNames(source->Discover(kAllStreams)), kScenarioNames);
  EXPECT_THAT(
      StreamNames(source->Discover({{"all_fast_streams", false}, {"all_slow_streams", true}})),
      ElementsAre("large_batch_stream"));
  // Filter names are unioned with the flags, kept in predefined order, unknown names ignored.
  EXPECT_THAT(StreamNames(source->Discover(
                  {{"all_fast_streams", false},
                   {"scenario_filter", {"union_types", "basic_types", "no_such", 7}}})),
              ElementsAre("basic_types", "union_types"));
  EXPECT_THAT(StreamNames(source->Discover(
                  {{"all_fast_streams", false}, {"scenario_filter", {"large_batch_stream"}}})),
              ElementsAre("large_batch_stream"));
  EXPECT_EQ(StreamNames(source->Discover({{"scenario_filter", {"basic_types"}}})),
            Without(kScenarioNames, "large_batch_stream"));
  // Nothing selected: check fails with PyAirbyte's message.
  const protocol::ConnectionStatus status = source->Check({{"all_fast_streams", false}});
  EXPECT_EQ(status.status, protocol::ConnectionStatusValue::kFailed);
  EXPECT_EQ(status.message, "No scenarios available. Check scenario_filter config.");
  EXPECT_EQ(source->Check(Json::object()).status, protocol::ConnectionStatusValue::kSucceeded);
}

TEST(SmokeTestSourceTest, EveryRecordMatchesItsScenarioAndValidatesAgainstItsSchema) {
  const std::map<std::string, std::vector<Json>> records = RecordsByStream(ReadAll(kAllStreams));
  for (const Scenario& scenario : PredefinedScenarios()) {
    SCOPED_TRACE(scenario.name);
    const auto it = records.find(scenario.name);
    const std::vector<Json> emitted = it == records.end() ? std::vector<Json>{} : it->second;
    EXPECT_EQ(emitted.size(), kRecordCounts.at(scenario.name));
    EXPECT_EQ(emitted, ScenarioRecords(scenario, kDefaultLargeBatchCount));
    for (const Json& record : emitted) {
      std::string errors = SchemaErrors(scenario.json_schema, record);
      if (scenario.name == "time_types") {
        // PyAirbyte deliberately sends times and timestamps without an offset under
        // `format: time` / `format: date-time` (RFC 3339 wants one): `airbyte_type`
        // *_without_timezone says so. Those two fields may fail the format check only.
        EXPECT_THAT(errors, HasSubstr("time_no_tz"));
        Json rest = record;
        rest.erase("time_no_tz");
        rest.erase("timestamp_no_tz");
        errors = SchemaErrors(scenario.json_schema, rest);
      }
      EXPECT_EQ(errors, "") << record.dump();
    }
  }
}

TEST(SmokeTestSourceTest, FixtureValuesAreExact) {
  const std::map<std::string, std::vector<Json>> records = RecordsByStream(ReadAll(kAllStreams));
  EXPECT_EQ(records.at("basic_types")[0].dump(),
            R"({"id":1,"name":"Alice","amount":100.5,"is_active":true})");
  EXPECT_EQ(records.at("large_decimals_and_numbers")[0]["big_integer"], 9999999999999999);
  EXPECT_DOUBLE_EQ(records.at("large_decimals_and_numbers")[0]["precise_decimal"].get<double>(),
                   3.141592653589793);
  EXPECT_EQ(records.at("unicode_and_special_strings")[2]["unicode_text"],
            "\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c");
  EXPECT_EQ(records.at("unicode_and_special_strings")[2]["special_chars"], "back\\slash");
  EXPECT_EQ(records.at("unicode_and_special_strings")[0]["special_chars"], "line1\nline2\ttab");
  EXPECT_EQ(records.at("wide_table_50_columns")[0]["col_049"], "val_49");
  EXPECT_TRUE(records.at("wide_table_50_columns")[1]["col_001"].is_null());
  const std::vector<Json>& batch = records.at("large_batch_stream");
  EXPECT_EQ(batch[0].dump(), R"({"id":1,"name":"record_000001","value":1.1,"category":"cat_b"})");
  EXPECT_EQ(batch[999]["name"], "record_001000");
  EXPECT_EQ(batch[999]["category"], "cat_a");
  EXPECT_DOUBLE_EQ(batch[2]["value"].get<double>(), 3.0 * 1.1);
}

TEST(SmokeTestSourceTest, EachStreamIsStartedRunningRecordsComplete) {
  const std::vector<Message> messages = ReadAll(kAllStreams);
  std::vector<std::string> order;
  std::string current;
  std::size_t records = 0;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const Message& message = messages[i];
    if (message.type() == MessageType::kTrace) {
      ASSERT_EQ(message.trace().type, protocol::TraceType::kStreamStatus);
      const protocol::StreamStatusTrace& status = *message.trace().stream_status;
      EXPECT_GT(message.trace().emitted_at, 0);
      if (status.status == StreamStatus::kStarted) {
        EXPECT_EQ(current, "");
        current = status.stream_descriptor.name;
        order.push_back(current);
        ASSERT_LT(i + 2, messages.size());
        ASSERT_EQ(messages[i + 1].type(), MessageType::kTrace);
        EXPECT_EQ(messages[i + 1].trace().stream_status->status, StreamStatus::kRunning);
        records = 0;
      } else if (status.status == StreamStatus::kComplete) {
        EXPECT_EQ(status.stream_descriptor.name, current);
        EXPECT_EQ(records, kRecordCounts.at(current)) << current;
        current.clear();
      } else {
        EXPECT_EQ(status.status, StreamStatus::kRunning);
        EXPECT_EQ(status.stream_descriptor.name, current);
      }
    } else if (message.type() == MessageType::kRecord) {
      EXPECT_EQ(message.record().stream, current);
      EXPECT_FALSE(message.record().namespace_.has_value());
      EXPECT_GT(message.record().emitted_at, 0);
      ++records;
    } else {
      ASSERT_EQ(message.type(), MessageType::kLog);
      EXPECT_THAT(message.log().message, HasSubstr("records for stream '" + current + "'"));
    }
  }
  EXPECT_EQ(current, "");
  EXPECT_EQ(order, kScenarioNames);
  EXPECT_EQ(messages.size(), 18u * 4u + 1040u);
}

TEST(SmokeTestSourceTest, RecordsAreTypedWithFieldsSharedPerStream) {
  const std::vector<Message> messages = ReadAll({{"scenario_filter", {"large_batch_stream"}},
                                                 {"all_fast_streams", false},
                                                 {"large_batch_record_count", 3}});
  const protocol::TypedRecord* first = nullptr;
  for (const Message& message : messages) {
    if (message.type() != MessageType::kRecord) continue;
    ASSERT_TRUE(message.record().typed.has_value());
    if (first == nullptr) first = &*message.record().typed;
    EXPECT_EQ(message.record().typed->fields.get(), first->fields.get());
  }
  ASSERT_NE(first, nullptr);
  EXPECT_THAT(*first->fields, ElementsAre("id", "name", "value", "category"));
  EXPECT_EQ(RecordsByStream(messages)["large_batch_stream"].size(), 3u);
  EXPECT_EQ(RecordsByStream(ReadAll({{"all_slow_streams", true}, {"large_batch_record_count", 0}}))
                .count("large_batch_stream"),
            0u);
}

TEST(SmokeTestSourceTest, NamespaceIsSetOnStreamsRecordsAndStatuses) {
  const Json config = {{"namespace", "zz_deleteme_smoke"}};
  for (const protocol::AirbyteStream& stream : MakeSmokeTestSource()->Discover(config).streams) {
    EXPECT_EQ(stream.namespace_, "zz_deleteme_smoke");
  }
  for (const Message& message : ReadAll(config)) {
    if (message.type() == MessageType::kRecord) {
      EXPECT_EQ(message.record().namespace_, "zz_deleteme_smoke");
      EXPECT_EQ(nlohmann::json::parse(protocol::Serialize(message))["record"]["namespace"],
                "zz_deleteme_smoke");
    } else if (message.type() == MessageType::kTrace) {
      EXPECT_EQ(message.trace().stream_status->stream_descriptor.namespace_, "zz_deleteme_smoke");
    }
  }
  EXPECT_THAT(
      [] {
        MakeSmokeTestSource()->Discover({{"namespace", 5}});
      },
      testutil::ThrowsError(ErrorKind::kInput, HasSubstr("namespace")));
}

TEST(SmokeTestSourceTest, EveryMessageSerializesToValidJson) {
  for (const Message& message : ReadAll(kAllStreams)) {
    const std::string line = protocol::Serialize(message);
    const Json parsed = Json::parse(line);  // throws if invalid; keeps key order
    EXPECT_EQ(line.find('\n'), std::string::npos);
    if (message.type() == MessageType::kRecord) {
      EXPECT_EQ(parsed["record"]["data"], protocol::RecordDataJson(message.record()));
    }
  }
}

TEST(SmokeTestSourceTest, CustomScenariosAreAppendedAfterPredefinedOnes) {
  const Json config = {
      {"all_fast_streams", false},
      {"namespace", "ns"},
      {"custom_scenarios",
       {{{"name", "my_stream"},
         {"json_schema",
          {{"type", "object"},
           {"properties", {{"k", {{"type", "string"}}}, {"n", {{"type", "integer"}}}}}}},
         {"primary_key", {{"k"}}},
         {"records", {{{"k", "a"}, {"n", 1}}, {{"n", 2}, {"k", "b"}, {"extra", {1, 2}}}}}},
        {{"name", "basic_types"}, {"json_schema", {{"type", "object"}}}},  // not selected here
        {{"name", "skipped_empty_schema"}, {"json_schema", Json::object()}}}}};
  std::unique_ptr<NativeConnector> source = MakeSmokeTestSource();
  EXPECT_EQ(source->Check(config).status, protocol::ConnectionStatusValue::kSucceeded);
  const protocol::AirbyteCatalog catalog = source->Discover(config);
  // A custom scenario named like an unselected predefined one is a custom stream; an empty
  // schema object is skipped, as in PyAirbyte.
  ASSERT_THAT(StreamNames(catalog), ElementsAre("my_stream", "basic_types"));
  EXPECT_EQ(catalog.streams[0].source_defined_primary_key,
            (std::vector<protocol::FieldPath>{{"k"}}));
  EXPECT_FALSE(catalog.streams[1].source_defined_primary_key.has_value());
  EXPECT_EQ(catalog.streams[0].namespace_, "ns");

  const std::map<std::string, std::vector<Json>> records = RecordsByStream(ReadAll(config));
  ASSERT_EQ(records.at("my_stream").size(), 2u);
  EXPECT_EQ(records.at("my_stream")[0].dump(), R"({"k":"a","n":1})");
  EXPECT_EQ(records.at("my_stream")[1].dump(), R"({"n":2,"k":"b","extra":[1,2]})");
  EXPECT_EQ(records.count("basic_types"), 0u);

  // A custom scenario cannot replace a selected predefined one.
  const Json duplicate = {
      {"scenario_filter", {"basic_types"}},
      {"all_fast_streams", false},
      {"custom_scenarios", {{{"name", "basic_types"}, {"json_schema", {{"type", "object"}}}}}}};
  const protocol::AirbyteCatalog one = source->Discover(duplicate);
  ASSERT_EQ(one.streams.size(), 1u);
  EXPECT_EQ(one.streams[0].json_schema["properties"].size(), 4u);
}

TEST(SmokeTestSourceTest, CheckReportsBadCustomScenariosWithPyAirbytesMessages) {
  std::unique_ptr<NativeConnector> source = MakeSmokeTestSource();
  auto message = [&](const Json& custom) {
    const protocol::ConnectionStatus status = source->Check({{"custom_scenarios", custom}});
    EXPECT_EQ(status.status, protocol::ConnectionStatusValue::kFailed);
    return status.message.value_or("");
  };
  EXPECT_EQ(message("nope"), "'custom_scenarios' must be an array of objects.");
  EXPECT_EQ(message({1}), "Custom scenario at index 0 must be an object.");
  EXPECT_EQ(message({{{"json_schema", Json::object()}}}),
            "Custom scenario at index 0 is missing 'name'.");
  EXPECT_EQ(message({{{"name", "s"}}}),
            "Custom scenario 's' must provide 'json_schema' as an object.");
  EXPECT_EQ(message({{{"name", "s"}, {"json_schema", Json::object()}, {"records", 3}}}),
            "Custom scenario 's' has invalid 'records': expected an array of objects.");
  EXPECT_EQ(
      message({{{"name", "s"}, {"json_schema", Json::object()}, {"records", {Json::object(), 3}}}}),
      "Custom scenario 's' record at index 1 must be an object.");
  EXPECT_THAT(
      message({{{"name", "s"}, {"json_schema", {{"type", "object"}}}, {"primary_key", "id"}}}),
      HasSubstr("invalid 'primary_key'"));
  EXPECT_EQ(source->Check({{"custom_scenarios", Json::array()}}).status,
            protocol::ConnectionStatusValue::kSucceeded);
}

TEST(SmokeTestSourceTest, ReadStopsWhenTheSinkSaysSo) {
  const std::vector<Message> messages = ReadAll(kAllStreams, /*limit=*/4);
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[3].type(), MessageType::kRecord);
}

TEST(SmokeTestSourceTest, ReadFollowsTheCatalogAndWarnsAboutUnknownStreams) {
  std::unique_ptr<NativeConnector> source = MakeSmokeTestSource();
  CollectingSink sink;
  source->Read(Json::object(),
               CatalogOf({"single_record_stream", "no_such_stream", "basic_types",
                          "single_record_stream", "large_batch_stream"}),
               {}, sink);
  std::vector<std::string> started;
  std::vector<std::string> warnings;
  for (const Message& message : sink.messages) {
    if (message.type() == MessageType::kTrace &&
        message.trace().stream_status->status == StreamStatus::kStarted) {
      started.push_back(message.trace().stream_status->stream_descriptor.name);
    }
    if (message.type() == MessageType::kLog && message.log().level == protocol::LogLevel::kWarn) {
      warnings.push_back(message.log().message);
    }
  }
  // large_batch_stream is not selected by the (default) config, so it is unknown too.
  EXPECT_THAT(started, ElementsAre("single_record_stream", "basic_types"));
  EXPECT_THAT(warnings,
              ElementsAre("Stream 'no_such_stream' not found in scenarios, skipping.",
                          "Stream 'large_batch_stream' not found in scenarios, skipping."));
}

}  // namespace
}  // namespace airbyte::connectors
