#include "caches/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <cstdint>
#include <cstdlib>
#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "caches/postgres/pg_values.h"
#include "util/strings.h"

namespace airbyte::caches {

// Owns one PGresult.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult() { PQclear(result_); }
  PGresult* get() const { return result_; }
  ExecStatusType status() const { return PQresultStatus(result_); }

 private:
  PGresult* result_;
};

namespace {

PGconn* Conn(void* handle) { return static_cast<PGconn*>(handle); }

// libpq's keyword='value' quoting.
std::string ConnValue(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string TrimmedMessage(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string Shortened(std::string_view sql) {
  constexpr std::size_t kMax = 1000;
  if (sql.size() <= kMax) return std::string(sql);
  return std::string(sql.substr(0, kMax)) + " ...";
}

// Guidance for a failed connection attempt, from libpq's message.
std::string ConnectGuidance(const std::string& message, const PgConnectParams& params) {
  const std::string lower = util::AsciiLower(message);
  if (lower.find("password authentication failed") != std::string::npos ||
      lower.find("no password supplied") != std::string::npos ||
      lower.find("authentication failed") != std::string::npos) {
    return "The server refused the user name or password: check the cache's username and "
           "password (or the postgresql:// URL).";
  }
  if (lower.find("does not exist") != std::string::npos && lower.find("database") != std::string::npos) {
    return "Create the database first (CREATE DATABASE \"" + params.database +
           "\") or point the cache at an existing one.";
  }
  if (lower.find("connection refused") != std::string::npos ||
      lower.find("no such file or directory") != std::string::npos) {
    return "No Postgres server is listening there: check host and port, and that the server "
           "is running and accepts TCP connections (listen_addresses).";
  }
  if (lower.find("could not translate host name") != std::string::npos) {
    return "The host name does not resolve: check the cache's host.";
  }
  if (lower.find("timeout") != std::string::npos) {
    return "The server did not answer in time: check the host, port and firewall.";
  }
  return "Check the cache's connection settings (host, port, database, username, password).";
}

// Guidance for a failed statement, by SQLSTATE.
std::string StatementGuidance(std::string_view sqlstate, bool connection_lost) {
  if (connection_lost || sqlstate.starts_with("08") || sqlstate == "57P01" ||
      sqlstate == "57P02" || sqlstate == "57P03") {
    return "The connection to the Postgres server was lost. Everything committed before is "
           "kept; run the read again once the server is back and it resumes from the last "
           "stored state.";
  }
  if (sqlstate == "42501") {
    return "The Postgres user lacks a privilege this needs: grant it (for example GRANT "
           "CREATE ON DATABASE, or USAGE and CREATE ON SCHEMA) or use a schema the user owns.";
  }
  if (sqlstate == "53100") {
    return "The database server is out of disk space. Free space on the server, then run the "
           "read again: everything committed before is kept and the read resumes from its last "
           "stored state.";
  }
  if (sqlstate.starts_with("53")) {
    return "The database server ran out of a resource (memory, connections). Retry later or "
           "ask the server's administrator.";
  }
  if (sqlstate.starts_with("22")) {
    return "The server rejected a value; this is a bug in the cache's conversion, please "
           "report it with the error.";
  }
  return {};
}

}  // namespace

std::string PgConnectParams::Describe() const {
  return (host.empty() ? std::string("localhost") : host) + ":" + std::to_string(port) + "/" +
         database;
}

PgConnection PgConnection::Connect(const PgConnectParams& params) {
  RegisterSecret(params.password);
  std::string conninfo = "application_name='airbyte-cpp' connect_timeout=10";
  if (!params.host.empty()) conninfo += " host=" + ConnValue(params.host);
  conninfo += " port=" + std::to_string(params.port);
  if (!params.database.empty()) conninfo += " dbname=" + ConnValue(params.database);
  if (!params.username.empty()) conninfo += " user=" + ConnValue(params.username);
  if (!params.password.empty()) conninfo += " password=" + ConnValue(params.password);
  for (const auto& [key, value] : params.options) conninfo += " " + key + "=" + ConnValue(value);

  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) throw Error(ErrorKind::kCache, "Out of memory connecting to Postgres.");
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = TrimmedMessage(PQerrorMessage(conn));
    PQfinish(conn);
    throw Error(ErrorKind::kCache, "Could not connect to the Postgres cache.",
                {.guidance = ConnectGuidance(message, params),
                 .context = {{"server", params.Describe()}, {"error", message}}});
  }
  // Notices ("schema already exists, skipping") would go to stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  PgConnection connection(conn, params);
  connection.Execute(
      "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET client_encoding = 'UTF8'; "
      "SET IntervalStyle = 'iso_8601'");
  return connection;
}

PgConnection::PgConnection(void* conn, PgConnectParams params)
    : conn_(conn), params_(std::move(params)) {}

PgConnection::PgConnection(PgConnection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)),
      params_(std::move(other.params_)),
      copying_(std::exchange(other.copying_, false)),
      streaming_(std::exchange(other.streaming_, false)),
      stream_types_(std::move(other.stream_types_)),
      pending_(std::exchange(other.pending_, nullptr)) {}

PgConnection& PgConnection::operator=(PgConnection&& other) noexcept {
  if (this != &other) {
    Release();
    conn_ = std::exchange(other.conn_, nullptr);
    pending_ = std::exchange(other.pending_, nullptr);
    params_ = std::move(other.params_);
    copying_ = std::exchange(other.copying_, false);
    streaming_ = std::exchange(other.streaming_, false);
    stream_types_ = std::move(other.stream_types_);
  }
  return *this;
}

PgConnection::~PgConnection() { Release(); }

void PgConnection::Release() noexcept {
  if (pending_ != nullptr) PQclear(static_cast<PGresult*>(std::exchange(pending_, nullptr)));
  if (conn_ != nullptr) PQfinish(Conn(std::exchange(conn_, nullptr)));
}

void PgConnection::Fail(PgResult& result, std::string_view sql) {
  const std::string message = TrimmedMessage(PQresultErrorMessage(result.get()));
  const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
  const std::string sqlstate = state == nullptr ? "" : state;
  const bool lost = PQstatus(Conn(conn_)) == CONNECTION_BAD;
  std::vector<ErrorContextItem> context = {{"server", params_.Describe()}};
  if (!sql.empty()) context.emplace_back("sql", Shortened(sql));
  context.emplace_back("error", message.empty() ? TrimmedMessage(PQerrorMessage(Conn(conn_)))
                                                : message);
  if (!sqlstate.empty()) context.emplace_back("sqlstate", sqlstate);
  throw Error(ErrorKind::kCache,
              lost ? "Lost the connection to the Postgres cache." : "A Postgres statement failed.",
              {.guidance = StatementGuidance(sqlstate, lost), .context = std::move(context)});
}

void PgConnection::FailConnection(std::string_view what, std::string_view sql) {
  const bool lost = PQstatus(Conn(conn_)) == CONNECTION_BAD;
  std::vector<ErrorContextItem> context = {{"server", params_.Describe()}};
  if (!sql.empty()) context.emplace_back("sql", Shortened(sql));
  context.emplace_back("error", TrimmedMessage(PQerrorMessage(Conn(conn_))));
  throw Error(ErrorKind::kCache,
              lost ? "Lost the connection to the Postgres cache." : std::string(what),
              {.guidance = StatementGuidance("", lost), .context = std::move(context)});
}

void PgConnection::Execute(std::string_view sql) {
  const std::string text(sql);
  PgResult result(PQexec(Conn(conn_), text.c_str()));
  if (result.get() == nullptr) FailConnection("A Postgres statement failed.", sql);
  const ExecStatusType status = result.status();
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
    Fail(result, sql);
  }
}

QueryResult PgConnection::Query(std::string_view sql, std::optional<std::size_t> max_rows) {
  QueryResult out;
  if (max_rows) {
    StartRows(sql, &out.column_names);
    out.column_types.assign(out.column_names.size(), {});
    for (std::size_t i = 0; i < stream_types_.size(); ++i) {
      out.column_types[i] = PgTypeName(stream_types_[i]);
    }
    while (out.rows.size() < *max_rows) {
      std::optional<Json> row = NextRow();
      if (!row) return out;
      out.rows.push_back(std::move(*row));
    }
    // Enough rows: stop the server and drop the rest.
    if (PGcancel* cancel = PQgetCancel(Conn(conn_)); cancel != nullptr) {
      char error[256];
      PQcancel(cancel, error, sizeof(error));
      PQfreeCancel(cancel);
    }
    while (PGresult* rest = PQgetResult(Conn(conn_))) PQclear(rest);
    streaming_ = false;
    return out;
  }
  const std::string text(sql);
  PgResult result(PQexec(Conn(conn_), text.c_str()));
  if (result.get() == nullptr) FailConnection("A Postgres query failed.", sql);
  const ExecStatusType status = result.status();
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) Fail(result, sql);
  const int columns = PQnfields(result.get());
  for (int c = 0; c < columns; ++c) {
    out.column_names.emplace_back(PQfname(result.get(), c));
    out.column_types.push_back(PgTypeName(PQftype(result.get(), c)));
  }
  const int rows = PQntuples(result.get());
  out.rows.reserve(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) out.rows.push_back(PgRowJson(result.get(), r));
  return out;
}

void PgConnection::BeginCopy(std::string_view copy_sql) {
  const std::string text(copy_sql);
  PgResult result(PQexec(Conn(conn_), text.c_str()));
  if (result.get() == nullptr) FailConnection("Could not start a COPY into Postgres.", copy_sql);
  if (result.status() != PGRES_COPY_IN) Fail(result, copy_sql);
  copying_ = true;
}

void PgConnection::PutCopyData(std::string_view data) {
  if (PQputCopyData(Conn(conn_), data.data(), static_cast<int>(data.size())) != 1) {
    copying_ = false;
    FailConnection("Could not send COPY data to Postgres.", {});
  }
}

void PgConnection::EndCopy() {
  copying_ = false;
  if (PQputCopyEnd(Conn(conn_), nullptr) != 1) {
    FailConnection("Could not finish a COPY into Postgres.", {});
  }
  while (PGresult* raw = PQgetResult(Conn(conn_))) {
    PgResult result(raw);
    if (result.status() != PGRES_COMMAND_OK) {
      while (PGresult* rest = PQgetResult(Conn(conn_))) PQclear(rest);
      Fail(result, "COPY ... FROM STDIN");
    }
  }
}

void PgConnection::AbortCopy() noexcept {
  if (!copying_) return;
  copying_ = false;
  PQputCopyEnd(Conn(conn_), "aborted by airbyte");
  while (PGresult* raw = PQgetResult(Conn(conn_))) PQclear(raw);
}

void PgConnection::StartCopyOut(std::string_view sql) {
  const std::string text(sql);
  PgResult result(PQexec(Conn(conn_), text.c_str()));
  if (result.get() == nullptr) FailConnection("A Postgres COPY failed.", sql);
  if (result.status() != PGRES_COPY_OUT) Fail(result, sql);
}

bool PgConnection::NextCopyOut(std::string& chunk) {
  char* buffer = nullptr;
  const int length = PQgetCopyData(Conn(conn_), &buffer, /*async=*/0);
  if (length > 0) {
    chunk.assign(buffer, static_cast<std::size_t>(length));
    PQfreemem(buffer);
    return true;
  }
  if (length == -2) FailConnection("A Postgres COPY failed.", {});
  while (PGresult* raw = PQgetResult(Conn(conn_))) {
    PgResult result(raw);
    if (result.status() != PGRES_COMMAND_OK) Fail(result, "COPY ... TO STDOUT");
  }
  return false;
}

void PgConnection::StartRows(std::string_view sql, std::vector<std::string>* column_names) {
  const std::string text(sql);
  if (PQsendQuery(Conn(conn_), text.c_str()) != 1) FailConnection("A Postgres query failed.", sql);
  PQsetSingleRowMode(Conn(conn_));
  streaming_ = true;
  stream_types_.clear();
  // The first result tells the columns; keep it for NextRow().
  PGresult* first = PQgetResult(Conn(conn_));
  if (first == nullptr) FailConnection("A Postgres query failed.", sql);
  const ExecStatusType status = PQresultStatus(first);
  if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    streaming_ = false;
    PgResult failed(first);
    while (PGresult* rest = PQgetResult(Conn(conn_))) PQclear(rest);
    Fail(failed, sql);
  }
  for (int c = 0; c < PQnfields(first); ++c) {
    if (column_names != nullptr) column_names->emplace_back(PQfname(first, c));
    stream_types_.push_back(PQftype(first, c));
  }
  pending_ = first;
}

std::optional<Json> PgConnection::NextRow() {
  while (streaming_) {
    PGresult* raw = pending_ != nullptr ? static_cast<PGresult*>(std::exchange(pending_, nullptr))
                                        : PQgetResult(Conn(conn_));
    if (raw == nullptr) {
      streaming_ = false;
      break;
    }
    PgResult result(raw);
    switch (result.status()) {
      case PGRES_SINGLE_TUPLE:
        return PgRowJson(result.get(), 0);
      case PGRES_TUPLES_OK:
      case PGRES_COMMAND_OK:
        continue;  // the end marker; a null result follows
      default:
        streaming_ = false;
        while (PGresult* rest = PQgetResult(Conn(conn_))) PQclear(rest);
        Fail(result, {});
    }
  }
  return std::nullopt;
}

}  // namespace airbyte::caches
