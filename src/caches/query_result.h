#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "airbyte/json.h"

namespace airbyte::caches {

/// A materialized query result, rows as JSON arrays in column order. Backends document how
/// their types become JSON (DuckDbConnection::Query).
struct QueryResult {
  std::vector<std::string> column_names = {};
  /// The backend's type text per column ("BIGINT", "DECIMAL(38,9)", "TIMESTAMP WITH TIME ZONE").
  std::vector<std::string> column_types = {};
  std::vector<Json> rows = {};

  /// Row `i` as an object {column: value} in column order.
  Json RowObject(std::size_t i) const;
  /// The first two columns of every row as strings (e.g. column name and type).
  std::vector<std::pair<std::string, std::string>> StringPairs() const;
};

}  // namespace airbyte::caches
