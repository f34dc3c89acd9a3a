#include "connectors/declarative/yaml_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "testutil/testutil.h"

namespace airbyte::declarative {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testutil::ThrowsError;

Json Value(const std::string& scalar) { return ParseYaml("v: " + scalar + "\n", "test")["v"]; }

TEST(YamlReaderTest, Yaml11BooleansAreBooleansButYAndNAreStrings) {
  for (const char* t : {"yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"}) {
    EXPECT_EQ(Value(t), Json(true)) << t;
  }
  for (const char* f : {"no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"}) {
    EXPECT_EQ(Value(f), Json(false)) << f;
  }
  EXPECT_EQ(Value("y"), Json("y"));
  EXPECT_EQ(Value("n"), Json("n"));
  EXPECT_EQ(Value("yEs"), Json("yEs"));
  EXPECT_EQ(Value("\"no\""), Json("no"));
  EXPECT_EQ(Value("'on'"), Json("on"));
}

TEST(YamlReaderTest, NullForms) {
  EXPECT_EQ(Value("~"), Json(nullptr));
  EXPECT_EQ(Value("null"), Json(nullptr));
  EXPECT_EQ(Value("Null"), Json(nullptr));
  EXPECT_EQ(Value("NULL"), Json(nullptr));
  EXPECT_EQ(Value(""), Json(nullptr));
  EXPECT_EQ(Value("nULL"), Json("nULL"));
  EXPECT_EQ(Value("''"), Json(""));
  EXPECT_EQ(ParseYaml("", "empty"), Json(nullptr));
}

TEST(YamlReaderTest, IntegersFollowYaml11) {
  EXPECT_EQ(Value("1_000"), Json(1000));
  EXPECT_EQ(Value("0x1F"), Json(31));
  EXPECT_EQ(Value("-0x1F"), Json(-31));
  EXPECT_EQ(Value("017"), Json(15));  // legacy octal
  EXPECT_EQ(Value("0b101"), Json(5));
  EXPECT_EQ(Value("1:30"), Json(90));  // sexagesimal
  EXPECT_EQ(Value("+1"), Json(1));
  EXPECT_EQ(Value("0"), Json(0));
  EXPECT_EQ(Value("-12"), Json(-12));
  EXPECT_EQ(Value("0o17"), Json("0o17"));  // YAML 1.2 octal: PyYAML keeps the text
  EXPECT_EQ(Value("09"), Json("09"));
  EXPECT_EQ(Value("'017'"), Json("017"));
  EXPECT_EQ(Value("18446744073709551615"), Json(18446744073709551615ULL));
  EXPECT_TRUE(Value("123456789012345678901234567890").is_number_float());
}

TEST(YamlReaderTest, FloatsNeedADotAndASignedExponent) {
  EXPECT_EQ(Value("1.5"), Json(1.5));
  EXPECT_EQ(Value(".5"), Json(0.5));
  EXPECT_EQ(Value("0."), Json(0.0));
  EXPECT_EQ(Value("1_0.5"), Json(10.5));
  EXPECT_EQ(Value("1.5e+3"), Json(1500.0));
  EXPECT_EQ(Value("1.5e3"), Json("1.5e3"));
  EXPECT_EQ(Value("1e+3"), Json("1e+3"));
  EXPECT_EQ(Value("1:30.5"), Json(90.5));
  EXPECT_TRUE(Value("1.0").is_number_float());
}

TEST(YamlReaderTest, InfinityAndNanAreDoubles) {
  EXPECT_EQ(Value(".inf").get<double>(), HUGE_VAL);
  EXPECT_EQ(Value("-.Inf").get<double>(), -HUGE_VAL);
  EXPECT_TRUE(std::isnan(Value(".NaN").get<double>()));
  EXPECT_EQ(Value("'.inf'"), Json(".inf"));
}

TEST(YamlReaderTest, BareDatesBecomeIsoTextQuotedOnesStayAsWritten) {
  EXPECT_EQ(Value("2021-01-02"), Json("2021-01-02"));
  EXPECT_EQ(Value("'2021-1-2'"), Json("2021-1-2"));
  EXPECT_EQ(Value("2021-1-2"), Json("2021-1-2"));  // a date-only needs two-digit fields
  EXPECT_EQ(Value("2021-01-02T03:04:05Z"), Json("2021-01-02T03:04:05+00:00"));
  EXPECT_EQ(Value("2021-01-02 03:04:05"), Json("2021-01-02T03:04:05"));
  EXPECT_EQ(Value("2021-1-2 3:04:05.5 +5"), Json("2021-01-02T03:04:05.500000+05:00"));
  EXPECT_EQ(Value("2021-01-02t03:04:05.1234567-05:30"), Json("2021-01-02T03:04:05.123456-05:30"));
  EXPECT_EQ(Value("\"2021-01-02T03:04:05Z\""), Json("2021-01-02T03:04:05Z"));
  EXPECT_THAT([] { Value("2021-02-30"); }, ThrowsError(ErrorKind::kInput, HasSubstr("line 1")));
}

TEST(YamlReaderTest, BlockScalarsKeepOrFoldNewlines) {
  Json doc = ParseYaml(
      "folded: >-\n  one\n  two\n\n  three\nliteral: |-\n  a\n   b\nkeep: |\n  x\n", "test");
  EXPECT_EQ(doc["folded"], Json("one two\nthree"));
  EXPECT_EQ(doc["literal"], Json("a\n b"));
  EXPECT_EQ(doc["keep"], Json("x\n"));
  EXPECT_EQ(ParseYaml("v: |-\n  yes\n", "test")["v"], Json("yes"));
}

TEST(YamlReaderTest, KeysBecomeJsonDumpsText) {
  Json doc = ParseYaml("\"no\": 1\nno: 2\n200: 3\n~: 4\n1.5: 5\n\"@timestamp\": 6\n", "test");
  EXPECT_EQ(doc.dump(), R"({"no":1,"false":2,"200":3,"null":4,"1.5":5,"@timestamp":6})");
}

TEST(YamlReaderTest, DuplicateKeysKeepFirstPositionAndLastValue) {
  EXPECT_EQ(ParseYaml("a: 1\nb: 2\na: 3\n", "test").dump(), R"({"a":3,"b":2})");
}

TEST(YamlReaderTest, AnchorsAliasesAndMergeKeys) {
  Json doc = ParseYaml(
      "base: &base {a: 1, b: 2}\n"
      "other: &other {b: 20, c: 30}\n"
      "copy: *base\n"
      "merged:\n  <<: *base\n  b: 3\n"
      "multi:\n  <<: [*base, *other]\n  d: 4\n"
      "quoted: {\"<<\": 1}\n",
      "test");
  EXPECT_EQ(doc["copy"], Json::parse(R"({"a":1,"b":2})"));
  EXPECT_EQ(doc["merged"].dump(), R"({"a":1,"b":3})");
  // Earlier mappings in a merge list win; merged keys come first.
  EXPECT_EQ(doc["multi"].dump(), R"({"b":2,"c":30,"a":1,"d":4})");
  EXPECT_EQ(doc["quoted"].dump(), R"({"<<":1})");
}

TEST(YamlReaderTest, ExplicitTags) {
  Json doc = ParseYaml("a: !!str 017\nb: !!int \"12\"\nc: !!float '1'\nd: !!bool 'yes'\n", "t");
  EXPECT_EQ(doc.dump(), R"({"a":"017","b":12,"c":1.0,"d":true})");
  // A set becomes a mapping to null (json.dumps cannot write Python sets).
  EXPECT_EQ(ParseYaml("!!set {x, y}\n", "t").dump(), R"({"x":null,"y":null})");
  EXPECT_THAT([] { ParseYaml("a: !custom x\n", "t"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("could not determine a constructor")));
}

TEST(YamlReaderTest, FlowCollectionsCommentsAndQuotedKeys) {
  Json doc =
      ParseYaml("# comment\nlist: [1, 'two', {three: 3}]  # trailing\n\"$schema\": x\n", "test");
  EXPECT_EQ(doc.dump(), R"({"list":[1,"two",{"three":3}],"$schema":"x"})");
}

TEST(YamlReaderTest, SyntaxErrorNamesOriginLineAndColumn) {
  EXPECT_THAT([] { ParseYaml("a: 1\nb: [1, 2\nc: 3\n", "manifest.yaml"); },
              ThrowsError(ErrorKind::kInput, AllOf(HasSubstr("manifest.yaml"), HasSubstr("line "),
                                                   HasSubstr("column "))));
  EXPECT_THAT([] { ParseYaml("a: *nope\n", "m.yaml"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("undefined alias")));
  EXPECT_THAT([] { ParseYaml("a: 1\n---\nb: 2\n", "m.yaml"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("single document")));
  EXPECT_THAT([] { ParseYaml("a: =\n", "m.yaml"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("line 1, column 4")));
}

TEST(YamlReaderTest, RecursiveAliasIsAnError) {
  EXPECT_THAT([] { ParseYaml("a: &x [1, *x]\n", "m.yaml"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("recursive alias")));
}

}  // namespace
}  // namespace airbyte::declarative
