#include "connectors/smoke_test/smoke_test_scenarios.h"

#include <array>
#include <cstdio>
#include <string_view>
#include <utility>

namespace airbyte::connectors {
namespace {

// The fixtures below are the facts of PyAirbyte's _scenarios.py (names, schemas, keys and
// values), written as JSON text: Json keeps the key order, which is the column order.

// A draft-07 object schema with `properties` (JSON text of an object).
Json ObjectSchema(std::string_view properties) {
  Json schema = Json::object();
  schema["$schema"] = "http://json-schema.org/draft-07/schema#";
  schema["type"] = "object";
  schema["properties"] = Json::parse(properties);
  return schema;
}

// JSON text of an array of objects.
std::vector<Json> Records(std::string_view array) {
  std::vector<Json> records;
  for (Json& record : Json::parse(array)) records.push_back(std::move(record));
  return records;
}

std::vector<protocol::FieldPath> IdKey() { return {{"id"}}; }

Scenario Inline(std::string name, std::string_view properties, std::string_view records,
                std::optional<std::vector<protocol::FieldPath>> primary_key = IdKey()) {
  return Scenario{.name = std::move(name),
                  .json_schema = ObjectSchema(properties),
                  .primary_key = std::move(primary_key),
                  .records = Records(records)};
}

constexpr std::string_view kIdValueProperties =
    R"({"id": {"type": "integer"}, "value": {"type": "string"}})";

std::string WideColumnName(int i) {
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "col_%03d", i);
  return buffer.data();
}

Scenario WideTable() {
  Scenario scenario{.name = "wide_table_50_columns",
                    .json_schema = ObjectSchema(R"({"id": {"type": "integer"}})"),
                    .primary_key = IdKey()};
  Json full = {{"id", 1}};
  Json empty = {{"id", 2}};
  for (int i = 1; i < 50; ++i) {
    const std::string column = WideColumnName(i);
    scenario.json_schema["properties"][column] = {{"type", {"null", "string"}}};
    full[column] = "val_" + std::to_string(i);
    empty[column] = nullptr;
  }
  scenario.records = {std::move(full), std::move(empty)};
  return scenario;
}

// The fixtures read best laid out as the JSON they are.
// clang-format off
std::vector<Scenario> BuildScenarios() {
  std::vector<Scenario> scenarios;
  scenarios.push_back(Inline("basic_types",
      R"({"id": {"type": "integer"}, "name": {"type": "string"},
          "amount": {"type": "number"}, "is_active": {"type": "boolean"}})",
      R"([{"id": 1, "name": "Alice", "amount": 100.5, "is_active": true},
          {"id": 2, "name": "Bob", "amount": 0.0, "is_active": false},
          {"id": 3, "name": "", "amount": -99.99, "is_active": true}])"));
  scenarios.push_back(Inline("timestamp_types",
      R"({"id": {"type": "integer"},
          "created_date": {"type": "string", "format": "date"},
          "updated_at": {"type": "string", "format": "date-time"},
          "epoch_seconds": {"type": "integer"}})",
      R"([{"id": 1, "created_date": "2024-01-15", "updated_at": "2024-01-15T10:30:00Z",
           "epoch_seconds": 1705312200},
          {"id": 2, "created_date": "1970-01-01", "updated_at": "1970-01-01T00:00:00+00:00",
           "epoch_seconds": 0},
          {"id": 3, "created_date": "2099-12-31", "updated_at": "2099-12-31T23:59:59.999999Z",
           "epoch_seconds": 4102444799}])"));
  scenarios.push_back(Inline("large_decimals_and_numbers",
      R"({"id": {"type": "integer"}, "big_integer": {"type": "integer"},
          "precise_decimal": {"type": "number"}, "small_decimal": {"type": "number"}})",
      R"([{"id": 1, "big_integer": 9999999999999999, "precise_decimal": 3.141592653589793,
           "small_decimal": 0.000001},
          {"id": 2, "big_integer": -9999999999999999, "precise_decimal": -0.1,
           "small_decimal": 1e-10},
          {"id": 3, "big_integer": 0, "precise_decimal": 99999999.99999999,
           "small_decimal": 0.0}])"));
  scenarios.push_back(Inline("nested_json_objects",
      R"({"id": {"type": "integer"},
          "metadata": {"type": "object", "properties": {
              "source": {"type": "string"},
              "tags": {"type": "array", "items": {"type": "string"}}}},
          "nested_deep": {"type": "object", "properties": {
              "level1": {"type": "object", "properties": {
                  "level2": {"type": "object", "properties": {
                      "value": {"type": "string"}}}}}}},
          "items_array": {"type": "array", "items": {"type": "object", "properties": {
              "sku": {"type": "string"}, "qty": {"type": "integer"}}}}})",
      R"([{"id": 1, "metadata": {"source": "api", "tags": ["a", "b", "c"]},
           "nested_deep": {"level1": {"level2": {"value": "deep"}}},
           "items_array": [{"sku": "ABC", "qty": 10}]},
          {"id": 2, "metadata": {"source": "manual", "tags": []},
           "nested_deep": {"level1": {"level2": {"value": ""}}},
           "items_array": []}])"));
  scenarios.push_back(Inline("null_handling",
      R"({"id": {"type": "integer"},
          "nullable_string": {"type": ["null", "string"]},
          "nullable_integer": {"type": ["null", "integer"]},
          "nullable_number": {"type": ["null", "number"]},
          "nullable_boolean": {"type": ["null", "boolean"]},
          "nullable_object": {"type": ["null", "object"],
                              "properties": {"key": {"type": "string"}}},
          "always_null": {"type": ["null", "string"]}})",
      R"([{"id": 1, "nullable_string": "present", "nullable_integer": 42,
           "nullable_number": 3.141592653589793, "nullable_boolean": true,
           "nullable_object": {"key": "val"}, "always_null": null},
          {"id": 2, "nullable_string": null, "nullable_integer": null,
           "nullable_number": null, "nullable_boolean": null,
           "nullable_object": null, "always_null": null},
          {"id": 3, "nullable_string": "", "nullable_integer": 0,
           "nullable_number": 0.0, "nullable_boolean": false,
           "nullable_object": {}, "always_null": null}])"));
  scenarios.push_back(Inline("column_naming_edge_cases",
      R"({"id": {"type": "integer"}, "CamelCaseColumn": {"type": "string"},
          "ALLCAPS": {"type": "string"}, "snake_case_column": {"type": "string"},
          "column-with-dashes": {"type": "string"}, "column.with.dots": {"type": "string"},
          "column with spaces": {"type": "string"}, "select": {"type": "string"},
          "from": {"type": "string"}, "order": {"type": "string"},
          "group": {"type": "string"}})",
      R"([{"id": 1, "CamelCaseColumn": "camel", "ALLCAPS": "caps",
           "snake_case_column": "snake", "column-with-dashes": "dashes",
           "column.with.dots": "dots", "column with spaces": "spaces",
           "select": "reserved_select", "from": "reserved_from",
           "order": "reserved_order", "group": "reserved_group"}])"));
  scenarios.push_back(Inline("table_naming_edge_cases", kIdValueProperties,
      R"([{"id": 1, "value": "table_name_test"}])"));
  scenarios.push_back(Inline("CamelCaseStreamName", kIdValueProperties,
      R"([{"id": 1, "value": "camel_case_stream_test"}])"));
  scenarios.push_back(WideTable());
  scenarios.push_back(Inline("empty_stream", kIdValueProperties, "[]"));
  scenarios.push_back(Inline("single_record_stream", kIdValueProperties,
      R"([{"id": 1, "value": "only_record"}])"));
  Scenario large_batch = Inline("large_batch_stream",
      R"({"id": {"type": "integer"}, "name": {"type": "string"},
          "value": {"type": "number"}, "category": {"type": "string"}})",
      "[]");
  large_batch.generator = RecordGenerator::kLargeBatch;
  large_batch.high_volume = true;
  scenarios.push_back(std::move(large_batch));
  scenarios.push_back(Inline("unicode_and_special_strings",
      R"({"id": {"type": "integer"}, "unicode_text": {"type": "string"},
          "special_chars": {"type": "string"}})",
      R"([{"id": 1, "unicode_text": "Hello World", "special_chars": "line1\nline2\ttab"},
          {"id": 2, "unicode_text": "Caf\u00e9 na\u00efve r\u00e9sum\u00e9",
           "special_chars": "quote\"inside"},
          {"id": 3, "unicode_text": "\u4f60\u597d\u4e16\u754c", "special_chars": "back\\slash"},
          {"id": 4, "unicode_text": "\u0410\u0411\u0412\u0413", "special_chars": ""}])"));
  scenarios.push_back(Inline("schema_with_no_primary_key",
      R"({"event_id": {"type": "string"}, "event_type": {"type": "string"},
          "payload": {"type": "string"}})",
      R"([{"event_id": "evt_001", "event_type": "click", "payload": "{}"},
          {"event_id": "evt_001", "event_type": "click", "payload": "{}"},
          {"event_id": "evt_002", "event_type": "view", "payload": "{\"page\": \"home\"}"}])",
      std::nullopt));
  scenarios.push_back(Inline("long_column_names",
      R"({"id": {"type": "integer"},
          "a_very_long_column_name_that_exceeds_typical_database_limits_and_should_be_truncated_or_handled_gracefully_by_the_destination": {"type": "string"},
          "another_extremely_verbose_column_name_designed_to_test_the_absolute_maximum_length_that_any_reasonable_database_would_support": {"type": "string"}})",
      R"([{"id": 1,
           "a_very_long_column_name_that_exceeds_typical_database_limits_and_should_be_truncated_or_handled_gracefully_by_the_destination": "long_col_1",
           "another_extremely_verbose_column_name_designed_to_test_the_absolute_maximum_length_that_any_reasonable_database_would_support": "long_col_2"}])"));
  scenarios.push_back(Inline("duplicate_primary_keys",
      R"({"id": {"type": "integer"}, "name": {"type": "string"},
          "updated_value": {"type": "string"}})",
      R"([{"id": 1, "name": "Alice", "updated_value": "first"},
          {"id": 2, "name": "Bob", "updated_value": "first"},
          {"id": 1, "name": "Alice", "updated_value": "second"},
          {"id": 3, "name": "Charlie", "updated_value": "first"},
          {"id": 2, "name": "Bob", "updated_value": "second"},
          {"id": 1, "name": "Alice", "updated_value": "third"}])"));
  scenarios.push_back(Inline("time_types",
      R"({"id": {"type": "integer"},
          "time_no_tz": {"type": "string", "format": "time",
                         "airbyte_type": "time_without_timezone"},
          "time_with_tz": {"type": "string", "format": "time",
                           "airbyte_type": "time_with_timezone"},
          "timestamp_no_tz": {"type": "string", "format": "date-time",
                              "airbyte_type": "timestamp_without_timezone"}})",
      R"([{"id": 1, "time_no_tz": "10:30:00", "time_with_tz": "10:30:00+05:30",
           "timestamp_no_tz": "2024-01-15T10:30:00"},
          {"id": 2, "time_no_tz": "00:00:00", "time_with_tz": "00:00:00Z",
           "timestamp_no_tz": "1970-01-01T00:00:00"},
          {"id": 3, "time_no_tz": "23:59:59.999999", "time_with_tz": "23:59:59.999999-08:00",
           "timestamp_no_tz": "2099-12-31T23:59:59.999999"}])"));
  scenarios.push_back(Inline("union_types",
      R"({"id": {"type": "integer"},
          "string_or_integer": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
          "number_or_null": {"oneOf": [{"type": "number"}, {"type": "null"}]},
          "object_or_string": {"oneOf": [
              {"type": "object", "properties": {"key": {"type": "string"}}},
              {"type": "string"}]}})",
      R"([{"id": 1, "string_or_integer": "hello", "number_or_null": 3.141592653589793,
           "object_or_string": {"key": "value"}},
          {"id": 2, "string_or_integer": 42, "number_or_null": null,
           "object_or_string": "just_a_string"},
          {"id": 3, "string_or_integer": "", "number_or_null": 0.0,
           "object_or_string": {}}])"));
  return scenarios;
}
// clang-format on

constexpr std::array<std::string_view, 5> kLargeBatchCategories = {"cat_a", "cat_b", "cat_c",
                                                                   "cat_d", "cat_e"};

std::string LargeBatchName(std::int64_t id) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "record_%06lld", static_cast<long long>(id));
  return buffer.data();
}

}  // namespace

const std::vector<Scenario>& PredefinedScenarios() {
  static const std::vector<Scenario> scenarios = BuildScenarios();
  return scenarios;
}

std::vector<protocol::FieldValue> LargeBatchRecordValues(std::int64_t id) {
  std::vector<protocol::FieldValue> values;
  values.reserve(4);
  values.emplace_back(id);
  values.emplace_back(LargeBatchName(id));
  values.emplace_back(static_cast<double>(id) * 1.1);
  values.emplace_back(std::string(kLargeBatchCategories[static_cast<std::size_t>(id % 5)]));
  return values;
}

std::vector<Json> ScenarioRecords(const Scenario& scenario, std::int64_t large_batch_count) {
  if (scenario.generator == RecordGenerator::kInline) return scenario.records;
  std::vector<Json> records;
  for (std::int64_t id = 1; id <= large_batch_count; ++id) {
    records.push_back(Json{{"id", id},
                           {"name", LargeBatchName(id)},
                           {"value", static_cast<double>(id) * 1.1},
                           {"category", kLargeBatchCategories[static_cast<std::size_t>(id % 5)]}});
  }
  return records;
}

}  // namespace airbyte::connectors
