#include "connectors/declarative/authenticator.h"

#include <string>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/auth_support.h"
#include "connectors/declarative/interpolation/text_util.h"

namespace airbyte::declarative {
namespace {

using auth::ContextFor;
using auth::RenderField;

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
  if (type == "OAuthAuthenticator") return auth::MakeOAuthAuthenticator(component, runtime);
  if (type == "SessionTokenAuthenticator") {
    return auth::MakeSessionTokenAuthenticator(component, runtime, make_requester);
  }
  if (type == "LegacySessionTokenAuthenticator") {
    return auth::MakeLegacySessionTokenAuthenticator(component, runtime);
  }
  throw Error(ErrorKind::kInput, "Unsupported authenticator type '" + type + "'.",
              {.guidance = "This manifest needs an authenticator the native engine does not "
                           "implement; run it with the Python CDK."});
}

}  // namespace airbyte::declarative
