// SessionTokenAuthenticator and LegacySessionTokenAuthenticator (docs/declarative.md §5.2).

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/auth_support.h"
#include "connectors/declarative/error_handler.h"
#include "connectors/declarative/http_requester.h"
#include "connectors/declarative/interpolation/datetime_format.h"
#include "connectors/declarative/interpolation/value.h"
#include "http/url.h"

namespace airbyte::declarative::auth {
namespace {

// SessionTokenAuthenticator: logs in with its own requester and sends the token as Bearer or
// as an API key.
class SessionTokenAuthenticator final : public Authenticator {
 public:
  SessionTokenAuthenticator(const Json& component, Runtime& runtime,
                            const RequesterFactory& make_requester)
      : component_(component), runtime_(runtime) {
    login_ = make_requester(component.value("login_requester", Json::object()));
    if (auto it = component.find("expiration_duration"); it != component.end() && it->is_string()) {
      expiration_ = ParseIsoDuration(it->get<std::string>());
    }
  }

  void Apply(RequestOptions& options) override {
    std::string token = Token();
    // Without an expiration the CDK logs in again each time it asks for the token, and it asks
    // twice per request.
    if (!expiration_) token = Token();
    const Json auth = component_.value("request_authentication", Json::object());
    if (auth.value("type", "Bearer") == "ApiKey") {
      RequestOptions own;
      InjectRequestOption(auth.value("inject_into", Json()), Json(token), runtime_.interpolator,
                          ContextFor(component_, runtime_), own);
      MergeRequestOptions(options, own, "authenticator");
    } else {
      options.headers["Authorization"] = "Bearer " + token;
    }
  }

  void Invalidate() override { token_.reset(); }

 private:
  std::string Token() {
    const std::int64_t now = runtime_.now_micros();
    if (token_ && expiration_ && now < AddDuration(DateTime{obtained_at_, 0}, *expiration_, 1).micros) {
      return *token_;
    }
    HttpRequester::Result result = login_->Send({});
    if (result.ignored) {
      throw Error(ErrorKind::kConnectorFailed, "The session login response was ignored.",
                  {.context = {{kFailureTypeKey, "config_error"}}});
    }
    Json body = Json::parse(result.response.body, nullptr, false);
    const Json* node = &body;
    for (const Json& key : component_.value("session_token_path", Json::array())) {
      if (!node->is_object() || !node->contains(key.get<std::string>())) {
        throw Error(ErrorKind::kConnectorFailed,
                    "The session login response has no token at session_token_path.",
                    {.context = {{kFailureTypeKey, "config_error"}}});
      }
      node = &(*node)[key.get<std::string>()];
    }
    token_ = PyStr(*node);
    RegisterSecret(*token_);
    obtained_at_ = now;
    return *token_;
  }

  Json component_;
  Runtime& runtime_;
  std::unique_ptr<HttpRequester> login_;
  std::optional<Duration> expiration_;
  std::optional<std::string> token_;
  std::int64_t obtained_at_ = 0;
};

// Metabase-style: a configured session token, validated each time the token is needed (twice
// per request, as the CDK asks for it twice), else a username/password login done once per
// run and shared by every stream.
class LegacySessionTokenAuthenticator final : public Authenticator {
 public:
  LegacySessionTokenAuthenticator(const Json& component, Runtime& runtime)
      : component_(component), runtime_(runtime) {}

  void Apply(RequestOptions& options) override {
    Token();
    options.headers[RenderField(component_, "header", runtime_)] = Token();
  }

  void Invalidate() override { runtime_.session_tokens.erase(LoginKey()); }

 private:
  std::string Token() {
    std::string configured = RenderField(component_, "session_token", runtime_);
    if (!configured.empty() && IsValid(configured)) return configured;
    const std::string key = LoginKey();
    auto cached = runtime_.session_tokens.find(key);
    if (cached != runtime_.session_tokens.end()) return cached->second;
    std::string token = Login();
    runtime_.session_tokens[key] = token;
    return token;
  }

  std::string LoginKey() const {
    return RenderField(component_, "api_url", runtime_) + "\n" +
           RenderField(component_, "username", runtime_) + "\n" +
           RenderField(component_, "password", runtime_);
  }

  bool IsValid(const std::string& token) {
    std::string validate = RenderField(component_, "validate_session_url", runtime_);
    if (validate.empty()) return true;
    http::Response response = runtime_.http.Send(
        {.method = "GET",
         .url = http::JoinUrl(RenderField(component_, "api_url", runtime_), validate),
         .headers = {{RenderField(component_, "header", runtime_), token}}});
    if (response.status >= 200 && response.status < 300) return true;
    if (response.status == 401) return false;
    throw Error(ErrorKind::kConnectorFailed,
                "Validating the session token failed with HTTP status " +
                    std::to_string(response.status) + ".",
                {.context = {{kFailureTypeKey, "config_error"}}});
  }

  std::string Login() {
    std::string api_url = RenderField(component_, "api_url", runtime_);
    Json body = {{"username", RenderField(component_, "username", runtime_)},
                 {"password", RenderField(component_, "password", runtime_)}};
    http::Response response = runtime_.http.Send(
        {.method = "POST",
         .url = http::JoinUrl(api_url, RenderField(component_, "login_url", runtime_)),
         .headers = {{"Content-Type", "application/json"}},
         .body = body.dump()});
    if (response.status < 200 || response.status >= 300) {
      throw Error(ErrorKind::kConnectorFailed,
                  "The session login failed with HTTP status " + std::to_string(response.status) +
                      ".",
                  {.guidance = "Check the username and password in the config.",
                   .context = {{kFailureTypeKey, "config_error"}}});
    }
    Json parsed = Json::parse(response.body, nullptr, false);
    std::string key = RenderField(component_, "session_token_response_key", runtime_);
    if (!parsed.is_object() || !parsed.contains(key)) {
      throw Error(ErrorKind::kConnectorFailed, "The session login response has no '" + key + "'.",
                  {.context = {{kFailureTypeKey, "config_error"}}});
    }
    std::string token = PyStr(parsed[key]);
    RegisterSecret(token);
    return token;
  }

  Json component_;
  Runtime& runtime_;
};

}  // namespace

std::unique_ptr<Authenticator> MakeSessionTokenAuthenticator(
    const Json& component, Runtime& runtime, const RequesterFactory& make_requester) {
  return std::make_unique<SessionTokenAuthenticator>(component, runtime, make_requester);
}

std::unique_ptr<Authenticator> MakeLegacySessionTokenAuthenticator(const Json& component,
                                                                   Runtime& runtime) {
  return std::make_unique<LegacySessionTokenAuthenticator>(component, runtime);
}

}  // namespace airbyte::declarative::auth
