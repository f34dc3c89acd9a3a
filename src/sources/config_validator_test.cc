#include "sources/config_validator.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "airbyte/error.h"
#include "testutil/testutil.h"

namespace airbyte::sources {
namespace {

using ::airbyte::testutil::ThrowsError;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// Shaped like the fake connector's spec, plus the structures real specs use.
Json TestSpec() {
  return Json::parse(R"({
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["api_key"],
    "properties": {
      "api_key": {"type": "string", "airbyte_secret": true, "order": 0,
                  "title": "API Key", "always_show": true},
      "count": {"type": "integer", "minimum": 0, "default": 10, "order": 1},
      "start_date": {"type": "string", "format": "date-time", "group": "dates",
                     "airbyte_hidden": false},
      "nested": {
        "type": "object",
        "properties": {"password": {"type": "string", "airbyte_secret": true}}
      },
      "credentials": {
        "oneOf": [
          {"type": "object", "title": "OAuth",
           "required": ["auth_type", "refresh_token"],
           "properties": {"auth_type": {"const": "oauth"},
                          "refresh_token": {"type": "string", "airbyte_secret": true}}},
          {"type": "object", "title": "Token",
           "required": ["auth_type", "api_token"],
           "properties": {"auth_type": {"const": "token"},
                          "api_token": {"type": "string", "airbyte_secret": true}}}
        ]
      },
      "accounts": {
        "type": "array",
        "items": {"type": "object",
                  "properties": {"name": {"type": "string"},
                                 "secret_key": {"type": "string", "airbyte_secret": true}}}
      },
      "pin": {"type": "integer", "airbyte_secret": true}
    }
  })");
}

void Validate(const Json& config) { ValidateConfigAgainstSpec(config, TestSpec(), "source-test"); }

// The validation error for `config`; fails the test when it passes.
Error ValidationError(const Json& config) {
  try {
    Validate(config);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "config passed validation: " << config.dump();
  return Error(ErrorKind::kInternal, "no error");
}

TEST(ConfigValidatorTest, ValidConfigPasses) {
  EXPECT_NO_THROW(Validate(Json::parse(R"({
    "api_key": "k", "count": 5, "start_date": "2024-01-01T00:00:00Z",
    "nested": {"password": "p"},
    "credentials": {"auth_type": "token", "api_token": "t"},
    "accounts": [{"name": "a", "secret_key": "s"}], "pin": 1234
  })")));
}

TEST(ConfigValidatorTest, MissingRequiredFieldFailsNamingTheField) {
  const Error error = ValidationError(Json{{"count", 5}});
  EXPECT_EQ(error.kind(), ErrorKind::kValidation);
  EXPECT_EQ(error.message(), "The provided config is not valid.");
  EXPECT_EQ(error.ContextValue("connector_name"), "source-test");
  EXPECT_THAT(error.Render(), HasSubstr("api_key"));
}

TEST(ConfigValidatorTest, WrongTypeOfTopLevelFieldNamesItsPath) {
  const Error error = ValidationError(Json{{"api_key", "k"}, {"count", "ten"}});
  EXPECT_EQ(error.ContextValue("error_path"), "count");
}

TEST(ConfigValidatorTest, ConstraintViolationNamesThePath) {
  const Error error = ValidationError(Json{{"api_key", "k"}, {"count", -1}});
  EXPECT_EQ(error.ContextValue("error_path"), "count");
  EXPECT_THAT(error.ContextValue("error_message"), Not(IsEmpty()));
}

TEST(ConfigValidatorTest, WrongTypeOfNestedFieldNamesTheDottedPath) {
  const Error error = ValidationError(Json{{"api_key", "k"}, {"nested", {{"password", 12345}}}});
  EXPECT_EQ(error.ContextValue("error_path"), "nested.password");
  EXPECT_THAT(error.Render(), HasSubstr("Error Path: 'nested.password'"));
}

TEST(ConfigValidatorTest, WrongTypeInsideArrayNamesTheIndex) {
  const Error error = ValidationError(
      Json{{"api_key", "k"}, {"accounts", Json::array({{{"name", "a"}}, {{"name", 7}}})}});
  EXPECT_EQ(error.ContextValue("error_path"), "accounts[1].name");
}

TEST(ConfigValidatorTest, WrongTypedSecretValueNeverAppearsInTheError) {
  const Error error = ValidationError(Json{{"api_key", "k"}, {"pin", "secret-pin-text-8842"}});
  EXPECT_EQ(error.ContextValue("error_path"), "pin");
  EXPECT_THAT(error.Render(), Not(HasSubstr("secret-pin-text-8842")));
}

TEST(ConfigValidatorTest, SecretInSiblingFieldNeverAppearsInTheError) {
  const Error error = ValidationError(Json{{"api_key", "sibling-secret-3391"},
                                           {"nested", {{"password", "pw-4410"}}},
                                           {"count", "not a number"}});
  EXPECT_THAT(error.Render(), AllOf(Not(HasSubstr("sibling-secret-3391")),
                                    Not(HasSubstr("pw-4410")), Not(HasSubstr("not a number"))));
}

TEST(ConfigValidatorTest, OffendingNonSecretValueIsNotEchoedEither) {
  const Error error = ValidationError(Json{{"api_key", 98765432}});
  EXPECT_THAT(error.Render(), Not(HasSubstr("98765432")));
}

TEST(ConfigValidatorTest, FormatIsNotEnforced) {
  EXPECT_NO_THROW(Validate(Json{{"api_key", "k"}, {"start_date", "not-a-date"}}));
}

TEST(ConfigValidatorTest, FormatInsideOneOfAndItemsIsNotEnforced) {
  const Json spec = Json::parse(R"({
    "type": "object",
    "properties": {
      "a": {"oneOf": [{"type": "string", "format": "email"}]},
      "b": {"type": "array", "items": {"type": "string", "format": "uri"}}
    }
  })");
  EXPECT_NO_THROW(ValidateConfigAgainstSpec(Json{{"a", "nope"}, {"b", {"not a uri"}}}, spec, "x"));
}

TEST(ConfigValidatorTest, PropertyNamedFormatIsStillValidated) {
  const Json spec = Json::parse(R"({
    "type": "object",
    "properties": {"format": {"type": "string", "enum": ["csv", "jsonl"]}}
  })");
  EXPECT_NO_THROW(ValidateConfigAgainstSpec(Json{{"format", "csv"}}, spec, "x"));
  EXPECT_THAT(
      [&] {
        ValidateConfigAgainstSpec(Json{{"format", "xml"}}, spec, "x");
      },
      ThrowsError(ErrorKind::kValidation, HasSubstr("format")));
}

TEST(ConfigValidatorTest, AirbyteKeywordsAreIgnored) {
  const Json spec = Json::parse(R"({
    "type": "object",
    "properties": {
      "x": {"type": "string", "airbyte_secret": true, "order": 3, "group": "g",
            "always_show": true, "airbyte_hidden": true, "pattern_descriptor": "YYYY"}
    }
  })");
  EXPECT_NO_THROW(ValidateConfigAgainstSpec(Json{{"x", "v"}}, spec, "x"));
}

TEST(ConfigValidatorTest, ConfigMatchingNoOneOfBranchFails) {
  EXPECT_THAT(
      [] {
        Validate(Json{{"api_key", "k"}, {"credentials", {{"auth_type", "basic"}}}});
      },
      ThrowsError(ErrorKind::kValidation, HasSubstr("credentials")));
}

TEST(ConfigValidatorTest, UnusableSchemaIsReportedAsValidationError) {
  const Json spec = Json::parse(R"({"type": "object", "properties": {"x": {"$ref": "#/nope"}}})");
  EXPECT_THAT(
      [&] {
        ValidateConfigAgainstSpec(Json{{"x", 1}}, spec, "source-x");
      },
      ThrowsError(ErrorKind::kValidation, HasSubstr("source-x")));
}

// --- SecretValuesInConfig -------------------------------------------------------------------

TEST(SecretValuesInConfigTest, FindsTopLevelAndNestedSecrets) {
  const Json config = {
      {"api_key", "top-secret"}, {"count", 3}, {"nested", {{"password", "nested-secret"}}}};
  EXPECT_THAT(SecretValuesInConfig(config, TestSpec()),
              UnorderedElementsAre("top-secret", "nested-secret"));
}

TEST(SecretValuesInConfigTest, FindsSecretsInOneOfBranches) {
  const Json oauth = {{"api_key", "k1"},
                      {"credentials", {{"auth_type", "oauth"}, {"refresh_token", "refresh-xyz"}}}};
  EXPECT_THAT(SecretValuesInConfig(oauth, TestSpec()), UnorderedElementsAre("k1", "refresh-xyz"));
  const Json token = {{"api_key", "k2"},
                      {"credentials", {{"auth_type", "token"}, {"api_token", "token-abc"}}}};
  EXPECT_THAT(SecretValuesInConfig(token, TestSpec()), UnorderedElementsAre("k2", "token-abc"));
}

TEST(SecretValuesInConfigTest, FindsSecretsInArrayItems) {
  const Json config = {{"api_key", "k"},
                       {"accounts", Json::array({{{"name", "a"}, {"secret_key", "s-one"}},
                                                 {{"name", "b"}, {"secret_key", "s-two"}}})}};
  EXPECT_THAT(SecretValuesInConfig(config, TestSpec()),
              UnorderedElementsAre("k", "s-one", "s-two"));
}

TEST(SecretValuesInConfigTest, NumericSecretsComeInTheirJsonSpelling) {
  EXPECT_THAT(SecretValuesInConfig(Json{{"pin", 123456}}, TestSpec()),
              UnorderedElementsAre("123456"));
}

TEST(SecretValuesInConfigTest, WriteOnlyAndPasswordFormatFieldsAreSecretToo) {
  const Json spec = Json::parse(R"({"type": "object", "properties": {
      "token": {"type": "string", "writeOnly": true},
      "pass": {"type": "string", "format": "password"},
      "user": {"type": "string"}}})");
  EXPECT_THAT(SecretValuesInConfig(Json{{"token", "t-1"}, {"pass", "p-2"}, {"user", "u"}}, spec),
              UnorderedElementsAre("t-1", "p-2"));
}

TEST(SecretValuesInConfigTest, SecretObjectsContributeEveryLeaf) {
  const Json spec = Json::parse(R"({"type": "object", "properties": {
      "service_account": {"type": "object", "airbyte_secret": true}}})");
  const Json config = {{"service_account", {{"private_key", "pk-secret"},
                                            {"ids", Json::array({"id-1", 42})}}}};
  EXPECT_THAT(SecretValuesInConfig(config, spec),
              UnorderedElementsAre("pk-secret", "id-1", "42"));
}

TEST(SecretValuesInConfigTest, IgnoresNonSecretsAndAbsentFields) {
  EXPECT_THAT(SecretValuesInConfig(Json{{"count", 5}, {"start_date", "2024"}}, TestSpec()),
              IsEmpty());
  EXPECT_THAT(SecretValuesInConfig(Json::object(), TestSpec()), IsEmpty());
}

}  // namespace
}  // namespace airbyte::sources
