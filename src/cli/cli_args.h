#pragma once

#include <string>
#include <string_view>

#include "airbyte/json.h"
#include "airbyte/source.h"

namespace airbyte::cli {

/// Resolves a `--source` reference as pyab does (behavior doc 11.1): `name:tag` is a Docker
/// image (unavailable here), a value starting with '.' or containing '/' an executable path
/// that must exist (name = file stem), anything else a connector name starting with `source-`.
/// Throws Error(kInput) for a bad reference.
/// Help text of --manifest, shared by the commands that take --source.
inline constexpr const char* kManifestHelp =
    "Declarative manifest (YAML/JSON path or URL) that defines --source; run natively";

Source ResolveSource(const std::string& ref, const SourceOptions& base_options = {});

/// The prefix of `--config` values read from a secret source: `{password: "SECRET:PG_PW"}`.
inline constexpr std::string_view kCliSecretPrefix = "SECRET:";

/// Resolves a `--config` value: inline YAML/JSON when it starts with '{', else a YAML/JSON
/// file. Then every string starting with `SECRET:` (at any depth, lists included) is replaced
/// by GetSecret(<rest, trimmed>): environment, .env, then a prompt on a terminal; the values
/// are registered for masking. Throws Error(kInput) for a missing file, a syntax error or a
/// non-object, Error(kSecretNotFound) for a secret no source has.
Json ResolveConfig(const std::string& value);

}  // namespace airbyte::cli
