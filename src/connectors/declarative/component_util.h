#pragma once

/// Small helpers shared by the record-selection components: component fields, the
/// interpolation context of a component, and Python-style truthiness.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/dpath.h"
#include "connectors/declarative/interpolation/interpolator.h"

namespace airbyte::declarative {

/// The component's `type`, or `fallback` when absent.
std::string ComponentType(const Json& component, std::string_view fallback = {});

/// `context` with `parameters` set to the component's `$parameters` (when it has some): the
/// CDK evaluates a component's templates with its own, propagated, parameters.
Json ComponentContext(const Json& component, const Json& context);

/// The component's `field`, or null when absent or when the component is not a mapping.
const Json& Field(const Json& component, std::string_view field);

/// A list of interpolated strings evaluated as InterpolatedString does; non-string results
/// are turned into their Python str() (dpath compares segments as text).
dpath::Path EvalPath(const Json& segments, Interpolator& interpolator, const Json& context);

/// Python truthiness of a JSON value (`if extracted:`).
bool Truthy(const Json& value);

}  // namespace airbyte::declarative
