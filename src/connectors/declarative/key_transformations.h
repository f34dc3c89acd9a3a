#pragma once

/// The key-renaming transformations (FlattenFields, KeysToLower, KeysToSnakeCase,
/// KeysReplace); see transformations.h.

#include <memory>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/transformations.h"

namespace airbyte::declarative {

/// One of the key transformations, or nullptr when `component` has another type. Throws
/// Error(kInput) for a malformed component or an unsupported KeysReplace option.
std::unique_ptr<Transformation> MakeKeyTransformation(const Json& component);

}  // namespace airbyte::declarative
