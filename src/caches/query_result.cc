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

std::vector<std::pair<std::string, std::string>> QueryResult::StringPairs() const {
  std::vector<std::pair<std::string, std::string>> pairs;
  pairs.reserve(rows.size());
  for (const Json& row : rows) {
    pairs.emplace_back(row.at(0).get<std::string>(), row.at(1).get<std::string>());
  }
  return pairs;
}

}  // namespace airbyte::caches
