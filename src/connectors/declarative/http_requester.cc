#include "connectors/declarative/http_requester.h"

#include <cmath>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/interpolation/value.h"
#include "http/url.h"

namespace airbyte::declarative {
namespace {

std::string RenderOr(const Json& component, const char* field, Interpolator& interpolator,
                     const Json& context) {
  auto it = component.find(field);
  if (it == component.end() || !it->is_string()) return "";
  Json value = interpolator.EvalString(it->get<std::string>(), context);
  if (value.is_null()) return "";
  return PyStr(value);
}

std::string LStripSlashes(std::string text) {
  std::size_t start = text.find_first_not_of('/');
  return start == std::string::npos ? std::string() : text.substr(start);
}

// The requester's own request_* inputs; the legacy request_options_provider holds the same keys.
const Json& RequestInputs(const Json& component) {
  auto it = component.find("request_options_provider");
  if (it != component.end() && it->is_object()) return *it;
  return component;
}

void AppendItems(http::QueryItems& items, const std::string& name, const Json& value) {
  if (value.is_array()) {
    for (const Json& item : value) items.emplace_back(name, PyStr(item));
  } else {
    items.emplace_back(name, PyStr(value));
  }
}

Json DecodeForHandler(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  Json parsed = Json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return Json(body);
  return parsed;
}

[[noreturn]] void Fail(const ErrorResolution& resolution, const http::Request& request,
                       const http::Response* response, protocol::FailureType failure_type) {
  std::string internal = "'" + request.method + "' request to '" + request.url + "' failed";
  if (response != nullptr) {
    internal += " with status code '" + std::to_string(response->status) + "'";
  }
  throw Error(ErrorKind::kConnectorFailed, resolution.message.empty() ? internal : resolution.message,
              {.context = {{kFailureTypeKey, std::string(protocol::ToString(failure_type))},
                           {"request", internal}}});
}

}  // namespace

HttpRequester::HttpRequester(const Json& component, Runtime& runtime, bool use_cache)
    : component_(component), runtime_(runtime), use_cache_(use_cache) {
  RequesterFactory factory = [&runtime](const Json& login) {
    return std::make_unique<HttpRequester>(login, runtime);
  };
  Json authenticator = component.value("authenticator", Json());
  if (authenticator.is_object() &&
      authenticator.value("type", "") == "LegacySessionTokenAuthenticator" &&
      !authenticator.contains("api_url")) {
    // The CDK gives this authenticator the requester's url_base as its API URL.
    authenticator["api_url"] = component.value("url_base", "");
  }
  authenticator_ = MakeAuthenticator(authenticator, runtime, factory);
  error_handler_ =
      MakeErrorHandler(component.value("error_handler", Json()), runtime.interpolator, runtime.config);
  use_cache_ = use_cache_ || component.value("use_cache", false);
}

http::Request HttpRequester::Build(const Input& input, const Json& context) {
  Interpolator& interpolator = runtime_.interpolator;
  std::string url_base = RenderOr(component_, "url_base", interpolator, context);
  if (url_base.empty()) url_base = RenderOr(component_, "url", interpolator, context);
  std::string url;
  if (input.path_override) {
    std::string base = url_base.empty() || url_base.back() == '/' ? url_base : url_base + "/";
    url = http::JoinUrl(base, *input.path_override);
  } else {
    std::string path = LStripSlashes(RenderOr(component_, "path", interpolator, context));
    if (path.empty()) {
      url = url_base;
    } else {
      std::string base = url_base.empty() || url_base.back() == '/' ? url_base : url_base + "/";
      url = http::JoinUrl(base, path);
    }
  }

  const Json& inputs = RequestInputs(component_);
  RequestOptions options;
  options.params = InterpolateRequestInput(inputs.value("request_parameters", Json()), interpolator,
                                           context, false);
  options.headers = InterpolateRequestInput(inputs.value("request_headers", Json()), interpolator,
                                            context, false);
  options.body_json = InterpolateRequestInput(inputs.value("request_body_json", Json()),
                                              interpolator, context, true);
  if (!options.body_json.is_object()) options.body_json = Json::object();
  options.body_data = InterpolateRequestInput(inputs.value("request_body_data", Json()),
                                              interpolator, context, false);
  RequestOptions auth;
  authenticator_->Apply(auth);
  MergeRequestOptions(options, input.extra, "paginator or partition");
  MergeRequestOptions(options, auth, "authenticator");

  http::Request request;
  request.method = RenderOr(component_, "http_method", interpolator, context);
  if (request.method.empty()) request.method = "GET";

  // Parameters already in the URL's query string are not sent twice.
  std::set<std::string> in_url;
  if (auto parts = http::SplitUrl(url)) {
    for (const auto& [name, value] : http::DecodeForm(parts->query)) in_url.insert(name);
  }
  http::QueryItems params;
  for (const auto& [name, value] : options.params.items()) {
    if (value.is_null() || in_url.count(name) > 0) continue;
    AppendItems(params, name, value);
  }
  request.url = params.empty() ? url : http::AddQuery(url, params);

  for (const auto& [name, value] : options.headers.items()) {
    if (value.is_null()) continue;
    request.headers.emplace_back(name, PyStr(value));
  }
  if (!options.body_json.empty()) {
    request.body = options.body_json.dump();
    request.headers.emplace_back("Content-Type", "application/json");
  } else if (options.body_data.is_string()) {
    request.body = options.body_data.get<std::string>();
  } else if (options.body_data.is_object() && !options.body_data.empty()) {
    http::QueryItems form;
    for (const auto& [name, value] : options.body_data.items()) {
      if (!value.is_null()) AppendItems(form, name, value);
    }
    request.body = http::EncodeForm(form);
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }
  return request;
}

HttpRequester::Result HttpRequester::Send(const Input& input) {
  Json context = {{"config", runtime_.config},
                  {"parameters", component_.value("$parameters", Json::object())},
                  {"stream_slice", input.stream_slice},
                  {"next_page_token", input.next_page_token}};
  for (const auto& [key, value] : input.extra_context.items()) context[key] = value;

  for (int attempt = 0;; ++attempt) {
    http::Request request = Build(input, context);
    std::string cache_key;
    if (use_cache_) {
      cache_key = request.method + " " + request.url + "\n" + request.body;
      if (auto it = runtime_.response_cache.find(cache_key); it != runtime_.response_cache.end()) {
        return {it->second, false};
      }
    }
    std::optional<http::Response> response;
    std::string transport_error;
    try {
      response = runtime_.http.Send(request);
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kNetwork) throw;
      transport_error = error.message();
    }
    // A 2xx body is decoded here only when a response filter might look at it; the records
    // are decoded once, by the retriever.
    const bool success = response && response->status >= 200 && response->status < 300;
    Json body = response && (!success || error_handler_->InspectsSuccess())
                    ? DecodeForHandler(response->body)
                    : Json();
    ErrorResolution resolution =
        error_handler_->Interpret(response ? &*response : nullptr, body, transport_error);
    switch (resolution.action) {
      case ResponseAction::kSuccess:
        if (use_cache_) runtime_.response_cache[cache_key] = *response;
        return {std::move(*response), false};
      case ResponseAction::kIgnore:
        return {response ? std::move(*response) : http::Response{}, true};
      case ResponseAction::kFail:
        Fail(resolution, request, response ? &*response : nullptr, resolution.failure_type);
      case ResponseAction::kRefreshTokenThenRetry:
        authenticator_->Invalidate();
        [[fallthrough]];
      case ResponseAction::kRetry:
      case ResponseAction::kRateLimited:
      case ResponseAction::kResetPagination:
        break;
    }
    if (attempt >= error_handler_->max_retries()) {
      if (resolution.action == ResponseAction::kRateLimited) {
        resolution.message = "Rate limit retry budget exhausted. Last exception: " + resolution.message;
      }
      Fail(resolution, request, response ? &*response : nullptr,
           protocol::FailureType::kTransientError);
    }
    if (resolution.action == ResponseAction::kRateLimited && on_rate_limited_) on_rate_limited_();
    std::optional<double> seconds =
        error_handler_->BackoffSeconds(response ? &*response : nullptr, attempt);
    double wait = seconds ? *seconds : 5.0 * std::pow(2.0, attempt);
    runtime_.sleep(std::chrono::milliseconds(static_cast<std::int64_t>(wait * 1000)));
  }
}

}  // namespace airbyte::declarative
