#pragma once

/// DpathExtractor: the records of one decoded response document (docs/declarative.md 7.2).
///
/// Example:
///   Json extractor = {{"type", "DpathExtractor"}, {"field_path", {"data", "items"}}};
///   for (Json& record : ExtractRecords(extractor, doc, interpolator, context)) ...

#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/interpolation/interpolator.h"

namespace airbyte::declarative {

/// Walks `field_path` (each item an interpolated string rendered with `context`, whose
/// `parameters` become the component's `$parameters`). Empty path: the document itself. A
/// `*` item makes it a dpath glob search whose matches form a list (lists among them are not
/// flattened). The result: a list yields each element, a truthy value (non-empty mapping,
/// non-zero scalar) one record, anything else (missing path, `{}`, null) nothing.
/// Throws Error(kInput) for a non-DpathExtractor type or a bad field_path.
std::vector<Json> ExtractRecords(const Json& extractor_component, const Json& document,
                                 Interpolator& interpolator, const Json& context);

}  // namespace airbyte::declarative
