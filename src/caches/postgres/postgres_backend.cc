#include "caches/postgres/postgres_backend.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "caches/duckdb/duckdb_backend.h"
#include "caches/duckdb/duckdb_connection.h"
#include "caches/postgres/pg_copy.h"
#include "caches/sql_dialect.h"
#include "util/strings.h"
#include "util/temp_dir.h"

namespace airbyte::caches {
namespace {

// Sends COPY data in pieces of about this size (libpq buffers what it cannot send at once).
constexpr std::size_t kCopyChunkBytes = 1 << 20;

class PgBackend;

// One COPY ... FROM STDIN target (a staging or final table). Only one COPY can be open on a
// connection: the backend ends it before any other statement or another target's rows.
class CopyTarget {
 public:
  CopyTarget(PgBackend& backend, std::string copy_sql)
      : backend_(backend), copy_sql_(std::move(copy_sql)) {}
  void Append(const RecordBatch& batch);
  void Flush();
  const std::string& copy_sql() const { return copy_sql_; }

 private:
  PgBackend& backend_;
  std::string copy_sql_;
};

std::string CopySql(const std::string& table_sql, const std::vector<ColumnDef>& columns) {
  std::string sql = "COPY " + table_sql + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += QuoteIdentifier(columns[i].name);
  }
  return sql + ") FROM STDIN (FORMAT binary)";
}

class PgCursor : public RowCursor {
 public:
  PgCursor(const PgConnectParams& params, const std::string& search_path, const std::string& sql)
      : connection_(PgConnection::Connect(params)) {
    if (!search_path.empty()) connection_.Execute(search_path);
    connection_.StartRows(sql, &column_names_);
  }
  const std::vector<std::string>& column_names() const override { return column_names_; }
  std::optional<Json> Next() override { return connection_.NextRow(); }

 private:
  PgConnection connection_;
  std::vector<std::string> column_names_;
};

class PgBackend : public CacheBackend {
 public:
  explicit PgBackend(const PgConnectParams& params)
      : params_(params), connection_(PgConnection::Connect(params)) {}
  ~PgBackend() override { Close(); }

  const SqlDialect& dialect() const override { return PostgresDialect(); }
  std::string database_name() const override { return params_.database; }

  void UseSchema(std::string_view schema) override {
    search_path_ = "SET search_path TO " + QuoteIdentifier(schema) + ", public";
    Ready().Execute(search_path_);
  }

  void Execute(std::string_view sql) override { Ready().Execute(sql); }
  QueryResult Query(std::string_view sql, std::optional<std::size_t> max_rows) override {
    return Ready().Query(sql, max_rows);
  }
  std::unique_ptr<RowCursor> OpenCursor(const std::string& sql) override {
    Open();  // throws when closed
    return std::make_unique<PgCursor>(params_, search_path_, sql);
  }

  std::optional<std::vector<std::pair<std::string, std::string>>> TableColumns(
      std::string_view schema, std::string_view table) override {
    const QueryResult result = Ready().Query(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = " + QuoteLiteral(schema) + " AND c.relname = " + QuoteLiteral(table) +
        " AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attnum");
    if (result.rows.empty()) return std::nullopt;
    return result.StringPairs();
  }

  std::vector<std::string> PrimaryKeyColumns(std::string_view schema,
                                             std::string_view table) override {
    const QueryResult result = Ready().Query(
        "SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indisprimary AND n.nspname = " + QuoteLiteral(schema) +
        " AND c.relname = " + QuoteLiteral(table) +
        " ORDER BY array_position(i.indkey::int2[], a.attnum)");
    std::vector<std::string> columns;
    for (const Json& row : result.rows) columns.push_back(row.at(0).get<std::string>());
    return columns;
  }

  bool CanAppendInto(std::string_view type_text, SqlType type) const override {
    return PgExactType(type_text, type);
  }

  std::unique_ptr<StagingTable> CreateStaging(std::string_view name,
                                              const std::vector<ColumnDef>& columns) override;

  std::unique_ptr<BatchAppender> OpenAppender(std::string_view schema,
                                              std::string_view table) override;

  void Begin() override { Ready().Execute("BEGIN"); }
  void Commit() override { Ready().Execute("COMMIT"); }
  void Rollback() noexcept override {
    if (!connection_) return;
    connection_->AbortCopy();
    copy_owner_ = nullptr;
    buffer_.clear();
    try {
      connection_->Execute("ROLLBACK");
    } catch (...) {
      // No transaction, or the connection is gone (the server rolled back).
    }
  }

  void CopyTo(const std::string& query, const std::filesystem::path& path,
              std::string_view format) override;
  ArrowArrayStream ToArrow(const std::string& query) override;

  void Close() noexcept override {
    if (!connection_) return;
    connection_->AbortCopy();
    connection_.reset();
  }

  // --- COPY coordination (CopyTarget) ---------------------------------------------------

  void CopyRows(const CopyTarget* target, const RecordBatch& batch) {
    PgConnection& connection = Open();
    if (copy_owner_ != target) {
      EndCopy();
      connection.BeginCopy(target->copy_sql());
      copy_owner_ = target;
      buffer_.assign(PgCopyHeader());
    }
    for (std::size_t start = 0; start < batch.rows; start += 256) {
      AppendPgCopyRows(batch, start, std::min<std::size_t>(256, batch.rows - start), buffer_);
      if (buffer_.size() >= kCopyChunkBytes) {
        connection.PutCopyData(buffer_);
        buffer_.clear();
      }
    }
  }

  void EndCopy(const CopyTarget* target = nullptr) {
    if (copy_owner_ == nullptr || (target != nullptr && copy_owner_ != target)) return;
    copy_owner_ = nullptr;
    buffer_.append(PgCopyTrailer());
    PgConnection& connection = Open();
    try {
      connection.PutCopyData(buffer_);
      buffer_.clear();
      connection.EndCopy();
    } catch (...) {
      buffer_.clear();
      connection.AbortCopy();
      throw;
    }
  }

  // A target is going away: drop its unfinished COPY (never throws).
  void Forget(const CopyTarget* target) noexcept {
    if (copy_owner_ != target || !connection_) return;
    copy_owner_ = nullptr;
    buffer_.clear();
    connection_->AbortCopy();
  }

  PgConnection& Open() {
    if (!connection_) {
      throw Error(ErrorKind::kCache, "The cache is closed.",
                  {.guidance = "Open the cache again to use it after Close().",
                   .context = {{"server", params_.Describe()}}});
    }
    return *connection_;
  }

 private:
  // The connection, with any open COPY finished first.
  PgConnection& Ready() {
    EndCopy();
    return Open();
  }

  // Writes `query`'s rows as CSV with a header to `path`.
  void SpoolCsv(const std::string& query, const std::filesystem::path& path);
  // read_csv() of a spooled file with the query's column types, for DuckDB.
  std::string ReadCsvSql(const std::string& query, const std::filesystem::path& path);

  PgConnectParams params_;
  std::string search_path_;  // SET statement for new connections (UseSchema)
  std::optional<PgConnection> connection_;
  const CopyTarget* copy_owner_ = nullptr;
  std::string buffer_;
};

void CopyTarget::Append(const RecordBatch& batch) { backend_.CopyRows(this, batch); }
void CopyTarget::Flush() { backend_.EndCopy(this); }

// A TEMP table with an identity column that numbers rows in load order.
class PgStaging : public StagingTable {
 public:
  PgStaging(PgBackend& backend, std::string name, std::vector<ColumnDef> columns)
      : backend_(backend),
        sql_name_("pg_temp." + QuoteIdentifier(name)),
        target_(backend, CopySql(sql_name_, columns)) {
    std::string order = "_airbyte_load_order";
    while (std::any_of(columns.begin(), columns.end(),
                       [&](const ColumnDef& c) { return c.name == order; })) {
      order += '_';
    }
    order_column_ = order;
    backend_.Execute(CreateTableSql(PostgresDialect(), "", name, columns,
                                    /*if_not_exists=*/false, /*temporary=*/true));
    backend_.Execute("ALTER TABLE " + sql_name_ + " ADD COLUMN " + QuoteIdentifier(order) +
                     " BIGINT GENERATED ALWAYS AS IDENTITY");
  }
  ~PgStaging() override {
    backend_.Forget(&target_);
    try {
      backend_.Open().Execute("DROP TABLE IF EXISTS " + sql_name_);
    } catch (...) {
      // Closed, or in a failed transaction: a TEMP table dies with its session anyway.
    }
  }

  const std::string& sql_name() const override { return sql_name_; }
  const std::string& order_column() const override { return order_column_; }
  void Append(const RecordBatch& batch) override {
    target_.Append(batch);
    rows_ += batch.rows;
  }
  void Flush() override { target_.Flush(); }
  void Clear() override {
    backend_.Execute("TRUNCATE " + sql_name_ + " RESTART IDENTITY");
    rows_ = 0;
  }
  std::size_t rows() const override { return rows_; }

 private:
  PgBackend& backend_;
  std::string sql_name_;
  std::string order_column_;
  CopyTarget target_;
  std::size_t rows_ = 0;
};

class PgTableAppender : public BatchAppender {
 public:
  PgTableAppender(PgBackend& backend, std::string copy_sql)
      : backend_(backend), target_(backend, std::move(copy_sql)) {}
  ~PgTableAppender() override { backend_.Forget(&target_); }
  void Append(const RecordBatch& batch) override { target_.Append(batch); }
  void Flush() override { target_.Flush(); }

 private:
  PgBackend& backend_;
  CopyTarget target_;
};

std::unique_ptr<StagingTable> PgBackend::CreateStaging(std::string_view name,
                                                       const std::vector<ColumnDef>& columns) {
  return std::make_unique<PgStaging>(*this, std::string(name), columns);
}

std::unique_ptr<BatchAppender> PgBackend::OpenAppender(std::string_view schema,
                                                       std::string_view table) {
  const auto columns = TableColumns(schema, table);
  if (!columns) {
    throw Error(ErrorKind::kCache, "Cannot append to a table that does not exist.",
                {.context = {{"table", QualifiedName(schema, table)}}});
  }
  std::vector<ColumnDef> defs;
  for (const auto& [name, type] : *columns) defs.push_back({.name = name});
  return std::make_unique<PgTableAppender>(*this, CopySql(QualifiedName(schema, table), defs));
}

// DuckDB's type for a Postgres result column (for Parquet and Arrow export through DuckDB).
std::string DuckDbTypeFor(const std::string& pg_type) {
  if (pg_type == "NUMERIC") return "DECIMAL(38, 9)";
  if (pg_type == "REAL") return "FLOAT";
  if (pg_type == "DOUBLE PRECISION") return "DOUBLE";
  if (pg_type == "JSONB" || pg_type == "TEXT" || pg_type.starts_with("OID ")) return "VARCHAR";
  return pg_type;  // BOOLEAN, BIGINT, INTEGER, SMALLINT, VARCHAR, JSON, DATE, TIME, TIMESTAMP...
}

void PgBackend::SpoolCsv(const std::string& query, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    throw Error(ErrorKind::kIo, "Could not create the export file.",
                {.context = {{"path", path.string()}}});
  }
  Ready().CopyOut("COPY (" + query + ") TO STDOUT (FORMAT csv, HEADER)",
                  [&](std::string_view chunk) { out.write(chunk.data(), static_cast<std::streamsize>(chunk.size())); });
  out.close();
  if (!out) {
    throw Error(ErrorKind::kIo, "Could not write the export file (disk full?).",
                {.context = {{"path", path.string()}}});
  }
}

std::string PgBackend::ReadCsvSql(const std::string& query, const std::filesystem::path& path) {
  const QueryResult shape = Ready().Query("SELECT * FROM (" + query + ") AS q LIMIT 0");
  std::string columns;
  for (std::size_t i = 0; i < shape.column_names.size(); ++i) {
    if (i > 0) columns += ", ";
    columns += QuoteLiteral(shape.column_names[i]) + ": " +
               QuoteLiteral(DuckDbTypeFor(shape.column_types[i]));
  }
  return "SELECT * FROM read_csv(" + QuoteLiteral(path.string()) +
         ", header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
         "allow_quoted_nulls = false, columns = {" +
         columns + "})";
}

void PgBackend::CopyTo(const std::string& query, const std::filesystem::path& path,
                       std::string_view format) {
  if (format == "csv") {
    SpoolCsv(query, path);
    return;
  }
  if (format == "json") {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    PgCursor cursor(params_, search_path_, query);
    while (std::optional<Json> row = cursor.Next()) {
      Json object = Json::object();
      for (std::size_t i = 0; i < cursor.column_names().size(); ++i) {
        object[cursor.column_names()[i]] = std::move((*row)[i]);
      }
      out << object.dump() << '\n';
    }
    out.close();
    if (!out) {
      throw Error(ErrorKind::kIo, "Could not write the export file (disk full?).",
                  {.context = {{"path", path.string()}}});
    }
    return;
  }
  // Parquet: DuckDB writes it from a spooled CSV (private temp file, constant memory).
  util::ScopedTempDir temp("pg-export");
  const std::filesystem::path csv = temp.path() / "rows.csv";
  SpoolCsv(query, csv);
  DuckDbDatabase db = DuckDbDatabase::Open(":memory:");
  DuckDbConnection connection(db);
  connection.Execute("COPY (" + ReadCsvSql(query, csv) + ") TO " + QuoteLiteral(path.string()) +
                     " (FORMAT " + std::string(format) + ")");
}

// Forwards to a DuckDB Arrow stream and deletes the spooled file when released.
struct SpooledArrow {
  ArrowArrayStream inner{};
  std::unique_ptr<util::ScopedTempDir> dir;
};

ArrowArrayStream PgBackend::ToArrow(const std::string& query) {
  auto spooled = std::make_unique<SpooledArrow>();
  spooled->dir = std::make_unique<util::ScopedTempDir>("pg-arrow");
  const std::filesystem::path csv = spooled->dir->path() / "rows.csv";
  SpoolCsv(query, csv);
  const std::string read_sql = ReadCsvSql(query, csv);
  {
    DuckDbDatabase db = DuckDbDatabase::Open(":memory:");
    spooled->inner = DuckDbArrowStream(db, read_sql);  // its connection keeps DuckDB alive
  }
  ArrowArrayStream stream{};
  stream.get_schema = [](ArrowArrayStream* s, ArrowSchema* out) {
    auto* self = static_cast<SpooledArrow*>(s->private_data);
    return self->inner.get_schema(&self->inner, out);
  };
  stream.get_next = [](ArrowArrayStream* s, ArrowArray* out) {
    auto* self = static_cast<SpooledArrow*>(s->private_data);
    return self->inner.get_next(&self->inner, out);
  };
  stream.get_last_error = [](ArrowArrayStream* s) {
    auto* self = static_cast<SpooledArrow*>(s->private_data);
    return self->inner.get_last_error(&self->inner);
  };
  stream.release = [](ArrowArrayStream* s) {
    auto* self = static_cast<SpooledArrow*>(s->private_data);
    if (self->inner.release != nullptr) self->inner.release(&self->inner);
    delete self;
    s->release = nullptr;
  };
  stream.private_data = spooled.release();
  return stream;
}

}  // namespace

std::unique_ptr<CacheBackend> OpenPostgresBackend(const PgConnectParams& params) {
  return std::make_unique<PgBackend>(params);
}

}  // namespace airbyte::caches
