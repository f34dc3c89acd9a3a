#pragma once

/// Authenticators of declarative requesters (docs/declarative.md §5): NoAuth, ApiKey, Bearer,
/// Basic, OAuth (refresh-token and client-credentials grants, expiry, refresh-token rotation
/// with a CONTROL message), SessionToken and LegacySessionToken.
///
/// Example:
///   std::unique_ptr<Authenticator> auth = MakeAuthenticator(component, runtime, make_requester);
///   auth->Apply(options);   // adds the Authorization header (refreshing a token if needed)

#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/request_options.h"
#include "connectors/declarative/runtime.h"

namespace airbyte::declarative {

class HttpRequester;

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  /// Adds this authenticator's headers, parameters or body fields to a request.
  virtual void Apply(RequestOptions& options) = 0;
  /// Forgets the current token, so the next Apply() fetches a new one.
  virtual void Invalidate() {}
};

/// Builds a requester for login requests (SessionTokenAuthenticator.login_requester).
using RequesterFactory = std::function<std::unique_ptr<HttpRequester>(const Json& component)>;

/// Builds the authenticator of a requester; null or missing component: NoAuth. Throws
/// Error(kInput) for unsupported (custom) types.
std::unique_ptr<Authenticator> MakeAuthenticator(const Json& component, Runtime& runtime,
                                                 const RequesterFactory& make_requester);

}  // namespace airbyte::declarative
