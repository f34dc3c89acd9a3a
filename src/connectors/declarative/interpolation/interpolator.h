#pragma once

/// Jinja interpolation of declarative manifests, as the Python CDK evaluates it.
///
/// Example:
///   airbyte::declarative::Interpolator interpolator;
///   airbyte::Json context = {{"config", config}, {"next_page_token", nullptr}};
///   airbyte::Json limit = interpolator.Eval("{{ config.get('limit', 100) }}", context);  // 100
///   std::string path = interpolator.Render("users/{{ config['org'] }}", context);
///   bool stop = interpolator.EvalBoolean("{{ not response.get('next') }}",
///                                        {{"config", config}, {"response", body}});
///
/// The context is a JSON object of top-level variables (config, parameters, stream_slice,
/// next_page_token, record, response, headers, last_record, last_page_size, ...; see
/// docs/declarative.md section 2.2). `stream_partition` and `stream_interval` resolve to
/// `stream_slice`. Slice `extra_fields` are the caller's to spread into the context.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "airbyte/json.h"

namespace airbyte::declarative {

struct CompiledTemplate;
struct EvalEnv;

/// Python types a call site accepts from the literal parser (the CDK's `valid_types`);
/// a literal of another type is returned as the rendered string. Combine with `|`.
enum class ValidTypes : std::uint32_t {
  kAny = 0,  // any literal except complex numbers (the CDK default)
  kStr = 1,
  kInt = 2,  // also accepts booleans, as isinstance(True, int)
  kFloat = 4,
  kBool = 8,
  kList = 16,
  kDict = 32,
};
constexpr ValidTypes operator|(ValidTypes a, ValidTypes b) {
  return static_cast<ValidTypes>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}

/// Per-call options of Interpolator::Eval.
struct EvalOptions {
  /// Template rendered when the main one renders "" or hits an undefined value. Absent: the
  /// result is null (CDK: default None). InterpolatedString uses the template itself.
  std::optional<std::string> default_template = {};
  ValidTypes valid_types = ValidTypes::kAny;
};

/// Construction options: the clock and UUID source are injectable for tests and replays.
struct InterpolatorOptions {
  /// Microseconds since the Unix epoch, UTC. Empty: the system clock.
  std::function<std::int64_t()> now_micros = {};
  /// A UUID4 string for generate_uuid(). Empty: a random one.
  std::function<std::string()> new_uuid = {};
};

/// Compiles and evaluates templates. Compiled templates are cached by text, so a template is
/// parsed once and evaluated many times. Thread-safe: the cache has its own mutex, evaluation
/// keeps its state on the stack.
///
/// Errors are airbyte::Error: kInput for template syntax, undefined top-level variables,
/// `stream_state` references and evaluation failures (type errors, bad datetime text), each
/// naming the template and the position (line, column); kInternal for bugs.
class Interpolator {
 public:
  explicit Interpolator(InterpolatorOptions options = {});
  ~Interpolator();
  Interpolator(const Interpolator&) = delete;
  Interpolator& operator=(const Interpolator&) = delete;

  /// The CDK's JinjaInterpolation.eval: render, then parse the text as a Python literal
  /// ("42" -> 42, "True" -> true, "None" -> null, "[1, 2]" -> list); non-literals stay
  /// strings. Empty output or an undefined value falls back to options.default_template. A
  /// Python TypeError while rendering (`None | regex_search(..)`, `1 + 'a'`) yields the
  /// template's own text, as the CDK's jinja.py does.
  Json Eval(std::string_view template_text, const Json& context, const EvalOptions& options = {});

  /// InterpolatedString.eval: Eval with the template itself as default.
  Json EvalString(std::string_view template_text, const Json& context);

  /// InterpolatedBoolean.eval: false iff the value is False/0/0.0/""/"False"/"false"/"0"/
  /// "0.0"/"{}"/"[]"/"()"/empty list or dict; a rendered "None" (null) is true, as in the CDK.
  bool EvalBoolean(std::string_view condition, const Json& context);

  /// The rendered text only (no literal parsing, no default). Undefined values render as "";
  /// a use Jinja rejects (attribute of an undefined value, arithmetic on it) throws kInput.
  std::string Render(std::string_view template_text, const Json& context);

 private:
  std::shared_ptr<const CompiledTemplate> Compile(std::string_view template_text);
  // Renders; nullopt when an undefined value was used in a way Jinja rejects. A Python
  // TypeError gives the template's source when `type_error_yields_source` (the CDK's eval
  // pipeline), else throws like any evaluation error (plain rendering, as Jinja does).
  std::optional<std::string> TryRender(const CompiledTemplate& tmpl, const Json& context,
                                       bool type_error_yields_source = false);

  std::unique_ptr<EvalEnv> env_;  // the clock and UUID source; immutable after construction
  std::mutex mu_;
  // Guarded by mu_.
  std::unordered_map<std::string, std::shared_ptr<const CompiledTemplate>> cache_;
};

}  // namespace airbyte::declarative
