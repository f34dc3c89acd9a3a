#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "airbyte/secrets.h"
#include "testutil/testutil.h"

namespace airbyte {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testutil::ScopedEnv;
using testutil::ThrowsError;

TEST(HydrateSecretsTest, ReplacesReferencesAtAnyDepthIncludingLists) {
  ScopedEnv a("HYDRATE_A", "value-a");
  ScopedEnv b("HYDRATE_B", "value-b");
  const Json config = Json::parse(R"({
    "api_key": "secret_reference::HYDRATE_A",
    "count": 3,
    "nested": {"password": "secret_reference:: HYDRATE_B", "user": "bob"},
    "accounts": [{"token": "secret_reference::HYDRATE_A"}, "secret_reference::HYDRATE_B", 7],
    "not_a_reference": "my secret_reference::HYDRATE_A"
  })");
  const Json hydrated = HydrateSecrets(config);
  EXPECT_EQ(hydrated["api_key"], "value-a");
  EXPECT_EQ(hydrated["count"], 3);
  EXPECT_EQ(hydrated["nested"]["password"], "value-b");
  EXPECT_EQ(hydrated["nested"]["user"], "bob");
  EXPECT_EQ(hydrated["accounts"][0]["token"], "value-a");
  EXPECT_EQ(hydrated["accounts"][1], "value-b");
  EXPECT_EQ(hydrated["accounts"][2], 7);
  EXPECT_EQ(hydrated["not_a_reference"], "my secret_reference::HYDRATE_A");
  EXPECT_EQ(config["api_key"], "secret_reference::HYDRATE_A");  // the input is untouched
}

TEST(HydrateSecretsTest, OtherPrefixForTheCli) {
  ScopedEnv a("HYDRATE_CLI", "cli-value");
  EXPECT_EQ(HydrateSecrets(Json{{"pw", "SECRET: HYDRATE_CLI "}}, "SECRET:")["pw"], "cli-value");
}

TEST(HydrateSecretsTest, MissingSecretThrowsSecretNotFound) {
  ScopedEnv a("HYDRATE_MISSING_77", std::nullopt);
  EXPECT_THAT([] { HydrateSecrets(Json{{"pw", "secret_reference::HYDRATE_MISSING_77"}}); },
              ThrowsError(ErrorKind::kSecretNotFound, HasSubstr("HYDRATE_MISSING_77")));
}

const Json& Spec() {
  static const Json spec = Json::parse(R"({
    "type": "object",
    "properties": {
      "api_key": {"type": "string", "airbyte_secret": true},
      "token": {"type": "string", "writeOnly": true},
      "pass": {"type": "string", "format": "password"},
      "count": {"type": "integer"},
      "credentials": {"type": "object", "airbyte_secret": true},
      "auth": {"type": "object", "properties": {"client_secret": {"type": "string",
                                                                 "airbyte_secret": true}}}
    }
  })");
  return spec;
}

TEST(DetectHardcodedSecretsTest, FlagsSecretFieldsHoldingPlainStrings) {
  const Json config = Json::parse(R"({
    "api_key": "plain", "token": "plain", "pass": "plain", "count": 5,
    "credentials": {"user": "u", "key": "k"},
    "auth": {"client_secret": "plain", "client_id": "id"}
  })");
  EXPECT_THAT(DetectHardcodedSecrets(config, Spec()),
              ElementsAre(ElementsAre("api_key"), ElementsAre("token"), ElementsAre("pass"),
                          ElementsAre("credentials", "user"), ElementsAre("credentials", "key"),
                          ElementsAre("auth", "client_secret")));
}

TEST(DetectHardcodedSecretsTest, ReferencesNonStringsAndListsAreNotFlagged) {
  const Json config = Json::parse(R"({
    "api_key": "secret_reference::KEY", "token": 1234, "pass": ["a", "b"], "count": 5
  })");
  EXPECT_THAT(DetectHardcodedSecrets(config, Spec()), IsEmpty());
}

}  // namespace
}  // namespace airbyte
