// Python-style methods called from templates (str, dict, list, datetime, date, timedelta) and
// Jinja's tests (`is defined`, `is none`, ...).
#include <algorithm>
#include <array>
#include <string>

#include "connectors/declarative/interpolation/builtins.h"
#include "connectors/declarative/interpolation/datetime_format.h"
#include "connectors/declarative/interpolation/eval_error.h"
#include "connectors/declarative/interpolation/operators.h"
#include "connectors/declarative/interpolation/text_util.h"

namespace airbyte::declarative {

namespace {

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;

// Methods Python has but this interpreter does not implement: calling one is an explicit
// error, not a silent Undefined.
constexpr std::string_view kStrMethods =
    " casefold center count encode expandtabs find format_map index isalnum isalpha isascii "
    "isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper ljust "
    "maketrans partition removeprefix removesuffix rfind rindex rjust rpartition rsplit "
    "splitlines swapcase translate zfill ";
constexpr std::string_view kDictMethods = " clear copy fromkeys pop popitem setdefault update ";
constexpr std::string_view kListMethods =
    " append clear copy count extend index insert pop remove reverse sort ";
constexpr std::string_view kDateTimeMethods =
    " astimezone ctime dst isocalendar isoweekday time timetuple timetz toordinal tzname "
    "utcoffset weekday ";

bool Listed(std::string_view list, std::string_view name) {
  std::string needle = " " + std::string(name) + " ";
  return list.find(needle) != std::string_view::npos;
}

const std::string& S(const Value& self) { return self.json().get_ref<const std::string&>(); }

std::string StrArg(const CallArgs& args, std::size_t i, std::string_view name,
                   std::string_view method) {
  const Value* v = args.Get(i, name);
  if (v == nullptr)
    throw EvalError(std::string(method) + "() missing required argument: '" + std::string(name) +
                    "'");
  if (!v->is_string()) {
    throw EvalError(std::string(method) + "() argument must be str, not " + TypeName(*v));
  }
  return S(*v);
}

Value Split(const std::string& s, const CallArgs& args) {
  const Value* sep = args.Get(0, "sep");
  const Value* max_arg = args.Get(1, "maxsplit");
  std::int64_t max_split = max_arg != nullptr ? AsInt(max_arg->json()) : -1;
  Json out = Json::array();
  if (sep == nullptr || sep->is_null()) {
    std::size_t i = 0;
    while (true) {
      while (i < s.size() && IsPyWhitespace(static_cast<unsigned char>(s[i]))) ++i;
      if (i >= s.size()) break;
      if (max_split >= 0 && static_cast<std::int64_t>(out.size()) == max_split) {
        out.push_back(PyStrip(s.substr(i), nullptr, false, true));
        break;
      }
      std::size_t j = i;
      while (j < s.size() && !IsPyWhitespace(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back(s.substr(i, j - i));
      i = j;
    }
    return out;
  }
  if (!sep->is_string()) throw EvalError("must be str or None, not " + TypeName(*sep));
  const std::string& d = S(*sep);
  if (d.empty()) throw EvalError("empty separator");
  std::size_t start = 0;
  while (max_split < 0 || static_cast<std::int64_t>(out.size()) < max_split) {
    std::size_t p = s.find(d, start);
    if (p == std::string::npos) break;
    out.push_back(s.substr(start, p - start));
    start = p + d.size();
  }
  out.push_back(s.substr(start));
  return out;
}

bool PrefixTest(const std::string& s, const Value& arg, bool starts) {
  auto one = [&](const Value& p) {
    if (!p.is_string())
      throw EvalError("startswith/endswith first arg must be str or a tuple of str, not " +
                      TypeName(p));
    return starts ? s.starts_with(S(p)) : s.ends_with(S(p));
  };
  if (arg.is_list()) {
    for (const Value& p : Iterate(arg)) {
      if (one(p)) return true;
    }
    return false;
  }
  return one(arg);
}

// str.format with {} / {0} / {name} fields (no format specs).
std::string Format(const std::string& s, const CallArgs& args) {
  std::string out;
  std::size_t auto_index = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '{' && i + 1 < s.size() && s[i + 1] == '{') {
      out += '{';
      ++i;
    } else if (s[i] == '}' && i + 1 < s.size() && s[i + 1] == '}') {
      out += '}';
      ++i;
    } else if (s[i] == '{') {
      std::size_t end = s.find('}', i);
      if (end == std::string::npos) throw EvalError("Single '{' encountered in format string");
      std::string field = s.substr(i + 1, end - i - 1);
      if (field.find_first_of(":!.[") != std::string::npos) {
        throw EvalError("str.format field '{" + field +
                        "}' (format specs, conversions) is not supported");
      }
      const Value* v = nullptr;
      if (field.empty()) {
        v = args.Get(auto_index++, "");
      } else if (std::all_of(field.begin(), field.end(),
                             [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        v = args.Get(std::stoul(field), "");
      } else {
        v = args.Get(static_cast<std::size_t>(-1), field);
      }
      if (v == nullptr)
        throw EvalError("Replacement index " + field + " out of range for positional args tuple");
      out += Str(*v);
      i = end;
    } else {
      out += s[i];
    }
  }
  return out;
}

Value StrMethod(const Value& self, std::string_view name, const CallArgs& args) {
  const std::string& s = S(self);
  if (name == "split") return Split(s, args);
  if (name == "strip") return Json(PyStrip(s, args.Get(0, "chars"), true, true));
  if (name == "lstrip") return Json(PyStrip(s, args.Get(0, "chars"), true, false));
  if (name == "rstrip") return Json(PyStrip(s, args.Get(0, "chars"), false, true));
  if (name == "lower") return Json(AsciiLower(s));
  if (name == "upper") return Json(AsciiUpper(s));
  if (name == "title" || name == "capitalize") {
    // Python: title() uppercases a letter after a non-letter; capitalize() only the first.
    std::string out = AsciiLower(s);
    bool after_letter = false;
    for (std::size_t i = 0; i < out.size(); ++i) {
      bool letter = std::isalpha(static_cast<unsigned char>(out[i])) != 0;
      if (letter && !after_letter && (name == "title" || i == 0))
        out[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[i])));
      after_letter = letter;
    }
    return Json(out);
  }
  if (name == "startswith" || name == "endswith") {
    const Value* arg = args.Get(0, "prefix");
    if (arg == nullptr)
      throw EvalError(std::string(name) + "() takes at least 1 argument (0 given)");
    return Json(PrefixTest(s, *arg, name == "startswith"));
  }
  if (name == "replace") {
    std::string from = StrArg(args, 0, "old", name);
    std::string to = StrArg(args, 1, "new", name);
    const Value* count_arg = args.Get(2, "count");
    std::int64_t count = count_arg != nullptr ? AsInt(count_arg->json()) : -1;
    std::string out;
    std::size_t pos = 0;
    std::int64_t done = 0;
    if (from.empty()) {  // Python inserts `to` between characters
      std::vector<std::string> chars = CodePoints(s);
      for (const std::string& c : chars) {
        if (count < 0 || done++ < count) out += to;
        out += c;
      }
      if (count < 0 || done < count) out += to;
      return Json(out);
    }
    while (count < 0 || done < count) {
      std::size_t p = s.find(from, pos);
      if (p == std::string::npos) break;
      out += s.substr(pos, p - pos) + to;
      pos = p + from.size();
      ++done;
    }
    return Json(out + s.substr(pos));
  }
  if (name == "join") {
    std::string out;
    std::size_t i = 0;
    for (const Value& item : Iterate(args.positional.empty() ? Value() : args.positional[0])) {
      if (!item.is_string()) {
        throw EvalError("sequence item " + std::to_string(i) + ": expected str instance, " +
                        TypeName(item) + " found");
      }
      if (i++ > 0) out += s;
      out += S(item);
    }
    if (args.positional.empty()) throw EvalError("join() takes exactly one argument (0 given)");
    return Json(out);
  }
  if (name == "format") return Json(Format(s, args));
  if (name == "count") {
    std::string sub = StrArg(args, 0, "sub", name);
    if (sub.empty()) return Json(static_cast<std::int64_t>(CodePoints(s).size() + 1));
    std::int64_t n = 0;
    for (std::size_t p = s.find(sub); p != std::string::npos; p = s.find(sub, p + sub.size())) ++n;
    return Json(n);
  }
  if (name == "find") {
    std::size_t p = s.find(StrArg(args, 0, "sub", name));
    return Json(
        p == std::string::npos ? -1 : static_cast<std::int64_t>(CodePoints(s.substr(0, p)).size()));
  }
  if (name == "isdigit")
    return Json(!s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    }));
  if (Listed(kStrMethods, name))
    throw EvalError("str." + std::string(name) + "() is not supported in templates");
  throw UndefinedError("'str object' has no attribute '" + std::string(name) + "'");
}

Value DictMethod(const Value& self, std::string_view name, const CallArgs& args) {
  const Json& d = self.json();
  if (name == "get") {
    const Value* key = args.Get(0, "key");
    if (key == nullptr) throw EvalError("get expected at least 1 argument, got 0");
    if (key->is_json() && !key->json().is_structured()) {
      auto it = d.find(key->is_string() ? S(*key) : Str(*key));
      if (it != d.end()) return self.Child(*it);
    } else if (key->is_undefined()) {
      throw UndefinedError(key->undefined_reason());
    } else {
      throw EvalError("unhashable type: '" + TypeName(*key) + "'");
    }
    const Value* dflt = args.Get(1, "default");
    return dflt != nullptr ? *dflt : Value(Json(nullptr));
  }
  if (name == "keys" || name == "values" || name == "items") {
    Json out = Json::array();
    for (const auto& [key, item] : d.items()) {
      if (name == "keys") out.push_back(key);
      if (name == "values") out.push_back(item);
      if (name == "items") out.push_back(Json::array({key, item}));
    }
    return out;
  }
  if (Listed(kDictMethods, name))
    throw EvalError("dict." + std::string(name) + "() is not supported in templates");
  throw UndefinedError("'dict object' has no attribute '" + std::string(name) + "'");
}

Value DateTimeMethod(const Value& self, std::string_view name, const CallArgs& args) {
  bool is_date = self.kind() == Value::Kind::kDate;
  DateTime dt = is_date ? DateTime{self.date().days * kMicrosPerDay, 0} : self.datetime();
  if (name == "strftime") return Json(Strftime(dt, StrArg(args, 0, "format", name)));
  if (name == "isoformat") {
    if (is_date) return Json(FormatIsoDate(self.date()));
    const Value* sep = args.Get(0, "sep");
    std::string sep_text = sep != nullptr ? StrArg(args, 0, "sep", name) : "T";
    if (sep_text.size() != 1) throw EvalError("isoformat() argument 1 must be a unicode character");
    return Json(FormatIsoDateTime(dt, sep_text[0]));
  }
  if (!is_date && name == "timestamp") return Json(static_cast<double>(dt.micros) / 1e6);
  if (!is_date && name == "date") {
    CivilTime c = ToCivil(dt);
    return Date{DaysFromCivil(c.year, c.month, c.day)};
  }
  if (name == "replace") {
    CivilTime c = ToCivil(dt);
    for (const auto& [key, v] : args.keywords) {
      if (!v.is_integer()) throw EvalError("replace() argument '" + key + "' must be an integer");
      int x = static_cast<int>(AsInt(v.json()));
      if (key == "year")
        c.year = x;
      else if (key == "month")
        c.month = x;
      else if (key == "day")
        c.day = x;
      else if (!is_date && key == "hour")
        c.hour = x;
      else if (!is_date && key == "minute")
        c.minute = x;
      else if (!is_date && key == "second")
        c.second = x;
      else if (!is_date && key == "microsecond")
        c.microsecond = x;
      else
        throw EvalError("replace() got an unsupported keyword argument '" + key + "'");
    }
    if (!args.positional.empty())
      throw EvalError("replace() with positional arguments is not supported");
    DateTime out = FromCivil(c, dt.offset_seconds);
    if (is_date) return Date{DaysFromCivil(c.year, c.month, c.day)};
    return out;
  }
  if (name == "weekday") {
    CivilTime c = ToCivil(dt);
    std::int64_t days = DaysFromCivil(c.year, c.month, c.day);
    return Json(((days + 3) % 7 + 7) % 7);
  }
  if (Listed(kDateTimeMethods, name))
    throw EvalError("datetime." + std::string(name) + "() is not supported in templates");
  throw UndefinedError("'" + TypeName(self) + " object' has no attribute '" + std::string(name) +
                       "'");
}

}  // namespace

Value CallMethod(const Value& self, std::string_view name, const CallArgs& args) {
  if (self.is_undefined()) throw UndefinedError(self.undefined_reason());
  if (self.is_string()) return StrMethod(self, name, args);
  if (self.is_dict()) return DictMethod(self, name, args);
  if (self.kind() == Value::Kind::kDateTime || self.kind() == Value::Kind::kDate)
    return DateTimeMethod(self, name, args);
  if (self.kind() == Value::Kind::kDuration && name == "total_seconds") {
    if (self.duration().months != 0)
      throw EvalError("total_seconds() of a calendar duration (months/years)");
    return Json(static_cast<double>(self.duration().micros) / 1e6);
  }
  if (self.is_list()) {
    if (name == "index" || name == "count") {
      const Value* x = args.Get(0, "value");
      if (x == nullptr)
        throw EvalError(std::string(name) + "() takes exactly one argument (0 given)");
      std::int64_t i = 0;
      std::int64_t hits = 0;
      for (const Json& item : self.json()) {
        if (Equal(Value::Borrow(item), *x)) {
          if (name == "index") return Json(i);
          ++hits;
        }
        ++i;
      }
      if (name == "index") throw EvalError(Str(*x) + " is not in list");
      return Json(hits);
    }
    if (Listed(kListMethods, name))
      throw EvalError("list." + std::string(name) + "() is not supported in templates");
  }
  std::string type = self.is_null() ? "'None'" : "'" + TypeName(self) + " object'";
  throw UndefinedError(type + " has no attribute '" + std::string(name) + "'");
}

bool IsTest(std::string_view name) {
  static constexpr std::array<std::string_view, 30> kTests = {
      "defined", "undefined", "none",    "boolean",  "true",     "false",  "integer", "float",
      "number",  "string",    "mapping", "iterable", "sequence", "sameas", "eq",      "equalto",
      "==",      "ne",        "!=",      "lt",       "<",        "le",     "<=",      "gt",
      ">",       "ge",        ">=",      "in",       "odd",      "even"};
  return std::find(kTests.begin(), kTests.end(), name) != kTests.end() || name == "divisibleby" ||
         name == "lower" || name == "upper";
}

bool RunTest(std::string_view name, const Value& v, const CallArgs& args) {
  if (name == "defined") return !v.is_undefined();
  if (name == "undefined") return v.is_undefined();
  if (name == "none") return v.is_null();
  if (name == "boolean") return v.is_bool();
  if (name == "true") return v.is_bool() && v.json().get<bool>();
  if (name == "false") return v.is_bool() && !v.json().get<bool>();
  if (name == "integer") return v.is_json() && v.json().is_number_integer();
  if (name == "float") return v.is_json() && v.json().is_number_float();
  if (name == "number") return v.is_number();
  if (name == "string") return v.is_string();
  if (name == "mapping") return v.is_dict();
  if (name == "iterable") return v.is_string() || v.is_list() || v.is_dict() || v.is_undefined();
  if (name == "sequence") return v.is_string() || v.is_list() || v.is_dict();
  if (name == "lower" || name == "upper") {
    if (!v.is_string()) return false;
    std::string s = S(v);
    return name == "lower" ? s == AsciiLower(s) && s != AsciiUpper(s)
                           : s == AsciiUpper(s) && s != AsciiLower(s);
  }
  const Value* other = args.Get(0, "other");
  if (name == "odd" || name == "even") {
    if (!v.is_integer())
      throw EvalError("test '" + std::string(name) + "' needs an integer, got " + TypeName(v));
    return (AsInt(v.json()) % 2 != 0) == (name == "odd");
  }
  if (other == nullptr) throw EvalError("test '" + std::string(name) + "' needs an argument");
  if (name == "divisibleby") {
    if (!v.is_integer() || !other->is_integer() || AsInt(other->json()) == 0)
      throw EvalError("divisibleby needs non-zero integers");
    return AsInt(v.json()) % AsInt(other->json()) == 0;
  }
  if (name == "sameas") return Equal(v, *other) && (v.is_null() || v.is_bool());
  if (name == "eq" || name == "equalto" || name == "==") return Equal(v, *other);
  if (name == "ne" || name == "!=") return !Equal(v, *other);
  if (name == "lt" || name == "<") return Less(v, *other);
  if (name == "le" || name == "<=") return Less(v, *other) || Equal(v, *other);
  if (name == "gt" || name == ">") return Less(*other, v);
  if (name == "ge" || name == ">=") return Less(*other, v) || Equal(v, *other);
  if (name == "in") return Contains(*other, v);
  throw EvalError("No test named '" + std::string(name) + "'.");
}

}  // namespace airbyte::declarative
