#pragma once

/// Loading a declarative manifest as the Python CDK does before building components:
/// parse (PyYAML safe_load rules), resolve references, infer types, propagate $parameters.
///
/// Example:
///   Json manifest = declarative::ReadManifestFile("source-nasa/manifest.yaml");
///   Json resolved = declarative::ResolveManifest(manifest);
///   if (auto custom = declarative::FindCustomComponents(resolved); !custom.empty()) {
///     // e.g. "/streams/0/retriever/record_selector/extractor: CustomRecordExtractor"
///   }
///   for (const Json& stream : resolved["streams"]) Use(stream["name"], stream["retriever"]);
///
/// All functions are pure (no shared state) and thread-safe.

#include <string>
#include <vector>

#include "airbyte/json.h"
#include "connectors/declarative/declarative_source.h"  // ReadManifestFile
#include "connectors/declarative/yaml_reader.h"         // ParseYaml

namespace airbyte::declarative {

/// The CDK's loading pipeline on a parsed manifest (docs/declarative.md 1.2-1.5):
///  1. a missing top-level `type` becomes DeclarativeSource;
///  2. references: a mapping with `$ref` becomes the referenced mapping updated with its
///     sibling keys (a referenced non-mapping replaces it, siblings lost); every string value
///     starting with "#/" is a reference too. A path is looked up as a whole key first, then
///     split at the first '/' (numeric segments index lists; negative ones count from the end,
///     as in Python). Referenced fragments are resolved where they are used, each use a copy.
///  3. types and $parameters (ManifestComponentTransformer): an untyped mapping gets the type
///     of the CDK's "<parent type>.<field>" table (custom ones when it has class_name);
///     parameters are parent's then own `$parameters`; every parameter fills a field of a typed
///     component that is absent or falsy (Python truthiness); a parameter named like the field
///     being descended is withheld from that subtree; JSON schemas (`type: object` or
///     [null, object]) are returned as they are, without their $parameters; an untyped
///     mapping is left alone except that its typed child mappings are processed. The final
///     map is stored as the component's "$parameters", as in the CDK only when non-empty.
/// Throws Error(kInput) for circular or undefined references (naming the reference and
/// where it is used, as a JSON pointer) and for a `$parameters` that is not a mapping.
Json ResolveManifest(const Json& manifest);

/// Custom (Python) components of a resolved manifest, as "<json pointer>: <type>": every
/// mapping whose `type` starts with "Custom" or that has a string `class_name` (then named by
/// it). Skips `definitions`, `schemas` and `metadata` (inert) and JSON schemas. Empty when
/// the manifest can run natively.
std::vector<std::string> FindCustomComponents(const Json& resolved);

}  // namespace airbyte::declarative
