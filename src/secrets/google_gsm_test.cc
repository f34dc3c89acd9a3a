// GoogleGsmSecretManager against a local fake of Google's token endpoint and Secret Manager
// REST API (cpp-httplib on 127.0.0.1), which verifies the JWT's RS256 signature.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <httplib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "airbyte/secrets.h"
#include "secrets/jwt.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testutil::ThrowsError;

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

Pkey NewRsaKey() { return Pkey(EVP_RSA_gen(2048)); }

std::string PrivateKeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// Standard base64 with padding, as Google sends payload.data (independent of jwt.cc).
std::string StandardBase64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool VerifyRs256(EVP_PKEY* key, const std::string& input, const std::string& signature) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              &EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                          input.size()) == 1;
}

constexpr const char* kClientEmail = "reader@test-project.iam.gserviceaccount.com";
constexpr const char* kAccessToken = "ya29.fake-access-token-5150";

// The fake Google: /token (JWT bearer grant) and /v1/projects/*/secrets/*/versions/*:access.
class FakeGoogle {
 public:
  FakeGoogle() : key_(NewRsaKey()) {
    server_.Post("/token", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      ++token_requests_;
      if (!AcceptAssertion(req.get_param_value("grant_type"),
                           req.get_param_value("assertion"))) {
        res.status = 400;
        res.set_content(R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})",
                        "application/json");
        return;
      }
      res.set_content(Json{{"access_token", kAccessToken}, {"expires_in", 3599},
                           {"token_type", "Bearer"}}.dump(),
                      "application/json");
    });
    server_.Get(R"(/v1/projects/([^/]+)/secrets/([^/]+)/versions/([^/:]+):access)",
                [this](const httplib::Request& req, httplib::Response& res) {
                  std::lock_guard lock(mu_);
                  requested_paths_.push_back(req.path);
                  if (req.get_header_value("Authorization") !=
                      std::string("Bearer ") + kAccessToken) {
                    res.status = 401;
                    res.set_content(R"({"error":{"code":401,"message":"Request had invalid )"
                                    R"(authentication credentials.","status":"UNAUTHENTICATED"}})",
                                    "application/json");
                    return;
                  }
                  const std::string name = "projects/" + std::string(req.matches[1]) +
                                           "/secrets/" + std::string(req.matches[2]);
                  auto it = secrets_.find(name);
                  if (it == secrets_.end()) {
                    res.status = 404;
                    res.set_content(R"({"error":{"code":404,"message":"Secret not found.",)"
                                    R"("status":"NOT_FOUND"}})",
                                    "application/json");
                    return;
                  }
                  res.set_content(Json{{"name", name + "/versions/1"},
                                       {"payload", {{"data", StandardBase64(it->second)}}}}
                                      .dump(),
                                  "application/json");
                });
    // Lists one secret per page, so clients must follow nextPageToken.
    server_.Get(R"(/v1/projects/([^/]+)/secrets)",
                [this](const httplib::Request& req, httplib::Response& res) {
                  std::lock_guard lock(mu_);
                  if (req.get_header_value("Authorization") !=
                      std::string("Bearer ") + kAccessToken) {
                    res.status = 401;
                    return;
                  }
                  list_filters_.push_back(req.get_param_value("filter"));
                  const std::string prefix = "projects/" + std::string(req.matches[1]) + "/";
                  const std::size_t start =
                      req.has_param("pageToken") ? std::stoul(req.get_param_value("pageToken")) : 0;
                  Json page = {{"secrets", Json::array()}};
                  std::size_t index = 0;
                  for (const auto& [name, labels] : labels_) {
                    if (name.rfind(prefix, 0) != 0 || !Matches(labels, req.get_param_value("filter"))) {
                      continue;
                    }
                    if (index++ < start) continue;
                    if (!page["secrets"].empty()) {
                      page["nextPageToken"] = std::to_string(index - 1);
                      break;
                    }
                    page["secrets"].push_back({{"name", name}, {"labels", labels}});
                  }
                  res.set_content(page.dump(), "application/json");
                });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~FakeGoogle() {
    server_.stop();
    thread_.join();
  }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  std::string token_uri() const { return "http://127.0.0.1:" + std::to_string(port_) + "/token"; }
  EVP_PKEY* key() const { return key_.get(); }
  void AddSecret(const std::string& name, const std::string& value) {
    std::lock_guard lock(mu_);
    secrets_[name] = value;
  }
  void AddLabeledSecret(const std::string& name, const std::string& value,
                        std::map<std::string, std::string> labels) {
    AddSecret(name, value);
    std::lock_guard lock(mu_);
    labels_[name] = std::move(labels);
  }
  std::vector<std::string> list_filters() {
    std::lock_guard lock(mu_);
    return list_filters_;
  }
  int token_requests() {
    std::lock_guard lock(mu_);
    return token_requests_;
  }
  std::vector<std::string> requested_paths() {
    std::lock_guard lock(mu_);
    return requested_paths_;
  }
  /// A service-account key JSON for this fake, signed with `key` (default: the trusted one).
  std::string CredentialsJson(EVP_PKEY* key = nullptr) const {
    return Json{{"type", "service_account"},
                {"project_id", "test-project"},
                {"private_key_id", "key-1"},
                {"private_key", PrivateKeyPem(key != nullptr ? key : key_.get())},
                {"client_email", kClientEmail},
                {"token_uri", token_uri()}}
        .dump();
  }

 private:
  // Supports the one filter form we send: labels.<key>=<value>.
  static bool Matches(const std::map<std::string, std::string>& labels, const std::string& filter) {
    const std::size_t eq = filter.find('=');
    if (filter.rfind("labels.", 0) != 0 || eq == std::string::npos) return false;
    auto it = labels.find(filter.substr(7, eq - 7));
    return it != labels.end() && it->second == filter.substr(eq + 1);
  }

  // Checks the grant type, the signature with the trusted public key, and the claims.
  bool AcceptAssertion(const std::string& grant_type, const std::string& jwt) {
    if (grant_type != "urn:ietf:params:oauth:grant-type:jwt-bearer") return false;
    const std::size_t dot1 = jwt.find('.');
    const std::size_t dot2 = jwt.rfind('.');
    if (dot1 == std::string::npos || dot1 == dot2) return false;
    if (!VerifyRs256(key_.get(), jwt.substr(0, dot2),
                     secrets::Base64Decode(jwt.substr(dot2 + 1)))) {
      return false;
    }
    const Json header = Json::parse(secrets::Base64Decode(jwt.substr(0, dot1)));
    const Json claims = Json::parse(secrets::Base64Decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1)));
    return header["alg"] == "RS256" && header["kid"] == "key-1" &&
           claims["iss"] == kClientEmail && claims["aud"] == token_uri() &&
           claims["scope"] == "https://www.googleapis.com/auth/cloud-platform" &&
           claims["exp"].get<long>() - claims["iat"].get<long>() == 3600;
  }

  Pkey key_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, std::string> secrets_;     // Guarded by mu_.
  int token_requests_ = 0;                         // Guarded by mu_.
  std::vector<std::string> requested_paths_;       // Guarded by mu_.
  std::map<std::string, std::map<std::string, std::string>> labels_;  // Guarded by mu_.
  std::vector<std::string> list_filters_;          // Guarded by mu_.
};

class GoogleGsmTest : public ::testing::Test {
 protected:
  GoogleGsmSecretManager Manager(std::string credentials_json) {
    return GoogleGsmSecretManager(
        "test-project", {.credentials_json = SecretString(std::move(credentials_json)),
                         .api_base_url = google_.base_url(),
                         .timeout_seconds = 10});
  }

  FakeGoogle google_;
};

TEST_F(GoogleGsmTest, FetchesTheLatestVersionWithASignedJwt) {
  google_.AddSecret("projects/test-project/secrets/db_password", "gsm-value-\"quoted\"-8080");
  GoogleGsmSecretManager gsm = Manager(google_.CredentialsJson());
  EXPECT_EQ(gsm.name(), "google_gsm");
  std::optional<SecretString> value = gsm.GetSecret("db_password");
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(value->Reveal(), "gsm-value-\"quoted\"-8080");
  EXPECT_EQ(gsm.FetchSecret("db_password").Reveal(), "gsm-value-\"quoted\"-8080");
  EXPECT_EQ(google_.token_requests(), 1) << "the access token is reused until it expires";
  EXPECT_THAT(google_.requested_paths(),
              ::testing::Each("/v1/projects/test-project/secrets/db_password/versions/latest:access"));
  EXPECT_EQ(MaskSecrets("v=gsm-value-\"quoted\"-8080"), "v=****");
}

TEST_F(GoogleGsmTest, QualifiedNamesAreUsedAsGiven) {
  GoogleGsmSecretManager gsm = Manager(google_.CredentialsJson());
  EXPECT_EQ(gsm.QualifiedName("x"), "projects/test-project/secrets/x/versions/latest");
  EXPECT_EQ(gsm.QualifiedName("projects/other/secrets/y"),
            "projects/other/secrets/y/versions/latest");
  EXPECT_EQ(gsm.QualifiedName("projects/other/secrets/y/versions/3"),
            "projects/other/secrets/y/versions/3");
  google_.AddSecret("projects/other/secrets/y", "cross-project-value");
  EXPECT_EQ(gsm.FetchSecret("projects/other/secrets/y").Reveal(), "cross-project-value");
}

TEST_F(GoogleGsmTest, ListsSecretsByLabelAcrossPages) {
  google_.AddLabeledSecret("projects/test-project/secrets/SECRET_SOURCE_X_1", "creds-1",
                           {{"connector", "source-x"}});
  google_.AddLabeledSecret("projects/test-project/secrets/SECRET_SOURCE_X_2", "creds-2",
                           {{"connector", "source-x"}, {"team", "data"}});
  google_.AddLabeledSecret("projects/test-project/secrets/SECRET_SOURCE_Y", "creds-y",
                           {{"connector", "source-y"}});
  GoogleGsmSecretManager gsm = Manager(google_.CredentialsJson());
  const std::vector<GsmSecretHandle> handles = gsm.FetchConnectorSecrets("source-x");
  ASSERT_EQ(handles.size(), 2u) << "both pages were read";
  EXPECT_EQ(handles[0].name, "projects/test-project/secrets/SECRET_SOURCE_X_1");
  EXPECT_EQ(handles[1].labels.at("team"), "data");
  EXPECT_THAT(google_.list_filters(), ::testing::Each("labels.connector=source-x"));
  EXPECT_EQ(gsm.FetchConnectorSecret("source-x").Reveal(), "creds-1");
  EXPECT_EQ(gsm.FetchSecretsByLabel("team", "data").size(), 1u);
  EXPECT_THAT([&] { gsm.FetchConnectorSecret("source-none"); },
              ThrowsError(ErrorKind::kSecretNotFound, HasSubstr("No secrets found for connector.")));
}

TEST_F(GoogleGsmTest, MissingSecretIsNotFound) {
  GoogleGsmSecretManager gsm = Manager(google_.CredentialsJson());
  EXPECT_EQ(gsm.GetSecret("absent"), std::nullopt);
  EXPECT_THAT([&] { gsm.FetchSecret("absent"); },
              ThrowsError(ErrorKind::kSecretNotFound,
                          HasSubstr("projects/test-project/secrets/absent/versions/latest")));
}

TEST_F(GoogleGsmTest, UntrustedKeyFailsAuthenticationWithoutLeakingIt) {
  google_.AddSecret("projects/test-project/secrets/db_password", "never-returned");
  Pkey stranger = NewRsaKey();
  const std::string credentials = google_.CredentialsJson(stranger.get());
  GoogleGsmSecretManager gsm = Manager(credentials);
  EXPECT_EQ(gsm.GetSecret("db_password"), std::nullopt);
  const std::string pem = PrivateKeyPem(stranger.get());
  const std::string key_line = pem.substr(pem.find('\n') + 1, 64);  // first base64 line
  EXPECT_THAT([&] { gsm.FetchSecret("db_password"); },
              ThrowsError(ErrorKind::kNetwork,
                          AllOf(HasSubstr("Google authentication failed."),
                                HasSubstr("invalid_grant"), HasSubstr("Status: 400"),
                                Not(HasSubstr(key_line)), Not(HasSubstr("never-returned")))));
  EXPECT_THAT(google_.requested_paths(), ::testing::IsEmpty());
}

TEST_F(GoogleGsmTest, CredentialsComeFromExactlyOneSource) {
  util::ScopedTempDir dir;
  const auto path = testutil::WriteText(dir.path() / "sa.json", google_.CredentialsJson());
  EXPECT_THAT([&] {
    GoogleGsmSecretManager("p", {.credentials_path = path,
                                 .credentials_json = SecretString(google_.CredentialsJson())});
  }, ThrowsError(ErrorKind::kInput, HasSubstr("Only one of")));
  {
    testutil::ScopedEnv a("GOOGLE_APPLICATION_CREDENTIALS", std::nullopt);
    testutil::ScopedEnv b("GCP_GSM_CREDENTIALS", std::nullopt);
    EXPECT_THAT([] { GoogleGsmSecretManager("p"); },
                ThrowsError(ErrorKind::kInput, HasSubstr("No Google Cloud credentials found.")));
  }
  google_.AddSecret("projects/test-project/secrets/s", "from-file-credentials");
  {
    testutil::ScopedEnv a("GOOGLE_APPLICATION_CREDENTIALS", path.string());
    GoogleGsmSecretManager gsm("test-project", {.api_base_url = google_.base_url()});
    EXPECT_EQ(gsm.FetchSecret("s").Reveal(), "from-file-credentials");
  }
  {
    testutil::ScopedEnv a("GOOGLE_APPLICATION_CREDENTIALS", std::nullopt);
    testutil::ScopedEnv b("GCP_GSM_CREDENTIALS", google_.CredentialsJson());
    GoogleGsmSecretManager gsm("test-project", {.api_base_url = google_.base_url()});
    EXPECT_EQ(gsm.FetchSecret("s").Reveal(), "from-file-credentials");
  }
}

TEST_F(GoogleGsmTest, WorksAsASourceOfGetSecretAndHydration) {
  google_.AddSecret("projects/test-project/secrets/API_TOKEN", "hydrated-from-gsm-1234");
  auto gsm = std::make_shared<GoogleGsmSecretManager>(
      "test-project", GoogleGsmOptions{.credentials_json = SecretString(google_.CredentialsJson()),
                                       .api_base_url = google_.base_url()});
  EXPECT_EQ(GetSecret("API_TOKEN", {.sources = {{gsm}}}).Reveal(), "hydrated-from-gsm-1234");
  RegisterSecretManager(gsm);
  const Json hydrated = HydrateSecrets(Json{{"token", "secret_reference::API_TOKEN"}});
  DisableSecretSource("google_gsm");
  EXPECT_EQ(hydrated["token"], "hydrated-from-gsm-1234");
}

}  // namespace
}  // namespace airbyte
