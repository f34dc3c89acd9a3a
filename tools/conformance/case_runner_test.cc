// RunCase() end to end with a fake engine linked in place of airbyte_declarative: the fake
// "manifest" names one URL; the fake connector fetches it through the rewrite seam (so the
// request reaches the replay server) and emits records, a state and stream statuses stamped
// with the frozen clock.
#include "case_runner.h"

#include <httplib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "compare.h"
#include "connectors/declarative/declarative_source.h"
#include "protocol/json_convert.h"
#include "util/temp_dir.h"

namespace airbyte {
namespace declarative {
namespace {

class FakeDeclarativeConnector : public connectors::NativeConnector {
 public:
  FakeDeclarativeConnector(Json manifest, DeclarativeOptions options)
      : manifest_(std::move(manifest)), options_(std::move(options)) {}

  std::string_view name() const override { return options_.name; }
  protocol::ConnectorSpecification Spec() const override { return {}; }

  protocol::ConnectionStatus Check(const Json& config) const override {
    auto [status, body] = Fetch(config);
    if (status == 200) return {};
    return {.status = protocol::ConnectionStatusValue::kFailed,
            .message = "HTTP " + std::to_string(status)};
  }

  protocol::AirbyteCatalog Discover(const Json& /*config*/) const override {
    return {.streams = {{.name = "items", .supported_sync_modes = {protocol::SyncMode::kFullRefresh}}}};
  }

  void Read(const Json& config, const protocol::ConfiguredAirbyteCatalog& catalog,
            const std::vector<protocol::StateMessage>& /*state*/,
            connectors::MessageSink& sink) const override {
    const std::string stream = catalog.streams.at(0).stream.name;
    auto status = [&](protocol::StreamStatus value) {
      protocol::TraceMessage trace;
      trace.type = protocol::TraceType::kStreamStatus;
      trace.stream_status = protocol::StreamStatusTrace{.stream_descriptor = {.name = stream},
                                                        .status = value};
      sink.Emit(protocol::Message(std::move(trace)));
    };
    status(protocol::StreamStatus::kStarted);
    auto [code, body] = Fetch(config);
    if (code != 200) {
      status(protocol::StreamStatus::kIncomplete);
      throw Error(ErrorKind::kConnectorFailed, "sync failed");
    }
    status(protocol::StreamStatus::kRunning);
    for (const Json& item : Json::parse(body)) {
      Json data = item;
      data["now"] = options_.now_micros();
      sink.Emit(protocol::Message(protocol::RecordMessage{.stream = stream, .data = data.dump()}));
    }
    sink.Emit(protocol::Message(protocol::StateFromJson(Json{
        {"type", "STREAM"},
        {"stream", {{"stream_descriptor", {{"name", stream}}},
                    {"stream_state", {{"__ab_no_cursor_state_message", true}}}}}})));
    status(protocol::StreamStatus::kComplete);
  }

 private:
  std::pair<int, std::string> Fetch(const Json& config) const {
    options_.sleep(std::chrono::milliseconds(1000));
    // A URL outside the rewrite prefixes must be refused.
    if (options_.rewrite_url("https://elsewhere.example.com/x")) return {599, ""};
    const std::string url = manifest_["url"].get<std::string>() + "&key=" +
                            config["key"].get<std::string>();
    const std::optional<std::string> target = options_.rewrite_url(url);
    if (!target) return {598, ""};
    const std::string origin = target->substr(0, target->find('/', 7));
    httplib::Client client(origin);
    client.set_url_encode(false);
    auto res = client.Get(target->substr(origin.size()).c_str(),
                          {{"User-Agent", "airbyte-cpp"}, {"X-Key", config["key"].get<std::string>()}});
    if (!res) return {597, ""};
    return {res->status, res->body};
  }

  Json manifest_;
  DeclarativeOptions options_;
};

}  // namespace

std::unique_ptr<connectors::NativeConnector> MakeDeclarativeConnector(Json manifest,
                                                                      DeclarativeOptions options) {
  return std::make_unique<FakeDeclarativeConnector>(std::move(manifest), std::move(options));
}

Json ReadManifestFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  return Json::parse(in);
}

}  // namespace declarative

namespace conformance {
namespace {

using ::testing::HasSubstr;

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

class CaseRunnerTest : public ::testing::Test {
 protected:
  // shared/conformance/declarative/source-fake/<name>/ and shared/corpus/source-fake/manifest.
  std::filesystem::path WriteCase(const std::string& name, const std::string& command,
                                  const std::string& key) {
    const std::filesystem::path dir =
        dir_.path() / "shared" / "conformance" / "declarative" / "source-fake" / name;
    WriteFile(dir_.path() / "shared" / "corpus" / "source-fake" / "manifest.json",
              R"({"url": "https://api.example.com/v1/items?page=1"})");
    Json spec = {
        {"connector", "source-fake"},
        {"manifest", "corpus/source-fake/manifest.json"},
        {"description", "fake"},
        {"now", "2024-06-30T12:00:00Z"},
        {"command", command},
        {"config", {{"key", key}}},
        {"catalog", Json::parse(R"({"streams": [{"stream": {"name": "items",
            "json_schema": {"type": "object"}, "supported_sync_modes": ["full_refresh"]},
            "sync_mode": "full_refresh", "destination_sync_mode": "append"}]})")},
        {"state", nullptr},
        {"rewrite", {{"https://api.example.com", "REPLAY"}}},
        {"routes", Json::parse(R"([
            {"path": "/v1/items", "query": {"key": "good"}, "headers": {"x-key": "good"},
             "response": {"json": [{"id": 1, "amount": 5000.0}, {"id": 2, "amount": 1}]}},
            {"path": "/v1/items", "response": {"status": 401, "text": "no"}}])")}};
    WriteFile(dir / "case.json", spec.dump(2));
    return dir;
  }

  util::ScopedTempDir dir_;
};

TEST_F(CaseRunnerTest, ReadCaseMatchesItsExpectedOutcome) {
  const std::filesystem::path dir = WriteCase("read-ok", "read", "good");
  WriteFile(dir / "expected" / "records.jsonl",
            R"({"stream":"items","data":{"id":1,"amount":5000,"now":1719748800000000}})" "\n"
            R"({"stream":"items","data":{"id":2,"amount":1,"now":1719748800000000}})" "\n");
  WriteFile(dir / "expected" / "state.jsonl",
            R"({"type":"STREAM","stream":{"stream_descriptor":{"name":"items"},"stream_state":{"__ab_no_cursor_state_message":true}},"sourceStats":{"recordCount":2.0}})" "\n");
  WriteFile(dir / "expected" / "requests.jsonl",
            R"({"method":"GET","path":"/v1/items","query":{"page":"1","key":"good"},"headers":{"X-Key":"good"},"body":null})" "\n");
  WriteFile(dir / "expected" / "messages.txt",
            "exit_code 0\ncount LOG 2\ncount RECORD 2\ncount STATE 1\n"
            "count TRACE STREAM_STATUS 3\nstream_status items STARTED,RUNNING,COMPLETE\n");
  const CaseResult result = RunCase(dir, {});
  EXPECT_EQ(result.name, "source-fake/read-ok");
  EXPECT_FALSE(result.exception) << *result.exception;
  const Comparison comparison = Compare(result.expected, result.actual);
  for (const std::string& failure : comparison.failures) ADD_FAILURE() << failure;
  EXPECT_THAT(comparison.notes, ::testing::ElementsAre(HasSubstr("count LOG")));
}

TEST_F(CaseRunnerTest, FailedReadExitsOneAndFailedCheckExitsZero) {
  const std::filesystem::path read = WriteCase("read-bad", "read", "bad");
  const CaseResult read_result = RunCase(read, {});
  ASSERT_FALSE(read_result.actual.messages.empty());
  EXPECT_EQ(read_result.actual.messages[0], "exit_code 1");
  EXPECT_THAT(*read_result.exception, HasSubstr("sync failed"));
  EXPECT_EQ(read_result.actual.requests.size(), 1u);

  const std::filesystem::path check = WriteCase("check-bad", "check", "bad");
  const CaseResult check_result = RunCase(check, {});
  EXPECT_THAT(check_result.actual.messages,
              ::testing::ElementsAre("exit_code 0", "count CONNECTION_STATUS 1",
                                     "connection_status FAILED", "connection_message HTTP 401"));
}

TEST_F(CaseRunnerTest, MissingManifestIsAnInputError) {
  const std::filesystem::path dir = WriteCase("read-ok", "read", "good");
  std::filesystem::remove(dir_.path() / "shared" / "corpus" / "source-fake" / "manifest.json");
  EXPECT_THROW(RunCase(dir, {}), Error);
}

TEST_F(CaseRunnerTest, ManifestsRootResolvesConnectorRelativePaths) {
  const std::filesystem::path dir = WriteCase("read-ok", "discover", "good");
  Json spec = Json::parse(std::ifstream(dir / "case.json"));
  spec["manifest"] = "source-fake/manifest.json";
  WriteFile(dir / "case.json", spec.dump());
  const CaseResult result = RunCase(dir, {.manifests_root = dir_.path() / "shared" / "corpus"});
  ASSERT_TRUE(result.actual.catalog);
  EXPECT_EQ((*result.actual.catalog)["streams"][0]["name"], "items");
}

TEST(CaseRunnerHelpersTest, FindCasesWalksParentsSorted) {
  util::ScopedTempDir dir;
  WriteFile(dir.path() / "b" / "two" / "case.json", "{}");
  WriteFile(dir.path() / "a" / "one" / "case.json", "{}");
  WriteFile(dir.path() / "a" / "one" / "expected" / "messages.txt", "exit_code 0\n");
  EXPECT_THAT(FindCases(dir.path()),
              ::testing::ElementsAre(dir.path() / "a" / "one", dir.path() / "b" / "two"));
  EXPECT_THAT(FindCases(dir.path() / "b" / "two"), ::testing::ElementsAre(dir.path() / "b" / "two"));
}

TEST(CaseRunnerHelpersTest, ParsesTheFrozenInstant) {
  EXPECT_EQ(ParseInstantMicros("2024-06-30T12:00:00Z"), 1719748800LL * 1'000'000);
  EXPECT_EQ(ParseInstantMicros("1970-01-01T00:00:01.5Z"), 1'500'000);
  EXPECT_EQ(ParseInstantMicros("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_THROW(ParseInstantMicros("yesterday"), Error);
}

TEST(CaseRunnerHelpersTest, RewritesPrefixedUrlsKeepingTheWholePathAndQuery) {
  const std::vector<std::string> prefixes = {"https://api.nasa.gov", "https://login.x.com/tenant"};
  const std::string base = "http://127.0.0.1:5000";
  EXPECT_EQ(RewriteUrl("https://api.nasa.gov/planetary/apod?a=1&b=%20", prefixes, base),
            "http://127.0.0.1:5000/planetary/apod?a=1&b=%20");
  EXPECT_EQ(RewriteUrl("https://api.nasa.gov", prefixes, base), "http://127.0.0.1:5000/");
  EXPECT_EQ(RewriteUrl("https://api.nasa.gov?x=1", prefixes, base), "http://127.0.0.1:5000/?x=1");
  EXPECT_EQ(RewriteUrl("https://login.x.com/tenant/oauth2/token", prefixes, base),
            "http://127.0.0.1:5000/tenant/oauth2/token");
  EXPECT_EQ(RewriteUrl("https://login.x.com/other", prefixes, base), std::nullopt);
  EXPECT_EQ(RewriteUrl("http://api.nasa.gov/x", prefixes, base), std::nullopt);
}

}  // namespace
}  // namespace conformance
}  // namespace airbyte
