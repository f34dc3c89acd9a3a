#include "util/name_normalizer.h"

#include <gtest/gtest.h>

#include "testutil/testutil.h"

namespace airbyte::util {
namespace {

using ::testing::HasSubstr;

struct Case {
  const char* input;
  const char* expected;
};

// The table of behavior doc 4.3.
TEST(NameNormalizerTest, MatchesPyAirbyteExamples) {
  const Case cases[] = {
      {"Test_String", "test_string"},
      {"ANOTHER-TEST", "another_test"},
      {"another.test", "another_test"},
      {"some.col", "some_col"},
      {"sales(%)", "sales___"},
      {"sales (%)", "sales____"},
      {"sales-%", "sales__"},
      {"sales--(#)", "sales_____"},
      {"something_-_-_-_else", "something_______else"},
      {"Hello World!", "hello_world_"},
      {"1", "_1"},
      {"2", "_2"},
      {"+1", "_1"},
      {"-1", "_1"},
      {"2024_sales", "_2024_sales"},
      {"_airbyte_meta", "_airbyte_meta"},
      {"table1.Column1", "table1_column1"},
      {"primary-key-with-dot", "primary_key_with_dot"},
      {"CamelCaseStreamName", "camelcasestreamname"},
      {"caf\xC3\xA9", "caf_"},  // café: one underscore per code point, not per byte
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NormalizeName(c.input), c.expected) << "input: " << c.input;
  }
}

TEST(NameNormalizerTest, LowerCasesUnicodeLikePython) {
  EXPECT_EQ(NormalizeName("\xC4\xB0stanbul"), "i_stanbul");  // İ -> i + U+0307
  EXPECT_EQ(NormalizeName("\xE2\x84\xAA" "elvin"), "kelvin");  // KELVIN SIGN -> k
  EXPECT_EQ(TryNormalizeName("\xE6\x97\xA5\xE6\x9C\xAC"), std::nullopt);  // only non-ASCII
  EXPECT_EQ(NormalizeName("\xE6\x97\xA5\xE6\x9C\xAC" "a"), "__a");
}

TEST(NameNormalizerTest, RejectsNamesWithoutLettersOrDigits) {
  for (const char* name : {"+", "*", "!@$", "+#$", ""}) {
    EXPECT_EQ(TryNormalizeName(name), std::nullopt) << name;
    EXPECT_THAT([&] { NormalizeName(name); },
                testutil::ThrowsError(ErrorKind::kNameNormalization,
                                      HasSubstr("Name cannot be empty after normalization.")));
  }
}

TEST(NameNormalizerTest, TruncatesToMaxLength) {
  const std::string long_name(70, 'a');
  EXPECT_EQ(NormalizeName(long_name), long_name);
  EXPECT_EQ(NormalizeName(long_name, 63), std::string(63, 'a'));
  EXPECT_EQ(NormalizeName("Test.String", 63), "test_string");
}

TEST(NameNormalizerTest, InvalidUtf8BytesBecomeOneUnderscoreEach) {
  EXPECT_EQ(NormalizeName("a\xFF\xFE" "b"), "a__b");
}

}  // namespace
}  // namespace airbyte::util
