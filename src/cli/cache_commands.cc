// `airbyte read` and `airbyte sql`: land streams in a cache and query it.

#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "airbyte/cache.h"
#include "airbyte/error.h"
#include "airbyte/source.h"
#include "cli/cli_args.h"
#include "cli/commands.h"

namespace airbyte::cli {
namespace {

std::string CellText(const Json& value) {
  if (value.is_null()) return "NULL";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

}  // namespace

Cache OpenCache(const std::string& reference) { return airbyte::OpenCache(reference); }

bool IsPostgresUrl(const std::string& reference) {
  return reference.starts_with("postgresql://") || reference.starts_with("postgres://");
}

std::string DescribeCache(const std::string& reference) {
  if (reference.empty()) return (DefaultCacheRoot() / "default_cache/default_cache.duckdb").string();
  return MaskSecrets(reference);
}

std::vector<std::string> SplitStreams(const std::string& text) {
  std::vector<std::string> streams;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string name = text.substr(start, comma - start);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (!name.empty()) streams.push_back(name);
    start = comma + 1;
  }
  return streams;
}

void PrintTable(const std::vector<Json>& rows, std::ostream& out) {
  if (rows.empty()) {
    out << "(no rows)\n";
    return;
  }
  std::vector<std::string> columns;
  for (const auto& [key, value] : rows.front().items()) columns.push_back(key);
  std::vector<std::size_t> widths;
  for (const std::string& column : columns) widths.push_back(column.size());
  for (const Json& row : rows) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      widths[i] = std::max(widths[i], std::min<std::size_t>(CellText(row[columns[i]]).size(), 60));
    }
  }
  const auto print_row = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      std::string cell = cells[i].size() > 60 ? cells[i].substr(0, 57) + "..." : cells[i];
      out << (i == 0 ? "" : " | ") << cell << std::string(widths[i] - std::min(widths[i], cell.size()), ' ');
    }
    out << "\n";
  };
  print_row(columns);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    out << (i == 0 ? "" : "-+-") << std::string(widths[i], '-');
  }
  out << "\n";
  for (const Json& row : rows) {
    std::vector<std::string> cells;
    for (const std::string& column : columns) cells.push_back(CellText(row[column]));
    print_row(cells);
  }
  out << "(" << rows.size() << (rows.size() == 1 ? " row)\n" : " rows)\n");
}

void CommandRegistry::AddRead() {
  CLI::App* cmd = app_.add_subcommand(
      "read", "Read streams into a cache (a DuckDB file; default: the project's default cache).");
  cmd->add_option("--source", source_, "Source connector (built-in name, path, or name on PATH)")
      ->required();
  cmd->add_option("--manifest", manifest_, kManifestHelp);
  cmd->add_option("--config", config_, "Connector config: a JSON/YAML file or inline YAML");
  cmd->add_option("--streams", streams_, "Comma-separated streams, or * for all (default: all)");
  cmd->add_option("--cache", cache_path_,
                  "DuckDB file or postgresql://user:password@host:port/db[?schema=s] URL to read "
                  "into (default: .cache/default_cache/default_cache.duckdb)");
  cmd->add_option("--write-strategy", write_strategy_, "auto | append | merge | replace")
      ->default_val("auto");
  cmd->add_flag("--full-refresh", full_refresh_, "Ignore stored state; re-read everything");
  cmd->add_flag("--json", json_, "Print the result as JSON");
  AddProgressOptions(cmd);
  cmd->footer(
      "Examples:\n"
      "  airbyte read --source source-faker --config '{count: 1000}'\n"
      "  airbyte read --source source-faker --streams users --cache users.duckdb --json\n"
      "  airbyte read --source source-faker --cache postgresql://me:pw@db:5432/analytics\n"
      "  airbyte read --source ./source-x --config cfg.yaml --write-strategy replace --full-refresh");
  cmd->callback([this] {
    selected_ = [this] {
      const WriteStrategy strategy = ParseWriteStrategy(write_strategy_);
      Json config = config_.empty() ? Json::object() : ResolveConfig(config_);
      Source source = ResolveSource(source_, {.source_manifest = manifest_});
      source.SetConfig(config, /*validate=*/false);
      std::vector<std::string> streams = SplitStreams(streams_);
      if (streams.empty()) streams = {"*"};
      Cache cache = OpenCache(cache_path_);
      const ReadResult result = source.Read(
          cache, {.streams = streams,
                 .write_strategy = strategy,
                 .force_full_refresh = full_refresh_,
                 .progress = progress_style()});
      const std::string where = DescribeCache(cache_path_);
      if (json_) {
        Json out = {{"processed_records", result.processed_records()},
                    {"streams", Json::object()},
                    {"cache", where}};
        for (const std::string& stream : result.stream_names()) {
          out["streams"][stream] = {{"records", result.StreamRecords(stream)},
                                    {"table", cache.TableName(stream)}};
        }
        std::cout << out.dump() << "\n";
      } else {
        for (const std::string& stream : result.stream_names()) {
          std::cout << stream << ": " << result.StreamRecords(stream) << " records -> table "
                    << cache.TableName(stream) << "\n";
        }
        std::cout << "Read " << result.processed_records() << " records from `" << source.name()
                  << "` into " << where << "\n";
      }
      return 0;
    };
  });
}

void CommandRegistry::AddSql() {
  CLI::App* cmd = app_.add_subcommand("sql", "Run SQL against a cache and print the rows.");
  cmd->add_option("query", sql_, "The SQL statement")->required();
  cmd->add_option("--cache", cache_path_,
                  "DuckDB file or postgresql:// URL (default: the default cache)");
  cmd->add_flag("--json", json_, "Print rows as JSON lines");
  cmd->footer(
      "Examples:\n"
      "  airbyte sql \"SELECT count(*) FROM users\"\n"
      "  airbyte sql --cache users.duckdb --json \"SELECT id, name FROM users LIMIT 3\"");
  cmd->callback([this] {
    selected_ = [this] {
      Cache cache = OpenCache(cache_path_);
      const std::vector<Json> rows = cache.Query(sql_);
      if (json_) {
        for (const Json& row : rows) std::cout << row.dump() << "\n";
      } else {
        PrintTable(rows, std::cout);
      }
      return 0;
    };
  });
}

void CommandRegistry::AddProgressOptions(CLI::App* cmd) {
  cmd->add_flag("--quiet,-q", quiet_, "No progress display and no summary on stderr");
  cmd->add_option("--progress", progress_,
                  "auto (live on a terminal, plain heartbeat lines otherwise; NO_LIVE_PROGRESS "
                  "or CI force plain) | live | plain | none")
      ->check(CLI::IsMember({"auto", "live", "plain", "none"}))
      ->default_val("auto");
}

ProgressStyle CommandRegistry::progress_style() const {
  if (quiet_ || progress_ == "none") return ProgressStyle::kNone;
  if (progress_ == "live") return ProgressStyle::kLive;
  if (progress_ == "plain") return ProgressStyle::kPlain;
  return ProgressStyle::kAuto;
}

}  // namespace airbyte::cli
