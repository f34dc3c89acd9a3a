#include "connectors/e2e_test/e2e_test_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/json_convert.h"
#include "protocol/serializer.h"
#include "testutil/collecting_sink.h"
#include "testutil/testutil.h"

namespace airbyte::connectors {
namespace {

using protocol::Message;
using protocol::MessageType;
using protocol::StreamStatus;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

using testutil::CollectingSink;

// Counts records without keeping them (the throughput check).
class CountingSink : public MessageSink {
 public:
  bool Emit(Message message) override {
    if (message.type() == MessageType::kRecord) ++records;
    return true;
  }
  std::int64_t records = 0;
};

protocol::ConfiguredAirbyteCatalog CatalogFor(const NativeConnector& source, const Json& config) {
  protocol::ConfiguredAirbyteCatalog configured;
  for (const protocol::AirbyteStream& stream : source.Discover(config).streams) {
    configured.streams.push_back({.stream = stream});
  }
  return configured;
}

std::vector<Message> ReadAll(const Json& config, std::size_t limit = SIZE_MAX) {
  std::unique_ptr<NativeConnector> source = MakeE2eTestSource();
  CollectingSink sink(limit);
  source->Read(config, CatalogFor(*source, config), {}, sink);
  return std::move(sink.messages);
}

TEST(E2eTestSourceTest, BenchmarkConfigIsExactlyGetBenchmarkSources) {
  EXPECT_EQ(BenchmarkSourceConfig(500000).dump(),
            R"({"type":"BENCHMARK","schema":"FIVE_STRING_COLUMNS",)"
            R"("terminationCondition":{"type":"MAX_RECORDS","max":500000}})");
}

TEST(E2eTestSourceTest, ParseNumRecordsFollowsGetBenchmarkSource) {
  EXPECT_EQ(ParseNumRecords("5e5"), 500000);
  EXPECT_EQ(ParseNumRecords("2.4e6"), 2400000);
  EXPECT_EQ(ParseNumRecords("400_000"), 400000);
  EXPECT_EQ(ParseNumRecords("1000"), 1000);
  EXPECT_EQ(ParseNumRecords("12.9"), 12);
  EXPECT_EQ(ParseNumRecords(" 1_0E+1 "), 100);
  EXPECT_EQ(ParseNumRecords("1.5E-1"), 0);
  EXPECT_EQ(ParseNumRecords(".5e1"), 5);
  EXPECT_EQ(ParseNumRecords("-2.5"), -2);
  EXPECT_EQ(ParseNumRecords("9223372036854775807"), INT64_MAX);
  for (const char* bad :
       {"abc", "", "1e", "e5", "1.2.3", "5x", "inf", "nan", "1e30", "99999999999999999999"}) {
    SCOPED_TRACE(bad);
    EXPECT_THAT([&] { ParseNumRecords(bad); },
                testutil::ThrowsError(ErrorKind::kInput, HasSubstr("Invalid number format.")));
  }
  try {
    ParseNumRecords("abc");
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "Invalid number format.");
    EXPECT_EQ(e.ContextValue("input_value"), "abc");
  }
}

TEST(E2eTestSourceTest, SpecBenchmarkBranchEqualsTheRegistrySpec) {
  AIRBYTE_REQUIRE_SHARED(shared);
  const Json reference =
      Json::parse(testutil::ReadText(shared / "reference" / "source-e2e-test-spec.json"));
  const Json spec = protocol::ToJson(MakeE2eTestSource()->Spec());
  Json reference_branch;
  for (const Json& branch : reference["connectionSpecification"]["oneOf"]) {
    if (branch["properties"]["type"].value("const", "") == "BENCHMARK") reference_branch = branch;
  }
  ASSERT_FALSE(reference_branch.is_null());
  ASSERT_EQ(spec["connectionSpecification"]["oneOf"].size(), 1u);
  EXPECT_EQ(spec["connectionSpecification"]["oneOf"][0], reference_branch);
  for (const char* key : {"$schema", "title", "additionalProperties", "type"}) {
    EXPECT_EQ(spec["connectionSpecification"][key], reference["connectionSpecification"][key])
        << key;
  }
  for (const char* key : {"documentationUrl", "supportsNormalization", "supportsDBT",
                          "supported_destination_sync_modes", "protocol_version"}) {
    EXPECT_EQ(spec[key], reference[key]) << key;
  }
}

TEST(E2eTestSourceTest, CheckAcceptsBenchmarkOnly) {
  std::unique_ptr<NativeConnector> source = MakeE2eTestSource();
  EXPECT_EQ(source->name(), "source-e2e-test");
  EXPECT_EQ(source->Check(BenchmarkSourceConfig(10)).status,
            protocol::ConnectionStatusValue::kSucceeded);
  Json bytes = BenchmarkSourceConfig(0);
  bytes["terminationCondition"] = {{"type", "MAX_BYTES"}, {"max", 1e6}};
  EXPECT_EQ(source->Check(bytes).status, protocol::ConnectionStatusValue::kSucceeded);

  const protocol::ConnectionStatus other =
      source->Check({{"type", "CONTINUOUS_FEED"}, {"max_messages", 100}});
  EXPECT_EQ(other.status, protocol::ConnectionStatusValue::kFailed);
  EXPECT_THAT(other.message.value_or(""), HasSubstr("Only the BENCHMARK mode"));
  EXPECT_THAT(other.message.value_or(""), HasSubstr("supported natively"));
  EXPECT_THAT(other.message.value_or(""), HasSubstr("CONTINUOUS_FEED"));

  Json bad_schema = BenchmarkSourceConfig(10);
  bad_schema["schema"] = "TEN_COLUMNS";
  EXPECT_EQ(source->Check(bad_schema).status, protocol::ConnectionStatusValue::kFailed);
  Json no_max = BenchmarkSourceConfig(10);
  no_max["terminationCondition"].erase("max");
  EXPECT_EQ(source->Check(no_max).status, protocol::ConnectionStatusValue::kFailed);
  EXPECT_EQ(source->Check(BenchmarkSourceConfig(-1)).status,
            protocol::ConnectionStatusValue::kFailed);
  EXPECT_THAT(
      [&] {
        source->Discover({{"type", "INFINITE_FEED"}});
      },
      testutil::ThrowsError(ErrorKind::kInput, HasSubstr("BENCHMARK")));
}

TEST(E2eTestSourceTest, DiscoverListsStream1WithFiveStringFields) {
  const protocol::AirbyteCatalog catalog = MakeE2eTestSource()->Discover(BenchmarkSourceConfig(1));
  ASSERT_EQ(catalog.streams.size(), 1u);
  EXPECT_EQ(catalog.streams[0].name, "stream1");
  EXPECT_EQ(catalog.streams[0].json_schema.dump(),
            R"({"type":"object","properties":{"field1":{"type":"string"},)"
            R"("field2":{"type":"string"},"field3":{"type":"string"},)"
            R"("field4":{"type":"string"},"field5":{"type":"string"}}})");
  EXPECT_THAT(catalog.streams[0].supported_sync_modes,
              ElementsAre(protocol::SyncMode::kFullRefresh));
}

TEST(E2eTestSourceTest, ReadEmitsTheRequestedRecordsBetweenStatusTraces) {
  const std::vector<Message> messages = ReadAll(BenchmarkSourceConfig(25));
  ASSERT_EQ(messages.size(), 25u + 3u);
  EXPECT_EQ(messages[0].trace().stream_status->status, StreamStatus::kStarted);
  EXPECT_EQ(messages[1].trace().stream_status->status, StreamStatus::kRunning);
  EXPECT_EQ(messages.back().trace().stream_status->status, StreamStatus::kComplete);
  EXPECT_EQ(messages.back().trace().stream_status->stream_descriptor.name, "stream1");
  const void* fields = nullptr;
  for (std::size_t i = 2; i < messages.size() - 1; ++i) {
    const std::int64_t number = static_cast<std::int64_t>(i) - 1;  // 1-based
    ASSERT_EQ(messages[i].type(), MessageType::kRecord);
    const protocol::RecordMessage& record = messages[i].record();
    EXPECT_EQ(record.stream, "stream1");
    EXPECT_EQ(record.emitted_at, 0);
    EXPECT_FALSE(record.namespace_.has_value());
    ASSERT_TRUE(record.typed.has_value());
    if (fields == nullptr) fields = record.typed->fields.get();
    EXPECT_EQ(record.typed->fields.get(), fields);  // shared by every record
    const std::string value = "valuevaluevaluevaluevalue" + std::to_string(number % 10);
    const Json data = protocol::RecordDataJson(record);
    EXPECT_EQ(data, (Json{{"field1", value},
                          {"field2", value},
                          {"field3", value},
                          {"field4", value},
                          {"field5", value}}));
    const nlohmann::json line = nlohmann::json::parse(protocol::Serialize(messages[i]));
    EXPECT_EQ(line["type"], "RECORD");
    EXPECT_EQ(line["record"]["data"]["field3"], value);
    EXPECT_EQ(line["record"]["emitted_at"], 0);
  }
}

TEST(E2eTestSourceTest, MaxBytesCountsRecordDataBytes) {
  const std::string one_record = protocol::Serialize(ReadAll(BenchmarkSourceConfig(1))[2]);
  const std::size_t data_bytes = nlohmann::json::parse(one_record)["record"]["data"].dump().size();
  Json config = BenchmarkSourceConfig(0);
  config["terminationCondition"] = {{"type", "MAX_BYTES"},
                                    {"max", static_cast<std::int64_t>(data_bytes * 10 + 5)}};
  std::size_t records = 0;
  for (const Message& message : ReadAll(config)) records += message.type() == MessageType::kRecord;
  EXPECT_EQ(records, 10u);
}

TEST(E2eTestSourceTest, ZeroRecordsStillCompletes) {
  const std::vector<Message> messages = ReadAll(BenchmarkSourceConfig(0));
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[2].trace().stream_status->status, StreamStatus::kComplete);
}

TEST(E2eTestSourceTest, ReadStopsWhenTheSinkSaysSo) {
  EXPECT_EQ(ReadAll(BenchmarkSourceConfig(1'000'000), /*limit=*/10).size(), 10u);
  EXPECT_EQ(ReadAll(BenchmarkSourceConfig(5), /*limit=*/1).size(), 1u);
}

TEST(E2eTestSourceTest, UnselectedStreamEmitsNothing) {
  CollectingSink sink;
  MakeE2eTestSource()->Read(BenchmarkSourceConfig(5), {}, {}, sink);
  EXPECT_TRUE(sink.messages.empty());
}

TEST(E2eTestSourceTest, EmitsRecordsQuickly) {
  const Json config = BenchmarkSourceConfig(1'000'000);
  std::unique_ptr<NativeConnector> source = MakeE2eTestSource();
  CountingSink sink;
  const auto start = std::chrono::steady_clock::now();
  source->Read(config, CatalogFor(*source, config), {}, sink);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(sink.records, 1'000'000);
  RecordProperty("records_per_second", static_cast<int>(1e6 / seconds));
  // Loose bound so Debug and sanitizer builds pass; Release does well over 2M records/s.
  EXPECT_LT(seconds, 20.0);
}

}  // namespace
}  // namespace airbyte::connectors
