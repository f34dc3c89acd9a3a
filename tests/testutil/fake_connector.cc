// fake_connector: a scriptable Airbyte connector for tests.
//
//   fake_connector <spec|check|discover|read|write> [--config F] [--catalog F] [--state F]
//
// What it does is driven by a JSON script, taken from (first match wins):
//   1. the file named by $AIRBYTE_FAKE_CONNECTOR_SCRIPT;
//   2. the "__script" object inside the --config file (so a test can drive it through config);
//   3. the built-in default script.
// A script maps verbs to lists of actions: {"read": [{"records": {...}}, {"exit": 1}]}. A verb
// the script does not mention runs its default behaviour. Actions run in order; the program
// exits 0 after the last one unless an action exited first.
//
// Actions (one key per object):
//   {"emit": <json>}                  the JSON, compact, as one stdout line
//   {"line": "<text>"}                raw text + "\n" on stdout ("\r" in the text gives CRLF)
//   {"line_hex": "ff fe 41"}          raw bytes + "\n" on stdout (invalid UTF-8)
//   {"stderr": "<text>"}              a line on stderr
//   {"stderr_config": true}           the --config file's text on stderr (secret-leak tests)
//   {"log_config": true}              a LOG (INFO) whose message holds the config text
//   {"stderr_config_ascii": true}     the config on stderr as Python's json.dumps writes it
//                                     (non-ASCII as \uXXXX escapes)
//   {"log_config_ascii": true}        a LOG (INFO) whose message holds that ASCII spelling
//   {"trace_error_config": true}      a TRACE ERROR whose message and internal_message hold it
//   {"records": {"stream": "users", "count": N, "start": 1, "namespace": "x",
//                "state_every": K, "pad": BYTES}}
//                                     N RECORDs (id, name "user-<i>", updated_at, optional
//                                     padding string); with state_every, a STREAM STATE
//                                     {"cursor": i} after every K-th record and after the last
//   {"huge_line": {"bytes": N, "kind": "record"|"garbage"}}
//                                     one stdout line of at least N bytes
//   {"sleep_ms": N}   {"hang": true}   {"ignore_sigterm": true}
//   {"exit": CODE}                    flush and exit with CODE
//   {"crash": true|"segv"|"abort"}    die by SIGSEGV (true, "segv") or SIGABRT ("abort")
//   {"dump_invocation": "<path>"}     write argv, the --config/--catalog/--state files (path,
//                                     mode, content), the config dir's mode, cwd and the
//                                     AIRBYTE_* environment as JSON to <path>
//   {"echo_state": true}              a LOG whose message is the --state file's text
//   {"echo_catalog": true}            a LOG whose message is the --catalog file's text
//   {"stdin_to_stdout": true}         destination: echo every STATE line read on stdin,
//                                     count RECORDs, then LOG "received <R> records, <S> states"
//   {"control_config": <json>}        a CONTROL CONNECTOR_CONFIG message with that config
//   {"default": true}                 the verb's built-in behaviour (to wrap it with actions)
//
// Defaults: spec prints a SPEC (api_key secret, count, start_date, nested.password secret);
// check fails with "Invalid api_key" when config api_key is "bad"; discover prints streams
// "users" (incremental) and "Products" (full refresh); read emits, per configured stream,
// STARTED, RUNNING, `count` (config, default 10) RECORDs, a STREAM STATE {"updated_at": last},
// COMPLETE; write behaves as {"stdin_to_stdout": true}.
//
// Output is deterministic: timestamps and emitted_at values derive from a fixed base. Usage
// errors exit 2, unreadable or invalid input files exit 1. Depends on nlohmann_json only: it
// must stay independent of the library it tests.

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

extern char** environ;

namespace {

using Json = nlohmann::ordered_json;  // keeps "type" first, as real connectors print it

constexpr std::string_view kScriptEnv = "AIRBYTE_FAKE_CONNECTOR_SCRIPT";
constexpr std::int64_t kBaseEpochSeconds = 1735689600;  // 2025-01-01T00:00:00Z
constexpr std::int64_t kBaseEmittedAtMs = kBaseEpochSeconds * 1000;
constexpr int kUsageExitCode = 2;
constexpr int kInputExitCode = 1;

/// Thrown to end the program with an exit code after flushing; main() catches it.
struct ExitRequest {
  int code;
};

[[noreturn]] void Fail(int code, const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "fake_connector: %s\n", message.c_str());
  throw ExitRequest{code};
}

std::string ModeString(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return buffer;
}

std::optional<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// "2025-01-01T00:00:07+00:00" for offset 7 (seconds after the fixed base).
std::string Timestamp(std::int64_t offset_seconds) {
  const std::time_t t = static_cast<std::time_t>(kBaseEpochSeconds + offset_seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return buffer;
}

// The data of user record `id`: {"id":..,"name":"user-<id>","updated_at":".."}, plus a string
// field `extra_name` holding `extra` when that is not empty. `extra` must need no escaping.
std::string UserData(std::int64_t id, std::string_view extra = {},
                     std::string_view extra_name = "padding") {
  std::string data = R"({"id":)" + std::to_string(id) + R"(,"name":"user-)" + std::to_string(id) +
                     R"(","updated_at":")" + Timestamp(id) + '"';
  if (!extra.empty()) {
    data += R"(,")";
    data += extra_name;
    data += R"(":")";
    data += extra;
    data += '"';
  }
  data += '}';
  return data;
}

Json StreamDescriptor(const std::string& name, const std::optional<std::string>& ns) {
  Json descriptor = {{"name", name}};
  if (ns) descriptor["namespace"] = *ns;
  return descriptor;
}

// The SPEC the default script prints; shaped like a real connector's (secrets, nesting).
Json DefaultSpec() {
  return Json::parse(R"({
    "documentationUrl": "https://docs.airbyte.com/integrations/sources/fake",
    "connectionSpecification": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "required": ["api_key"],
      "properties": {
        "api_key": {"type": "string", "airbyte_secret": true},
        "count": {"type": "integer", "minimum": 0, "default": 10},
        "start_date": {"type": "string", "format": "date-time"},
        "nested": {
          "type": "object",
          "properties": {"password": {"type": "string", "airbyte_secret": true}}
        }
      }
    }
  })");
}

Json DefaultCatalog() {
  return Json::parse(R"({
    "streams": [
      {
        "name": "users",
        "json_schema": {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "type": "object",
          "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "updated_at": {"type": "string", "format": "date-time"}
          }
        },
        "supported_sync_modes": ["full_refresh", "incremental"],
        "source_defined_cursor": true,
        "default_cursor_field": ["updated_at"],
        "source_defined_primary_key": [["id"]],
        "is_resumable": true
      },
      {
        "name": "Products",
        "json_schema": {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "type": "object",
          "properties": {"id": {"type": "integer"}, "Title": {"type": "string"}}
        },
        "supported_sync_modes": ["full_refresh"],
        "source_defined_primary_key": [["id"]],
        "is_resumable": false
      }
    ]
  })");
}

/// The parsed command line.
struct CommandLine {
  std::vector<std::string> argv;
  std::string verb;
  std::map<std::string, std::filesystem::path> files;  // "--config" -> path

  std::optional<std::filesystem::path> File(const std::string& flag) const {
    auto it = files.find(flag);
    if (it == files.end()) return std::nullopt;
    return it->second;
  }
};

CommandLine ParseCommandLine(int argc, char** argv) {
  CommandLine cl;
  cl.argv.assign(argv, argv + argc);
  if (argc < 2) {
    Fail(kUsageExitCode, "usage: fake_connector <verb> [--config F] [--catalog F] [--state F]");
  }
  cl.verb = argv[1];
  static const std::vector<std::string> kVerbs = {"spec", "check", "discover", "read", "write"};
  if (std::find(kVerbs.begin(), kVerbs.end(), cl.verb) == kVerbs.end()) {
    Fail(kUsageExitCode,
         "unknown verb '" + cl.verb + "' (expected spec, check, discover, read or write)");
  }
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--debug") continue;  // accepted by the Python CDK's entrypoint as well
    std::string value;
    if (const std::size_t eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);  // --config=F, as argparse also accepts
      arg.resize(eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      Fail(kUsageExitCode, "option " + arg + " needs a value");
    }
    if (arg != "--config" && arg != "--catalog" && arg != "--state") {
      Fail(kUsageExitCode, "unknown option '" + arg + "'");
    }
    cl.files[arg] = value;
  }
  // The arguments the Python CDK's argparse requires per command.
  const bool needs_config = cl.verb != "spec";
  const bool needs_catalog = cl.verb == "read" || cl.verb == "write";
  if (needs_config && !cl.File("--config")) Fail(kUsageExitCode, cl.verb + " requires --config");
  if (needs_catalog && !cl.File("--catalog")) {
    Fail(kUsageExitCode, cl.verb + " requires --catalog");
  }
  return cl;
}

/// Runs one verb: the script's actions or the default behaviour.
class FakeConnector {
 public:
  explicit FakeConnector(CommandLine cl) : cl_(std::move(cl)) {
    if (auto path = cl_.File("--config")) {
      std::optional<std::string> text = ReadFile(*path);
      if (!text) Fail(kInputExitCode, "cannot read config file '" + path->string() + "'");
      config_text_ = *text;
      config_ = Json::parse(config_text_, nullptr, /*allow_exceptions=*/false);
      if (config_.is_discarded()) {
        Fail(kInputExitCode, "config file '" + path->string() + "' is not valid JSON");
      }
    }
  }

  void Run() {
    const Json script = LoadScript();
    if (!script.is_object()) Fail(kUsageExitCode, "the script must be a JSON object");
    auto it = script.find(cl_.verb);
    if (it == script.end()) {
      RunDefault();
      return;
    }
    if (!it->is_array()) Fail(kUsageExitCode, "script entry '" + cl_.verb + "' must be a list");
    for (const Json& action : *it) RunAction(action);
  }

 private:
  Json LoadScript() const {
    const char* script_path = std::getenv(std::string(kScriptEnv).c_str());
    if (script_path != nullptr && *script_path != '\0') {
      std::optional<std::string> text = ReadFile(script_path);
      if (!text) Fail(kUsageExitCode, "cannot read script file '" + std::string(script_path) + "'");
      Json script = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
      if (script.is_discarded()) {
        Fail(kUsageExitCode, "script file '" + std::string(script_path) + "' is not valid JSON");
      }
      return script;
    }
    if (config_.is_object()) {
      auto it = config_.find("__script");
      if (it != config_.end() && it->is_object()) return *it;
    }
    return Json::object();  // every verb runs its default
  }

  // ---- output -------------------------------------------------------------------------------

  static void PrintLine(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
  }
  static void Emit(const Json& message) { PrintLine(message.dump()); }

  // Strictly increasing and deterministic, like the CDK's wall-clock milliseconds.
  std::int64_t NextEmittedAt() { return kBaseEmittedAtMs + sequence_++; }

  void EmitLog(std::string_view level, const std::string& message) {
    Emit({{"type", "LOG"}, {"log", {{"level", level}, {"message", message}}}});
  }

  void EmitStreamStatus(const Json& descriptor, std::string_view status) {
    Emit({{"type", "TRACE"},
          {"trace",
           {{"type", "STREAM_STATUS"},
            {"emitted_at", NextEmittedAt()},
            {"stream_status", {{"stream_descriptor", descriptor}, {"status", status}}}}}});
  }

  // RECORD lines are written by hand, not through a DOM: volume tests emit millions, and
  // nlohmann::json costs ~10x more per record in Debug builds. `data_json` is an object's text.
  void EmitRecord(const std::string& stream, const std::optional<std::string>& ns,
                  std::string_view data_json) {
    std::string line = R"({"type":"RECORD","record":{"stream":)";
    line += Json(stream).dump();
    line += R"(,"data":)";
    line += data_json;
    line += R"(,"emitted_at":)";
    line += std::to_string(NextEmittedAt());
    if (ns) {
      line += R"(,"namespace":)";
      line += Json(*ns).dump();
    }
    line += "}}";
    PrintLine(line);
  }

  // A per-stream STATE as the Python CDK writes it, sourceStats included.
  void EmitStreamState(const Json& descriptor, Json stream_state, std::int64_t records_since) {
    Emit({{"type", "STATE"},
          {"state",
           {{"type", "STREAM"},
            {"stream",
             {{"stream_descriptor", descriptor}, {"stream_state", std::move(stream_state)}}},
            {"sourceStats", {{"recordCount", static_cast<double>(records_since)}}}}}});
  }

  // ---- actions ------------------------------------------------------------------------------

  void RunAction(const Json& action) {
    if (!action.is_object() || action.size() != 1) {
      Fail(kUsageExitCode, "each action must be an object with one key: " + action.dump());
    }
    const std::string& name = action.begin().key();
    const Json& arg = action.begin().value();
    if (name == "emit") {
      Emit(arg);
    } else if (name == "line") {
      PrintLine(arg.get<std::string>());
    } else if (name == "line_hex") {
      PrintLine(DecodeHex(arg.get<std::string>()));
    } else if (name == "stderr") {
      std::fprintf(stderr, "%s\n", arg.get<std::string>().c_str());
    } else if (name == "stderr_config") {
      std::fprintf(stderr, "%s\n", config_text_.c_str());
    } else if (name == "log_config") {
      EmitLog("INFO", "Using config: " + config_text_);
    } else if (name == "stderr_config_ascii") {
      std::fprintf(stderr, "%s\n", config_.dump(-1, ' ', /*ensure_ascii=*/true).c_str());
    } else if (name == "log_config_ascii") {
      EmitLog("INFO", "Using config (ASCII): " + config_.dump(-1, ' ', /*ensure_ascii=*/true));
    } else if (name == "trace_error_config") {
      Emit({{"type", "TRACE"},
            {"trace",
             {{"type", "ERROR"},
              {"emitted_at", NextEmittedAt()},
              {"error",
               {{"message", "Connector failed with config " + config_text_},
                {"internal_message", "internal error; config was " + config_text_},
                {"failure_type", "system_error"}}}}}});
    } else if (name == "records") {
      Records(arg);
    } else if (name == "huge_line") {
      HugeLine(arg);
    } else if (name == "sleep_ms") {
      std::fflush(stdout);  // the reader sees everything printed before the pause
      std::this_thread::sleep_for(std::chrono::milliseconds(arg.get<std::int64_t>()));
    } else if (name == "hang") {
      std::fflush(stdout);
      while (true) std::this_thread::sleep_for(std::chrono::hours(1));
    } else if (name == "ignore_sigterm") {
      std::signal(SIGTERM, SIG_IGN);
    } else if (name == "exit") {
      std::fflush(stdout);
      throw ExitRequest{arg.get<int>()};
    } else if (name == "crash") {
      Crash(arg);
    } else if (name == "dump_invocation") {
      DumpInvocation(arg.get<std::string>());
    } else if (name == "echo_state") {
      EchoFile("--state");
    } else if (name == "echo_catalog") {
      EchoFile("--catalog");
    } else if (name == "stdin_to_stdout") {
      StdinToStdout();
    } else if (name == "control_config") {
      Emit({{"type", "CONTROL"},
            {"control",
             {{"type", "CONNECTOR_CONFIG"},
              {"emitted_at", NextEmittedAt()},
              {"connectorConfig", {{"config", arg}}}}}});
    } else if (name == "default") {
      RunDefault();
    } else {
      Fail(kUsageExitCode, "unknown action '" + name + "'");
    }
  }

  static std::string DecodeHex(const std::string& hex) {
    std::string bytes;
    std::istringstream in(hex);
    std::string token;
    while (in >> token) bytes += static_cast<char>(std::stoi(token, nullptr, 16));
    return bytes;
  }

  void Records(const Json& arg) {
    const std::string stream = arg.value("stream", std::string("users"));
    const std::int64_t count = arg.value("count", std::int64_t{10});
    const std::int64_t start = arg.value("start", std::int64_t{1});
    const std::int64_t state_every = arg.value("state_every", std::int64_t{0});
    const std::size_t pad = arg.value("pad", std::size_t{0});
    std::optional<std::string> ns;
    if (arg.contains("namespace")) ns = arg["namespace"].get<std::string>();
    const Json descriptor = StreamDescriptor(stream, ns);
    const std::string padding(pad, 'p');  // plain ASCII: needs no JSON escaping
    std::int64_t since_state = 0;
    for (std::int64_t i = start; i < start + count; ++i) {
      EmitRecord(stream, ns, UserData(i, padding));
      ++since_state;
      if (state_every > 0 && since_state == state_every) {
        EmitStreamState(descriptor, {{"cursor", i}}, since_state);
        since_state = 0;
      }
    }
    if (state_every > 0 && since_state > 0) {
      EmitStreamState(descriptor, {{"cursor", start + count - 1}}, since_state);
    }
  }

  void HugeLine(const Json& arg) {
    const std::size_t bytes = arg.at("bytes").get<std::size_t>();
    const std::string kind = arg.value("kind", std::string("record"));
    if (kind == "garbage") {
      std::string line;
      line.reserve(bytes);
      while (line.size() < bytes) line += "this is not json ";
      PrintLine(line);
    } else if (kind == "record") {
      // A valid RECORD whose "blob" field makes the line at least `bytes` long.
      EmitRecord("users", std::nullopt, UserData(1, std::string(bytes, 'b'), "blob"));
    } else {
      Fail(kUsageExitCode, "huge_line kind must be 'record' or 'garbage'");
    }
  }

  [[noreturn]] static void Crash(const Json& arg) {
    std::fflush(stdout);
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);  // no core files in the test's working directory
    const int sig = arg.is_string() && arg.get<std::string>() == "abort" ? SIGABRT : SIGSEGV;
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    std::abort();  // not reached
  }

  Json DescribeFile(const std::filesystem::path& path) const {
    return {{"path", path.string()},
            {"mode", ModeString(path)},
            {"content", ReadFile(path).value_or("")}};
  }

  void DumpInvocation(const std::string& out_path) const {
    Json dump = {{"argv", cl_.argv}, {"files", Json::object()}, {"env", Json::object()}};
    for (const auto& [flag, path] : cl_.files) dump["files"][flag] = DescribeFile(path);
    if (auto config = cl_.File("--config")) {
      dump["dir_mode"] = ModeString(config->parent_path().empty() ? "." : config->parent_path());
    }
    dump["cwd"] = std::filesystem::current_path().string();
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      const std::string_view entry(*e);
      const std::size_t eq = entry.find('=');
      if (eq == std::string_view::npos || !entry.starts_with("AIRBYTE_")) continue;
      dump["env"][std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
    }
    // Write then rename: a test polling for the file never sees half of it.
    const std::string tmp = out_path + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << dump.dump(2) << '\n';
      if (!out) Fail(kInputExitCode, "cannot write '" + tmp + "'");
    }
    std::filesystem::rename(tmp, out_path);
  }

  void EchoFile(const std::string& flag) {
    std::optional<std::filesystem::path> path = cl_.File(flag);
    if (!path) {
      EmitLog("INFO", "(no " + flag + " file)");
      return;
    }
    std::optional<std::string> text = ReadFile(*path);
    if (!text) Fail(kInputExitCode, "cannot read " + flag + " file '" + path->string() + "'");
    EmitLog("INFO", *text);
  }

  // A destination's write loop: commit (here: count) records, echo each STATE once the
  // records before it are "committed", as the protocol's checkpoint contract requires.
  void StdinToStdout() {
    std::fflush(stdout);
    std::int64_t records = 0;
    std::int64_t states = 0;
    std::string line;
    while (std::getline(std::cin, line)) {
      const Json message = Json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!message.is_object()) continue;
      const std::string type = message.value("type", std::string());
      if (type == "RECORD") {
        ++records;
      } else if (type == "STATE") {
        ++states;
        PrintLine(line);
        std::fflush(stdout);
      }
    }
    EmitLog("INFO", "received " + std::to_string(records) + " records, " + std::to_string(states) +
                        " states");
  }

  // ---- defaults -----------------------------------------------------------------------------

  void RunDefault() {
    if (cl_.verb == "spec") {
      Emit({{"type", "SPEC"}, {"spec", DefaultSpec()}});
    } else if (cl_.verb == "check") {
      const bool bad = config_.is_object() && config_.value("api_key", Json()) == "bad";
      Json status = {{"status", bad ? "FAILED" : "SUCCEEDED"}};
      if (bad) status["message"] = "Invalid api_key";
      Emit({{"type", "CONNECTION_STATUS"}, {"connectionStatus", status}});
    } else if (cl_.verb == "discover") {
      Emit({{"type", "CATALOG"}, {"catalog", DefaultCatalog()}});
    } else if (cl_.verb == "read") {
      DefaultRead();
    } else {
      StdinToStdout();
    }
  }

  void DefaultRead() {
    const std::filesystem::path catalog_path = *cl_.File("--catalog");
    std::optional<std::string> text = ReadFile(catalog_path);
    if (!text) Fail(kInputExitCode, "cannot read catalog file '" + catalog_path.string() + "'");
    const Json catalog = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!catalog.is_object() || !catalog.contains("streams") || !catalog["streams"].is_array()) {
      Fail(kInputExitCode,
           "catalog file '" + catalog_path.string() + "' is not a configured catalog");
    }
    std::int64_t count = 10;
    if (config_.is_object() && config_.contains("count") && config_["count"].is_number_integer()) {
      count = config_["count"].get<std::int64_t>();
    }
    for (const Json& configured : catalog["streams"]) {
      const Json& stream = configured.at("stream");
      const std::string name = stream.at("name").get<std::string>();
      std::optional<std::string> ns;
      if (stream.contains("namespace") && stream["namespace"].is_string()) {
        ns = stream["namespace"].get<std::string>();
      }
      const Json descriptor = StreamDescriptor(name, ns);
      EmitStreamStatus(descriptor, "STARTED");
      for (std::int64_t i = 1; i <= count; ++i) {
        if (i == 1) EmitStreamStatus(descriptor, "RUNNING");
        if (name == "Products") {
          EmitRecord(name, ns,
                     R"({"id":)" + std::to_string(i) + R"(,"Title":"Product )" + std::to_string(i) +
                         R"("})");
        } else {
          EmitRecord(name, ns, UserData(i));
        }
      }
      if (count > 0) EmitStreamState(descriptor, {{"updated_at", Timestamp(count)}}, count);
      EmitStreamStatus(descriptor, "COMPLETE");
    }
  }

  CommandLine cl_;
  std::string config_text_;
  Json config_;  // null without --config
  std::int64_t sequence_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  static char stdout_buffer[1 << 16];  // big writes: the reader gets data in large blocks
  std::setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
  std::ios::sync_with_stdio(false);
  try {
    FakeConnector connector(ParseCommandLine(argc, argv));
    connector.Run();
  } catch (const ExitRequest& request) {
    std::fflush(stdout);
    return request.code;
  } catch (const std::exception& e) {  // a malformed script: wrong value types and the like
    std::fflush(stdout);
    std::fprintf(stderr, "fake_connector: %s\n", e.what());
    return kUsageExitCode;
  }
  std::fflush(stdout);
  return 0;
}
