#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "airbyte/json.h"

namespace airbyte::declarative {

/// An aware instant: microseconds since the Unix epoch (UTC) plus the UTC offset its fields are
/// shown in. Python's `datetime` as the CDK's macros produce it (always timezone-aware).
struct DateTime {
  std::int64_t micros = 0;
  std::int32_t offset_seconds = 0;
};

/// A calendar date (Python `datetime.date`): days since 1970-01-01.
struct Date {
  std::int64_t days = 0;
};

/// A duration: Python's `timedelta` (micros) or isodate's calendar `Duration` (months != 0).
struct Duration {
  std::int64_t micros = 0;
  std::int64_t months = 0;
};

/// One value inside the template evaluator: a JSON value (owned, or borrowed from the evaluation
/// context, which outlives the evaluation), Jinja's Undefined, or a datetime/date/duration.
/// Borrowing keeps `response.get('next')` from copying the whole response.
class Value {
 public:
  enum class Kind { kUndefined, kJson, kDateTime, kDate, kDuration };

  Value() : kind_(Kind::kUndefined) {}
  Value(Json json) : kind_(Kind::kJson), owned_(std::move(json)) {}  // NOLINT: implicit by design
  Value(DateTime dt) : kind_(Kind::kDateTime), datetime_(dt) {}      // NOLINT
  Value(Date date) : kind_(Kind::kDate), date_(date) {}              // NOLINT
  Value(Duration d) : kind_(Kind::kDuration), duration_(d) {}        // NOLINT

  /// Undefined with the reason Jinja would give when it is used ("'dict object' has no
  /// attribute 'x'").
  static Value Undefined(std::string reason) {
    Value v;
    v.reason_ = std::move(reason);
    return v;
  }
  /// A view of `json`, which must outlive this value and its copies.
  static Value Borrow(const Json& json) {
    Value v;
    v.kind_ = Kind::kJson;
    v.borrowed_ = &json;
    return v;
  }

  /// A member of this JSON value: borrowed when this value is borrowed, else copied (a child of
  /// a temporary must not outlive it).
  Value Child(const Json& member) const {
    return borrowed_ != nullptr ? Borrow(member) : Value(Json(member));
  }

  Kind kind() const { return kind_; }
  bool is_undefined() const { return kind_ == Kind::kUndefined; }
  bool is_json() const { return kind_ == Kind::kJson; }
  /// The JSON value; only for kJson.
  const Json& json() const { return borrowed_ != nullptr ? *borrowed_ : owned_; }
  /// An owned copy of the JSON value (for building containers).
  Json TakeJson() const& { return json(); }
  const DateTime& datetime() const { return datetime_; }
  const Date& date() const { return date_; }
  const Duration& duration() const { return duration_; }
  const std::string& undefined_reason() const { return reason_; }

  bool is_null() const { return is_json() && json().is_null(); }
  bool is_string() const { return is_json() && json().is_string(); }
  bool is_bool() const { return is_json() && json().is_boolean(); }
  /// Python int (bool included, as isinstance(True, int)).
  bool is_integer() const {
    return is_json() && (json().is_number_integer() || json().is_boolean());
  }
  bool is_number() const { return is_json() && (json().is_number() || json().is_boolean()); }
  bool is_list() const { return is_json() && json().is_array(); }
  bool is_dict() const { return is_json() && json().is_object(); }

 private:
  Kind kind_;
  const Json* borrowed_ = nullptr;
  Json owned_;
  DateTime datetime_;
  Date date_;
  Duration duration_;
  std::string reason_;
};

/// Python's name of the value's type, for error messages ("str", "int", "dict", ...).
std::string TypeName(const Value& v);

/// Python truthiness (Undefined is false).
bool Truthy(const Value& v);

/// Python `str(v)` as Jinja renders it: None, True, 1.5, ['a', 1], {'k': 'v'}; Undefined is "".
std::string Str(const Value& v);

/// Python `str()` of a JSON value: a string as it is, None, True, 1.5, ['a'] (what a
/// component passes on when it turns a value into text: parameters, headers, tokens).
std::string PyStr(const Json& j);

/// Python `repr()` of a JSON value (strings quoted), as inside a rendered list.
void AppendRepr(const Json& j, std::string& out);

/// Python `repr()` of a float: shortest round-trip digits, `1.0`, `1e+20`, `inf`, `nan`.
std::string FloatRepr(double d);

/// Python `==`: 1 == 1.0 == True, containers element-wise, datetimes by instant.
bool Equal(const Value& a, const Value& b);
bool JsonEqual(const Json& a, const Json& b);

/// Python ordering (`<`): numbers, strings, lists, datetimes, dates, durations.
/// Throws Error(kInput) with Python's TypeError text for unorderable pairs.
bool Less(const Value& a, const Value& b);

/// Integer/float value of a numeric JSON value (bool counts as 0/1).
std::int64_t AsInt(const Json& j);
double AsDouble(const Json& j);

}  // namespace airbyte::declarative
