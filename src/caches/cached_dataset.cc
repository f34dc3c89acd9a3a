#include "airbyte/dataset.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "caches/cache_core.h"
#include "caches/sql_dialect.h"

namespace airbyte {

struct CachedDataset::Rows::State {
  std::shared_ptr<caches::CacheCore> core;  // keeps the cache alive while rows stream
  std::unique_ptr<caches::RowCursor> cursor;
  std::vector<std::string> columns;
  Json current;
  bool done = false;

  void Advance() {
    std::optional<Json> row = cursor->Next();
    if (!row) {
      done = true;
      current = nullptr;
      return;
    }
    current = Json::object();
    for (std::size_t i = 0; i < columns.size(); ++i) current[columns[i]] = std::move((*row)[i]);
  }
};

CachedDataset::CachedDataset(std::shared_ptr<caches::CacheCore> core, std::string stream_name,
                             std::vector<std::string> filters)
    : core_(std::move(core)), stream_name_(std::move(stream_name)), filters_(std::move(filters)) {}

std::string CachedDataset::table_name() const { return core_->TableName(stream_name_); }

std::string CachedDataset::query() const {
  std::string sql = "SELECT * FROM " + core_->Qualified(table_name());
  for (std::size_t i = 0; i < filters_.size(); ++i) {
    sql += (i == 0 ? " WHERE " : " AND ") + ("(" + filters_[i] + ")");
  }
  return sql;
}

std::vector<std::string> CachedDataset::column_names() const {
  const auto columns = core_->backend().TableColumns(core_->schema_name(), table_name());
  std::vector<std::string> names;
  if (columns) {
    for (const auto& [name, type] : *columns) names.push_back(name);
  }
  return names;
}

std::size_t CachedDataset::Count() const {
  const caches::QueryResult result =
      core_->backend().Query("SELECT count(*) FROM (" + query() + ") AS counted");
  return result.rows.at(0).at(0).get<std::size_t>();
}

CachedDataset CachedDataset::WithFilter(std::string sql_expression) const {
  std::vector<std::string> filters = filters_;
  filters.push_back(std::move(sql_expression));
  return CachedDataset(core_, stream_name_, std::move(filters));
}

CachedDataset::Rows CachedDataset::rows() const {
  auto state = std::make_shared<Rows::State>();
  state->core = core_;
  state->cursor = core_->backend().OpenCursor(query());
  state->columns = state->cursor->column_names();
  state->Advance();
  return Rows(std::move(state));
}

CachedDataset::Iterator CachedDataset::Rows::begin() { return Iterator(state_.get()); }

const Json& CachedDataset::Iterator::operator*() const { return state_->current; }

CachedDataset::Iterator& CachedDataset::Iterator::operator++() {
  state_->Advance();
  return *this;
}

bool CachedDataset::Iterator::done() const { return state_ == nullptr || state_->done; }

std::vector<Json> CachedDataset::FetchAll() const {
  std::vector<Json> all;
  for (const Json& row : rows()) all.push_back(row);
  return all;
}

void CachedDataset::ToParquet(const std::filesystem::path& path) const {
  core_->backend().CopyTo(query(), path, "parquet");
}
void CachedDataset::ToCsv(const std::filesystem::path& path) const {
  core_->backend().CopyTo(query(), path, "csv");
}
void CachedDataset::ToJsonl(const std::filesystem::path& path) const {
  core_->backend().CopyTo(query(), path, "json");
}

ArrowArrayStream CachedDataset::ToArrowStream() const { return core_->backend().ToArrow(query()); }

}  // namespace airbyte
