#include "cli/cli_args.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "airbyte/secrets.h"
#include "util/yaml_json.h"

namespace airbyte::cli {

Source ResolveSource(const std::string& ref, const SourceOptions& base_options) {
  SourceOptions options = base_options;
  if (ref.find(':') != std::string::npos) {
    throw Error(ErrorKind::kInput, "Docker images are not supported by this build.",
                {.guidance = "Pass a path to the connector's executable, or a connector name "
                             "whose executable is on PATH.",
                 .context = {{"source", ref}}});
  }
  if (!ref.empty() && (ref[0] == '.' || ref.find('/') != std::string::npos)) {
    if (!std::filesystem::exists(ref)) {
      throw Error(ErrorKind::kInput, "Source executable not found.",
                  {.context = {{"source", ref}}});
    }
    options.local_executable = ref;
    return GetSource(std::filesystem::path(ref).stem().string(), options);
  }
  if (ref.rfind("source-", 0) != 0) {
    throw Error(ErrorKind::kInput, "Expected a source name, docker image, or path to executable.",
                {.context = {{"input_value", ref}}});
  }
  return GetSource(ref, options);
}

Json ResolveConfig(const std::string& value) {
  Json config;
  if (!value.empty() && value[0] == '{') {
    config = util::ParseYaml(value, "the inline --config value");
  } else {
    std::ifstream in(value, std::ios::binary);
    if (!std::filesystem::is_regular_file(value) || !in) {
      throw Error(ErrorKind::kInput, "Config file not found.",
                  {.guidance = "Pass a path to a JSON or YAML file, or an inline config "
                               "starting with `{`.",
                   .context = {{"input_value", value}}});
    }
    std::stringstream text;
    text << in.rdbuf();
    config = util::ParseYaml(text.str(), "config file '" + value + "'");
  }
  if (!config.is_object()) {
    // The value itself is not echoed: it may hold secrets.
    throw Error(ErrorKind::kInput, "The config must be a JSON or YAML object (key: value pairs).",
                {.guidance = "Example: --config '{count: 100}' or a file with `count: 100`."});
  }
  // behavior doc 11.1; unlike pyab, strings directly inside lists are replaced too.
  return HydrateSecrets(config, kCliSecretPrefix);
}

}  // namespace airbyte::cli
