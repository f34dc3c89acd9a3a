#include "connectors/declarative/interpolation/interpolator.h"

#include <chrono>
#include <cstdio>
#include <random>

#include "airbyte/error.h"
#include "connectors/declarative/interpolation/eval_error.h"
#include "connectors/declarative/interpolation/evaluator.h"
#include "connectors/declarative/interpolation/literal_eval.h"
#include "connectors/declarative/interpolation/template_parser.h"

namespace airbyte::declarative {

namespace {

// Templates come from manifests, so the cache stays small; the cap guards against callers
// that build template text dynamically.
constexpr std::size_t kMaxCachedTemplates = 4096;

constexpr std::string_view kStreamStateMessage =
    "`stream_state` is no longer supported for interpolation. We recommend using "
    "`stream_interval` instead. Please reference the CDK Migration Guide for more information.";

std::string Position(std::string_view source, std::size_t pos) {
  if (pos == EvalError::kNoPos || pos > source.size()) return "unknown";
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < pos; ++i) {
    if (source[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

Error TemplateError(std::string message, std::string_view source, std::size_t pos) {
  return Error(
      ErrorKind::kInput, std::move(message),
      {.guidance = "Check the interpolated value in the connector manifest.",
       .context = {{"template", std::string(source)}, {"position", Position(source, pos)}}});
}

std::int64_t SystemNowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string RandomUuid4() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uint64_t hi = rng();
  std::uint64_t lo = rng();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFFF),
                static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

bool Accepts(ValidTypes valid, const Json& v) {
  auto has = [&](ValidTypes t) {
    return (static_cast<std::uint32_t>(valid) & static_cast<std::uint32_t>(t)) != 0;
  };
  if (valid == ValidTypes::kAny) return true;
  switch (v.type()) {
    case Json::value_t::string:
      return has(ValidTypes::kStr);
    case Json::value_t::boolean:
      return has(ValidTypes::kBool) || has(ValidTypes::kInt);
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return has(ValidTypes::kInt);
    case Json::value_t::number_float:
      return has(ValidTypes::kFloat);
    case Json::value_t::array:
      return has(ValidTypes::kList);
    case Json::value_t::object:
      return has(ValidTypes::kDict);
    default:
      return false;  // None is never an instance of the listed types
  }
}

Json ParseLiteral(const std::string& text, ValidTypes valid, const std::string& source) {
  std::optional<Json> literal;
  try {
    literal = LiteralEval(text);
  } catch (const EvalError& e) {
    throw TemplateError(e.what(), source, EvalError::kNoPos);
  }
  if (literal && Accepts(valid, *literal)) return std::move(*literal);
  return Json(text);
}

bool HasVariable(const Json& context, const std::string& name) {
  if (context.contains(name)) return true;
  return (name == "stream_partition" || name == "stream_interval") &&
         context.contains("stream_slice");
}

}  // namespace

Interpolator::Interpolator(InterpolatorOptions options)
    : env_(std::make_unique<EvalEnv>(
          EvalEnv{std::move(options.now_micros), std::move(options.new_uuid)})) {
  if (!env_->now_micros) env_->now_micros = SystemNowMicros;
  if (!env_->new_uuid) env_->new_uuid = RandomUuid4;
}

Interpolator::~Interpolator() = default;

std::shared_ptr<const CompiledTemplate> Interpolator::Compile(std::string_view template_text) {
  std::string key(template_text);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
  }
  std::shared_ptr<const CompiledTemplate> compiled;
  try {
    compiled = ParseTemplate(template_text);
  } catch (const EvalError& e) {
    throw TemplateError(std::string("Invalid Jinja template: ") + e.what(), template_text, e.pos);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.size() >= kMaxCachedTemplates) cache_.clear();
  cache_.emplace(std::move(key), compiled);
  return compiled;
}

std::optional<std::string> Interpolator::TryRender(const CompiledTemplate& tmpl,
                                                   const Json& context,
                                                   bool type_error_yields_source) {
  if (!context.is_object()) {
    throw Error(ErrorKind::kInternal, "The interpolation context must be a JSON object.",
                {.context = {{"template", tmpl.source}}});
  }
  // jinja.py: the alias keys are the CDK's to set; finding them in the context is a bug.
  for (const char* alias : {"stream_interval", "stream_partition"}) {
    if (context.contains(alias)) {
      throw Error(ErrorKind::kInternal,
                  std::string("Found reserved keyword ") + alias + " in interpolation context.",
                  {.context = {{"template", tmpl.source}}});
    }
  }
  if (tmpl.source.find("stream_state") != std::string::npos) {
    throw TemplateError(std::string(kStreamStateMessage), tmpl.source,
                        tmpl.source.find("stream_state"));
  }
  if (tmpl.is_plain) return tmpl.body.empty() ? std::string() : tmpl.body[0].text;
  std::string missing;
  for (const std::string& name : tmpl.free_names) {
    if (!HasVariable(context, name)) missing += (missing.empty() ? "'" : ", '") + name + "'";
  }
  if (!missing.empty()) {
    throw TemplateError("Jinja macro has undeclared variables: {" + missing + "}", tmpl.source,
                        EvalError::kNoPos);
  }
  Evaluator evaluator(context, *env_);
  try {
    return evaluator.Render(tmpl);
  } catch (const UndefinedError&) {
    return std::nullopt;
  } catch (const TypeError& e) {
    if (type_error_yields_source) return tmpl.source;  // jinja.py: `except TypeError: return s`
    throw TemplateError(std::string("Could not evaluate the template: ") + e.what(), tmpl.source,
                        e.pos);
  } catch (const EvalError& e) {
    throw TemplateError(std::string("Could not evaluate the template: ") + e.what(), tmpl.source,
                        e.pos);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kInternal,
                std::string("JSON error while evaluating a template: ") + e.what(),
                {.context = {{"template", tmpl.source}}});
  }
}

Json Interpolator::Eval(std::string_view template_text, const Json& context,
                        const EvalOptions& options) {
  std::shared_ptr<const CompiledTemplate> tmpl = Compile(template_text);
  std::optional<std::string> rendered = TryRender(*tmpl, context, true);
  if (rendered && !rendered->empty())
    return ParseLiteral(*rendered, options.valid_types, tmpl->source);
  if (!options.default_template) return Json(nullptr);
  std::shared_ptr<const CompiledTemplate> fallback = Compile(*options.default_template);
  std::optional<std::string> text = TryRender(*fallback, context, true);
  if (!text) {
    // The CDK renders the default without catching UndefinedError: the failure surfaces.
    Evaluator evaluator(context, *env_);
    try {
      evaluator.Render(*fallback);
    } catch (const EvalError& e) {
      throw TemplateError(std::string("Undefined value in template: ") + e.what(), fallback->source,
                          e.pos);
    }
    throw Error(ErrorKind::kInternal, "Template failed once and then rendered.",
                {.context = {{"template", fallback->source}}});
  }
  return ParseLiteral(*text, options.valid_types, fallback->source);
}

Json Interpolator::EvalString(std::string_view template_text, const Json& context) {
  return Eval(template_text, context, {.default_template = std::string(template_text)});
}

bool Interpolator::EvalBoolean(std::string_view condition, const Json& context) {
  Json v = Eval(condition, context, {.default_template = std::string("False")});
  // interpolated_boolean.py FALSE_VALUES, compared with Python ==.
  switch (v.type()) {
    case Json::value_t::string: {
      static constexpr std::string_view kFalse[] = {"False", "false", "{}", "[]",
                                                    "()",    "",      "0",  "0.0"};
      for (std::string_view f : kFalse) {
        if (v.get_ref<const std::string&>() == f) return false;
      }
      return true;
    }
    case Json::value_t::boolean:
      return v.get<bool>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return v.get<double>() != 0.0;
    case Json::value_t::array:
    case Json::value_t::object:
      return !v.empty();
    default:
      return true;  // None is not in FALSE_VALUES
  }
}

std::string Interpolator::Render(std::string_view template_text, const Json& context) {
  std::shared_ptr<const CompiledTemplate> tmpl = Compile(template_text);
  std::optional<std::string> text = TryRender(*tmpl, context);
  if (text) return *text;
  Evaluator evaluator(context, *env_);
  try {
    evaluator.Render(*tmpl);
  } catch (const EvalError& e) {
    throw TemplateError(std::string("Undefined value in template: ") + e.what(), tmpl->source,
                        e.pos);
  }
  throw Error(ErrorKind::kInternal, "Template failed once and then rendered.",
              {.context = {{"template", tmpl->source}}});
}

}  // namespace airbyte::declarative
