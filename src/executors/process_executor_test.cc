#include "executors/process_executor.h"

#include <sys/wait.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "protocol/message.h"
#include "testutil/stream_outcome.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte::executors {
namespace {

using ::airbyte::testutil::ThrowsError;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;
using namespace std::chrono_literals;

using Clock = std::chrono::steady_clock;
using nlohmann::json;

using Outcome = testutil::StreamOutcome;
using testutil::RunToEnd;

// True when this process has no child left, running or zombie. A zombie would be reaped by
// the call and make it return its pid; a running child makes it return 0.
bool NoChildProcesses() {
  int status = 0;
  errno = 0;
  const pid_t pid = ::waitpid(-1, &status, WNOHANG);
  return pid == -1 && errno == ECHILD;
}

json Record(const std::string& stream, int id) {
  return {{"type", "RECORD"},
          {"record", {{"stream", stream}, {"data", {{"id", id}}}, {"emitted_at", 1000 + id}}}};
}

json Log(const std::string& text) {
  return {{"type", "LOG"}, {"log", {{"level", "INFO"}, {"message", text}}}};
}

long long MillisSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

class ProcessExecutorTest : public ::testing::Test {
 protected:
  // The test's own files; created before AIRBYTE_TEMP_DIR is redirected below.
  util::ScopedTempDir work_{"process-executor-test-"};
  std::filesystem::path temp_root_ = work_.path() / "airbyte-tmp";
  testutil::ScopedEnv temp_env_{"AIRBYTE_TEMP_DIR", temp_root_.string()};
  std::filesystem::path script_path_ = work_.path() / "script.json";
  std::filesystem::path dump_path_ = work_.path() / "invocation.json";

  // An executor running the fake connector with `script`.
  ProcessExecutor WithScript(const json& script) {
    testutil::WriteText(script_path_, script.dump());
    return ProcessExecutor("source-fake", testutil::FakeConnectorPath(),
                           {"AIRBYTE_FAKE_CONNECTOR_SCRIPT=" + script_path_.string()});
  }

  // Runs `verb` with a dump_invocation script and returns the dump.
  json DumpFor(Invocation invocation) {
    ProcessExecutor executor =
        WithScript({{std::string(ToString(invocation.verb)),
                     json::array({{{"dump_invocation", dump_path_.string()}}})}});
    std::unique_ptr<MessageStream> stream = executor.Execute(invocation);
    Outcome outcome = RunToEnd(*stream);
    EXPECT_FALSE(outcome.error) << outcome.error->Render();
    return json::parse(testutil::ReadText(dump_path_));
  }

  static Invocation ReadInvocation() {
    return {.verb = Verb::kRead,
            .config = Json{{"api_key", "k"}},
            .catalog_json = R"({"streams":[]})",
            .limits = {.terminate_grace = 500ms}};
  }
};

// --- Command lines and temp files (behavior doc 3.2) ----------------------------------------

TEST_F(ProcessExecutorTest, SpecRunsProgramWithSpecOnly) {
  const json dump = DumpFor({.verb = Verb::kSpec});
  EXPECT_EQ(dump["argv"], json::array({testutil::FakeConnectorPath().string(), "spec"}));
  EXPECT_TRUE(dump["files"].empty());
}

TEST_F(ProcessExecutorTest, CheckPassesConfigAsPrivateFileInPrivateDir) {
  const Json config = {{"api_key", "abc"}, {"count", 3}};
  const json dump = DumpFor({.verb = Verb::kCheck, .config = config});
  const std::string config_path = dump["files"]["--config"]["path"];
  EXPECT_EQ(dump["argv"], json::array({testutil::FakeConnectorPath().string(), "check", "--config",
                                       config_path}));
  EXPECT_EQ(dump["files"]["--config"]["mode"], "0600");
  EXPECT_EQ(dump["dir_mode"], "0700");
  EXPECT_EQ(json::parse(dump["files"]["--config"]["content"].get<std::string>()), json(config));
}

TEST_F(ProcessExecutorTest, DiscoverPassesConfigOnly) {
  const json dump = DumpFor({.verb = Verb::kDiscover, .config = Json{{"a", 1}}});
  ASSERT_THAT(dump["argv"], SizeIs(4));
  EXPECT_EQ(dump["argv"][1], "discover");
  EXPECT_EQ(dump["argv"][2], "--config");
  EXPECT_EQ(dump["files"].size(), 1u);
}

TEST_F(ProcessExecutorTest, NullConfigIsWrittenAsEmptyObject) {
  const json dump = DumpFor({.verb = Verb::kCheck});
  EXPECT_EQ(dump["files"]["--config"]["content"], "{}");
}

TEST_F(ProcessExecutorTest, ReadPassesConfigCatalogAndStateInThatOrder) {
  const json dump = DumpFor(ReadInvocation());
  const json& files = dump["files"];
  EXPECT_EQ(dump["argv"],
            json::array({testutil::FakeConnectorPath().string(), "read", "--config",
                         files["--config"]["path"], "--catalog", files["--catalog"]["path"],
                         "--state", files["--state"]["path"]}));
  for (const char* flag : {"--config", "--catalog", "--state"}) {
    EXPECT_EQ(files[flag]["mode"], "0600") << flag;
  }
  EXPECT_EQ(files["--catalog"]["content"], R"({"streams":[]})");
}

TEST_F(ProcessExecutorTest, ReadAlwaysPassesStateFileHoldingEmptyArrayWithoutState) {
  const json dump = DumpFor(ReadInvocation());
  EXPECT_EQ(dump["files"]["--state"]["content"], "[]");
}

TEST_F(ProcessExecutorTest, ReadPassesGivenStateText) {
  Invocation invocation = ReadInvocation();
  invocation.state_json = R"([{"type":"LEGACY","data":{"x":1}}])";
  const json dump = DumpFor(invocation);
  EXPECT_EQ(dump["files"]["--state"]["content"], invocation.state_json);
}

TEST_F(ProcessExecutorTest, TempFilesAreCreatedUnderAirbyteTempDir) {
  const json dump = DumpFor(ReadInvocation());
  for (const char* flag : {"--config", "--catalog", "--state"}) {
    const std::filesystem::path path = dump["files"][flag]["path"].get<std::string>();
    EXPECT_EQ(path.parent_path().parent_path(), temp_root_) << flag;
  }
}

TEST_F(ProcessExecutorTest, TempDirIsRemovedAfterSuccess) {
  const json dump = DumpFor(ReadInvocation());
  EXPECT_FALSE(std::filesystem::exists(dump["files"]["--config"]["path"].get<std::string>()));
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
}

TEST_F(ProcessExecutorTest, TempDirIsRemovedAfterNonZeroExit) {
  ProcessExecutor executor = WithScript({{"read", {{{"exit", 3}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  Outcome outcome = RunToEnd(*stream);
  ASSERT_TRUE(outcome.error);
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
}

TEST_F(ProcessExecutorTest, TempDirIsRemovedAfterCancel) {
  ProcessExecutor executor =
      WithScript({{"read", {{{"emit", Record("users", 1)}}, {{"hang", true}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  protocol::Message message;
  ASSERT_TRUE(stream->Next(message));
  EXPECT_THAT(testutil::ListDir(temp_root_), SizeIs(1));  // present while it runs
  stream->Cancel();
  EXPECT_FALSE(stream->Next(message));
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
  EXPECT_TRUE(NoChildProcesses());
}

TEST_F(ProcessExecutorTest, DestroyingStreamMidwayStopsConnectorAndRemovesTempDir) {
  ProcessExecutor executor =
      WithScript({{"read", {{{"emit", Record("users", 1)}}, {{"hang", true}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  protocol::Message message;
  ASSERT_TRUE(stream->Next(message));
  EXPECT_THAT(testutil::ListDir(temp_root_), SizeIs(1));
  const auto start = Clock::now();
  stream.reset();
  EXPECT_LT(MillisSince(start), 2000);
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
  EXPECT_TRUE(NoChildProcesses());
}

TEST_F(ProcessExecutorTest, MissingExecutableThrowsExecutableNotFoundAndLeavesNoTempDir) {
  ProcessExecutor executor("source-missing", work_.path() / "no-such-connector");
  EXPECT_THAT([&] { executor.Execute(ReadInvocation()); },
              ThrowsError(ErrorKind::kExecutableNotFound, HasSubstr("no-such-connector")));
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
}

TEST_F(ProcessExecutorTest, DescribeNamesTheProgram) {
  ProcessExecutor executor("source-fake", "/opt/x/source-fake");
  EXPECT_EQ(executor.Describe(), "local executable /opt/x/source-fake");
}

// --- Exit codes and stderr ------------------------------------------------------------------

TEST_F(ProcessExecutorTest, NonZeroExitFailsWithExitCodeAndLastStderrLines) {
  ProcessExecutor executor = WithScript(
      {{"check",
        {{{"stderr", "starting up"}}, {{"stderr", "fatal: cannot reach host"}}, {{"exit", 3}}}}});
  std::unique_ptr<MessageStream> stream =
      executor.Execute({.verb = Verb::kCheck, .config = Json::object()});
  Outcome outcome = RunToEnd(*stream);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind(), ErrorKind::kConnectorFailed);
  EXPECT_EQ(outcome.error->ContextValue("exit_code"), "3");
  EXPECT_EQ(outcome.error->ContextValue("command"), "check");
  EXPECT_THAT(outcome.error->log_tail(), HasSubstr("fatal: cannot reach host"));
  EXPECT_THAT(outcome.error->Render(),
              AllOf(HasSubstr("Exit Code: 3"), HasSubstr("Connector Name: 'source-fake'"),
                    HasSubstr("starting up")));
}

TEST_F(ProcessExecutorTest, StderrSecretsAreMaskedInErrorAndLogTail) {
  constexpr const char* kSecret = "pw-executor-7781-zz";
  RegisterSecret(kSecret);
  ProcessExecutor executor =
      WithScript({{"check", {{{"stderr", std::string("password=") + kSecret}}, {{"exit", 1}}}}});
  std::unique_ptr<MessageStream> stream =
      executor.Execute({.verb = Verb::kCheck, .config = Json::object()});
  Outcome outcome = RunToEnd(*stream);
  ASSERT_TRUE(outcome.error);
  EXPECT_THAT(outcome.error->Render(), AllOf(Not(HasSubstr(kSecret)), HasSubstr("password=****")));
  EXPECT_THAT(stream->LogTail(), AllOf(Not(HasSubstr(kSecret)), HasSubstr("password=****")));
}

TEST_F(ProcessExecutorTest, LastStderrLinesOfABurstBeforeExitAreKept) {
  // Hundreds of lines in one write right before exiting: the drain thread must read them all
  // before the error is built, or the most useful line (the last) is lost.
  std::string burst;
  for (int i = 0; i < 2000; ++i) burst += "noise line " + std::to_string(i) + "\n";
  burst += "FINAL-MARKER the real reason";
  ProcessExecutor executor = WithScript({{"check", {{{"stderr", burst}}, {{"exit", 4}}}}});
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::unique_ptr<MessageStream> stream =
        executor.Execute({.verb = Verb::kCheck, .config = Json::object()});
    Outcome outcome = RunToEnd(*stream);
    ASSERT_TRUE(outcome.error);
    ASSERT_THAT(outcome.error->log_tail(), HasSubstr("FINAL-MARKER the real reason"))
        << "attempt " << attempt;
  }
}

TEST_F(ProcessExecutorTest, CrashBySegfaultIsReportedWithSignal) {
  ProcessExecutor executor =
      WithScript({{"read", {{{"emit", Record("users", 1)}}, {{"crash", true}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  Outcome outcome = RunToEnd(*stream);
  EXPECT_THAT(outcome.messages, SizeIs(1));
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind(), ErrorKind::kConnectorFailed);
  EXPECT_THAT(outcome.error->message(), HasSubstr("signal 11"));
  EXPECT_EQ(outcome.error->ContextValue("exit_code"), "-11");
  EXPECT_TRUE(NoChildProcesses());
}

TEST_F(ProcessExecutorTest, CrashByAbortIsReportedWithSignal) {
  ProcessExecutor executor = WithScript({{"read", {{{"crash", "abort"}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  Outcome outcome = RunToEnd(*stream);
  ASSERT_TRUE(outcome.error);
  EXPECT_THAT(outcome.error->message(), HasSubstr("signal 6"));
}

TEST_F(ProcessExecutorTest, MessagesBeforeNonZeroExitAreAllDeliveredFirst) {
  ProcessExecutor executor =
      WithScript({{"read", {{{"records", {{"stream", "users"}, {"count", 5}}}}, {{"exit", 2}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  Outcome outcome = RunToEnd(*stream);
  ASSERT_THAT(outcome.messages, SizeIs(5));
  for (const protocol::Message& message : outcome.messages) {
    EXPECT_EQ(message.type(), protocol::MessageType::kRecord);
  }
  EXPECT_EQ(outcome.messages.back().record().stream, "users");
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->ContextValue("exit_code"), "2");
}

TEST_F(ProcessExecutorTest, ExitZeroEndsWithoutError) {
  ProcessExecutor executor = WithScript({{"read", {{{"records", {{"count", 3}}}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  Outcome outcome = RunToEnd(*stream);
  EXPECT_FALSE(outcome.error);
  EXPECT_THAT(outcome.messages, SizeIs(3));
  protocol::Message message;
  EXPECT_FALSE(stream->Next(message));  // stays at the end
  EXPECT_TRUE(NoChildProcesses());
}

// --- Line handling (behavior doc 3.4) -------------------------------------------------------

TEST_F(ProcessExecutorTest, NonProtocolLinesBecomeLogMessagesAndTheStreamContinues) {
  ProcessExecutor executor = WithScript({{"read",
                                          {{{"line", "plain text output"}},
                                           {{"line", ""}},
                                           {{"line", "   "}},
                                           {{"line", Log("crlf ok").dump() + "\r"}},
                                           {{"line_hex", "ff fe 41"}},
                                           {{"line", R"({"type": "RECORD", broken)"}},
                                           {{"emit", Record("users", 7)}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  Outcome outcome = RunToEnd(*stream);
  ASSERT_FALSE(outcome.error) << outcome.error->Render();
  ASSERT_THAT(outcome.messages, SizeIs(5));  // the blank lines are skipped

  const protocol::LogMessage& plain = outcome.messages[0].log();
  EXPECT_EQ(plain.message, "plain text output");
  EXPECT_TRUE(plain.from_non_protocol_line);

  const protocol::LogMessage& crlf = outcome.messages[1].log();
  EXPECT_EQ(crlf.message, "crlf ok");
  EXPECT_FALSE(crlf.from_non_protocol_line);

  const protocol::LogMessage& bad_utf8 = outcome.messages[2].log();
  EXPECT_TRUE(bad_utf8.from_non_protocol_line);
  EXPECT_THAT(bad_utf8.message, AllOf(HasSubstr("\xEF\xBF\xBD"), EndsWith("A")));

  const protocol::LogMessage& broken = outcome.messages[3].log();
  EXPECT_TRUE(broken.from_non_protocol_line);
  EXPECT_EQ(broken.message, R"({"type": "RECORD", broken)");

  ASSERT_EQ(outcome.messages[4].type(), protocol::MessageType::kRecord);
  EXPECT_EQ(protocol::RecordDataJson(outcome.messages[4].record()), json({{"id", 7}}));
}

TEST_F(ProcessExecutorTest, LogMessagesAndNonProtocolLinesAppearInLogTail) {
  ProcessExecutor executor =
      WithScript({{"read", {{{"emit", Log("hello from log")}}, {{"line", "raw print"}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  RunToEnd(*stream);
  EXPECT_THAT(stream->LogTail(), AllOf(HasSubstr("INFO hello from log"), HasSubstr("raw print")));
}

TEST_F(ProcessExecutorTest, BytesReadCountsStdout) {
  ProcessExecutor executor = WithScript({{"read", {{{"line", "0123456789"}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  RunToEnd(*stream);
  EXPECT_EQ(stream->bytes_read(), 11u);
}

TEST_F(ProcessExecutorTest, RecordLineOf64MiBIsDeliveredAndTheStreamContinues) {
  constexpr std::size_t kBytes = 64u << 20;
  ProcessExecutor executor = WithScript({{"read",
                                          {{{"huge_line", {{"bytes", kBytes}, {"kind", "record"}}}},
                                           {{"emit", Record("users", 2)}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  protocol::Message message;
  ASSERT_TRUE(stream->Next(message));
  ASSERT_EQ(message.type(), protocol::MessageType::kRecord);
  EXPECT_GE(message.record().data.size(), kBytes);
  ASSERT_TRUE(stream->Next(message));
  ASSERT_EQ(message.type(), protocol::MessageType::kRecord);
  EXPECT_EQ(protocol::RecordDataJson(message.record()), json({{"id", 2}}));
  EXPECT_FALSE(stream->Next(message));
}

TEST_F(ProcessExecutorTest, HugeGarbageLineBecomesTruncatedLogMessage) {
  ProcessExecutor executor =
      WithScript({{"read",
                   {{{"huge_line", {{"bytes", 8u << 20}, {"kind", "garbage"}}}},
                    {{"emit", Record("users", 3)}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  Outcome outcome = RunToEnd(*stream);
  ASSERT_FALSE(outcome.error);
  ASSERT_THAT(outcome.messages, SizeIs(2));
  const protocol::LogMessage& log = outcome.messages[0].log();
  EXPECT_TRUE(log.from_non_protocol_line);
  EXPECT_THAT(log.message, AllOf(StartsWith("this is not json"), EndsWith("...(truncated)")));
  EXPECT_LE(log.message.size(), 128u * 1024);
  EXPECT_EQ(outcome.messages[1].type(), protocol::MessageType::kRecord);
}

TEST_F(ProcessExecutorTest, StderrFloodLargerThanPipeBufferDoesNotDeadlock) {
  std::string megabyte;
  while (megabyte.size() < (1u << 20)) megabyte += std::string(63, 'e') + "\n";
  ProcessExecutor executor =
      WithScript({{"read", {{{"stderr", megabyte}}, {{"records", {{"count", 3}}}}}}});
  Invocation invocation = ReadInvocation();
  invocation.limits.total_timeout = 10s;  // a deadlock fails the test instead of hanging it
  const auto start = Clock::now();
  std::unique_ptr<MessageStream> stream = executor.Execute(invocation);
  Outcome outcome = RunToEnd(*stream);
  EXPECT_FALSE(outcome.error) << outcome.error->Render();
  EXPECT_THAT(outcome.messages, SizeIs(3));
  EXPECT_LT(MillisSince(start), 5000);
}

// --- Early stop (behavior doc 3.7) ----------------------------------------------------------

TEST_F(ProcessExecutorTest, CancelFromAnotherThreadStopsAHangingConnectorPromptly) {
  ProcessExecutor executor =
      WithScript({{"read", {{{"emit", Record("users", 1)}}, {{"hang", true}}}}});
  std::unique_ptr<MessageStream> stream = executor.Execute(ReadInvocation());
  protocol::Message message;
  ASSERT_TRUE(stream->Next(message));
  const auto start = Clock::now();
  std::jthread canceller([&] {
    std::this_thread::sleep_for(100ms);
    stream->Cancel();
  });
  EXPECT_FALSE(stream->Next(message));  // blocks until the Cancel, then ends without error
  EXPECT_LT(MillisSince(start), 2000);
  canceller.join();
  stream->Cancel();  // idempotent
  EXPECT_FALSE(stream->Next(message));
  EXPECT_TRUE(NoChildProcesses());
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
}

TEST_F(ProcessExecutorTest, ConnectorIgnoringSigtermIsKilledAfterTheGrace) {
  ProcessExecutor executor = WithScript(
      {{"read", {{{"ignore_sigterm", true}}, {{"emit", Record("users", 1)}}, {{"hang", true}}}}});
  Invocation invocation = ReadInvocation();
  invocation.limits.terminate_grace = 300ms;
  std::unique_ptr<MessageStream> stream = executor.Execute(invocation);
  protocol::Message message;
  ASSERT_TRUE(stream->Next(message));
  const auto start = Clock::now();
  std::jthread canceller([&] { stream->Cancel(); });
  EXPECT_FALSE(stream->Next(message));
  const long long elapsed = MillisSince(start);
  EXPECT_GE(elapsed, 300);  // it survived SIGTERM, so we waited the grace out
  EXPECT_LT(elapsed, 2000);
  EXPECT_TRUE(NoChildProcesses());
}

TEST_F(ProcessExecutorTest, DestroyingStreamOfConnectorIgnoringSigtermKillsIt) {
  ProcessExecutor executor = WithScript(
      {{"read", {{{"ignore_sigterm", true}}, {{"emit", Record("users", 1)}}, {{"hang", true}}}}});
  Invocation invocation = ReadInvocation();
  invocation.limits.terminate_grace = 200ms;
  std::unique_ptr<MessageStream> stream = executor.Execute(invocation);
  protocol::Message message;
  ASSERT_TRUE(stream->Next(message));
  const auto start = Clock::now();
  stream.reset();
  EXPECT_LT(MillisSince(start), 2000);
  EXPECT_TRUE(NoChildProcesses());
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
}

TEST_F(ProcessExecutorTest, NoFileDescriptorsOrChildrenLeakOverManyOperations) {
  ProcessExecutor ok = WithScript({{"read", {{{"records", {{"count", 2}}}}}}});
  ProcessExecutor failing(
      "source-fake", testutil::FakeConnectorPath(),
      {"AIRBYTE_FAKE_CONNECTOR_SCRIPT=" +
       testutil::WriteText(work_.path() / "fail.json", R"({"read":[{"stderr":"x"},{"exit":1}]})")
           .string()});
  ProcessExecutor hanging(
      "source-fake", testutil::FakeConnectorPath(),
      {"AIRBYTE_FAKE_CONNECTOR_SCRIPT=" +
       testutil::WriteText(work_.path() / "hang.json",
                           R"({"read":[{"records":{"count":1}},{"hang":true}]})")
           .string()});
  auto one_round = [&](int i) {
    protocol::Message message;
    switch (i % 4) {
      case 0: {
        auto stream = ok.Execute(ReadInvocation());
        EXPECT_FALSE(RunToEnd(*stream).error);
        break;
      }
      case 1: {
        auto stream = failing.Execute(ReadInvocation());
        EXPECT_TRUE(RunToEnd(*stream).error);
        break;
      }
      case 2: {
        auto stream = hanging.Execute(ReadInvocation());
        EXPECT_TRUE(stream->Next(message));
        stream->Cancel();
        EXPECT_FALSE(stream->Next(message));
        break;
      }
      default: {
        auto stream = hanging.Execute(ReadInvocation());
        EXPECT_TRUE(stream->Next(message));
        break;  // destroyed mid-stream
      }
    }
  };
  one_round(0);  // warm-up: lazily opened descriptors of the runtime
  const int fds_before = testutil::CountOpenFds();
  for (int i = 0; i < 20; ++i) one_round(i);
  EXPECT_EQ(testutil::CountOpenFds(), fds_before);
  EXPECT_TRUE(NoChildProcesses());
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
}

// --- Timeouts -------------------------------------------------------------------------------

TEST_F(ProcessExecutorTest, IdleTimeoutFailsWithTimeoutError) {
  ProcessExecutor executor =
      WithScript({{"read", {{{"emit", Record("users", 1)}}, {{"hang", true}}}}});
  Invocation invocation = ReadInvocation();
  invocation.limits.idle_timeout = 300ms;
  std::unique_ptr<MessageStream> stream = executor.Execute(invocation);
  const auto start = Clock::now();
  Outcome outcome = RunToEnd(*stream);
  EXPECT_THAT(outcome.messages, SizeIs(1));
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind(), ErrorKind::kTimeout);
  EXPECT_THAT(outcome.error->message(), HasSubstr("idle"));
  EXPECT_EQ(outcome.error->ContextValue("timeout_ms"), "300");
  const long long elapsed = MillisSince(start);
  EXPECT_GE(elapsed, 250);
  EXPECT_LT(elapsed, 2000);
  EXPECT_TRUE(NoChildProcesses());
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
}

TEST_F(ProcessExecutorTest, OutputBeforeTheIdleLimitKeepsTheConnectorAlive) {
  json actions = json::array();
  for (int i = 0; i < 6; ++i) {
    actions.push_back({{"emit", Log("tick")}});
    actions.push_back({{"sleep_ms", 150}});
  }
  ProcessExecutor executor = WithScript({{"read", actions}});
  Invocation invocation = ReadInvocation();
  invocation.limits.idle_timeout = 500ms;  // total run ~900 ms, no gap longer than ~150 ms
  std::unique_ptr<MessageStream> stream = executor.Execute(invocation);
  Outcome outcome = RunToEnd(*stream);
  EXPECT_FALSE(outcome.error) << outcome.error->Render();
  EXPECT_THAT(outcome.messages, SizeIs(6));
}

TEST_F(ProcessExecutorTest, TotalTimeoutFailsWithTimeoutError) {
  ProcessExecutor executor = WithScript({{"read", {{{"hang", true}}}}});
  Invocation invocation = ReadInvocation();
  invocation.limits.total_timeout = 300ms;
  const auto start = Clock::now();
  std::unique_ptr<MessageStream> stream = executor.Execute(invocation);
  Outcome outcome = RunToEnd(*stream);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind(), ErrorKind::kTimeout);
  EXPECT_THAT(outcome.error->message(), HasSubstr("time limit"));
  EXPECT_LT(MillisSince(start), 2000);
  EXPECT_TRUE(NoChildProcesses());
}

TEST_F(ProcessExecutorTest, TotalTimeoutFiresWhileTheConnectorKeepsTalking) {
  json actions = json::array();
  for (int i = 0; i < 150; ++i) {  // ~3 s of a LOG line every 20 ms
    actions.push_back({{"emit", Log("still busy")}});
    actions.push_back({{"sleep_ms", 20}});
  }
  ProcessExecutor executor = WithScript({{"read", actions}});
  Invocation invocation = ReadInvocation();
  invocation.limits.total_timeout = 300ms;
  const auto start = Clock::now();
  std::unique_ptr<MessageStream> stream = executor.Execute(invocation);
  Outcome outcome = RunToEnd(*stream);
  ASSERT_TRUE(outcome.error) << "ran to the end after " << MillisSince(start) << " ms";
  EXPECT_EQ(outcome.error->kind(), ErrorKind::kTimeout);
  EXPECT_LT(MillisSince(start), 1500);
  EXPECT_TRUE(NoChildProcesses());
}

TEST_F(ProcessExecutorTest, TotalTimeoutFiresWhileTheConnectorFloodsStdout) {
  // Far more records than the reader can parse in the limit, so the pipe is never empty and
  // no read ever waits: the deadline must still be checked.
  ProcessExecutor executor = WithScript({{"read", {{{"records", {{"count", 20'000'000}}}}}}});
  Invocation invocation = ReadInvocation();
  invocation.limits.total_timeout = 300ms;
  const auto start = Clock::now();
  std::unique_ptr<MessageStream> stream = executor.Execute(invocation);
  Outcome outcome = RunToEnd(*stream);
  ASSERT_TRUE(outcome.error) << "ran to the end after " << MillisSince(start) << " ms";
  EXPECT_EQ(outcome.error->kind(), ErrorKind::kTimeout);
  EXPECT_LT(MillisSince(start), 1500);
  EXPECT_TRUE(NoChildProcesses());
}

}  // namespace
}  // namespace airbyte::executors
