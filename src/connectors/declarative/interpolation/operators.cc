#include "connectors/declarative/interpolation/operators.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "connectors/declarative/interpolation/datetime_format.h"
#include "connectors/declarative/interpolation/eval_error.h"

namespace airbyte::declarative {

namespace {

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;

[[noreturn]] void Unsupported(std::string_view op, const Value& a, const Value& b) {
  throw TypeError("unsupported operand type(s) for " + std::string(op) + ": '" + TypeName(a) +
                  "' and '" + TypeName(b) + "'");
}

bool BothInts(const Value& a, const Value& b) { return a.is_integer() && b.is_integer(); }

std::int64_t Checked(bool overflow, std::int64_t v) {
  if (overflow) throw EvalError("integer overflow: the result does not fit in 64 bits");
  return v;
}

double PyFloorMod(double a, double b) {
  double m = std::fmod(a, b);
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}

Value Repeat(const Value& seq, std::int64_t n) {
  if (seq.is_string()) {
    std::string out;
    for (std::int64_t i = 0; i < n; ++i) out += seq.json().get_ref<const std::string&>();
    return Json(out);
  }
  Json out = Json::array();
  for (std::int64_t i = 0; i < n; ++i) {
    for (const Json& item : seq.json()) out.push_back(item);
  }
  return out;
}

std::string ObjectRepr(const Value& v) {
  if (v.is_null()) return "'None'";
  return "'" + TypeName(v) + " object'";
}

}  // namespace

std::vector<std::string> CodePoints(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}

Value BinaryOp(std::string_view op, const Value& a, const Value& b) {
  if (op == "~") return Json(Str(a) + Str(b));
  if (a.is_undefined() || b.is_undefined()) {
    throw UndefinedError(a.is_undefined() ? a.undefined_reason() : b.undefined_reason());
  }
  using K = Value::Kind;
  // Datetime arithmetic.
  if (a.kind() != K::kJson || b.kind() != K::kJson) {
    if (op == "+" || op == "-") {
      int sign = op == "+" ? 1 : -1;
      if (a.kind() == K::kDateTime && b.kind() == K::kDuration)
        return AddDuration(a.datetime(), b.duration(), sign);
      if (op == "+" && a.kind() == K::kDuration && b.kind() == K::kDateTime)
        return AddDuration(b.datetime(), a.duration(), 1);
      if (op == "-" && a.kind() == K::kDateTime && b.kind() == K::kDateTime) {
        return Duration{a.datetime().micros - b.datetime().micros, 0};
      }
      if (a.kind() == K::kDate && b.kind() == K::kDuration && b.duration().months == 0) {
        std::int64_t days = b.duration().micros / kMicrosPerDay;
        return Date{a.date().days + sign * days};
      }
      if (op == "-" && a.kind() == K::kDate && b.kind() == K::kDate) {
        return Duration{(a.date().days - b.date().days) * kMicrosPerDay, 0};
      }
      if (a.kind() == K::kDuration && b.kind() == K::kDuration) {
        return Duration{a.duration().micros + sign * b.duration().micros,
                        a.duration().months + sign * b.duration().months};
      }
    }
    if (op == "*" && a.kind() == K::kDuration && b.is_integer() && a.duration().months == 0) {
      return Duration{a.duration().micros * AsInt(b.json()), 0};
    }
    Unsupported(op, a, b);
  }
  const Json& x = a.json();
  const Json& y = b.json();
  if (op == "+") {
    if (x.is_string() && y.is_string()) {
      return Json(x.get_ref<const std::string&>() + y.get_ref<const std::string&>());
    }
    if (x.is_array() && y.is_array()) {
      Json out = x;
      for (const Json& item : y) out.push_back(item);
      return out;
    }
    if (x.is_string()) {
      throw TypeError("can only concatenate str (not \"" + TypeName(b) + "\") to str");
    }
  }
  if (op == "*") {
    if ((x.is_string() || x.is_array()) && b.is_integer()) return Repeat(a, AsInt(y));
    if ((y.is_string() || y.is_array()) && a.is_integer()) return Repeat(b, AsInt(x));
  }
  if (op == "%" && x.is_string()) {
    throw EvalError("printf-style string formatting ('%' on a string) is not supported");
  }
  if (!a.is_number() || !b.is_number()) Unsupported(op, a, b);
  if (BothInts(a, b)) {
    std::int64_t i = AsInt(x);
    std::int64_t j = AsInt(y);
    std::int64_t r = 0;
    if (op == "+" || op == "-" || op == "*") {
      bool overflow = op == "+"   ? __builtin_add_overflow(i, j, &r)
                      : op == "-" ? __builtin_sub_overflow(i, j, &r)
                                  : __builtin_mul_overflow(i, j, &r);
      return Json(Checked(overflow, r));
    }
    if (op == "//" || op == "%") {
      if (j == 0) throw EvalError("integer division or modulo by zero");
      std::int64_t q = i / j;
      std::int64_t m = i % j;
      if (m != 0 && ((m < 0) != (j < 0))) {
        --q;
        m += j;
      }
      return Json(op == "//" ? q : m);
    }
    if (op == "**" && j >= 0) {
      std::int64_t result = 1;
      for (std::int64_t k = 0; k < j; ++k) {
        bool overflow = __builtin_mul_overflow(result, i, &result);
        Checked(overflow, result);
        if (result == 0 || result == 1) break;
      }
      return Json(result);
    }
  }
  double i = AsDouble(x);
  double j = AsDouble(y);
  if (op == "+") return Json(i + j);
  if (op == "-") return Json(i - j);
  if (op == "*") return Json(i * j);
  if (op == "/") {
    if (j == 0) throw EvalError("division by zero");
    return Json(i / j);
  }
  if (op == "//") {
    if (j == 0) throw EvalError("float floor division by zero");
    return Json(std::floor(i / j));
  }
  if (op == "%") {
    if (j == 0) throw EvalError("float modulo");
    return Json(PyFloorMod(i, j));
  }
  if (op == "**") {
    if (i == 0 && j < 0) throw EvalError("0.0 cannot be raised to a negative power");
    return Json(std::pow(i, j));
  }
  Unsupported(op, a, b);
}

bool Contains(const Value& container, const Value& item) {
  if (container.is_undefined()) return false;
  if (container.is_string()) {
    if (!item.is_string()) {
      throw EvalError("'in <string>' requires string as left operand, not " + TypeName(item));
    }
    return container.json().get_ref<const std::string&>().find(
               item.json().get_ref<const std::string&>()) != std::string::npos;
  }
  if (container.is_dict()) {
    if (!item.is_json()) return false;
    if (item.is_string())
      return container.json().contains(item.json().get_ref<const std::string&>());
    if (item.json().is_array() || item.json().is_object()) {
      throw EvalError("unhashable type: '" + TypeName(item) + "'");
    }
    return container.json().contains(Str(item));
  }
  if (container.is_list()) {
    for (const Json& member : container.json()) {
      if (Equal(Value::Borrow(member), item)) return true;
    }
    return false;
  }
  throw EvalError("argument of type '" + TypeName(container) + "' is not iterable");
}

Value GetAttr(const Value& obj, std::string_view name) {
  if (obj.is_undefined()) throw UndefinedError(obj.undefined_reason());
  if (obj.is_dict()) {
    auto it = obj.json().find(std::string(name));
    if (it != obj.json().end()) return obj.Child(*it);
  }
  if (obj.kind() == Value::Kind::kDateTime || obj.kind() == Value::Kind::kDate) {
    CivilTime c = obj.kind() == Value::Kind::kDateTime ? ToCivil(obj.datetime()) : CivilTime{};
    if (obj.kind() == Value::Kind::kDate) CivilFromDays(obj.date().days, c.year, c.month, c.day);
    if (name == "year") return Json(c.year);
    if (name == "month") return Json(c.month);
    if (name == "day") return Json(c.day);
    if (obj.kind() == Value::Kind::kDateTime) {
      if (name == "hour") return Json(c.hour);
      if (name == "minute") return Json(c.minute);
      if (name == "second") return Json(c.second);
      if (name == "microsecond") return Json(c.microsecond);
    }
  }
  if (obj.kind() == Value::Kind::kDuration) {
    std::int64_t micros = obj.duration().micros;
    std::int64_t days =
        micros >= 0 ? micros / kMicrosPerDay : -((-micros + kMicrosPerDay - 1) / kMicrosPerDay);
    std::int64_t rest = micros - days * kMicrosPerDay;
    if (name == "days") return Json(days);
    if (name == "seconds") return Json(rest / 1'000'000);
    if (name == "microseconds") return Json(rest % 1'000'000);
  }
  return Value::Undefined(ObjectRepr(obj) + " has no attribute '" + std::string(name) + "'");
}

Value GetItem(const Value& obj, const Value& key) {
  if (obj.is_undefined()) throw UndefinedError(obj.undefined_reason());
  if (key.is_string()) {
    if (obj.is_dict()) return GetAttr(obj, key.json().get_ref<const std::string&>());
    return GetAttr(obj, key.json().get_ref<const std::string&>());
  }
  if (obj.is_dict() && key.is_json() && !key.json().is_structured()) {
    auto it = obj.json().find(Str(key));
    if (it != obj.json().end()) return obj.Child(*it);
  }
  if ((obj.is_list() || obj.is_string()) && key.is_integer()) {
    std::int64_t i = AsInt(key.json());
    if (obj.is_list()) {
      std::int64_t n = static_cast<std::int64_t>(obj.json().size());
      if (i < 0) i += n;
      if (i >= 0 && i < n) return obj.Child(obj.json()[static_cast<std::size_t>(i)]);
    } else {
      std::vector<std::string> chars = CodePoints(obj.json().get_ref<const std::string&>());
      std::int64_t n = static_cast<std::int64_t>(chars.size());
      if (i < 0) i += n;
      if (i >= 0 && i < n) return Json(chars[static_cast<std::size_t>(i)]);
    }
  }
  return Value::Undefined(ObjectRepr(obj) + " has no element " + Str(key));
}

Value SliceOp(const Value& obj, const Value& start, const Value& stop, const Value& step) {
  if (obj.is_undefined()) throw UndefinedError(obj.undefined_reason());
  auto bound = [](const Value& v, const char* what) -> std::optional<std::int64_t> {
    if (v.is_null() || v.is_undefined()) return std::nullopt;
    if (!v.is_integer())
      throw EvalError(std::string("slice ") + what + " must be an integer or None");
    return AsInt(v.json());
  };
  std::optional<std::int64_t> o_start = bound(start, "indices");
  std::optional<std::int64_t> o_stop = bound(stop, "indices");
  std::int64_t s = bound(step, "step").value_or(1);
  if (s == 0) throw EvalError("slice step cannot be zero");
  std::vector<Json> items;
  bool is_string = obj.is_string();
  if (is_string) {
    for (std::string& c : CodePoints(obj.json().get_ref<const std::string&>()))
      items.emplace_back(std::move(c));
  } else if (obj.is_list()) {
    items.assign(obj.json().begin(), obj.json().end());
  } else {
    throw EvalError("'" + TypeName(obj) + "' object is not subscriptable");
  }
  std::int64_t n = static_cast<std::int64_t>(items.size());
  auto clamp = [&](std::optional<std::int64_t> v, std::int64_t dflt) {
    if (!v) return dflt;
    std::int64_t x = *v < 0 ? *v + n : *v;
    if (s > 0) return std::clamp<std::int64_t>(x, 0, n);
    return std::clamp<std::int64_t>(x, -1, n - 1);
  };
  std::int64_t b = clamp(o_start, s > 0 ? 0 : n - 1);
  std::int64_t e = clamp(o_stop, s > 0 ? n : -1);
  std::string text;
  Json list = Json::array();
  for (std::int64_t i = b; s > 0 ? i < e : i > e; i += s) {
    if (is_string) {
      text += items[static_cast<std::size_t>(i)].get_ref<const std::string&>();
    } else {
      list.push_back(items[static_cast<std::size_t>(i)]);
    }
  }
  return is_string ? Value(Json(text)) : Value(list);
}

std::vector<Value> Iterate(const Value& v) {
  std::vector<Value> out;
  if (v.is_undefined()) return out;
  if (v.is_list()) {
    for (const Json& item : v.json()) out.push_back(v.Child(item));
  } else if (v.is_dict()) {
    for (const auto& [key, item] : v.json().items()) out.emplace_back(Json(key));
  } else if (v.is_string()) {
    for (std::string& c : CodePoints(v.json().get_ref<const std::string&>()))
      out.emplace_back(Json(std::move(c)));
  } else {
    throw EvalError("'" + TypeName(v) + "' object is not iterable");
  }
  return out;
}

std::size_t Length(const Value& v) {
  if (v.is_undefined()) return 0;
  if (v.is_string()) return CodePoints(v.json().get_ref<const std::string&>()).size();
  if (v.is_list() || v.is_dict()) return v.json().size();
  throw EvalError("object of type '" + TypeName(v) + "' has no len()");
}

}  // namespace airbyte::declarative
