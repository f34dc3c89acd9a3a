// OAuthAuthenticator (docs/declarative.md §5.1): refresh-token and client-credentials grants,
// expiry, and refresh-token rotation written into the config with a CONTROL message.

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/auth_support.h"
#include "connectors/declarative/error_handler.h"
#include "connectors/declarative/interpolation/datetime_format.h"
#include "connectors/declarative/interpolation/value.h"
#include "http/url.h"

namespace airbyte::declarative::auth {
namespace {

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
      for (const Json& scope : *it) fields.emplace_back("scopes", PyStr(scope));
    }
    Json extra = InterpolateRequestInput(component_.value("refresh_request_body", Json()),
                                         runtime_.interpolator, context, false);
    if (extra.is_object()) {
      for (const auto& [key, value] : extra.items()) {
        bool present = false;
        for (const auto& field : fields) present = present || field.first == key;
        if (!present) fields.emplace_back(key, PyStr(value));
      }
    }
    std::string endpoint = RenderField(component_, "token_refresh_endpoint", runtime_);
    http::Request request{.method = "POST", .url = endpoint};
    for (const auto& [name, value] : headers.items()) {
      request.headers.emplace_back(name, PyStr(value));
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


}  // namespace

std::unique_ptr<Authenticator> MakeOAuthAuthenticator(const Json& component, Runtime& runtime) {
  return std::make_unique<OAuthAuthenticator>(component, runtime);
}

}  // namespace airbyte::declarative::auth
