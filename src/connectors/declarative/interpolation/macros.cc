// Global functions of the CDK's Jinja environment (interpolation/macros.py) and CallArgs.
#include <array>
#include <cctype>
#include <cmath>
#include <fstream>
#include <iterator>
#include <string>

#include "connectors/declarative/interpolation/builtins.h"
#include "connectors/declarative/interpolation/datetime_format.h"
#include "connectors/declarative/interpolation/eval_error.h"
#include "connectors/declarative/interpolation/operators.h"

namespace airbyte::declarative {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

constexpr std::array<std::string_view, 13> kMacros = {
    "now_utc",         "today_utc",    "today_with_timezone",
    "timestamp",       "max",          "min",
    "day_delta",       "duration",     "format_datetime",
    "str_to_datetime", "sanitize_url", "camel_case_to_snake_case",
    "generate_uuid"};

const Value& Required(const CallArgs& args, std::size_t index, std::string_view name,
                      std::string_view macro) {
  const Value* v = args.Get(index, name);
  if (v == nullptr) {
    throw EvalError(std::string(macro) + "() missing required argument: '" + std::string(name) +
                    "'");
  }
  return *v;
}

std::int64_t NowMicros(const EvalEnv& env) {
  if (!env.now_micros) throw EvalError("no clock configured for now_utc()");
  return env.now_micros();
}

std::uint32_t ReadBe32(const std::string& data, std::size_t at) {
  return (std::uint32_t{static_cast<unsigned char>(data[at])} << 24) |
         (std::uint32_t{static_cast<unsigned char>(data[at + 1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(data[at + 2])} << 8) |
         std::uint32_t{static_cast<unsigned char>(data[at + 3])};
}

// UTC offset of the IANA zone `tz` at `unix_seconds`, from the system's TZif file (v2 64-bit
// data; the last transition's type holds beyond the table, as in Debian's "fat" files).
std::int32_t ZoneOffset(const std::string& tz, std::int64_t unix_seconds) {
  bool valid = !tz.empty() && tz.find("..") == std::string::npos && tz[0] != '/';
  for (char c : tz)
    valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' ||
                      c == '-' || c == '+');
  std::ifstream in(valid ? "/usr/share/zoneinfo/" + tz : std::string(), std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!valid || data.size() < 44 || data.compare(0, 4, "TZif") != 0) {
    throw EvalError("UnknownTimeZoneError: '" + tz + "'");
  }
  auto counts = [&](std::size_t at, std::array<std::uint32_t, 6>& c) {
    for (std::size_t i = 0; i < 6; ++i) c[i] = ReadBe32(data, at + 20 + 4 * i);
  };
  std::array<std::uint32_t, 6> c{};  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  counts(0, c);
  std::size_t time_size = 4;
  std::size_t base = 44;
  if (data[4] >= '2') {
    std::size_t v1_len = c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
    std::size_t header2 = 44 + v1_len;
    if (data.size() < header2 + 44) throw EvalError("corrupt time zone file for '" + tz + "'");
    counts(header2, c);
    time_size = 8;
    base = header2 + 44;
  }
  std::size_t times_at = base;
  std::size_t index_at = times_at + c[3] * time_size;
  std::size_t types_at = index_at + c[3];
  if (data.size() < types_at + c[4] * 6 || c[4] == 0)
    throw EvalError("corrupt time zone file for '" + tz + "'");
  std::size_t type = 0;
  for (std::size_t i = 0; i < c[3]; ++i) {
    std::int64_t t = 0;
    if (time_size == 8) {
      t = static_cast<std::int64_t>((std::uint64_t{ReadBe32(data, times_at + 8 * i)} << 32) |
                                    ReadBe32(data, times_at + 8 * i + 4));
    } else {
      t = static_cast<std::int32_t>(ReadBe32(data, times_at + 4 * i));
    }
    if (t > unix_seconds) break;
    type = static_cast<unsigned char>(data[index_at + i]);
  }
  return static_cast<std::int32_t>(ReadBe32(data, types_at + 6 * type));
}

// Python max()/min() over args or one iterable argument.
Value Extreme(const CallArgs& args, bool want_max, std::string_view name) {
  std::vector<Value> items = args.positional;
  if (items.size() == 1) items = Iterate(items[0]);
  if (items.empty()) throw EvalError(std::string(name) + "() arg is an empty sequence");
  std::size_t best = 0;
  for (std::size_t i = 1; i < items.size(); ++i) {
    if (want_max ? Less(items[best], items[i]) : Less(items[i], items[best])) best = i;
  }
  return items[best];
}

std::string QuotePlus(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

DateTime ToUtc(DateTime dt) {
  dt.offset_seconds = 0;
  return dt;
}

DateTime DateTimeFromNumber(const Value& v) {
  double seconds = AsDouble(v.json());
  if (seconds < 0) throw EvalError("Timestamp cannot be negative");
  if (std::to_string(static_cast<std::int64_t>(seconds)).size() > 10)
    throw EvalError("Timestamp value too large");
  return DateTime{static_cast<std::int64_t>(std::llround(seconds * kMicrosPerSecond)), 0};
}

DateTime StrToDateTime(const Value& v) {
  if (v.is_number() && !v.is_bool()) return DateTimeFromNumber(v);
  if (!v.is_string()) {
    throw EvalError("Could not parse datetime string: expected string or integer, got " +
                    TypeName(v));
  }
  return ToUtc(ParseDateTime(v.json().get_ref<const std::string&>()));
}

}  // namespace

const Value* CallArgs::Get(std::size_t index, std::string_view name) const {
  if (index < positional.size()) return &positional[index];
  for (const auto& [key, value] : keywords) {
    if (key == name) return &value;
  }
  return nullptr;
}

void CallArgs::ExpectAtMost(std::size_t n, std::string_view what) const {
  if (positional.size() + keywords.size() > n) {
    throw EvalError(std::string(what) + "() takes at most " + std::to_string(n) + " arguments (" +
                    std::to_string(positional.size() + keywords.size()) + " given)");
  }
}

std::string StrictStr(const Value& v, std::string_view what) {
  if (v.is_undefined()) throw UndefinedError(v.undefined_reason());
  if (!v.is_string()) {
    throw TypeError(std::string(what) + " expects a string, got " + TypeName(v));
  }
  return v.json().get<std::string>();
}

bool IsMacro(std::string_view name) {
  for (std::string_view m : kMacros) {
    if (m == name) return true;
  }
  return false;
}

Value CallMacro(std::string_view name, const CallArgs& args, const EvalEnv& env) {
  for (const Value& v : args.positional) {
    if (v.is_undefined() && name != "max" && name != "min")
      throw UndefinedError(v.undefined_reason());
  }
  if (name == "now_utc") {
    args.ExpectAtMost(0, name);
    return DateTime{NowMicros(env), 0};
  }
  if (name == "today_utc") {
    args.ExpectAtMost(0, name);
    return Date{NowMicros(env) / kMicrosPerDay};
  }
  if (name == "today_with_timezone") {
    args.ExpectAtMost(1, name);
    std::string tz = StrictStr(Required(args, 0, "timezone", name), name);
    std::int64_t now = NowMicros(env);
    std::int32_t offset = ZoneOffset(tz, now / kMicrosPerSecond);
    std::int64_t local = now + std::int64_t{offset} * kMicrosPerSecond;
    return Date{local >= 0 ? local / kMicrosPerDay
                           : -((-local + kMicrosPerDay - 1) / kMicrosPerDay)};
  }
  if (name == "timestamp") {
    args.ExpectAtMost(1, name);
    const Value& v = Required(args, 0, "dt", name);
    if (v.is_number())
      return Json(v.is_integer() ? AsInt(v.json()) : static_cast<std::int64_t>(AsDouble(v.json())));
    DateTime dt = StrToDateTime(v);
    return Json(static_cast<double>(dt.micros) / static_cast<double>(kMicrosPerSecond));
  }
  if (name == "max" || name == "min") return Extreme(args, name == "max", name);
  if (name == "day_delta") {
    args.ExpectAtMost(2, name);
    const Value& days = Required(args, 0, "num_days", name);
    if (!days.is_number())
      throw EvalError("day_delta() num_days must be a number, got " + TypeName(days));
    const Value* format = args.Get(1, "format");
    std::string fmt = format != nullptr ? StrictStr(*format, name) : "%Y-%m-%dT%H:%M:%S.%f%z";
    auto delta = static_cast<std::int64_t>(
        std::llround(AsDouble(days.json()) * static_cast<double>(kMicrosPerDay)));
    return Json(Strftime(DateTime{NowMicros(env) + delta, 0}, fmt));
  }
  if (name == "duration") {
    args.ExpectAtMost(1, name);
    return ParseIsoDuration(StrictStr(Required(args, 0, "datestring", name), name));
  }
  if (name == "str_to_datetime") {
    args.ExpectAtMost(1, name);
    return StrToDateTime(Required(args, 0, "s", name));
  }
  if (name == "format_datetime") {
    args.ExpectAtMost(3, name);
    const Value& dt = Required(args, 0, "dt", name);
    std::string format = StrictStr(Required(args, 1, "format", name), name);
    const Value* input_format = args.Get(2, "input_format");
    bool has_input_format =
        input_format != nullptr && !input_format->is_null() && Truthy(*input_format);
    if (dt.kind() == Value::Kind::kDateTime) return Json(Strftime(dt.datetime(), format));
    if (dt.kind() == Value::Kind::kDate) {
      return Json(Strftime(DateTime{dt.date().days * kMicrosPerDay, 0}, format));
    }
    if (dt.is_number() && !dt.is_bool()) return Json(Strftime(DateTimeFromNumber(dt), format));
    if (!has_input_format) return Json(Strftime(StrToDateTime(dt), format));
    std::string text = StrictStr(dt, name);
    std::string rest = text.size() > 1 ? text.substr(1) : "";
    std::erase(rest, '.');
    bool digits = !text.empty() && std::isdigit(static_cast<unsigned char>(text[0])) &&
                  rest.find_first_not_of("0123456789") == std::string::npos;
    // ab_datetime_parse turns digit strings into epoch seconds before trying any format.
    if (digits) return Json(Strftime(DateTimeFromNumber(Value(Json(std::stod(text)))), format));
    try {
      return Json(Strftime(Strptime(text, StrictStr(*input_format, name)), format));
    } catch (const EvalError&) {
      return Json(Strftime(ParseDateTime(text), format));
    }
  }
  if (name == "sanitize_url") {
    args.ExpectAtMost(1, name);
    return Json(QuotePlus(StrictStr(Required(args, 0, "value", name), name)));
  }
  if (name == "camel_case_to_snake_case") {
    args.ExpectAtMost(1, name);
    std::string s = StrictStr(Required(args, 0, "value", name), name);
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (std::isupper(c) && i > 0) out += '_';
      out += static_cast<char>(std::tolower(c));
    }
    return Json(out);
  }
  if (name == "generate_uuid") {
    args.ExpectAtMost(0, name);
    if (!env.new_uuid) throw EvalError("no UUID source configured for generate_uuid()");
    return Json(env.new_uuid());
  }
  throw EvalError("'" + std::string(name) + "' is undefined");
}

}  // namespace airbyte::declarative
