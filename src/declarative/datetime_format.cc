#include "declarative/datetime_format.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "declarative/eval_error.h"

namespace airbyte::declarative {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;
constexpr std::array<const char*, 7> kDayAbbr = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<const char*, 7> kDayFull = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                 "Friday", "Saturday", "Sunday"};
constexpr std::array<const char*, 12> kMonAbbr = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<const char*, 12> kMonFull = {"January",   "February", "March",    "April",
                                                  "May",       "June",     "July",     "August",
                                                  "September", "October",  "November", "December"};

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

[[noreturn]] void NoMatch(std::string_view text, std::string_view format) {
  throw EvalError("time data '" + std::string(text) + "' does not match format '" +
                  std::string(format) + "'");
}

// A cursor over strptime input.
struct Scanner {
  std::string_view text;
  std::size_t pos = 0;
  bool Done() const { return pos >= text.size(); }
  char Peek() const { return Done() ? '\0' : text[pos]; }
  // Up to `max` digits, at least `min`; false if fewer.
  bool Digits(int min, int max, int& value, int* count = nullptr) {
    int n = 0;
    value = 0;
    while (n < max && !Done() && std::isdigit(static_cast<unsigned char>(Peek()))) {
      value = value * 10 + (text[pos++] - '0');
      ++n;
    }
    if (count != nullptr) *count = n;
    return n >= min;
  }
  // Case-insensitive match of one of `names` (longest first is the caller's order).
  template <std::size_t N>
  bool Name(const std::array<const char*, N>& names, int& index) {
    for (std::size_t i = 0; i < N; ++i) {
      std::string_view name = names[i];
      if (text.size() - pos < name.size()) continue;
      bool ok = true;
      for (std::size_t k = 0; k < name.size() && ok; ++k) {
        ok = std::tolower(static_cast<unsigned char>(text[pos + k])) ==
             std::tolower(static_cast<unsigned char>(name[k]));
      }
      if (ok) {
        pos += name.size();
        index = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }
  bool Offset(std::int32_t& offset) {
    if (Peek() == 'Z' || Peek() == 'z') {
      ++pos;
      offset = 0;
      return true;
    }
    if (Peek() != '+' && Peek() != '-') return false;
    int sign = text[pos++] == '-' ? -1 : 1;
    int hours = 0;
    int minutes = 0;
    int seconds = 0;
    if (!Digits(2, 2, hours)) return false;
    bool colon = Peek() == ':';
    if (colon) ++pos;
    if (!Digits(2, 2, minutes)) return false;
    if ((colon && Peek() == ':') || (!colon && std::isdigit(static_cast<unsigned char>(Peek())))) {
      if (colon) ++pos;
      if (!Digits(2, 2, seconds)) return false;
    }
    offset = sign * (hours * 3600 + minutes * 60 + seconds);
    return true;
  }
};

DateTime EpochToDateTime(long double seconds) {
  return DateTime{static_cast<std::int64_t>(seconds * kMicrosPerSecond), 0};
}

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

DateTime Strptime(std::string_view text, std::string_view format) {
  auto whole_number = [&](std::string_view t) -> std::optional<long double> {
    if (t.empty()) return std::nullopt;
    char* end = nullptr;
    std::string s(t);
    long double v = std::strtold(s.c_str(), &end);
    if (end != s.c_str() + s.size()) return std::nullopt;
    return v;
  };
  if (format == "%s" || format == "%s_as_float" || format == "%ms" ||
      format == "%epoch_microseconds") {
    std::optional<long double> v = whole_number(text);
    if (!v) NoMatch(text, format);
    long double scale = format == "%ms" ? 1e3L : (format == "%epoch_microseconds" ? 1e6L : 1.0L);
    return EpochToDateTime(*v / scale);
  }
  Scanner in{text};
  CivilTime c;
  c.year = 1900;  // Python's strptime defaults
  int hour12 = -1;
  int pm = -1;
  std::int32_t offset = 0;
  std::optional<long double> epoch;
  int yday = -1;
  for (std::size_t i = 0; i < format.size(); ++i) {
    char f = format[i];
    if (std::isspace(static_cast<unsigned char>(f))) {
      // Python turns format whitespace into \s+.
      if (!std::isspace(static_cast<unsigned char>(in.Peek()))) NoMatch(text, format);
      while (std::isspace(static_cast<unsigned char>(in.Peek()))) ++in.pos;
      continue;
    }
    if (f != '%' || i + 1 == format.size()) {
      if (in.Peek() != f || in.Done()) NoMatch(text, format);
      ++in.pos;
      continue;
    }
    if (format.substr(i, 4) == "%_ms") {
      f = 'f';
      i += 3;
    } else {
      f = format[++i];
    }
    int v = 0;
    int index = 0;
    bool ok = true;
    switch (f) {
      case 'Y':
        ok = in.Digits(4, 4, c.year);
        break;
      case 'y':
        ok = in.Digits(2, 2, v);
        c.year = v < 69 ? 2000 + v : 1900 + v;
        break;
      case 'm':
        ok = in.Digits(1, 2, c.month);
        break;
      case 'd':
        ok = in.Digits(1, 2, c.day);
        break;
      case 'H':
        ok = in.Digits(1, 2, c.hour);
        break;
      case 'I':
        ok = in.Digits(1, 2, hour12);
        break;
      case 'M':
        ok = in.Digits(1, 2, c.minute);
        break;
      case 'S':
        ok = in.Digits(1, 2, c.second);
        break;
      case 'j':
        ok = in.Digits(1, 3, yday);
        break;
      case 'f': {
        int count = 0;
        ok = in.Digits(1, 6, v, &count);
        for (int k = count; k < 6; ++k) v *= 10;
        c.microsecond = v;
        break;
      }
      case 'p':
        ok = in.Name(std::array<const char*, 2>{"AM", "PM"}, index);
        pm = index;
        break;
      case 'b':
      case 'B':
      case 'h':
        ok = in.Name(kMonFull, index) || in.Name(kMonAbbr, index);
        c.month = index + 1;
        break;
      case 'a':
      case 'A':
        ok = in.Name(kDayFull, index) || in.Name(kDayAbbr, index);
        break;
      case 'z':
        ok = in.Offset(offset);
        break;
      case 'Z':
        ok = in.Name(std::array<const char*, 3>{"UTC", "GMT", "Z"}, index);
        break;
      case 's': {
        std::size_t start = in.pos;
        while (std::isdigit(static_cast<unsigned char>(in.Peek()))) ++in.pos;
        epoch = whole_number(text.substr(start, in.pos - start));
        ok = epoch.has_value();
        break;
      }
      case '%':
        ok = in.Peek() == '%';
        ++in.pos;
        break;
      default:
        throw EvalError("'" + std::string(1, f) + "' is a bad directive in format '" +
                        std::string(format) + "'");
    }
    if (!ok) NoMatch(text, format);
  }
  if (!in.Done()) throw EvalError("unconverted data remains: " + std::string(text.substr(in.pos)));
  if (epoch) return EpochToDateTime(*epoch);
  if (hour12 >= 0) c.hour = hour12 % 12 + (pm == 1 ? 12 : 0);
  if (yday > 0) {
    int y = 0;
    CivilFromDays(DaysFromCivil(c.year, 1, 1) + yday - 1, y, c.month, c.day);
  }
  if (c.hour > 23 || c.minute > 59 || c.second > 61 || c.month < 1 || c.month > 12) {
    NoMatch(text, format);
  }
  return FromCivil(c, offset);
}

}  // namespace airbyte::declarative
