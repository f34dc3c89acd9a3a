#pragma once

#include <string>

namespace airbyte::cli {

/// Arguments of `airbyte run-connector NAME VERB ...`.
struct RunConnectorArgs {
  std::string name = {};
  std::string verb = {};
  std::string config_path = {};
  std::string catalog_path = {};
  std::string state_path = {};
};

/// Runs a native connector as a standard Airbyte connector process: protocol messages as JSON
/// lines on stdout, exactly one per line. Failures print a TRACE ERROR message on stdout (as
/// the Python CDK does) and return 1; bad arguments return 2.
int RunConnector(const RunConnectorArgs& args);

}  // namespace airbyte::cli
