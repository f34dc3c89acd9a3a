// ab_datetime_parse (no formats), isodate's parse_duration and duration arithmetic.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "declarative/datetime_format.h"
#include "declarative/eval_error.h"

namespace airbyte::declarative {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;

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

}  // namespace airbyte::declarative
