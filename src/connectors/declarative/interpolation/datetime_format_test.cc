#include "connectors/declarative/interpolation/datetime_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "connectors/declarative/interpolation/eval_error.h"

namespace airbyte::declarative {
namespace {

using ::testing::HasSubstr;

std::string Iso(const DateTime& dt) { return FormatIsoDateTime(dt, 'T'); }

TEST(DatetimeFormatTest, CivilRoundTrip) {
  for (std::int64_t days : {-719162LL, -1LL, 0LL, 59LL, 11016LL, 19723LL, 2932896LL}) {
    int y = 0, m = 0, d = 0;
    CivilFromDays(days, y, m, d);
    EXPECT_EQ(DaysFromCivil(y, m, d), days);
  }
  EXPECT_EQ(DaysFromCivil(2024, 2, 29), 19782);
}

TEST(DatetimeFormatTest, IsoFormatOmitsZeroMicroseconds) {
  EXPECT_EQ(Iso(DateTime{0, 0}), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(Iso(DateTime{1'500'000, 3600}), "1970-01-01T01:00:01.500000+01:00");
  EXPECT_EQ(Iso(DateTime{-1, 0}), "1969-12-31T23:59:59.999999+00:00");
  EXPECT_EQ(FormatIsoDate(Date{19782}), "2024-02-29");
}

TEST(DatetimeFormatTest, StrftimeOffsetsAndPadding) {
  DateTime dt = Strptime("2024-03-05T07:08:09.000123-0530", "%Y-%m-%dT%H:%M:%S.%f%z");
  EXPECT_EQ(Strftime(dt, "%Y-%m-%d %H:%M:%S.%f %z %Z"),
            "2024-03-05 07:08:09.000123 -0530 UTC-05:30");
  // The instant's epoch (the CDK's DatetimeParser), not glibc's local-time reading of the fields.
  EXPECT_EQ(Strftime(dt, "%s"), "1709642289");
  EXPECT_EQ(Strftime(DateTime{5'000'000, 0}, "%e|%C|%F|%T|%u"), " 1|19|1970-01-01|00:00:05|4");
  EXPECT_THROW(Strftime(dt, "%Q"), EvalError);
}

TEST(DatetimeFormatTest, StrptimeFollowsPython) {
  EXPECT_EQ(Iso(Strptime("2024-01-15", "%Y-%m-%d")), "2024-01-15T00:00:00+00:00");
  EXPECT_EQ(Iso(Strptime("2024-1-5 3:4:5", "%Y-%m-%d %H:%M:%S")), "2024-01-05T03:04:05+00:00");
  EXPECT_EQ(Iso(Strptime("2024-01-15T10:00:00Z", "%Y-%m-%dT%H:%M:%S%z")),
            "2024-01-15T10:00:00+00:00");
  EXPECT_EQ(Iso(Strptime("2024-01-15T10:00:00+02:00", "%Y-%m-%dT%H:%M:%S%z")),
            "2024-01-15T10:00:00+02:00");
  EXPECT_EQ(Iso(Strptime("Tue, 30 Apr 2024 02:30:00 +0000", "%a, %d %b %Y %H:%M:%S %z")),
            "2024-04-30T02:30:00+00:00");
  EXPECT_EQ(Iso(Strptime("5", "%f")), "1900-01-01T00:00:00.500000+00:00");
  EXPECT_EQ(Iso(Strptime("1700000000", "%s")), "2023-11-14T22:13:20+00:00");
  EXPECT_EQ(Iso(Strptime("1700000000123", "%ms")), "2023-11-14T22:13:20.123000+00:00");
  EXPECT_EQ(Iso(Strptime("07:15 PM", "%I:%M %p")), "1900-01-01T19:15:00+00:00");
  try {
    Strptime("2024-01-15x", "%Y-%m-%d");
    FAIL();
  } catch (const EvalError& e) {
    EXPECT_THAT(e.what(), HasSubstr("unconverted data remains: x"));
  }
  try {
    Strptime("15/01/2024", "%Y-%m-%d");
    FAIL();
  } catch (const EvalError& e) {
    EXPECT_STREQ(e.what(), "time data '15/01/2024' does not match format '%Y-%m-%d'");
  }
}

TEST(DatetimeFormatTest, ParseDateTimeLikeAbDatetimeParse) {
  EXPECT_EQ(Iso(ParseDateTime("2023-03-14")), "2023-03-14T00:00:00+00:00");
  EXPECT_EQ(Iso(ParseDateTime("2023-03-14T15:09:26Z")), "2023-03-14T15:09:26+00:00");
  EXPECT_EQ(Iso(ParseDateTime("2023-03-14 15:09:26-04:00")), "2023-03-14T15:09:26-04:00");
  EXPECT_EQ(Iso(ParseDateTime("2023-03-14T15:09:26.5")), "2023-03-14T15:09:26.500000+00:00");
  EXPECT_EQ(Iso(ParseDateTime("1678806566")), "2023-03-14T15:09:26+00:00");
  EXPECT_EQ(Iso(ParseDateTime("1678806566.25")), "2023-03-14T15:09:26.250000+00:00");
  EXPECT_THROW(ParseDateTime("-1"), EvalError);
  EXPECT_THROW(ParseDateTime("12345678901"), EvalError);
  EXPECT_THROW(ParseDateTime("2023-13-01"), EvalError);
  EXPECT_THROW(ParseDateTime("15:09:26"), EvalError);
  EXPECT_THROW(ParseDateTime("foo"), EvalError);
}

TEST(DatetimeFormatTest, IsoDurations) {
  EXPECT_EQ(ParseIsoDuration("P1D").micros, 86'400'000'000);
  EXPECT_EQ(ParseIsoDuration("PT1H2M3.5S").micros, 3'723'500'000);
  EXPECT_EQ(ParseIsoDuration("-P1W").micros, -604'800'000'000);
  EXPECT_EQ(ParseIsoDuration("P1Y2M").months, 14);
  EXPECT_EQ(FormatDuration(Duration{-1, 0}), "-1 day, 23:59:59.999999");
  EXPECT_EQ(FormatDuration(Duration{0, 1}), "1 month, 0:00:00");
  EXPECT_THROW(ParseIsoDuration("P"), EvalError);
  EXPECT_THROW(ParseIsoDuration("PT"), EvalError);
  EXPECT_THROW(ParseIsoDuration("P1H"), EvalError);
  EXPECT_THROW(ParseIsoDuration("P1D1Y"), EvalError);
}

TEST(DatetimeFormatTest, CalendarDurationsClampTheDay) {
  DateTime jan31 = ParseDateTime("2023-01-31");
  EXPECT_EQ(Iso(AddDuration(jan31, ParseIsoDuration("P1M"), 1)), "2023-02-28T00:00:00+00:00");
  EXPECT_EQ(Iso(AddDuration(jan31, ParseIsoDuration("P1Y"), -1)), "2022-01-31T00:00:00+00:00");
}

}  // namespace
}  // namespace airbyte::declarative
