#pragma once

// Shared fixture of the interpolation tests: a frozen clock and a sample context.

#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "connectors/declarative/interpolation/interpolator.h"

namespace airbyte::declarative {

// 2024-05-01T02:30:00.123456Z
inline constexpr std::int64_t kFrozenNowMicros = 1'714'530'600'123'456;

class InterpolationTest : public ::testing::Test {
 protected:
  Interpolator interp_{
      {.now_micros = [] { return kFrozenNowMicros; },
       .new_uuid = [] { return std::string("00000000-0000-4000-8000-000000000000"); }}};
  Json ctx_ = Json::parse(R"({
    "config": {"api_key": "k-123", "start_date": "2024-01-15T10:00:00Z", "country": ["us", "fr"],
               "limit": 50, "empty": "", "flag": true, "nested": {"a": {"b": 7}}, "none": null,
               "start": "20240115", "project": "en.wikipedia", "ratio": 0.5},
    "parameters": {"name": "users", "path": "/users"},
    "stream_slice": {"start_time": "2024-01-01", "end_time": "2024-01-31", "id": "abc"},
    "next_page_token": {"next_page_token": 2},
    "response": {"next": {"page": 3}, "items": [1, 2, 3], "links": {"next": null}},
    "headers": {"link": {"next": {"url": "https://x/?page=2", "rel": "next"}}},
    "record": {"id": 1, "name": "Ada", "tags": ["a", "b"], "updated": "2024-02-01"}
  })");

  std::string R(std::string_view t) { return interp_.Render(t, ctx_); }
  Json E(std::string_view t) { return interp_.Eval(t, ctx_); }
  bool B(std::string_view t) { return interp_.EvalBoolean(t, ctx_); }
};

}  // namespace airbyte::declarative
