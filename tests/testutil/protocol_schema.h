#pragma once

// Validation against the protocol's own JSON Schema (../shared/spec/airbyte_protocol.yaml),
// for tests of everything that writes protocol messages.

#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "testutil/testutil.h"
#include "util/yaml_json.h"

namespace airbyte::testutil {

/// A compiled draft-07 JSON Schema (valijson), to validate many values against.
class JsonSchema {
 public:
  explicit JsonSchema(const nlohmann::json& schema) {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(schema);
    parser.populateSchema(adapter, schema_);
  }

  /// Empty when `value` is valid, else the validator's complaints, one per line.
  std::string Errors(const nlohmann::json& value) const {
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(value);
    if (validator.validate(schema_, target, &results)) return "";
    std::string out;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      for (const std::string& part : error.context) out += part;
      out += ": " + error.description + "\n";
    }
    return out.empty() ? "invalid" : out;
  }

 private:
  valijson::Schema schema_;
};

/// Errors of `value` against `schema` (compiled for this one call); empty when valid.
inline std::string JsonSchemaErrors(const nlohmann::json& schema, const nlohmann::json& value) {
  return JsonSchema(schema).Errors(value);
}

/// One definition of the protocol YAML ("AirbyteMessage", "ConfiguredAirbyteCatalog", ...).
class ProtocolSchema : public JsonSchema {
 public:
  ProtocolSchema(const std::filesystem::path& shared_dir, const std::string& definition)
      : JsonSchema(Document(shared_dir, definition)) {}

 private:
  static nlohmann::json Document(const std::filesystem::path& shared_dir,
                                 const std::string& definition) {
    const std::filesystem::path path = shared_dir / "spec" / "airbyte_protocol.yaml";
    const nlohmann::json yaml = util::ParseYaml(ReadText(path), path.string());
    // The YAML's own root has an `$id` (a GitHub URL); a fresh root keeps `$ref`s local.
    return {{"$schema", "http://json-schema.org/draft-07/schema#"},
            {"definitions", yaml.at("definitions")},
            {"$ref", "#/definitions/" + definition}};
  }
};

}  // namespace airbyte::testutil
