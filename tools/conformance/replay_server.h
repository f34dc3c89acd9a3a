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
#include "replay_routes.h"

namespace airbyte::conformance {

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
