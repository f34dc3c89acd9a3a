// pyab's commands (behavior doc 11): `validate`, `benchmark` and `sync`, same flags.

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "airbyte/cache.h"
#include "airbyte/error.h"
#include "airbyte/source.h"
#include "cli/cli_args.h"
#include "cli/commands.h"

namespace airbyte::cli {
namespace {

constexpr const char* kGuidance =
    "PyAirbyte CLI Guidance:\n"
    "  Config (--config) is a path to a JSON or YAML file, or inline YAML starting with '{',\n"
    "  e.g. --config='{count: 400_000}'. String values starting with `SECRET:` are replaced\n"
    "  by the secret of that name (e.g. api_key: SECRET:MY_API_KEY from the environment).";

Error DestinationsUnavailable(const std::string& destination) {
  return Error(ErrorKind::kInput, "Destinations are not available yet.",
               {.guidance = "Read into a cache instead: `airbyte read --source ... --cache "
                            "FILE.duckdb`, or benchmark a source alone with `airbyte benchmark "
                            "--source ...`.",
                .context = {{"destination", destination}}});
}

YAML::Node ToYaml(const Json& value) {
  if (value.is_object()) {
    YAML::Node node(YAML::NodeType::Map);
    for (const auto& [key, item] : value.items()) node[key] = ToYaml(item);
    return node;
  }
  if (value.is_array()) {
    YAML::Node node(YAML::NodeType::Sequence);
    for (const Json& item : value) node.push_back(ToYaml(item));
    return node;
  }
  if (value.is_null()) return YAML::Node(YAML::NodeType::Null);
  if (value.is_string()) return YAML::Node(value.get<std::string>());
  return YAML::Node(value.dump());  // numbers and booleans as written in JSON
}

}  // namespace

void CommandRegistry::AddValidate() {
  CLI::App* cmd = app_.add_subcommand(
      "validate", "Validate a connector: print its spec and, with --config, run `check` (pyab).");
  cmd->add_option("--connector", connector_,
                  "Connector: a name (source-x), a path to its executable, or a docker image");
  cmd->add_option("--config", config_, "Config to validate and check (file or inline YAML)");
  cmd->add_option("--pip-url", pip_url_, "pip install URL (not available in this build)");
  cmd->add_option("--use-python", use_python_,
                  "Python to install with: true/false, a path, or a version like 3.11");
  cmd->footer(std::string("Examples:\n"
                          "  airbyte validate --connector source-faker\n"
                          "  airbyte validate --connector source-faker --config '{count: 10}'\n\n") +
              kGuidance);
  cmd->callback([this] {
    selected_ = [this] {
      if (connector_.empty()) {
        throw Error(ErrorKind::kInput, "No connector provided.",
                    {.guidance = "Pass --connector source-NAME (or a path to its executable)."});
      }
      if (connector_.find("source-") == std::string::npos) {
        throw DestinationsUnavailable(connector_);
      }
      Source source =
          ResolveSource(connector_, {.pip_url = pip_url_, .use_python = use_python_});
      std::cerr << "Getting `spec` output from connector...\n";
      YAML::Emitter yaml;
      yaml << ToYaml(source.Spec());
      std::cerr << yaml.c_str() << "\n";
      if (!config_.empty()) {
        std::cout << "Running connector check...\n" << std::flush;
        source.SetConfig(ResolveConfig(config_), /*validate=*/true);
        source.Check();
        std::cout << "Connection check succeeded for `" << source.name() << "`.\n";
      }
      return 0;
    };
  });
}

void CommandRegistry::AddBenchmark() {
  CLI::App* cmd = app_.add_subcommand(
      "benchmark",
      "Measure read throughput: a source (default: the built-in benchmark source) read into an "
      "in-memory DuckDB cache, with the progress summary (pyab).");
  cmd->add_option("--source", source_, "Source to benchmark (default: source-e2e-test)");
  cmd->add_option("--streams", streams_, "Comma-separated streams, or * for all")
      ->default_val("*");
  cmd->add_option("--num-records", num_records_,
                  "Records of the default benchmark source (5e5, 2.4e6, 400_000, ...)")
      ->default_val("5e5");
  cmd->add_option("--destination", destination_, "Destination (not available yet)");
  cmd->add_option("--config", config_, "Config of --source (file or inline YAML)");
  cmd->add_option("--use-python", use_python_, "Python for a pip-installed connector");
  cmd->add_flag("--json", json_, "Print the figures as JSON on stdout");
  AddProgressOptions(cmd);
  cmd->footer(
      "Examples:\n"
      "  airbyte benchmark --num-records 1e6\n"
      "  airbyte benchmark --source source-faker --config '{count: 100000}' --streams users\n"
      "  airbyte benchmark --num-records 2e6 --quiet --json");
  cmd->callback([this] {
    selected_ = [this] {
      if (!source_.empty() && !destination_.empty()) {
        throw Error(ErrorKind::kInput,
                    "For benchmarking, source or destination can be provided, but not both.");
      }
      if (!destination_.empty()) throw DestinationsUnavailable(destination_);
      std::optional<Source> source;
      if (source_.empty()) {
        source.emplace(GetBenchmarkSource(num_records_));
      } else {
        source.emplace(ResolveSource(source_, {.use_python = use_python_}));
        source->SetConfig(config_.empty() ? Json::object() : ResolveConfig(config_),
                          /*validate=*/false);
      }
      std::vector<std::string> streams = SplitStreams(streams_);
      if (streams.empty()) streams = {"*"};
      std::cerr << "Running benchmarks...\n";
      DuckDbCache cache({.db_path = ":memory:"});
      const auto start = std::chrono::steady_clock::now();
      const ReadResult result = source->Read(
          cache, {.streams = streams, .force_full_refresh = true, .progress = progress_style()});
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const double rate = seconds > 0 ? static_cast<double>(result.processed_records()) / seconds
                                      : 0;
      if (json_) {
        std::cout << Json{{"source", source->name()},
                          {"records", result.processed_records()},
                          {"seconds", seconds},
                          {"records_per_second", rate}}
                         .dump()
                  << "\n";
      } else {
        char line[160];
        std::snprintf(line, sizeof(line), "%.2f seconds, %.0f records/s", seconds, rate);
        std::cout << "Benchmark of `" << source->name() << "`: " << result.processed_records()
                  << " records in " << line << "\n";
      }
      return 0;
    };
  });
}

void CommandRegistry::AddSync() {
  CLI::App* cmd = app_.add_subcommand(
      "sync", "Sync a source into a destination connector (pyab; destinations are not available "
              "yet).");
  cmd->add_option("--source", source_, "Source connector")->required();
  cmd->add_option("--destination", destination_, "Destination connector")->required();
  cmd->add_option("--streams", streams_, "Comma-separated streams, or * for all");
  cmd->add_option("--Sconfig", config_, "Source config (file or inline YAML)");
  cmd->add_option("--Dconfig", dconfig_, "Destination config (file or inline YAML)");
  cmd->add_option("--Spip-url", pip_url_, "Source pip URL");
  cmd->add_option("--Dpip-url", dpip_url_, "Destination pip URL");
  cmd->add_option("--use-python", use_python_, "Python for both connectors");
  cmd->footer(
      "Example:\n"
      "  airbyte sync --source source-faker --Sconfig '{count: 100}' "
      "--destination destination-duckdb --Dconfig dest.yaml");
  cmd->callback([this] {
    selected_ = [this]() -> int {
      (void)ResolveSource(source_);  // a bad source reference is reported first, as pyab
      throw DestinationsUnavailable(destination_);
    };
  });
}

}  // namespace airbyte::cli
