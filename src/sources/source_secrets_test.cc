// Source and secrets: hydration in SetConfig, masking of looked-up values, hard-coded secret
// warnings. Runs the fake connector as a real process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "airbyte/secrets.h"
#include "airbyte/source.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testutil::ScopedEnv;
using testutil::ThrowsError;

class SourceHydrationTest : public ::testing::Test {
 protected:
  util::ScopedTempDir work_{"source-secrets-test-"};
  ScopedEnv temp_env_{"AIRBYTE_TEMP_DIR", (work_.path() / "tmp").string()};
  std::filesystem::path script_path_ = testutil::WriteText(work_.path() / "script.json", "{}");
  ScopedEnv script_env_{"AIRBYTE_FAKE_CONNECTOR_SCRIPT", script_path_.string()};

  void SetScript(const Json& script) { testutil::WriteText(script_path_, script.dump()); }
  Source Fake() {
    return GetSource("source-fake",
                     {.local_executable = testutil::FakeConnectorPath().string()});
  }
};

TEST_F(SourceHydrationTest, SetConfigHydratesReferencesForTheConnector) {
  ScopedEnv key("SOURCE_SECRETS_KEY", "hydrated-api-key-5521");
  const auto dump = work_.path() / "invocation.json";
  SetScript({{"check", {{{"dump_invocation", dump.string()}}, {{"default", true}}}}});
  Source source = Fake();
  const Json raw = {{"api_key", "secret_reference::SOURCE_SECRETS_KEY"},
                    {"hosts", {"secret_reference::SOURCE_SECRETS_KEY"}}};
  source.SetConfig(raw);  // validates the hydrated config
  source.Check();
  const std::string invocation = testutil::ReadText(dump);
  EXPECT_THAT(invocation, AllOf(HasSubstr("hydrated-api-key-5521"),
                                Not(HasSubstr("secret_reference::"))));
  EXPECT_EQ(nlohmann::json(source.GetConfig()), nlohmann::json(raw))
      << "GetConfig returns the config as given";
}

TEST_F(SourceHydrationTest, LookedUpValuesAreMaskedEvenOutsideSecretFields) {
  // start_date is not an airbyte_secret field: the lookup alone must register the value.
  ScopedEnv value("SOURCE_SECRETS_DATE", "2024-looked-up-0427");
  SetScript({{"check", {{{"stderr_config", true}}, {{"log_config", true}}, {{"exit", 1}}}}});
  Source source = Fake();
  source.SetConfig({{"api_key", "k"}, {"start_date", "secret_reference::SOURCE_SECRETS_DATE"}},
                   /*validate=*/false);
  EXPECT_THAT([&] { source.Check(); },
              ThrowsError(ErrorKind::kCheckFailed,
                          AllOf(HasSubstr("****"), Not(HasSubstr("2024-looked-up-0427")))));
}

TEST_F(SourceHydrationTest, MissingReferenceFailsSetConfig) {
  ScopedEnv unset("SOURCE_SECRETS_UNSET_91", std::nullopt);
  Source source = Fake();
  EXPECT_THAT([&] { source.SetConfig({{"api_key", "secret_reference::SOURCE_SECRETS_UNSET_91"}}); },
              ThrowsError(ErrorKind::kSecretNotFound, HasSubstr("SOURCE_SECRETS_UNSET_91")));
  EXPECT_FALSE(source.has_config());
}

TEST_F(SourceHydrationTest, HardcodedSecretsAreWarnedAboutOnceWithoutTheirValue) {
  Source source = Fake();
  source.SetConfig({{"api_key", "literal-api-key-6640"},
                    {"nested", {{"password", "literal-password-6641"}}}},
                   /*validate=*/false);
  ::testing::internal::CaptureStderr();
  source.Check();
  source.Check();
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, AllOf(HasSubstr("Config field `api_key` of `source-fake` holds a hard-coded "
                                   "secret"),
                         HasSubstr("Config field `nested.password`"),
                         Not(HasSubstr("literal-api-key-6640")),
                         Not(HasSubstr("literal-password-6641"))));
  EXPECT_EQ(err.find("`api_key`"), err.rfind("`api_key`")) << "warned once, not per operation";
}

TEST_F(SourceHydrationTest, ReferencedSecretsAreNotWarnedAbout) {
  ScopedEnv key("SOURCE_SECRETS_REF_KEY", "referenced-key-7781");
  Source source = Fake();
  source.SetConfig({{"api_key", "secret_reference::SOURCE_SECRETS_REF_KEY"}});
  ::testing::internal::CaptureStderr();
  source.Check();
  EXPECT_THAT(::testing::internal::GetCapturedStderr(), Not(HasSubstr("hard-coded")));
}

}  // namespace
}  // namespace airbyte
