#include "connectors/declarative/declarative_source.h"

#include <chrono>
#include <set>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/declarative_stream.h"
#include "connectors/declarative/error_handler.h"
#include "connectors/declarative/manifest_loader.h"
#include "connectors/declarative/runtime.h"

namespace airbyte::declarative {
namespace {

using protocol::FailureType;
using protocol::Message;
using protocol::StreamStatus;

std::int64_t SystemNowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

FailureType FailureTypeOf(const Error& error) {
  return ParseFailureType(error.ContextValue(kFailureTypeKey));
}

// Marks every config value under an `airbyte_secret` property as a secret.
void RegisterSpecSecrets(const Json& schema, const Json& config) {
  if (!schema.is_object() || !config.is_object()) return;
  auto properties = schema.find("properties");
  if (properties != schema.end() && properties->is_object()) {
    for (const auto& [name, property] : properties->items()) {
      auto value = config.find(name);
      if (value == config.end()) continue;
      if (property.is_object() && property.value("airbyte_secret", false) && value->is_string()) {
        RegisterSecret(value->get<std::string>());
      }
      RegisterSpecSecrets(property, *value);
    }
  }
  for (const char* key : {"oneOf", "anyOf", "allOf"}) {
    auto options = schema.find(key);
    if (options == schema.end() || !options->is_array()) continue;
    for (const Json& option : *options) RegisterSpecSecrets(option, config);
  }
}

class DeclarativeConnector final : public connectors::NativeConnector {
 public:
  DeclarativeConnector(Json manifest, DeclarativeOptions options)
      : manifest_(std::move(manifest)), options_(std::move(options)) {
    CollectParentNames(manifest_);
    if (!options_.now_micros) options_.now_micros = SystemNowMicros;
    if (!options_.sleep) {
      options_.sleep = [](std::chrono::milliseconds wait) { std::this_thread::sleep_for(wait); };
    }
  }

  std::string_view name() const override { return options_.name; }

  protocol::ConnectorSpecification Spec() const override {
    protocol::ConnectorSpecification spec;
    const Json definition = manifest_.value("spec", Json::object());
    spec.connection_specification =
        definition.value("connection_specification", Json::object());
    if (definition.contains("documentation_url") && definition["documentation_url"].is_string()) {
      spec.documentation_url = definition["documentation_url"].get<std::string>();
    }
    if (definition.contains("advanced_auth")) spec.advanced_auth = definition["advanced_auth"];
    return spec;
  }

  protocol::ConnectionStatus Check(const Json& config) const override {
    return CheckWith(config, nullptr);
  }

  protocol::ConnectionStatus CheckWithMessages(const Json& config,
                                               connectors::MessageSink& sink) const override {
    return CheckWith(config, &sink);
  }

  protocol::ConnectionStatus CheckWith(const Json& config, connectors::MessageSink* sink) const {
    std::unique_ptr<Runtime> runtime = MakeRuntime(config);
    if (sink != nullptr) {
      runtime->emit_control = [this, sink](const Json& updated) {
        protocol::ControlMessage control;
        control.emitted_at = static_cast<double>(NowMillis());
        control.config = updated;
        sink->Emit(Message(std::move(control)));
      };
    }
    const Json check = manifest_.value("check", Json::object());
    Json names = check.value("stream_names", Json::array());
    for (const Json& name_json : names) {
      const std::string stream_name = name_json.get<std::string>();
      try {
        const Json* definition = FindStream(stream_name);
        if (definition == nullptr) {
          return {protocol::ConnectionStatusValue::kFailed,
                  "Stream '" + stream_name + "' named in check is not in the manifest's streams."};
        }
        DeclarativeStream stream(*definition, *runtime, options_.manifest_dir);
        stream.Read({.first_record_only = true},
                    {.on_record = [](Json) { return false; }});
      } catch (const Error& error) {
        return {protocol::ConnectionStatusValue::kFailed,
                "Stream " + stream_name + " is not available: " + error.message()};
      } catch (const std::exception& error) {
        return {protocol::ConnectionStatusValue::kFailed,
                "Stream " + stream_name + " is not available: " + error.what()};
      }
    }
    return {protocol::ConnectionStatusValue::kSucceeded, std::nullopt};
  }

  protocol::AirbyteCatalog Discover(const Json& config) const override {
    std::unique_ptr<Runtime> runtime = MakeRuntime(config);
    protocol::AirbyteCatalog catalog;
    for (const Json& definition : manifest_.value("streams", Json::array())) {
      DeclarativeStream stream(definition, *runtime, options_.manifest_dir);
      catalog.streams.push_back(stream.Describe());
    }
    return catalog;
  }

  void Read(const Json& config, const protocol::ConfiguredAirbyteCatalog& catalog,
            const std::vector<protocol::StateMessage>& state,
            connectors::MessageSink& sink) const override {
    std::unique_ptr<Runtime> runtime = MakeRuntime(config);
    bool sink_open = true;
    auto emit = [&](Message message) {
      if (sink_open) sink_open = sink.Emit(std::move(message));
      return sink_open;
    };
    runtime->emit_control = [&](const Json& updated) {
      protocol::ControlMessage control;
      control.emitted_at = static_cast<double>(NowMillis());
      control.config = updated;
      emit(Message(std::move(control)));
    };

    // Build every selected stream first: a definition or template error fails the whole read
    // before any stream starts, as in the CDK.
    std::vector<std::unique_ptr<DeclarativeStream>> streams;
    try {
      for (const auto& configured : catalog.streams) {
        const Json* definition = FindStream(configured.stream.name);
        if (definition == nullptr) {
          throw Error(ErrorKind::kStreamNotFound,
                      "Stream '" + configured.stream.name + "' is not in the manifest.",
                      {.context = {{"connector", options_.name}}});
        }
        streams.push_back(std::make_unique<DeclarativeStream>(
            *definition, *runtime, options_.manifest_dir,
            /*cache_responses=*/parent_names_.count(configured.stream.name) > 0));
        streams.back()->Prepare();
      }
    } catch (const Error& error) {
      EmitError(emit, error.message(), FailureTypeOf(error), std::nullopt);
      throw;
    }

    std::vector<std::string> failed;
    for (std::size_t i = 0; i < streams.size() && sink_open; ++i) {
      DeclarativeStream& stream = *streams[i];
      const std::string& stream_name = stream.name();
      EmitStatus(emit, stream_name, StreamStatus::kStarted);
      bool running = false;
      std::int64_t since_state = 0;
      DeclarativeStream::Callbacks callbacks;
      callbacks.on_record = [&](Json record) {
        if (!running) {
          running = true;
          EmitStatus(emit, stream_name, StreamStatus::kRunning);
        }
        protocol::RecordMessage message;
        message.stream = stream_name;
        message.data = record.dump();
        message.emitted_at = NowMillis();
        ++since_state;
        return emit(Message(std::move(message)));
      };
      callbacks.on_state = [&](const Json& stream_state) {
        protocol::StateMessage message;
        message.type = protocol::StateType::kStream;
        message.stream = protocol::StreamState{
            .stream_descriptor = {.name = stream_name}, .stream_state = stream_state};
        message.source_stats = protocol::StateStats{.record_count = static_cast<double>(since_state)};
        since_state = 0;
        emit(Message(std::move(message)));
      };
      callbacks.on_rate_limited = [&] {
        EmitStatus(emit, stream_name, StreamStatus::kRunning, /*rate_limited=*/true);
      };
      try {
        stream.Read({.state = StateFor(state, stream_name)}, callbacks);
        EmitStatus(emit, stream_name, StreamStatus::kComplete);
      } catch (const Error& error) {
        failed.push_back(stream_name + ": " + error.message());
        EmitStatus(emit, stream_name, StreamStatus::kIncomplete);
        EmitError(emit, error.message(), FailureTypeOf(error), stream_name);
      }
    }
    // The reference announces a rotated config once more at the end of a read.
    if (runtime->config_rotated) runtime->emit_control(runtime->config);
    if (!failed.empty()) {
      std::string message = "During the sync, the following streams did not sync successfully: ";
      for (std::size_t i = 0; i < failed.size(); ++i) message += (i ? ", " : "") + failed[i];
      EmitError(emit, message, FailureType::kConfigError, std::nullopt);
      throw Error(ErrorKind::kConnectorFailed, message, {.context = {{"connector", options_.name}}});
    }
  }

 private:
  std::int64_t NowMillis() const { return options_.now_micros() / 1000; }

  std::unique_ptr<Runtime> MakeRuntime(const Json& config) const {
    RegisterSpecSecrets(
        manifest_.value("spec", Json::object()).value("connection_specification", Json::object()),
        config);
    http::ClientOptions http_options;
    http_options.rewrite = options_.rewrite_url;
    return std::make_unique<Runtime>(config, options_.now_micros, std::move(http_options),
                                     options_.sleep);
  }

  const Json* FindStream(const std::string& name) const {
    auto streams = manifest_.find("streams");
    if (streams == manifest_.end() || !streams->is_array()) return nullptr;
    for (const Json& definition : *streams) {
      if (definition.value("name", "") == name) return &definition;
    }
    return nullptr;
  }

  static Json StateFor(const std::vector<protocol::StateMessage>& states, const std::string& name) {
    for (const auto& state : states) {
      if (state.stream && state.stream->stream_descriptor.name == name) {
        return state.stream->stream_state;
      }
    }
    return nullptr;
  }

  template <typename Emit>
  void EmitStatus(Emit& emit, const std::string& stream, StreamStatus status,
                  bool rate_limited = false) const {
    protocol::TraceMessage trace;
    trace.type = protocol::TraceType::kStreamStatus;
    trace.emitted_at = static_cast<double>(NowMillis());
    protocol::StreamStatusTrace status_trace;
    status_trace.stream_descriptor.name = stream;
    status_trace.status = status;
    if (rate_limited) status_trace.reasons.push_back({});
    trace.stream_status = std::move(status_trace);
    emit(Message(std::move(trace)));
  }

  template <typename Emit>
  void EmitError(Emit& emit, const std::string& message, FailureType type,
                 const std::optional<std::string>& stream) const {
    protocol::TraceMessage trace;
    trace.type = protocol::TraceType::kError;
    trace.emitted_at = static_cast<double>(NowMillis());
    protocol::ErrorTrace error;
    error.message = message;
    error.failure_type = type;
    if (stream) error.stream_descriptor = protocol::StreamDescriptor{.name = *stream};
    trace.error = std::move(error);
    emit(Message(std::move(trace)));
  }

  // Streams that substreams read as parents: their responses are cached within a run, so
  // syncing the parent too requests its pages once (as the CDK's HTTP cache does).
  void CollectParentNames(const Json& node) {
    if (node.is_object()) {
      auto type = node.find("type");
      auto stream = node.find("stream");
      if (type != node.end() && *type == "ParentStreamConfig" && stream != node.end() &&
          stream->is_object() && stream->contains("name") && (*stream)["name"].is_string()) {
        parent_names_.insert((*stream)["name"].get<std::string>());
      }
      for (const auto& [key, child] : node.items()) CollectParentNames(child);
    } else if (node.is_array()) {
      for (const Json& child : node) CollectParentNames(child);
    }
  }

  Json manifest_;
  DeclarativeOptions options_;
  std::set<std::string> parent_names_;
};

}  // namespace

std::unique_ptr<connectors::NativeConnector> MakeDeclarativeConnector(Json manifest,
                                                                      DeclarativeOptions options) {
  Json resolved = ResolveManifest(manifest);
  std::vector<std::string> custom = FindCustomComponents(resolved);
  if (!custom.empty()) {
    std::string list;
    for (const std::string& item : custom) list += (list.empty() ? "" : ", ") + item;
    throw Error(ErrorKind::kInput,
                "The manifest needs custom Python components, which the native engine cannot run: " +
                    list + ".",
                {.guidance = "Run this connector with its Python package (source-declarative-"
                             "manifest with components.py).",
                 .context = {{"connector", options.name}}});
  }
  return std::make_unique<DeclarativeConnector>(std::move(resolved), std::move(options));
}

}  // namespace airbyte::declarative

namespace airbyte::declarative {

ManifestSource LoadManifest(const std::string& ref) {
  if (!ref.empty() && (ref.front() == '{' || ref.find('\n') != std::string::npos)) {
    return {ParseYaml(ref, "<inline manifest>"), std::filesystem::current_path()};
  }
  if (ref.rfind("http://", 0) == 0 || ref.rfind("https://", 0) == 0) {
    http::HttpClient client;
    http::Response response = client.Send({.method = "GET", .url = ref});
    if (response.status != 200) {
      throw Error(ErrorKind::kNetwork,
                  "Downloading the manifest failed with HTTP status " +
                      std::to_string(response.status) + ".",
                  {.context = {{"url", ref}}});
    }
    return {ParseYaml(response.body, ref), std::filesystem::current_path()};
  }
  std::filesystem::path path(ref);
  return {ReadManifestFile(path), std::filesystem::absolute(path).parent_path()};
}

}  // namespace airbyte::declarative
