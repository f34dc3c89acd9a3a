#include "executors/checked_stream.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "executors/process_executor.h"
#include "protocol/message.h"
#include "testutil/stream_outcome.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte::executors {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using namespace std::chrono_literals;

using nlohmann::json;

using Outcome = testutil::StreamOutcome;
using testutil::RunToEnd;

json Record(int id) {
  return {{"type", "RECORD"},
          {"record", {{"stream", "users"}, {"data", {{"id", id}}}, {"emitted_at", 1000 + id}}}};
}

// A TRACE ERROR message; `error` holds the fields of trace.error.
json TraceError(json error) {
  return {{"type", "TRACE"},
          {"trace", {{"type", "ERROR"}, {"emitted_at", 1.7e12}, {"error", std::move(error)}}}};
}

json StreamStatus(const std::string& status) {
  return {{"type", "TRACE"},
          {"trace",
           {{"type", "STREAM_STATUS"},
            {"emitted_at", 1.7e12},
            {"stream_status", {{"stream_descriptor", {{"name", "users"}}}, {"status", status}}}}}};
}

class CheckedMessageStreamTest : public ::testing::Test {
 protected:
  util::ScopedTempDir work_{"checked-stream-test-"};
  std::filesystem::path temp_root_ = work_.path() / "airbyte-tmp";
  testutil::ScopedEnv temp_env_{"AIRBYTE_TEMP_DIR", temp_root_.string()};
  std::optional<ProcessExecutor> executor_;

  // Starts `read` on the fake connector running `actions`, wrapped in the checks.
  std::unique_ptr<MessageStream> Read(const json& actions, ExecutionLimits limits = {}) {
    const std::filesystem::path script =
        testutil::WriteText(work_.path() / "script.json", json{{"read", actions}}.dump());
    executor_.emplace("source-fake", testutil::FakeConnectorPath(),
                      std::vector<std::string>{"AIRBYTE_FAKE_CONNECTOR_SCRIPT=" + script.string()});
    limits.terminate_grace = 500ms;
    return ExecuteChecked(*executor_, "source-fake",
                          {.verb = Verb::kRead,
                           .config = Json::object(),
                           .catalog_json = R"({"streams":[]})",
                           .limits = limits});
  }
};

TEST_F(CheckedMessageStreamTest, TraceErrorThenExitZeroFailsAfterEveryMessageWasDelivered) {
  auto stream = Read(json::array(
      {{{"emit", Record(1)}},
       {{"emit", TraceError({{"message", "Something went wrong in the connector."},
                             {"internal_message", "KeyError: 'id'"},
                             {"failure_type", "config_error"},
                             {"stream_descriptor", {{"name", "users"}}},
                             {"stack_trace", "Traceback (most recent call last): ..."}})}},
       {{"emit", Record(2)}},
       {{"exit", 0}}}));
  Outcome outcome = RunToEnd(*stream);
  ASSERT_THAT(outcome.messages, SizeIs(3));  // the trace and the record after it too
  EXPECT_EQ(outcome.messages[1].type(), protocol::MessageType::kTrace);
  EXPECT_EQ(outcome.messages[2].type(), protocol::MessageType::kRecord);
  ASSERT_TRUE(outcome.error);
  const Error& error = *outcome.error;
  EXPECT_EQ(error.kind(), ErrorKind::kConnectorFailed);
  EXPECT_EQ(error.message(), "Something went wrong in the connector.");
  EXPECT_EQ(error.ContextValue("failure_type"), "config_error");
  EXPECT_EQ(error.ContextValue("internal_message"), "KeyError: 'id'");
  EXPECT_EQ(error.ContextValue("stream_name"), "users");
  EXPECT_EQ(error.ContextValue("connector_name"), "source-fake");
  EXPECT_EQ(error.ContextValue("command"), "read");
  EXPECT_EQ(error.ContextValue("exit_code"), "");  // it exited 0
  EXPECT_EQ(error.cause(), "Traceback (most recent call last): ...");
  EXPECT_THAT(error.guidance(), HasSubstr("configuration"));
  EXPECT_THAT(error.Render(),
              AllOf(HasSubstr("Failure Type: 'config_error'"), HasSubstr("Stream Name: 'users'")));
}

TEST_F(CheckedMessageStreamTest, TraceErrorThenExitOneCarriesTheExitCode) {
  auto stream = Read(
      json::array({{{"emit", TraceError({{"message", "boom"}, {"failure_type", "system_error"}})}},
                   {{"exit", 1}}}));
  Outcome outcome = RunToEnd(*stream);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind(), ErrorKind::kConnectorFailed);
  EXPECT_EQ(outcome.error->message(), "boom");
  EXPECT_EQ(outcome.error->ContextValue("exit_code"), "1");
  EXPECT_EQ(outcome.error->ContextValue("failure_type"), "system_error");
  EXPECT_THAT(outcome.error->Render(), HasSubstr("Exit Code: 1"));
}

TEST_F(CheckedMessageStreamTest, FirstTraceErrorWinsAndOthersAreCounted) {
  auto stream = Read(json::array({{{"emit", TraceError({{"message", "first failure"}})}},
                                  {{"emit", TraceError({{"message", "second failure"}})}},
                                  {{"emit", TraceError({{"message", "third failure"}})}}}));
  Outcome outcome = RunToEnd(*stream);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->message(), "first failure");
  EXPECT_EQ(outcome.error->ContextValue("other_errors"), "2");
}

TEST_F(CheckedMessageStreamTest, TraceErrorTextIsInTheLogTail) {
  auto stream = Read(json::array(
      {{{"stderr", "stderr before the failure"}}, {{"emit", TraceError({{"message", "boom"}})}}}));
  Outcome outcome = RunToEnd(*stream);
  ASSERT_TRUE(outcome.error);
  EXPECT_THAT(outcome.error->log_tail(),
              AllOf(HasSubstr("stderr before the failure"), HasSubstr("TRACE ERROR boom")));
}

TEST_F(CheckedMessageStreamTest, SecretsInTraceErrorAreMasked) {
  constexpr const char* kSecret = "trace-secret-5521-q";
  RegisterSecret(kSecret);
  auto stream = Read(json::array(
      {{{"emit", TraceError({{"message", std::string("auth failed for token ") + kSecret},
                             {"internal_message", std::string("token=") + kSecret}})}}}));
  Outcome outcome = RunToEnd(*stream);
  ASSERT_TRUE(outcome.error);
  EXPECT_THAT(outcome.error->Render(), AllOf(Not(HasSubstr(kSecret)), HasSubstr("****")));
}

TEST_F(CheckedMessageStreamTest, NonZeroExitWithoutTraceErrorPassesThrough) {
  auto stream = Read(json::array({{{"emit", Record(1)}}, {{"exit", 5}}}));
  Outcome outcome = RunToEnd(*stream);
  EXPECT_THAT(outcome.messages, SizeIs(1));
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind(), ErrorKind::kConnectorFailed);
  EXPECT_THAT(outcome.error->message(), HasSubstr("exited with code 5"));
  EXPECT_EQ(outcome.error->ContextValue("exit_code"), "5");
}

TEST_F(CheckedMessageStreamTest, TimeoutAfterTraceErrorStaysATimeout) {
  ExecutionLimits limits;
  limits.idle_timeout = 300ms;
  auto stream =
      Read(json::array({{{"emit", TraceError({{"message", "boom"}})}}, {{"hang", true}}}), limits);
  Outcome outcome = RunToEnd(*stream);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind(), ErrorKind::kTimeout);
}

TEST_F(CheckedMessageStreamTest, NonErrorTracesDoNotFailTheOperation) {
  auto stream = Read(json::array({{{"emit", StreamStatus("STARTED")}},
                                  {{"emit", Record(1)}},
                                  {{"emit", StreamStatus("COMPLETE")}}}));
  Outcome outcome = RunToEnd(*stream);
  EXPECT_FALSE(outcome.error) << outcome.error->Render();
  EXPECT_THAT(outcome.messages, SizeIs(3));
}

TEST_F(CheckedMessageStreamTest, AfterTheEndNextKeepsReturningFalse) {
  auto stream = Read(json::array({{{"emit", TraceError({{"message", "boom"}})}}}));
  EXPECT_TRUE(RunToEnd(*stream).error);
  protocol::Message message;
  EXPECT_FALSE(stream->Next(message));  // the failure is reported once
}

TEST_F(CheckedMessageStreamTest, CancelStopsTheInnerConnector) {
  auto stream = Read(json::array({{{"emit", Record(1)}}, {{"hang", true}}}));
  protocol::Message message;
  ASSERT_TRUE(stream->Next(message));
  stream->Cancel();
  EXPECT_FALSE(stream->Next(message));
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
}

TEST_F(CheckedMessageStreamTest, ForwardsLogTailAndBytesRead) {
  auto stream = Read(json::array({{{"stderr", "a stderr line"}}, {{"line", "0123456789"}}}));
  Outcome outcome = RunToEnd(*stream);
  EXPECT_FALSE(outcome.error);
  EXPECT_THAT(stream->LogTail(), HasSubstr("a stderr line"));
  EXPECT_EQ(stream->bytes_read(), 11u);
}

}  // namespace
}  // namespace airbyte::executors
