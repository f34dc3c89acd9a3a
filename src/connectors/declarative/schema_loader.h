#pragma once

/// Schema loaders of declarative streams (docs/declarative.md section 12).
///
/// Example:
///   Json schema = LoadSchema(stream["schema_loader"], manifest_dir, "users", interpolator,
///                            config);

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/interpolation/interpolator.h"

namespace airbyte::declarative {

/// InlineSchemaLoader -> its `schema` (absent: `{}`). JsonFileSchemaLoader -> the JSON file
/// at `file_path` (rendered with config and `$parameters`; default
/// `./source_<name>/schemas/<stream>.json`), looked up under `manifest_dir` as written and
/// without its leading package folder (`schemas/<stream>.json`). No loader at all: the CDK's
/// DefaultSchemaLoader, that file if present, else `{}`. Throws Error(kInput) when an explicit
/// JsonFileSchemaLoader's file is missing or not JSON (the CDK's IOError), and for other loader
/// types (DynamicSchemaLoader, CompositeSchemaLoader, custom).
Json LoadSchema(const Json& schema_loader_or_null, const std::filesystem::path& manifest_dir,
                const std::string& stream_name, Interpolator& interpolator, const Json& config);

}  // namespace airbyte::declarative
