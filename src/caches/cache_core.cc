#include "caches/cache_core.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "caches/python_json.h"
#include "util/name_normalizer.h"

namespace airbyte::caches {
namespace {


std::string TextAt(const Json& row, std::size_t i) {
  return row.at(i).is_string() ? row.at(i).get<std::string>() : std::string();
}

}  // namespace

CacheCore::CacheCore(std::unique_ptr<CacheBackend> backend, std::string schema_name,
                     std::string table_prefix, std::filesystem::path cache_dir, bool cleanup)
    : backend_(std::move(backend)),
      dialect_(backend_->dialect()),
      schema_name_(util::NormalizeName(schema_name, dialect_.max_identifier_length)),
      table_prefix_(std::move(table_prefix)),
      cache_dir_(std::move(cache_dir)),
      cleanup_(cleanup),
      database_name_(backend_->database_name()) {
  backend_->Execute(CreateSchemaSql(schema_name_));
  for (const std::string& sql : CreateInternalTablesSql(schema_name_)) backend_->Execute(sql);
  backend_->UseSchema(schema_name_);
  state_key_ = backend_->PrimaryKeyColumns(schema_name_, "_airbyte_state");
  if (state_key_.empty()) state_key_ = {"source_name", "table_name"};

  const QueryResult rows = backend_->Query("SELECT stream_name, table_name FROM " +
                                           Qualified("_airbyte_streams"));
  for (const Json& row : rows.rows) {
    const std::string stream = TextAt(row, 0);
    const std::string key = TextAt(row, 1);
    if (key == table_prefix_ + stream) streams_[stream] = key;
  }
}

CacheCore::~CacheCore() { Close(); }

CacheBackend& CacheCore::backend() {
  if (backend_ == nullptr) {
    throw Error(ErrorKind::kCache, "The cache is closed.",
                {.guidance = "Open the cache again to use it after Close().",
                 .context = {{"schema_name", schema_name_}}});
  }
  return *backend_;
}

std::string CacheCore::TableName(std::string_view stream) const {
  return util::NormalizeName(table_prefix_ + std::string(stream), dialect_.max_identifier_length);
}

std::string CacheCore::Qualified(std::string_view table) const {
  return QualifiedName(schema_name_, table);
}

void CacheCore::RegisterStreams(std::string_view source_name,
                                const std::vector<CatalogEntry>& entries) {
  CacheBackend& db = backend();
  db.Begin();
  try {
    for (const CatalogEntry& entry : entries) {
      const std::string key = table_prefix_ + entry.stream_name;
      db.Execute("DELETE FROM " + Qualified("_airbyte_streams") +
                 " WHERE table_name = " + QuoteLiteral(key));
      db.Execute("INSERT INTO " + Qualified("_airbyte_streams") +
                 " (stream_name, source_name, table_name, catalog_metadata) VALUES (" +
                 QuoteLiteral(entry.stream_name) + ", " + QuoteLiteral(source_name) + ", " +
                 QuoteLiteral(key) + ", " + QuoteLiteral(PythonJsonDumps(entry.json_schema)) +
                 ")");
    }
    db.Commit();
  } catch (...) {
    db.Rollback();
    throw;
  }
  for (const CatalogEntry& entry : entries) {
    streams_[entry.stream_name] = table_prefix_ + entry.stream_name;
  }
}

std::vector<std::string> CacheCore::StreamNames() const {
  std::vector<std::string> names;
  for (const auto& [name, key] : streams_) names.push_back(name);
  return names;
}

bool CacheCore::HasStream(std::string_view stream) const {
  return streams_.find(std::string(stream)) != streams_.end();
}

std::vector<Json> CacheCore::LoadState(std::string_view source_name) {
  const QueryResult rows = backend().Query(
      "SELECT stream_name, table_name, state_json FROM " + Qualified("_airbyte_state") +
      " WHERE source_name = " + QuoteLiteral(source_name) + " ORDER BY stream_name");
  std::vector<Json> messages;
  for (const Json& row : rows.rows) {
    const std::string stream = TextAt(row, 0);
    if (TextAt(row, 1) != table_prefix_ + stream) continue;  // another prefix's state
    Json message = Json::parse(TextAt(row, 2), nullptr, /*allow_exceptions=*/false);
    if (!message.is_object()) {
      throw Error(ErrorKind::kCache, "A stored state row is not valid JSON.",
                  {.guidance = "Reset the state of this stream (`airbyte state reset`) and read "
                               "again with a full refresh.",
                   .context = {{"source_name", std::string(source_name)},
                               {"stream_name", stream}}});
    }
    // PyAirbyte may have written the GLOBAL payload under its Python attribute name.
    if (message.contains("global_") && !message.contains("global")) {
      message["global"] = message["global_"];
      message.erase("global_");
    }
    // PyAirbyte writes nulls for absent fields; the protocol omits them.
    for (auto it = message.begin(); it != message.end();) {
      it = it.value().is_null() ? message.erase(it) : std::next(it);
    }
    messages.push_back(std::move(message));
  }
  return messages;
}

std::string CacheCore::StateUpsertSql(std::string_view source_name, std::string_view key,
                                      const std::string& state_json) const {
  return UpsertStateSql(schema_name_, state_key_, source_name, key, table_prefix_ + std::string(key),
                        state_json);
}

void CacheCore::DeleteState(std::string_view source_name, const std::vector<std::string>& keys) {
  std::string sql = "DELETE FROM " + Qualified("_airbyte_state") +
                    " WHERE source_name = " + QuoteLiteral(source_name);
  if (!keys.empty()) {
    sql += " AND table_name IN (";
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += QuoteLiteral(table_prefix_ + keys[i]);
    }
    sql += ")";
  } else {
    sql += " AND (table_name = " + QuoteLiteral(table_prefix_) + " || stream_name)";
  }
  backend().Execute(sql);
}

void CacheCore::Close() noexcept {
  if (backend_ != nullptr) {
    backend_->Close();
    backend_.reset();
  }
}

}  // namespace airbyte::caches
