// Lookup order and errors of GetSecret() (behavior doc 8.3).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "airbyte/error.h"
#include "airbyte/secrets.h"
#include "testutil/testutil.h"

namespace airbyte {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testutil::ScopedEnv;
using testutil::ThrowsError;

// A source with fixed contents that counts how often it is asked.
class MapSecretManager : public SecretManager {
 public:
  MapSecretManager(std::string name, std::map<std::string, std::string, std::less<>> values)
      : name_(std::move(name)), values_(std::move(values)) {}
  std::string name() const override { return name_; }
  std::optional<SecretString> GetSecret(std::string_view secret_name) override {
    ++calls;
    auto it = values_.find(secret_name);
    if (it == values_.end()) return std::nullopt;
    return SecretString(it->second);
  }
  std::atomic<int> calls = 0;

 private:
  std::string name_;
  std::map<std::string, std::string, std::less<>> values_;
};

TEST(GetSecretTest, EnvironmentComesBeforeDotenvByDefault) {
  const std::vector<std::string> sources = RegisteredSecretSources();
  ASSERT_GE(sources.size(), 2u);
  EXPECT_EQ(sources[0], "env");
  EXPECT_EQ(sources[1], "dotenv");
  ScopedEnv env("REGISTRY_TEST_ENV_SECRET", "from-the-environment");
  EXPECT_EQ(GetSecret("REGISTRY_TEST_ENV_SECRET").Reveal(), "from-the-environment");
}

TEST(GetSecretTest, EmptyEnvironmentVariableIsAHit) {
  ScopedEnv env("REGISTRY_TEST_EMPTY", "");
  auto backup = std::make_shared<MapSecretManager>(
      "registry-test-backup", std::map<std::string, std::string, std::less<>>{
                                  {"REGISTRY_TEST_EMPTY", "from-backup"}});
  EXPECT_EQ(GetSecret("REGISTRY_TEST_EMPTY", {.sources = {{"env", backup}}}).Reveal(), "");
  EXPECT_EQ(backup->calls, 0);
}

TEST(GetSecretTest, RegisteredManagerIsAskedFirstAndTheLastRegisteredWins) {
  ScopedEnv env("REGISTRY_ORDER_SECRET", "env-value");
  auto first = std::make_shared<MapSecretManager>(
      "order-first", std::map<std::string, std::string, std::less<>>{
                         {"REGISTRY_ORDER_SECRET", "first-value"}});
  auto second = std::make_shared<MapSecretManager>(
      "order-second", std::map<std::string, std::string, std::less<>>{
                          {"REGISTRY_ORDER_SECRET", "second-value"}});
  RegisterSecretManager(first);
  EXPECT_EQ(GetSecret("REGISTRY_ORDER_SECRET").Reveal(), "first-value");
  RegisterSecretManager(second);
  EXPECT_EQ(RegisteredSecretSources()[0], "order-second");
  EXPECT_EQ(GetSecret("REGISTRY_ORDER_SECRET").Reveal(), "second-value");
  DisableSecretSource("order-second");
  DisableSecretSource("order-first");
  EXPECT_EQ(GetSecret("REGISTRY_ORDER_SECRET").Reveal(), "env-value");
}

TEST(GetSecretTest, BackupManagerIsAskedLast) {
  ScopedEnv env("REGISTRY_BACKUP_SECRET", "env-value");
  auto backup = std::make_shared<MapSecretManager>(
      "backup-source", std::map<std::string, std::string, std::less<>>{
                           {"REGISTRY_BACKUP_SECRET", "backup-value"},
                           {"ONLY_IN_BACKUP", "backup-only"}});
  RegisterSecretManager(backup, {.as_backup = true});
  EXPECT_EQ(RegisteredSecretSources().back(), "backup-source");
  EXPECT_EQ(GetSecret("REGISTRY_BACKUP_SECRET").Reveal(), "env-value");
  EXPECT_EQ(GetSecret("ONLY_IN_BACKUP").Reveal(), "backup-only");
  DisableSecretSource("backup-source");
  EXPECT_THAT(RegisteredSecretSources(), Not(::testing::Contains("backup-source")));
}

TEST(GetSecretTest, ExplicitSourcesAreAskedInTheGivenOrder) {
  ScopedEnv env("REGISTRY_EXPLICIT", "env-value");
  auto mine = std::make_shared<MapSecretManager>(
      "mine", std::map<std::string, std::string, std::less<>>{{"REGISTRY_EXPLICIT", "mine"}});
  EXPECT_EQ(GetSecret("REGISTRY_EXPLICIT", {.sources = {{mine, "env"}}}).Reveal(), "mine");
  EXPECT_EQ(GetSecret("REGISTRY_EXPLICIT", {.sources = {{"env", mine}}}).Reveal(), "env-value");
}

TEST(GetSecretTest, UnknownSourceNameIsAnInputError) {
  EXPECT_THAT([] { GetSecret("X", {.sources = {{"vault"}}}); },
              ThrowsError(ErrorKind::kInput,
                          AllOf(HasSubstr("Invalid secret source name."), HasSubstr("'vault'"),
                                HasSubstr("'env', 'dotenv'"))));
}

TEST(GetSecretTest, PromptIsAskedLastAndNotAtAllWhenDisallowed) {
  // A stand-in named "prompt": the real one needs a terminal (see prompt_test.cc).
  auto prompt = std::make_shared<MapSecretManager>(
      "prompt", std::map<std::string, std::string, std::less<>>{{"PROMPTED", "typed"}});
  auto other = std::make_shared<MapSecretManager>(
      "other", std::map<std::string, std::string, std::less<>>{{"PROMPTED", "other-value"}});
  EXPECT_EQ(GetSecret("PROMPTED", {.sources = {{prompt, other}}}).Reveal(), "other-value");
  EXPECT_EQ(prompt->calls, 0);
  EXPECT_EQ(GetSecret("PROMPTED", {.sources = {{prompt}}}).Reveal(), "typed");
  EXPECT_EQ(prompt->calls, 1);
  EXPECT_THAT([&] { GetSecret("PROMPTED", {.sources = {{prompt}}, .allow_prompt = false}); },
              ThrowsError(ErrorKind::kSecretNotFound, HasSubstr("PROMPTED")));
  EXPECT_EQ(TryGetSecret("PROMPTED", {.sources = {{prompt}}}), std::nullopt);
  EXPECT_EQ(prompt->calls, 1);
}

TEST(GetSecretTest, NotFoundNamesTheSecretAndTheRegisteredSources) {
  ScopedEnv env("REGISTRY_NEVER_SET_49", std::nullopt);
  EXPECT_THAT([] { GetSecret("REGISTRY_NEVER_SET_49"); },
              ThrowsError(ErrorKind::kSecretNotFound,
                          AllOf(HasSubstr("PyAirbyteSecretNotFoundError"),
                                HasSubstr("Secret Name: 'REGISTRY_NEVER_SET_49'"),
                                HasSubstr("'env', 'dotenv'"))));
  EXPECT_EQ(TryGetSecret("REGISTRY_NEVER_SET_49"), std::nullopt);
  EXPECT_FALSE(IsSecretAvailable("REGISTRY_NEVER_SET_49"));
  ScopedEnv set("REGISTRY_NOW_SET_49", "now-set");
  EXPECT_TRUE(IsSecretAvailable("REGISTRY_NOW_SET_49"));
}

TEST(GetSecretTest, DefaultIsUsedOnlyWhenNonEmpty) {
  ScopedEnv env("REGISTRY_DEFAULTED", std::nullopt);
  EXPECT_EQ(GetSecret("REGISTRY_DEFAULTED", {.default_value = "fallback-value"}).Reveal(),
            "fallback-value");
  EXPECT_THAT([] { GetSecret("REGISTRY_DEFAULTED", {.default_value = ""}); },
              ThrowsError(ErrorKind::kSecretNotFound, HasSubstr("REGISTRY_DEFAULTED")));
}

TEST(GetSecretTest, SecretReferencePrefixIsStripped) {
  ScopedEnv env("REGISTRY_REFERENCED", "referenced-value");
  EXPECT_EQ(GetSecret("secret_reference::  REGISTRY_REFERENCED").Reveal(), "referenced-value");
}

TEST(GetSecretTest, FoundValuesAreMaskedFromThenOn) {
  ScopedEnv env("REGISTRY_MASKED", "looked-up-value-3318");
  EXPECT_EQ(MaskSecrets("x=looked-up-value-3318"), "x=looked-up-value-3318");
  GetSecret("REGISTRY_MASKED");
  EXPECT_EQ(MaskSecrets("x=looked-up-value-3318"), "x=****");
  const Error error(ErrorKind::kInput, "bad value looked-up-value-3318");
  EXPECT_THAT(error.Render(), Not(HasSubstr("looked-up-value-3318")));
}

TEST(GetSecretTest, ReplaceExistingLeavesOnlyTheNewManager) {
  // In a child process: the registry is process-wide.
  const auto replace_and_check = [] {
    auto only = std::make_shared<MapSecretManager>(
        "only", std::map<std::string, std::string, std::less<>>{{"A_KEY", "v"}});
    RegisterSecretManager(only, {.replace_existing = true});
    const bool ok = RegisteredSecretSources() == std::vector<std::string>{"only"} &&
                    GetSecret("A_KEY").Reveal() == "v";
    std::exit(ok ? 0 : 1);
  };
  EXPECT_EXIT(replace_and_check(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace airbyte
