#pragma once

#include <string>
#include <vector>

namespace airbyte::secrets {

/// One HTTP request (the few Google Secret Manager needs).
struct HttpRequest {
  std::string method = "GET";
  std::string url = {};
  std::vector<std::string> headers = {};  // "Name: value"
  std::string body = {};
  long timeout_seconds = 30;
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

/// Performs `request` with libcurl (TLS verified, redirects not followed, no verbose output:
/// it would print the Authorization header). Any HTTP status is a response; throws
/// Error(kNetwork) naming the URL only when no response arrives. Thread-safe.
/// TODO(#8): move to src/http/ (HttpClient) when that module lands.
HttpResponse PerformHttp(const HttpRequest& request);

}  // namespace airbyte::secrets
