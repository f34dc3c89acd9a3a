#pragma once

/// HTTP over libcurl for declarative connectors (and later the registry and secret managers).
///
/// Example:
///   http::HttpClient client;
///   http::Response response = client.Send({.method = "GET",
///                                          .url = "https://api.example.com/v1/users?page=2",
///                                          .headers = {{"Authorization", "Bearer x"}}});
///   if (response.status == 200) Use(response.body);
///
/// One client keeps one curl easy handle (connections are reused between requests to the
/// same host). Not thread-safe: use one client per thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace airbyte::http {

/// Header lists keep order and case as given; lookups are case-insensitive.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// The value of header `name` (case-insensitive), or nullopt.
std::optional<std::string> FindHeader(const Headers& headers, std::string_view name);

struct Request {
  std::string method = "GET";  // upper case
  std::string url = {};        // absolute, already encoded (see url.h)
  Headers headers = {};
  std::string body = {};       // sent as is (also on GET when non-empty)
};

struct Response {
  int status = 0;
  Headers headers = {};  // as received, names as the server wrote them
  std::string body = {};  // decoded (gzip/deflate undone)
  std::string url = {};  // the request URL as the caller gave it (before any rewrite)
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{30'000};
  /// Whole-request limit.
  std::chrono::milliseconds timeout{300'000};
  /// Test seam: maps the URL the caller gave to the URL actually connected to; return
  /// nullopt to refuse (the request fails like a connection error, no network traffic).
  /// Empty: no rewrite. Errors and Response::url always name the caller's URL.
  std::function<std::optional<std::string>(const std::string& url)> rewrite = {};
  /// Sent when the request has no User-Agent of its own.
  std::string user_agent = "airbyte-cpp";
};

/// Sends requests. Proxies come from the environment (http_proxy, https_proxy, no_proxy, as
/// curl reads them); TLS peers are always verified; gzip and deflate are accepted.
class HttpClient {
 public:
  explicit HttpClient(ClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends one request and returns the response, whatever its status. A transport failure
  /// (DNS, refused connection, TLS, timeout, refused rewrite) throws Error(kNetwork) naming the
  /// method and the URL with secrets masked (query values of registered secrets; see Redactor)
  /// and curl's reason; Error::context has "transport_error" set to "timeout" for timeouts.
  Response Send(const Request& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace airbyte::http
