#include "connectors/declarative/interpolation/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "connectors/declarative/interpolation/datetime_format.h"
#include "connectors/declarative/interpolation/eval_error.h"
#include "util/strings.h"

namespace airbyte::declarative {

namespace {

int CompareNumbers(const Json& a, const Json& b) {
  if ((a.is_number_integer() || a.is_boolean()) && (b.is_number_integer() || b.is_boolean())) {
    std::int64_t x = AsInt(a);
    std::int64_t y = AsInt(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  double x = AsDouble(a);
  double y = AsDouble(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

bool IsNum(const Json& j) { return j.is_number() || j.is_boolean(); }

std::string JsonTypeName(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
      return "NoneType";
    case Json::value_t::boolean:
      return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "int";
    case Json::value_t::number_float:
      return "float";
    case Json::value_t::string:
      return "str";
    case Json::value_t::array:
      return "list";
    case Json::value_t::object:
      return "dict";
    default:
      return "object";
  }
}

}  // namespace

std::int64_t AsInt(const Json& j) {
  if (j.is_boolean()) return j.get<bool>() ? 1 : 0;
  if (j.is_number_unsigned()) return static_cast<std::int64_t>(j.get<std::uint64_t>());
  if (j.is_number_integer()) return j.get<std::int64_t>();
  return static_cast<std::int64_t>(j.get<double>());
}

double AsDouble(const Json& j) {
  if (j.is_boolean()) return j.get<bool>() ? 1.0 : 0.0;
  if (j.is_number_unsigned()) return static_cast<double>(j.get<std::uint64_t>());
  if (j.is_number_integer()) return static_cast<double>(j.get<std::int64_t>());
  return j.get<double>();
}

std::string TypeName(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kUndefined:
      return "Undefined";
    case Value::Kind::kDateTime:
      return "datetime";
    case Value::Kind::kDate:
      return "date";
    case Value::Kind::kDuration:
      return "timedelta";
    case Value::Kind::kJson:
      break;
  }
  return JsonTypeName(v.json());
}

bool Truthy(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kUndefined:
      return false;
    case Value::Kind::kDateTime:
    case Value::Kind::kDate:
      return true;
    case Value::Kind::kDuration:
      return v.duration().micros != 0 || v.duration().months != 0;
    case Value::Kind::kJson:
      break;
  }
  const Json& j = v.json();
  switch (j.type()) {
    case Json::value_t::null:
      return false;
    case Json::value_t::boolean:
      return j.get<bool>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return AsInt(j) != 0;
    case Json::value_t::number_float:
      return j.get<double>() != 0.0;
    case Json::value_t::string:
      return !j.get_ref<const std::string&>().empty();
    case Json::value_t::array:
    case Json::value_t::object:
      return !j.empty();
    default:
      return true;
  }
}

std::string PyStr(const Json& j) {
  return j.is_string() ? j.get<std::string>() : Str(Value::Borrow(j));
}

std::string FloatRepr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // Shortest round-trip digits in scientific form, then Python's repr layout: fixed notation
  // for exponents in [-4, 16), else d.ddde+XX.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  std::size_t e_pos = sci.find('e');
  std::string digits = sci.substr(0, e_pos);
  int exponent = std::stoi(sci.substr(e_pos + 1));
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  std::string out = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else if (static_cast<std::size_t>(exponent) + 1 >= digits.size()) {
      out +=
          digits + std::string(static_cast<std::size_t>(exponent) + 1 - digits.size(), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<std::size_t>(exponent) + 1) + "." +
             digits.substr(static_cast<std::size_t>(exponent) + 1);
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  char exp_buf[16];
  std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
  return out + exp_buf;
}

void AppendRepr(const Json& j, std::string& out) {
  switch (j.type()) {
    case Json::value_t::string:
      out += util::PythonRepr(j.get_ref<const std::string&>());
      return;
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& item : j) {
        if (!first) out += ", ";
        first = false;
        AppendRepr(item, out);
      }
      out += ']';
      return;
    }
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : j.items()) {
        if (!first) out += ", ";
        first = false;
        out += util::PythonRepr(key);
        out += ": ";
        AppendRepr(item, out);
      }
      out += '}';
      return;
    }
    default:
      out += Str(Value::Borrow(j));
      return;
  }
}

std::string Str(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kUndefined:
      return "";
    case Value::Kind::kDateTime:
      return FormatIsoDateTime(v.datetime(), 'T');
    case Value::Kind::kDate:
      return FormatIsoDate(v.date());
    case Value::Kind::kDuration:
      return FormatDuration(v.duration());
    case Value::Kind::kJson:
      break;
  }
  const Json& j = v.json();
  switch (j.type()) {
    case Json::value_t::null:
      return "None";
    case Json::value_t::boolean:
      return j.get<bool>() ? "True" : "False";
    case Json::value_t::number_integer:
      return std::to_string(j.get<std::int64_t>());
    case Json::value_t::number_unsigned:
      return std::to_string(j.get<std::uint64_t>());
    case Json::value_t::number_float:
      return FloatRepr(j.get<double>());
    case Json::value_t::string:
      return j.get<std::string>();
    default: {
      std::string out;
      AppendRepr(j, out);
      return out;
    }
  }
}

bool JsonEqual(const Json& a, const Json& b) {
  if (IsNum(a) && IsNum(b)) return CompareNumbers(a, b) == 0;
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!JsonEqual(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& [key, item] : a.items()) {
      auto it = b.find(key);
      if (it == b.end() || !JsonEqual(item, *it)) return false;
    }
    return true;
  }
  return a == b;
}

bool Equal(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::kUndefined:
      return true;
    case Value::Kind::kDateTime:
      return a.datetime().micros == b.datetime().micros;
    case Value::Kind::kDate:
      return a.date().days == b.date().days;
    case Value::Kind::kDuration:
      return a.duration().micros == b.duration().micros &&
             a.duration().months == b.duration().months;
    case Value::Kind::kJson:
      break;
  }
  return JsonEqual(a.json(), b.json());
}

bool Less(const Value& a, const Value& b) {
  if (a.kind() == b.kind()) {
    switch (a.kind()) {
      case Value::Kind::kDateTime:
        return a.datetime().micros < b.datetime().micros;
      case Value::Kind::kDate:
        return a.date().days < b.date().days;
      case Value::Kind::kDuration:
        if (a.duration().months == 0 && b.duration().months == 0) {
          return a.duration().micros < b.duration().micros;
        }
        break;
      case Value::Kind::kJson: {
        const Json& x = a.json();
        const Json& y = b.json();
        if (IsNum(x) && IsNum(y)) return CompareNumbers(x, y) < 0;
        if (x.is_string() && y.is_string()) {
          return x.get_ref<const std::string&>() < y.get_ref<const std::string&>();
        }
        if (x.is_array() && y.is_array()) {
          std::size_t n = std::min(x.size(), y.size());
          for (std::size_t i = 0; i < n; ++i) {
            if (JsonEqual(x[i], y[i])) continue;
            return Less(Value::Borrow(x[i]), Value::Borrow(y[i]));
          }
          return x.size() < y.size();
        }
        break;
      }
      case Value::Kind::kUndefined:
        break;
    }
  }
  if (a.is_undefined() || b.is_undefined()) {
    throw UndefinedError(a.is_undefined() ? a.undefined_reason() : b.undefined_reason());
  }
  throw TypeError("'<' not supported between instances of '" + TypeName(a) + "' and '" +
                  TypeName(b) + "'");
}

}  // namespace airbyte::declarative
