#include "connectors/declarative/schema_loader.h"

#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/component_util.h"

namespace airbyte::declarative {
namespace {

std::optional<Json> ReadJsonFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  Json parsed = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    throw Error(ErrorKind::kInput, "A stream's JSON schema file is not valid JSON.",
                {.context = {{"path", path.string()}}});
  }
  return parsed;
}

// The candidates for a CDK schema path ("./source_x/schemas/s.json"): as written, and without
// the package folder the CDK would resolve with pkgutil.
std::vector<std::filesystem::path> Candidates(const std::filesystem::path& manifest_dir,
                                              std::string file_path) {
  while (file_path.rfind("./", 0) == 0) file_path.erase(0, 2);
  std::vector<std::filesystem::path> out = {manifest_dir / file_path};
  std::size_t slash = file_path.find('/');
  if (slash != std::string::npos) out.push_back(manifest_dir / file_path.substr(slash + 1));
  return out;
}

std::optional<Json> FindSchemaFile(const std::filesystem::path& manifest_dir,
                                   const std::string& file_path) {
  for (const auto& candidate : Candidates(manifest_dir, file_path)) {
    if (std::optional<Json> schema = ReadJsonFile(candidate)) return schema;
  }
  return std::nullopt;
}

std::string DefaultFilePath(const Json& parameters, const std::string& stream_name) {
  std::string name = stream_name;
  if (parameters.is_object() && parameters.contains("name") && parameters["name"].is_string()) {
    name = parameters["name"].get<std::string>();
  }
  return "./source_declarative_manifest/schemas/" + name + ".json";
}

}  // namespace

Json LoadSchema(const Json& schema_loader_or_null, const std::filesystem::path& manifest_dir,
                const std::string& stream_name, Interpolator& interpolator, const Json& config) {
  if (schema_loader_or_null.is_null()) {
    // DefaultSchemaLoader: JsonFileSchemaLoader whose IOError becomes the empty schema.
    std::optional<Json> schema =
        FindSchemaFile(manifest_dir, DefaultFilePath(Json::object(), stream_name));
    return schema ? std::move(*schema) : Json::object();
  }
  std::string type = ComponentType(schema_loader_or_null);
  if (type == "InlineSchemaLoader") {
    const Json& schema = Field(schema_loader_or_null, "schema");
    return schema.is_null() ? Json::object() : schema;
  }
  if (type == "JsonFileSchemaLoader") {
    const Json& parameters = Field(schema_loader_or_null, "$parameters");
    const Json& file_path = Field(schema_loader_or_null, "file_path");
    std::string path = DefaultFilePath(parameters, stream_name);
    if (file_path.is_string() && !file_path.get<std::string>().empty()) {
      Json ctx = {{"config", config},
                  {"parameters", parameters.is_object() ? parameters : Json::object()}};
      Json rendered = interpolator.EvalString(file_path.get<std::string>(), ctx);
      path = rendered.is_string() ? rendered.get<std::string>() : rendered.dump();
    }
    if (std::optional<Json> schema = FindSchemaFile(manifest_dir, path)) return *schema;
    throw Error(ErrorKind::kInput, "Cannot find the schema file " + path + ".",
                {.guidance = "Manifest-only connectors ship no schema files; use an "
                             "InlineSchemaLoader or put the file beside the manifest.",
                 .context = {{"stream", stream_name}, {"manifest_dir", manifest_dir.string()}}});
  }
  throw Error(ErrorKind::kInput,
              "Unsupported schema loader type: " + (type.empty() ? "(none)" : type) + ".",
              {.context = {{"stream", stream_name}}});
}

}  // namespace airbyte::declarative
