#pragma once

#include <string>
#include <vector>

namespace airbyte::cli {

/// Arguments of `airbyte run-connector NAME VERB ...`.
struct RunConnectorArgs {
  /// [NAME] VERB as given; Resolve() splits them into name and verb.
  std::vector<std::string> positionals = {};
  /// A declarative manifest to run instead of a built-in connector.
  std::string manifest = {};
  std::string name = {};
  std::string verb = {};
  std::string config_path = {};
  std::string catalog_path = {};
  std::string state_path = {};
};

/// Runs a native connector (or the declarative manifest `args.manifest`) as a standard Airbyte connector process: protocol messages as JSON
/// lines on stdout, exactly one per line. Failures print a TRACE ERROR message on stdout (as
/// the Python CDK does) and return 1; bad arguments return 2.
int RunConnector(const RunConnectorArgs& args);

}  // namespace airbyte::cli
