#include "airbyte/source.h"

#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "airbyte/records.h"
#include "executors/process_executor.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte {
namespace {

using ::airbyte::testutil::ThrowsError;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using namespace std::chrono_literals;

using Clock = std::chrono::steady_clock;
using nlohmann::json;

bool NoChildProcesses() {
  int status = 0;
  errno = 0;
  const pid_t pid = ::waitpid(-1, &status, WNOHANG);
  return pid == -1 && errno == ECHILD;
}

json CatalogMessage(const json& streams) {
  return {{"type", "CATALOG"}, {"catalog", {{"streams", streams}}}};
}

json Stream(const std::string& name, const json& sync_modes = {"full_refresh"}) {
  return {{"name", name},
          {"json_schema", {{"type", "object"}, {"properties", {{"id", {{"type", "integer"}}}}}}},
          {"supported_sync_modes", sync_modes}};
}

json ProductRecord(int id) {
  return {{"type", "RECORD"},
          {"record",
           {{"stream", "Products"},
            {"data", {{"id", id}, {"Title", "P" + std::to_string(id)}}},
            {"emitted_at", 1000}}}};
}

std::vector<std::int64_t> Ids(const std::vector<StreamRecord>& records) {
  std::vector<std::int64_t> ids;
  for (const StreamRecord& record : records) ids.push_back(record.at("id").get<std::int64_t>());
  return ids;
}

class SourceTest : public ::testing::Test {
 protected:
  // The test's own files; created before AIRBYTE_TEMP_DIR is redirected below.
  util::ScopedTempDir work_{"source-test-"};
  std::filesystem::path temp_root_ = work_.path() / "airbyte-tmp";
  testutil::ScopedEnv temp_env_{"AIRBYTE_TEMP_DIR", temp_root_.string()};
  std::filesystem::path script_path_ = testutil::WriteText(work_.path() / "script.json", "{}");
  testutil::ScopedEnv script_env_{"AIRBYTE_FAKE_CONNECTOR_SCRIPT", script_path_.string()};

  const Json kConfig = {{"api_key", "good-key"}};

  // Makes the fake connector run `script` from now on ({} = every verb's default).
  void SetScript(const json& script) { testutil::WriteText(script_path_, script.dump()); }

  static SourceOptions FakeOptions(SourceOptions options = {}) {
    options.local_executable = testutil::FakeConnectorPath().string();
    options.terminate_grace = 500ms;
    return options;
  }

  Source Fake(SourceOptions options = {}) {
    return GetSource("source-fake", kConfig, FakeOptions(std::move(options)));
  }
  Source FakeWith(const Json& config, SourceOptions options = {}) {
    return GetSource("source-fake", config, FakeOptions(std::move(options)));
  }
  Source FakeWithoutConfig(SourceOptions options = {}) {
    return GetSource("source-fake", FakeOptions(std::move(options)));
  }
};

// --- Resolution (behavior doc 2.1) ----------------------------------------------------------

TEST_F(SourceTest, LocalExecutablePathIsRun) {
  Source source = Fake();
  EXPECT_EQ(source.name(), "source-fake");
  EXPECT_EQ(source.executor_description(),
            "local executable " + testutil::FakeConnectorPath().string());
  EXPECT_TRUE(source.Spec().contains("connectionSpecification"));
}

TEST_F(SourceTest, ConnectorNameIsFoundOnPath) {
  const std::filesystem::path bin = work_.path() / "bin";
  std::filesystem::create_directories(bin);
  std::filesystem::create_symlink(testutil::FakeConnectorPath(), bin / "source-fake");
  const char* old_path = std::getenv("PATH");
  testutil::ScopedEnv path_env("PATH", bin.string() + ":" + (old_path ? old_path : ""));
  Source source = GetSource("source-fake", kConfig);
  EXPECT_EQ(source.executor_description(), "local executable " + (bin / "source-fake").string());
  EXPECT_NO_THROW(source.Check());
}

TEST_F(SourceTest, LocalExecutableNameIsLookedUpOnPath) {
  const std::filesystem::path bin = work_.path() / "bin";
  std::filesystem::create_directories(bin);
  std::filesystem::create_symlink(testutil::FakeConnectorPath(), bin / "my-fake");
  testutil::ScopedEnv path_env("PATH", bin.string());
  Source source = GetSource("source-fake", kConfig, {.local_executable = "my-fake"});
  EXPECT_THAT(source.executor_description(), HasSubstr("bin/my-fake"));
}

TEST_F(SourceTest, ConflictingInstallOptionsAreAnInputError) {
  EXPECT_THAT(
      [] {
        GetSource("source-fake",
                  SourceOptions{.local_executable = "/bin/true", .docker_image = "airbyte/x:1"});
      },
      ThrowsError(ErrorKind::kInput, HasSubstr("You can only specify one of")));
  EXPECT_THAT([] { GetSource("source-fake", SourceOptions{.version = "1.0", .pip_url = "x"}); },
              ThrowsError(ErrorKind::kInput, HasSubstr("Cannot specify both version and pip_url")));
}

TEST_F(SourceTest, VersionWithLocalExecutableIsAnInputError) {
  EXPECT_THAT([] { GetSource("source-fake", FakeOptions({.version = "1.2.3"})); },
              ThrowsError(ErrorKind::kInput, HasSubstr("'version' is not supported")));
}

TEST_F(SourceTest, UnavailableInstallMethodIsAnInputError) {
  EXPECT_THAT(
      [] { GetSource("source-fake", SourceOptions{.docker_image = "airbyte/source-fake:1"}); },
      ThrowsError(ErrorKind::kInput, HasSubstr("not available")));
}

TEST_F(SourceTest, MissingLocalExecutableIsExecutableNotFound) {
  const std::string missing = (work_.path() / "no-such-connector").string();
  EXPECT_THAT([&] { GetSource("source-fake", {.local_executable = missing}); },
              ThrowsError(ErrorKind::kExecutableNotFound, HasSubstr("no-such-connector")));
}

TEST_F(SourceTest, UnknownNameIsNotRegistered) {
  testutil::ScopedEnv path_env("PATH", work_.path().string());
  EXPECT_THAT([] { GetSource("source-does-not-exist"); },
              ThrowsError(ErrorKind::kConnectorNotRegistered, HasSubstr("source-does-not-exist")));
}

// --- Spec and config ------------------------------------------------------------------------

TEST_F(SourceTest, SpecIsCachedAndConfigSpecRefreshesIt) {
  Source source = FakeWithoutConfig();
  EXPECT_EQ(source.Spec()["connectionSpecification"]["required"], Json({"api_key"}));
  SetScript(
      {{"spec",
        {{{"emit",
           {{"type", "SPEC"},
            {"spec",
             {{"connectionSpecification",
               {{"type", "object"}, {"properties", {{"changed", {{"type", "string"}}}}}}}}}}}}}}});
  // Cached: the connector is not run again (it would now answer with the changed spec).
  EXPECT_EQ(source.Spec()["connectionSpecification"]["required"], Json({"api_key"}));
  const Json fresh = source.ConfigSpec();
  EXPECT_TRUE(fresh["properties"].contains("changed"));
  EXPECT_FALSE(fresh.contains("required"));
  EXPECT_TRUE(source.Spec()["connectionSpecification"]["properties"].contains("changed"));
}

TEST_F(SourceTest, ConnectorWithoutSpecMessageIsMissingSpec) {
  SetScript({{"spec", json::array({{{"stderr", "no spec today"}}})}});
  Source source = FakeWithoutConfig();
  EXPECT_THAT([&] { source.Spec(); },
              ThrowsError(ErrorKind::kMissingSpec, HasSubstr("no spec today")));
}

TEST_F(SourceTest, SetConfigValidatesByDefault) {
  Source source = FakeWithoutConfig();
  EXPECT_THAT(
      [&] {
        source.SetConfig(Json{{"count", 5}});
      },
      ThrowsError(ErrorKind::kValidation, HasSubstr("api_key")));
  EXPECT_FALSE(source.has_config());
  EXPECT_THAT(
      [&] {
        source.SetConfig(Json{{"api_key", "k"}, {"count", -1}});
      },
      ThrowsError(ErrorKind::kValidation, HasSubstr("count")));
}

TEST_F(SourceTest, SetConfigWithoutValidationAcceptsAnyObject) {
  Source source = FakeWithoutConfig();
  source.SetConfig(Json{{"count", "not a number"}}, /*validate=*/false);
  EXPECT_EQ(source.GetConfig(), Json({{"count", "not a number"}}));
  EXPECT_THAT([&] { source.ValidateConfig(); },
              ThrowsError(ErrorKind::kValidation, HasSubstr("count")));
}

TEST_F(SourceTest, ValidConfigIsStored) {
  Source source = FakeWithoutConfig();
  source.SetConfig(Json{{"api_key", "k"}, {"count", 2}, {"start_date", "not a date"}});
  EXPECT_EQ(source.GetConfig()["count"], 2);
}

TEST_F(SourceTest, GetSourceWithConfigDoesNotValidate) {
  EXPECT_NO_THROW(FakeWith(Json{{"count", "bad"}}));
}

TEST_F(SourceTest, MissingConfigIsConfigMissing) {
  Source source = FakeWithoutConfig();
  EXPECT_THAT([&] { source.GetConfig(); },
              ThrowsError(ErrorKind::kConfigMissing, HasSubstr("source-fake")));
  EXPECT_THAT([&] { source.Check(); },
              ThrowsError(ErrorKind::kConfigMissing, HasSubstr("source-fake")));
  EXPECT_THAT([&] { source.DiscoveredCatalog(); },
              ThrowsError(ErrorKind::kConfigMissing, HasSubstr("")));
  EXPECT_THAT([&] { source.GetRecords("users"); },
              ThrowsError(ErrorKind::kConfigMissing, HasSubstr("")));
}

TEST_F(SourceTest, NonObjectConfigIsAnInputError) {
  Source source = FakeWithoutConfig();
  EXPECT_THAT([&] { source.SetConfig(Json::array(), false); },
              ThrowsError(ErrorKind::kInput, HasSubstr("JSON object")));
}

// --- Check ----------------------------------------------------------------------------------

TEST_F(SourceTest, CheckSucceeds) { EXPECT_NO_THROW(Fake().Check()); }

TEST_F(SourceTest, FailedCheckCarriesTheConnectorsReason) {
  Source source = FakeWith(Json{{"api_key", "bad"}});
  EXPECT_THAT([&] { source.Check(); },
              ThrowsError(ErrorKind::kCheckFailed,
                          AllOf(HasSubstr("Connector check failed."),
                                HasSubstr("Failure Reason: 'Invalid api_key'"),
                                HasSubstr("https://docs.airbyte.com/integrations/sources/fake"))));
}

TEST_F(SourceTest, FailedStatusReasonSurvivesANonZeroExit) {
  // Some connectors exit 1 after reporting FAILED: the reason must still reach the user.
  SetScript({{"check",
              {{{"emit",
                 {{"type", "CONNECTION_STATUS"},
                  {"connectionStatus", {{"status", "FAILED"}, {"message", "Bad password"}}}}}},
               {{"exit", 1}}}}});
  EXPECT_THAT([&] { Fake().Check(); },
              ThrowsError(ErrorKind::kCheckFailed, HasSubstr("Failure Reason: 'Bad password'")));
}

TEST_F(SourceTest, CheckWithoutStatusFails) {
  SetScript({{"check", json::array({{{"stderr", "hmm"}}})}});
  EXPECT_THAT([&] { Fake().Check(); },
              ThrowsError(ErrorKind::kCheckFailed, HasSubstr("did not return a status")));
}

TEST_F(SourceTest, CheckOfFailingConnectorIsCheckFailedWithExitCode) {
  SetScript({{"check", {{{"stderr", "cannot start"}}, {{"exit", 3}}}}});
  EXPECT_THAT([&] { Fake().Check(); },
              ThrowsError(ErrorKind::kCheckFailed,
                          AllOf(HasSubstr("Exit Code: 3"), HasSubstr("cannot start"))));
}

TEST_F(SourceTest, CheckWithTraceErrorFailsEvenWhenStatusSucceeded) {
  SetScript(
      {{"check",
        {{{"emit",
           {{"type", "TRACE"},
            {"trace",
             {{"type", "ERROR"}, {"emitted_at", 1}, {"error", {{"message", "token expired"}}}}}}}},
         {{"default", true}}}}});
  EXPECT_THAT([&] { Fake().Check(); },
              ThrowsError(ErrorKind::kCheckFailed, HasSubstr("token expired")));
}

// --- Discover and streams -------------------------------------------------------------------

TEST_F(SourceTest, ConnectorWithoutCatalogIsMissingCatalog) {
  SetScript({{"discover", json::array()}});
  EXPECT_THAT([&] { Fake().DiscoveredCatalog(); },
              ThrowsError(ErrorKind::kMissingCatalog, HasSubstr("source-fake")));
}

TEST_F(SourceTest, DiscoveredCatalogIsCachedUntilTheConfigChanges) {
  SetScript({{"discover", {{{"emit", CatalogMessage(json::array({Stream("alpha")}))}}}}});
  Source source = Fake();
  EXPECT_EQ(source.DiscoveredCatalog()["streams"][0]["name"], "alpha");
  SetScript({{"discover", {{{"emit", CatalogMessage(json::array({Stream("beta")}))}}}}});
  EXPECT_EQ(source.DiscoveredCatalog()["streams"][0]["name"], "alpha");  // cached
  source.SetConfig(kConfig, /*validate=*/false);                         // same config
  EXPECT_EQ(source.DiscoveredCatalog()["streams"][0]["name"], "alpha");
  source.SetConfig(Json{{"api_key", "another-key"}}, /*validate=*/false);
  EXPECT_EQ(source.DiscoveredCatalog()["streams"][0]["name"], "beta");
}

TEST_F(SourceTest, AvailableStreamsKeepDiscoverOrder) {
  EXPECT_THAT(Fake().GetAvailableStreams(), ElementsAre("users", "Products"));
}

TEST_F(SourceTest, StreamJsonSchemaOfKnownAndUnknownStreams) {
  Source source = Fake();
  EXPECT_EQ(source.GetStreamJsonSchema("Products")["properties"]["Title"]["type"], "string");
  EXPECT_THAT([&] { source.GetStreamJsonSchema("products"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("Stream name does not exist in catalog.")));
}

TEST_F(SourceTest, DuplicateStreamNamesInCatalogAreAnInternalError) {
  SetScript({{"discover",
              {{{"emit", CatalogMessage(json::array({Stream("twice"), Stream("twice")}))}}}}});
  Source source = Fake();
  EXPECT_THAT([&] { source.GetStreamJsonSchema("twice"); },
              ThrowsError(ErrorKind::kInternal, HasSubstr("twice")));
}

TEST_F(SourceTest, DocsUrlDropsEverySourcePrefix) {
  EXPECT_EQ(Fake().DocsUrl(), "https://docs.airbyte.com/integrations/sources/fake");
  Source odd("Source-My-source-Thing",
             std::make_unique<executors::ProcessExecutor>("x", testutil::FakeConnectorPath()));
  EXPECT_EQ(odd.DocsUrl(), "https://docs.airbyte.com/integrations/sources/my-thing");
}

// --- Selection ------------------------------------------------------------------------------

TEST_F(SourceTest, SelectingUnknownStreamListsTheAvailableOnes) {
  Source source = Fake();
  EXPECT_THAT(
      [&] {
        source.SelectStreams({"users", "nope"});
      },
      ThrowsError(ErrorKind::kStreamNotFound,
                  AllOf(HasSubstr("Stream Name: 'nope'"), HasSubstr("'users', 'Products'"))));
  EXPECT_THAT(source.GetSelectedStreams(), IsEmpty());
}

TEST_F(SourceTest, SelectionIsCaseSensitive) {
  Source source = Fake();
  EXPECT_THAT([&] { source.SelectStreams({"products"}); },
              ThrowsError(ErrorKind::kStreamNotFound, HasSubstr("products")));
}

TEST_F(SourceTest, SelectStreamsReplacesTheSelection) {
  Source source = Fake();
  source.SelectStreams({"Products"});
  EXPECT_THAT(source.GetSelectedStreams(), ElementsAre("Products"));
  source.SelectStreams({"users"});
  EXPECT_THAT(source.GetSelectedStreams(), ElementsAre("users"));
  source.SelectAllStreams();
  EXPECT_THAT(source.GetSelectedStreams(), ElementsAre("users", "Products"));
}

TEST_F(SourceTest, SelectionBeforeConfigIsAppliedBySetConfig) {
  Source source = FakeWithoutConfig({.streams = {"Products"}});
  EXPECT_THAT(source.GetSelectedStreams(), IsEmpty());
  source.SetConfig(kConfig, /*validate=*/false);
  EXPECT_THAT(source.GetSelectedStreams(), ElementsAre("Products"));
}

TEST_F(SourceTest, SelectAllBeforeConfigIsAppliedBySetConfig) {
  Source source = FakeWithoutConfig();
  source.SelectAllStreams();
  source.SetConfig(kConfig, /*validate=*/false);
  EXPECT_THAT(source.GetSelectedStreams(), ElementsAre("users", "Products"));
}

TEST_F(SourceTest, GetSourceWithConfigChecksTheStreamsRightAway) {
  EXPECT_THAT([&] { Fake({.streams = {"nope"}}); },
              ThrowsError(ErrorKind::kStreamNotFound, HasSubstr("nope")));
  EXPECT_THAT(Fake({.streams = {"*"}}).GetSelectedStreams(), ElementsAre("users", "Products"));
}

// --- Configured catalog (behavior doc 3.6) --------------------------------------------------

TEST_F(SourceTest, ConfiguredCatalogRequestsIncrementalOverwriteForEveryStream) {
  Source source = Fake();
  const Json catalog = source.ConfiguredCatalog();
  ASSERT_THAT(catalog["streams"], SizeIs(2));
  const Json& users = catalog["streams"][0];
  const Json& products = catalog["streams"][1];
  EXPECT_EQ(users["stream"], source.DiscoveredCatalog()["streams"][0]);  // verbatim
  EXPECT_EQ(users["sync_mode"], "incremental");
  EXPECT_EQ(products["sync_mode"], "incremental");  // even without incremental support [QUIRK]
  EXPECT_EQ(users["destination_sync_mode"], "overwrite");
  EXPECT_EQ(products["destination_sync_mode"], "overwrite");
  EXPECT_EQ(users["primary_key"], Json({{"id"}}));
  EXPECT_EQ(users["cursor_field"], Json({"updated_at"}));
  EXPECT_FALSE(products.contains("cursor_field"));
  EXPECT_FALSE(users.contains("generation_id"));
  EXPECT_FALSE(users.contains("sync_id"));
}

TEST_F(SourceTest, ConfiguredCatalogForcesFullRefreshOnlyWhereSupported) {
  SetScript(
      {{"discover",
        {{{"emit", CatalogMessage(json::array({Stream("both", {"full_refresh", "incremental"}),
                                               Stream("inc_only", {"incremental"})}))}}}}});
  const Json catalog = Fake().ConfiguredCatalog({"*"}, /*force_full_refresh=*/true);
  ASSERT_THAT(catalog["streams"], SizeIs(2));
  EXPECT_EQ(catalog["streams"][0]["sync_mode"], "full_refresh");
  EXPECT_EQ(catalog["streams"][1]["sync_mode"], "incremental");
}

TEST_F(SourceTest, ConfiguredCatalogUsesSelectionOrGivenStreams) {
  Source source = Fake();
  source.SelectStreams({"Products"});
  ASSERT_THAT(source.ConfiguredCatalog()["streams"], SizeIs(1));
  EXPECT_EQ(source.ConfiguredCatalog()["streams"][0]["stream"]["name"], "Products");
  EXPECT_THAT(source.ConfiguredCatalog({"*"})["streams"], SizeIs(2));
  const Json given = source.ConfiguredCatalog({"users", "unknown"});  // unknown names skipped
  ASSERT_THAT(given["streams"], SizeIs(1));
  EXPECT_EQ(given["streams"][0]["stream"]["name"], "users");
}

TEST_F(SourceTest, KeyOverridesUseCaseInsensitiveStreamNames) {
  Source source = Fake();
  source.SetPrimaryKey("USERS", {"a", "b"});
  source.SetCursorKey("Users", "ts");
  source.SetPrimaryKey("products", {"sku"});
  const Json catalog = source.ConfiguredCatalog();
  EXPECT_EQ(catalog["streams"][0]["primary_key"], Json({{"a"}, {"b"}}));  // composite, not nested
  EXPECT_EQ(catalog["streams"][0]["cursor_field"], Json({"ts"}));
  EXPECT_EQ(catalog["streams"][1]["primary_key"], Json({{"sku"}}));
  EXPECT_FALSE(catalog["streams"][1].contains("cursor_field"));
}

TEST_F(SourceTest, ReadReceivesTheConfiguredCatalog) {
  Source source = Fake();
  source.SetCursorKey("users", "ts");
  const std::filesystem::path dump = work_.path() / "read.json";
  SetScript({{"read", {{{"dump_invocation", dump.string()}}}}});
  EXPECT_THAT(source.GetRecords("users").FetchAll(), IsEmpty());
  const json invocation = json::parse(testutil::ReadText(dump));
  const json catalog = json::parse(invocation["files"]["--catalog"]["content"].get<std::string>());
  ASSERT_THAT(catalog["streams"], SizeIs(1));
  EXPECT_EQ(catalog["streams"][0]["cursor_field"], json({"ts"}));
  EXPECT_EQ(invocation["files"]["--state"]["content"], "[]");
}

// --- Records (behavior doc 6.3) -------------------------------------------------------------

TEST_F(SourceTest, GetRecordsReturnsTheRequestedStreamOnly) {
  SetScript({{"read",
              {{{"records", {{"stream", "users"}, {"count", 2}}}},
               {{"emit", ProductRecord(99)}},
               {{"records", {{"stream", "users"}, {"count", 1}, {"start", 3}}}}}}});
  const std::vector<StreamRecord> records = Fake().GetRecords("users").FetchAll();
  EXPECT_THAT(Ids(records), ElementsAre(1, 2, 3));
  EXPECT_EQ(records[0].at("name"), "user-1");
}

TEST_F(SourceTest, GetRecordsReadsWithTheConfig) {
  Source source = FakeWith(Json{{"api_key", "k"}, {"count", 3}});
  LazyDataset dataset = source.GetRecords("Products");
  EXPECT_EQ(dataset.stream_name(), "Products");
  std::vector<StreamRecord> records = dataset.FetchAll();
  ASSERT_THAT(records, SizeIs(3));
  EXPECT_EQ(records[2].at("title"), "Product 3");
  EXPECT_TRUE(records[0].ToJson().contains("Title"));
  EXPECT_TRUE(records[0].contains("_airbyte_raw_id"));
}

TEST_F(SourceTest, ColumnsFollowThePropertyOrderOfTheDiscoveredSchema) {
  // The fake's Products schema lists "id" before "Title" (not alphabetical order): the order
  // must survive discover, the catalog model and the record handler.
  Source source = FakeWith(Json{{"api_key", "k"}, {"count", 1}});
  LazyDataset dataset = source.GetRecords("Products");
  EXPECT_THAT(dataset.column_names(), ElementsAre("id", "Title"));
  std::vector<StreamRecord> records = dataset.FetchAll();
  ASSERT_THAT(records, SizeIs(1));
  std::vector<std::string> keys;
  for (const auto& [key, value] : records[0].ToJson().items()) keys.push_back(key);
  EXPECT_THAT(keys, ElementsAre("id", "Title", "_airbyte_raw_id", "_airbyte_extracted_at",
                                "_airbyte_meta"));
}

TEST_F(SourceTest, GetRecordsCanNormalizeFieldNames) {
  Source source = FakeWith(Json{{"api_key", "k"}, {"count", 1}});
  std::vector<StreamRecord> records =
      source.GetRecords("Products", {.normalize_field_names = true}).FetchAll();
  ASSERT_THAT(records, SizeIs(1));
  EXPECT_TRUE(records[0].ToJson().contains("title"));
  EXPECT_FALSE(records[0].ToJson().contains("Title"));
}

TEST_F(SourceTest, GetRecordsLimitStopsTheConnectorEarly) {
  Source source = FakeWith(Json{{"api_key", "k"}, {"count", 1'000'000}});
  const auto start = Clock::now();
  std::vector<StreamRecord> records = source.GetRecords("users", {.limit = 5}).FetchAll();
  EXPECT_THAT(Ids(records), ElementsAre(1, 2, 3, 4, 5));
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count(),
            2000);
  EXPECT_TRUE(NoChildProcesses());
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
}

TEST_F(SourceTest, ClosingOrDroppingADatasetStopsTheConnector) {
  Source source = FakeWith(Json{{"api_key", "k"}, {"count", 1'000'000}});
  {
    LazyDataset dataset = source.GetRecords("users");
    auto it = dataset.begin();
    ASSERT_TRUE(it != dataset.end());
    EXPECT_EQ(it->at("id"), 1);
    dataset.Close();
    EXPECT_TRUE(NoChildProcesses());
    EXPECT_TRUE(dataset.begin() == dataset.end());
  }
  {
    LazyDataset dataset = source.GetRecords("users");
    ASSERT_TRUE(dataset.begin() != dataset.end());
  }  // dropped mid-stream
  EXPECT_TRUE(NoChildProcesses());
  EXPECT_THAT(testutil::ListDir(temp_root_), IsEmpty());
}

TEST_F(SourceTest, GetRecordsOfUnknownStreamIsAnInputError) {
  Source source = Fake();
  EXPECT_THAT([&] { source.GetRecords("nope"); },
              ThrowsError(ErrorKind::kInput, AllOf(HasSubstr("Requested stream does not exist."),
                                                   HasSubstr("users, Products"))));
}

TEST_F(SourceTest, ConnectorFailureSurfacesAfterTheRecordsBeforeIt) {
  SetScript({{"read", {{{"records", {{"stream", "users"}, {"count", 2}}}}, {{"exit", 3}}}}});
  Source source = Fake();
  LazyDataset dataset = source.GetRecords("users");
  std::vector<std::int64_t> seen;
  EXPECT_THAT(
      [&] {
        for (const StreamRecord& record : dataset)
          seen.push_back(record.at("id").get<std::int64_t>());
      },
      ThrowsError(ErrorKind::kConnectorFailed, HasSubstr("Exit Code: 3")));
  EXPECT_THAT(seen, ElementsAre(1, 2));
}

TEST_F(SourceTest, ControlMessageUpdatesTheConfigAndCallsTheCallback) {
  const Json rotated = {{"api_key", "rotated-key-123456"}, {"count", 1}};
  SetScript({{"read", {{{"control_config", rotated}}, {{"records", {{"count", 2}}}}}}});
  std::vector<Json> received;
  Source source = Fake({.config_change_callback = [&](const Json& c) { received.push_back(c); }});
  EXPECT_THAT(source.GetRecords("users").FetchAll(), SizeIs(2));
  ASSERT_THAT(received, SizeIs(1));
  EXPECT_EQ(json(received[0]), json(rotated));
  EXPECT_EQ(json(source.GetConfig()), json(rotated));
}

TEST_F(SourceTest, RotatedSecretsFromControlMessagesAreMasked) {
  SetScript({{"read",
              {{{"control_config", {{"api_key", "rotated-secret-777111"}}}},
               {{"stderr", "now using rotated-secret-777111"}},
               {{"exit", 1}}}}});
  Source source = Fake();
  EXPECT_THAT(
      [&] { source.GetRecords("users").FetchAll(); },
      ThrowsError(ErrorKind::kConnectorFailed,
                  AllOf(Not(HasSubstr("rotated-secret-777111")), HasSubstr("now using ****"))));
}

// --- Samples (behavior doc 6.5) -------------------------------------------------------------

TEST_F(SourceTest, GetSamplesOfAllStreams) {
  auto samples = Fake().GetSamples({"*"}, 2);
  ASSERT_THAT(samples, SizeIs(2));
  ASSERT_TRUE(samples["users"]);
  EXPECT_THAT(Ids(*samples["users"]), ElementsAre(1, 2));
  ASSERT_TRUE(samples["Products"]);
  EXPECT_THAT(*samples["Products"], SizeIs(2));
}

TEST_F(SourceTest, GetSamplesWithoutSelectionIsEmpty) {
  EXPECT_THAT(Fake().GetSamples(), IsEmpty());
}

TEST_F(SourceTest, GetSamplesOfSelectedStreams) {
  Source source = Fake();
  source.SelectStreams({"Products"});
  auto samples = source.GetSamples();
  ASSERT_THAT(samples, SizeIs(1));
  EXPECT_TRUE(samples.contains("Products"));
}

TEST_F(SourceTest, GetSamplesRaisesByDefault) {
  Source source = Fake();
  EXPECT_THAT(
      [&] {
        source.GetSamples({"users", "nope"}, 1);
      },
      ThrowsError(ErrorKind::kInput, HasSubstr("Requested stream does not exist.")));
}

TEST_F(SourceTest, GetSamplesCanIgnoreFailures) {
  auto samples = Fake().GetSamples({"users", "nope"}, 1, OnSampleError::kIgnore);
  ASSERT_THAT(samples, SizeIs(2));
  EXPECT_FALSE(samples["nope"]);
  ASSERT_TRUE(samples["users"]);
  EXPECT_THAT(*samples["users"], SizeIs(1));
}

TEST_F(SourceTest, GetSamplesCanLogFailures) {
  Source source = Fake();
  ::testing::internal::CaptureStdout();
  auto samples = source.GetSamples({"nope"}, 1, OnSampleError::kLog);
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_FALSE(samples["nope"]);
  EXPECT_THAT(
      out, HasSubstr("Error fetching sample for stream 'nope': Requested stream does not exist."));
}

TEST_F(SourceTest, PrintSamplesShowsHeadingsAndRecords) {
  std::ostringstream out;
  Fake().PrintSamples(out, {"*"}, 2);
  EXPECT_THAT(out.str(),
              AllOf(HasSubstr("# Sample Records from `source-fake` (2 selected streams)"),
                    HasSubstr("## `users` Stream Sample"), HasSubstr("## `Products` Stream Sample"),
                    HasSubstr("user-2"), HasSubstr("Product 1"), HasSubstr("--------------"),
                    Not(HasSubstr("_airbyte_raw_id"))));
}

TEST_F(SourceTest, PrintSamplesReportsAFailedStream) {
  std::ostringstream out;
  ::testing::internal::CaptureStdout();
  Fake().PrintSamples(out, {"nope"});
  ::testing::internal::GetCapturedStdout();
  EXPECT_THAT(out.str(), AllOf(HasSubstr("## `nope` Stream Sample"),
                               HasSubstr("Error fetching sample records.")));
}

// --- Secrets --------------------------------------------------------------------------------

class SourceSecretsTest : public SourceTest {
 protected:
  static constexpr const char* kApiKey = "sk-live-SECRET-4242";
  static constexpr const char* kPassword = "hunter2-pass-XYZ";
  const Json kSecretConfig = {{"api_key", kApiKey}, {"nested", {{"password", kPassword}}}};

  // Runs `action`, which must fail, and returns everything the error shows.
  template <typename F>
  std::string FailureText(F action) {
    try {
      action();
    } catch (const Error& e) {
      return e.Render() + "\n" + e.log_tail() + "\n" + e.what();
    }
    ADD_FAILURE() << "did not throw";
    return {};
  }
};

TEST_F(SourceSecretsTest, CheckErrorNeverShowsSecretsTheConnectorEchoes) {
  SetScript({{"check",
              {{{"stderr_config", true}},
               {{"log_config", true}},
               {{"trace_error_config", true}},
               {{"exit", 1}}}}});
  Source source = FakeWith(kSecretConfig);
  const std::string text = FailureText([&] { source.Check(); });
  EXPECT_THAT(text, AllOf(Not(HasSubstr(kApiKey)), Not(HasSubstr(kPassword)), HasSubstr("****"),
                          HasSubstr("Connector failed with config")));
}

TEST_F(SourceSecretsTest, ReadErrorNeverShowsSecretsTheConnectorEchoes) {
  SetScript({{"read",
              {{{"records", {{"count", 1}}}},
               {{"stderr_config", true}},
               {{"log_config", true}},
               {{"trace_error_config", true}}}}});
  Source source = FakeWith(kSecretConfig);
  const std::string text = FailureText([&] { source.GetRecords("users").FetchAll(); });
  EXPECT_THAT(text, AllOf(Not(HasSubstr(kApiKey)), Not(HasSubstr(kPassword)), HasSubstr("****")));
}

TEST_F(SourceSecretsTest, ValidationErrorNeverShowsSecrets) {
  Source source = FakeWithoutConfig();
  const std::string text = FailureText([&] {
    source.SetConfig(
        Json{{"api_key", kApiKey}, {"nested", {{"password", kPassword}}}, {"count", "x"}});
  });
  EXPECT_THAT(text, AllOf(Not(HasSubstr(kApiKey)), Not(HasSubstr(kPassword))));
}

}  // namespace
}  // namespace airbyte
