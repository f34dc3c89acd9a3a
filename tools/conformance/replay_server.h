#pragma once

/// The conformance suite's replay server (shared/conformance/README.md section 1.2): serves a
/// case's canned `routes` over HTTP on 127.0.0.1 and records every request it receives.
///
/// Example:
///   conformance::ReplayServer server(case_json["routes"]);
///   // ... send requests to server.base_url() + "/path" ...
///   std::vector<Json> requests = server.Requests();  // requests.jsonl lines, in order
///
/// The server listens on an ephemeral port and answers on its own thread from construction
/// until destruction. Requests() may be called from any thread. Throws Error(kIo) when it
/// cannot listen.

#include <memory>
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

/// Decodes percent escapes; `plus_as_space` for application/x-www-form-urlencoded text.
std::string PercentDecode(const std::string& text, bool plus_as_space);

class ReplayServer {
 public:
  /// Starts serving `routes` (a JSON array). Throws Error(kInput) if it is not an array.
  explicit ReplayServer(Json routes);
  ~ReplayServer();
  ReplayServer(const ReplayServer&) = delete;
  ReplayServer& operator=(const ReplayServer&) = delete;

  int port() const;
  /// "http://127.0.0.1:<port>".
  std::string base_url() const;
  /// A copy of the requests received so far, as requests.jsonl lines.
  std::vector<Json> Requests() const;
  /// Stops serving and joins the server thread; the destructor calls it.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace airbyte::conformance
