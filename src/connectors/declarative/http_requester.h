#pragma once

/// HttpRequester (docs/declarative.md §4): builds one request from the requester's templates,
/// the authenticator and the options of paginator, cursor and partition router, sends it, and
/// applies the error handler (retries with back-off, IGNORE, FAIL).
///
/// Example:
///   HttpRequester requester(component, runtime, make_requester);
///   HttpRequester::Result page = requester.Send({.stream_slice = slice, .next_page_token = token});
///   if (!page.ignored) Decode(page.response.body);

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/authenticator.h"
#include "connectors/declarative/error_handler.h"
#include "connectors/declarative/request_options.h"
#include "connectors/declarative/runtime.h"
#include "http/http_client.h"

namespace airbyte::declarative {

class HttpRequester {
 public:
  struct Input {
    Json stream_slice = Json::object();
    /// {"next_page_token": token} or null on a first page without an initial token.
    Json next_page_token = nullptr;
    /// Paginator, cursor and partition-router options.
    RequestOptions extra = {};
    /// A RequestPath token: used instead of `path` (an absolute URL replaces the URL).
    std::optional<std::string> path_override = std::nullopt;
    /// Extra top-level template variables (a substream slice's extra_fields).
    Json extra_context = Json::object();
  };

  struct Result {
    http::Response response;
    /// The error handler said IGNORE: no records, pagination stops.
    bool ignored = false;
  };

  /// `use_cache`: identical requests in this run are answered from Runtime::response_cache.
  HttpRequester(const Json& component, Runtime& runtime, bool use_cache = false);

  /// Sends the request, retrying as the error handler says. A FAIL resolution or exhausted
  /// retries throw Error(kConnectorFailed) with context failure_type; a RATE_LIMITED retry
  /// calls `on_rate_limited` first (the stream reports RUNNING with reason RATE_LIMITED).
  Result Send(const Input& input);

  const Json& component() const { return component_; }
  /// Called before each rate-limit retry; may be empty.
  void set_on_rate_limited(std::function<void()> callback) { on_rate_limited_ = std::move(callback); }

 private:
  http::Request Build(const Input& input, const Json& context);

  Json component_;
  Runtime& runtime_;
  bool use_cache_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<ErrorHandler> error_handler_;
  std::function<void()> on_rate_limited_;
};

}  // namespace airbyte::declarative
