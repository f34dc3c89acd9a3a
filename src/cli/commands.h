#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <ostream>
#include <vector>
#include <string>

#include "airbyte/cache.h"
#include "airbyte/json.h"
#include "airbyte/progress.h"
#include "cli/run_connector.h"

namespace airbyte::cli {

/// Declares every subcommand on a CLI11 app and runs the one the user picked.
class CommandRegistry {
 public:
  explicit CommandRegistry(CLI::App& app);
  /// Runs the parsed subcommand; returns the exit code. Throws airbyte::Error on failure.
  int Run();

 private:
  void AddSpec();
  void AddCheck();
  void AddDiscover();
  void AddRecords();
  void AddRunConnector();
  void AddRead();  // cache_commands.cc
  void AddSql();   // cache_commands.cc
  void AddValidate();   // pyab_commands.cc
  void AddBenchmark();  // pyab_commands.cc
  void AddSync();       // pyab_commands.cc
  void AddConnectors();  // info_commands.cc
  void AddState();       // info_commands.cc
  void AddCacheInfo();   // info_commands.cc
  /// --quiet / --progress on `cmd` (read, benchmark).
  void AddProgressOptions(CLI::App* cmd);
  /// The style those options ask for.
  ProgressStyle progress_style() const;

  CLI::App& app_;
  std::function<int()> selected_;
  // Option values, filled by CLI11.
  std::string source_;
  std::string manifest_;  // --manifest: a declarative manifest for --source
  std::string config_;
  std::string stream_;
  std::optional<std::size_t> limit_;
  double idle_timeout_s_ = 0;
  RunConnectorArgs run_connector_;
  std::string streams_;
  std::string cache_path_;
  std::string write_strategy_ = "auto";
  bool full_refresh_ = false;
  bool json_ = false;
  std::string sql_;
  // pyab commands (behavior doc 11).
  std::string connector_;
  std::string pip_url_;
  std::string use_python_;
  std::string num_records_ = "5e5";
  std::string destination_;
  std::string dconfig_;
  std::string dpip_url_;
  // Ours.
  std::string type_;
  std::string install_type_;
  bool quiet_ = false;
  std::string progress_ = "auto";
};

// Shared helpers of the command files (cache_commands.cc).

/// --cache: a DuckDB file or a postgresql:// URL; empty: the project's default cache.
Cache OpenCache(const std::string& reference);
/// The --cache value for messages: the default cache's path when empty, passwords masked.
std::string DescribeCache(const std::string& reference);
/// Whether a --cache value is a Postgres URL.
bool IsPostgresUrl(const std::string& reference);
/// "a, b ,c" -> {"a", "b", "c"}; empty entries dropped.
std::vector<std::string> SplitStreams(const std::string& text);
/// Rows as an aligned text table (cells cut at 60 characters) and a row count.
void PrintTable(const std::vector<Json>& rows, std::ostream& out);

}  // namespace airbyte::cli
