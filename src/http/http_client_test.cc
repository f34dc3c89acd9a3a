// HttpClient against a real HTTP server (cpp-httplib on 127.0.0.1).
#include "http/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "http/url.h"
#include "testutil/testutil.h"

namespace airbyte::http {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testutil::ThrowsError;

// Echoes each request as JSON: method, path, query, body and headers in wire order.
class TestServer {
 public:
  TestServer() {
    auto echo = [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      nlohmann::json headers = nlohmann::json::array();
      for (const auto& [name, value] : req.headers) {
        headers.push_back(nlohmann::json::array({name, value}));
      }
      const std::size_t question = req.target.find('?');
      res.set_header("X-Custom-Header", "Value-1");
      res.set_content(nlohmann::json{{"method", req.method},
                                     {"path", req.path},
                                     {"query", question == std::string::npos
                                                   ? ""
                                                   : req.target.substr(question + 1)},
                                     {"body", req.body},
                                     {"headers", headers}}
                          .dump(),
                      "application/json");
    };
    server_.Get("/echo", echo).Post("/echo", echo).Put("/echo", echo).Delete("/echo", echo);
    server_.Patch("/echo", echo).Get("/x", echo);
    server_.Get(R"(/status/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      res.status = std::stoi(req.matches[1]);
      res.set_content("status body", "text/plain");
    });
    server_.Get("/text", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      res.set_content(LongText(), "text/plain");  // compressed when the client accepts it
    });
    server_.Get("/redirect", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      res.set_header("X-Hop", "1");
      res.set_redirect("/echo?from=redirect");
    });
    server_.Get("/slow", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.set_content("late", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~TestServer() {
    server_.stop();
    thread_.join();
  }

  std::string Url(const std::string& path_and_query) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
  }
  int requests() const {
    std::lock_guard lock(mu_);
    return static_cast<int>(remote_ports_.size());
  }
  std::vector<int> remote_ports() const {
    std::lock_guard lock(mu_);
    return remote_ports_;
  }
  static std::string LongText() {
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i) + " of compressible text\n";
    return text;
  }

 private:
  void Record(const httplib::Request& req) {
    std::lock_guard lock(mu_);
    remote_ports_.push_back(req.remote_port);
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<int> remote_ports_;  // Guarded by mu_; one per request.
};

nlohmann::json Echo(const Response& response) { return nlohmann::json::parse(response.body); }

// Header names the server received, with their values (case as sent).
std::vector<std::pair<std::string, std::string>> ReceivedHeaders(const Response& response) {
  std::vector<std::pair<std::string, std::string>> out;
  const nlohmann::json echo = Echo(response);  // a named object: the loop borrows from it
  for (const auto& pair : echo["headers"]) out.emplace_back(pair[0], pair[1]);
  return out;
}

// A port that refuses connections: bound (so nobody else takes it) but not listening.
class RefusingPort {
 public:
  RefusingPort() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port_ = ntohs(addr.sin_port);
  }
  ~RefusingPort() { ::close(fd_); }
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  std::string Url(const std::string& path_and_query) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
  }

 private:
  int fd_;
  int port_ = 0;
};

class HttpClientTest : public ::testing::Test {
 protected:
  TestServer server_;
};

TEST_F(HttpClientTest, GetReturnsStatusHeadersAndBody) {
  HttpClient client;
  Response response = client.Send({.url = server_.Url("/echo?a=1&b=x%20y")});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.url, server_.Url("/echo?a=1&b=x%20y"));
  nlohmann::json echo = Echo(response);
  EXPECT_EQ(echo["method"], "GET");
  EXPECT_EQ(echo["query"], "a=1&b=x%20y");
  EXPECT_EQ(echo["body"], "");
  EXPECT_EQ(FindHeader(response.headers, "x-custom-header"), "Value-1");
  EXPECT_EQ(FindHeader(response.headers, "CONTENT-TYPE"), "application/json");
  EXPECT_FALSE(FindHeader(response.headers, "X-Missing").has_value());
  // Names keep the server's spelling.
  EXPECT_THAT(response.headers, testing::Contains(testing::Pair("X-Custom-Header", "Value-1")));
}

TEST_F(HttpClientTest, SendsMethodsWithBodies) {
  HttpClient client;
  for (const std::string method : {"POST", "PUT", "PATCH", "DELETE"}) {
    Response response = client.Send({.method = method,
                                     .url = server_.Url("/echo"),
                                     .headers = {{"Content-Type", "application/json"}},
                                     .body = R"({"n":1})"});
    ASSERT_EQ(response.status, 200) << method;
    nlohmann::json echo = Echo(response);
    EXPECT_EQ(echo["method"], method);
    EXPECT_EQ(echo["body"], R"({"n":1})") << method;
    EXPECT_THAT(ReceivedHeaders(response),
                testing::Contains(testing::Pair("Content-Type", "application/json")));
  }
}

TEST_F(HttpClientTest, SendsBodyOnGetAndEmptyPost) {
  HttpClient client;
  nlohmann::json post = Echo(client.Send({.method = "POST", .url = server_.Url("/echo")}));
  EXPECT_EQ(post["method"], "POST");
  EXPECT_EQ(post["body"], "");
  // cpp-httplib never reads a GET body, so the request's headers are the evidence; the unread
  // body would desynchronize the connection, hence the last request of this client.
  Response get = client.Send({.url = server_.Url("/echo"), .body = "q=1"});
  EXPECT_EQ(Echo(get)["method"], "GET");
  const auto headers = ReceivedHeaders(get);
  EXPECT_EQ(FindHeader(Headers(headers.begin(), headers.end()), "Content-Length"), "3");
}

TEST_F(HttpClientTest, SendsHeadersWithCaseAndDefaultUserAgent) {
  HttpClient client;
  std::string large_body(5000, 'x');
  Response response = client.Send({.method = "POST",
                                   .url = server_.Url("/echo"),
                                   .headers = {{"X-Api-KEY", "k1"}, {"x-lower", "v"}},
                                   .body = large_body});
  auto headers = ReceivedHeaders(response);
  EXPECT_THAT(headers, testing::Contains(testing::Pair("X-Api-KEY", "k1")));
  EXPECT_THAT(headers, testing::Contains(testing::Pair("x-lower", "v")));
  EXPECT_THAT(headers, testing::Contains(testing::Pair("User-Agent", "airbyte-cpp")));
  EXPECT_EQ(Echo(response)["body"], large_body);
  const Headers received(headers.begin(), headers.end());
  EXPECT_FALSE(FindHeader(received, "Expect").has_value());
  EXPECT_FALSE(FindHeader(received, "Content-Type").has_value());  // body sent as is

  Response own = client.Send(
      {.url = server_.Url("/echo"), .headers = {{"User-Agent", "mine/1.0"}}});
  const auto own_headers = ReceivedHeaders(own);
  EXPECT_EQ(std::count_if(own_headers.begin(), own_headers.end(),
                          [](const auto& h) { return h.first == "User-Agent"; }),
            1);
  EXPECT_THAT(own_headers, testing::Contains(testing::Pair("User-Agent", "mine/1.0")));

  HttpClient custom({.user_agent = "custom-agent/2"});
  EXPECT_THAT(ReceivedHeaders(custom.Send({.url = server_.Url("/echo")})),
              testing::Contains(testing::Pair("User-Agent", "custom-agent/2")));
}

TEST_F(HttpClientTest, DecodesCompressedResponses) {
  HttpClient client;
  Response response = client.Send({.url = server_.Url("/text")});
  EXPECT_EQ(response.status, 200);
  std::optional<std::string> encoding = FindHeader(response.headers, "Content-Encoding");
  ASSERT_TRUE(encoding.has_value()) << "the server did not compress";
  EXPECT_THAT(*encoding, testing::AnyOf("gzip", "br", "deflate"));
  EXPECT_EQ(response.body, TestServer::LongText());

  Response gzip = client.Send({.url = server_.Url("/text"), .headers = {{"Accept-Encoding", "gzip"}}});
  EXPECT_EQ(FindHeader(gzip.headers, "Content-Encoding"), "gzip");
  EXPECT_EQ(gzip.body, TestServer::LongText());
}

TEST_F(HttpClientTest, ErrorStatusesAreResponsesNotExceptions) {
  HttpClient client;
  Response not_found = client.Send({.url = server_.Url("/status/404")});
  EXPECT_EQ(not_found.status, 404);
  EXPECT_EQ(not_found.body, "status body");
  Response server_error = client.Send({.url = server_.Url("/status/500")});
  EXPECT_EQ(server_error.status, 500);
}

TEST_F(HttpClientTest, FollowsRedirectsKeepingLastHeaders) {
  HttpClient client;
  Response response = client.Send({.url = server_.Url("/redirect")});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(Echo(response)["query"], "from=redirect");
  EXPECT_FALSE(FindHeader(response.headers, "X-Hop").has_value());
  EXPECT_FALSE(FindHeader(response.headers, "Location").has_value());
  EXPECT_EQ(response.url, server_.Url("/redirect"));
}

TEST_F(HttpClientTest, ReusesTheConnection) {
  HttpClient client;
  client.Send({.url = server_.Url("/echo")});
  client.Send({.method = "POST", .url = server_.Url("/echo"), .body = "x"});
  client.Send({.url = server_.Url("/status/404")});
  std::vector<int> ports = server_.remote_ports();
  ASSERT_EQ(ports.size(), 3u);
  EXPECT_EQ(ports[0], ports[1]);
  EXPECT_EQ(ports[1], ports[2]);
}

TEST(HttpClientErrorTest, RefusedConnectionThrowsNetworkErrorNamingUrl) {
  RefusingPort port;
  HttpClient client;
  const std::string url = port.Url("/v1/users?page=2");
  EXPECT_THAT([&] { client.Send({.url = url}); },
              ThrowsError(ErrorKind::kNetwork, AllOf(HasSubstr("GET " + url),
                                                     HasSubstr("Failed to connect"))));
  try {
    client.Send({.method = "POST", .url = url});
  } catch (const Error& e) {
    EXPECT_EQ(e.ContextValue("method"), "POST");
    EXPECT_EQ(e.ContextValue("url"), url);
    EXPECT_EQ(e.ContextValue("transport_error"), "");
  }
}

TEST_F(HttpClientTest, TimeoutThrowsNetworkErrorMarkedTimeout) {
  HttpClient client({.timeout = std::chrono::milliseconds(200)});
  const auto start = std::chrono::steady_clock::now();
  try {
    client.Send({.url = server_.Url("/slow")});
    FAIL() << "no timeout";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNetwork);
    EXPECT_EQ(e.ContextValue("transport_error"), "timeout");
    EXPECT_THAT(e.Render(), HasSubstr(server_.Url("/slow")));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1200));
}

TEST_F(HttpClientTest, RewriteSendsToTheLocalServerAndKeepsTheCallersUrl) {
  std::vector<std::string> seen;
  HttpClient client({.rewrite = [&](const std::string& url) -> std::optional<std::string> {
    seen.push_back(url);
    const std::string prefix = "https://api.example.com";
    if (url.rfind(prefix, 0) != 0) return std::nullopt;
    return server_.Url(url.substr(prefix.size()));
  }});
  Response response = client.Send({.url = "https://api.example.com/x?a=1"});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.url, "https://api.example.com/x?a=1");
  nlohmann::json echo = Echo(response);
  EXPECT_EQ(echo["path"], "/x");
  EXPECT_EQ(echo["query"], "a=1");
  EXPECT_THAT(seen, testing::ElementsAre("https://api.example.com/x?a=1"));
}

TEST_F(HttpClientTest, RefusedRewriteFailsWithoutConnecting) {
  HttpClient client({.rewrite = [](const std::string&) { return std::optional<std::string>(); }});
  EXPECT_THAT([&] { client.Send({.url = "https://elsewhere.example.com/v1?x=1"}); },
              ThrowsError(ErrorKind::kNetwork,
                          HasSubstr("GET https://elsewhere.example.com/v1?x=1")));
  EXPECT_EQ(server_.requests(), 0);
}

TEST(HttpClientErrorTest, RegisteredSecretsInTheUrlAreMasked) {
  constexpr const char* kPlainSecret = "plainApiKey7731";
  constexpr const char* kEncodedSecret = "sk/live key+9&x";
  RegisterSecret(kPlainSecret);
  RegisterSecret(kEncodedSecret);
  RefusingPort port;
  const std::string url = AddQuery(port.Url("/v1/items"),
                                   {{"api_key", kPlainSecret}, {"token", kEncodedSecret}, {"page", "3"}});
  ASSERT_THAT(url, HasSubstr(EncodeForm({{"token", kEncodedSecret}})));
  HttpClient client;
  try {
    client.Send({.url = url});
    FAIL() << "connected to a refusing port";
  } catch (const Error& e) {
    const std::string text = e.Render();
    EXPECT_THAT(text, AllOf(Not(HasSubstr(kPlainSecret)), Not(HasSubstr(kEncodedSecret)),
                            Not(HasSubstr(EncodeForm({{"t", kEncodedSecret}}).substr(2)))));
    EXPECT_THAT(text, HasSubstr("api_key=****&token=****&page=3"));
  }
}

}  // namespace
}  // namespace airbyte::http
