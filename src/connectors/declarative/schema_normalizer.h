#pragma once

/// Schema normalization `Default`: the CDK's TypeTransformer with DefaultSchemaNormalization
/// (airbyte_cdk/sources/utils/transform.py), casting record values to their JSON-schema types.

#include <nlohmann/json.hpp>

#include "airbyte/json.h"

namespace airbyte::declarative {

/// Walks `schema`'s `properties`, `items` and `$ref` (only those keywords, as the CDK) and
/// casts each present value with Python semantics: "string" -> str(v) (null -> "None" unless
/// the type list allows null), "number" -> float(v), "integer" -> int(v) (5.7 -> 5, "5" -> 5,
/// "5.0" unchanged), "boolean" -> strtobool for strings else bool(v), "array" wraps a scalar
/// when the item types allow; a failed cast keeps the value. The record root itself is not
/// cast. Never throws for data.
void NormalizeBySchema(Json& record, const Json& schema);

}  // namespace airbyte::declarative
