#pragma once

#include <string>

#include "airbyte/json.h"
#include "airbyte/source.h"

namespace airbyte::cli {

/// Resolves a `--source` reference as pyab does (behavior doc 11.1): `name:tag` is a Docker
/// image (unavailable here), a value starting with '.' or containing '/' an executable path
/// that must exist (name = file stem), anything else a connector name starting with `source-`.
/// Throws Error(kInput) for a bad reference.
Source ResolveSource(const std::string& ref, const SourceOptions& base_options = {});

/// Resolves a `--config` value: inline YAML/JSON when it starts with '{', else a YAML/JSON
/// file. Throws Error(kInput) for a missing file, a syntax error or a non-object.
Json ResolveConfig(const std::string& value);

}  // namespace airbyte::cli
