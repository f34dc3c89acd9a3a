#include "util/yaml_json.h"

#include <cstdint>
#include <ostream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "airbyte/json.h"
#include "testutil/testutil.h"

namespace airbyte::util {
namespace {

using ::airbyte::Json;
using ::airbyte::testutil::ThrowsError;
using ::testing::AllOf;
using ::testing::HasSubstr;

// nlohmann::json compares 1500 and 1500.0 as equal; the type is part of the contract here.
void ExpectSameJson(const Json& actual, const Json& expected, const std::string& what) {
  EXPECT_EQ(actual, expected) << what;
  EXPECT_EQ(actual.type_name(), std::string(expected.type_name())) << what << " -> " << actual;
}

struct ScalarCase {
  const char* yaml;  // the scalar as written after "value: "
  Json expected;
};

// Readable test names in ctest, not the struct's bytes.
void PrintTo(const ScalarCase& c, std::ostream* os) {
  *os << "'" << c.yaml << "' -> " << c.expected.dump();
}

class YamlScalarTest : public ::testing::TestWithParam<ScalarCase> {};

TEST_P(YamlScalarTest, ResolvesLikePyYaml) {
  const ScalarCase& c = GetParam();
  const Json parsed = ParseYaml(std::string("value: ") + c.yaml, "test");
  ASSERT_TRUE(parsed.is_object()) << parsed;
  ExpectSameJson(parsed["value"], c.expected, c.yaml);
}

INSTANTIATE_TEST_SUITE_P(
    Table, YamlScalarTest,
    ::testing::Values(
        // Integers: underscores, signs, hex.
        ScalarCase{"400_000", std::int64_t{400000}}, ScalarCase{"42", std::int64_t{42}},
        ScalarCase{"-17", std::int64_t{-17}}, ScalarCase{"+5", std::int64_t{5}},
        ScalarCase{"0", std::int64_t{0}}, ScalarCase{"0x1f", std::int64_t{31}},
        ScalarCase{"-1_000_000", std::int64_t{-1000000}},
        ScalarCase{"9223372036854775807", std::int64_t{9223372036854775807}},
        // Floats.
        ScalarCase{"1.5", 1.5}, ScalarCase{"-0.25", -0.25}, ScalarCase{"1.5e3", 1500.0},
        ScalarCase{"1_000.5", 1000.5}, ScalarCase{"3.10", 3.1},
        // YAML 1.1 booleans (PyYAML), in all three spellings.
        ScalarCase{"true", true}, ScalarCase{"True", true}, ScalarCase{"TRUE", true},
        ScalarCase{"yes", true}, ScalarCase{"Yes", true}, ScalarCase{"YES", true},
        ScalarCase{"on", true}, ScalarCase{"On", true}, ScalarCase{"false", false},
        ScalarCase{"no", false}, ScalarCase{"No", false}, ScalarCase{"off", false},
        ScalarCase{"OFF", false},
        // Nulls.
        ScalarCase{"null", nullptr}, ScalarCase{"Null", nullptr}, ScalarCase{"~", nullptr},
        ScalarCase{"", nullptr},
        // Plain strings, including lookalikes.
        ScalarCase{"hello", "hello"}, ScalarCase{"y", "y"}, ScalarCase{"n", "n"},
        ScalarCase{"1.2.3", "1.2.3"}, ScalarCase{"12abc", "12abc"},
        ScalarCase{"2024-01-01", "2024-01-01"}, ScalarCase{".inf", ".inf"},
        ScalarCase{".nan", ".nan"}, ScalarCase{"nullable", "nullable"},
        ScalarCase{"99999999999999999999", "99999999999999999999"},  // does not fit int64
        // Quoted scalars stay strings.
        ScalarCase{"'400_000'", "400_000"}, ScalarCase{"\"123\"", "123"},
        ScalarCase{"'1.5'", "1.5"}, ScalarCase{"\"yes\"", "yes"}, ScalarCase{"'no'", "no"},
        ScalarCase{"'null'", "null"}, ScalarCase{"\"~\"", "~"}, ScalarCase{"''", ""},
        // Explicit tags.
        ScalarCase{"!!str 123", "123"}, ScalarCase{"!!int \"42\"", std::int64_t{42}}));

TEST(ParseYamlTest, InlineFlowMappingWithUnderscoreInteger) {
  // The documented CLI form: --config '{count: 400_000}'.
  const Json parsed = ParseYaml("{count: 400_000}", "inline config");
  ExpectSameJson(parsed, Json{{"count", 400000}}, "object");
  ExpectSameJson(parsed["count"], std::int64_t{400000}, "count");
}

TEST(ParseYamlTest, NestedMapsAndLists) {
  const Json parsed = ParseYaml(R"(
credentials:
  auth_type: OAuth
  client_id: "0123"
  refresh: yes
streams:
  - name: users
    primary_key: [id]
  - name: orders
    cursor: {field: updated_at, lookback_days: 7}
ports: [5432, 5433]
empty_list: []
empty_map: {}
missing:
)",
                                "config file 'config.yaml'");
  const Json expected = Json::parse(R"({
    "credentials": {"auth_type": "OAuth", "client_id": "0123", "refresh": true},
    "streams": [
      {"name": "users", "primary_key": ["id"]},
      {"name": "orders", "cursor": {"field": "updated_at", "lookback_days": 7}}
    ],
    "ports": [5432, 5433],
    "empty_list": [],
    "empty_map": {},
    "missing": null
  })");
  EXPECT_EQ(parsed, expected);
  ExpectSameJson(parsed["streams"][1]["cursor"]["lookback_days"], 7, "lookback_days");
  ExpectSameJson(parsed["credentials"]["client_id"], "0123", "client_id");
}

TEST(ParseYamlTest, JsonTextParsesToTheSameJson) {
  const std::string text =
      R"({"a": [1, 2.5, "x", null, true, false], "b": {"c": "400_000", "d": -3}, "e": ""})";
  const Json parsed = ParseYaml(text, "json");
  EXPECT_EQ(parsed, Json::parse(text));
  ExpectSameJson(parsed["b"]["c"], "400_000", "quoted in JSON");
  ExpectSameJson(parsed["a"][1], 2.5, "float");
}

TEST(ParseYamlTest, BlockScalarsKeepNewlines) {
  const Json parsed = ParseYaml("key: |\n  -----BEGIN KEY-----\n  abc\n", "test");
  EXPECT_EQ(parsed["key"], "-----BEGIN KEY-----\nabc\n");
}

TEST(ParseYamlTest, AliasesResolveToTheAnchoredValue) {
  const Json parsed = ParseYaml("base: &b {count: 5}\ncopy: *b\n", "test");
  EXPECT_EQ(parsed["copy"], (Json{{"count", 5}}));
}

TEST(ParseYamlTest, EmptyDocumentIsNull) {
  EXPECT_TRUE(ParseYaml("", "test").is_null());
  EXPECT_TRUE(ParseYaml("# only a comment\n", "test").is_null());
}

TEST(ParseYamlTest, TopLevelScalarAndList) {
  ExpectSameJson(ParseYaml("400_000", "test"), std::int64_t{400000}, "scalar");
  EXPECT_EQ(ParseYaml("- a\n- 2\n", "test"), Json::parse(R"(["a", 2])"));
}

TEST(ParseYamlTest, SyntaxErrorNamesOriginLineAndColumn) {
  EXPECT_THAT([] { ParseYaml("a: 1\nb: 2\nc: [1, 2\n", "config file 'broken.yaml'"); },
              ThrowsError(ErrorKind::kInput, AllOf(HasSubstr("config file 'broken.yaml'"),
                                                   HasSubstr("(line 4, column"),
                                                   HasSubstr("--config '{count: 100}'"))));
}

TEST(ParseYamlTest, UnclosedInlineConfigIsASyntaxError) {
  // yaml-cpp reports where the unclosed flow mapping starts.
  EXPECT_THAT([] { ParseYaml("{count: 100", "inline config"); },
              ThrowsError(ErrorKind::kInput,
                          AllOf(HasSubstr("inline config"), HasSubstr("(line 1, column 1)"))));
}

TEST(ParseYamlTest, BadIndentationReportsItsLine) {
  EXPECT_THAT([] { ParseYaml("a:\n  b: 1\n c: 2\n", "test"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("(line 3, column")));
}

}  // namespace
}  // namespace airbyte::util
