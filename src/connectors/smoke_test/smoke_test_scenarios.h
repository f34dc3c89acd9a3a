#pragma once

/// The predefined scenarios of PyAirbyte's smoke-test source
/// (airbyte/cli/smoke_test_source/_scenarios.py): test fixtures that cover what commonly
/// breaks destinations (types, nulls, naming, wide and empty tables, unicode, duplicates).
///
/// Example:
///   for (const Scenario& scenario : PredefinedScenarios()) {
///     std::vector<Json> records = ScenarioRecords(scenario, /*large_batch_count=*/1000);
///   }

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "protocol/message.h"

namespace airbyte::connectors {

/// Records of `large_batch_stream` when the config does not say otherwise.
inline constexpr std::int64_t kDefaultLargeBatchCount = 1000;

/// How a scenario's records come about.
enum class RecordGenerator { kInline, kLargeBatch };

/// One stream of the smoke-test source.
struct Scenario {
  std::string name = {};
  /// Draft-07 JSON schema of the stream; property order is the column order.
  Json json_schema = Json::object();
  /// nullopt: the stream has no primary key.
  std::optional<std::vector<protocol::FieldPath>> primary_key = {};
  /// Records for kInline (each a JSON object).
  std::vector<Json> records = {};
  RecordGenerator generator = RecordGenerator::kInline;
  /// A slow (high-volume) scenario: only selected by `all_slow_streams` or by name.
  bool high_volume = false;
};

/// The predefined scenarios, in PyAirbyte's order. Built once; thread-safe.
const std::vector<Scenario>& PredefinedScenarios();

/// Record number `id` (1-based) of `large_batch_stream` as typed values, in the order of its
/// schema's properties: id, name ("record_000042"), value (id * 1.1), category ("cat_a".."cat_e").
std::vector<protocol::FieldValue> LargeBatchRecordValues(std::int64_t id);

/// All records of a scenario as JSON objects; `large_batch_count` sizes the generated stream.
std::vector<Json> ScenarioRecords(const Scenario& scenario, std::int64_t large_batch_count);

}  // namespace airbyte::connectors
