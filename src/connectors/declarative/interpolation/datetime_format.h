#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/declarative/interpolation/value.h"

namespace airbyte::declarative {

/// English (C locale) day and month names, Monday and January first.
inline constexpr std::array<const char*, 7> kDayAbbr = {"Mon", "Tue", "Wed", "Thu",
                                                        "Fri", "Sat", "Sun"};
inline constexpr std::array<const char*, 7> kDayFull = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
inline constexpr std::array<const char*, 12> kMonAbbr = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
inline constexpr std::array<const char*, 12> kMonFull = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

/// Civil fields of a DateTime in its own offset.
struct CivilTime {
  int year = 1970;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int microsecond = 0;
};

std::int64_t DaysFromCivil(int year, int month, int day);
void CivilFromDays(std::int64_t days, int& year, int& month, int& day);
CivilTime ToCivil(const DateTime& dt);
/// Throws EvalError for out-of-range fields.
DateTime FromCivil(const CivilTime& c, std::int32_t offset_seconds);

/// Python `isoformat(sep)`: 2024-01-01T00:00:00+00:00, `.ffffff` only when non-zero.
std::string FormatIsoDateTime(const DateTime& dt, char sep);
/// 2024-01-01
std::string FormatIsoDate(const Date& date);
/// Python `str(timedelta)`: "1 day, 0:00:00", "-1 day, 23:59:59", "0:00:01.500000".
std::string FormatDuration(const Duration& d);

/// Python `strftime` plus the CDK's extensions: `%s` (epoch seconds), `%ms` (epoch millis),
/// `%s_as_float`, `%epoch_microseconds`, `%_ms` (3-digit milliseconds). `%z` is `+0000`.
/// Locale is C (English day and month names). Unknown directives throw EvalError.
std::string Strftime(const DateTime& dt, std::string_view format);

/// Python `datetime.strptime` (whole text must match) plus the CDK's epoch directives.
/// Text without an offset is UTC. Throws EvalError("time data ... does not match format ...").
DateTime Strptime(std::string_view text, std::string_view format);

/// The CDK's `ab_datetime_parse` without formats: digit strings are epoch seconds, date-only
/// `YYYY-MM-DD`, ISO-8601 with `T` or space, RFC-2822 (`Tue, 30 Apr 2024 02:30:00 +0000`).
/// Naive is UTC; the offset is kept. Throws EvalError("Could not parse datetime string: ...").
DateTime ParseDateTime(std::string_view text);

/// ISO-8601 duration (`P1D`, `PT1H30M`, `P1M`, `P2W`, `-P1D`) as isodate's parse_duration.
/// Throws EvalError for malformed text.
Duration ParseIsoDuration(std::string_view text);

/// dt + d (calendar months first, clamping the day, then the exact part), as isodate does.
DateTime AddDuration(const DateTime& dt, const Duration& d, int sign);

}  // namespace airbyte::declarative
