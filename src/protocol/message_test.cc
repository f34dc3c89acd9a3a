#include "protocol/message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testutil/testutil.h"

namespace airbyte::protocol {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testutil::ThrowsError;

TEST(ToStringTest, UsesProtocolSpellings) {
  EXPECT_EQ(ToString(MessageType::kRecord), "RECORD");
  EXPECT_EQ(ToString(MessageType::kState), "STATE");
  EXPECT_EQ(ToString(MessageType::kLog), "LOG");
  EXPECT_EQ(ToString(MessageType::kSpec), "SPEC");
  EXPECT_EQ(ToString(MessageType::kConnectionStatus), "CONNECTION_STATUS");
  EXPECT_EQ(ToString(MessageType::kCatalog), "CATALOG");
  EXPECT_EQ(ToString(MessageType::kTrace), "TRACE");
  EXPECT_EQ(ToString(MessageType::kControl), "CONTROL");
  EXPECT_EQ(ToString(MessageType::kDestinationCatalog), "DESTINATION_CATALOG");

  EXPECT_EQ(ToString(SyncMode::kFullRefresh), "full_refresh");
  EXPECT_EQ(ToString(SyncMode::kIncremental), "incremental");

  EXPECT_EQ(ToString(DestinationSyncMode::kAppend), "append");
  EXPECT_EQ(ToString(DestinationSyncMode::kOverwrite), "overwrite");
  EXPECT_EQ(ToString(DestinationSyncMode::kAppendDedup), "append_dedup");
  EXPECT_EQ(ToString(DestinationSyncMode::kUpdate), "update");
  EXPECT_EQ(ToString(DestinationSyncMode::kSoftDelete), "soft_delete");

  EXPECT_EQ(ToString(StateType::kStream), "STREAM");
  EXPECT_EQ(ToString(StateType::kGlobal), "GLOBAL");
  EXPECT_EQ(ToString(StateType::kLegacy), "LEGACY");

  EXPECT_EQ(ToString(LogLevel::kFatal), "FATAL");
  EXPECT_EQ(ToString(LogLevel::kError), "ERROR");
  EXPECT_EQ(ToString(LogLevel::kWarn), "WARN");
  EXPECT_EQ(ToString(LogLevel::kInfo), "INFO");
  EXPECT_EQ(ToString(LogLevel::kDebug), "DEBUG");
  EXPECT_EQ(ToString(LogLevel::kTrace), "TRACE");

  EXPECT_EQ(ToString(ConnectionStatusValue::kSucceeded), "SUCCEEDED");
  EXPECT_EQ(ToString(ConnectionStatusValue::kFailed), "FAILED");

  EXPECT_EQ(ToString(TraceType::kError), "ERROR");
  EXPECT_EQ(ToString(TraceType::kEstimate), "ESTIMATE");
  EXPECT_EQ(ToString(TraceType::kStreamStatus), "STREAM_STATUS");
  EXPECT_EQ(ToString(TraceType::kAnalytics), "ANALYTICS");

  EXPECT_EQ(ToString(FailureType::kSystemError), "system_error");
  EXPECT_EQ(ToString(FailureType::kConfigError), "config_error");
  EXPECT_EQ(ToString(FailureType::kTransientError), "transient_error");

  EXPECT_EQ(ToString(EstimateType::kStream), "STREAM");
  EXPECT_EQ(ToString(EstimateType::kSync), "SYNC");

  EXPECT_EQ(ToString(StreamStatus::kStarted), "STARTED");
  EXPECT_EQ(ToString(StreamStatus::kRunning), "RUNNING");
  EXPECT_EQ(ToString(StreamStatus::kComplete), "COMPLETE");
  EXPECT_EQ(ToString(StreamStatus::kIncomplete), "INCOMPLETE");
}

TEST(MessageTest, TypeFollowsPayload) {
  EXPECT_EQ(Message().type(), MessageType::kRecord);
  EXPECT_EQ(Message(StateMessage{}).type(), MessageType::kState);
  EXPECT_EQ(Message(DestinationCatalog{}).type(), MessageType::kDestinationCatalog);
}

TEST(RecordDataJsonTest, ParsesDataIntoDom) {
  RecordMessage record{.stream = "users", .data = R"({"id":1,"name":null})"};
  const Json data = RecordDataJson(record);
  EXPECT_EQ(data["id"], 1);
  EXPECT_TRUE(data.contains("name"));
}

TEST(RecordDataJsonTest, InvalidDataThrowsProtocolErrorNamingStreamNotContent) {
  RecordMessage record{.stream = "users", .data = R"({"ssn":"123-45-6789",)"};
  EXPECT_THAT(
      [&] { RecordDataJson(record); },
      ThrowsError(ErrorKind::kProtocol, AllOf(HasSubstr("users"), Not(HasSubstr("123-45-6789")))));
}

TEST(RecordDataJsonTest, NonObjectDataThrowsProtocolError) {
  RecordMessage record{.stream = "users", .namespace_ = "public", .data = "[1,2]"};
  EXPECT_THAT([&] { RecordDataJson(record); },
              ThrowsError(ErrorKind::kProtocol, AllOf(HasSubstr("users"), HasSubstr("public"))));
}

}  // namespace
}  // namespace airbyte::protocol
