#include "executors/native_executor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "executors/checked_stream.h"
#include "protocol/json_convert.h"
#include "testutil/testutil.h"

namespace airbyte::executors {
namespace {

using ::testing::HasSubstr;
using testutil::ThrowsError;

// A native connector driven by its config: {"records": N, "throw_after": K, "trace_error": true,
// "recycle": true (records are refilled from MessageSink::RecycledRecord, with a second,
// heap-allocated string value; `recycled` counts the ones that came back non-empty)}.
class CountingConnector : public connectors::NativeConnector {
 public:
  explicit CountingConnector(std::atomic<std::int64_t>* emitted = nullptr,
                             std::atomic<std::int64_t>* recycled = nullptr)
      : emitted_(emitted), recycled_(recycled) {}

  std::string_view name() const override { return "source-counting"; }
  protocol::ConnectorSpecification Spec() const override {
    protocol::ConnectorSpecification spec;
    spec.connection_specification = {{"type", "object"}};
    return spec;
  }
  protocol::ConnectionStatus Check(const Json& config) const override {
    if (config.contains("records")) return {};
    return {.status = protocol::ConnectionStatusValue::kFailed, .message = "records missing"};
  }
  protocol::AirbyteCatalog Discover(const Json&) const override {
    protocol::AirbyteCatalog catalog;
    catalog.streams.push_back({.name = "numbers",
                               .json_schema = {{"type", "object"},
                                               {"properties", {{"n", {{"type", "integer"}}}}}},
                               .supported_sync_modes = {protocol::SyncMode::kFullRefresh}});
    return catalog;
  }
  void Read(const Json& config, const protocol::ConfiguredAirbyteCatalog&,
            const std::vector<protocol::StateMessage>& state,
            connectors::MessageSink& sink) const override {
    auto fields = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"n"});
    const std::int64_t records = config.value("records", std::int64_t{0});
    const std::int64_t throw_after = config.value("throw_after", std::int64_t{-1});
    if (config.value("trace_error", false)) {
      protocol::TraceMessage trace{.type = protocol::TraceType::kError,
                                   .error = protocol::ErrorTrace{.message = "boom"}};
      if (!sink.Emit(protocol::Message(trace))) return;
    }
    if (!state.empty()) {
      if (!sink.Emit(protocol::Message(protocol::LogMessage{.message = "had state"}))) return;
    }
    for (std::int64_t i = 1; i <= records; ++i) {
      if (i == throw_after) throw Error(ErrorKind::kInput, "bad record " + std::to_string(i));
      protocol::RecordMessage record{.stream = "numbers", .emitted_at = i};
      if (config.value("recycle", false)) {
        protocol::TypedRecord typed = sink.RecycledRecord();
        if (!typed.values.empty() && recycled_ != nullptr) ++*recycled_;
        typed.fields = fields;
        typed.values.resize(2);
        typed.values[0] = i;
        typed.values[1] = "a value too long for the small-string buffer #" + std::to_string(i);
        record.typed = std::move(typed);
      } else {
        record.typed = protocol::TypedRecord{.fields = fields, .values = {i}};
      }
      if (emitted_ != nullptr) ++*emitted_;
      if (!sink.Emit(protocol::Message(std::move(record)))) return;
    }
  }

 private:
  std::atomic<std::int64_t>* emitted_;
  std::atomic<std::int64_t>* recycled_;
};

Invocation ReadInvocation(Json config, std::string state_json = "[]") {
  protocol::ConfiguredAirbyteCatalog catalog;
  catalog.streams.push_back({.stream = CountingConnector().Discover({}).streams[0]});
  return {.verb = Verb::kRead,
          .config = std::move(config),
          .catalog_json = protocol::ToJson(catalog).dump(),
          .state_json = std::move(state_json)};
}

TEST(NativeExecutorTest, SpecCheckAndDiscoverYieldOneMessageEach) {
  NativeExecutor executor(std::make_unique<CountingConnector>());
  protocol::Message message;
  auto spec = executor.Execute({.verb = Verb::kSpec});
  ASSERT_TRUE(spec->Next(message));
  EXPECT_EQ(message.type(), protocol::MessageType::kSpec);
  EXPECT_FALSE(spec->Next(message));

  auto check = executor.Execute({.verb = Verb::kCheck, .config = Json::object()});
  ASSERT_TRUE(check->Next(message));
  EXPECT_EQ(message.connection_status().status, protocol::ConnectionStatusValue::kFailed);

  auto discover = executor.Execute({.verb = Verb::kDiscover, .config = Json::object()});
  ASSERT_TRUE(discover->Next(message));
  EXPECT_EQ(message.catalog().streams.at(0).name, "numbers");
}

TEST(NativeExecutorTest, ReadDeliversEveryRecordInOrderAsTypedValues) {
  NativeExecutor executor(std::make_unique<CountingConnector>());
  auto stream = executor.Execute(ReadInvocation({{"records", 5000}}));
  protocol::Message message;
  std::int64_t expected = 1;
  while (stream->Next(message)) {
    ASSERT_EQ(message.type(), protocol::MessageType::kRecord);
    ASSERT_TRUE(message.record().typed.has_value());
    EXPECT_EQ(std::get<std::int64_t>(message.record().typed->values[0]), expected);
    ++expected;
  }
  EXPECT_EQ(expected, 5001);
}

// Records the consumer is done with go back to the connector to be refilled; what the
// consumer sees is still every record, in order, with its own values.
TEST(NativeExecutorTest, ConsumedRecordsAreRecycledIntoTheConnector) {
  std::atomic<std::int64_t> recycled = 0;
  NativeExecutor executor(std::make_unique<CountingConnector>(nullptr, &recycled));
  auto stream = executor.Execute(ReadInvocation({{"records", 20000}, {"recycle", true}}));
  protocol::Message message;
  std::int64_t expected = 1;
  while (stream->Next(message)) {
    ASSERT_EQ(message.type(), protocol::MessageType::kRecord);
    const std::vector<protocol::FieldValue>& values = message.record().typed->values;
    ASSERT_EQ(values.size(), 2u);
    ASSERT_EQ(std::get<std::int64_t>(values[0]), expected);
    ASSERT_EQ(std::get<std::string>(values[1]),
              "a value too long for the small-string buffer #" + std::to_string(expected));
    ++expected;
  }
  EXPECT_EQ(expected, 20001);
  EXPECT_GT(recycled.load(), 10000);  // all but the first few batches in flight
}

TEST(NativeExecutorTest, PassesStateToTheConnector) {
  NativeExecutor executor(std::make_unique<CountingConnector>());
  auto stream = executor.Execute(ReadInvocation(
      {{"records", 0}},
      R"([{"type":"STREAM","stream":{"stream_descriptor":{"name":"numbers"},"stream_state":{"n":3}}}])"));
  protocol::Message message;
  ASSERT_TRUE(stream->Next(message));
  EXPECT_EQ(message.log().message, "had state");
}

TEST(NativeExecutorTest, ConnectorErrorFailsTheStreamAfterEarlierRecords) {
  NativeExecutor executor(std::make_unique<CountingConnector>());
  auto stream = executor.Execute(ReadInvocation({{"records", 100}, {"throw_after", 10}}));
  protocol::Message message;
  int records = 0;
  EXPECT_THAT(
      [&] {
        while (stream->Next(message)) ++records;
      },
      ThrowsError(ErrorKind::kInput, HasSubstr("bad record 10")));
  EXPECT_EQ(records, 9);
}

TEST(NativeExecutorTest, TraceErrorFailsTheCheckedStream) {
  NativeExecutor executor(std::make_unique<CountingConnector>());
  auto stream = ExecuteChecked(executor, "source-counting",
                               ReadInvocation({{"records", 3}, {"trace_error", true}}));
  protocol::Message message;
  int records = 0;
  EXPECT_THAT(
      [&] {
        while (stream->Next(message)) records += message.type() == protocol::MessageType::kRecord;
      },
      ThrowsError(ErrorKind::kConnectorFailed, HasSubstr("boom")));
  EXPECT_EQ(records, 3);
}

TEST(NativeExecutorTest, CancelStopsAnEndlessConnectorPromptly) {
  std::atomic<std::int64_t> emitted = 0;
  NativeExecutor executor(std::make_unique<CountingConnector>(&emitted));
  auto stream = executor.Execute(ReadInvocation({{"records", std::int64_t{1} << 40}}));
  protocol::Message message;
  ASSERT_TRUE(stream->Next(message));
  const auto start = std::chrono::steady_clock::now();
  stream->Cancel();
  while (stream->Next(message)) {
  }
  stream.reset();  // joins the producer
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_LT(emitted.load(), std::int64_t{1} << 20);
}

TEST(NativeExecutorTest, DestroyingAnUnfinishedStreamStopsTheProducer) {
  std::atomic<std::int64_t> emitted = 0;
  NativeExecutor executor(std::make_unique<CountingConnector>(&emitted));
  {
    auto stream = executor.Execute(ReadInvocation({{"records", std::int64_t{1} << 40}}));
    protocol::Message message;
    ASSERT_TRUE(stream->Next(message));
  }
  const std::int64_t after = emitted.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(emitted.load(), after);  // nothing runs on after destruction
}

TEST(NativeExecutorTest, BackpressureBoundsHowFarTheConnectorRunsAhead) {
  std::atomic<std::int64_t> emitted = 0;
  NativeExecutor executor(std::make_unique<CountingConnector>(&emitted));
  auto stream = executor.Execute(ReadInvocation({{"records", 1000000}}));
  protocol::Message message;
  ASSERT_TRUE(stream->Next(message));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_LT(emitted.load(), 20000);  // queue capacity x batch size, not the whole stream
}

}  // namespace
}  // namespace airbyte::executors
