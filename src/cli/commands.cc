#include "cli/commands.h"

#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "airbyte/source.h"
#include "cli/cli_args.h"

namespace airbyte::cli {
namespace {

constexpr const char* kSourceHelp =
    "Source connector: a path to its executable (./source-x, /opt/x), or a name whose "
    "executable is on PATH (source-x)";
constexpr const char* kConfigHelp =
    "Connector config: a JSON/YAML file, or inline YAML starting with '{' (e.g. '{count: 10}'). "
    "A value SECRET:NAME is read from the environment, a .env file, or asked on the terminal";

}  // namespace

CommandRegistry::CommandRegistry(CLI::App& app) : app_(app) {
  AddSpec();
  AddCheck();
  AddDiscover();
  AddRecords();
  AddRunConnector();
  AddRead();
  AddSql();
  AddValidate();
  AddBenchmark();
  AddSync();
  AddConnectors();
  AddState();
  AddCacheInfo();
}

int CommandRegistry::Run() { return selected_ ? selected_() : 2; }

void CommandRegistry::AddSpec() {
  CLI::App* cmd = app_.add_subcommand("spec", "Print the connector's spec (JSON) on stdout.");
  cmd->add_option("--source", source_, kSourceHelp)->required();
  cmd->add_option("--manifest", manifest_, kManifestHelp);
  cmd->footer("Example:\n  airbyte spec --source ./source-pokeapi");
  cmd->callback([this] {
    selected_ = [this] {
      Source source = ResolveSource(source_, {.source_manifest = manifest_});
      std::cout << MaskSecrets(source.Spec().dump(2)) << "\n";
      return 0;
    };
  });
}

void CommandRegistry::AddCheck() {
  CLI::App* cmd = app_.add_subcommand(
      "check", "Check the connection with a config; exit 0 when it succeeds, 1 when not.");
  cmd->add_option("--source", source_, kSourceHelp)->required();
  cmd->add_option("--manifest", manifest_, kManifestHelp);
  cmd->add_option("--config", config_, kConfigHelp)->required();
  cmd->footer("Example:\n  airbyte check --source ./source-pokeapi --config '{pokemon_name: ditto}'");
  cmd->callback([this] {
    selected_ = [this] {
      Json config = ResolveConfig(config_);
      Source source = ResolveSource(source_, {.source_manifest = manifest_});
      source.SetConfig(config, /*validate=*/false);
      source.Check();
      std::cerr << "Connection check succeeded for `" << source.name() << "`.\n";
      return 0;
    };
  });
}

void CommandRegistry::AddDiscover() {
  CLI::App* cmd =
      app_.add_subcommand("discover", "Print the connector's catalog of streams (JSON) on stdout.");
  cmd->add_option("--source", source_, kSourceHelp)->required();
  cmd->add_option("--manifest", manifest_, kManifestHelp);
  cmd->add_option("--config", config_, kConfigHelp)->required();
  cmd->footer("Example:\n  airbyte discover --source source-faker --config '{count: 10}'");
  cmd->callback([this] {
    selected_ = [this] {
      Json config = ResolveConfig(config_);
      Source source = ResolveSource(source_, {.source_manifest = manifest_});
      source.SetConfig(config, /*validate=*/false);
      std::cout << MaskSecrets(source.DiscoveredCatalog().dump(2)) << "\n";
      return 0;
    };
  });
}

void CommandRegistry::AddRecords() {
  CLI::App* cmd = app_.add_subcommand(
      "records", "Read one stream and print its records on stdout, one JSON object per line.");
  cmd->add_option("--source", source_, kSourceHelp)->required();
  cmd->add_option("--manifest", manifest_, kManifestHelp);
  cmd->add_option("--config", config_, kConfigHelp)->required();
  cmd->add_option("--stream", stream_, "Stream to read (see `airbyte discover`)")->required();
  cmd->add_option("--limit", limit_, "Stop after this many records");
  cmd->add_option("--idle-timeout", idle_timeout_s_,
                  "Fail when the connector prints nothing for this many seconds (0: never)");
  cmd->footer(
      "Examples:\n"
      "  airbyte records --source ./source-x --config config.json --stream users --limit 10\n"
      "  airbyte records --source source-x --config '{count: 5}' --stream users | jq .id");
  cmd->callback([this] {
    selected_ = [this] {
      Json config = ResolveConfig(config_);
      SourceOptions options;
      if (idle_timeout_s_ > 0) {
        options.idle_timeout = std::chrono::milliseconds(static_cast<long>(idle_timeout_s_ * 1000));
      }
      options.source_manifest = manifest_;
      Source source = ResolveSource(source_, options);
      source.SetConfig(config, /*validate=*/false);
      LazyDataset records = source.GetRecords(stream_, {.limit = limit_});
      std::string line;
      for (const StreamRecord& record : records) {
        Json data = Json::object();
        for (const auto& [key, value] : record.ToJson().items()) {
          if (key.rfind("_airbyte_", 0) != 0) data[key] = value;
        }
        line = data.dump();
        line += '\n';
        std::cout << line;
        if (!std::cout) {  // stdout closed (e.g. `| head`): stop the connector, exit cleanly
          records.Close();
          return 0;
        }
      }
      std::cout.flush();
      return 0;
    };
  });
}

void CommandRegistry::AddRunConnector() {
  CLI::App* cmd = app_.add_subcommand(
      "run-connector",
      "Run a built-in connector, or a declarative manifest (--manifest), as a standard Airbyte "
      "connector process (protocol JSON lines on stdout), for PyAirbyte's local_executable or "
      "the Airbyte platform.");
  cmd->add_option("args", run_connector_.positionals,
                  "[NAME] COMMAND: built-in connector (e.g. source-faker; omitted with "
                  "--manifest) and spec | check | discover | read")
      ->required()
      ->expected(1, 2);
  cmd->add_option("--manifest", run_connector_.manifest,
                  "Declarative manifest (YAML/JSON path or URL) to run natively");
  cmd->add_option("--config", run_connector_.config_path, "Config JSON file");
  cmd->add_option("--catalog", run_connector_.catalog_path, "Configured catalog JSON file (read)");
  cmd->add_option("--state", run_connector_.state_path, "State JSON file (read; optional)");
  cmd->footer(
      "Examples:\n"
      "  airbyte run-connector source-faker spec\n"
      "  airbyte run-connector source-faker read --config c.json --catalog k.json --state s.json\n"
      "  airbyte run-connector --manifest manifest.yaml check --config c.json");
  cmd->callback([this] { selected_ = [this] { return RunConnector(run_connector_); }; });
}

}  // namespace airbyte::cli
