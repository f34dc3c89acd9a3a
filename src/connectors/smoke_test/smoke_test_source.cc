#include "connectors/smoke_test/smoke_test_source.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "airbyte/error.h"
#include "connectors/smoke_test/smoke_test_scenarios.h"

namespace airbyte::connectors {
namespace {

constexpr std::string_view kName = "source-smoke-test";
constexpr std::string_view kDocumentationUrl =
    "https://docs.airbyte.com/integrations/sources/smoke-test";

// What a config selects: the scenarios in PyAirbyte's order (predefined first, then custom),
// deduplicated by name.
struct Selection {
  std::vector<Scenario> scenarios = {};
  std::int64_t large_batch_count = kDefaultLargeBatchCount;
  std::optional<std::string> namespace_ = {};
};

// Python truthiness of a config value, as PyAirbyte's `config.get(key, default)` tests it.
bool Truthy(const Json& config, const char* key, bool default_value) {
  const auto it = config.find(key);
  if (it == config.end()) return default_value;
  const Json& value = *it;
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_null()) return false;
  if (value.is_number_float()) return value.get<double>() != 0.0;
  if (value.is_number()) return value.get<std::int64_t>() != 0;
  if (value.is_string() || value.is_array() || value.is_object()) return !value.empty();
  return default_value;
}

const Json* Member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool IsNonEmptyString(const Json* value) {
  return value != nullptr && value->is_string() && !value->get_ref<const std::string&>().empty();
}

Error ConfigError(std::string message, std::string field) {
  return Error(ErrorKind::kInput, std::move(message),
               {.context = {{"connector", std::string(kName)}, {"field", std::move(field)}}});
}

std::optional<std::vector<protocol::FieldPath>> PrimaryKeyFromJson(const Json& value,
                                                                   const std::string& stream) {
  if (value.is_null()) return std::nullopt;
  std::vector<protocol::FieldPath> key;
  bool valid = value.is_array();
  if (valid) {
    for (const Json& path : value) {
      valid = valid && path.is_array();
      if (!valid) break;
      protocol::FieldPath field_path;
      for (const Json& part : path) {
        valid = valid && part.is_string();
        if (valid) field_path.push_back(part.get<std::string>());
      }
      key.push_back(std::move(field_path));
    }
  }
  if (!valid) {
    throw ConfigError("Custom scenario '" + stream +
                          "' has an invalid 'primary_key': expected an array of key paths "
                          "(arrays of strings) or null.",
                      "custom_scenarios");
  }
  return key;
}

// Throws Error(kInput) for values a read cannot use; anything PyAirbyte tolerates is tolerated.
Selection Select(const Json& config_in) {
  const Json config = config_in.is_object() ? config_in : Json::object();
  Selection selection;
  if (const Json* count = Member(config, "large_batch_record_count")) {
    if (!count->is_number_integer()) {
      throw ConfigError("'large_batch_record_count' must be an integer.",
                        "large_batch_record_count");
    }
    selection.large_batch_count =
        count->is_number_unsigned() &&
                count->get<std::uint64_t>() >
                    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
            ? std::numeric_limits<std::int64_t>::max()
            : count->get<std::int64_t>();
  }
  if (const Json* ns = Member(config, "namespace"); ns != nullptr && !ns->is_null()) {
    if (!ns->is_string()) throw ConfigError("'namespace' must be a string.", "namespace");
    if (!ns->get_ref<const std::string&>().empty()) selection.namespace_ = ns->get<std::string>();
  }

  const bool include_fast = Truthy(config, "all_fast_streams", true);
  const bool include_slow = Truthy(config, "all_slow_streams", false);
  std::set<std::string> explicit_names;
  if (const Json* filter = Member(config, "scenario_filter"); filter && filter->is_array()) {
    for (const Json& name : *filter) {
      if (name.is_string()) explicit_names.insert(name.get<std::string>());
    }
  }

  std::set<std::string> seen;
  for (const Scenario& scenario : PredefinedScenarios()) {
    const bool by_flag = scenario.high_volume ? include_slow : include_fast;
    if (!by_flag && !explicit_names.contains(scenario.name)) continue;
    if (seen.insert(scenario.name).second) selection.scenarios.push_back(scenario);
  }

  const Json* custom = Member(config, "custom_scenarios");
  if (custom == nullptr || !custom->is_array()) return selection;
  for (const Json& entry : *custom) {
    if (!entry.is_object()) continue;
    const Json* name = Member(entry, "name");
    const Json* schema = Member(entry, "json_schema");
    // Python skips a falsy name or schema (an empty schema object included).
    if (!IsNonEmptyString(name) || schema == nullptr || !schema->is_object() || schema->empty()) {
      continue;
    }
    const std::string& stream = name->get_ref<const std::string&>();
    if (!seen.insert(stream).second) continue;
    Scenario scenario{.name = stream, .json_schema = *schema};
    if (const Json* key = Member(entry, "primary_key")) {
      scenario.primary_key = PrimaryKeyFromJson(*key, stream);
    }
    if (const Json* records = Member(entry, "records"); records && records->is_array()) {
      for (const Json& record : *records) {
        if (record.is_object()) scenario.records.push_back(record);
      }
    }
    selection.scenarios.push_back(std::move(scenario));
  }
  return selection;
}

// PyAirbyte's custom-scenario checks, with its messages; empty when fine.
std::string ValidateCustomScenarios(const Json& config) {
  const Json* custom = Member(config, "custom_scenarios");
  if (custom == nullptr) return "";
  if (!custom->is_array()) return "'custom_scenarios' must be an array of objects.";
  for (std::size_t i = 0; i < custom->size(); ++i) {
    const Json& entry = (*custom)[i];
    const std::string index = std::to_string(i);
    if (!entry.is_object()) return "Custom scenario at index " + index + " must be an object.";
    const Json* name = Member(entry, "name");
    if (!IsNonEmptyString(name)) return "Custom scenario at index " + index + " is missing 'name'.";
    const std::string& stream = name->get_ref<const std::string&>();
    const Json* schema = Member(entry, "json_schema");
    if (schema == nullptr || !schema->is_object()) {
      return "Custom scenario '" + stream + "' must provide 'json_schema' as an object.";
    }
    const Json* records = Member(entry, "records");
    if (records == nullptr) continue;
    if (!records->is_array()) {
      return "Custom scenario '" + stream +
             "' has invalid 'records': expected an array of objects.";
    }
    for (std::size_t j = 0; j < records->size(); ++j) {
      if (!(*records)[j].is_object()) {
        return "Custom scenario '" + stream + "' record at index " + std::to_string(j) +
               " must be an object.";
      }
    }
  }
  return "";
}

std::int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

protocol::Message StatusMessage(const std::string& stream,
                                const std::optional<std::string>& namespace_,
                                protocol::StreamStatus status) {
  return protocol::Message(protocol::TraceMessage{
      .type = protocol::TraceType::kStreamStatus,
      .emitted_at = static_cast<double>(NowMillis()),
      .stream_status = protocol::StreamStatusTrace{
          .stream_descriptor = {.name = stream, .namespace_ = namespace_}, .status = status}});
}

protocol::Message LogLine(protocol::LogLevel level, std::string text) {
  return protocol::Message(protocol::LogMessage{.level = level, .message = std::move(text)});
}

// A top-level value as a typed field, or nullopt for a number that int64 cannot hold.
std::optional<protocol::FieldValue> ToFieldValue(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return protocol::FieldValue{};
    case Json::value_t::boolean:
      return protocol::FieldValue{value.get<bool>()};
    case Json::value_t::number_integer:
      return protocol::FieldValue{value.get<std::int64_t>()};
    case Json::value_t::number_unsigned:
      if (value.get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return std::nullopt;
      }
      return protocol::FieldValue{value.get<std::int64_t>()};
    case Json::value_t::number_float:
      return protocol::FieldValue{value.get<double>()};
    case Json::value_t::string:
      return protocol::FieldValue{value.get<std::string>()};
    case Json::value_t::object:
    case Json::value_t::array:
      return protocol::FieldValue{protocol::RawJson{value.dump()}};
    default:
      return std::nullopt;
  }
}

// Typed values when the record's keys are exactly `fields`, in order; else nullopt.
std::optional<std::vector<protocol::FieldValue>> TypedValues(
    const Json& record, const std::vector<std::string>& fields) {
  if (record.size() != fields.size()) return std::nullopt;
  std::vector<protocol::FieldValue> values;
  values.reserve(fields.size());
  std::size_t i = 0;
  for (auto it = record.begin(); it != record.end(); ++it, ++i) {
    if (it.key() != fields[i]) return std::nullopt;
    std::optional<protocol::FieldValue> value = ToFieldValue(it.value());
    if (!value) return std::nullopt;
    values.push_back(std::move(*value));
  }
  return values;
}

std::shared_ptr<const std::vector<std::string>> SchemaFields(const Json& schema) {
  auto fields = std::make_shared<std::vector<std::string>>();
  if (const Json* properties = Member(schema, "properties");
      properties && properties->is_object()) {
    for (auto it = properties->begin(); it != properties->end(); ++it) fields->push_back(it.key());
  }
  return fields;
}

class SmokeTestSource final : public NativeConnector {
 public:
  std::string_view name() const override { return kName; }

  protocol::ConnectorSpecification Spec() const override {
    return protocol::ConnectorSpecification{
        .connection_specification = Json::parse(kConnectionSpecification),
        .documentation_url = std::string(kDocumentationUrl)};
  }

  protocol::ConnectionStatus Check(const Json& config) const override {
    const Json object = config.is_object() ? config : Json::object();
    if (std::string problem = ValidateCustomScenarios(object); !problem.empty()) {
      return Failed(std::move(problem));
    }
    try {
      if (Select(object).scenarios.empty()) {
        return Failed("No scenarios available. Check scenario_filter config.");
      }
    } catch (const Error& e) {
      return Failed(e.message());
    }
    return protocol::ConnectionStatus{.status = protocol::ConnectionStatusValue::kSucceeded};
  }

  protocol::AirbyteCatalog Discover(const Json& config) const override {
    Selection selection = Select(config);
    protocol::AirbyteCatalog catalog;
    for (Scenario& scenario : selection.scenarios) {
      catalog.streams.push_back(
          protocol::AirbyteStream{.name = scenario.name,
                                  .json_schema = std::move(scenario.json_schema),
                                  .supported_sync_modes = {protocol::SyncMode::kFullRefresh},
                                  .source_defined_cursor = false,
                                  .source_defined_primary_key = std::move(scenario.primary_key),
                                  .namespace_ = selection.namespace_});
    }
    return catalog;
  }

  void Read(const Json& config, const protocol::ConfiguredAirbyteCatalog& catalog,
            const std::vector<protocol::StateMessage>& /*state*/,
            MessageSink& sink) const override {
    const Selection selection = Select(config);
    const std::int64_t now_ms = NowMillis();
    std::set<std::string> done;
    for (const protocol::ConfiguredAirbyteStream& configured : catalog.streams) {
      const std::string& stream = configured.stream.name;
      if (!done.insert(stream).second) continue;
      const Scenario* scenario = Find(selection, stream);
      if (scenario == nullptr) {
        if (!sink.Emit(LogLine(protocol::LogLevel::kWarn,
                               "Stream '" + stream + "' not found in scenarios, skipping."))) {
          return;
        }
        continue;
      }
      if (!ReadStream(*scenario, selection, now_ms, sink)) return;
    }
  }

 private:
  static constexpr std::string_view kConnectionSpecification = R"json({
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Smoke Test Source Spec",
    "type": "object",
    "required": [],
    "properties": {
      "custom_scenarios": {
        "type": "array",
        "title": "Custom Test Scenarios",
        "description": "Additional test scenarios to inject at runtime. Each scenario defines a stream name, JSON schema, and records.",
        "items": {
          "type": "object",
          "required": ["name", "json_schema"],
          "properties": {
            "name": {"type": "string", "description": "Stream name for this scenario."},
            "description": {"type": "string", "description": "Human-readable description of this scenario."},
            "json_schema": {"type": "object", "description": "JSON schema for the stream."},
            "records": {"type": "array", "description": "Records to emit for this stream.", "items": {"type": "object"}},
            "primary_key": {
              "type": ["array", "null"],
              "description": "Primary key definition (list of key paths) or null.",
              "items": {"type": "array", "items": {"type": "string"}}
            }
          }
        },
        "default": []
      },
      "large_batch_record_count": {
        "type": "integer",
        "title": "Large Batch Record Count",
        "description": "Number of records to generate for the large_batch_stream scenario. Set to 0 to emit no records for this stream.",
        "default": 1000
      },
      "all_fast_streams": {
        "type": "boolean",
        "title": "All Fast Streams",
        "description": "Include all fast (non-high-volume) predefined streams.",
        "default": true
      },
      "all_slow_streams": {
        "type": "boolean",
        "title": "All Slow Streams",
        "description": "Include all slow (high-volume) streams such as large_batch_stream. These are excluded by default to avoid incurring the cost of large record sets.",
        "default": false
      },
      "scenario_filter": {
        "type": "array",
        "title": "Scenario Filter",
        "description": "Specific scenario names to include. These are unioned with the boolean-driven sets (deduped). If omitted or empty, only the boolean flags control selection.",
        "items": {"type": "string"},
        "default": []
      },
      "namespace": {
        "type": ["string", "null"],
        "title": "Namespace",
        "description": "Namespace set on every stream and record (for example the destination schema to write to)."
      }
    }
  })json";

  static protocol::ConnectionStatus Failed(std::string message) {
    return protocol::ConnectionStatus{.status = protocol::ConnectionStatusValue::kFailed,
                                      .message = std::move(message)};
  }

  static const Scenario* Find(const Selection& selection, const std::string& stream) {
    for (const Scenario& scenario : selection.scenarios) {
      if (scenario.name == stream) return &scenario;
    }
    return nullptr;
  }

  // Emits one stream; false when the sink asked to stop.
  static bool ReadStream(const Scenario& scenario, const Selection& selection, std::int64_t now_ms,
                         MessageSink& sink) {
    const std::optional<std::string>& ns = selection.namespace_;
    if (!sink.Emit(StatusMessage(scenario.name, ns, protocol::StreamStatus::kStarted)) ||
        !sink.Emit(StatusMessage(scenario.name, ns, protocol::StreamStatus::kRunning))) {
      return false;
    }
    const bool generated = scenario.generator == RecordGenerator::kLargeBatch;
    const std::int64_t count = generated ? std::max<std::int64_t>(selection.large_batch_count, 0)
                                         : static_cast<std::int64_t>(scenario.records.size());
    if (!sink.Emit(LogLine(protocol::LogLevel::kInfo, "Emitting " + std::to_string(count) +
                                                          " records for stream '" + scenario.name +
                                                          "'."))) {
      return false;
    }
    const std::shared_ptr<const std::vector<std::string>> fields =
        SchemaFields(scenario.json_schema);
    auto record_message = [&]() {
      return protocol::RecordMessage{
          .stream = scenario.name, .namespace_ = ns, .data = {}, .emitted_at = now_ms};
    };
    if (generated) {
      for (std::int64_t id = 1; id <= count; ++id) {
        protocol::RecordMessage record = record_message();
        record.typed =
            protocol::TypedRecord{.fields = fields, .values = LargeBatchRecordValues(id)};
        if (!sink.Emit(protocol::Message(std::move(record)))) return false;
      }
    } else {
      for (const Json& data : scenario.records) {
        protocol::RecordMessage record = record_message();
        if (std::optional<std::vector<protocol::FieldValue>> values = TypedValues(data, *fields)) {
          record.typed = protocol::TypedRecord{.fields = fields, .values = std::move(*values)};
        } else {
          // A custom record whose keys differ from its schema's properties: keep it as sent.
          record.data = data.dump();
        }
        if (!sink.Emit(protocol::Message(std::move(record)))) return false;
      }
    }
    return sink.Emit(StatusMessage(scenario.name, ns, protocol::StreamStatus::kComplete));
  }
};

}  // namespace

std::unique_ptr<NativeConnector> MakeSmokeTestSource() {
  return std::make_unique<SmokeTestSource>();
}

}  // namespace airbyte::connectors
