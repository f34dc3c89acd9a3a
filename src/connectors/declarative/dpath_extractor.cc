#include "connectors/declarative/dpath_extractor.h"

#include <algorithm>
#include <string>

#include "airbyte/error.h"
#include "connectors/declarative/component_util.h"
#include "connectors/declarative/dpath.h"

namespace airbyte::declarative {

std::vector<Json> ExtractRecords(const Json& extractor_component, const Json& document,
                                 Interpolator& interpolator, const Json& context) {
  std::string type = ComponentType(extractor_component, "DpathExtractor");
  if (type != "DpathExtractor") {
    throw Error(ErrorKind::kInput, "Unsupported record extractor type: " + type + ".",
                {.guidance = "Only DpathExtractor is implemented natively."});
  }
  const Json& field_path = Field(extractor_component, "field_path");
  std::vector<Json> records;
  auto emit = [&records](const Json& extracted) {
    if (extracted.is_array()) {
      records.insert(records.end(), extracted.begin(), extracted.end());
    } else if (Truthy(extracted)) {
      records.push_back(extracted);
    }
  };
  if (field_path.is_null() || field_path.empty()) {
    emit(document);
    return records;
  }
  dpath::Path path =
      EvalPath(field_path, interpolator, ComponentContext(extractor_component, context));
  if (std::find(path.begin(), path.end(), "*") != path.end()) {
    // dpath.values: the matches form one list, each match one record.
    for (const Json* match : dpath::Values(document, path)) records.push_back(*match);
    return records;
  }
  if (const Json* found = dpath::Get(document, path)) emit(*found);
  return records;
}

}  // namespace airbyte::declarative
