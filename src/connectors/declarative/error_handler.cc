#include "connectors/declarative/error_handler.h"

#include <cmath>
#include <regex>
#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "util/strings.h"

namespace airbyte::declarative {
namespace {

using protocol::FailureType;

struct DefaultMapping {
  int status;
  ResponseAction action;
  FailureType failure_type;
  const char* text;
};

constexpr DefaultMapping kDefaultMappings[] = {
    {400, ResponseAction::kFail, FailureType::kSystemError,
     "Bad request. Please check your request parameters."},
    {401, ResponseAction::kFail, FailureType::kConfigError,
     "Unauthorized. Please ensure you are authenticated correctly."},
    {403, ResponseAction::kFail, FailureType::kConfigError,
     "Forbidden. You don't have permission to access this resource."},
    {404, ResponseAction::kFail, FailureType::kSystemError,
     "Not found. The requested resource was not found on the server."},
    {405, ResponseAction::kFail, FailureType::kSystemError,
     "Method not allowed. Please check your request method."},
    {408, ResponseAction::kRetry, FailureType::kTransientError, "Request timeout."},
    {429, ResponseAction::kRateLimited, FailureType::kTransientError, "Too many requests."},
    {500, ResponseAction::kRetry, FailureType::kTransientError, "Internal server error."},
    {502, ResponseAction::kRetry, FailureType::kTransientError, "Bad gateway."},
    {503, ResponseAction::kRetry, FailureType::kTransientError, "Service unavailable."},
    {504, ResponseAction::kRetry, FailureType::kTransientError, "Gateway timeout."},
};

const DefaultMapping* FindDefault(int status) {
  for (const DefaultMapping& mapping : kDefaultMappings) {
    if (mapping.status == status) return &mapping;
  }
  return nullptr;
}

// The default resolution of a response or transport failure, or nullopt for a 2xx.
std::optional<ErrorResolution> DefaultResolution(const http::Response* response,
                                                 const std::string& transport_error) {
  if (response == nullptr) {
    return ErrorResolution{ResponseAction::kRetry, FailureType::kTransientError,
                           "Connection error: " + transport_error};
  }
  if (const DefaultMapping* mapping = FindDefault(response->status)) {
    return ErrorResolution{mapping->action, mapping->failure_type,
                           "HTTP Status Code: " + std::to_string(response->status) +
                               ". Error: " + mapping->text};
  }
  return std::nullopt;
}

ErrorResolution Fallback(const http::Response* response, const std::string& transport_error) {
  if (response == nullptr) return *DefaultResolution(nullptr, transport_error);
  return {ResponseAction::kRetry, FailureType::kSystemError,
          "Unexpected response with HTTP status " + std::to_string(response->status)};
}

std::optional<ResponseAction> ParseAction(const Json& value) {
  if (!value.is_string()) return std::nullopt;
  const std::string text = value.get<std::string>();
  if (text == "SUCCESS") return ResponseAction::kSuccess;
  if (text == "FAIL") return ResponseAction::kFail;
  if (text == "RETRY") return ResponseAction::kRetry;
  if (text == "IGNORE") return ResponseAction::kIgnore;
  if (text == "RATE_LIMITED") return ResponseAction::kRateLimited;
  if (text == "RESET_PAGINATION") return ResponseAction::kResetPagination;
  if (text == "REFRESH_TOKEN_THEN_RETRY") return ResponseAction::kRefreshTokenThenRetry;
  throw Error(ErrorKind::kInput, "HttpResponseFilter has an unknown action '" + text + "'.");
}


// The CDK's JsonErrorMessageParser: the first string found under the usual error keys.
std::string ErrorMessageOf(const Json& body) {
  static const char* const kKeys[] = {"message", "error", "errors", "failures", "failure",
                                      "detail", "err", "error_message", "msg", "reason",
                                      "status_message"};
  if (body.is_string()) return body.get<std::string>();
  if (body.is_array()) {
    std::string joined;
    for (const Json& item : body) {
      std::string part = ErrorMessageOf(item);
      if (part.empty()) continue;
      if (!joined.empty()) joined += ", ";
      joined += part;
    }
    return joined;
  }
  if (!body.is_object()) return "";
  for (const char* key : kKeys) {
    auto it = body.find(key);
    if (it == body.end()) continue;
    std::string found = ErrorMessageOf(*it);
    if (!found.empty()) return found;
  }
  return "";
}

Json HeadersJson(const http::Response& response) {
  Json headers = Json::object();
  for (const auto& [name, value] : response.headers) headers[name] = value;
  for (const auto& [name, value] : response.headers) headers[util::AsciiLower(name)] = value;
  return headers;
}

class ResponseFilter {
 public:
  ResponseFilter(const Json& component, Interpolator& interpolator, const Json& config)
      : interpolator_(interpolator), config_(config) {
    action_ = ParseAction(component.value("action", Json()));
    if (auto it = component.find("failure_type"); it != component.end() && it->is_string()) {
      failure_type_ = ParseFailureType(it->get<std::string>());
    }
    if (auto it = component.find("http_codes"); it != component.end() && it->is_array()) {
      for (const Json& code : *it) {
        if (code.is_number_integer()) http_codes_.push_back(code.get<int>());
        if (code.is_string()) http_codes_.push_back(std::stoi(code.get<std::string>()));
      }
    }
    predicate_ = component.value("predicate", "");
    error_message_contains_ = component.value("error_message_contains", "");
    error_message_ = component.value("error_message", "");
    parameters_ = component.value("$parameters", Json::object());
    if (action_ && http_codes_.empty() && predicate_.empty() && error_message_contains_.empty()) {
      throw Error(ErrorKind::kInput,
                  "HttpResponseFilter has an action but no condition (http_codes, predicate or "
                  "error_message_contains).",
                  {.guidance = "Add a condition to the filter in the manifest."});
    }
  }

  std::optional<ErrorResolution> Matches(const http::Response* response, const Json& body,
                                         const std::string& transport_error) const {
    std::optional<ErrorResolution> mapped = DefaultResolution(response, transport_error);
    if (action_ && response != nullptr && MatchesFilter(*response, body)) {
      ErrorResolution resolution;
      resolution.action = *action_;
      resolution.message = RenderMessage(*response, body);
      if (resolution.message.empty() && mapped) resolution.message = mapped->message;
      if (failure_type_ && *action_ == ResponseAction::kFail) {
        resolution.failure_type = *failure_type_;
      } else if (mapped) {
        resolution.failure_type = mapped->failure_type;
      }
      return resolution;
    }
    return std::nullopt;
  }

 private:
  bool MatchesFilter(const http::Response& response, const Json& body) const {
    for (int code : http_codes_) {
      if (code == response.status) return true;
    }
    if (!predicate_.empty()) {
      Json context = {{"config", config_}, {"parameters", parameters_}, {"response", body},
                      {"headers", HeadersJson(response)}};
      if (interpolator_.EvalBoolean(predicate_, context)) return true;
    }
    if (!error_message_contains_.empty()) {
      if (ErrorMessageOf(body).find(error_message_contains_) != std::string::npos) return true;
    }
    return false;
  }

  std::string RenderMessage(const http::Response& response, const Json& body) const {
    if (error_message_.empty()) return "";
    Json context = {{"config", config_}, {"parameters", parameters_}, {"response", body},
                    {"headers", HeadersJson(response)}};
    return interpolator_.Render(error_message_, context);
  }

  Interpolator& interpolator_;
  const Json& config_;
  std::optional<ResponseAction> action_;
  std::optional<FailureType> failure_type_;
  std::vector<int> http_codes_;
  std::string predicate_;
  std::string error_message_contains_;
  std::string error_message_;
  Json parameters_;
};

class Backoff {
 public:
  Backoff(const Json& component, Interpolator& interpolator, const Json& config)
      : component_(component), interpolator_(interpolator), config_(config) {}

  std::optional<double> Seconds(const http::Response* response, int attempt) const {
    const std::string type = component_.value("type", "");
    Json context = {{"config", config_},
                    {"parameters", component_.value("$parameters", Json::object())}};
    if (type == "ExponentialBackoffStrategy") {
      double factor = Number(component_.value("factor", Json(5)), context);
      return factor * std::pow(2.0, attempt);
    }
    if (type == "ConstantBackoffStrategy") {
      return Number(component_.value("backoff_time_in_seconds", Json(0)), context);
    }
    if ((type == "WaitTimeFromHeader" || type == "WaitUntilTimeFromHeader") &&
        response != nullptr) {
      std::string header = interpolator_.Render(component_.value("header", ""), context);
      std::optional<std::string> value = http::FindHeader(response->headers, header);
      if (!value) return std::nullopt;
      std::string text = *value;
      if (component_.contains("regex") && component_["regex"].is_string()) {
        std::smatch match;
        std::regex re(interpolator_.Render(component_["regex"].get<std::string>(), context));
        if (!std::regex_search(text, match, re)) return std::nullopt;
        text = match.size() > 1 ? match[1].str() : match[0].str();
      }
      char* end = nullptr;
      double seconds = std::strtod(text.c_str(), &end);
      if (end == text.c_str()) return std::nullopt;
      if (type == "WaitUntilTimeFromHeader") return std::nullopt;  // the clock is the caller's
      return seconds;
    }
    return std::nullopt;
  }

 private:
  double Number(const Json& value, const Json& context) const {
    if (value.is_number()) return value.get<double>();
    if (value.is_string()) {
      Json evaluated = interpolator_.Eval(value.get<std::string>(), context);
      if (evaluated.is_number()) return evaluated.get<double>();
      if (evaluated.is_string()) return std::strtod(evaluated.get<std::string>().c_str(), nullptr);
    }
    return 0;
  }

  Json component_;
  Interpolator& interpolator_;
  const Json& config_;
};

class DefaultErrorHandler final : public ErrorHandler {
 public:
  DefaultErrorHandler(const Json& component, Interpolator& interpolator, const Json& config) {
    if (auto it = component.find("response_filters"); it != component.end() && it->is_array()) {
      for (const Json& filter : *it) filters_.emplace_back(filter, interpolator, config);
    }
    if (auto it = component.find("backoff_strategies"); it != component.end() && it->is_array()) {
      for (const Json& strategy : *it) backoffs_.emplace_back(strategy, interpolator, config);
    }
    Json retries = component.value("max_retries", Json(5));
    if (retries.is_string()) {
      retries = interpolator.Eval(retries.get<std::string>(),
                                  {{"config", config},
                                   {"parameters", component.value("$parameters", Json::object())}});
    }
    max_retries_ = retries.is_number() ? retries.get<int>() : 5;
  }

  ErrorResolution Interpret(const http::Response* response, const Json& body,
                            const std::string& transport_error) const override {
    for (const ResponseFilter& filter : filters_) {
      if (auto resolution = filter.Matches(response, body, transport_error)) return *resolution;
    }
    if (response != nullptr && response->status >= 200 && response->status < 300) {
      return {ResponseAction::kSuccess, FailureType::kSystemError, ""};
    }
    if (auto resolution = DefaultResolution(response, transport_error)) return *resolution;
    return Fallback(response, transport_error);
  }

  std::optional<double> BackoffSeconds(const http::Response* response,
                                       int attempt) const override {
    for (const Backoff& backoff : backoffs_) {
      if (auto seconds = backoff.Seconds(response, attempt)) return seconds;
    }
    return std::nullopt;
  }

  int max_retries() const override { return max_retries_; }
  bool InspectsSuccess() const override { return !filters_.empty(); }

 private:
  std::vector<ResponseFilter> filters_;
  std::vector<Backoff> backoffs_;
  int max_retries_ = 5;
};

class CompositeErrorHandler final : public ErrorHandler {
 public:
  CompositeErrorHandler(const Json& component, Interpolator& interpolator, const Json& config) {
    if (auto it = component.find("error_handlers"); it != component.end() && it->is_array()) {
      for (const Json& child : *it) handlers_.push_back(MakeErrorHandler(child, interpolator, config));
    }
    if (handlers_.empty()) {
      throw Error(ErrorKind::kInput, "CompositeErrorHandler has no error_handlers.");
    }
  }

  ErrorResolution Interpret(const http::Response* response, const Json& body,
                            const std::string& transport_error) const override {
    std::optional<ErrorResolution> last;
    for (const auto& handler : handlers_) {
      ErrorResolution resolution = handler->Interpret(response, body, transport_error);
      switch (resolution.action) {
        case ResponseAction::kSuccess:
        case ResponseAction::kRetry:
        case ResponseAction::kIgnore:
        case ResponseAction::kResetPagination:
          return resolution;
        default:
          last = std::move(resolution);
      }
    }
    return last ? *last : Fallback(response, transport_error);
  }

  std::optional<double> BackoffSeconds(const http::Response* response,
                                       int attempt) const override {
    for (const auto& handler : handlers_) {
      if (auto seconds = handler->BackoffSeconds(response, attempt)) return seconds;
    }
    return std::nullopt;
  }

  int max_retries() const override { return handlers_.front()->max_retries(); }
  bool InspectsSuccess() const override {
    for (const auto& handler : handlers_) {
      if (handler->InspectsSuccess()) return true;
    }
    return false;
  }

 private:
  std::vector<std::unique_ptr<ErrorHandler>> handlers_;
};

}  // namespace

std::unique_ptr<ErrorHandler> MakeErrorHandler(const Json& component, Interpolator& interpolator,
                                               const Json& config) {
  const std::string type =
      component.is_object() ? component.value("type", "DefaultErrorHandler") : "DefaultErrorHandler";
  const Json& definition = component.is_object() ? component : Json::object();
  if (type == "CompositeErrorHandler") {
    return std::make_unique<CompositeErrorHandler>(definition, interpolator, config);
  }
  if (type == "DefaultErrorHandler") {
    return std::make_unique<DefaultErrorHandler>(definition, interpolator, config);
  }
  throw Error(ErrorKind::kInput, "Unsupported error handler type '" + type + "'.",
              {.guidance = "Custom error handlers need the Python CDK."});
}

protocol::FailureType ParseFailureType(std::string_view text) {
  if (text == "config_error") return FailureType::kConfigError;
  if (text == "transient_error") return FailureType::kTransientError;
  return FailureType::kSystemError;
}

}  // namespace airbyte::declarative
