#include "cli/run_connector.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/declarative_source.h"
#include "connectors/native_connector.h"
#include "protocol/json_convert.h"
#include "protocol/serializer.h"

namespace airbyte::cli {
namespace {

// Writes messages to stdout as JSON lines through a large buffer (one write per ~1 MiB).
class StdoutSink : public connectors::MessageSink {
 public:
  static constexpr std::size_t kFlushAt = 1 << 20;

  StdoutSink() { buffer_.reserve(kFlushAt + (64 << 10)); }
  ~StdoutSink() override { Flush(); }

  bool Emit(protocol::Message message) override {
    protocol::AppendSerialized(message, buffer_);
    buffer_ += '\n';
    return buffer_.size() < kFlushAt || Flush();
  }

  /// Returns false once stdout is closed (the reader went away): the connector should stop.
  bool Flush() {
    std::size_t done = 0;
    while (done < buffer_.size() && !broken_) {
      const ssize_t n = ::write(STDOUT_FILENO, buffer_.data() + done, buffer_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        broken_ = true;
        break;
      }
      done += static_cast<std::size_t>(n);
    }
    buffer_.clear();
    return !broken_;
  }

 private:
  std::string buffer_;
  bool broken_ = false;
};

Json ReadJsonFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (path.empty() || !in) {
    throw Error(ErrorKind::kInput, std::string("Cannot read the ") + what + " file.",
                {.guidance = std::string("Pass --") + what + " <path to a JSON file>.",
                 .context = {{"path", path}}});
  }
  std::stringstream text;
  text << in.rdbuf();
  Json json = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    throw Error(ErrorKind::kInput, std::string("The ") + what + " file is not valid JSON.",
                {.context = {{"path", path}}});
  }
  return json;
}

protocol::Message TraceError(const Error& error) {
  protocol::TraceMessage trace;
  trace.type = protocol::TraceType::kError;
  trace.emitted_at = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  const bool config_error =
      error.kind() == ErrorKind::kInput || error.kind() == ErrorKind::kValidation;
  trace.error = protocol::ErrorTrace{
      .message = error.message(),
      .internal_message = error.Render(),
      .failure_type = config_error ? protocol::FailureType::kConfigError
                                   : protocol::FailureType::kSystemError};
  return protocol::Message(std::move(trace));
}

}  // namespace

int RunConnector(const RunConnectorArgs& given) {
  RunConnectorArgs args = given;
  if (!args.positionals.empty()) {
    args.verb = args.positionals.back();
    if (args.positionals.size() == 2) args.name = args.positionals.front();
  }
  std::unique_ptr<connectors::NativeConnector> connector;
  if (!args.manifest.empty()) {
    try {
      declarative::ManifestSource source = declarative::LoadManifest(args.manifest);
      connector = declarative::MakeDeclarativeConnector(
          std::move(source.manifest),
          {.name = args.name.empty() ? "source-declarative-manifest" : args.name,
           .manifest_dir = source.dir});
    } catch (const Error& e) {
      StdoutSink sink;
      sink.Emit(TraceError(e));
      sink.Flush();
      std::cerr << e.Render() << "\n";
      return 1;
    }
  } else {
    connector = connectors::MakeNativeConnector(args.name);
  }
  if (!connector) {
    std::string names;
    for (const std::string& n : connectors::NativeConnectorNames()) names += " " + n;
    std::cerr << Error(ErrorKind::kInput, "No built-in connector named '" + args.name + "'.",
                       {.guidance = "Built-in connectors:" + names +
                                    " (or pass --manifest PATH for a declarative manifest)"})
                     .Render()
              << "\n";
    return 2;
  }
  StdoutSink sink;
  try {
    if (args.verb == "spec") {
      sink.Emit(protocol::Message(connector->Spec()));
    } else if (args.verb == "check") {
      protocol::ConnectionStatus status =
          connector->CheckWithMessages(ReadJsonFile(args.config_path, "config"), sink);
      sink.Emit(protocol::Message(std::move(status)));
    } else if (args.verb == "discover") {
      sink.Emit(protocol::Message(connector->Discover(ReadJsonFile(args.config_path, "config"))));
    } else if (args.verb == "read") {
      const Json config = ReadJsonFile(args.config_path, "config");
      const protocol::ConfiguredAirbyteCatalog catalog =
          protocol::ConfiguredCatalogFromJson(ReadJsonFile(args.catalog_path, "catalog"));
      std::vector<protocol::StateMessage> state;
      if (!args.state_path.empty()) {
        state = protocol::StateArrayFromJson(ReadJsonFile(args.state_path, "state"));
      }
      connector->Read(config, catalog, state, sink);
    } else {
      std::cerr << "airbyte run-connector: unknown command '" << args.verb
                << "' (expected spec, check, discover or read)\n";
      return 2;
    }
  } catch (const Error& e) {
    sink.Emit(TraceError(e));
    sink.Flush();
    std::cerr << e.Render() << "\n";
    return 1;
  }
  return sink.Flush() ? 0 : 1;
}

}  // namespace airbyte::cli
