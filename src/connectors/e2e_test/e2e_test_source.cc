#include "connectors/e2e_test/e2e_test_source.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "airbyte/error.h"

namespace airbyte::connectors {
namespace {

constexpr std::string_view kName = "source-e2e-test";
constexpr std::string_view kStream = "stream1";
constexpr std::size_t kFieldCount = 5;
constexpr std::string_view kValuePrefix = "valuevaluevaluevaluevalue";

// The BENCHMARK branch of the connector's spec (registry version 2.2.2), the only mode this
// native connector runs; the other branches need the Docker image.
constexpr std::string_view kBenchmarkBranch = R"json({
  "title": "Benchmark",
  "description": "This mode is used for speed benchmarks. Specifically, it should be used for testing the throughput of the platform and destination. It optimizes for emitting records very quickly, so that it should never be the bottleneck.",
  "type": "object",
  "required": ["type", "schema", "terminationCondition"],
  "additionalProperties": true,
  "properties": {
    "type": {"type": "string", "const": "BENCHMARK", "default": "BENCHMARK"},
    "schema": {
      "title": "Schema",
      "description": "schema of the data in the benchmark.",
      "type": "string",
      "enum": ["FIVE_STRING_COLUMNS"]
    },
    "terminationCondition": {
      "title": "Termination Condition",
      "description": "when does the benchmark stop?",
      "type": "object",
      "oneOf": [
        {
          "title": "max records",
          "type": "object",
          "required": ["type", "max"],
          "properties": {
            "type": {"type": "string", "const": "MAX_RECORDS", "default": "MAX_RECORDS"},
            "max": {"type": "number"}
          }
        }
      ]
    }
  }
})json";

// The ten distinct field values: the prefix and one digit (record number % 10).
const std::array<std::string, 10>& FieldValues() {
  static const std::array<std::string, 10> values = [] {
    std::array<std::string, 10> out;
    for (std::size_t digit = 0; digit < out.size(); ++digit) {
      out[digit] = std::string(kValuePrefix) + static_cast<char>('0' + digit);
    }
    return out;
  }();
  return values;
}

// Length of one record's data object as JSON text; every record has the same length.
std::int64_t RecordDataBytes() {
  // {"field1":"valuevaluevaluevaluevalue0",...}: per field `"fieldN":"<26 chars>"` plus commas.
  const std::int64_t per_field = 2 + 6 + 1 + 2 + static_cast<std::int64_t>(kValuePrefix.size()) + 1;
  return 2 + per_field * static_cast<std::int64_t>(kFieldCount) +
         static_cast<std::int64_t>(kFieldCount) - 1;
}

const Json* Member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string StringMember(const Json& object, const char* key) {
  const Json* value = Member(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

// How many records a config asks for, or the reason it cannot be run natively.
struct Plan {
  std::int64_t records = 0;
  std::string problem = {};
};

Plan PlanFor(const Json& config) {
  const std::string type = StringMember(config, "type");
  if (type != "BENCHMARK") {
    return {.problem =
                "Only the BENCHMARK mode of source-e2e-test is supported natively (got type '" +
                type + "'); run the connector's Docker image for other modes."};
  }
  if (StringMember(config, "schema") != "FIVE_STRING_COLUMNS") {
    return {.problem = "BENCHMARK mode supports only schema 'FIVE_STRING_COLUMNS'."};
  }
  const Json* condition = Member(config, "terminationCondition");
  const std::string condition_type =
      condition != nullptr ? StringMember(*condition, "type") : std::string();
  const Json* max = condition != nullptr ? Member(*condition, "max") : nullptr;
  if ((condition_type != "MAX_RECORDS" && condition_type != "MAX_BYTES") || max == nullptr ||
      !max->is_number()) {
    return {.problem =
                "BENCHMARK mode needs terminationCondition {\"type\": \"MAX_RECORDS\" or "
                "\"MAX_BYTES\", \"max\": <number>}."};
  }
  const double limit = max->is_number_float() ? std::trunc(max->get<double>()) : 0.0;
  std::int64_t amount = 0;
  if (max->is_number_float()) {
    if (!(limit >= 0.0 && limit < 9.2e18)) {
      return {.problem = "terminationCondition.max must be a non-negative number."};
    }
    amount = static_cast<std::int64_t>(limit);
  } else if (max->is_number_unsigned()) {
    amount = max->get<std::uint64_t>() >
                     static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                 ? std::numeric_limits<std::int64_t>::max()
                 : max->get<std::int64_t>();
  } else {
    amount = max->get<std::int64_t>();
    if (amount < 0) return {.problem = "terminationCondition.max must be a non-negative number."};
  }
  // MAX_BYTES counts record data bytes: every record has the same size.
  return {.records = condition_type == "MAX_BYTES" ? amount / RecordDataBytes() : amount};
}

Plan PlanOrThrow(const Json& config) {
  Plan plan = PlanFor(config);
  if (!plan.problem.empty()) {
    throw Error(ErrorKind::kInput, plan.problem, {.context = {{"connector", std::string(kName)}}});
  }
  return plan;
}

protocol::Message StatusMessage(protocol::StreamStatus status) {
  return protocol::Message(protocol::TraceMessage{
      .type = protocol::TraceType::kStreamStatus,
      .emitted_at = 0,
      .stream_status = protocol::StreamStatusTrace{
          .stream_descriptor = {.name = std::string(kStream)}, .status = status}});
}

class E2eTestSource final : public NativeConnector {
 public:
  std::string_view name() const override { return kName; }

  protocol::ConnectorSpecification Spec() const override {
    Json connection = Json::object();
    connection["$schema"] = "http://json-schema.org/draft-07/schema#";
    connection["title"] = "E2E Test Source Spec";
    connection["additionalProperties"] = true;
    connection["type"] = "object";
    connection["oneOf"] = Json::array({Json::parse(kBenchmarkBranch)});
    return protocol::ConnectorSpecification{
        .connection_specification = std::move(connection),
        .documentation_url = "https://docs.airbyte.com/integrations/sources/e2e-test",
        .supports_normalization = false,
        .supports_dbt = false,
        .supported_destination_sync_modes = std::vector<protocol::DestinationSyncMode>{},
        .protocol_version = "0.2.1"};
  }

  protocol::ConnectionStatus Check(const Json& config) const override {
    Plan plan = PlanFor(config);
    if (plan.problem.empty()) {
      return protocol::ConnectionStatus{.status = protocol::ConnectionStatusValue::kSucceeded};
    }
    return protocol::ConnectionStatus{.status = protocol::ConnectionStatusValue::kFailed,
                                      .message = std::move(plan.problem)};
  }

  protocol::AirbyteCatalog Discover(const Json& config) const override {
    PlanOrThrow(config);
    Json properties = Json::object();
    for (const std::string& field : *Fields()) properties[field] = {{"type", "string"}};
    Json schema = Json::object();
    schema["type"] = "object";
    schema["properties"] = std::move(properties);
    protocol::AirbyteCatalog catalog;
    catalog.streams.push_back(
        protocol::AirbyteStream{.name = std::string(kStream),
                                .json_schema = std::move(schema),
                                .supported_sync_modes = {protocol::SyncMode::kFullRefresh}});
    return catalog;
  }

  void Read(const Json& config, const protocol::ConfiguredAirbyteCatalog& catalog,
            const std::vector<protocol::StateMessage>& /*state*/,
            MessageSink& sink) const override {
    const Plan plan = PlanOrThrow(config);
    bool selected = false;
    for (const protocol::ConfiguredAirbyteStream& stream : catalog.streams) {
      selected = selected || stream.stream.name == kStream;
    }
    if (!selected) return;
    if (!sink.Emit(StatusMessage(protocol::StreamStatus::kStarted)) ||
        !sink.Emit(StatusMessage(protocol::StreamStatus::kRunning))) {
      return;
    }
    const std::shared_ptr<const std::vector<std::string>> fields = Fields();
    const std::array<std::string, 10>& values = FieldValues();
    const std::string stream(kStream);
    // Record numbers count from 1, as the Java connector's do.
    for (std::int64_t number = 1; number <= plan.records; ++number) {
      const std::string& value = values[static_cast<std::size_t>(number % 10)];
      protocol::RecordMessage record{.stream = stream, .data = {}, .emitted_at = 0};
      record.typed.emplace();
      record.typed->fields = fields;
      record.typed->values.reserve(kFieldCount);
      for (std::size_t i = 0; i < kFieldCount; ++i) {
        record.typed->values.emplace_back(std::in_place_type<std::string>, value);
      }
      if (!sink.Emit(protocol::Message(std::move(record)))) return;
    }
    sink.Emit(StatusMessage(protocol::StreamStatus::kComplete));
  }

 private:
  // Shared by every record of stream1.
  static std::shared_ptr<const std::vector<std::string>> Fields() {
    static const std::shared_ptr<const std::vector<std::string>> fields =
        std::make_shared<const std::vector<std::string>>(
            std::vector<std::string>{"field1", "field2", "field3", "field4", "field5"});
    return fields;
  }
};

[[noreturn]] void ThrowInvalidNumber(std::string_view text) {
  throw Error(ErrorKind::kInput, "Invalid number format.",
              {.context = {{"input_value", std::string(text)}}});
}

}  // namespace

std::unique_ptr<NativeConnector> MakeE2eTestSource() { return std::make_unique<E2eTestSource>(); }

Json BenchmarkSourceConfig(std::int64_t num_records) {
  Json config = Json::object();
  config["type"] = "BENCHMARK";
  config["schema"] = "FIVE_STRING_COLUMNS";
  config["terminationCondition"] = Json::object();
  config["terminationCondition"]["type"] = "MAX_RECORDS";
  config["terminationCondition"]["max"] = num_records;
  return config;
}

std::int64_t ParseNumRecords(std::string_view text) {
  // Python's Decimal grammar (finite values only): [sign] digits [. digits] [e [sign] digits],
  // surrounding whitespace allowed; then truncation toward zero, done exactly on the digits.
  std::string s;
  for (char c : text) {
    if (c != '_') s += c;
  }
  std::size_t pos = 0;
  auto skip_space = [&] {
    while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos]))) ++pos;
  };
  skip_space();
  bool negative = false;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) negative = s[pos++] == '-';
  std::string digits;  // integer and fraction digits together
  std::int64_t fraction_digits = 0;
  bool seen_point = false;
  for (; pos < s.size(); ++pos) {
    const char c = s[pos];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
      if (seen_point) ++fraction_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (digits.empty()) ThrowInvalidNumber(text);
  std::int64_t exponent = 0;
  if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
    ++pos;
    bool negative_exponent = false;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) negative_exponent = s[pos++] == '-';
    const std::size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (exponent < 1'000'000) exponent = exponent * 10 + (s[pos] - '0');
      ++pos;
    }
    if (pos == start) ThrowInvalidNumber(text);
    if (negative_exponent) exponent = -exponent;
  }
  skip_space();
  if (pos != s.size()) ThrowInvalidNumber(text);

  // value = digits * 10^(exponent - fraction_digits), truncated.
  const std::int64_t shift = exponent - fraction_digits;
  if (shift < 0) {
    const auto drop = static_cast<std::size_t>(-shift);
    digits = drop >= digits.size() ? std::string() : digits.substr(0, digits.size() - drop);
  }
  const std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 0;
  digits.erase(0, first);
  if (shift > 0) {
    if (static_cast<std::int64_t>(digits.size()) + shift > 19) ThrowInvalidNumber(text);
    digits.append(static_cast<std::size_t>(shift), '0');
  }
  if (digits.size() > 19) ThrowInvalidNumber(text);
  std::uint64_t magnitude = 0;
  for (char c : digits) magnitude = magnitude * 10 + static_cast<std::uint64_t>(c - '0');
  const std::uint64_t limit =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1u : 0u);
  if (magnitude > limit) ThrowInvalidNumber(text);
  return negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
}

}  // namespace airbyte::connectors
