// Jinja's collection filters: map, select/reject, selectattr/rejectattr, sort, unique, min,
// max, reverse, sum.
#include "connectors/declarative/interpolation/collection_filters.h"

#include <algorithm>

#include "connectors/declarative/interpolation/eval_error.h"
#include "connectors/declarative/interpolation/operators.h"
#include "connectors/declarative/interpolation/text_util.h"

namespace airbyte::declarative {

namespace {

Value SelectOrReject(const Value& input, const CallArgs& args, bool by_attribute, bool keep) {
  std::vector<Value> out;
  std::size_t test_index = by_attribute ? 1 : 0;
  const Value* test = args.Get(test_index, "");
  std::string test_name = test == nullptr ? "" : StrictStr(*test, "select");
  if (!test_name.empty() && !IsTest(test_name))
    throw EvalError("No test named '" + test_name + "'.");
  CallArgs test_args;
  for (std::size_t i = test_index + 1; i < args.positional.size(); ++i)
    test_args.positional.push_back(args.positional[i]);
  for (const Value& item : Iterate(input)) {
    Value subject = by_attribute ? Attribute(item, args.Get(0, "attribute")) : item;
    bool ok = test_name.empty() ? Truthy(subject) : RunTest(test_name, subject, test_args);
    if (ok == keep) out.push_back(item);
  }
  return ToList(out);
}

bool SortLess(const Value& a, const Value& b, bool case_sensitive) {
  if (!case_sensitive && a.is_string() && b.is_string()) {
    return AsciiLower(a.json().get<std::string>()) < AsciiLower(b.json().get<std::string>());
  }
  return Less(a, b);
}

}  // namespace

// The value an item contributes for `attribute` (dotted paths allowed, as Jinja's make_attrgetter).
Value Attribute(const Value& item, const Value* attribute) {
  if (attribute == nullptr || attribute->is_null()) return item;
  Value v = item;
  if (attribute->is_integer()) return GetItem(v, *attribute);
  std::string path = StrictStr(*attribute, "attribute");
  std::size_t start = 0;
  while (true) {
    std::size_t dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    bool numeric = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    v = numeric ? GetItem(v, Value(Json(std::stoll(part)))) : GetItem(v, Value(Json(part)));
    if (dot == std::string::npos) return v;
    start = dot + 1;
  }
}

Value ToList(const std::vector<Value>& items) {
  Json out = Json::array();
  for (const Value& v : items) {
    if (!v.is_json()) throw EvalError("a " + TypeName(v) + " inside a list is not supported");
    out.push_back(v.json());
  }
  return out;
}

std::optional<Value> CallCollectionFilter(std::string_view name, const Value& input,
                                          const CallArgs& args) {
  if (name == "map") {
    std::vector<Value> out;
    const Value* attribute = nullptr;
    for (const auto& [key, value] : args.keywords) {
      if (key == "attribute") attribute = &value;
    }
    const Value* dflt = nullptr;
    for (const auto& [key, value] : args.keywords) {
      if (key == "default") dflt = &value;
    }
    for (const Value& item : Iterate(input)) {
      if (attribute != nullptr) {
        Value v = Attribute(item, attribute);
        out.push_back(v.is_undefined() && dflt != nullptr ? *dflt : v);
      } else {
        if (args.positional.empty()) throw EvalError("map requires a filter argument");
        std::string filter = StrictStr(args.positional[0], name);
        if (!IsFilter(filter)) throw EvalError("No filter named '" + filter + "'.");
        CallArgs rest;
        rest.positional.assign(args.positional.begin() + 1, args.positional.end());
        out.push_back(CallFilter(filter, item, rest, EvalEnv{}));
      }
    }
    return ToList(out);
  }
  if (name == "select" || name == "reject")
    return SelectOrReject(input, args, false, name == "select");
  if (name == "selectattr" || name == "rejectattr")
    return SelectOrReject(input, args, true, name == "selectattr");
  if (name == "sort" || name == "unique" || name == "min" || name == "max") {
    const Value* reverse_arg = name == "sort" ? args.Get(0, "reverse") : nullptr;
    const Value* case_arg = args.Get(name == "sort" ? 1 : 0, "case_sensitive");
    const Value* attribute = args.Get(name == "sort" ? 2 : 1, "attribute");
    bool case_sensitive = case_arg != nullptr && Truthy(*case_arg);
    std::vector<Value> items = Iterate(input);
    if (name == "unique") {
      std::vector<Value> out;
      std::vector<Value> seen;
      for (const Value& item : items) {
        Value key = Attribute(item, attribute);
        if (!case_sensitive && key.is_string())
          key = Json(AsciiLower(key.json().get<std::string>()));
        if (std::none_of(seen.begin(), seen.end(), [&](const Value& s) { return Equal(s, key); })) {
          seen.push_back(key);
          out.push_back(item);
        }
      }
      return ToList(out);
    }
    auto less = [&](const Value& a, const Value& b) {
      return SortLess(Attribute(a, attribute), Attribute(b, attribute), case_sensitive);
    };
    if (name == "min" || name == "max") {
      if (items.empty()) return Value::Undefined("No aggregated item, sequence was empty.");
      return name == "min" ? *std::min_element(items.begin(), items.end(), less)
                           : *std::max_element(items.begin(), items.end(), less);
    }
    std::stable_sort(items.begin(), items.end(), less);
    if (reverse_arg != nullptr && Truthy(*reverse_arg)) std::reverse(items.begin(), items.end());
    return ToList(items);
  }
  if (name == "reverse") {
    if (input.is_string()) {
      std::vector<std::string> chars = CodePoints(input.json().get_ref<const std::string&>());
      std::string out;
      for (auto it = chars.rbegin(); it != chars.rend(); ++it) out += *it;
      return Json(out);
    }
    std::vector<Value> items = Iterate(input);
    std::reverse(items.begin(), items.end());
    return ToList(items);
  }
  if (name == "sum") {
    const Value* attribute = args.Get(0, "attribute");
    const Value* start = args.Get(1, "start");
    Value total = start != nullptr ? *start : Value(Json(0));
    for (const Value& item : Iterate(input))
      total = BinaryOp("+", total, Attribute(item, attribute));
    return total;
  }
  return std::nullopt;
}

}  // namespace airbyte::declarative
