// Filters: the CDK's custom ones (interpolation/filters.py) and the Jinja builtins manifests use.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>
#include <regex>
#include <string>

#include "connectors/declarative/interpolation/builtins.h"
#include "connectors/declarative/interpolation/collection_filters.h"
#include "connectors/declarative/interpolation/eval_error.h"
#include "connectors/declarative/interpolation/operators.h"
#include "connectors/declarative/interpolation/text_util.h"

namespace airbyte::declarative {

namespace {

constexpr std::array<std::string_view, 41> kFilters = {
    // CDK
    "hash", "base64encode", "base64decode", "base64binascii_decode", "string", "regex_search",
    "regex_replace", "hmac",
    // Jinja builtins
    "default", "d", "length", "count", "join", "lower", "upper", "capitalize", "title", "trim",
    "replace", "first", "last", "int", "float", "tojson", "list", "map", "select", "reject",
    "selectattr", "rejectattr", "sort", "unique", "abs", "round", "urlencode", "min", "max", "sum",
    "reverse", "items", "escape"};

std::regex CompileRegex(const std::string& pattern) {
  try {
    return std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw EvalError("invalid regular expression '" + pattern + "': " + e.what());
  }
}

// Python re.sub replacement syntax (\1, \g<1>) to ECMAScript's ($1).
std::string PythonReplacement(const std::string& repl) {
  std::string out;
  for (std::size_t i = 0; i < repl.size(); ++i) {
    char c = repl[i];
    if (c == '$') {
      out += "$$";
    } else if (c == '\\' && i + 1 < repl.size() &&
               std::isdigit(static_cast<unsigned char>(repl[i + 1]))) {
      out += '$';
      out += repl[++i];
    } else if (c == '\\' && repl.compare(i, 3, "\\g<") == 0 &&
               repl.find('>', i) != std::string::npos) {
      std::size_t end = repl.find('>', i);
      out += "$" + repl.substr(i + 3, end - i - 3);
      i = end;
    } else if (c == '\\' && i + 1 < repl.size() && repl[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else if (c == '\\' && i + 1 < repl.size() && repl[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

std::string Arg(const CallArgs& args, std::size_t index, std::string_view name,
                std::string_view dflt, std::string_view filter) {
  const Value* v = args.Get(index, name);
  return v == nullptr ? std::string(dflt) : StrictStr(*v, filter);
}

Value IntFilter(const Value& input, const CallArgs& args) {
  const Value* dflt = args.Get(0, "default");
  Value fallback = dflt != nullptr ? *dflt : Value(Json(0));
  const Value* base_arg = args.Get(1, "base");
  int base = base_arg != nullptr && base_arg->is_integer()
                 ? static_cast<int>(AsInt(base_arg->json()))
                 : 10;
  if (input.is_number())
    return Json(input.is_integer() ? AsInt(input.json())
                                   : static_cast<std::int64_t>(AsDouble(input.json())));
  if (!input.is_string()) return fallback;
  std::string text = PyStrip(input.json().get_ref<const std::string&>(), nullptr, true, true);
  std::erase(text, '_');
  if (text.empty()) return fallback;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, base);
  if (end == text.c_str() + text.size() && errno == 0) return Json(static_cast<std::int64_t>(v));
  double d = std::strtod(text.c_str(), &end);
  if (end == text.c_str() + text.size() && std::isfinite(d))
    return Json(static_cast<std::int64_t>(d));
  return fallback;
}

}  // namespace

bool IsFilter(std::string_view name) {
  return std::find(kFilters.begin(), kFilters.end(), name) != kFilters.end();
}

Value CallFilter(std::string_view name, const Value& input, const CallArgs& args,
                 const EvalEnv& /*env*/) {
  // CDK filters: Undefined input fails like Python would (attribute access on Undefined).
  if (name == "hash") {
    if (input.is_undefined()) throw UndefinedError(input.undefined_reason());
    std::string data = Str(input);
    const Value* salt = args.Get(1, "salt");
    if (salt != nullptr && Truthy(*salt)) data += Str(*salt);
    return Json(HexDigest(Arg(args, 0, "hash_type", "md5", name), data));
  }
  if (name == "base64encode") return Json(Base64Encode(StrictStr(input, name)));
  if (name == "base64binascii_decode") {
    std::string s = StrictStr(input, name);
    if (std::any_of(s.begin(), s.end(),
                    [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
      throw EvalError("'ascii' codec can't encode characters in base64binascii_decode input");
    }
    return Json(Base64Encode(s));
  }
  if (name == "base64decode") return Json(Base64Decode(StrictStr(input, name)));
  if (name == "string") {
    if (input.is_string()) return input;
    return Json("\"\"\"" + JsonDumps(input, false) + "\"\"\"");
  }
  if (name == "regex_search") {
    std::string text = StrictStr(input, name);
    std::regex re = CompileRegex(Arg(args, 0, "regex", "", name));
    std::smatch m;
    if (std::regex_search(text, m, re) && m.size() > 1) return Json(m[1].matched ? m[1].str() : "");
    return Json("");
  }
  if (name == "regex_replace") {
    std::string text = StrictStr(input, name);
    std::regex re = CompileRegex(Arg(args, 0, "regex", "", name));
    return Json(
        std::regex_replace(text, re, PythonReplacement(Arg(args, 1, "replacement", "", name))));
  }
  if (name == "hmac") {
    if (input.is_undefined()) throw UndefinedError(input.undefined_reason());
    const Value* key = args.Get(0, "key");
    if (key == nullptr) throw EvalError("hmac() missing required argument: 'key'");
    std::string type = Arg(args, 1, "hash_type", "sha256", name);
    if (type != "sha256")
      throw EvalError("Hash type '" + type + "' is not allowed. Allowed types: sha256");
    return Json(HmacSha256Hex(Str(*key), Str(input)));
  }
  // Jinja builtins.
  if (name == "default" || name == "d") {
    const Value* dflt = args.Get(0, "default_value");
    const Value* boolean = args.Get(1, "boolean");
    bool use_default =
        input.is_undefined() || (boolean != nullptr && Truthy(*boolean) && !Truthy(input));
    if (!use_default) return input;
    return dflt != nullptr ? *dflt : Value(Json(""));
  }
  if (name == "length" || name == "count") return Json(Length(input));
  if (name == "join") {
    std::string sep = Arg(args, 0, "d", "", name);
    const Value* attribute = args.Get(1, "attribute");
    std::string out;
    bool first = true;
    for (const Value& item : Iterate(input)) {
      if (!first) out += sep;
      first = false;
      out += Str(Attribute(item, attribute));
    }
    return Json(out);
  }
  if (name == "lower") return Json(AsciiLower(Str(input)));
  if (name == "upper") return Json(AsciiUpper(Str(input)));
  if (name == "capitalize") return CallMethod(Value(Json(Str(input))), "capitalize", CallArgs{});
  if (name == "title") {
    // Jinja's do_title: words split at whitespace and -({[<, first character upper, rest lower.
    std::string s = AsciiLower(Str(input));
    bool start = true;
    for (char& c : s) {
      bool delimiter =
          IsPyWhitespace(static_cast<unsigned char>(c)) || std::strchr("-({[<", c) != nullptr;
      if (start && !delimiter) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      start = delimiter;
    }
    return Json(s);
  }
  if (name == "trim") return Json(PyStrip(Str(input), args.Get(0, "chars"), true, true));
  if (name == "replace") {
    std::string s = Str(input);
    std::string from = Str(args.Get(0, "old") ? *args.Get(0, "old") : Value(Json("")));
    std::string to = Str(args.Get(1, "new") ? *args.Get(1, "new") : Value(Json("")));
    const Value* count = args.Get(2, "count");
    return CallMethod(
        Value(Json(s)), "replace",
        CallArgs{{Value(Json(from)), Value(Json(to))},
                 count != nullptr ? std::vector<std::pair<std::string, Value>>{{"count", *count}}
                                  : std::vector<std::pair<std::string, Value>>{}});
  }
  if (name == "first" || name == "last") {
    std::vector<Value> items = Iterate(input);
    if (items.empty())
      return Value::Undefined("No " + std::string(name) + " item, sequence was empty.");
    return name == "first" ? items.front() : items.back();
  }
  if (name == "int") return IntFilter(input, args);
  if (name == "float") {
    const Value* dflt = args.Get(0, "default");
    Value fallback = dflt != nullptr ? *dflt : Value(Json(0.0));
    if (input.is_number()) return Json(AsDouble(input.json()));
    if (!input.is_string()) return fallback;
    std::string text = PyStrip(input.json().get_ref<const std::string&>(), nullptr, true, true);
    char* end = nullptr;
    double d = std::strtod(text.c_str(), &end);
    return !text.empty() && end == text.c_str() + text.size() ? Value(Json(d)) : fallback;
  }
  if (name == "tojson") {
    std::string s = JsonDumps(input, true);
    std::string out;
    for (char c : s) {  // Jinja's htmlsafe_json_dumps
      switch (c) {
        case '<':
          out += "\\u003c";
          break;
        case '>':
          out += "\\u003e";
          break;
        case '&':
          out += "\\u0026";
          break;
        case '\'':
          out += "\\u0027";
          break;
        default:
          out += c;
      }
    }
    return Json(out);
  }
  if (name == "list") return ToList(Iterate(input));
  if (std::optional<Value> v = CallCollectionFilter(name, input, args)) return *v;
  if (name == "abs") {
    if (!input.is_number())
      throw EvalError("bad operand type for abs(): '" + TypeName(input) + "'");
    if (input.is_integer()) return Json(std::llabs(AsInt(input.json())));
    return Json(std::fabs(AsDouble(input.json())));
  }
  if (name == "round") {
    if (!input.is_number())
      throw EvalError("type " + TypeName(input) + " doesn't define __round__ method");
    const Value* precision_arg = args.Get(0, "precision");
    std::int64_t precision = precision_arg != nullptr ? AsInt(precision_arg->json()) : 0;
    std::string method = Arg(args, 1, "method", "common", name);
    if (method == "common" && input.is_integer())
      return Json(AsInt(input.json()));  // round(int) is an int
    double scale = std::pow(10.0, static_cast<double>(precision));
    double v = AsDouble(input.json()) * scale;
    if (method == "common") {
      v = std::nearbyint(v);  // Python's round(): half to even
    } else if (method == "ceil") {
      v = std::ceil(v);
    } else if (method == "floor") {
      v = std::floor(v);
    } else {
      throw EvalError("method must be common, ceil or floor");
    }
    return Json(v / scale);
  }
  if (name == "urlencode") {
    if (input.is_dict() || input.is_list()) {
      std::string out;
      auto pair = [&](const Value& k, const Value& v) {
        if (!out.empty()) out += '&';
        std::string key = UrlQuote(Str(k), "");
        std::string value = UrlQuote(Str(v), "");
        for (std::string* s : {&key, &value}) {
          for (std::size_t p = s->find("%20"); p != std::string::npos; p = s->find("%20", p))
            s->replace(p, 3, "+");
        }
        out += key + "=" + value;
      };
      if (input.is_dict()) {
        for (const auto& [k, v] : input.json().items()) pair(Value(Json(k)), Value::Borrow(v));
      } else {
        for (const Value& item : Iterate(input)) {
          std::vector<Value> kv = Iterate(item);
          if (kv.size() != 2) throw EvalError("urlencode expects (key, value) pairs");
          pair(kv[0], kv[1]);
        }
      }
      return Json(out);
    }
    return Json(UrlQuote(Str(input), "/"));
  }
  if (name == "items") {
    if (input.is_undefined()) return Json::array();
    if (!input.is_dict()) throw EvalError("Can only get item pairs from a mapping.");
    return CallMethod(input, "items", CallArgs{});
  }
  if (name == "escape") {
    std::string out;
    for (char c : Str(input)) {
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&#34;";
          break;
        case '\'':
          out += "&#39;";
          break;
        default:
          out += c;
      }
    }
    return Json(out);
  }
  throw EvalError("No filter named '" + std::string(name) + "'.");
}

}  // namespace airbyte::declarative
