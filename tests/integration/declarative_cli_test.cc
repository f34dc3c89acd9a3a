// Declarative manifests through the product's entry points: `airbyte run-connector --manifest`
// (a drop-in for source-declarative-manifest), `airbyte read --manifest` into a DuckDB file,
// GetSource(name, {.source_manifest = path}) with Source::Read(), and refusal of manifests with
// custom components. The API is a cpp-httplib server on 127.0.0.1; the manifest takes its
// url_base from the config, so no test seam is involved.
#include <httplib.h>

#include <chrono>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "airbyte/airbyte.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kApiKey = "decl-secret-9f8e7d";

constexpr const char* kManifest = R"(
version: 6.5.0
type: DeclarativeSource
check:
  type: CheckStream
  stream_names: [users]
definitions:
  requester:
    type: HttpRequester
    url_base: "{{ config['base_url'] }}"
    authenticator:
      type: ApiKeyAuthenticator
      api_token: "{{ config['api_key'] }}"
      inject_into: {type: RequestOption, inject_into: request_parameter, field_name: key}
streams:
  - type: DeclarativeStream
    name: users
    primary_key: [id]
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/requester"
        path: /users
      record_selector:
        type: RecordSelector
        extractor: {type: DpathExtractor, field_path: [data]}
      paginator:
        type: DefaultPaginator
        page_token_option: {type: RequestOption, inject_into: request_parameter, field_name: cursor}
        pagination_strategy:
          type: CursorPagination
          cursor_value: "{{ response.next }}"
    schema_loader:
      type: InlineSchemaLoader
      schema:
        type: object
        properties:
          id: {type: integer}
          name: {type: string}
spec:
  type: Spec
  connection_specification:
    type: object
    required: [base_url, api_key]
    properties:
      base_url: {type: string}
      api_key: {type: string, airbyte_secret: true}
)";

class DeclarativeCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Get("/users", [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_param_value("key") != kApiKey) {
        res.status = 401;
        res.set_content(R"({"message":"bad key"})", "application/json");
        return;
      }
      nlohmann::json body;
      if (!req.has_param("cursor")) {
        body = {{"data", {{{"id", 1}, {"name", "Ada"}}, {{"id", 2}, {"name", "Alan"}}}},
                {"next", "p2"}};
      } else {
        body = {{"data", {{{"id", 3}, {"name", "Grace"}}}}, {"next", nullptr}};
      }
      res.set_content(body.dump(), "application/json");
    });
    server_.Get("/manifest.yaml", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(kManifest, "application/yaml");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    manifest_ = dir_.WriteFile("manifest.yaml", kManifest).string();
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }

  nlohmann::json Config(const std::string& key = kApiKey) const {
    return {{"base_url", "http://127.0.0.1:" + std::to_string(port_)}, {"api_key", key}};
  }
  testutil::CommandResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), testutil::CliPath().string());
    return testutil::RunCommand(args, {"AIRBYTE_LOGGING_ROOT=" + (dir_.path() / "logs").string()});
  }

  util::ScopedTempDir dir_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::string manifest_;
};

TEST_F(DeclarativeCliTest, RunConnectorSpeaksTheProtocol) {
  const std::string config = dir_.WriteFile("config.json", Config().dump()).string();
  testutil::CommandResult spec = Cli({"run-connector", "--manifest", manifest_, "spec"});
  ASSERT_EQ(spec.exit_code, 0) << spec.err;
  nlohmann::json spec_message = nlohmann::json::parse(spec.out);
  EXPECT_EQ(spec_message["type"], "SPEC");
  EXPECT_EQ(spec_message["spec"]["connectionSpecification"]["required"][1], "api_key");

  testutil::CommandResult check =
      Cli({"run-connector", "--manifest", manifest_, "check", "--config", config});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_THAT(check.out, HasSubstr(R"("status":"SUCCEEDED")"));

  const std::string catalog = dir_.WriteFile("catalog.json", R"({"streams": [{"stream": {
      "name": "users", "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
      "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]})").string();
  testutil::CommandResult read = Cli({"run-connector", "--manifest", manifest_, "read",
                                      "--config", config, "--catalog", catalog});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  std::vector<std::string> names;
  for (const std::string& line : testutil::Lines(read.out)) {
    nlohmann::json message = nlohmann::json::parse(line);
    if (message["type"] == "RECORD") names.push_back(message["record"]["data"]["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Ada", "Alan", "Grace"}));
  EXPECT_THAT(read.out, Not(HasSubstr(kApiKey)));
}

TEST_F(DeclarativeCliTest, ReadLandsInTheDuckDbCacheWithoutLeakingTheKey) {
  const std::string cache = (dir_.path() / "cache.duckdb").string();
  testutil::CommandResult read =
      Cli({"read", "--source", "source-local-users", "--manifest", manifest_, "--config",
           Config().dump(), "--cache", cache, "--json"});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  nlohmann::json result = nlohmann::json::parse(read.out);
  EXPECT_EQ(result["processed_records"], 3);
  EXPECT_EQ(result["streams"]["users"]["records"], 3);

  testutil::CommandResult sql =
      Cli({"sql", "--cache", cache, "--json", "SELECT id, name FROM users ORDER BY id"});
  ASSERT_EQ(sql.exit_code, 0) << sql.err;
  EXPECT_THAT(sql.out, HasSubstr("Grace"));

  // A rejected key: the check fails, naming the HTTP reason, and the key is nowhere.
  testutil::CommandResult check = Cli({"check", "--source", "source-local-users", "--manifest",
                                       manifest_, "--config", Config("wrong-key-123456").dump()});
  EXPECT_NE(check.exit_code, 0);
  EXPECT_THAT(check.out + check.err, HasSubstr("401"));
  for (const std::string& text : {read.out, read.err, sql.out, check.out, check.err}) {
    EXPECT_THAT(text, Not(HasSubstr(kApiKey)));
    EXPECT_THAT(text, Not(HasSubstr("wrong-key-123456")));
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path() / "logs")) {
    if (!entry.is_regular_file()) continue;
    std::string log = testutil::ReadText(entry.path());
    EXPECT_THAT(log, Not(HasSubstr(kApiKey))) << entry.path();
    EXPECT_THAT(log, Not(HasSubstr("wrong-key-123456"))) << entry.path();
  }
}

TEST_F(DeclarativeCliTest, GetSourceWithManifestReadsIntoACache) {
  Source source = GetSource("source-local-users", Config(), {.source_manifest = manifest_});
  source.SelectAllStreams();
  DuckDbCache cache({.db_path = dir_.path() / "api.duckdb"});
  ReadResult result = source.Read(cache);
  EXPECT_EQ(result.processed_records(), 3);
  EXPECT_EQ(result["users"].Count(), 3u);
  // A URL (downloaded once) and inline YAML work as well as a path.
  Source remote = GetSource("source-local-users", Config(),
                            {.source_manifest = "http://127.0.0.1:" + std::to_string(port_) +
                                                "/manifest.yaml"});
  EXPECT_EQ(remote.DiscoveredCatalog()["streams"][0]["name"], "users");
  Source inline_source =
      GetSource("source-local-users", Config(), {.source_manifest = std::string(kManifest)});
  EXPECT_EQ(inline_source.DiscoveredCatalog()["streams"][0]["name"], "users");
}

TEST_F(DeclarativeCliTest, ManifestsWithCustomComponentsAreRefusedByName) {
  std::string custom = std::string(kManifest);
  custom.replace(custom.find("type: DpathExtractor, field_path: [data]"),
                 std::string("type: DpathExtractor, field_path: [data]").size(),
                 "type: CustomRecordExtractor, class_name: source_x.components.UserExtractor");
  const std::string path = dir_.WriteFile("custom.yaml", custom).string();
  testutil::CommandResult spec = Cli({"spec", "--source", "source-x", "--manifest", path});
  EXPECT_NE(spec.exit_code, 0);
  EXPECT_THAT(spec.err, HasSubstr("source_x.components.UserExtractor"));
  EXPECT_THAT(spec.err, HasSubstr("custom Python components"));
}

}  // namespace
}  // namespace airbyte
