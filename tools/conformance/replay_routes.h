#pragma once

/// The replay server's rules without the server (shared/conformance/README.md section 1.2
/// matching and responses, section 2 request records). Pure functions, thread-safe.

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"

namespace airbyte::conformance {

/// One received request in the form the matching rules use.
struct ReplayRequest {
  std::string method = {};  // upper case
  std::string path = {};    // percent-decoded
  /// (name, value) pairs, form-decoded, in request order.
  std::vector<std::pair<std::string, std::string>> query = {};
  /// (name, value) pairs as received.
  std::vector<std::pair<std::string, std::string>> headers = {};
  /// Parsed JSON body; a string when it is not JSON; null when empty.
  Json body = {};
};

/// True when `route` (a routes[] entry) matches `request` by the rules of README section 1.2.
bool RouteMatches(const Json& route, const ReplayRequest& request);

/// The requests.jsonl line for `request`: transport headers left out (README section 2).
Json RequestRecord(const ReplayRequest& request);

/// Splits a request target ("/a%20b?x=1&y=+") into a ReplayRequest's path and query.
void ParseTarget(const std::string& target, ReplayRequest& request);


/// The whole HTTP/1.1 response (status line, headers, Content-Length, body unless `head`) of
/// the first route in `routes` matching `request`, or the 404 {"error":"no route"} answer.
std::string BuildResponse(const Json& routes, const ReplayRequest& request, bool head);

}  // namespace airbyte::conformance
