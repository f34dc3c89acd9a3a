// `airbyte connectors`, `airbyte state show|reset` and `airbyte cache info`.

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "airbyte/cache.h"
#include "airbyte/error.h"
#include "cli/commands.h"
#include "connectors/native_connector.h"

namespace airbyte::cli {
namespace {

// The connector name a --source reference stands for, without running anything (state is
// stored by name): the image name of `repo/name:tag`, the file stem of a path, else the name.
std::string SourceNameOf(const std::string& ref) {
  if (const std::size_t colon = ref.find(':'); colon != std::string::npos) {
    const std::string image = ref.substr(0, colon);
    const std::size_t slash = image.rfind('/');
    return slash == std::string::npos ? image : image.substr(slash + 1);
  }
  if (!ref.empty() && (ref[0] == '.' || ref.find('/') != std::string::npos)) {
    return std::filesystem::path(ref).stem().string();
  }
  if (ref.rfind("source-", 0) != 0) {
    throw Error(ErrorKind::kInput, "Expected a source name, docker image, or path to executable.",
                {.context = {{"input_value", ref}}});
  }
  return ref;
}

// Left-aligned columns, two spaces apart; numbers are pre-formatted by the caller.
void PrintColumns(const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
}

}  // namespace

void CommandRegistry::AddConnectors() {
  CLI::App* cmd = app_.add_subcommand(
      "connectors", "List the connectors this build can run (the built-in ones for now).");
  cmd->add_option("--type", type_, "source | destination")
      ->check(CLI::IsMember({"source", "destination"}));
  cmd->add_option("--install-type", install_type_,
                  "native (built-in) | python | yaml | docker | java | any (default)")
      ->check(CLI::IsMember({"native", "python", "yaml", "docker", "java", "any"}));
  cmd->add_flag("--json", json_, "Print the list as JSON");
  cmd->footer(
      "Examples:\n"
      "  airbyte connectors\n"
      "  airbyte connectors --type source --install-type native --json");
  cmd->callback([this] {
    selected_ = [this] {
      std::vector<std::string> names;
      const bool native = install_type_.empty() || install_type_ == "any" ||
                          install_type_ == "native";
      // Every built-in connector is a source.
      if (native && type_ != "destination") names = connectors::NativeConnectorNames();
      if (json_) {
        Json out = Json::array();
        for (const std::string& name : names) {
          out.push_back({{"name", name}, {"type", "source"}, {"install_types", {"native"}}});
        }
        std::cout << out.dump() << "\n";
      } else {
        std::vector<std::vector<std::string>> rows = {{"NAME", "TYPE", "INSTALL"}};
        for (const std::string& name : names) rows.push_back({name, "source", "native"});
        if (!names.empty()) PrintColumns(rows, std::cout);
      }
      if (!native || type_ == "destination") {
        std::cerr << "Only built-in (native) source connectors are available in this build; the "
                     "connector registry (python, yaml, docker, java) and destinations come "
                     "later.\n";
      }
      return 0;
    };
  });
}

void CommandRegistry::AddState() {
  CLI::App* cmd = app_.add_subcommand("state", "Show or reset the incremental state a cache "
                                               "keeps for a source.");
  cmd->require_subcommand(1);
  CLI::App* show = cmd->add_subcommand("show", "Print the stored state (one line per stream).");
  CLI::App* reset = cmd->add_subcommand(
      "reset", "Delete the stored state so the next read starts from scratch.");
  for (CLI::App* sub : {show, reset}) {
    sub->add_option("--source", source_, "Source name (or the reference used with `read`)")
        ->required();
    sub->add_option("--cache", cache_path_, "DuckDB file (default: the default cache)");
    sub->add_option("--stream", stream_, "Only this stream");
  }
  show->add_flag("--json", json_, "Print the state messages as a JSON array");
  show->footer(
      "Examples:\n"
      "  airbyte state show --source source-faker\n"
      "  airbyte state show --source source-faker --cache my.duckdb --stream users --json");
  reset->footer(
      "Examples:\n"
      "  airbyte state reset --source source-faker\n"
      "  airbyte state reset --source source-faker --stream users");
  show->callback([this] {
    selected_ = [this] {
      const std::string name = SourceNameOf(source_);
      Cache cache = OpenCache(cache_path_);
      const StateProvider state = cache.GetStateProvider(name);
      std::vector<Json> messages;
      if (!stream_.empty()) {
        messages.push_back(state.RequireStreamState(stream_));
      } else {
        messages = state.state_message_artifacts();
      }
      if (json_) {
        std::cout << Json(messages).dump() << "\n";
        return 0;
      }
      if (messages.empty()) {
        std::cerr << "No state stored for `" << name << "` in " << DescribeCache(cache_path_)
                  << ".\n";
        return 0;
      }
      for (const Json& message : messages) {
        const Json& stream = message.value("stream", Json::object());
        if (stream.contains("stream_descriptor")) {
          std::cout << stream["stream_descriptor"].value("name", "?") << ": "
                    << stream.value("stream_state", Json()).dump() << "\n";
        } else {
          std::cout << message.value("type", "STATE") << ": " << message.dump() << "\n";
        }
      }
      return 0;
    };
  });
  reset->callback([this] {
    selected_ = [this] {
      const std::string name = SourceNameOf(source_);
      Cache cache = OpenCache(cache_path_);
      std::vector<std::string> streams;
      if (!stream_.empty()) {
        cache.GetStateProvider(name).RequireStreamState(stream_);  // unknown stream: exit 2
        streams.push_back(stream_);
      }
      cache.ResetState(name, streams);
      std::cout << "Reset the state of `" << name << "`"
                << (stream_.empty() ? " (all streams)" : " (stream `" + stream_ + "`)") << " in "
                << DescribeCache(cache_path_) << ".\n";
      return 0;
    };
  });
}

void CommandRegistry::AddCacheInfo() {
  CLI::App* cmd = app_.add_subcommand("cache", "Inspect a cache.");
  cmd->require_subcommand(1);
  CLI::App* info = cmd->add_subcommand(
      "info", "Streams in a cache: table, rows, source, last sync; and the file's size.");
  info->add_option("--cache", cache_path_, "DuckDB file (default: the default cache)");
  info->add_flag("--json", json_, "Print the information as JSON");
  info->footer(
      "Examples:\n"
      "  airbyte cache info\n"
      "  airbyte cache info --cache users.duckdb --json");
  info->callback([this] {
    selected_ = [this] {
      if (!cache_path_.empty() && !IsPostgresUrl(cache_path_) &&
          !std::filesystem::exists(cache_path_)) {
        throw Error(ErrorKind::kInput, "Cache file not found.",
                    {.guidance = "Pass the DuckDB file a read wrote (airbyte read --cache FILE).",
                     .context = {{"cache", cache_path_}}});
      }
      Cache cache = OpenCache(cache_path_);
      const std::string schema = "\"" + cache.schema_name() + "\"";
      std::map<std::string, std::string> sources;
      for (const Json& row : cache.Query("SELECT stream_name, source_name FROM " + schema +
                                         "._airbyte_streams")) {
        sources[row.value("stream_name", "")] = row.value("source_name", "");
      }
      const std::vector<std::string> streams = cache.Streams();
      const std::map<std::string, TableStatistics> stats = cache.FetchTableStatistics(streams);
      std::error_code ec;
      std::uintmax_t size = 0;
      if (IsPostgresUrl(cache_path_)) {
        // The schema's tables with their indexes and TOAST data.
        size = cache.Query("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS n FROM "
                           "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
                           "c.relkind = 'r' AND n.nspname = '" + cache.schema_name() + "'")
                   .at(0)["n"]
                   .get<std::uintmax_t>();
      } else {
        size = std::filesystem::file_size(DescribeCache(cache_path_), ec);
      }
      Json out = {{"cache", DescribeCache(cache_path_)},
                  {"size_bytes", ec ? 0 : size},
                  {"streams", Json::array()}};
      for (const std::string& stream : streams) {
        Json entry = {{"name", stream}, {"table", cache.TableName(stream)}, {"rows", nullptr},
                      {"source", sources.contains(stream) ? Json(sources[stream]) : Json()},
                      {"last_sync", nullptr}};
        if (auto it = stats.find(stream); it != stats.end()) {
          entry["rows"] = it->second.row_count;
          const std::vector<Json> last = cache.Query(
              "SELECT CAST(max(_airbyte_extracted_at) AS VARCHAR) AS t FROM " + schema + ".\"" +
              cache.TableName(stream) + "\"");
          if (!last.empty()) entry["last_sync"] = last.front()["t"];
        }
        out["streams"].push_back(entry);
      }
      if (json_) {
        std::cout << out.dump() << "\n";
        return 0;
      }
      char mb[32];
      std::snprintf(mb, sizeof(mb), "%.2f MB", static_cast<double>(ec ? 0 : size) / 1e6);
      std::cout << "Cache: " << out["cache"].get<std::string>() << " (" << mb << ")\n";
      if (streams.empty()) {
        std::cout << "No streams yet: run `airbyte read` to fill it.\n";
        return 0;
      }
      std::vector<std::vector<std::string>> rows = {{"STREAM", "TABLE", "ROWS", "SOURCE",
                                                     "LAST SYNC"}};
      for (const Json& entry : out["streams"]) {
        const auto text = [](const Json& value) {
          return value.is_null() ? std::string("-")
                                 : value.is_string() ? value.get<std::string>() : value.dump();
        };
        rows.push_back({text(entry["name"]), text(entry["table"]), text(entry["rows"]),
                        text(entry["source"]), text(entry["last_sync"])});
      }
      PrintColumns(rows, std::cout);
      return 0;
    };
  });
}

}  // namespace airbyte::cli
