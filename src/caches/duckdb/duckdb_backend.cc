#include "caches/duckdb/duckdb_backend.h"

#include <duckdb.h>

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "caches/duckdb/duckdb_connection.h"

namespace airbyte::caches {
namespace {

class DuckDbCursor : public RowCursor {
 public:
  DuckDbCursor(const DuckDbDatabase& db, const std::string& sql)
      : connection_(db), reader_(connection_.Stream(sql)) {}
  const std::vector<std::string>& column_names() const override { return reader_.column_names(); }
  std::optional<Json> Next() override { return reader_.Next(); }

 private:
  DuckDbConnection connection_;
  DuckDbRowReader reader_;
};

// A TEMP table: connection-local, never written to the database file, gone after a crash.
// Clear() drops and recreates it so that rowid restarts in load order.
class DuckDbStaging : public StagingTable {
 public:
  DuckDbStaging(DuckDbConnection& connection, std::string name, std::vector<ColumnDef> columns)
      : connection_(connection),
        name_(std::move(name)),
        sql_name_("temp.main." + QuoteIdentifier(name_)),
        columns_(std::move(columns)) {
    Create();
  }
  ~DuckDbStaging() override {
    appender_.reset();
    try {
      connection_.Execute("DROP TABLE IF EXISTS " + sql_name_);
    } catch (...) {
      // The connection is going away; a TEMP table dies with it.
    }
  }

  const std::string& sql_name() const override { return sql_name_; }
  const std::string& order_column() const override { return order_column_; }
  void Append(const RecordBatch& batch) override {
    appender_->Append(batch);
    rows_ += batch.rows;
  }
  void Flush() override { appender_->Flush(); }
  void Clear() override {
    appender_->Close();
    appender_.reset();
    connection_.Execute("DROP TABLE " + sql_name_);
    Create();
  }
  std::size_t rows() const override { return rows_; }

 private:
  void Create() {
    connection_.Execute(CreateTableSql(DuckDbDialect(), "", name_, columns_,
                                       /*if_not_exists=*/false, /*temporary=*/true));
    appender_ = std::make_unique<DuckDbAppender>(connection_.Appender("", name_));
    rows_ = 0;
  }

  DuckDbConnection& connection_;
  std::string name_;
  std::string sql_name_;
  std::string order_column_ = "rowid";
  std::vector<ColumnDef> columns_;
  std::unique_ptr<DuckDbAppender> appender_;
  std::size_t rows_ = 0;
};

// An Arrow C stream over a streaming DuckDB result on its own connection: one Arrow record
// batch per DuckDB data chunk (up to 2048 rows), so memory stays constant.
struct ArrowStreamState {
  DuckDbConnection connection;
  duckdb_prepared_statement prepared = nullptr;
  duckdb_result result{};
  bool has_result = false;
  duckdb_arrow_options options = nullptr;
  std::vector<duckdb_logical_type> types;
  std::vector<std::string> names;
  std::string last_error;

  explicit ArrowStreamState(const DuckDbDatabase& db) : connection(db) {}
  ~ArrowStreamState() {
    for (duckdb_logical_type& type : types) duckdb_destroy_logical_type(&type);
    if (options != nullptr) duckdb_destroy_arrow_options(&options);
    if (has_result) duckdb_destroy_result(&result);
    if (prepared != nullptr) duckdb_destroy_prepare(&prepared);
  }
};

ArrowStreamState* StateOf(ArrowArrayStream* stream) {
  return static_cast<ArrowStreamState*>(stream->private_data);
}

int TakeError(ArrowStreamState& state, duckdb_error_data error) {
  const bool failed = duckdb_error_data_has_error(error);
  if (failed) state.last_error = duckdb_error_data_message(error);
  duckdb_destroy_error_data(&error);
  return failed ? 5 /* EIO */ : 0;
}

int ArrowGetSchema(ArrowArrayStream* stream, ArrowSchema* out) {
  ArrowStreamState& state = *StateOf(stream);
  std::vector<const char*> names;
  for (const std::string& name : state.names) names.push_back(name.c_str());
  return TakeError(state, duckdb_to_arrow_schema(state.options, state.types.data(), names.data(),
                                                 state.types.size(), out));
}

int ArrowGetNext(ArrowArrayStream* stream, ArrowArray* out) {
  ArrowStreamState& state = *StateOf(stream);
  duckdb_data_chunk chunk = duckdb_fetch_chunk(state.result);
  if (chunk == nullptr) {
    out->release = nullptr;  // end of stream
    const char* error = duckdb_result_error(&state.result);
    if (error != nullptr) {
      state.last_error = error;
      return 5;
    }
    return 0;
  }
  const int code = TakeError(state, duckdb_data_chunk_to_arrow(state.options, chunk, out));
  duckdb_destroy_data_chunk(&chunk);
  return code;
}

const char* ArrowGetLastError(ArrowArrayStream* stream) {
  const std::string& error = StateOf(stream)->last_error;
  return error.empty() ? nullptr : error.c_str();
}

void ArrowRelease(ArrowArrayStream* stream) {
  delete StateOf(stream);
  stream->release = nullptr;
}

ArrowArrayStream StreamArrow(const DuckDbDatabase& db, const std::string& query) {
  auto state = std::make_unique<ArrowStreamState>(db);
  auto connection = static_cast<duckdb_connection>(state->connection.handle());
  const auto fail = [&](const std::string& message) {
    throw Error(ErrorKind::kCache, "Could not read the query as Arrow.",
                {.context = {{"query", query}, {"error", message}}});
  };
  if (duckdb_prepare(connection, query.c_str(), &state->prepared) == DuckDBError) {
    fail(duckdb_prepare_error(state->prepared));
  }
  duckdb_pending_result pending = nullptr;
  if (duckdb_pending_prepared_streaming(state->prepared, &pending) == DuckDBError) {
    const std::string message = duckdb_pending_error(pending);
    duckdb_destroy_pending(&pending);
    fail(message);
  }
  state->has_result = true;
  const duckdb_state executed = duckdb_execute_pending(pending, &state->result);
  duckdb_destroy_pending(&pending);
  if (executed == DuckDBError) fail(duckdb_result_error(&state->result));
  duckdb_connection_get_arrow_options(connection, &state->options);
  const idx_t columns = duckdb_column_count(&state->result);
  for (idx_t i = 0; i < columns; ++i) {
    state->types.push_back(duckdb_column_logical_type(&state->result, i));
    state->names.emplace_back(duckdb_column_name(&state->result, i));
  }
  ArrowArrayStream stream{};
  stream.get_schema = ArrowGetSchema;
  stream.get_next = ArrowGetNext;
  stream.get_last_error = ArrowGetLastError;
  stream.release = ArrowRelease;
  stream.private_data = state.release();
  return stream;
}

class DuckDbTableAppender : public BatchAppender {
 public:
  explicit DuckDbTableAppender(DuckDbAppender appender) : appender_(std::move(appender)) {}
  void Append(const RecordBatch& batch) override { appender_.Append(batch); }
  void Flush() override { appender_.Flush(); }

 private:
  DuckDbAppender appender_;
};

std::string DatabaseName(const std::filesystem::path& path) {
  if (path == ":memory:") return "memory";
  const std::string file = path.filename().string();
  return file.substr(0, file.find('.'));
}

class DuckDbBackend : public CacheBackend {
 public:
  explicit DuckDbBackend(const std::filesystem::path& path)
      : path_(path), database_(DuckDbDatabase::Open(path)) {
    connection_.emplace(database_);
  }
  ~DuckDbBackend() override { Close(); }

  const SqlDialect& dialect() const override { return DuckDbDialect(); }
  std::string database_name() const override { return DatabaseName(path_); }

  void Execute(std::string_view sql) override { connection().Execute(sql); }
  QueryResult Query(std::string_view sql, std::optional<std::size_t> max_rows) override {
    return connection().Query(sql, max_rows);
  }
  std::unique_ptr<RowCursor> OpenCursor(const std::string& sql) override {
    connection();  // throws when closed
    return std::make_unique<DuckDbCursor>(database_, sql);
  }

  std::optional<std::vector<std::pair<std::string, std::string>>> TableColumns(
      std::string_view schema, std::string_view table) override {
    const QueryResult result = connection().Query(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = "
        "current_database() AND table_schema = " +
        QuoteLiteral(schema) + " AND table_name = " + QuoteLiteral(table) +
        " ORDER BY ordinal_position");
    if (result.rows.empty()) return std::nullopt;
    return result.StringPairs();
  }

  std::vector<std::string> PrimaryKeyColumns(std::string_view schema,
                                             std::string_view table) override {
    const QueryResult result = connection().Query(
        "SELECT constraint_column_names FROM duckdb_constraints() WHERE database_name = "
        "current_database() AND schema_name = " +
        QuoteLiteral(schema) + " AND table_name = " + QuoteLiteral(table) +
        " AND constraint_type = 'PRIMARY KEY'");
    std::vector<std::string> columns;
    if (!result.rows.empty() && result.rows[0].at(0).is_array()) {
      for (const Json& name : result.rows[0].at(0)) columns.push_back(name.get<std::string>());
    }
    return columns;
  }

  std::unique_ptr<StagingTable> CreateStaging(std::string_view name,
                                              const std::vector<ColumnDef>& columns) override {
    return std::make_unique<DuckDbStaging>(connection(), std::string(name), columns);
  }

  std::unique_ptr<BatchAppender> OpenAppender(std::string_view schema,
                                              std::string_view table) override {
    return std::make_unique<DuckDbTableAppender>(
        connection().Appender(std::string(schema), std::string(table)));
  }

  bool SupportsBulkInsert() const override { return true; }
  void BulkInsert(std::string_view schema, std::string_view table,
                  const std::vector<ColumnDef>& columns, InsertSource& source) override {
    std::vector<SqlType> types;
    for (const ColumnDef& column : columns) types.push_back(column.type);
    connection().InsertFrom(std::string(schema), std::string(table), types, source);
  }

  void Begin() override { connection().Execute("BEGIN TRANSACTION"); }
  void Commit() override { connection().Execute("COMMIT"); }
  void Rollback() noexcept override {
    try {
      if (open_) connection_->Execute("ROLLBACK");
    } catch (...) {
      // No transaction was active.
    }
  }
  void Checkpoint() override { connection().Execute("CHECKPOINT"); }

  // 128 MB keeps a 3M-record read's peak RSS within 6% of a 1M-record one (the default, 80%
  // of RAM, lets it grow with the data) at no measurable cost: written blocks are evicted
  // after the checkpoint writes them, and merges spill to DuckDB's temp directory.
  void LimitWriteMemory(bool on) noexcept override {
    try {
      if (on) {
        previous_memory_limit_ = MemoryLimit();
        connection().Execute("SET memory_limit = '128MB'");
      } else if (!previous_memory_limit_.empty()) {
        // RESET gives back the exact default; the setting's text is rounded ("18.8 GiB"), so
        // it is only written back when someone had set a value of their own.
        connection().Execute("RESET memory_limit");
        if (MemoryLimit() != previous_memory_limit_) {
          connection().Execute("SET memory_limit = '" + previous_memory_limit_ + "'");
        }
        previous_memory_limit_.clear();
      }
    } catch (const std::exception&) {
      // Memory bounding is an optimization; a read works without it.
    }
  }

  std::string MemoryLimit() {
    QueryResult current = connection().Query("SELECT current_setting('memory_limit')");
    if (!current.rows.empty() && current.rows[0].is_array() && !current.rows[0].empty() &&
        current.rows[0][0].is_string()) {
      return current.rows[0][0].get<std::string>();
    }
    return "";
  }

  void CopyTo(const std::string& query, const std::filesystem::path& path,
              std::string_view format) override {
    std::string options = "FORMAT " + std::string(format);
    if (format == "csv") options += ", HEADER";
    connection().Execute("COPY (" + query + ") TO " + QuoteLiteral(path.string()) + " (" +
                         options + ")");
  }

  ArrowArrayStream ToArrow(const std::string& query) override {
    connection();  // throws when closed
    return StreamArrow(database_, query);
  }

  void Close() noexcept override {
    if (!open_) return;
    open_ = false;
    connection_.reset();
    database_.Close();
  }

 private:
  DuckDbConnection& connection() {
    if (!open_) {
      throw Error(ErrorKind::kCache, "The cache is closed.",
                  {.guidance = "Open the cache again to use it after Close().",
                   .context = {{"db_path", path_.string()}}});
    }
    return *connection_;
  }

  std::filesystem::path path_;
  DuckDbDatabase database_;
  std::optional<DuckDbConnection> connection_;
  std::string previous_memory_limit_;  // set while LimitWriteMemory(true) is in effect
  bool open_ = true;
};

}  // namespace

ArrowArrayStream DuckDbArrowStream(const DuckDbDatabase& db, const std::string& query) {
  return StreamArrow(db, query);
}

std::unique_ptr<CacheBackend> OpenDuckDbBackend(const std::filesystem::path& db_path) {
  return std::make_unique<DuckDbBackend>(db_path);
}

}  // namespace airbyte::caches
