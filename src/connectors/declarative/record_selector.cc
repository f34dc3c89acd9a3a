#include "connectors/declarative/record_selector.h"

#include <utility>

#include "airbyte/error.h"
#include "connectors/declarative/component_util.h"
#include "connectors/declarative/dpath_extractor.h"
#include "connectors/declarative/schema_normalizer.h"

namespace airbyte::declarative {

RecordFilter::RecordFilter(const Json& component)
    : parameters_(Field(component, "$parameters")) {
  std::string type = ComponentType(component, "RecordFilter");
  if (type != "RecordFilter") {
    throw Error(ErrorKind::kInput, "Unsupported record filter type: " + type + ".",
                {.guidance = "Only RecordFilter is implemented natively."});
  }
  const Json& condition = Field(component, "condition");
  if (condition.is_string()) condition_ = condition.get<std::string>();
}

bool RecordFilter::Keep(Json& record, const Json& context, Interpolator& interpolator) const {
  // An empty condition renders "", falls back to "False" and drops the record, as in the CDK.
  Json ctx = ComponentContext(Json{{"$parameters", parameters_}}, context);
  // The record is lent to the context and given back, not copied.
  ctx["record"] = std::move(record);
  bool keep = false;
  try {
    keep = interpolator.EvalBoolean(condition_, ctx);
  } catch (...) {
    record = std::move(ctx["record"]);
    throw;
  }
  record = std::move(ctx["record"]);
  return keep;
}

RecordSelector::RecordSelector(const Json& selector_component, const Json& transformations,
                               const Json& schema, Interpolator& interpolator)
    : extractor_(Field(selector_component, "extractor")),
      transformations_(transformations, interpolator),
      schema_(schema),
      interpolator_(&interpolator) {
  std::string type = ComponentType(selector_component, "RecordSelector");
  if (type != "RecordSelector") {
    throw Error(ErrorKind::kInput, "Unsupported record selector type: " + type + ".");
  }
  std::string extractor_type = ComponentType(extractor_, "DpathExtractor");
  if (extractor_type != "DpathExtractor") {
    throw Error(ErrorKind::kInput, "Unsupported record extractor type: " + extractor_type + ".",
                {.guidance = "Only DpathExtractor is implemented natively."});
  }
  const Json& filter = Field(selector_component, "record_filter");
  if (!filter.is_null()) filter_.emplace(filter);
  const Json& normalization = Field(selector_component, "schema_normalization");
  if (normalization.is_string()) {
    const std::string& mode = normalization.get_ref<const std::string&>();
    if (mode == "Default") {
      normalize_ = true;
    } else if (mode != "None") {
      throw Error(ErrorKind::kInput, "Unsupported schema_normalization: " + mode + ".");
    }
  } else if (!normalization.is_null()) {
    throw Error(ErrorKind::kInput, "Custom schema normalization is not supported natively.",
                {.context = {{"schema_normalization", normalization.dump()}}});
  }
  const Json& before = Field(selector_component, "transform_before_filtering");
  transform_before_filtering_ = before.is_boolean() && before.get<bool>();
}

void RecordSelector::SelectEach(const Json& document, const Json& context, std::size_t* extracted,
                                const std::function<bool(Json)>& emit) const {
  std::vector<Json> records = ExtractRecords(extractor_, document, *interpolator_, context);
  if (extracted != nullptr) *extracted = records.size();
  for (Json& record : records) {
    if (transform_before_filtering_) transformations_.Apply(record, context);
    if (filter_ && !filter_->Keep(record, context, *interpolator_)) continue;
    if (!transform_before_filtering_) transformations_.Apply(record, context);
    // _normalize_by_schema: only with a non-empty schema; on a copy (dict(record)).
    if (normalize_ && Truthy(schema_)) NormalizeBySchema(record, schema_);
    if (!emit(std::move(record))) return;
  }
}

std::vector<Json> RecordSelector::Select(const Json& document, const Json& context,
                                         std::size_t* extracted) const {
  std::vector<Json> out;
  SelectEach(document, context, extracted, [&out](Json record) {
    out.push_back(std::move(record));
    return true;
  });
  return out;
}

}  // namespace airbyte::declarative
