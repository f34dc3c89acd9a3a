// Google Secret Manager over its REST API: service-account JWT -> OAuth token -> secret.
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "airbyte/secrets.h"
#include "secrets/http_call.h"
#include "secrets/jwt.h"

namespace airbyte {
namespace {

using Clock = std::chrono::system_clock;

constexpr const char* kScope = "https://www.googleapis.com/auth/cloud-platform";
constexpr const char* kDefaultTokenUri = "https://oauth2.googleapis.com/token";
// A token this close to expiry is renewed first: it could lapse on the way.
constexpr std::chrono::seconds kTokenMargin{60};

struct ServiceAccount {
  std::string client_email;
  std::string private_key_id;
  SecretString private_key;
  std::string token_uri;
};

SecretString LoadCredentialsText(const GoogleGsmOptions& options) {
  if (options.credentials_path && options.credentials_json) {
    throw Error(ErrorKind::kInput,
                "Only one of `credentials_path` and `credentials_json` may be given.");
  }
  std::optional<std::filesystem::path> path = options.credentials_path;
  if (!path && !options.credentials_json) {
    if (const char* env = std::getenv("GOOGLE_APPLICATION_CREDENTIALS"); env && *env) {
      path = env;
    } else if (const char* json = std::getenv("GCP_GSM_CREDENTIALS"); json && *json) {
      return SecretString(json);
    } else {
      throw Error(ErrorKind::kInput, "No Google Cloud credentials found.",
                  {.guidance = "Pass credentials_path or credentials_json, or set "
                               "GOOGLE_APPLICATION_CREDENTIALS or GCP_GSM_CREDENTIALS."});
    }
  }
  if (!path) return *options.credentials_json;
  std::ifstream in(*path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::kInput, "Cannot read the Google credentials file.",
                {.context = {{"path", path->string()}}});
  }
  std::stringstream text;
  text << in.rdbuf();
  return SecretString(text.str());
}

ServiceAccount ParseServiceAccount(const SecretString& text) {
  Json json;
  try {
    json = text.ParseJson();
  } catch (const Error&) {
    throw Error(ErrorKind::kInput, "The Google credentials are not valid JSON.");
  }
  auto field = [&](const char* name) -> std::string {
    auto it = json.find(name);
    return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  ServiceAccount account{.client_email = field("client_email"),
                         .private_key_id = field("private_key_id"),
                         .private_key = SecretString(field("private_key")),
                         .token_uri = field("token_uri")};
  if (account.client_email.empty() || account.private_key.empty()) {
    throw Error(ErrorKind::kInput,
                "The Google credentials are not a service-account key "
                "(`client_email` and `private_key` are required).");
  }
  if (account.token_uri.empty()) account.token_uri = kDefaultTokenUri;
  RegisterSecret(account.private_key.Reveal());
  return account;
}

// The `error` / `error_description` (OAuth) or `error.message` (Google APIs) of a response.
std::string ErrorText(const std::string& body) {
  Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return "";
  auto error = json.find("error");
  if (error == json.end()) return "";
  if (error->is_object()) return error->value("message", "");
  std::string text = error->is_string() ? error->get<std::string>() : "";
  if (auto description = json.find("error_description");
      description != json.end() && description->is_string()) {
    text += ": " + description->get<std::string>();
  }
  return text;
}

// Percent-encoding of a query parameter value (RFC 3986 unreserved characters stay).
std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

}  // namespace

class GoogleGsmSecretManager::Impl {
 public:
  Impl(std::string project, GoogleGsmOptions options)
      : project_(std::move(project)),
        options_(std::move(options)),
        account_(ParseServiceAccount(LoadCredentialsText(options_))) {
    options_.credentials_json.reset();  // parsed; no second copy of the key
  }

  std::string QualifiedName(std::string_view name) const {
    std::string qualified(name);
    if (qualified.find("projects/") == std::string::npos) {
      qualified = "projects/" + project_ + "/secrets/" + qualified;
    }
    if (qualified.find("/versions/") == std::string::npos) qualified += "/versions/latest";
    return qualified;
  }

  std::vector<GsmSecretHandle> List(std::string_view filter) {
    std::vector<GsmSecretHandle> handles;
    std::string page_token;
    do {
      std::string url = options_.api_base_url + "/projects/" + project_ +
                        "/secrets?filter=" + UrlEncode(filter);
      if (!page_token.empty()) url += "&pageToken=" + UrlEncode(page_token);
      secrets::HttpResponse response = secrets::PerformHttp(
          {.url = url,
           .headers = {"Authorization: Bearer " + AccessToken().Reveal()},
           .timeout_seconds = options_.timeout_seconds});
      if (response.status != 200) {
        throw Error(ErrorKind::kNetwork, "Google Secret Manager refused to list secrets.",
                    {.context = {{"filter", std::string(filter)},
                                 {"status", response.status},
                                 {"reason", ErrorText(response.body)}}});
      }
      Json json = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
      if (!json.is_object()) {
        throw Error(ErrorKind::kProtocol, "Google Secret Manager sent an unreadable list.");
      }
      for (const Json& secret : json.value("secrets", Json::array())) {
        if (!secret.is_object()) continue;
        GsmSecretHandle handle{.name = secret.value("name", ""), .labels = {}};
        const Json labels = secret.value("labels", Json::object());  // outlives the loop
        for (const auto& [key, value] : labels.items()) {
          if (value.is_string()) handle.labels[key] = value.get<std::string>();
        }
        handles.push_back(std::move(handle));
      }
      page_token = json.value("nextPageToken", "");
    } while (!page_token.empty());
    return handles;
  }

  SecretString Fetch(std::string_view name) {
    const std::string qualified = QualifiedName(name);
    secrets::HttpResponse response = secrets::PerformHttp(
        {.url = options_.api_base_url + "/" + qualified + ":access",
         .headers = {"Authorization: Bearer " + AccessToken().Reveal()},
         .timeout_seconds = options_.timeout_seconds});
    if (response.status == 404) {
      throw Error(ErrorKind::kSecretNotFound, "Secret not found in Google Secret Manager.",
                  {.context = {{"secret_name", qualified}}});
    }
    if (response.status != 200) {
      throw Error(ErrorKind::kNetwork, "Google Secret Manager refused the request.",
                  {.context = {{"secret_name", qualified},
                               {"status", response.status},
                               {"reason", ErrorText(response.body)}}});
    }
    Json json = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    const Json* data = nullptr;
    if (json.is_object() && json.contains("payload") && json["payload"].is_object()) {
      auto it = json["payload"].find("data");
      if (it != json["payload"].end() && it->is_string()) data = &*it;
    }
    if (data == nullptr) {
      throw Error(ErrorKind::kProtocol, "Google Secret Manager sent no secret payload.",
                  {.context = {{"secret_name", qualified}}});
    }
    SecretString secret(secrets::Base64Decode(data->get_ref<const std::string&>()));
    RegisterSecret(secret.Reveal());
    return secret;
  }

 private:
  SecretString AccessToken() {
    std::lock_guard lock(mu_);
    if (token_ && Clock::now() + kTokenMargin < token_expiry_) return *token_;
    const auto now = Clock::now();
    const long iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch())
                         .count();
    Json header = {{"alg", "RS256"}, {"typ", "JWT"}};
    if (!account_.private_key_id.empty()) header["kid"] = account_.private_key_id;
    const Json claims = {{"iss", account_.client_email}, {"sub", account_.client_email},
                         {"aud", account_.token_uri},    {"scope", kScope},
                         {"iat", iat},                   {"exp", iat + 3600}};
    const std::string assertion = secrets::SignJwtRs256(header, claims, account_.private_key);
    RegisterSecret(assertion);
    secrets::HttpResponse response = secrets::PerformHttp(
        {.method = "POST",
         .url = account_.token_uri,
         .headers = {"Content-Type: application/x-www-form-urlencoded"},
         // A JWT is URL-safe base64 and dots: no further encoding needed.
         .body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" +
                 assertion,
         .timeout_seconds = options_.timeout_seconds});
    Json json = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (response.status != 200 || !json.is_object() || !json.contains("access_token") ||
        !json["access_token"].is_string()) {
      throw Error(ErrorKind::kNetwork, "Google authentication failed.",
                  {.guidance = "Check that the service account key is valid and not revoked.",
                   .context = {{"token_uri", account_.token_uri},
                               {"client_email", account_.client_email},
                               {"status", response.status},
                               {"reason", ErrorText(response.body)}}});
    }
    token_ = SecretString(json["access_token"].get<std::string>());
    RegisterSecret(token_->Reveal());
    const long expires_in = json.value("expires_in", 3600L);
    token_expiry_ = now + std::chrono::seconds(expires_in);
    return *token_;
  }

  const std::string project_;
  GoogleGsmOptions options_;
  const ServiceAccount account_;
  std::mutex mu_;
  std::optional<SecretString> token_;  // Guarded by mu_.
  Clock::time_point token_expiry_;     // Guarded by mu_.
};

GoogleGsmSecretManager::GoogleGsmSecretManager(std::string project, GoogleGsmOptions options)
    : impl_(std::make_unique<Impl>(std::move(project), std::move(options))) {}
GoogleGsmSecretManager::~GoogleGsmSecretManager() = default;

std::string GoogleGsmSecretManager::QualifiedName(std::string_view secret_name) const {
  return impl_->QualifiedName(secret_name);
}

SecretString GoogleGsmSecretManager::FetchSecret(std::string_view secret_name) {
  return impl_->Fetch(secret_name);
}

std::vector<GsmSecretHandle> GoogleGsmSecretManager::FetchSecrets(std::string_view filter) {
  return impl_->List(filter);
}

std::vector<GsmSecretHandle> GoogleGsmSecretManager::FetchSecretsByLabel(std::string_view key,
                                                                         std::string_view value) {
  return impl_->List("labels." + std::string(key) + "=" + std::string(value));
}

std::vector<GsmSecretHandle> GoogleGsmSecretManager::FetchConnectorSecrets(
    std::string_view connector_name) {
  return FetchSecretsByLabel("connector", connector_name);
}

SecretString GoogleGsmSecretManager::FetchConnectorSecret(std::string_view connector_name) {
  std::vector<GsmSecretHandle> handles = FetchConnectorSecrets(connector_name);
  if (handles.empty()) {
    throw Error(ErrorKind::kSecretNotFound, "No secrets found for connector.",
                {.context = {{"connector_name", std::string(connector_name)}}});
  }
  return FetchSecret(handles.front().name);
}

std::optional<SecretString> GoogleGsmSecretManager::GetSecret(std::string_view secret_name) {
  try {
    return impl_->Fetch(secret_name);
  } catch (const std::exception&) {  // PyAirbyte: any failure means "not here"
    return std::nullopt;
  }
}

}  // namespace airbyte
