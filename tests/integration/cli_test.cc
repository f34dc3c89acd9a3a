// End-to-end tests of the `airbyte` executable: the real binary, run as a child process
// against the fake connector, checked by its stdout, stderr and exit code.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

using nlohmann::json;
using testutil::CommandResult;

using testutil::Lines;

class CliTest : public ::testing::Test {
 protected:
  util::ScopedTempDir work_{"cli-test-"};
  // The connector as a user has it: an executable named source-fake, referenced by path.
  std::filesystem::path connector_ = [this] {
    std::filesystem::path link = work_.path() / "connectors" / "source-fake";
    std::filesystem::create_directories(link.parent_path());
    std::filesystem::create_symlink(testutil::FakeConnectorPath(), link);
    return link;
  }();
  std::filesystem::path temp_root_ = work_.path() / "airbyte-tmp";
  std::filesystem::path script_path_ = testutil::WriteText(work_.path() / "script.json", "{}");

  void SetScript(const json& script) { testutil::WriteText(script_path_, script.dump()); }

  // Runs `airbyte <args...>` with the fake connector's script and a private temp dir.
  CommandResult Airbyte(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), testutil::CliPath().string());
    env.push_back("AIRBYTE_FAKE_CONNECTOR_SCRIPT=" + script_path_.string());
    env.push_back("AIRBYTE_TEMP_DIR=" + temp_root_.string());
    CommandResult result = testutil::RunCommand(args, env);
    // Whatever happened, no connector config (with its secrets) is left behind.
    EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
    return result;
  }

  std::string Source() const { return connector_.string(); }
};

// A readable failure message: the whole output of the command.
std::string Describe(const CommandResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout:\n" + r.out + "\n--- stderr:\n" +
         r.err;
}

// --- Commands -------------------------------------------------------------------------------

TEST_F(CliTest, SpecPrintsTheSpecAsJson) {
  const CommandResult r = Airbyte({"spec", "--source", Source()});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  const json spec = json::parse(r.out);
  EXPECT_EQ(spec["connectionSpecification"]["required"], json({"api_key"}));
  EXPECT_EQ(spec["documentationUrl"], "https://docs.airbyte.com/integrations/sources/fake");
}

TEST_F(CliTest, CheckSucceedsWithExitZeroAndAMessageOnStderr) {
  const CommandResult r = Airbyte({"check", "--source", Source(), "--config", "{api_key: good}"});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("Connection check succeeded for `source-fake`."));
  EXPECT_THAT(r.out, IsEmpty());
}

TEST_F(CliTest, FailedCheckExitsOneWithRenderedError) {
  const CommandResult r = Airbyte({"check", "--source", Source(), "--config", "{api_key: bad}"});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_THAT(r.err,
              AllOf(HasSubstr("Connector check failed. (AirbyteConnectorCheckFailedError)"),
                    HasSubstr("Failure Reason: 'Invalid api_key'"),
                    HasSubstr("------------------------------------------------------------")));
  EXPECT_THAT(r.out, IsEmpty());
}

TEST_F(CliTest, DiscoverPrintsTheCatalogAsJson) {
  const CommandResult r = Airbyte({"discover", "--source", Source(), "--config", "{api_key: k}"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  const json catalog = json::parse(r.out);
  ASSERT_THAT(catalog["streams"], SizeIs(2));
  EXPECT_EQ(catalog["streams"][0]["name"], "users");
  EXPECT_EQ(catalog["streams"][1]["name"], "Products");
}

TEST_F(CliTest, RecordsPrintsJsonLinesUpToTheLimit) {
  const CommandResult r =
      Airbyte({"records", "--source", Source(), "--config", "{api_key: k, count: 1000}", "--stream",
               "users", "--limit", "3"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_THAT(lines, SizeIs(3));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const json record = json::parse(lines[i]);
    EXPECT_EQ(record["id"], i + 1);
    EXPECT_EQ(record["name"], "user-" + std::to_string(i + 1));
    EXPECT_FALSE(record.contains("_airbyte_raw_id")) << lines[i];
  }
}

TEST_F(CliTest, InlineYamlConfigIsUsed) {
  const CommandResult r =
      Airbyte({"records", "--source", Source(), "--config", "{count: 3}", "--stream", "Products"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_THAT(lines, SizeIs(3));
  EXPECT_EQ(json::parse(lines[2]), json({{"id", 3}, {"Title", "Product 3"}}));
}

TEST_F(CliTest, YamlConfigFileIsUsed) {
  const auto config = testutil::WriteText(work_.path() / "config.yaml", "api_key: k\ncount: 2\n");
  const CommandResult r =
      Airbyte({"records", "--source", Source(), "--config", config.string(), "--stream", "users"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_THAT(Lines(r.out), SizeIs(2));
}

TEST_F(CliTest, JsonConfigFileIsUsed) {
  const auto config =
      testutil::WriteText(work_.path() / "config.json", R"({"api_key": "k", "count": 4})");
  const CommandResult r =
      Airbyte({"records", "--source", Source(), "--config", config.string(), "--stream", "users"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_THAT(Lines(r.out), SizeIs(4));
}

TEST_F(CliTest, SourceNameIsFoundOnPath) {
  const std::string path = "PATH=" + connector_.parent_path().string() + ":/usr/bin:/bin";
  const CommandResult r = Airbyte({"spec", "--source", "source-fake"}, {path});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(json::parse(r.out).contains("connectionSpecification"));
}

TEST_F(CliTest, RecordsIntoAPipeClosedEarlyEndCleanly) {
  // `airbyte records ... | head -n 1`: the reader goes away, the connector must be stopped
  // and the CLI must exit 0 right away, not after reading a million records.
  const auto start = std::chrono::steady_clock::now();
  const CommandResult r = testutil::RunCommand(
      {"/bin/bash", "-c",
       "set -o pipefail; \"$0\" records --source \"$1\" --config '{count: 1000000}' "
       "--stream users | head -n 1",
       testutil::CliPath().string(), Source()},
      {"AIRBYTE_TEMP_DIR=" + temp_root_.string()});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_THAT(Lines(r.out), ElementsAre(StartsWith("{\"id\":1,")));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
}

// --- Bad input: exit 2 ----------------------------------------------------------------------

TEST_F(CliTest, MissingConfigFileExitsTwo) {
  const CommandResult r = Airbyte(
      {"check", "--source", Source(), "--config", (work_.path() / "missing.yaml").string()});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_THAT(r.err, AllOf(HasSubstr("Config file not found."), HasSubstr("missing.yaml")));
}

TEST_F(CliTest, InvalidInlineConfigExitsTwo) {
  const CommandResult r = Airbyte(
      {"check", "--source", Source(), "--config", "{api_key: sk-not-echoed-1234, x: [unclosed"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_THAT(r.err, AllOf(HasSubstr("PyAirbyteInputError"), HasSubstr("line 1"),
                           Not(HasSubstr("sk-not-echoed-1234"))));
}

TEST_F(CliTest, SourceRefWithoutPrefixExitsTwo) {
  const CommandResult r = Airbyte({"spec", "--source", "foo"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("Expected a source name, docker image, or path to executable."));
}

TEST_F(CliTest, DockerImageRefExitsTwo) {
  const CommandResult r = Airbyte({"spec", "--source", "airbyte/source-faker:6.0"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("Docker"));
}

TEST_F(CliTest, MissingExecutablePathExitsTwo) {
  const CommandResult r =
      Airbyte({"spec", "--source", (work_.path() / "nowhere" / "source-x").string()});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("Source executable not found."));
}

TEST_F(CliTest, UnknownSourceNameExitsTwo) {
  const CommandResult r = Airbyte({"spec", "--source", "source-not-installed-anywhere"},
                                  {"PATH=" + work_.path().string()});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("source-not-installed-anywhere"));
}

TEST_F(CliTest, UnknownStreamExitsTwo) {
  const CommandResult r =
      Airbyte({"records", "--source", Source(), "--config", "{api_key: k}", "--stream", "nope"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("Requested stream does not exist."));
}

TEST_F(CliTest, UnknownFlagExitsTwo) {
  const CommandResult r = Airbyte({"spec", "--source", Source(), "--bogus"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_THAT(r.err + r.out, HasSubstr("--bogus"));
}

TEST_F(CliTest, MissingRequiredOptionExitsTwo) {
  const CommandResult r = Airbyte({"check", "--source", Source()});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_THAT(r.err + r.out, HasSubstr("--config"));
}

TEST_F(CliTest, NoCommandExitsTwo) {
  const CommandResult r = Airbyte({});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
}

TEST_F(CliTest, HelpOfEveryCommandShowsAnExample) {
  for (const char* command : {"spec", "check", "discover", "records", "read"}) {
    const CommandResult r = Airbyte({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command << "\n" << Describe(r);
    EXPECT_THAT(r.out, AllOf(HasSubstr("Example"), HasSubstr("airbyte " + std::string(command)),
                             HasSubstr("--source")))
        << command;
  }
}

TEST_F(CliTest, TopLevelHelpListsCommandsAndExitCodes) {
  const CommandResult r = Airbyte({"--help"});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_THAT(r.out, AllOf(HasSubstr("spec"), HasSubstr("records"), HasSubstr("Exit codes")));
}

TEST_F(CliTest, VersionPrintsTheVersion) {
  const CommandResult r = Airbyte({"--version"});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_THAT(r.out, MatchesRegex("airbyte [0-9]+\\.[0-9]+\\.[0-9]+\n?"));
}

// --- Connector failures: exit 1 -------------------------------------------------------------

TEST_F(CliTest, ConnectorExitingNonZeroExitsOneWithTheExitCode) {
  SetScript(
      {{"read", {{{"records", {{"count", 1}}}}, {{"stderr", "disk on fire"}}, {{"exit", 3}}}}});
  const CommandResult r =
      Airbyte({"records", "--source", Source(), "--config", "{api_key: k}", "--stream", "users"});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_THAT(r.err, AllOf(HasSubstr("AirbyteConnectorFailedError"), HasSubstr("Exit Code: 3"),
                           HasSubstr("disk on fire")));
  EXPECT_THAT(Lines(r.out), SizeIs(1));  // the record before the failure was printed
}

TEST_F(CliTest, IdleTimeoutExitsOneWithTimeoutError) {
  SetScript({{"read", {{{"records", {{"count", 1}}}}, {{"hang", true}}}}});
  const auto start = std::chrono::steady_clock::now();
  const CommandResult r = Airbyte({"records", "--source", Source(), "--config", "{api_key: k}",
                                   "--stream", "users", "--idle-timeout", "0.3"});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("AirbyteConnectorTimeoutError"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// --- Secrets --------------------------------------------------------------------------------

constexpr const char* kApiKey = "cli-secret-api-7777";
constexpr const char* kPassword = "cli-secret-pw-8888";

std::string SecretConfig() {
  return std::string("{api_key: ") + kApiKey + ", nested: {password: " + kPassword + "}}";
}

TEST_F(CliTest, SecretsEchoedByAFailingCheckNeverReachTheOutput) {
  SetScript({{"check",
              {{{"stderr_config", true}},
               {{"log_config", true}},
               {{"trace_error_config", true}},
               {{"exit", 1}}}}});
  const CommandResult r = Airbyte({"check", "--source", Source(), "--config", SecretConfig()});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("Connector failed with config"));  // the connector's text is shown
  EXPECT_THAT(r.out + r.err,
              AllOf(Not(HasSubstr(kApiKey)), Not(HasSubstr(kPassword)), HasSubstr("****")));
}

TEST_F(CliTest, SecretsEchoedByAFailingReadNeverReachTheOutput) {
  SetScript({{"read",
              {{{"records", {{"count", 2}}}},
               {{"stderr_config", true}},
               {{"log_config", true}},
               {{"trace_error_config", true}}}}});
  const CommandResult r =
      Airbyte({"records", "--source", Source(), "--config", SecretConfig(), "--stream", "users"});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_THAT(r.out + r.err,
              AllOf(Not(HasSubstr(kApiKey)), Not(HasSubstr(kPassword)), HasSubstr("****")));
}

TEST_F(CliTest, SecretsInAConfigFileNeverReachTheOutput) {
  SetScript({{"discover", {{{"stderr_config", true}}, {{"exit", 2}}}}});
  const auto config = testutil::WriteText(
      work_.path() / "secret.json",
      json({{"api_key", kApiKey}, {"nested", {{"password", kPassword}}}}).dump());
  const CommandResult r = Airbyte({"discover", "--source", Source(), "--config", config.string()});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_THAT(r.out + r.err,
              AllOf(Not(HasSubstr(kApiKey)), Not(HasSubstr(kPassword)), HasSubstr("Exit Code: 2")));
}

}  // namespace
}  // namespace airbyte

namespace airbyte {
namespace {

class CliCacheTest : public ::testing::Test {
 protected:
  CommandResult Airbyte(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), testutil::CliPath().string());
    env.push_back("AIRBYTE_PROJECT_DIR=" + work_.path().string());
    env.push_back("AIRBYTE_CACHE_ROOT=");
    return testutil::RunCommand(args, env);
  }
  util::ScopedTempDir work_{"cli-cache-test-"};
};

TEST_F(CliCacheTest, ReadPrintsCountsAsJsonAndSqlQueriesTheCache) {
  const std::string db = (work_.path() / "faker.duckdb").string();
  const CommandResult read = Airbyte({"read", "--source", "source-faker", "--config",
                                      "{count: 50, seed: 3}", "--streams", "users,products",
                                      "--cache", db, "--json"});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  const json out = json::parse(read.out);
  EXPECT_EQ(out["processed_records"], 100);
  EXPECT_EQ(out["streams"]["users"], (json{{"records", 50}, {"table", "users"}}));
  EXPECT_EQ(out["streams"]["products"]["records"], 50);
  EXPECT_EQ(out["cache"], db);

  const CommandResult sql =
      Airbyte({"sql", "--cache", db, "--json", "SELECT count(*) AS n FROM users"});
  ASSERT_EQ(sql.exit_code, 0) << sql.err;
  EXPECT_EQ(json::parse(sql.out), (json{{"n", 50}}));
  const CommandResult table = Airbyte({"sql", "--cache", db, "SELECT id FROM users WHERE id <= 2 ORDER BY id"});
  EXPECT_THAT(Lines(table.out), ElementsAre(MatchesRegex("id *"), MatchesRegex("-+"),
                                            MatchesRegex("1 *"), MatchesRegex("2 *"), "(2 rows)"));
}

TEST_F(CliCacheTest, ReadWithoutCacheUsesTheProjectDefaultCache) {
  const CommandResult read = Airbyte({"read", "--source", "source-faker", "--config",
                                      "{count: 10}", "--streams", "users"});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_THAT(read.out, HasSubstr("users: 10 records -> table users"));
  EXPECT_TRUE(std::filesystem::exists(work_.path() / ".cache/default_cache/default_cache.duckdb"));
  const CommandResult sql = Airbyte({"sql", "--json", "SELECT count(*) AS n FROM users"});
  EXPECT_EQ(json::parse(sql.out)["n"], 10);
}

TEST_F(CliCacheTest, BadStrategyAndBadSqlAreReported) {
  const CommandResult bad = Airbyte({"read", "--source", "source-faker", "--write-strategy",
                                     "bogus"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("Invalid strategy"));
  const CommandResult sql = Airbyte({"sql", "SELECT * FROM no_such_table"});
  EXPECT_EQ(sql.exit_code, 1);
  EXPECT_THAT(sql.err, HasSubstr("no_such_table"));
}

TEST_F(CliCacheTest, FullRefreshAndWriteStrategiesReachTheCache) {
  const std::string db = (work_.path() / "c.duckdb").string();
  for (int i = 0; i < 2; ++i) {
    const CommandResult read =
        Airbyte({"read", "--source", "source-faker", "--config", "{count: 20}", "--streams",
                 "users", "--cache", db, "--write-strategy", "append", "--json"});
    ASSERT_EQ(read.exit_code, 0) << read.err;
  }
  EXPECT_EQ(json::parse(Airbyte({"sql", "--cache", db, "--json", "SELECT count(*) AS n FROM users"}).out)["n"], 40);
  const CommandResult replace =
      Airbyte({"read", "--source", "source-faker", "--config", "{count: 20}", "--streams",
               "users", "--cache", db, "--write-strategy", "replace", "--full-refresh"});
  ASSERT_EQ(replace.exit_code, 0) << replace.err;
  EXPECT_EQ(json::parse(Airbyte({"sql", "--cache", db, "--json", "SELECT count(*) AS n FROM users"}).out)["n"], 20);
}

}  // namespace
}  // namespace airbyte
