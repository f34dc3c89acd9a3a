// The replay server against real HTTP requests (cpp-httplib's client, and a raw socket where
// httplib cannot send the request): README section 1.2 matching and responses, section 2
// request records.
#include "replay_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "compare.h"
#include "http/url.h"
#include "outcome.h"

namespace airbyte::conformance {
namespace {

Json Route(const char* text) { return Json::parse(text); }

// Sends `raw` (a whole HTTP request) and returns everything the server answers until it
// closes the connection.
std::string RawExchange(int port, const std::string& raw) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  EXPECT_EQ(::send(fd, raw.data(), raw.size(), 0), static_cast<ssize_t>(raw.size()));
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0) out.append(buffer, n);
  ::close(fd);
  return out;
}

class ReplayServerTest : public ::testing::Test {
 protected:
  void Start(Json routes) {
    server_ = std::make_unique<ReplayServer>(std::move(routes));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_keep_alive(true);
    client_->set_url_encode(false);  // send targets exactly as written
  }
  httplib::Result Get(const std::string& target, const httplib::Headers& headers = {}) {
    return client_->Get(target.c_str(), headers);
  }

  std::unique_ptr<ReplayServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ReplayServerTest, FirstMatchingRouteWinsAndMethodDefaultsToGet) {
  Start(Json::array({Route(R"({"path": "/a", "response": {"json": {"n": 1}}})"),
                     Route(R"({"path": "/a", "response": {"json": {"n": 2}}})")}));
  auto res = Get("/a");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"n":1})");
  auto post = client_->Post("/a", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404);
}

TEST_F(ReplayServerTest, NoRouteAnswers404WithJsonError) {
  Start(Json::array({Route(R"({"path": "/a", "response": {"json": []}})")}));
  auto res = Get("/b");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->body, R"({"error":"no route"})");
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
}

TEST_F(ReplayServerTest, PathIsComparedAfterPercentDecoding) {
  Start(Json::array({Route(R"({"path": "/v1/a b/ü", "response": {"text": "ok"}})")}));
  auto res = Get("/v1/a%20b/%C3%BC");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "ok");
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(server_->Requests().at(0)["path"], "/v1/a b/ü");
}

TEST_F(ReplayServerTest, QueryNullMeansAbsent) {
  Start(Json::array({Route(R"({"path": "/p", "query": {"page": null}, "response": {"json": 1}})"),
                     Route(R"({"path": "/p", "response": {"json": 2}})")}));
  EXPECT_EQ(Get("/p?x=1")->body, "1");
  EXPECT_EQ(Get("/p?page=2")->body, "2");
  EXPECT_EQ(Get("/p?page=")->body, "2");  // blank values are kept: present
}

TEST_F(ReplayServerTest, QueryStringMustBePresentOnceWithThatValue) {
  Start(Json::array({Route(R"({"path": "/p", "query": {"q": "a b+c"}, "response": {"json": 1}})")}));
  EXPECT_EQ(Get("/p?q=a+b%2Bc&other=1")->status, 200);  // form decoding, subset
  EXPECT_EQ(Get("/p?q=a+b%2Bc&q=a+b%2Bc")->status, 404);  // twice
  EXPECT_EQ(Get("/p?q=a")->status, 404);
}

TEST_F(ReplayServerTest, QueryListMatchesRepeatedValuesInOrder) {
  Start(Json::array({Route(R"({"path": "/p", "query": {"s": ["x", "y"]}, "response": {"json": 1}})")}));
  EXPECT_EQ(Get("/p?s=x&s=y")->status, 200);
  EXPECT_EQ(Get("/p?s=y&s=x")->status, 404);
  EXPECT_EQ(Get("/p?s=x")->status, 404);
  const std::vector<Json> requests = server_->Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0]["query"], Json::parse(R"({"s": ["x", "y"]})"));
  EXPECT_EQ(requests[2]["query"], Json::parse(R"({"s": "x"})"));
}

TEST_F(ReplayServerTest, HeaderNamesAreCaseInsensitiveAndNullMeansAbsent) {
  Start(Json::array(
      {Route(R"({"path": "/h", "headers": {"authorization": "Bearer t", "X-Skip": null},
                 "response": {"json": 1}})")}));
  EXPECT_EQ(Get("/h", {{"AUTHORIZATION", "Bearer t"}})->status, 200);
  EXPECT_EQ(Get("/h", {{"Authorization", "bearer t"}})->status, 404);  // values exact
  EXPECT_EQ(Get("/h", {{"Authorization", "Bearer t"}, {"x-skip", "1"}})->status, 404);
  EXPECT_EQ(Get("/h")->status, 404);
}

TEST_F(ReplayServerTest, BodyObjectsMatchAsRecursiveSubsets) {
  Start(Json::array({Route(R"({"method": "POST", "path": "/b",
                              "body": {"pagination": {"token": "t2"}, "ids": [1, 2]},
                              "response": {"json": "subset"}})"),
                     Route(R"({"method": "POST", "path": "/b", "body": "a=1&b=2",
                              "response": {"json": "text"}})"),
                     Route(R"({"method": "POST", "path": "/b", "body": null,
                              "response": {"json": "empty"}})")}));
  auto post = [&](const std::string& body, const char* type) {
    return client_->Post("/b", body, type)->body;
  };
  EXPECT_EQ(post(R"({"pagination":{"token":"t2","limit":10},"ids":[1,2.0],"x":1})",
                 "application/json"),
            R"("subset")");
  EXPECT_EQ(post(R"({"pagination":{"token":"t1"},"ids":[1,2]})", "application/json"),
            R"({"error":"no route"})");
  EXPECT_EQ(post(R"({"pagination":{"token":"t2"},"ids":[1,2,3]})", "application/json"),
            R"({"error":"no route"})");  // arrays must be equal
  EXPECT_EQ(post("a=1&b=2", "application/x-www-form-urlencoded"), R"("text")");
  EXPECT_EQ(post("", "application/json"), R"("empty")");
  const std::vector<Json> requests = server_->Requests();
  EXPECT_EQ(requests[3]["body"], "a=1&b=2");
  EXPECT_TRUE(requests[4]["body"].is_null());
}

TEST_F(ReplayServerTest, JsonIsCompactWithNonAsciiAsIs) {
  Start(Json::array({Route(R"({"path": "/j", "response": {"status": 201,
      "headers": {"X-Extra": "1"}, "json": {"name": "Zoë", "n": [1, 2.5], "o": {}}}})")}));
  auto res = Get("/j");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, "{\"name\":\"Zo\xC3\xAB\",\"n\":[1,2.5],\"o\":{}}");
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(res->get_header_value("X-Extra"), "1");
}

TEST_F(ReplayServerTest, RouteHeadersOverrideTheContentType) {
  Start(Json::array({Route(R"({"path": "/t", "response": {"status": 401,
      "headers": {"Content-Type": "text/html"}, "text": "<b>no</b>"}})")}));
  const std::string raw = RawExchange(server_->port(),
                                      "GET /t HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw,
            "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/html\r\nContent-Length: 9\r\n\r\n"
            "<b>no</b>");
}

TEST_F(ReplayServerTest, GetRequestBodiesAreReadAndMatched) {
  Start(Json::array({Route(R"({"path": "/g", "body": "page_size=1", "response": {"json": 1}})")}));
  const std::string raw = RawExchange(
      server_->port(),
      "GET /g HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 11\r\n\r\npage_size=1"
      "GET /g HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(raw, ::testing::StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(raw, ::testing::HasSubstr("HTTP/1.1 404 Not Found\r\n"));
  const std::vector<Json> requests = server_->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0], Json::parse(R"({"method": "GET", "path": "/g", "query": {},
      "headers": {"Content-Type": "application/x-www-form-urlencoded"},
      "body": "page_size=1"})"));
}

TEST_F(ReplayServerTest, ChunkedBodiesAreDecoded) {
  Start(Json::array({Route(R"({"method": "POST", "path": "/c", "body": {"a": 1},
                              "response": {"json": 1}})")}));
  const std::string raw = RawExchange(
      server_->port(),
      "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      "3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n");
  EXPECT_THAT(raw, ::testing::StartsWith("HTTP/1.1 200 OK\r\n"));
}

TEST_F(ReplayServerTest, RequestsLeaveOutTransportHeaders) {
  Start(Json::array());
  Get("/r?a=1&b=", {{"User-Agent", "airbyte-cpp"}, {"Accept", "*/*"}, {"X-Api-Key", "k"},
                    {"Authorization", "Basic eA=="}});
  Get("/r", {{"User-Agent", "MyApp/1.0"}, {"Accept", "application/json"}});
  const std::vector<Json> requests = server_->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0], Json::parse(R"({"method": "GET", "path": "/r",
      "query": {"a": "1", "b": ""},
      "headers": {"Authorization": "Basic eA==", "X-Api-Key": "k"}, "body": null})"))
      << requests[0].dump();
  EXPECT_EQ(requests[1]["headers"],
            Json::parse(R"({"Accept": "application/json", "User-Agent": "MyApp/1.0"})"))
      << requests[1].dump();
}

TEST(RouteMatchesTest, UnitRules) {
  ReplayRequest request;
  request.method = "GET";
  ParseTarget("/x%2Fy?a=1&a=2&c", request);
  EXPECT_EQ(request.path, "/x/y");
  EXPECT_TRUE(RouteMatches(Json::parse(R"({"path": "/x/y", "query": {"a": ["1", "2"], "c": ""}})"),
                           request));
  EXPECT_FALSE(RouteMatches(Json::parse(R"({"path": "/x/y", "query": {"a": "1"}})"), request));
  EXPECT_FALSE(RouteMatches(Json::parse(R"({"method": "post", "path": "/x/y"})"), request));
  // Query values decode as forms ('+' is a space, bad escapes kept); paths keep '+'.
  EXPECT_EQ(http::DecodeForm("q=a+b%41%zz%").front().second, "a bA%zz%");
  EXPECT_EQ(http::PercentDecode("a+b"), "a+b");
}

std::string Encode(const std::string& text, bool keep_slash) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Sends every request of every expected/requests.jsonl in the suite to a replay server with
// that case's routes: the server must record each exactly as the reference's replay server
// did (path decoding, query decoding and repetition, bodies), by the README section 3 rules.
TEST(ReplayServerSuiteTest, RecordsEveryExpectedRequestOfTheSuiteAsTheReferenceDid) {
  const std::filesystem::path root =
      std::filesystem::path(AIRBYTE_SHARED_DIR) / "conformance" / "declarative";
  if (!std::filesystem::is_directory(root)) GTEST_SKIP() << "no " << root;
  int requests_sent = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().filename() != "case.json") continue;
    const std::filesystem::path dir = entry.path().parent_path();
    const Json spec = Json::parse(std::ifstream(entry.path()));
    Outcome expected;
    expected.requests = LoadOutcome(dir / "expected").requests;
    ReplayServer server(spec["routes"]);
    httplib::Client client("127.0.0.1", server.port());
    client.set_url_encode(false);
    for (const Json& line : expected.requests) {
      httplib::Request request;
      request.method = line["method"].get<std::string>();
      request.path = Encode(line["path"].get<std::string>(), /*keep_slash=*/true);
      std::string query;
      for (const auto& [name, value] : line["query"].items()) {
        const Json values = value.is_array() ? value : Json::array({value});
        for (const Json& v : values) {
          query += (query.empty() ? "?" : "&") + Encode(name, false) + "=" +
                   Encode(v.get<std::string>(), false);
        }
      }
      request.path += query;
      for (const auto& [name, value] : line["headers"].items()) {
        request.headers.emplace(name, value.get<std::string>());
      }
      if (!line["body"].is_null()) {
        request.body = line["body"].is_string() ? line["body"].get<std::string>()
                                                : line["body"].dump();
        if (!request.has_header("Content-Type")) {
          request.headers.emplace("Content-Type", "application/octet-stream");
        }
      }
      EXPECT_TRUE(client.send(request)) << dir;
      ++requests_sent;
    }
    Outcome actual = expected;
    actual.requests = server.Requests();
    const Comparison comparison = Compare(expected, actual);
    for (const std::string& failure : comparison.failures) ADD_FAILURE() << dir << "\n" << failure;
  }
  EXPECT_GT(requests_sent, 100);
}

}  // namespace
}  // namespace airbyte::conformance
