#include "caches/query_result.h"

#include <nlohmann/json.hpp>

namespace airbyte::caches {

Json QueryResult::RowObject(std::size_t i) const {
  const Json& row = rows.at(i);
  Json object = Json::object();
  for (std::size_t c = 0; c < column_names.size() && c < row.size(); ++c) {
    object[column_names[c]] = row[c];
  }
  return object;
}

}  // namespace airbyte::caches
