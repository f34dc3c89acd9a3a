// Parsing: strptime with the CDK's epoch directives, ab_datetime_parse (no formats),
// isodate's parse_duration, and duration arithmetic.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

#include "connectors/declarative/interpolation/datetime_format.h"
#include "connectors/declarative/interpolation/eval_error.h"

namespace airbyte::declarative {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;

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

[[noreturn]] void CannotParse(std::string_view text) {
  throw EvalError("Could not parse datetime string: " + std::string(text));
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::size_t Count(std::string_view s, char c) {
  std::size_t n = 0;
  for (char x : s) n += x == c ? 1 : 0;
  return n;
}

DateTime FromEpochText(std::string_view text) {
  std::string s(text);
  bool is_float = s.find('.') != std::string::npos;
  long double seconds = std::strtold(s.c_str(), nullptr);
  std::string int_part = s.substr(0, s.find('.'));
  if (int_part.size() > 10) throw EvalError("Timestamp value too large");
  (void)is_float;
  return DateTime{static_cast<std::int64_t>(std::llround(seconds * kMicrosPerSecond)), 0};
}

// Tries the formats dateutil accepts for the texts the corpus and APIs send.
bool TryFormats(std::string_view text, DateTime& out) {
  static constexpr const char* kFormats[] = {"%Y-%m-%dT%H:%M:%S.%f%z",   "%Y-%m-%dT%H:%M:%S%z",
                                             "%Y-%m-%dT%H:%M%z",         "%Y-%m-%dT%H:%M:%S.%f",
                                             "%Y-%m-%dT%H:%M:%S",        "%Y-%m-%dT%H:%M",
                                             "%Y-%m-%d %H:%M:%S.%f%z",   "%Y-%m-%d %H:%M:%S%z",
                                             "%Y-%m-%d %H:%M%z",         "%Y-%m-%d %H:%M:%S.%f",
                                             "%Y-%m-%d %H:%M:%S",        "%Y-%m-%d %H:%M",
                                             "%Y/%m/%d %H:%M:%S",        "%Y/%m/%d",
                                             "%a, %d %b %Y %H:%M:%S %z", "%a, %d %b %Y %H:%M:%S %Z",
                                             "%d %b %Y %H:%M:%S %z",     "%a, %d %b %Y %H:%M:%S",
                                             "%Y-%m-%dT%H:%M:%S.%f %z",  "%Y-%m-%d %H:%M:%S %z",
                                             "%Y-%m-%d %H:%M:%S %Z"};
  for (const char* format : kFormats) {
    try {
      out = Strptime(text, format);
      return true;
    } catch (const EvalError&) {
    }
  }
  return false;
}

}  // namespace

DateTime ParseDateTime(std::string_view text) {
  if (!text.empty() && text[0] == '-')
    throw EvalError("Timestamp cannot be negative: " + std::string(text));
  if (text.size() > 1) {
    std::string rest(text.substr(1));
    std::erase(rest, '.');
    if (AllDigits(rest) && std::isdigit(static_cast<unsigned char>(text[0])) &&
        Count(text, '.') <= 1) {
      return FromEpochText(text);
    }
  }
  if (AllDigits(text)) return FromEpochText(text);
  if (text.find(':') == std::string_view::npos && Count(text, '-') == 2 &&
      text.find('/') == std::string_view::npos) {
    std::size_t a = text.find('-');
    std::size_t b = text.find('-', a + 1);
    std::string_view parts[3] = {text.substr(0, a), text.substr(a + 1, b - a - 1),
                                 text.substr(b + 1)};
    for (std::string_view p : parts) {
      if (!AllDigits(p)) throw EvalError("Invalid date format: " + std::string(text));
    }
    CivilTime c;
    c.year = std::stoi(std::string(parts[0]));
    c.month = std::stoi(std::string(parts[1]));
    c.day = std::stoi(std::string(parts[2]));
    try {
      return FromCivil(c, 0);
    } catch (const EvalError&) {
      throw EvalError("Invalid date format: " + std::string(text));
    }
  }
  if (text.find(':') != std::string_view::npos && Count(text, '-') < 2 && Count(text, '/') < 2) {
    CannotParse(text);
  }
  DateTime out;
  if (TryFormats(text, out)) return out;
  CannotParse(text);
}

Duration ParseIsoDuration(std::string_view text) {
  std::string_view s = text;
  int sign = 1;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  auto bad = [&]() -> EvalError {
    return EvalError("Unable to parse duration string '" + std::string(text) + "'");
  };
  if (s.size() < 2 || s[0] != 'P') throw bad();
  s.remove_prefix(1);
  // Designators in order; each may appear once. Fractions use '.' or ','.
  static constexpr std::string_view kDate = "YMWD";
  static constexpr std::string_view kTime = "HMS";
  bool in_time = false;
  std::size_t next_designator = 0;
  double years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0;
  bool any = false;
  while (!s.empty()) {
    if (s[0] == 'T') {
      if (in_time) throw bad();
      in_time = true;
      next_designator = 0;
      s.remove_prefix(1);
      if (s.empty()) throw bad();
      continue;
    }
    std::size_t n = 0;
    while (n < s.size() &&
           (std::isdigit(static_cast<unsigned char>(s[n])) || s[n] == '.' || s[n] == ','))
      ++n;
    if (n == 0 || n == s.size()) throw bad();
    std::string number(s.substr(0, n));
    std::replace(number.begin(), number.end(), ',', '.');
    double value = std::strtod(number.c_str(), nullptr);
    char designator = s[n];
    std::string_view order = in_time ? kTime : kDate;
    std::size_t index = order.find(designator, next_designator);
    if (index == std::string_view::npos) throw bad();
    next_designator = index + 1;
    double* targets_date[] = {&years, &months, &weeks, &days};
    double* targets_time[] = {&hours, &minutes, &seconds};
    *(in_time ? targets_time[index] : targets_date[index]) = value;
    any = true;
    s.remove_prefix(n + 1);
  }
  if (!any) throw bad();
  if (years != std::floor(years) || months != std::floor(months)) {
    throw EvalError("fractional years or months are not supported: '" + std::string(text) + "'");
  }
  Duration d;
  d.months = sign * static_cast<std::int64_t>(years * 12 + months);
  double total = ((weeks * 7 + days) * 24 + hours) * 3600 + minutes * 60 + seconds;
  d.micros = sign * static_cast<std::int64_t>(std::llround(total * kMicrosPerSecond));
  return d;
}

DateTime AddDuration(const DateTime& dt, const Duration& d, int sign) {
  DateTime out = dt;
  if (d.months != 0) {
    CivilTime c = ToCivil(dt);
    std::int64_t total = std::int64_t{c.year} * 12 + (c.month - 1) + sign * d.months;
    c.year = static_cast<int>(total / 12);
    c.month = static_cast<int>(total % 12) + 1;
    int y = c.year;
    int m = c.month;
    // Clamp the day to the target month's length, as isodate does.
    std::int64_t next = DaysFromCivil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
    int last = static_cast<int>(next - DaysFromCivil(y, m, 1));
    if (c.day > last) c.day = last;
    out = FromCivil(c, dt.offset_seconds);
  }
  out.micros += sign * d.micros;
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
