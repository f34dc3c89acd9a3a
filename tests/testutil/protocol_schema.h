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

/// One definition of the protocol YAML ("AirbyteMessage", "ConfiguredAirbyteCatalog", ...) as
/// a compiled draft-07 schema.
class ProtocolSchema {
 public:
  ProtocolSchema(const std::filesystem::path& shared_dir, const std::string& definition) {
    const std::filesystem::path path = shared_dir / "spec" / "airbyte_protocol.yaml";
    const nlohmann::json yaml = util::ParseYaml(ReadText(path), path.string());
    // The YAML's own root has an `$id` (a GitHub URL); a fresh root keeps `$ref`s local.
    const nlohmann::json document = {{"$schema", "http://json-schema.org/draft-07/schema#"},
                                     {"definitions", yaml.at("definitions")},
                                     {"$ref", "#/definitions/" + definition}};
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(document);
    parser.populateSchema(adapter, schema_);
  }

  /// Empty when `value` is valid, else the validator's complaints.
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

}  // namespace airbyte::testutil
