#include "replay_routes.h"

#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "http/url.h"
#include "util/strings.h"

namespace airbyte::conformance {
namespace {

// Route values are strings; anything else is compared by its JSON text.
std::string AsText(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

const std::string* FindHeader(const ReplayRequest& request, std::string_view name) {
  const std::string lower = util::AsciiLower(name);
  for (const auto& [key, value] : request.headers) {
    if (util::AsciiLower(key) == lower) return &value;
  }
  return nullptr;
}

bool QueryMatches(const Json& expected, const ReplayRequest& request) {
  for (const auto& [name, want] : expected.items()) {
    std::vector<std::string> got;
    for (const auto& [key, value] : request.query) {
      if (key == name) got.push_back(value);
    }
    if (want.is_null()) {
      if (!got.empty()) return false;
    } else if (want.is_array()) {
      if (got.size() != want.size()) return false;
      for (std::size_t i = 0; i < got.size(); ++i) {
        if (got[i] != AsText(want[i])) return false;
      }
    } else if (got.size() != 1 || got[0] != AsText(want)) {
      return false;
    }
  }
  return true;
}

bool HeadersMatch(const Json& expected, const ReplayRequest& request) {
  for (const auto& [name, want] : expected.items()) {
    const std::string* got = FindHeader(request, name);
    if (want.is_null()) {
      if (got != nullptr) return false;
    } else if (got == nullptr || *got != AsText(want)) {
      return false;
    }
  }
  return true;
}

bool BodyMatches(const Json& expected, const Json& actual) {
  if (!expected.is_object()) return expected == actual;  // numbers compare numerically
  if (!actual.is_object()) return false;
  for (const auto& [key, value] : expected.items()) {
    auto it = actual.find(key);
    if (it == actual.end() || !BodyMatches(value, *it)) return false;
  }
  return true;
}

// Headers any HTTP client adds by itself (README section 2), left out of requests.jsonl.
bool IsTransportHeader(const std::string& name, const std::string& value) {
  const std::string lower = util::AsciiLower(name);
  return lower == "host" || lower == "content-length" || lower == "connection" ||
         lower == "transfer-encoding" || lower == "accept-encoding" ||
         (lower == "expect" && util::AsciiLower(value) == "100-continue") ||
         (lower == "accept" && value == "*/*") ||
         (lower == "user-agent" && value == "airbyte-cpp");
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
  }
}
}  // namespace

void ParseTarget(const std::string& target, ReplayRequest& request) {
  const std::size_t question = target.find('?');
  request.path = http::PercentDecode(target.substr(0, question));
  request.query.clear();
  if (question == std::string::npos) return;
  std::string_view rest = std::string_view(target).substr(question + 1);
  const std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  request.query = http::DecodeForm(rest);
}

bool RouteMatches(const Json& route, const ReplayRequest& request) {
  const std::string method =
      route.contains("method") && route["method"].is_string() ? route["method"].get<std::string>()
                                                              : "GET";
  if (util::AsciiUpper(method) != request.method) return false;
  if (route.contains("path") && route["path"].is_string() &&
      route["path"].get<std::string>() != request.path) {
    return false;
  }
  if (route.contains("query") && route["query"].is_object() &&
      !QueryMatches(route["query"], request)) {
    return false;
  }
  if (route.contains("headers") && route["headers"].is_object() &&
      !HeadersMatch(route["headers"], request)) {
    return false;
  }
  if (route.contains("body") && !BodyMatches(route["body"], request.body)) return false;
  return true;
}

Json RequestRecord(const ReplayRequest& request) {
  Json query = Json::object();
  for (const auto& [name, value] : request.query) {
    auto it = query.find(name);
    if (it == query.end()) {
      query[name] = value;
    } else if (it->is_array()) {
      it->push_back(value);
    } else {
      *it = Json::array({*it, value});
    }
  }
  Json headers = Json::object();
  for (const auto& [name, value] : request.headers) {
    if (!IsTransportHeader(name, value) && !headers.contains(name)) headers[name] = value;
  }
  Json record = Json::object();
  record["method"] = request.method;
  record["path"] = request.path;
  record["query"] = std::move(query);
  record["headers"] = std::move(headers);
  record["body"] = request.body;
  return record;
}

// The HTTP response text for the first matching route (or the 404 "no route" answer).
std::string BuildResponse(const Json& routes, const ReplayRequest& request, bool head) {
  int status = 404;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body = R"({"error":"no route"})";
  std::string content_type = "application/json";
  for (const Json& route : routes) {
    if (!RouteMatches(route, request)) continue;
    const Json empty = Json::object();
    const Json& response = route.contains("response") ? route["response"] : empty;
    status = response.contains("status") ? response["status"].get<int>() : 200;
    body.clear();
    content_type.clear();
    if (response.contains("json")) {
      body = response["json"].dump(-1, ' ', /*ensure_ascii=*/false,
                                   nlohmann::ordered_json::error_handler_t::replace);
      content_type = "application/json";
    } else if (response.contains("text") && response["text"].is_string()) {
      body = response["text"].get<std::string>();
      content_type = "text/plain; charset=utf-8";
    }
    if (response.contains("headers") && response["headers"].is_object()) {
      for (const auto& [name, value] : response["headers"].items()) {
        if (util::AsciiLower(name) == "content-type") content_type.clear();
        if (util::AsciiLower(name) == "content-length") continue;
        headers.emplace_back(name, AsText(value));
      }
    }
    break;
  }
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " +
                    std::string(ReasonPhrase(status)) + "\r\n";
  if (!content_type.empty()) out += "Content-Type: " + content_type + "\r\n";
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  if (!head) out += body;
  return out;
}

}  // namespace airbyte::conformance
