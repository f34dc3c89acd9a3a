#pragma once

/// Record transformations of a declarative stream (docs/declarative.md section 8), applied in
/// list order, each mutating the record.
///
/// Example:
///   Transformations transformations(stream["transformations"], interpolator);
///   for (Json& record : records) transformations.Apply(record, context);

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/interpolation/interpolator.h"

namespace airbyte::declarative {

/// One transformation component.
class Transformation {
 public:
  virtual ~Transformation() = default;
  /// `context` holds config, parameters, stream_slice and what else the caller adds.
  virtual void Apply(Json& record, const Json& context, Interpolator& interpolator) const = 0;
};

/// The CDK key algorithm of KeysToSnakeCase (without unidecode's transliteration of non-ASCII
/// text beyond Latin-1 letters): "CreatedAt" -> "created_at", "123abc" -> "_123_abc".
std::string KeyToSnakeCase(const std::string& key);

/// Builds one transformation. Supported: AddFields, RemoveFields, DpathFlattenFields,
/// FlattenFields, KeysToLower, KeysToSnakeCase, KeysReplace. Throws Error(kInput) naming any
/// other type (CustomTransformation included) or a malformed component.
std::unique_ptr<Transformation> MakeTransformation(const Json& component);

/// The list of a stream's transformations. Holds a reference to the interpolator, which must
/// outlive it. Apply is const and keeps no state: safe from several threads when the
/// interpolator is.
class Transformations {
 public:
  /// `list_or_null`: the stream's `transformations` (null or absent: none).
  Transformations(const Json& list_or_null, Interpolator& interpolator);
  ~Transformations();
  Transformations(Transformations&&) noexcept;
  Transformations& operator=(Transformations&&) = delete;

  /// Applies every transformation in order. Throws Error(kInput) when a template fails or a
  /// path cannot be written (AddFields below a scalar).
  void Apply(Json& record, const Json& context) const;
  bool empty() const { return items_.empty(); }

 private:
  std::vector<std::unique_ptr<Transformation>> items_;
  Interpolator* interpolator_;  // not owned
};

}  // namespace airbyte::declarative
