#include "connectors/declarative/authenticator.h"

#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/http_requester.h"
#include "connectors/declarative/interpolation/datetime_format.h"
#include "connectors/declarative/interpolation/text_util.h"
#include "connectors/declarative/interpolation/value.h"
#include "http/url.h"

namespace airbyte::declarative {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;

Json ContextFor(const Json& component, const Runtime& runtime) {
  return {{"config", runtime.config},
          {"parameters", component.value("$parameters", Json::object())}};
}

std::string RenderField(const Json& component, const char* field, Runtime& runtime) {
  auto it = component.find(field);
  if (it == component.end() || it->is_null()) return "";
  if (!it->is_string()) return Str(Value(*it));
  Json value = runtime.interpolator.Eval(it->get<std::string>(), ContextFor(component, runtime));
  if (value.is_null()) return "";
  return value.is_string() ? value.get<std::string>() : Str(Value(value));
}

// The value of `key` searched depth-first in mappings then lists, up to depth 5 (the CDK's
// recursive token lookup).
const Json* FindRecursive(const Json& node, const std::string& key, int depth = 0) {
  if (depth > 5) return nullptr;
  if (node.is_object()) {
    if (auto it = node.find(key); it != node.end()) return &*it;
    for (const auto& [name, child] : node.items()) {
      if (const Json* found = FindRecursive(child, key, depth + 1)) return found;
    }
  } else if (node.is_array()) {
    for (const Json& child : node) {
      if (const Json* found = FindRecursive(child, key, depth + 1)) return found;
    }
  }
  return nullptr;
}

Json* PathIn(Json& root, const Json& path, bool create) {
  Json* node = &root;
  for (const Json& part : path) {
    const std::string key = part.get<std::string>();
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) {
      if (!create) return nullptr;
      (*node)[key] = Json();
      it = node->find(key);
    }
    node = &*it;
  }
  return node;
}

class NoAuth final : public Authenticator {
 public:
  void Apply(RequestOptions&) override {}
};

class ApiKeyAuthenticator final : public Authenticator {
 public:
  ApiKeyAuthenticator(const Json& component, Runtime& runtime)
      : component_(component), runtime_(runtime) {
    if (auto it = component.find("inject_into"); it != component.end() && it->is_object()) {
      option_ = *it;
    } else if (auto header = component.find("header"); header != component.end()) {
      option_ = {{"type", "RequestOption"}, {"inject_into", "header"}, {"field_name", *header}};
    } else {
      throw Error(ErrorKind::kInput, "ApiKeyAuthenticator has neither inject_into nor header.");
    }
  }
  void Apply(RequestOptions& options) override {
    std::string token = RenderField(component_, "api_token", runtime_);
    RequestOptions own;
    InjectRequestOption(option_, Json(token), runtime_.interpolator,
                        ContextFor(component_, runtime_), own);
    MergeRequestOptions(options, own, "authenticator");
  }

 private:
  Json component_;
  Runtime& runtime_;
  Json option_;
};

class BearerAuthenticator final : public Authenticator {
 public:
  BearerAuthenticator(const Json& component, Runtime& runtime)
      : component_(component), runtime_(runtime) {}
  void Apply(RequestOptions& options) override {
    options.headers["Authorization"] = "Bearer " + RenderField(component_, "api_token", runtime_);
  }

 private:
  Json component_;
  Runtime& runtime_;
};

class BasicHttpAuthenticator final : public Authenticator {
 public:
  BasicHttpAuthenticator(const Json& component, Runtime& runtime)
      : component_(component), runtime_(runtime) {}
  void Apply(RequestOptions& options) override {
    std::string pair = RenderField(component_, "username", runtime_) + ":" +
                       RenderField(component_, "password", runtime_);
    options.headers["Authorization"] = "Basic " + Base64Encode(pair);
  }

 private:
  Json component_;
  Runtime& runtime_;
};

class OAuthAuthenticator final : public Authenticator {
 public:
  OAuthAuthenticator(const Json& component, Runtime& runtime)
      : component_(component), runtime_(runtime) {
    if (auto it = component.find("refresh_token_updater"); it != component.end() && it->is_object()) {
      updater_ = *it;
      refresh_path_ = updater_.value("refresh_token_config_path", Json::array({"refresh_token"}));
      access_path_ =
          updater_.value("access_token_config_path", Json::array({"credentials", "access_token"}));
      expiry_path_ = updater_.value("token_expiry_date_config_path",
                                    Json::array({"credentials", "token_expiry_date"}));
    }
  }

  void Apply(RequestOptions& options) override {
    options.headers["Authorization"] = "Bearer " + AccessToken();
  }

  void Invalidate() override {
    token_.reset();
    expiry_micros_ = 0;
  }

 private:
  bool rotating() const { return !updater_.is_null(); }

  std::string AccessToken() {
    const std::int64_t now = runtime_.now_micros();
    if (!token_) LoadInitialToken();
    if (token_ && now < expiry_micros_) return *token_;
    Refresh(now);
    return *token_;
  }

  void LoadInitialToken() {
    if (rotating()) {
      const Json* token = PathIn(runtime_.config, access_path_, false);
      const Json* expiry = PathIn(runtime_.config, expiry_path_, false);
      if (token && token->is_string() && !token->get<std::string>().empty() && expiry &&
          expiry->is_string()) {
        token_ = token->get<std::string>();
        expiry_micros_ = ParseExpiry(expiry->get<std::string>());
      }
      return;
    }
    std::string value = RenderField(component_, "access_token_value", runtime_);
    if (!value.empty()) {
      token_ = value;
      std::string expiry = RenderField(component_, "token_expiry_date", runtime_);
      expiry_micros_ = expiry.empty() ? 0 : ParseExpiry(expiry);
    }
  }

  std::int64_t ParseExpiry(const std::string& text) const {
    try {
      std::string format = component_.value("token_expiry_date_format", "");
      if (!format.empty()) return Strptime(text, format).micros;
      return ParseDateTime(text).micros;
    } catch (const Error&) {
      return 0;  // unparsable: treat as expired
    }
  }

  void Refresh(std::int64_t now) {
    const Json context = ContextFor(component_, runtime_);
    http::QueryItems fields;
    std::string grant_type = RenderField(component_, "grant_type", runtime_);
    if (grant_type.empty()) grant_type = "refresh_token";
    Json headers = InterpolateRequestInput(component_.value("refresh_request_headers", Json()),
                                           runtime_.interpolator, context, false);
    const std::string grant_name = component_.value("grant_type_name", "grant_type");
    fields.emplace_back(grant_name, grant_type);
    if (!headers.contains("Authorization")) {
      fields.emplace_back(component_.value("client_id_name", "client_id"),
                          RenderField(component_, "client_id", runtime_));
      fields.emplace_back(component_.value("client_secret_name", "client_secret"),
                          RenderField(component_, "client_secret", runtime_));
    }
    if (grant_type == "refresh_token") {
      std::string refresh_token;
      if (rotating()) {
        const Json* stored = PathIn(runtime_.config, refresh_path_, false);
        if (stored && stored->is_string()) refresh_token = stored->get<std::string>();
      }
      if (refresh_token.empty()) refresh_token = RenderField(component_, "refresh_token", runtime_);
      fields.emplace_back(component_.value("refresh_token_name", "refresh_token"), refresh_token);
    }
    if (auto it = component_.find("scopes"); it != component_.end() && it->is_array()) {
      for (const Json& scope : *it) fields.emplace_back("scopes", Str(Value(scope)));
    }
    Json extra = InterpolateRequestInput(component_.value("refresh_request_body", Json()),
                                         runtime_.interpolator, context, false);
    if (extra.is_object()) {
      for (const auto& [key, value] : extra.items()) {
        bool present = false;
        for (const auto& field : fields) present = present || field.first == key;
        if (!present) fields.emplace_back(key, value.is_string() ? value.get<std::string>()
                                                                  : Str(Value(value)));
      }
    }
    std::string endpoint = RenderField(component_, "token_refresh_endpoint", runtime_);
    http::Request request{.method = "POST", .url = endpoint};
    for (const auto& [name, value] : headers.items()) {
      request.headers.emplace_back(name, value.is_string() ? value.get<std::string>()
                                                           : Str(Value(value)));
    }
    if (component_.value("send_refresh_request_as_query_params", false)) {
      request.url = http::AddQuery(endpoint, fields);
    } else {
      request.body = http::EncodeForm(fields);
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    }
    http::Response response = SendWithRetries(request);
    if (response.status < 200 || response.status >= 300) {
      throw Error(ErrorKind::kConnectorFailed,
                  "The OAuth token refresh at '" + endpoint + "' failed with HTTP status " +
                      std::to_string(response.status) + ": " + response.body,
                  {.guidance = "Check the client id, client secret and refresh token in the "
                               "config; re-authenticate if the refresh token was revoked.",
                   .context = {{kFailureTypeKey, "config_error"}}});
    }
    Json body = Json::parse(response.body, nullptr, false);
    const Json* token =
        FindRecursive(body, component_.value("access_token_name", "access_token"));
    if (token == nullptr || !token->is_string()) {
      throw Error(ErrorKind::kConnectorFailed,
                  "The OAuth token response has no '" +
                      component_.value("access_token_name", "access_token") + "'.",
                  {.context = {{kFailureTypeKey, "system_error"}}});
    }
    token_ = token->get<std::string>();
    RegisterSecret(*token_);
    const Json* expires = FindRecursive(body, component_.value("expires_in_name", "expires_in"));
    std::string expiry_format = component_.value("token_expiry_date_format", "");
    if (expires != nullptr && !expires->is_null()) {
      if (!expiry_format.empty() && expires->is_string()) {
        expiry_micros_ = ParseExpiry(expires->get<std::string>());
      } else {
        double seconds = expires->is_number()
                             ? expires->get<double>()
                             : std::strtod(expires->get<std::string>().c_str(), nullptr);
        expiry_micros_ = now + static_cast<std::int64_t>(seconds) * kMicrosPerSecond;
      }
    } else if (expiry_micros_ <= now) {
      expiry_micros_ = now + 3600 * kMicrosPerSecond;
    }
    if (rotating()) {
      const Json* new_refresh =
          FindRecursive(body, component_.value("refresh_token_name", "refresh_token"));
      if (new_refresh != nullptr && new_refresh->is_string()) {
        RegisterSecret(new_refresh->get<std::string>());
        *PathIn(runtime_.config, refresh_path_, true) = *new_refresh;
      }
      *PathIn(runtime_.config, access_path_, true) = *token_;
      *PathIn(runtime_.config, expiry_path_, true) =
          expiry_format.empty() ? FormatIsoDateTime(DateTime{expiry_micros_, 0}, 'T')
                                : Strftime(DateTime{expiry_micros_, 0}, expiry_format);
      runtime_.config_rotated = true;
      if (runtime_.emit_control) runtime_.emit_control(runtime_.config);
    }
  }

  http::Response SendWithRetries(const http::Request& request) {
    constexpr int kMaxAttempts = 6;
    for (int attempt = 1;; ++attempt) {
      http::Response response = runtime_.http.Send(request);
      bool retryable = response.status == 429 || response.status >= 500;
      if (!retryable || attempt >= kMaxAttempts) return response;
      runtime_.sleep(std::chrono::milliseconds(1000LL << attempt));
    }
  }

  Json component_;
  Runtime& runtime_;
  Json updater_;
  Json refresh_path_;
  Json access_path_;
  Json expiry_path_;
  std::optional<std::string> token_;
  std::int64_t expiry_micros_ = 0;
};

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
    token_ = node->is_string() ? node->get<std::string>() : Str(Value(*node));
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
    std::string token = parsed[key].is_string() ? parsed[key].get<std::string>()
                                                : Str(Value(parsed[key]));
    RegisterSecret(token);
    return token;
  }

  Json component_;
  Runtime& runtime_;
};

}  // namespace

std::unique_ptr<Authenticator> MakeAuthenticator(const Json& component, Runtime& runtime,
                                                 const RequesterFactory& make_requester) {
  if (!component.is_object()) return std::make_unique<NoAuth>();
  const std::string type = component.value("type", "NoAuth");
  if (type == "NoAuth") return std::make_unique<NoAuth>();
  if (type == "ApiKeyAuthenticator") return std::make_unique<ApiKeyAuthenticator>(component, runtime);
  if (type == "BearerAuthenticator") return std::make_unique<BearerAuthenticator>(component, runtime);
  if (type == "BasicHttpAuthenticator") {
    return std::make_unique<BasicHttpAuthenticator>(component, runtime);
  }
  if (type == "OAuthAuthenticator") return std::make_unique<OAuthAuthenticator>(component, runtime);
  if (type == "SessionTokenAuthenticator") {
    return std::make_unique<SessionTokenAuthenticator>(component, runtime, make_requester);
  }
  if (type == "LegacySessionTokenAuthenticator") {
    return std::make_unique<LegacySessionTokenAuthenticator>(component, runtime);
  }
  throw Error(ErrorKind::kInput, "Unsupported authenticator type '" + type + "'.",
              {.guidance = "This manifest needs an authenticator the native engine does not "
                           "implement; run it with the Python CDK."});
}

}  // namespace airbyte::declarative
