#pragma once

/// What the components of one declarative operation (check, discover or read) share: the
/// template engine with its clock, the HTTP client, the live config (OAuth rotation updates
/// it), the test seams and the caches of one run.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/interpolation/interpolator.h"
#include "http/http_client.h"

namespace airbyte::declarative {

struct Runtime {
  Runtime(Json config_in, std::function<std::int64_t()> now_micros_in,
          http::ClientOptions http_options, std::function<void(std::chrono::milliseconds)> sleep_in)
      : interpolator({.now_micros = now_micros_in}),
        http(std::move(http_options)),
        config(std::move(config_in)),
        now_micros(std::move(now_micros_in)),
        sleep(std::move(sleep_in)) {}

  Interpolator interpolator;
  http::HttpClient http;
  /// The connector config; OAuth refresh-token rotation writes new tokens into it.
  Json config;
  std::function<std::int64_t()> now_micros;
  std::function<void(std::chrono::milliseconds)> sleep;
  /// Emits a CONTROL message with the updated config (set during read; empty otherwise).
  std::function<void(const Json& config)> emit_control = {};
  /// Set once an OAuth refresh-token rotation has written new tokens into `config`.
  bool config_rotated = false;
  /// Responses of cached requesters (parents of substreams), by method, URL and body.
  std::map<std::string, http::Response> response_cache = {};
  /// Session tokens of LegacySessionTokenAuthenticators, by definition: one login per run.
  std::map<std::string, std::string> session_tokens = {};
};

}  // namespace airbyte::declarative
