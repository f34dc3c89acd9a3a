// Secret leak test: the `airbyte` CLI runs spec/check/discover/records/read against a
// connector that echoes its config on stderr, in LOG messages (UTF-8 and \uXXXX-escaped) and
// in a TRACE ERROR. The secrets come from the environment, a .env file, `secret_reference::`,
// `SECRET:` (also inside a list) and hard-coded `airbyte_secret` fields. Every byte the CLI
// printed and every file left in the test's directory (caches, temp dirs, home) must be free
// of them; while a command runs, a secret may only sit in a 0600 file inside a 0700 dir.
// Also: an interrupted CLI removes the connector's config, and the CLI prompts for a missing
// `SECRET:` on a terminal (forkpty) without echo, but never without one.
#include <pty.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "testutil/testutil.h"
#include "util/child_process.h"
#include "util/fd.h"
#include "util/temp_dir.h"

namespace airbyte {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using nlohmann::json;

// Each secret holds a plain-ASCII token: whatever escaping a leak went through, the token
// survives it, so searching for the tokens finds every spelling.
struct PlantedSecret {
  const char* token;
  std::string value;
};

const std::vector<PlantedSecret>& Planted() {
  static const std::vector<PlantedSecret> planted = {
      {"envtok4417", "env-envtok4417-\"quote\"-\\back\\-/slash/"},        // env, secret_reference::
      {"dotenvtok5528", "dotenv dotenvtok5528 #not-a-comment"},           // .env, SECRET:
      {"listtok6639", "list-listtok6639-x"},                             // env, SECRET: in a list
      {"unitok7740", "p\xC3\xA4ss-unitok7740-\xE2\x82\xAC-\xF0\x9F\x94\x91"},  // env, SECRET:
      {"hardtok8851", "hard-hardtok8851-\"q\"-\xC3\xA9"},                 // hard-coded api_key
      {"hardpwtok9962", "hardpw-hardpwtok9962"},                         // hard-coded password
  };
  return planted;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The tokens `text` contains.
std::vector<std::string> Leaks(const std::string& text) {
  std::vector<std::string> found;
  for (const PlantedSecret& secret : Planted()) {
    if (text.find(secret.token) != std::string::npos) found.push_back(secret.token);
  }
  return found;
}

class SecretsLeakTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(project_);
    fs::create_directories(home_);
    fs::create_directories(tmp_);
    // Inputs live outside the scanned tree: they hold secrets by design.
    testutil::WriteText(project_ / ".env",
                        "# project secrets\nexport LEAK_DOTENV_SECRET=\"" +
                            Planted()[1].value + "\"\n");
    testutil::WriteText(inputs_ / "references.json",
                        json{{"api_key", "secret_reference::LEAK_ENV_SECRET"},
                             {"count", 3},
                             {"nested", {{"password", "SECRET:LEAK_DOTENV_SECRET"}}},
                             {"hosts", {"SECRET:LEAK_LIST_SECRET"}},
                             {"start_date", "SECRET: LEAK_UNICODE_SECRET"}}
                            .dump());
    testutil::WriteText(inputs_ / "hardcoded.json",
                        json{{"api_key", Planted()[4].value},
                             {"count", 3},
                             {"nested", {{"password", Planted()[5].value}}}}
                            .dump());
  }

  // Makes every verb echo the config everywhere, then behave as `tail` says.
  void SetScript(const json& tail) {
    json echo = json::array({{{"sleep_ms", 300}},  // time for the temp-dir scan to see it
                             {{"stderr_config", true}},
                             {{"stderr_config_ascii", true}},
                             {{"log_config", true}},
                             {{"log_config_ascii", true}}});
    json script = json::object();
    for (const char* verb : {"check", "discover", "read"}) {
      json actions = echo;
      for (const json& action : tail) actions.push_back(action);
      script[verb] = actions;
    }
    testutil::WriteText(inputs_ / "script.json", script.dump());
  }

  // Runs `airbyte args...` in the project dir while scanning the temp dirs.
  testutil::CommandResult Airbyte(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"/bin/sh", "-c", "cd \"$0\" && exec \"$@\"",
                                     project_.string(), testutil::CliPath().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::atomic<bool> done = false;
    testutil::CommandResult result;
    std::thread runner([&] {
      result = testutil::RunCommand(
          argv, {"LEAK_ENV_SECRET=" + Planted()[0].value, "LEAK_LIST_SECRET=" + Planted()[2].value,
                 "LEAK_UNICODE_SECRET=" + Planted()[3].value, "HOME=" + home_.string(),
                 "TMPDIR=" + tmp_.string(), "AIRBYTE_TEMP_DIR=" + (tmp_ / "airbyte").string(),
                 // Per-run log files land in the scanned tree too.
                 "AIRBYTE_LOGGING_ROOT=" + (home_ / "airbyte-logs").string(),
                 "AIRBYTE_FAKE_CONNECTOR_SCRIPT=" + (inputs_ / "script.json").string()});
      done = true;
    });
    while (!done) {
      ScanTempWhileRunning();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    runner.join();
    outputs_ += result.out + result.err;
    return result;
  }

  // A secret may only be in a connector's config file: 0600, in a 0700 directory.
  void ScanTempWhileRunning() {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(tmp_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      // Modes first: the run may remove the file and its directory at any moment.
      struct stat file {};
      struct stat dir {};
      if (::stat(it->path().c_str(), &file) != 0 || !S_ISREG(file.st_mode) ||
          ::stat(it->path().parent_path().c_str(), &dir) != 0) {
        continue;
      }
      if (Leaks(ReadAll(it->path())).empty()) continue;
      EXPECT_EQ(file.st_mode & 0777, 0600u) << it->path();
      EXPECT_EQ(dir.st_mode & 0777, 0700u) << it->path().parent_path();
      seen_config_files_.insert(it->path().string());
    }
  }

  // Every file under the scanned tree, with the tokens it contains.
  std::vector<std::string> FilesWithLeaks() const {
    std::vector<std::string> leaky;
    for (const fs::path& root : {project_, home_, tmp_}) {
      for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file() || entry.path() == project_ / ".env") continue;
        std::vector<std::string> found = Leaks(ReadAll(entry.path()));
        if (!found.empty()) leaky.push_back(entry.path().string() + ": " + found.front());
      }
    }
    return leaky;
  }

  std::vector<std::string> TempFiles() const {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(tmp_)) {
      if (entry.is_regular_file()) files.push_back(entry.path().string());
    }
    return files;
  }

  util::ScopedTempDir work_{"secrets-leak-test-"};
  fs::path project_ = work_.path() / "project";
  fs::path home_ = work_.path() / "home";
  fs::path tmp_ = work_.path() / "tmp";
  fs::path inputs_ = work_.path() / "inputs";
  std::string outputs_;                // everything the CLI printed
  std::set<std::string> seen_config_files_;
};

TEST_F(SecretsLeakTest, NoCommandPrintsOrLeavesBehindAnySecret) {
  const std::string source = testutil::FakeConnectorPath().string();
  const std::string references = (inputs_ / "references.json").string();
  const std::string hardcoded = (inputs_ / "hardcoded.json").string();

  // Failing runs: the echoed config reaches the error's log tail and the TRACE ERROR text.
  SetScript({{{"trace_error_config", true}}, {{"exit", 1}}});
  for (const std::string& config : {references, hardcoded}) {
    const auto check = Airbyte({"check", "--source", source, "--config", config});
    EXPECT_EQ(check.exit_code, 1) << check.err;
    EXPECT_THAT(check.err, AllOf(HasSubstr("Using config: "), HasSubstr("Using config (ASCII): "),
                                 HasSubstr("Connector failed with config"), HasSubstr("****")));
    const auto discover = Airbyte({"discover", "--source", source, "--config", config});
    EXPECT_EQ(discover.exit_code, 1) << discover.err;
    EXPECT_THAT(discover.err, HasSubstr("****"));
  }
  // Records first, then the failure.
  SetScript({{{"records", {{"count", 2}}}}, {{"trace_error_config", true}}, {{"exit", 1}}});
  const auto failed_records = Airbyte(
      {"records", "--source", source, "--config", references, "--stream", "users"});
  EXPECT_EQ(failed_records.exit_code, 1) << failed_records.err;
  EXPECT_THAT(failed_records.err, HasSubstr("****"));
  const auto failed_read = Airbyte({"read", "--source", source, "--config", hardcoded});
  EXPECT_EQ(failed_read.exit_code, 1) << failed_read.err;
  EXPECT_THAT(failed_read.err, HasSubstr("****"));

  // Successful runs: a check, a discover, records on stdout and a cache on disk.
  SetScript({{{"default", true}}});
  const auto spec = Airbyte({"spec", "--source", source});
  EXPECT_EQ(spec.exit_code, 0) << spec.err;
  for (const std::string& config : {references, hardcoded}) {
    const auto check = Airbyte({"check", "--source", source, "--config", config});
    EXPECT_EQ(check.exit_code, 0) << check.err;
    const auto discover = Airbyte({"discover", "--source", source, "--config", config});
    EXPECT_EQ(discover.exit_code, 0) << discover.err;
    EXPECT_THAT(discover.out, HasSubstr("\"users\""));
    const auto records = Airbyte(
        {"records", "--source", source, "--config", config, "--stream", "users"});
    EXPECT_EQ(records.exit_code, 0) << records.err;
    EXPECT_THAT(records.out, HasSubstr("user-1"));
    const auto read = Airbyte({"read", "--source", source, "--config", config});
    EXPECT_EQ(read.exit_code, 0) << read.err;
  }
  const auto inline_config = Airbyte({"check", "--source", source, "--config",
                                      "{api_key: 'SECRET:LEAK_ENV_SECRET', count: 1}"});
  EXPECT_EQ(inline_config.exit_code, 0) << inline_config.err;

  // The hard-coded config was warned about, by field name only.
  EXPECT_THAT(outputs_, AllOf(HasSubstr("Config field `api_key` of `fake_connector` holds a "
                                        "hard-coded secret"),
                              HasSubstr("Config field `nested.password`")));

  EXPECT_THAT(Leaks(outputs_), ::testing::IsEmpty()) << outputs_;
  EXPECT_THAT(FilesWithLeaks(), ::testing::IsEmpty());
  EXPECT_THAT(TempFiles(), ::testing::IsEmpty()) << "temp config files outlived their run";
  EXPECT_TRUE(fs::exists(project_ / ".cache")) << "the default cache was written and scanned";
  // The connector log files (stderr, LOG lines, our messages) were written and scanned.
  std::size_t log_files = 0;
  if (fs::exists(home_ / "airbyte-logs")) {
    for (const auto& entry : fs::recursive_directory_iterator(home_ / "airbyte-logs")) {
      if (entry.is_regular_file() && entry.path().extension() == ".log") ++log_files;
    }
  }
  EXPECT_GT(log_files, 0u) << "no connector log file was written";
  // The scan is real: it saw the secrets in the connectors' private config files.
  EXPECT_FALSE(seen_config_files_.empty());
}

TEST_F(SecretsLeakTest, InterruptedCommandLeavesNoConfigBehind) {
  // The connector sleeps: the CLI is interrupted while its config file exists.
  testutil::WriteText(inputs_ / "script.json",
                      json{{"check", {{{"sleep_ms", 2000}}, {{"default", true}}}}}.dump());
  for (int sig : {SIGINT, SIGTERM}) {
    util::ChildProcess cli = util::ChildProcess::Spawn(
        {.argv = {testutil::CliPath().string(), "check", "--source",
                  testutil::FakeConnectorPath().string(), "--config",
                  (inputs_ / "hardcoded.json").string()},
         .extra_env = {"TMPDIR=" + tmp_.string(), "AIRBYTE_TEMP_DIR=" + (tmp_ / "airbyte").string(),
                       "AIRBYTE_FAKE_CONNECTOR_SCRIPT=" + (inputs_ / "script.json").string()}});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool config_written = false;
    while (!config_written && std::chrono::steady_clock::now() < deadline) {
      for (const std::string& file : TempFiles()) {
        config_written |= fs::path(file).filename() == "config.json";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(config_written) << "the connector never started";
    ASSERT_EQ(::kill(cli.pid(), sig), 0);
    const util::ExitStatus status = cli.Wait();
    EXPECT_TRUE(status.signaled) << "the CLI still dies of signal " << sig;
    EXPECT_EQ(status.code, -sig);
    EXPECT_THAT(TempFiles(), ::testing::IsEmpty()) << "after signal " << sig;
  }
}

TEST_F(SecretsLeakTest, CliPromptsForAMissingSecretOnATerminalWithoutEcho) {
  constexpr const char* kTyped = "typed-secret-prompttok3321";
  const fs::path dump = inputs_ / "invocation.json";
  testutil::WriteText(inputs_ / "script.json",
                      json{{"check", {{{"dump_invocation", dump.string()}},
                                      {{"default", true}}}}}.dump());
  const std::string cli = testutil::CliPath().string();
  const std::string source = testutil::FakeConnectorPath().string();
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // the CLI, with the pty as its terminal and stdin/stdout
    ::unsetenv("CI");
    ::unsetenv("PROMPTED_KEY");
    ::setenv("AIRBYTE_FAKE_CONNECTOR_SCRIPT", (inputs_ / "script.json").c_str(), 1);
    ::setenv("TMPDIR", tmp_.c_str(), 1);
    ::setenv("AIRBYTE_TEMP_DIR", (tmp_ / "airbyte").c_str(), 1);
    if (::chdir(project_.c_str()) != 0) ::_exit(90);
    ::execl(cli.c_str(), cli.c_str(), "check", "--source", source.c_str(), "--config",
            "{api_key: 'SECRET:PROMPTED_KEY'}", static_cast<char*>(nullptr));
    ::_exit(91);
  }
  util::Fd terminal(master);
  std::string screen = testutil::ReadFdUntil(terminal.get(), "Enter the value for secret 'PROMPTED_KEY': ");
  ASSERT_THAT(screen, HasSubstr("Enter the value for secret 'PROMPTED_KEY': "));
  const std::string line = std::string(kTyped) + "\n";
  ASSERT_EQ(::write(terminal.get(), line.data(), line.size()), static_cast<ssize_t>(line.size()));
  screen += testutil::ReadFdUntil(terminal.get(), "");
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << screen;
  EXPECT_THAT(screen, AllOf(HasSubstr("Connection check succeeded"), Not(HasSubstr(kTyped)),
                            Not(HasSubstr("hard-coded"))));
  EXPECT_THAT(testutil::ReadText(dump), HasSubstr(kTyped)) << "the connector got the typed value";
}

TEST_F(SecretsLeakTest, MissingSecretWithoutATerminalFailsInsteadOfPrompting) {
  const auto result = Airbyte({"check", "--source", testutil::FakeConnectorPath().string(),
                               "--config", "{api_key: 'SECRET:NOWHERE_SET_4410'}"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, AllOf(HasSubstr("PyAirbyteSecretNotFoundError"),
                                HasSubstr("NOWHERE_SET_4410"), Not(HasSubstr("Enter the value"))));
}

}  // namespace
}  // namespace airbyte
