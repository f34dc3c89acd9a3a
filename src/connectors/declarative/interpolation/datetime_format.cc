#include "connectors/declarative/interpolation/datetime_format.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "connectors/declarative/interpolation/eval_error.h"

namespace airbyte::declarative {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::string Pad(std::int64_t value, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(value));
  return buf;
}

std::string OffsetText(std::int32_t offset, bool colon) {
  std::string out = offset < 0 ? "-" : "+";
  std::int32_t a = std::abs(offset);
  out += Pad(a / 3600, 2) + (colon ? ":" : "") + Pad(a / 60 % 60, 2);
  if (a % 60 != 0) out += (colon ? ":" : "") + Pad(a % 60, 2);
  return out;
}

// Monday = 0, as Python's weekday().
int Weekday(std::int64_t days) { return static_cast<int>(days + 3 - FloorDiv(days + 3, 7) * 7); }

}  // namespace

std::int64_t DaysFromCivil(int year, int month, int day) {
  // Howard Hinnant's days_from_civil.
  std::int64_t y = year - (month <= 2 ? 1 : 0);
  std::int64_t era = FloorDiv(y, 400);
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(std::int64_t days, int& year, int& month, int& day) {
  days += 719468;
  std::int64_t era = FloorDiv(days, 146097);
  std::int64_t doe = days - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

CivilTime ToCivil(const DateTime& dt) {
  std::int64_t local = dt.micros + std::int64_t{dt.offset_seconds} * kMicrosPerSecond;
  std::int64_t days = FloorDiv(local, kMicrosPerDay);
  std::int64_t in_day = local - days * kMicrosPerDay;
  CivilTime c;
  CivilFromDays(days, c.year, c.month, c.day);
  c.hour = static_cast<int>(in_day / (3600 * kMicrosPerSecond));
  c.minute = static_cast<int>(in_day / (60 * kMicrosPerSecond) % 60);
  c.second = static_cast<int>(in_day / kMicrosPerSecond % 60);
  c.microsecond = static_cast<int>(in_day % kMicrosPerSecond);
  return c;
}

DateTime FromCivil(const CivilTime& c, std::int32_t offset_seconds) {
  if (c.year < 1 || c.year > 9999)
    throw EvalError("year " + std::to_string(c.year) + " is out of range");
  if (c.month < 1 || c.month > 12) throw EvalError("month must be in 1..12");
  if (c.day < 1 || c.day > DaysInMonth(c.year, c.month)) {
    throw EvalError("day is out of range for month");
  }
  if (c.hour > 23 || c.minute > 59 || c.second > 59 || c.hour < 0 || c.minute < 0 || c.second < 0) {
    throw EvalError("time field out of range");
  }
  std::int64_t local = DaysFromCivil(c.year, c.month, c.day) * kMicrosPerDay +
                       ((c.hour * 60 + c.minute) * 60 + c.second) * kMicrosPerSecond +
                       c.microsecond;
  return DateTime{local - std::int64_t{offset_seconds} * kMicrosPerSecond, offset_seconds};
}

std::string FormatIsoDate(const Date& date) {
  int y = 0;
  int m = 0;
  int d = 0;
  CivilFromDays(date.days, y, m, d);
  return Pad(y, 4) + "-" + Pad(m, 2) + "-" + Pad(d, 2);
}

std::string FormatIsoDateTime(const DateTime& dt, char sep) {
  CivilTime c = ToCivil(dt);
  std::string out = Pad(c.year, 4) + "-" + Pad(c.month, 2) + "-" + Pad(c.day, 2) + sep +
                    Pad(c.hour, 2) + ":" + Pad(c.minute, 2) + ":" + Pad(c.second, 2);
  if (c.microsecond != 0) out += "." + Pad(c.microsecond, 6);
  return out + OffsetText(dt.offset_seconds, true);
}

std::string FormatDuration(const Duration& d) {
  std::string out;
  if (d.months != 0) {
    out += std::to_string(d.months) + (std::abs(d.months) == 1 ? " month, " : " months, ");
  }
  std::int64_t days = FloorDiv(d.micros, kMicrosPerDay);
  std::int64_t rest = d.micros - days * kMicrosPerDay;
  if (days != 0) out += std::to_string(days) + (std::abs(days) == 1 ? " day, " : " days, ");
  std::int64_t secs = rest / kMicrosPerSecond;
  out += std::to_string(secs / 3600) + ":" + Pad(secs / 60 % 60, 2) + ":" + Pad(secs % 60, 2);
  if (rest % kMicrosPerSecond != 0) out += "." + Pad(rest % kMicrosPerSecond, 6);
  return out;
}

std::string Strftime(const DateTime& dt, std::string_view format) {
  // The CDK's DatetimeParser handles these only as the whole format.
  std::int64_t floor_seconds = FloorDiv(dt.micros, kMicrosPerSecond);
  if (format == "%ms") return std::to_string(FloorDiv(dt.micros, 1000));
  if (format == "%epoch_microseconds") return std::to_string(dt.micros);
  if (format == "%s_as_float") {
    return FloatRepr(static_cast<double>(dt.micros) / static_cast<double>(kMicrosPerSecond));
  }
  CivilTime c = ToCivil(dt);
  std::int64_t local_days =
      FloorDiv(dt.micros + std::int64_t{dt.offset_seconds} * kMicrosPerSecond, kMicrosPerDay);
  int wday = Weekday(local_days);  // Monday = 0
  int yday = static_cast<int>(local_days - DaysFromCivil(c.year, 1, 1));
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      out += format[i];
      continue;
    }
    if (format.substr(i, 4) == "%_ms") {
      out += Pad(c.microsecond / 1000, 3);
      i += 3;
      continue;
    }
    char d = format[++i];
    switch (d) {
      case 'a':
        out += kDayAbbr[static_cast<std::size_t>(wday)];
        break;
      case 'A':
        out += kDayFull[static_cast<std::size_t>(wday)];
        break;
      case 'b':
      case 'h':
        out += kMonAbbr[static_cast<std::size_t>(c.month - 1)];
        break;
      case 'B':
        out += kMonFull[static_cast<std::size_t>(c.month - 1)];
        break;
      case 'C':
        out += Pad(c.year / 100, 2);
        break;
      case 'd':
        out += Pad(c.day, 2);
        break;
      case 'e':
        out += (c.day < 10 ? " " : "") + std::to_string(c.day);
        break;
      case 'f':
        out += Pad(c.microsecond, 6);
        break;
      case 'F':
        out += Pad(c.year, 4) + "-" + Pad(c.month, 2) + "-" + Pad(c.day, 2);
        break;
      case 'H':
        out += Pad(c.hour, 2);
        break;
      case 'I':
        out += Pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2);
        break;
      case 'j':
        out += Pad(yday + 1, 3);
        break;
      case 'm':
        out += Pad(c.month, 2);
        break;
      case 'M':
        out += Pad(c.minute, 2);
        break;
      case 'p':
        out += c.hour < 12 ? "AM" : "PM";
        break;
      case 's':
        out += std::to_string(floor_seconds);
        break;
      case 'S':
        out += Pad(c.second, 2);
        break;
      case 'T':
        out += Pad(c.hour, 2) + ":" + Pad(c.minute, 2) + ":" + Pad(c.second, 2);
        break;
      case 'u':
        out += std::to_string(wday + 1);
        break;
      case 'w':
        out += std::to_string((wday + 1) % 7);
        break;
      case 'U':
        out += Pad((yday + 7 - (wday + 1) % 7) / 7, 2);
        break;
      case 'W':
        out += Pad((yday + 7 - wday) / 7, 2);
        break;
      case 'y':
        out += Pad(c.year % 100, 2);
        break;
      case 'Y':
        out += std::to_string(c.year);
        break;
      case 'z':
        out += OffsetText(dt.offset_seconds, false);
        break;
      case 'Z':
        out += dt.offset_seconds == 0 ? "UTC" : "UTC" + OffsetText(dt.offset_seconds, true);
        break;
      case '%':
        out += '%';
        break;
      default:
        throw EvalError("strftime directive '%" + std::string(1, d) + "' is not supported");
    }
  }
  return out;
}

}  // namespace airbyte::declarative
