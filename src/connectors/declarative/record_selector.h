#pragma once

/// RecordSelector and RecordFilter (docs/declarative.md 7.3, 7.4): from one decoded response
/// document to the records a stream emits.
///
/// Example:
///   RecordSelector selector(retriever["record_selector"], stream["transformations"], schema,
///                           interpolator);
///   Json context = {{"config", config}, {"parameters", params}, {"stream_slice", slice},
///                   {"next_page_token", nullptr}};
///   std::size_t extracted = 0;
///   for (const Json& doc : DecodeBody(retriever["decoder"], body))
///     for (Json& record : selector.Select(doc, context, &extracted)) Emit(record);

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/interpolation/interpolator.h"
#include "connectors/declarative/transformations.h"

namespace airbyte::declarative {

/// RecordFilter: keeps a record iff its boolean `condition` is true, evaluated with the
/// caller's context (config, stream_slice, next_page_token, ...) plus `record` and the
/// component's `$parameters`.
class RecordFilter {
 public:
  /// Throws Error(kInput) for a type other than RecordFilter (e.g. a custom filter).
  explicit RecordFilter(const Json& component);
  bool Keep(Json& record, const Json& context, Interpolator& interpolator) const;

 private:
  Json parameters_;
  std::string condition_;
};

/// Extractor -> filter -> transformations -> schema normalization (or transformations before
/// the filter with `transform_before_filtering`). Holds a reference to the interpolator, which
/// must outlive it. Select is const and stateless: safe from several threads when the
/// interpolator is.
class RecordSelector {
 public:
  /// `selector_component`: the RecordSelector; `transformations`: the stream's list (or null);
  /// `schema`: the stream's JSON schema (used by schema_normalization `Default`). Throws
  /// Error(kInput) for unsupported extractor, filter, transformation or normalization types.
  RecordSelector(const Json& selector_component, const Json& transformations, const Json& schema,
                 Interpolator& interpolator);

  /// Records of one decoded response document. `context` holds config, parameters,
  /// stream_slice, next_page_token and whatever else the caller adds (stream_state is not
  /// available in CDK 7). `*extracted` (when given) receives the count before filtering.
  /// Select() one record at a time: `emit` gets each record as soon as it is ready, so an
  /// error in a later record's transformation leaves the earlier ones emitted (the CDK
  /// streams records). Stops early when `emit` returns false. *extracted is set first.
  void SelectEach(const Json& document, const Json& context, std::size_t* extracted,
                  const std::function<bool(Json)>& emit) const;
  std::vector<Json> Select(const Json& document, const Json& context,
                           std::size_t* extracted) const;

  /// Forces the order transformations-then-filter (the CDK does so for client-side
  /// incremental cursors).
  void set_transform_before_filtering(bool value) { transform_before_filtering_ = value; }
  bool transform_before_filtering() const { return transform_before_filtering_; }

 private:
  Json extractor_;
  std::optional<RecordFilter> filter_;
  Transformations transformations_;
  Json schema_;
  bool normalize_ = false;
  bool transform_before_filtering_ = false;
  Interpolator* interpolator_;  // not owned
};

}  // namespace airbyte::declarative
