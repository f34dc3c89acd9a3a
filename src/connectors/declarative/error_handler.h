#pragma once

/// What a declarative requester does with a response: DefaultErrorHandler (response filters,
/// the CDK's default status mapping, back-off strategies, max_retries), CompositeErrorHandler
/// and HttpResponseFilter (docs/declarative.md §11).
///
/// Example:
///   std::unique_ptr<ErrorHandler> handler = MakeErrorHandler(component, interpolator, config);
///   ErrorResolution resolution = handler->Interpret(&response, decoded_body);
///   if (resolution.action == ResponseAction::kRetry) Sleep(handler->Backoff(&response, attempt));

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/interpolation/interpolator.h"
#include "http/http_client.h"
#include "protocol/message.h"

namespace airbyte::declarative {

enum class ResponseAction {
  kSuccess,
  kFail,
  kRetry,
  kIgnore,
  kRateLimited,
  kResetPagination,
  kRefreshTokenThenRetry,
};

struct ErrorResolution {
  ResponseAction action = ResponseAction::kSuccess;
  protocol::FailureType failure_type = protocol::FailureType::kSystemError;
  std::string message = {};
};

/// The failure_type a stream failure carries (Error::ContextValue("failure_type")), spelled
/// as in the protocol (protocol::ToString).
inline constexpr const char* kFailureTypeKey = "failure_type";

/// A protocol failure_type spelling ("config_error", ...); anything else is a system error.
protocol::FailureType ParseFailureType(std::string_view text);

class ErrorHandler {
 public:
  virtual ~ErrorHandler() = default;
  /// Resolves a response (`response` non-null, `body` its decoded JSON or null) or a transport
  /// failure (`response` null, `transport_error` its text).
  virtual ErrorResolution Interpret(const http::Response* response, const Json& body,
                                    const std::string& transport_error) const = 0;
  /// The wait before retry number `attempt` (0 = first retry); nullopt: the default
  /// exponential back-off.
  virtual std::optional<double> BackoffSeconds(const http::Response* response,
                                               int attempt) const = 0;
  virtual int max_retries() const = 0;
  /// Whether a 2xx response may resolve to something other than SUCCESS (a response filter
  /// could match it), so its body must be decoded before Interpret().
  virtual bool InspectsSuccess() const = 0;
};

/// Builds DefaultErrorHandler or CompositeErrorHandler from its component (null: the default
/// handler). Throws Error(kInput) for invalid definitions (a filter action without any
/// condition, unknown types).
std::unique_ptr<ErrorHandler> MakeErrorHandler(const Json& component, Interpolator& interpolator,
                                               const Json& config);

}  // namespace airbyte::declarative
