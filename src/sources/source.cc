#include "airbyte/source.h"

#include <algorithm>
#include <iostream>

#include "airbyte/error.h"
#include "airbyte/secrets.h"
#include "connectors/e2e_test/e2e_test_source.h"
#include "executors/checked_stream.h"
#include "progress/run_log.h"
#include "protocol/json_convert.h"
#include "secrets/lookup.h"
#include "sources/config_validator.h"
#include "sources/resolver.h"
#include "sources/source_impl.h"
#include "util/strings.h"

namespace airbyte {
namespace {


std::string JoinNames(const std::vector<std::string>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += "'" + names[i] + "'";
  }
  return out + "]";
}

// "source-faker" -> https://docs.airbyte.com/integrations/sources/faker (every "source-"
// removed, as PyAirbyte does).
std::string DocsUrlFor(std::string_view connector_name) {
  std::string name = util::AsciiLower(connector_name);
  for (std::size_t pos; (pos = name.find("source-")) != std::string::npos;) name.erase(pos, 7);
  return "https://docs.airbyte.com/integrations/sources/" + name;
}

bool Supports(const protocol::AirbyteStream& stream, protocol::SyncMode mode) {
  return std::find(stream.supported_sync_modes.begin(), stream.supported_sync_modes.end(),
                   mode) != stream.supported_sync_modes.end();
}

}  // namespace

// --- Source::Impl ---------------------------------------------------------------------------

Source::Impl::Impl(std::string name, std::unique_ptr<executors::Executor> executor,
                   ConfigChangeCallback callback)
    : name_(std::move(name)), executor_(std::move(executor)), callback_(std::move(callback)) {}

const std::shared_ptr<util::LogFile>& Source::Impl::log() {
  if (!log_opened_) {
    log_opened_ = true;
    log_ = progress::OpenConnectorLog(name_);
  }
  return log_;
}

std::string Source::Impl::log_path() { return executors::LogPath(log()); }

void Source::Impl::SetConfig(const Json& config, bool validate) {
  if (!config.is_object()) {
    throw Error(ErrorKind::kInput, "The config must be a JSON object.",
                {.context = {{"connector_name", name_}}});
  }
  // Hydrated first, so the looked-up values are registered for masking before anything
  // (validation errors, the connector) can show them.
  Json hydrated = HydrateSecrets(config);
  if (validate) ValidateHydratedConfig(hydrated);
  const bool changed = !hydrated_config_ || *hydrated_config_ != hydrated;
  config_ = config;
  hydrated_config_ = std::move(hydrated);
  hardcoded_secrets_checked_ = false;
  if (changed) {
    catalog_.reset();  // the catalog depends on the config (fixes PyAirbyte's stale cache)
    catalog_json_ = nullptr;
  }
  if (deferred_selection_) {
    std::vector<std::string> selection = std::move(*deferred_selection_);
    deferred_selection_.reset();
    SelectStreams(selection);
  }
}

const Json& Source::Impl::RequireConfig() const {
  if (!config_ || !hydrated_config_) {
    throw Error(ErrorKind::kConfigMissing, "",
                {.guidance = "Provide a config with `SetConfig()` (library) or `--config` "
                             "(CLI).",
                 .context = {{"connector_name", name_}}});
  }
  return *hydrated_config_;
}

const Json& Source::Impl::GetConfig() const {
  RequireConfig();
  return *config_;
}

void Source::Impl::ValidateConfig(const Json& config) {
  ValidateHydratedConfig(HydrateSecrets(config));
}

void Source::Impl::ValidateHydratedConfig(const Json& config) {
  const protocol::ConnectorSpecification& spec = Spec();
  RegisterConfigSecrets(config);
  sources::ValidateConfigAgainstSpec(config, spec.connection_specification, name_);
}

void Source::Impl::RegisterConfigSecrets(const Json& config) {
  for (const std::string& secret :
       sources::SecretValuesInConfig(config, Spec().connection_specification)) {
    RegisterSecret(secret);
  }
}

void Source::Impl::WarnAboutHardcodedSecrets() {
  if (hardcoded_secrets_checked_ || !config_) return;
  hardcoded_secrets_checked_ = true;
  for (const std::vector<std::string>& path :
       DetectHardcodedSecrets(*config_, Spec().connection_specification)) {
    const Json* value = &*config_;
    std::string dotted;
    for (const std::string& key : path) {
      value = &(*value)[key];
      dotted += (dotted.empty() ? "" : ".") + key;
    }
    // SECRET: values of the CLI arrive here already looked up: those are not hard-coded.
    if (value->is_string() && secrets::CameFromSecretSource(value->get<std::string>())) continue;
    std::cerr << "Warning: Config field `" << dotted << "` of `" << name_
              << "` holds a hard-coded secret. Keep it in an environment variable or a .env "
                 "file and write `secret_reference::<NAME>` (library) or `SECRET:<NAME>` (CLI) "
                 "instead.\n";
  }
}

std::unique_ptr<executors::MessageStream> Source::Impl::Start(executors::Verb verb,
                                                              std::string catalog_json,
                                                              std::string state_json) {
  executors::Invocation invocation{.verb = verb, .limits = limits_, .log = log()};
  if (verb != executors::Verb::kSpec) {
    invocation.config = RequireConfig();
    // Mask the secrets before the connector can echo them anywhere we capture.
    RegisterConfigSecrets(invocation.config);
    WarnAboutHardcodedSecrets();
  }
  invocation.catalog_json = std::move(catalog_json);
  invocation.state_json = std::move(state_json);
  return executors::ExecuteChecked(*executor_, name_, invocation);
}

void Source::Impl::RunForMessage(executors::Verb verb, protocol::MessageType type,
                                 std::optional<protocol::Message>& found,
                                 std::string* log_tail) {
  std::unique_ptr<executors::MessageStream> stream = Start(verb, "", "[]");
  protocol::Message message;
  // Run to the end even after the wanted message: the exit code and any TRACE ERROR count.
  while (stream->Next(message)) {
    if (message.type() == protocol::MessageType::kControl) HandleControl(message.control());
    if (!found && message.type() == type) found = message;
  }
  if (log_tail != nullptr) *log_tail = stream->LogTail();
}

protocol::ConnectorSpecification Source::Impl::FreshSpec() {
  std::string log_tail;
  std::optional<protocol::Message> message;
  RunForMessage(executors::Verb::kSpec, protocol::MessageType::kSpec, message, &log_tail);
  if (!message) {
    throw Error(ErrorKind::kMissingSpec, "",
                {.context = {{"connector_name", name_}},
                 .log_tail = log_tail,
                 .log_file = log_path()});
  }
  spec_ = message->spec();
  spec_json_ = protocol::ToJson(*spec_);
  return *spec_;
}

const protocol::ConnectorSpecification& Source::Impl::Spec() {
  if (!spec_) FreshSpec();
  return *spec_;
}

const Json& Source::Impl::SpecJson() {
  Spec();
  return spec_json_;
}

void Source::Impl::Check() {
  RequireConfig();
  std::string log_tail;
  std::optional<protocol::Message> status;
  auto throw_if_failed = [&](const std::string& tail) {
    if (!status) return;
    const protocol::ConnectionStatus& result = status->connection_status();
    if (result.status != protocol::ConnectionStatusValue::kFailed) return;
    throw Error(ErrorKind::kCheckFailed, "",
                {.help_url = DocsUrlFor(name_),
                 .context = {{"connector_name", name_},
                             {"failure_reason", result.message.value_or("")}},
                 .log_tail = tail,
                 .log_file = log_path()});
  };
  try {
    RunForMessage(executors::Verb::kCheck, protocol::MessageType::kConnectionStatus, status,
                  &log_tail);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kConnectorFailed) throw;
    // A connector that reported FAILED and then exited non-zero: its reason is the news
    // (PyAirbyte raises on the FAILED status before it sees the exit code).
    throw_if_failed(e.log_tail());
    ErrorDetails details{.context = e.context(),
                         .log_tail = e.log_tail(),
                         .log_file = e.log_file(),
                         .cause = e.message()};
    throw Error(ErrorKind::kCheckFailed, e.message(), std::move(details));
  }
  if (!status) {
    throw Error(ErrorKind::kCheckFailed,
                "The connector `check` operation did not return a status.",
                {.context = {{"connector_name", name_}},
                 .log_tail = log_tail,
                 .log_file = log_path()});
  }
  throw_if_failed(log_tail);
}

const protocol::AirbyteCatalog& Source::Impl::Catalog() {
  if (catalog_) return *catalog_;
  std::string log_tail;
  std::optional<protocol::Message> message;
  RunForMessage(executors::Verb::kDiscover, protocol::MessageType::kCatalog, message, &log_tail);
  if (!message) {
    throw Error(ErrorKind::kMissingCatalog, "",
                {.context = {{"connector_name", name_}},
                 .log_tail = log_tail,
                 .log_file = log_path()});
  }
  catalog_ = message->catalog();
  catalog_json_ = protocol::ToJson(*catalog_);
  return *catalog_;
}

const Json& Source::Impl::CatalogJson() {
  Catalog();
  return catalog_json_;
}

void Source::Impl::SelectStreams(const std::vector<std::string>& streams) {
  if (!config_) {
    const bool all = streams.size() == 1 && streams[0] == "*";
    std::cerr << (all ? std::string("Warning: Config is not set yet. All streams will be "
                                    "selected after config is set.")
                      : "Warning: Config is not set yet. Streams to be selected after config "
                        "is set: " + JoinNames(streams))
              << "\n";
    deferred_selection_ = streams;
    return;
  }
  std::vector<std::string> available;
  for (const protocol::AirbyteStream& s : Catalog().streams) available.push_back(s.name);
  if (streams.size() == 1 && streams[0] == "*") {
    selected_ = available;
    return;
  }
  for (const std::string& stream : streams) {
    if (std::find(available.begin(), available.end(), stream) == available.end()) {
      throw Error(ErrorKind::kStreamNotFound, "",
                  {.context = {{"stream_name", stream},
                               {"connector_name", name_},
                               {"available_streams", JoinNames(available)}}});
    }
  }
  selected_ = streams;
}

void Source::Impl::SetCursorKey(std::string_view stream, std::string cursor_field) {
  cursor_overrides_[util::AsciiLower(stream)] = std::move(cursor_field);
}

void Source::Impl::SetPrimaryKey(std::string_view stream, std::vector<std::string> key_columns) {
  primary_key_overrides_[util::AsciiLower(stream)] = std::move(key_columns);
}

protocol::ConfiguredAirbyteCatalog Source::Impl::BuildConfiguredCatalog(
    const std::vector<std::string>& streams, bool force_full_refresh) {
  const protocol::AirbyteCatalog& catalog = Catalog();
  const bool all = (streams.size() == 1 && streams[0] == "*") ||
                   (streams.empty() && selected_.empty());
  const std::vector<std::string>& wanted = streams.empty() ? selected_ : streams;
  protocol::ConfiguredAirbyteCatalog configured;
  for (const protocol::AirbyteStream& stream : catalog.streams) {  // discover order
    if (!all && std::find(wanted.begin(), wanted.end(), stream.name) == wanted.end()) continue;
    protocol::ConfiguredAirbyteStream entry;
    entry.stream = stream;
    entry.sync_mode = force_full_refresh && Supports(stream, protocol::SyncMode::kFullRefresh)
                          ? protocol::SyncMode::kFullRefresh
                          : protocol::SyncMode::kIncremental;
    entry.destination_sync_mode = protocol::DestinationSyncMode::kOverwrite;
    const std::string key = util::AsciiLower(stream.name);
    if (auto pk = primary_key_overrides_.find(key); pk != primary_key_overrides_.end()) {
      std::vector<protocol::FieldPath> paths;
      for (const std::string& column : pk->second) paths.push_back({column});
      entry.primary_key = std::move(paths);
    } else {
      entry.primary_key = stream.source_defined_primary_key;
    }
    if (auto cursor = cursor_overrides_.find(key); cursor != cursor_overrides_.end()) {
      entry.cursor_field = protocol::FieldPath{cursor->second};
    } else {
      entry.cursor_field = stream.default_cursor_field;
    }
    configured.streams.push_back(std::move(entry));
  }
  return configured;
}

std::unique_ptr<executors::MessageStream> Source::Impl::StartRead(
    const protocol::ConfiguredAirbyteCatalog& catalog, const std::string& state_json) {
  return Start(executors::Verb::kRead, protocol::ToJson(catalog).dump(), state_json);
}

void Source::Impl::HandleControl(const protocol::ControlMessage& control) {
  // The connector asks us to persist its new config (e.g. a rotated refresh token). Keep it
  // for the next operation; the catalog does not depend on credentials, so it stays cached.
  config_ = control.config;
  hydrated_config_ = control.config;
  RegisterConfigSecrets(control.config);
  if (callback_) callback_(control.config);
}

// --- Source ---------------------------------------------------------------------------------

Source::Source(std::string name, std::unique_ptr<executors::Executor> executor,
               ConfigChangeCallback config_change_callback)
    : impl_(std::make_unique<Impl>(std::move(name), std::move(executor),
                                   std::move(config_change_callback))) {}
Source::Source(Source&&) noexcept = default;
Source& Source::operator=(Source&&) noexcept = default;
Source::~Source() = default;

const std::string& Source::name() const { return impl_->name(); }
std::string Source::executor_description() const { return impl_->executor().Describe(); }

void Source::SetConfig(const Json& config, bool validate) { impl_->SetConfig(config, validate); }
const Json& Source::GetConfig() const { return impl_->GetConfig(); }
bool Source::has_config() const { return impl_->has_config(); }
void Source::ValidateConfig(const Json& config) { impl_->ValidateConfig(config); }
void Source::ValidateConfig() { impl_->ValidateHydratedConfig(impl_->HydratedConfig()); }
void Source::SetConfigChangeCallback(ConfigChangeCallback callback) {
  impl_->SetConfigChangeCallback(std::move(callback));
}

const Json& Source::Spec() { return impl_->SpecJson(); }
Json Source::ConfigSpec() { return impl_->FreshSpec().connection_specification; }
void Source::Check() { impl_->Check(); }
const Json& Source::DiscoveredCatalog() { return impl_->CatalogJson(); }

std::vector<std::string> Source::GetAvailableStreams() {
  std::vector<std::string> names;
  for (const protocol::AirbyteStream& stream : impl_->Catalog().streams) {
    names.push_back(stream.name);
  }
  return names;
}

Json Source::GetStreamJsonSchema(std::string_view stream) {
  const protocol::AirbyteStream* found = nullptr;
  for (const protocol::AirbyteStream& s : impl_->Catalog().streams) {
    if (s.name != stream) continue;
    if (found != nullptr) {
      throw Error(ErrorKind::kInternal, "The catalog lists the stream more than once.",
                  {.context = {{"stream_name", std::string(stream)}}});
    }
    found = &s;
  }
  if (found == nullptr) {
    throw Error(ErrorKind::kInput, "Stream name does not exist in catalog.",
                {.context = {{"input_value", std::string(stream)}}});
  }
  return found->json_schema;
}

std::string Source::DocsUrl() const { return DocsUrlFor(impl_->name()); }

void Source::SelectStreams(const std::vector<std::string>& streams) {
  impl_->SelectStreams(streams);
}
void Source::SelectAllStreams() { impl_->SelectStreams({"*"}); }
std::vector<std::string> Source::GetSelectedStreams() const { return impl_->selected_streams(); }

void Source::SetCursorKey(std::string_view stream, std::string cursor_field) {
  impl_->SetCursorKey(stream, std::move(cursor_field));
}
void Source::SetPrimaryKey(std::string_view stream, std::vector<std::string> key_columns) {
  impl_->SetPrimaryKey(stream, std::move(key_columns));
}

Json Source::ConfiguredCatalog(const std::vector<std::string>& streams,
                               bool force_full_refresh) {
  return protocol::ToJson(impl_->BuildConfiguredCatalog(streams, force_full_refresh));
}

// --- GetSource ------------------------------------------------------------------------------

namespace {

Source MakeSource(const std::string& name, const SourceOptions& options) {
  Source source(name, sources::ResolveExecutor(name, options), options.config_change_callback);
  source.impl().set_limits({.idle_timeout = options.idle_timeout,
                            .total_timeout = options.total_timeout,
                            .terminate_grace = options.terminate_grace});
  return source;
}

}  // namespace

Source GetSource(const std::string& name, const SourceOptions& options) {
  Source source = MakeSource(name, options);
  if (!options.streams.empty()) source.SelectStreams(options.streams);  // deferred: no config
  return source;
}

Source GetSourceWithConfig(const std::string& name, const Json& config,
                           const SourceOptions& options) {
  Source source = MakeSource(name, options);
  // As PyAirbyte: no validation here; selecting streams needs the config, so set it first.
  source.SetConfig(config, /*validate=*/false);
  if (!options.streams.empty()) source.SelectStreams(options.streams);
  return source;
}

Source GetBenchmarkSource(std::int64_t num_records) {
  return GetSourceWithConfig("source-e2e-test", connectors::BenchmarkSourceConfig(num_records),
                             {.streams = {"*"}});
}

Source GetBenchmarkSource(std::string_view num_records) {
  return GetBenchmarkSource(connectors::ParseNumRecords(num_records));
}

}  // namespace airbyte
