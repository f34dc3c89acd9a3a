// `airbyte run-connector`: native connectors as standard Airbyte connector processes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "airbyte/airbyte.h"
#include "testutil/protocol_schema.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte {
namespace {

using ::testing::HasSubstr;

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

class RunConnectorTest : public ::testing::Test {
 protected:
  testutil::CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {testutil::CliPath().string(), "run-connector"});
    return testutil::RunCommand(args);
  }
  std::string File(const std::string& name, const std::string& content) {
    return dir_.WriteFile(name, content).string();
  }
  // A wrapper a process executor can run: `source-faker-process <verb> ...`.
  std::string WrapperScript(const std::string& connector) {
    const std::string path = File("source-" + connector + "-process",
                                  "#!/bin/sh\nexec '" + testutil::CliPath().string() +
                                      "' run-connector source-" + connector + " \"$@\"\n");
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
  }

  util::ScopedTempDir dir_;
};

TEST_F(RunConnectorTest, EveryLineOfEveryCommandIsAValidProtocolMessage) {
  AIRBYTE_REQUIRE_SHARED(shared);
  testutil::ProtocolSchema schema(shared, "AirbyteMessage");
  const std::string config = File("config.json", R"({"count": 25, "seed": 3})");
  Source source = GetSource("source-faker", nlohmann::json{{"count", 25}, {"seed", 3}});
  const std::string catalog = File("catalog.json", source.ConfiguredCatalog({"*"}).dump());

  std::map<std::string, int> types;
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"source-faker", "spec"},
                                             {"source-faker", "check", "--config", config},
                                             {"source-faker", "discover", "--config", config},
                                             {"source-faker", "read", "--config", config,
                                              "--catalog", catalog}}) {
    const testutil::CommandResult result = Run(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    for (const nlohmann::json& message : JsonLines(result.out)) {
      EXPECT_EQ(schema.Errors(message), "") << message.dump();
      ++types[message.at("type").get<std::string>()];
    }
  }
  EXPECT_EQ(types["SPEC"], 1);
  EXPECT_EQ(types["CONNECTION_STATUS"], 1);
  EXPECT_EQ(types["CATALOG"], 1);
  EXPECT_GT(types["RECORD"], 25 + 25);  // products, users, purchases
  EXPECT_GE(types["STATE"], 3);
  EXPECT_GT(types["TRACE"], 0);
}

TEST_F(RunConnectorTest, ProcessModeYieldsTheSameRecordsAsInProcess) {
  const nlohmann::json config = {{"count", 40}, {"seed", 7}, {"parallelism", 1}};
  Source native = GetSource("source-faker", config);
  Source process = GetSource("source-faker", config, {.local_executable = WrapperScript("faker")});
  EXPECT_THAT(native.executor_description(), HasSubstr("native"));
  EXPECT_THAT(process.executor_description(), HasSubstr("local executable"));
  EXPECT_EQ(native.DiscoveredCatalog(), process.DiscoveredCatalog());
  for (const std::string stream : {"users", "products", "purchases"}) {
    SCOPED_TRACE(stream);
    std::vector<StreamRecord> in_process = native.GetRecords(stream).FetchAll();
    std::vector<StreamRecord> out_of_process = process.GetRecords(stream).FetchAll();
    ASSERT_EQ(in_process.size(), out_of_process.size());
    ASSERT_FALSE(in_process.empty());
    for (std::size_t i = 0; i < in_process.size(); ++i) {
      Json a = in_process[i].ToJson();
      Json b = out_of_process[i].ToJson();
      // Wall-clock fields differ between two runs; everything else must not.
      for (const char* key : {"updated_at", "added_to_cart_at", "purchased_at", "returned_at",
                              "_airbyte_raw_id", "_airbyte_extracted_at"}) {
        a.erase(key);
        b.erase(key);
      }
      ASSERT_EQ(a, b) << "record " << i;
    }
  }
}

TEST_F(RunConnectorTest, ABadConfigIsATraceErrorAndExitCodeOne) {
  const std::string config = File("bad.json", "{not json");
  const testutil::CommandResult result = Run({"source-faker", "discover", "--config", config});
  EXPECT_EQ(result.exit_code, 1);
  const std::vector<nlohmann::json> lines = JsonLines(result.out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["type"], "TRACE");
  EXPECT_EQ(lines[0]["trace"]["error"]["failure_type"], "config_error");
}

TEST_F(RunConnectorTest, UnknownConnectorOrCommandIsExitCodeTwo) {
  EXPECT_EQ(Run({"source-nope", "spec"}).exit_code, 2);
  const testutil::CommandResult result = Run({"source-faker", "write"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("unknown command"));
}

}  // namespace
}  // namespace airbyte
