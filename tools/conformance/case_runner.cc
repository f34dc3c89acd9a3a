#include "case_runner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/declarative_source.h"
#include "protocol/json_convert.h"
#include "replay_server.h"

namespace airbyte::conformance {
namespace {

// Keeps every message; never asks the connector to stop.
class CollectingSink : public connectors::MessageSink {
 public:
  bool Emit(protocol::Message message) override {
    messages.push_back(std::move(message));
    return true;
  }
  std::vector<protocol::Message> messages;
};

Json ReadJsonFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::kInput, "Could not read the case file.",
                {.context = {{"file", file.string()}}});
  }
  std::stringstream text;
  text << in.rdbuf();
  Json value = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) {
    throw Error(ErrorKind::kInput, "The case file is not a JSON object.",
                {.context = {{"file", file.string()}}});
  }
  return value;
}

std::string CaseName(const std::filesystem::path& case_dir) {
  const std::filesystem::path dir = case_dir.lexically_normal();
  const std::filesystem::path clean = dir.filename().empty() ? dir.parent_path() : dir;
  return (clean.parent_path().filename() / clean.filename()).generic_string();
}

std::filesystem::path ResolveManifest(const std::filesystem::path& case_dir,
                                      const std::string& manifest, const CaseOptions& options) {
  std::filesystem::path shared = options.shared_dir;
  if (shared.empty()) {
    if (auto found = FindSharedDir(case_dir)) shared = *found;
  }
  std::vector<std::filesystem::path> tried;
  if (!shared.empty()) tried.push_back(shared / manifest);
  if (!options.manifests_root.empty()) tried.push_back(options.manifests_root / manifest);
  for (const std::filesystem::path& path : tried) {
    if (std::filesystem::is_regular_file(path)) return path;
  }
  std::string where;
  for (const std::filesystem::path& path : tried) where += (where.empty() ? "" : ", ") + path.string();
  throw Error(ErrorKind::kInput, "The case's manifest was not found.",
              {.guidance = "Pass --shared DIR (the folder containing conformance/) or "
                           "--manifests-root DIR.",
               .context = {{"manifest", manifest}, {"tried", where.empty() ? "(nothing)" : where}}});
}

}  // namespace

std::vector<std::filesystem::path> FindCases(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> cases;
  if (std::filesystem::is_regular_file(root / "case.json")) {
    cases.push_back(root);
    return cases;
  }
  if (!std::filesystem::is_directory(root)) return cases;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().filename() == "case.json") {
      cases.push_back(entry.path().parent_path());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::optional<std::filesystem::path> FindSharedDir(const std::filesystem::path& start) {
  std::filesystem::path dir = std::filesystem::absolute(start).lexically_normal();
  while (true) {
    if (std::filesystem::is_directory(dir / "conformance")) return dir;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

std::int64_t ParseInstantMicros(const std::string& text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6) {
    throw Error(ErrorKind::kInput, "The case's `now` is not an ISO-8601 instant.",
                {.context = {{"now", text}}});
  }
  std::size_t pos = static_cast<std::size_t>(consumed);
  std::int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    std::int64_t scale = 100000;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      micros += (text[pos] - '0') * scale;
      scale /= 10;
    }
  }
  std::int64_t offset_seconds = 0;
  const std::string zone = text.substr(pos);
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    offset_seconds = (std::stoi(zone.substr(1, 2)) * 3600 + std::stoi(zone.substr(4, 2)) * 60) *
                     (zone[0] == '-' ? -1 : 1);
  } else if (zone != "Z" && zone != "z" && !zone.empty()) {
    throw Error(ErrorKind::kInput, "The case's `now` has an unknown time zone.",
                {.context = {{"now", text}}});
  }
  using namespace std::chrono;
  const sys_days date = year_month_day{std::chrono::year{year},
                                       std::chrono::month{static_cast<unsigned>(month)},
                                       std::chrono::day{static_cast<unsigned>(day)}};
  const std::int64_t seconds = date.time_since_epoch().count() * 86400LL + hour * 3600LL +
                               minute * 60LL + second - offset_seconds;
  return seconds * 1'000'000 + micros;
}

std::optional<std::string> RewriteUrl(const std::string& url,
                                      const std::vector<std::string>& prefixes,
                                      const std::string& base_url) {
  const bool matches = std::any_of(prefixes.begin(), prefixes.end(),
                                   [&](const std::string& prefix) { return url.starts_with(prefix); });
  if (!matches) return std::nullopt;
  const std::size_t scheme = url.find("://");
  const std::size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t rest = url.find_first_of("/?#", authority);
  std::string tail = rest == std::string::npos ? "/" : url.substr(rest);
  if (tail.front() != '/') tail.insert(0, "/");
  return base_url + tail;
}

CaseResult RunCase(const std::filesystem::path& case_dir, const CaseOptions& options) {
  CaseResult result;
  result.name = CaseName(case_dir);
  const Json spec = ReadJsonFile(case_dir / "case.json");
  result.expected = LoadOutcome(case_dir / "expected");

  const std::string command = spec.value("command", "");
  const std::filesystem::path manifest_path =
      ResolveManifest(case_dir, spec.value("manifest", ""), options);
  const std::int64_t now = ParseInstantMicros(spec.value("now", ""));
  std::vector<std::string> prefixes;
  if (spec.contains("rewrite") && spec["rewrite"].is_object()) {
    for (const auto& [prefix, target] : spec["rewrite"].items()) prefixes.push_back(prefix);
  }
  const Json config = spec.contains("config") ? spec["config"] : Json::object();

  if (command != "read" && command != "check" && command != "discover") {
    throw Error(ErrorKind::kInput, "The case has an unknown command.",
                {.context = {{"command", command}}});
  }
  protocol::ConfiguredAirbyteCatalog catalog;
  std::vector<protocol::StateMessage> state;
  if (command == "read") {
    catalog = protocol::ConfiguredCatalogFromJson(spec["catalog"]);
    if (spec.contains("state") && !spec["state"].is_null()) {
      state = protocol::StateArrayFromJson(spec["state"]);
    }
  }

  ReplayServer server(spec.contains("routes") ? spec["routes"] : Json::array());
  const std::string base_url = server.base_url();

  CollectingSink sink;
  int exit_code = 0;
  try {
    declarative::DeclarativeOptions engine_options;
    engine_options.name = spec.value("connector", "source-declarative-manifest");
    engine_options.manifest_dir = manifest_path.parent_path();
    engine_options.now_micros = [now] { return now; };
    engine_options.rewrite_url = [prefixes, base_url](const std::string& url) {
      return RewriteUrl(url, prefixes, base_url);
    };
    engine_options.sleep = [](std::chrono::milliseconds) {};
    std::unique_ptr<connectors::NativeConnector> connector = declarative::MakeDeclarativeConnector(
        declarative::ReadManifestFile(manifest_path), std::move(engine_options));
    if (command == "check") {
      protocol::ConnectionStatus status = connector->CheckWithMessages(config, sink);
      sink.messages.emplace_back(std::move(status));
    } else if (command == "discover") {
      sink.messages.emplace_back(connector->Discover(config));
    } else {
      connector->Read(config, catalog, state, sink);
    }
  } catch (const Error& error) {
    // A failed read ends with Error(kConnectorFailed): the connector process's exit 1.
    exit_code = 1;
    result.exception = error.what();
  } catch (const std::exception& error) {
    exit_code = 1;
    result.exception = std::string("unexpected exception: ") + error.what();
  }
  server.Stop();
  result.actual = OutcomeFromRun(exit_code, sink.messages, server.Requests());
  return result;
}

}  // namespace airbyte::conformance
