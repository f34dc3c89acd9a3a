// README section 3 comparison and the section 2 messages.txt summary.
#include "compare.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "outcome.h"
#include "protocol/json_convert.h"

namespace airbyte::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Outcome Sample() {
  Outcome outcome;
  outcome.records = {Json::parse(R"({"stream": "users", "data": {"id": 1, "amount": 5000}})"),
                     Json::parse(R"({"stream": "users", "data": {"id": 2, "name": "b"}})"),
                     Json::parse(R"({"stream": "teams", "data": {"id": 7}})")};
  outcome.states = {
      Json::parse(R"({"type": "STREAM", "stream": {"stream_descriptor": {"name": "users"},
                     "stream_state": {"updated": "2024-01-01"}}, "sourceStats": {"recordCount": 1.0}})"),
      Json::parse(R"({"type": "STREAM", "stream": {"stream_descriptor": {"name": "users"},
                     "stream_state": {"updated": "2024-02-01"}}, "sourceStats": {"recordCount": 1.0}})")};
  outcome.requests = {
      Json::parse(R"({"method": "GET", "path": "/users", "query": {"page": "1"},
                     "headers": {"Authorization": "Bearer t"}, "body": null})"),
      Json::parse(R"({"method": "POST", "path": "/teams", "query": {},
                     "headers": {"Content-Type": "application/json"}, "body": {"a": 1}})")};
  outcome.messages = {"exit_code 0", "count LOG 3", "count RECORD 3", "count STATE 2",
                      "count TRACE STREAM_STATUS 6",
                      "stream_status teams STARTED,RUNNING,COMPLETE",
                      "stream_status users STARTED,RUNNING,COMPLETE"};
  return outcome;
}

std::string Failures(const Comparison& comparison) {
  std::string text;
  for (const std::string& failure : comparison.failures) text += failure + "\n";
  return text;
}

TEST(CompareTest, OutcomeComparedWithItselfPasses) {
  const Comparison comparison = Compare(Sample(), Sample());
  EXPECT_TRUE(comparison.ok()) << Failures(comparison);
  EXPECT_THAT(comparison.notes, IsEmpty());
}

TEST(CompareTest, EveryExpectedDirOfTheSuiteComparedWithItselfPasses) {
  const std::filesystem::path root = std::filesystem::path(AIRBYTE_SHARED_DIR) / "conformance";
  if (!std::filesystem::is_directory(root)) GTEST_SKIP() << "no " << root;
  int cases = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().filename() != "expected" || !entry.is_directory()) continue;
    const Outcome expected = LoadOutcome(entry.path());
    const Comparison comparison = Compare(expected, expected);
    EXPECT_TRUE(comparison.ok()) << entry.path() << "\n" << Failures(comparison);
    EXPECT_FALSE(expected.messages.empty()) << entry.path();
    ++cases;
  }
  EXPECT_GT(cases, 0);
}

// The runner turns the connector's typed messages back into JSON (protocol::ToJson); every
// expected state and catalog must survive that round trip, or the runner itself would cause
// differences.
TEST(CompareTest, ExpectedStatesAndCatalogsRoundTripThroughTheProtocolModel) {
  const std::filesystem::path root = std::filesystem::path(AIRBYTE_SHARED_DIR) / "conformance";
  if (!std::filesystem::is_directory(root)) GTEST_SKIP() << "no " << root;
  int checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().filename() != "expected" || !entry.is_directory()) continue;
    const Outcome expected = LoadOutcome(entry.path());
    for (const Json& state : expected.states) {
      const Json round_trip = protocol::ToJson(protocol::StateFromJson(state));
      EXPECT_EQ(FirstDifference(state, round_trip), std::nullopt) << entry.path();
      ++checked;
    }
    if (expected.catalog) {
      const Json round_trip = protocol::ToJson(protocol::CatalogFromJson(*expected.catalog));
      EXPECT_EQ(FirstDifference(*expected.catalog, round_trip), std::nullopt) << entry.path();
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

TEST(CompareTest, ChangedRecordValueFails) {
  Outcome actual = Sample();
  actual.records[1]["data"]["name"] = "c";
  const Comparison comparison = Compare(Sample(), actual);
  ASSERT_FALSE(comparison.ok());
  EXPECT_THAT(Failures(comparison), HasSubstr("record #2 differs at $.name"));
}

TEST(CompareTest, RecordsCompareNumericallyAndIgnoreKeyOrder) {
  Outcome actual = Sample();
  actual.records[0] = Json::parse(R"({"data": {"amount": 5000.0, "id": 1}, "stream": "users"})");
  EXPECT_TRUE(Compare(Sample(), actual).ok());
  EXPECT_TRUE(JsonEquivalent(Json::parse("5000"), Json::parse("5000.0")));
  EXPECT_FALSE(JsonEquivalent(Json::parse("5000"), Json::parse("5000.5")));
  EXPECT_FALSE(JsonEquivalent(Json::parse("5000"), Json::parse("\"5000\"")));
  EXPECT_TRUE(JsonEquivalent(Json::parse(R"({"a":1,"b":[1,2]})"),
                             Json::parse(R"({"b":[1.0,2],"a":1})")));
  EXPECT_FALSE(JsonEquivalent(Json::parse("[1,2]"), Json::parse("[2,1]")));
}

TEST(CompareTest, MissingRecordFails) {
  Outcome actual = Sample();
  actual.records.pop_back();
  EXPECT_THAT(Failures(Compare(Sample(), actual)),
              HasSubstr("records of stream 'teams': expected 1, got 0"));
}

TEST(CompareTest, MissingRequestFails) {
  Outcome actual = Sample();
  actual.requests.pop_back();
  EXPECT_THAT(Failures(Compare(Sample(), actual)), HasSubstr("requests: expected 2, got 1"));
}

TEST(CompareTest, DifferentHeaderValueFails) {
  Outcome actual = Sample();
  actual.requests[0]["headers"]["Authorization"] = "Bearer other";
  EXPECT_THAT(Failures(Compare(Sample(), actual)),
              HasSubstr("request #1 differs: header Authorization"));
}

TEST(CompareTest, HeaderNamesCompareCaseInsensitivelyAndExtraHeadersAreFine) {
  Outcome actual = Sample();
  actual.requests[0]["headers"] = Json::parse(R"({"authorization": "Bearer t", "X-More": "1"})");
  EXPECT_TRUE(Compare(Sample(), actual).ok());
}

TEST(CompareTest, UnexpectedAuthorizationFails) {
  Outcome actual = Sample();
  actual.requests[1]["headers"]["Authorization"] = "Bearer t";
  EXPECT_THAT(Failures(Compare(Sample(), actual)),
              HasSubstr("request #2 differs: header Authorization: not expected"));
}

TEST(CompareTest, DifferentQueryOrBodyFails) {
  Outcome actual = Sample();
  actual.requests[0]["query"]["page"] = "2";
  EXPECT_THAT(Failures(Compare(Sample(), actual)), HasSubstr("$.query.page"));
  actual = Sample();
  actual.requests[1]["body"]["a"] = 2;
  EXPECT_THAT(Failures(Compare(Sample(), actual)), HasSubstr("$.body.a"));
}

TEST(CompareTest, DifferentFinalStateFails) {
  Outcome actual = Sample();
  actual.states[1]["stream"]["stream_state"]["updated"] = "2024-03-01";
  EXPECT_THAT(Failures(Compare(Sample(), actual)),
              HasSubstr("state of stream 'users': last STATE differs"));
}

TEST(CompareTest, StateCountAndSourceStatsAreOnlyNotes) {
  Outcome actual = Sample();
  actual.states.erase(actual.states.begin());
  actual.states[0]["sourceStats"]["recordCount"] = 2.0;
  const Comparison comparison = Compare(Sample(), actual);
  EXPECT_TRUE(comparison.ok()) << Failures(comparison);
  ASSERT_EQ(comparison.notes.size(), 1u);
  EXPECT_THAT(comparison.notes[0], HasSubstr("2 STATE messages expected, 1 emitted"));
}

TEST(CompareTest, DifferentExitCodeFails) {
  Outcome actual = Sample();
  actual.messages[0] = "exit_code 1";
  EXPECT_THAT(Failures(Compare(Sample(), actual)),
              HasSubstr("messages: exit_code expected 0, got 1"));
}

TEST(CompareTest, DifferentFinalStreamStatusFails) {
  Outcome actual = Sample();
  actual.messages[6] = "stream_status users STARTED,INCOMPLETE";
  EXPECT_THAT(Failures(Compare(Sample(), actual)),
              HasSubstr("users: expected COMPLETE, got INCOMPLETE"));
}

TEST(CompareTest, ErrorLinesCompareFailureTypeAndStreamTextIsANote) {
  Outcome expected = Sample();
  expected.messages.push_back("error transient_error users HTTP 500.");
  Outcome actual = expected;
  actual.messages.back() = "error transient_error users Internal error";
  Comparison comparison = Compare(expected, actual);
  EXPECT_TRUE(comparison.ok()) << Failures(comparison);
  EXPECT_THAT(comparison.notes, ElementsAre(HasSubstr("error #1 text differs")));
  actual.messages.back() = "error system_error users HTTP 500.";
  EXPECT_THAT(Failures(Compare(expected, actual)), HasSubstr("error traces differ"));
}

TEST(CompareTest, ConnectionStatusAndControlConfig) {
  Outcome expected = Sample();
  expected.messages = {"exit_code 0", "count CONNECTION_STATUS 1", "connection_status FAILED",
                       "connection_message 'bad key'",
                       R"(control_config {"a":1,"b":"x"})"};
  Outcome actual = expected;
  actual.messages[3] = "connection_message other words";
  actual.messages[4] = R"(control_config {"b":"x","a":1.0})";
  EXPECT_TRUE(Compare(expected, actual).ok());
  actual.messages[2] = "connection_status SUCCEEDED";
  EXPECT_THAT(Failures(Compare(expected, actual)), HasSubstr("connection_status expected FAILED"));
  actual = expected;
  actual.messages[4] = R"(control_config {"a":2,"b":"x"})";
  EXPECT_THAT(Failures(Compare(expected, actual)), HasSubstr("control_config #1 differs"));
}

TEST(CompareTest, CatalogMustBeEqual) {
  Outcome expected = Sample();
  expected.catalog = Json::parse(R"({"streams": [{"name": "users"}]})");
  Outcome actual = Sample();
  EXPECT_THAT(Failures(Compare(expected, actual)), HasSubstr("catalog: expected a CATALOG"));
  actual.catalog = Json::parse(R"({"streams": [{"name": "teams"}]})");
  EXPECT_THAT(Failures(Compare(expected, actual)), HasSubstr("catalog differs at $.streams[0].name"));
}

protocol::Message StatusTrace(const std::string& stream, protocol::StreamStatus status) {
  protocol::TraceMessage trace;
  trace.type = protocol::TraceType::kStreamStatus;
  trace.stream_status = protocol::StreamStatusTrace{.stream_descriptor = {.name = stream},
                                                    .status = status};
  return protocol::Message(std::move(trace));
}

TEST(SummarizeMessagesTest, FollowsTheGrammar) {
  using protocol::Message;
  using protocol::StreamStatus;
  std::vector<Message> messages;
  messages.push_back(StatusTrace("zeta", StreamStatus::kStarted));
  messages.push_back(Message(protocol::LogMessage{.message = "hi"}));
  messages.push_back(StatusTrace("zeta", StreamStatus::kRunning));
  messages.push_back(Message(protocol::RecordMessage{.stream = "zeta", .data = R"({"a":1})"}));
  messages.push_back(Message(protocol::ControlMessage{.config = Json::parse(R"({"k":"é"})")}));
  messages.push_back(StatusTrace("zeta", StreamStatus::kIncomplete));
  protocol::TraceMessage error;
  error.type = protocol::TraceType::kError;
  error.error = protocol::ErrorTrace{.message = "HTTP  500:\n  boom ",
                                     .failure_type = protocol::FailureType::kTransientError,
                                     .stream_descriptor = protocol::StreamDescriptor{.name = "zeta"}};
  messages.push_back(Message(error));
  messages.push_back(StatusTrace("alpha", StreamStatus::kStarted));
  messages.push_back(StatusTrace("alpha", StreamStatus::kComplete));
  error.error = protocol::ErrorTrace{.message = "sync failed",
                                     .failure_type = protocol::FailureType::kConfigError};
  messages.push_back(Message(error));
  EXPECT_THAT(SummarizeMessages(1, messages),
              ElementsAre("exit_code 1", "count CONTROL CONNECTOR_CONFIG 1", "count LOG 1",
                          "count RECORD 1", "count TRACE ERROR 2", "count TRACE STREAM_STATUS 5",
                          "stream_status alpha STARTED,COMPLETE",
                          "stream_status zeta STARTED,RUNNING,INCOMPLETE",
                          "control_config {\"k\":\"\xC3\xA9\"}",
                          "error transient_error zeta HTTP 500: boom",
                          "error config_error - sync failed"));
}

TEST(SummarizeMessagesTest, CheckWritesConnectionStatusAndMessage) {
  std::vector<protocol::Message> messages;
  messages.emplace_back(protocol::ConnectionStatus{
      .status = protocol::ConnectionStatusValue::kFailed, .message = "401\n Unauthorized"});
  EXPECT_THAT(SummarizeMessages(0, messages),
              ElementsAre("exit_code 0", "count CONNECTION_STATUS 1", "connection_status FAILED",
                          "connection_message 401 Unauthorized"));
}

TEST(OutcomeFromRunTest, GroupsRecordsAndStatesByStream) {
  std::vector<protocol::Message> messages;
  messages.emplace_back(protocol::RecordMessage{.stream = "b", .data = R"({"n":1})"});
  messages.emplace_back(protocol::RecordMessage{.stream = "a", .data = R"({"n":2})"});
  messages.emplace_back(protocol::RecordMessage{.stream = "b", .data = R"({"n":3})"});
  messages.emplace_back(protocol::StateFromJson(Json::parse(
      R"({"type": "STREAM", "stream": {"stream_descriptor": {"name": "b"}, "stream_state": {"x": 1}}})")));
  const Outcome outcome = OutcomeFromRun(0, messages, {});
  ASSERT_EQ(outcome.records.size(), 3u);
  EXPECT_EQ(outcome.records[0], Json::parse(R"({"stream": "b", "data": {"n": 1}})"));
  EXPECT_EQ(outcome.records[1], Json::parse(R"({"stream": "b", "data": {"n": 3}})"));
  EXPECT_EQ(outcome.records[2], Json::parse(R"({"stream": "a", "data": {"n": 2}})"));
  ASSERT_EQ(outcome.states.size(), 1u);
  EXPECT_EQ(StateStreamName(outcome.states[0]), "b");
}

}  // namespace
}  // namespace airbyte::conformance
