// Golden-output tests of the `airbyte` commands added with progress and logs: the real binary
// against built-in connectors, the slow script connector and real DuckDB files. Times, rates
// and clocks are normalized before comparing.
#include <filesystem>
#include <regex>
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
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

using nlohmann::json;
using testutil::CommandResult;

std::string Describe(const CommandResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout:\n" + r.out + "\n--- stderr:\n" +
         r.err;
}

// Replaces what changes from run to run: durations, rates, MB figures, clocks, dates.
std::string Normalize(std::string text) {
  const std::pair<const char*, const char*> rules[] = {
      {"[0-9]+(\\.[0-9]+)? seconds", "<T>"},
      {"[0-9]+min( [0-9]+s)?", "<T>"},
      {"[0-9][0-9,]*\\.[0-9]( records/s|\n)", "<R>$1"},
      {"[0-9]+\\.[0-9]{2} MB", "<MB>"},
      {"[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(\\+[0-9]{2})?", "<CLOCK>"},
      {"[0-9]{4}-[0-9]{2}-[0-9]{2}", "<DATE>"},
  };
  for (const auto& [pattern, replacement] : rules) {
    text = std::regex_replace(text, std::regex(pattern), replacement);
  }
  // Right-aligned numbers shift columns; collapse runs of spaces inside table rows.
  return std::regex_replace(text, std::regex("  +"), "  ");
}

class CliCommandsTest : public ::testing::Test {
 protected:
  CommandResult Airbyte(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), testutil::CliPath().string());
    env.push_back("AIRBYTE_PROJECT_DIR=" + work_.path().string());
    env.push_back("AIRBYTE_CACHE_ROOT=");
    env.push_back("AIRBYTE_LOGGING_ROOT=" + logs_.string());
    return testutil::RunCommand(args, env);
  }
  std::string Db() const { return (work_.path() / "c.duckdb").string(); }
  std::string Slow() const {
    return std::string(AIRBYTE_SOURCE_DIR) + "/tests/data/source_slow.sh";
  }
  std::vector<std::filesystem::path> LogFiles(const std::string& connector) const {
    std::vector<std::filesystem::path> files;
    for (const std::string& name : testutil::ListDir(logs_ / connector)) {
      files.push_back(logs_ / connector / name);
    }
    return files;
  }

  util::ScopedTempDir work_{"cli-commands-test-"};
  std::filesystem::path logs_ = work_.path() / "logs";
};

// --- connectors --------------------------------------------------------------------------

TEST_F(CliCommandsTest, ConnectorsListsTheBuiltIns) {
  const CommandResult r = Airbyte({"connectors"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out,
            "NAME               TYPE    INSTALL\n"
            "source-e2e-test    source  native\n"
            "source-faker       source  native\n"
            "source-smoke-test  source  native\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliCommandsTest, ConnectorsJsonAndFilters) {
  const CommandResult all = Airbyte({"connectors", "--type", "source", "--json"});
  ASSERT_EQ(all.exit_code, 0) << Describe(all);
  const json list = json::parse(all.out);
  ASSERT_THAT(list, SizeIs(3));
  EXPECT_EQ(list[1], (json{{"name", "source-faker"}, {"type", "source"},
                           {"install_types", {"native"}}}));
  const CommandResult destinations = Airbyte({"connectors", "--type", "destination", "--json"});
  EXPECT_EQ(destinations.exit_code, 0);
  EXPECT_EQ(destinations.out, "[]\n");
  EXPECT_THAT(destinations.err, HasSubstr("Only built-in (native) source connectors"));
  const CommandResult docker = Airbyte({"connectors", "--install-type", "docker"});
  EXPECT_EQ(docker.exit_code, 0);
  EXPECT_EQ(docker.out, "");
  const CommandResult bad = Airbyte({"connectors", "--type", "sink"});
  EXPECT_EQ(bad.exit_code, 2) << Describe(bad);
}

// --- read: progress on a pipe, logs ----------------------------------------------------------

TEST_F(CliCommandsTest, ReadOnAPipePrintsASummaryWithoutEscapeCodes) {
  const CommandResult r =
      Airbyte({"read", "--source", "source-faker", "--config", "{count: 300, seed: 1}",
               "--streams", "users,products", "--cache", Db()},
              {"CI=", "NO_LIVE_PROGRESS="});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out,
            "products: 100 records -> table products\n"
            "users: 300 records -> table users\n"
            "Read 400 records from `source-faker` into " + Db() + "\n");
  EXPECT_EQ(Normalize(r.err),
            "Read 400 records over <T> (<R> records/s, <MB>).\n"
            "  Stream  Records  Time  Records/s\n"
            "  products  100  <T>  <R>\n"
            "  users  300  <T>  <R>\n"
            "  Total  400  <T>  <R>\n"
            "Completed `source-faker -> DuckDBCache` sync at `<CLOCK>` (2 streams).\n");
  EXPECT_THAT(r.err, Not(HasSubstr("\x1b")));
}

TEST_F(CliCommandsTest, PlainHeartbeatsComeEveryFewSecondsWithoutEscapeCodes) {
  const CommandResult r = Airbyte({"read", "--source", Slow(), "--cache", Db()},
                                  {"SLOW_ROUNDS=12", "AIRBYTE_PROGRESS_HEARTBEAT_MS=300"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_THAT(r.err, ContainsRegex("source_slow -> DuckDBCache: reading, [0-9]+ records \\("));
  EXPECT_THAT(r.err, HasSubstr("Read 24 records over "));
  EXPECT_THAT(r.err, Not(HasSubstr("\x1b")));
}

TEST_F(CliCommandsTest, QuietReadPrintsNoProgress) {
  const CommandResult r = Airbyte({"read", "--source", "source-faker", "--config", "{count: 5}",
                                   "--streams", "users", "--cache", Db(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.err, "");
}

TEST_F(CliCommandsTest, ReadWritesConnectorOutputAndOurMessagesToTheLogFile) {
  const CommandResult r = Airbyte({"read", "--source", Slow(), "--cache", Db(), "--quiet"},
                                  {"SLOW_ROUNDS=2", "SLOW_SLEEP=0"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  const std::vector<std::filesystem::path> files = LogFiles("source_slow");
  ASSERT_FALSE(files.empty());
  std::string text;
  for (const auto& file : files) text += testutil::ReadText(file);
  EXPECT_THAT(text, ContainsRegex("[0-9-]{10} [0-9:]{8} - INFO - slow source starting\n"));
  EXPECT_THAT(text, HasSubstr(" - INFO - INFO slow source reading\n"));
  EXPECT_THAT(text, HasSubstr(" - INFO - Started `source_slow -> DuckDBCache` sync at `"));
  EXPECT_THAT(text, HasSubstr(" - INFO - Completed `source_slow -> DuckDBCache` sync at `"));
  // PyAirbyte's performance record, in the stats log and the connector log.
  const json stats = json::parse(testutil::ReadText(logs_ / "airbyte-stats.log"));
  EXPECT_EQ(stats["performance_metrics"]["records_read"], 4);
  EXPECT_EQ(stats["performance_metrics"]["stream_metrics"]["users"]["records_read"], 2);
  EXPECT_THAT(text, HasSubstr(" - INFO - {\"job_type\":\"read\""));
}

TEST_F(CliCommandsTest, StructuredLoggingWritesJsonLines) {
  const CommandResult r = Airbyte({"read", "--source", Slow(), "--cache", Db(), "--quiet"},
                                  {"SLOW_ROUNDS=1", "SLOW_SLEEP=0",
                                   "AIRBYTE_STRUCTURED_LOGGING=true"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  const std::vector<std::filesystem::path> files = LogFiles("source_slow");
  ASSERT_FALSE(files.empty());
  bool found = false;
  std::string text;
  for (const auto& file : files) text += testutil::ReadText(file);
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const json entry = json::parse(text.substr(start, end - start));
    EXPECT_TRUE(entry.contains("timestamp") && entry.contains("level")) << entry;
    if (entry["event"] == "slow source starting") found = true;
    start = end + 1;
  }
  EXPECT_TRUE(found) << text;
}

TEST_F(CliCommandsTest, FailedReadExitsOneAndNamesTheLogFile) {
  const CommandResult r = Airbyte({"read", "--source", Slow(), "--cache", Db()},
                                  {"SLOW_ROUNDS=3", "SLOW_SLEEP=0", "SLOW_FAIL=1"});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  const std::vector<std::filesystem::path> files = LogFiles("source_slow");
  ASSERT_THAT(files, SizeIs(1));
  EXPECT_THAT(r.err, HasSubstr("Log file: " + files[0].string()));
  EXPECT_THAT(r.err, HasSubstr("Failed `source_slow -> DuckDBCache` sync at `"));
  EXPECT_THAT(testutil::ReadText(files[0]),
              AllOf(HasSubstr("slow source failing on purpose"), HasSubstr(" - ERROR - Failed `")));
}

TEST_F(CliCommandsTest, SecretsNeverReachTheLogFile) {
  const std::string fake = testutil::FakeConnectorPath().string();
  const auto script = testutil::WriteText(
      work_.path() / "script.json",
      json{{"check", {{{"stderr_config", true}}, {{"log_config", true}}, {{"exit", 1}}}}}.dump());
  const std::filesystem::path link = work_.path() / "source-fake";
  std::filesystem::create_symlink(fake, link);
  const CommandResult r =
      Airbyte({"check", "--source", link.string(), "--config",
               "{api_key: log-secret-4242, nested: {password: log-secret-pw-5353}}"},
              {"AIRBYTE_FAKE_CONNECTOR_SCRIPT=" + script.string()});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  const std::vector<std::filesystem::path> files = LogFiles("source-fake");
  ASSERT_FALSE(files.empty());
  std::string text;
  for (const auto& file : files) text += testutil::ReadText(file);
  EXPECT_THAT(text, HasSubstr("****"));
  EXPECT_THAT(text + r.out + r.err,
              AllOf(Not(HasSubstr("log-secret-4242")), Not(HasSubstr("log-secret-pw-5353"))));
  EXPECT_THAT(r.err, HasSubstr("Log file: " + files[0].string()));
}

// --- state and cache info ----------------------------------------------------------------------

TEST_F(CliCommandsTest, StateShowAndResetWorkOnTheCache) {
  ASSERT_EQ(Airbyte({"read", "--source", "source-faker", "--config", "{count: 20, seed: 1}",
                     "--streams", "users,products", "--cache", Db(), "--quiet"})
                .exit_code,
            0);
  const CommandResult show = Airbyte({"state", "show", "--source", "source-faker", "--cache", Db()});
  ASSERT_EQ(show.exit_code, 0) << Describe(show);
  EXPECT_EQ(Normalize(show.out),
            "products: {\"seed\":1,\"updated_at\":\"<DATE>T<CLOCK>:00\"}\n"
            "users: {\"seed\":1,\"updated_at\":\"<DATE>T<CLOCK>:00\",\"loop_offset\":20}\n");
  const CommandResult one = Airbyte(
      {"state", "show", "--source", "source-faker", "--cache", Db(), "--stream", "users", "--json"});
  ASSERT_EQ(one.exit_code, 0) << Describe(one);
  EXPECT_EQ(json::parse(one.out)[0]["stream"]["stream_state"]["loop_offset"], 20);
  const CommandResult unknown = Airbyte(
      {"state", "show", "--source", "source-faker", "--cache", Db(), "--stream", "nope"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.err, HasSubstr("State message not found"));

  const CommandResult reset = Airbyte(
      {"state", "reset", "--source", "source-faker", "--cache", Db(), "--stream", "users"});
  ASSERT_EQ(reset.exit_code, 0) << Describe(reset);
  EXPECT_EQ(reset.out, "Reset the state of `source-faker` (stream `users`) in " + Db() + ".\n");
  const CommandResult after = Airbyte({"state", "show", "--source", "source-faker", "--cache", Db()});
  EXPECT_THAT(after.out, AllOf(HasSubstr("products:"), Not(HasSubstr("users:"))));
  ASSERT_EQ(Airbyte({"state", "reset", "--source", "source-faker", "--cache", Db()}).exit_code, 0);
  const CommandResult empty = Airbyte({"state", "show", "--source", "source-faker", "--cache", Db()});
  EXPECT_EQ(empty.out, "");
  EXPECT_EQ(empty.err, "No state stored for `source-faker` in " + Db() + ".\n");
}

TEST_F(CliCommandsTest, CacheInfoShowsStreamsRowsSourceAndLastSync) {
  ASSERT_EQ(Airbyte({"read", "--source", "source-faker", "--config", "{count: 20}", "--streams",
                     "users", "--cache", Db(), "--quiet"})
                .exit_code,
            0);
  const CommandResult r = Airbyte({"cache", "info", "--cache", Db()});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(Normalize(r.out),
            "Cache: " + Db() + " (<MB>)\n"
            "STREAM  TABLE  ROWS  SOURCE  LAST SYNC\n"
            "users  users  20  source-faker  <DATE> <CLOCK>\n");
  const json info = json::parse(Airbyte({"cache", "info", "--cache", Db(), "--json"}).out);
  EXPECT_EQ(info["streams"][0]["rows"], 20);
  EXPECT_EQ(info["streams"][0]["source"], "source-faker");
  EXPECT_GT(info["size_bytes"].get<std::int64_t>(), 0);
  const CommandResult missing = Airbyte({"cache", "info", "--cache", "/no/such.duckdb"});
  EXPECT_EQ(missing.exit_code, 2) << Describe(missing);
  EXPECT_THAT(missing.err, HasSubstr("Cache file not found."));
}

// --- pyab commands ------------------------------------------------------------------------------

TEST_F(CliCommandsTest, ValidatePrintsTheSpecAsYamlAndChecks) {
  const CommandResult spec = Airbyte({"validate", "--connector", "source-faker"});
  ASSERT_EQ(spec.exit_code, 0) << Describe(spec);
  EXPECT_THAT(spec.err, StartsWith("Getting `spec` output from connector...\n"
                                   "connectionSpecification:\n"));
  EXPECT_EQ(spec.out, "");
  const CommandResult check =
      Airbyte({"validate", "--connector", "source-faker", "--config", "{count: 5}"});
  ASSERT_EQ(check.exit_code, 0) << Describe(check);
  EXPECT_EQ(check.out,
            "Running connector check...\nConnection check succeeded for `source-faker`.\n");
  const CommandResult invalid =
      Airbyte({"validate", "--connector", "source-faker", "--config", "{count: not-a-number}"});
  EXPECT_EQ(invalid.exit_code, 2) << Describe(invalid);
  EXPECT_THAT(invalid.err, HasSubstr("AirbyteConnectorValidationFailedError"));
}

TEST_F(CliCommandsTest, ValidateWithoutConnectorOrWithADestinationExitsTwo) {
  const CommandResult none = Airbyte({"validate"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("No connector provided."));
  const CommandResult destination = Airbyte({"validate", "--connector", "destination-duckdb"});
  EXPECT_EQ(destination.exit_code, 2);
  EXPECT_THAT(destination.err, HasSubstr("Destinations are not available yet."));
}

TEST_F(CliCommandsTest, BenchmarkReadsTheBenchmarkSource) {
  const CommandResult r = Airbyte({"benchmark", "--num-records", "2e3", "--json"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  const json out = json::parse(r.out);
  EXPECT_EQ(out["source"], "source-e2e-test");
  EXPECT_EQ(out["records"], 2000);
  EXPECT_GT(out["records_per_second"].get<double>(), 0);
  EXPECT_THAT(Normalize(r.err), AllOf(StartsWith("Running benchmarks...\n"),
                                      HasSubstr("Read 2,000 records over <T>")));
}

TEST_F(CliCommandsTest, BenchmarkOfAGivenSourceAndStreams) {
  const CommandResult r = Airbyte({"benchmark", "--source", "source-faker", "--config",
                                   "{count: 50}", "--streams", "users", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_THAT(Normalize(r.out), HasSubstr("Benchmark of `source-faker`: 50 records in "));
  EXPECT_EQ(r.err, "Running benchmarks...\n");
}

TEST_F(CliCommandsTest, BenchmarkRejectsSourceAndDestinationTogether) {
  const CommandResult both = Airbyte(
      {"benchmark", "--source", "source-faker", "--destination", "destination-duckdb"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_THAT(both.err, HasSubstr("For benchmarking, source or destination can be provided, but "
                                  "not both."));
  const CommandResult destination = Airbyte({"benchmark", "--destination", "destination-duckdb"});
  EXPECT_EQ(destination.exit_code, 2);
  EXPECT_THAT(destination.err, HasSubstr("Destinations are not available yet."));
}

TEST_F(CliCommandsTest, SyncTakesPyabFlagsAndSaysDestinationsAreNotAvailable) {
  const CommandResult r =
      Airbyte({"sync", "--source", "source-faker", "--destination", "destination-duckdb",
               "--Sconfig", "{count: 5}", "--Dconfig", "{}", "--Spip-url", "x", "--Dpip-url", "y",
               "--streams", "users", "--use-python", "3.11"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_THAT(r.err, AllOf(HasSubstr("Destinations are not available yet."),
                           HasSubstr("Destination: 'destination-duckdb'")));
  const CommandResult bad_source =
      Airbyte({"sync", "--source", "faker", "--destination", "destination-duckdb"});
  EXPECT_EQ(bad_source.exit_code, 2);
  EXPECT_THAT(bad_source.err, HasSubstr("Expected a source name"));
}

TEST_F(CliCommandsTest, EveryCommandHasHelpWithExamples) {
  const std::vector<std::vector<std::string>> commands = {
      {"spec"},      {"check"},     {"discover"},  {"records"},        {"read"},
      {"sql"},       {"validate"},  {"benchmark"}, {"sync"},           {"connectors"},
      {"state", "show"}, {"state", "reset"}, {"cache", "info"}, {"run-connector"}};
  for (std::vector<std::string> command : commands) {
    const std::string name = command.front() + (command.size() > 1 ? " " + command[1] : "");
    command.push_back("--help");
    const CommandResult r = Airbyte(command);
    EXPECT_EQ(r.exit_code, 0) << name << "\n" << Describe(r);
    EXPECT_THAT(r.out, AllOf(HasSubstr("Example"), HasSubstr("airbyte " + name))) << name;
  }
  EXPECT_THAT(Airbyte({"validate", "--help"}).out, HasSubstr("PyAirbyte CLI Guidance"));
}

}  // namespace
}  // namespace airbyte
