#include "caches/value_convert.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace airbyte::caches {
namespace {

using ::testing::Optional;

__extension__ typedef __int128 S128;
__extension__ typedef unsigned __int128 U128;

// An Int128 from the decimal text of an integer, computed independently of ParseDecimal.
Int128 Scaled(std::string_view digits) {
  bool negative = false;
  if (!digits.empty() && digits[0] == '-') {
    negative = true;
    digits.remove_prefix(1);
  }
  S128 value = 0;
  for (const char c : digits) value = value * 10 + (c - '0');
  if (negative) value = -value;
  const auto bits = static_cast<U128>(value);
  return Int128{.lower = static_cast<std::uint64_t>(bits),
                .upper = static_cast<std::int64_t>(static_cast<std::uint64_t>(bits >> 64))};
}

TEST(ParseDecimalTest, ScalesIntegersAndFractionsByTenToTheNinth) {
  EXPECT_THAT(ParseDecimal("0"), Optional(Scaled("0")));
  EXPECT_THAT(ParseDecimal("1"), Optional(Scaled("1000000000")));
  EXPECT_THAT(ParseDecimal("-1.5"), Optional(Scaled("-1500000000")));
  EXPECT_THAT(ParseDecimal("+2.25"), Optional(Scaled("2250000000")));
  EXPECT_THAT(ParseDecimal(".5"), Optional(Scaled("500000000")));
  EXPECT_THAT(ParseDecimal("5."), Optional(Scaled("5000000000")));
  EXPECT_THAT(ParseDecimal("-0"), Optional(Scaled("0")));
}

TEST(ParseDecimalTest, LargeValuesAreExact) {
  EXPECT_THAT(ParseDecimal("12345678901234567890.123456789"),
              Optional(Scaled("12345678901234567890123456789")));
  EXPECT_THAT(ParseDecimal("-99999999999999999999999999999.999999999"),
              Optional(Scaled("-99999999999999999999999999999999999999")));
}

TEST(ParseDecimalTest, AcceptsExponents) {
  EXPECT_THAT(ParseDecimal("1e3"), Optional(Scaled("1000000000000")));
  EXPECT_THAT(ParseDecimal("1.5E-2"), Optional(Scaled("15000000")));
  EXPECT_THAT(ParseDecimal("25e-10"), Optional(Scaled("2")));  // 2.5 units, half-even -> 2
  EXPECT_THAT(ParseDecimal("1e-100"), Optional(Scaled("0")));
  EXPECT_THAT(ParseDecimal("0e999999999"), Optional(Scaled("0")));
  EXPECT_THAT(ParseDecimal("1E+28"), Optional(Scaled("10000000000000000000000000000000000000")));
}

TEST(ParseDecimalTest, RoundsHalfEvenBeyondNineFractionDigits) {
  EXPECT_THAT(ParseDecimal("0.0000000005"), Optional(Scaled("0")));
  EXPECT_THAT(ParseDecimal("0.0000000015"), Optional(Scaled("2")));
  EXPECT_THAT(ParseDecimal("0.00000000250"), Optional(Scaled("2")));
  EXPECT_THAT(ParseDecimal("0.00000000250001"), Optional(Scaled("3")));
  EXPECT_THAT(ParseDecimal("0.0000000024999"), Optional(Scaled("2")));
  EXPECT_THAT(ParseDecimal("-0.0000000035"), Optional(Scaled("-4")));
  EXPECT_THAT(ParseDecimal("1.1234567896"), Optional(Scaled("1123456790")));
}

TEST(ParseDecimalTest, RejectsOverflowAndJunk) {
  EXPECT_EQ(ParseDecimal("100000000000000000000000000000"), std::nullopt);  // 30 integer digits
  EXPECT_EQ(ParseDecimal("99999999999999999999999999999.9999999995"), std::nullopt);  // rounds up
  EXPECT_EQ(ParseDecimal("1e29"), std::nullopt);
  EXPECT_EQ(ParseDecimal("1e999999999999"), std::nullopt);
  for (const char* junk : {"", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "12a", " 1", "1 ", "NaN",
                           "nan", "inf", "-Infinity", "0x10", "1,5"}) {
    EXPECT_EQ(ParseDecimal(junk), std::nullopt) << junk;
  }
}

TEST(DecimalFromDoubleTest, UsesShortestDigits) {
  EXPECT_THAT(DecimalFromDouble(0.1), Optional(Scaled("100000000")));
  EXPECT_THAT(DecimalFromDouble(-2.5), Optional(Scaled("-2500000000")));
  EXPECT_THAT(DecimalFromDouble(1e20), Optional(Scaled("100000000000000000000000000000")));
  EXPECT_EQ(DecimalFromDouble(1e30), std::nullopt);
  EXPECT_EQ(DecimalFromDouble(std::numeric_limits<double>::quiet_NaN()), std::nullopt);
  EXPECT_EQ(DecimalFromDouble(std::numeric_limits<double>::infinity()), std::nullopt);
  EXPECT_EQ(DecimalFromInt64(-3), Scaled("-3000000000"));
  EXPECT_EQ(DecimalFromInt64(INT64_MIN), Scaled("-9223372036854775808000000000"));
}

TEST(ParseInt64Test, AcceptsIntegersAndIntegralNumbers) {
  EXPECT_THAT(ParseInt64("42"), Optional(42));
  EXPECT_THAT(ParseInt64("-42"), Optional(-42));
  EXPECT_THAT(ParseInt64("+7"), Optional(7));
  EXPECT_THAT(ParseInt64("9223372036854775807"), Optional(INT64_MAX));
  EXPECT_THAT(ParseInt64("-9223372036854775808"), Optional(INT64_MIN));
  EXPECT_THAT(ParseInt64("12.0"), Optional(12));
  EXPECT_THAT(ParseInt64("1e3"), Optional(1000));
  EXPECT_THAT(ParseInt64("1.50e1"), Optional(15));
  EXPECT_THAT(ParseInt64("-0.0"), Optional(0));
}

TEST(ParseInt64Test, RejectsFractionsOverflowAndJunk) {
  for (const char* bad : {"12.5", "9223372036854775808", "-9223372036854775809", "1e19",
                          "99999999999999999999999", "", "-", "abc", "1 ", "0x1", "NaN"}) {
    EXPECT_EQ(ParseInt64(bad), std::nullopt) << bad;
  }
}

TEST(ParseDoubleTest, ParsesFiniteNumbersOnly) {
  EXPECT_THAT(ParseDouble("1.5"), Optional(1.5));
  EXPECT_THAT(ParseDouble("-2e3"), Optional(-2000.0));
  EXPECT_THAT(ParseDouble("+.25"), Optional(0.25));
  for (const char* bad : {"", "+", "-", "nan", "NaN", "inf", "-inf", "Infinity", "1e999", "1x",
                          " 1", "+-1"}) {
    EXPECT_EQ(ParseDouble(bad), std::nullopt) << bad;
  }
}

TEST(ParseBoolTest, AcceptsTrueAndFalseInAnyCase) {
  EXPECT_THAT(ParseBool("true"), Optional(true));
  EXPECT_THAT(ParseBool("FALSE"), Optional(false));
  EXPECT_THAT(ParseBool("True"), Optional(true));
  EXPECT_EQ(ParseBool("yes"), std::nullopt);
  EXPECT_EQ(ParseBool("1"), std::nullopt);
  EXPECT_EQ(ParseBool("truee"), std::nullopt);
}

TEST(ParseDateTest, CountsDaysFromTheEpoch) {
  EXPECT_THAT(ParseDate("1970-01-01"), Optional(0));
  EXPECT_THAT(ParseDate("1970-01-02"), Optional(1));
  EXPECT_THAT(ParseDate("1969-12-31"), Optional(-1));
  EXPECT_THAT(ParseDate("2000-03-01"), Optional(11017));
  EXPECT_THAT(ParseDate("2024-02-29"), Optional(19782));
  EXPECT_THAT(ParseDate("0001-01-01"), Optional(-719162));
  EXPECT_THAT(ParseDate("9999-12-31"), Optional(2932896));
  EXPECT_THAT(ParseDate("2024-02-29T23:59:59-05:00"), Optional(19782));  // date as written
}

TEST(ParseDateTest, RejectsInvalidDates) {
  for (const char* bad : {"", "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-01-32",
                          "0000-01-01", "24-01-01", "2024-1-01", "2024/01/01", "2024-01-01x",
                          "2024-01-01T", "2024-01-01T25:00"}) {
    EXPECT_EQ(ParseDate(bad), std::nullopt) << bad;
  }
}

TEST(ParseTimeTest, ParsesClockTimes) {
  EXPECT_THAT(ParseTime("00:00"), Optional(0));
  EXPECT_THAT(ParseTime("12:34"), Optional((12 * 60 + 34) * 60 * std::int64_t{1'000'000}));
  EXPECT_THAT(ParseTime("23:59:59"), Optional(86'399'000'000));
  EXPECT_THAT(ParseTime("00:00:01.5"), Optional(1'500'000));
  EXPECT_THAT(ParseTime("00:00:00.123456789"), Optional(123'456));  // truncated to us
  EXPECT_THAT(ParseTime("10:00:00Z"), Optional(36'000'000'000));
  EXPECT_THAT(ParseTime("10:00:00+05:30"), Optional(36'000'000'000));  // offset ignored
  EXPECT_THAT(ParseTime("10:00-0700"), Optional(36'000'000'000));
}

TEST(ParseTimeTest, RejectsInvalidTimes) {
  for (const char* bad : {"", "24:00", "12:60", "12:00:60", "1:00", "12", "12:00:", "12:00:00.",
                          "12:00:00.1234567891", "12:00:00+5", "12:00:00 UTCx", "noon"}) {
    EXPECT_EQ(ParseTime(bad), std::nullopt) << bad;
  }
}

TEST(ParseTimestampTest, ConvertsOffsetsToUtc) {
  bool had_offset = true;
  constexpr std::int64_t kDay2024 = std::int64_t{19723} * 86'400'000'000;  // 2024-01-01
  constexpr std::int64_t kHour = 3'600'000'000;
  EXPECT_THAT(ParseTimestamp("2024-01-01", had_offset), Optional(kDay2024));
  EXPECT_FALSE(had_offset);
  EXPECT_THAT(ParseTimestamp("2024-01-01T10:00:00", had_offset), Optional(kDay2024 + 10 * kHour));
  EXPECT_FALSE(had_offset);
  EXPECT_THAT(ParseTimestamp("2024-01-01 10:00", had_offset), Optional(kDay2024 + 10 * kHour));
  EXPECT_THAT(ParseTimestamp("2024-01-01T10:00:00Z", had_offset), Optional(kDay2024 + 10 * kHour));
  EXPECT_TRUE(had_offset);
  EXPECT_THAT(ParseTimestamp("2024-01-01t10:00:00z", had_offset), Optional(kDay2024 + 10 * kHour));
  EXPECT_THAT(ParseTimestamp("2024-01-01T10:00:00+02:00", had_offset),
              Optional(kDay2024 + 8 * kHour));
  EXPECT_THAT(ParseTimestamp("2024-01-01T10:00:00+0200", had_offset),
              Optional(kDay2024 + 8 * kHour));
  EXPECT_THAT(ParseTimestamp("2024-01-01T10:00:00+02", had_offset), Optional(kDay2024 + 8 * kHour));
  EXPECT_THAT(ParseTimestamp("2024-01-01T01:00:00-05:30", had_offset),
              Optional(kDay2024 + 6 * kHour + 30 * 60'000'000));
  EXPECT_THAT(ParseTimestamp("2024-01-01 10:00:00 UTC", had_offset),
              Optional(kDay2024 + 10 * kHour));
  EXPECT_THAT(ParseTimestamp("2024-01-01T00:30:00.000001+01:00", had_offset),
              Optional(kDay2024 - 30 * 60'000'000 + 1));
  EXPECT_THAT(ParseTimestamp("1969-12-31T23:59:59.999999Z", had_offset), Optional(-1));
  EXPECT_THAT(ParseTimestamp("0001-01-01T00:00:00Z", had_offset),
              Optional(std::int64_t{-62135596800} * 1'000'000));
}

TEST(ParseTimestampTest, RejectsInvalidTimestamps) {
  bool had_offset = false;
  for (const char* bad : {"", "2024-01-01T", "2024-01-01X10:00", "2024-01-01T10", "2024-01-01Z",
                          "2024-01-01T10:00:00+", "2024-01-01T10:00:00+24:00",
                          "2024-01-01T10:00:00+02:60", "2024-01-01T10:00:00UTC",
                          "2024-01-01T10:00:00 utc", "1704103200", "not a date"}) {
    EXPECT_EQ(ParseTimestamp(bad, had_offset), std::nullopt) << bad;
  }
}

std::string Python(std::string_view json) {
  std::string out;
  EXPECT_TRUE(AppendJsonText(json, JsonStyle::kPython, out)) << json;
  return out;
}

std::string Compact(std::string_view json) {
  std::string out;
  EXPECT_TRUE(AppendJsonText(json, JsonStyle::kCompact, out)) << json;
  return out;
}

TEST(AppendJsonTextTest, PythonStyleUsesJsonDumpsSeparators) {
  EXPECT_EQ(Python(R"({"nested_column":"nested_value"})"), R"({"nested_column": "nested_value"})");
  EXPECT_EQ(Python(R"( { "a" : [1 ,2.50, true,null] , "b":{} } )"),
            R"({"a": [1, 2.50, true, null], "b": {}})");
  EXPECT_EQ(Python("[]"), "[]");
}

TEST(AppendJsonTextTest, PythonStyleEscapesNonAsciiLikeEnsureAscii) {
  EXPECT_EQ(Python("[\"caf\xC3\xA9\"]"), R"(["caf\u00e9"])");
  EXPECT_EQ(Python("[\"\xF0\x9F\x98\x80\"]"), R"(["\ud83d\ude00"])");         // astral: pair
  EXPECT_EQ(Python(R"(["\u00E9\u0041\/\ud83d\ude00"])"), R"(["\u00e9A/\ud83d\ude00"])");
  EXPECT_EQ(Python(R"(["\ud800"])"), R"(["\ud800"])");                       // lone surrogate
  EXPECT_EQ(Python(R"(["a\"b\\c\n\t\r\b\f\u0001\u007f"])"),
            R"(["a\"b\\c\n\t\r\b\f\u0001\u007f"])");
  EXPECT_EQ(Python("{\"k\xC3\xA9y\":1}"), R"({"k\u00e9y": 1})");
}

TEST(AppendJsonTextTest, CompactStyleStripsWhitespaceOnly) {
  EXPECT_EQ(Compact(" { \"a\" : [ 1 , \"x y\" ] ,\n \"\xC3\xA9\": \"\\u00e9\" } "),
            "{\"a\":[1,\"x y\"],\"\xC3\xA9\":\"\\u00e9\"}");
  EXPECT_EQ(Compact(R"("str\"ing")"), R"("str\"ing")");
  EXPECT_EQ(Compact("12.50 "), "12.50");
  // A string ends at the first quote after an even number of backslashes.
  EXPECT_EQ(Compact(R"({ "a\\" : "x\\\" y\\" , "b":[ "\\\\" ] })"),
            R"({"a\\":"x\\\" y\\","b":["\\\\"]})");
  EXPECT_EQ(Compact("{\"k\": \"in string: { [ , \\t\"}"), "{\"k\":\"in string: { [ , \\t\"}");
}

TEST(AppendJsonTextTest, DetectsMalformedText) {
  std::string out;
  EXPECT_FALSE(AppendJsonText("{\"a\":1", JsonStyle::kCompact, out));
  EXPECT_FALSE(AppendJsonText("[1]]", JsonStyle::kPython, out));
  EXPECT_FALSE(AppendJsonText("[\"abc]", JsonStyle::kPython, out));
  EXPECT_FALSE(AppendJsonText(R"(["\x"])", JsonStyle::kPython, out));
  EXPECT_FALSE(AppendJsonText(R"(["\u12"])", JsonStyle::kPython, out));
  EXPECT_FALSE(AppendJsonText("  ", JsonStyle::kCompact, out));
  EXPECT_FALSE(AppendJsonText(R"(["abc\"])", JsonStyle::kCompact, out));  // quote escaped
  EXPECT_FALSE(AppendJsonText("[1]]", JsonStyle::kCompact, out));
}

TEST(AppendJsonStringTest, EscapesQuotesBackslashesAndControls) {
  std::string out;
  AppendJsonString("a\"b\\c\n\x01\xC3\xA9", out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\xC3\xA9\"");
}

TEST(AppendJsonDoubleTest, WritesPythonRepr) {
  std::string out;
  AppendJsonDouble(1.0, out);
  out += ' ';
  AppendJsonDouble(0.1, out);
  out += ' ';
  AppendJsonDouble(1e300, out);
  out += ' ';
  AppendJsonDouble(std::numeric_limits<double>::quiet_NaN(), out);
  EXPECT_EQ(out, "1.0 0.1 1e+300 null");
}

TEST(AppendUuidV7Test, FormatsVersionVariantAndTime) {
  std::string out;
  AppendUuidV7(0x0123456789AB, ~std::uint64_t{0}, 0, out);
  ASSERT_EQ(out.size(), 36u);
  EXPECT_EQ(out.substr(0, 13), "01234567-89ab");
  EXPECT_EQ(out[14], '7');
  EXPECT_EQ(out.substr(14, 4), "7fff");
  EXPECT_EQ(out.substr(19, 4), "8000");
  EXPECT_EQ(out.substr(24), "000000000000");
  EXPECT_EQ(out[8], '-');
  EXPECT_EQ(out[23], '-');
}

TEST(IsJsonNumberTest, FollowsTheJsonGrammar) {
  for (const char* good : {"0", "-0", "12", "1.5", "-1.5e10", "1E+2", "0.0e-0"}) {
    EXPECT_TRUE(IsJsonNumber(good)) << good;
  }
  for (const char* bad : {"", "-", "01", "1.", ".5", "+1", "1e", "1x", "NaN", "--1"}) {
    EXPECT_FALSE(IsJsonNumber(bad)) << bad;
  }
}

}  // namespace
}  // namespace airbyte::caches
