#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>

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

  CLI::App& app_;
  std::function<int()> selected_;
  // Option values, filled by CLI11.
  std::string source_;
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
};

}  // namespace airbyte::cli
