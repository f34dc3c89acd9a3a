#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/source.h"
#include "executors/executor.h"
#include "protocol/message.h"

namespace airbyte {

/// The state behind a Source: executor, config, cached spec and catalog, selection, key
/// overrides. Other modules (the read pipeline) use it through Source::impl().
class Source::Impl {
 public:
  Impl(std::string name, std::unique_ptr<executors::Executor> executor,
       ConfigChangeCallback callback);

  const std::string& name() const { return name_; }
  executors::Executor& executor() { return *executor_; }
  const executors::ExecutionLimits& limits() const { return limits_; }
  /// This Source's connector log (behavior doc 9.5), opened at the first use; nullptr when
  /// file logging is off. Connector output and our messages about its runs go here.
  const std::shared_ptr<util::LogFile>& log();
  /// Its path, or empty.
  std::string log_path();
  void set_limits(const executors::ExecutionLimits& limits) { limits_ = limits; }

  // Configuration.
  void SetConfig(const Json& config, bool validate);
  /// The config as given (`secret_reference::` values unresolved), as PyAirbyte's get_config.
  const Json& GetConfig() const;
  /// The config with secrets looked up: what validation and the connector see.
  const Json& HydratedConfig() const { return RequireConfig(); }
  bool has_config() const { return config_.has_value(); }
  /// Hydrates `config`, then validates it against the spec.
  void ValidateConfig(const Json& config);
  void ValidateHydratedConfig(const Json& config);
  void SetConfigChangeCallback(ConfigChangeCallback callback) { callback_ = std::move(callback); }

  // Connector operations.
  const protocol::ConnectorSpecification& Spec();
  const Json& SpecJson();
  protocol::ConnectorSpecification FreshSpec();
  void Check();
  const protocol::AirbyteCatalog& Catalog();
  const Json& CatalogJson();

  // Selection and catalogs.
  void SelectStreams(const std::vector<std::string>& streams);
  std::vector<std::string> selected_streams() const { return selected_; }
  void SetCursorKey(std::string_view stream, std::string cursor_field);
  void SetPrimaryKey(std::string_view stream, std::vector<std::string> key_columns);
  protocol::ConfiguredAirbyteCatalog BuildConfiguredCatalog(const std::vector<std::string>& streams,
                                                            bool force_full_refresh);

  /// Starts `read` for `catalog` with `state_json`, checked (TRACE ERROR fails it). CONTROL
  /// messages pass through HandleControl() as the caller reads them.
  std::unique_ptr<executors::MessageStream> StartRead(
      const protocol::ConfiguredAirbyteCatalog& catalog, const std::string& state_json);
  /// Applies a CONTROL CONNECTOR_CONFIG message: stores the new config, calls the callback.
  void HandleControl(const protocol::ControlMessage& control);

 private:
  std::unique_ptr<executors::MessageStream> Start(executors::Verb verb, std::string catalog_json,
                                                  std::string state_json);
  /// Runs a verb to the end; `found` receives the first message of `type` as soon as it
  /// arrives, so a caller that catches a later failure still sees it.
  void RunForMessage(executors::Verb verb, protocol::MessageType type,
                     std::optional<protocol::Message>& found, std::string* log_tail);
  /// Registers the values of `airbyte_secret` fields of `config` as secrets.
  void RegisterConfigSecrets(const Json& config);
  /// Once per config: a warning on stderr for each secret field holding a literal value
  /// (behavior doc 8.5), naming the field, never the value.
  void WarnAboutHardcodedSecrets();
  const Json& RequireConfig() const;

  std::string name_;
  std::unique_ptr<executors::Executor> executor_;
  ConfigChangeCallback callback_;
  executors::ExecutionLimits limits_;
  std::shared_ptr<util::LogFile> log_;  // shared with running streams (their log tee)
  bool log_opened_ = false;
  std::optional<Json> config_;           // as given: `secret_reference::` values unresolved
  std::optional<Json> hydrated_config_;  // what validation and the connector see
  bool hardcoded_secrets_checked_ = false;
  std::optional<protocol::ConnectorSpecification> spec_;
  Json spec_json_;
  std::optional<protocol::AirbyteCatalog> catalog_;
  Json catalog_json_;
  std::vector<std::string> selected_;
  /// A selection made before a config was set ({"*"} for all), applied by SetConfig.
  std::optional<std::vector<std::string>> deferred_selection_;
  std::map<std::string, std::string> cursor_overrides_;                   // key: lower-cased
  std::map<std::string, std::vector<std::string>> primary_key_overrides_;  // key: lower-cased
};

}  // namespace airbyte
