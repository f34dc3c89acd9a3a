#pragma once

/// Sources: get a connector, configure it, inspect its streams, read records.
///
/// Example:
///   #include <airbyte/airbyte.h>
///   #include <nlohmann/json.hpp>
///
///   airbyte::Source source = airbyte::GetSource(
///       "source-pokeapi", Json{{"pokemon_name", "ditto"}},
///       {.local_executable = "/opt/connectors/source-pokeapi"});
///   source.Check();                                   // throws airbyte::Error on failure
///   for (const std::string& stream : source.GetAvailableStreams()) std::cout << stream << "\n";
///   source.SelectStreams({"pokemon"});
///   for (const airbyte::StreamRecord& r : source.GetRecords("pokemon", {.limit = 5})) {
///     std::cout << r.ToJson() << "\n";
///   }

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "airbyte/json.h"

#include "airbyte/cache.h"
#include "airbyte/progress.h"
#include "airbyte/read_result.h"
#include "airbyte/records.h"

namespace airbyte {

namespace executors {
class Executor;
}  // namespace executors

/// Called with the connector's new config when it sends a CONTROL CONNECTOR_CONFIG message
/// (for example a rotated OAuth refresh token). Runs on the thread that reads the connector.
using ConfigChangeCallback = std::function<void(const Json& new_config)>;

/// How GetSource() finds and runs the connector (PyAirbyte's get_source keyword arguments).
/// At most one install method (local_executable, docker_image, pip_url/use_python,
/// source_manifest) may be set; none means automatic resolution (behavior doc 2.1).
struct SourceOptions {
  /// Streams to select right away: {"*"} for all. Needs a config (runs discover).
  std::vector<std::string> streams = {};
  /// Connector version; not allowed together with local_executable.
  std::string version = {};
  /// Path (contains '/') or a name looked up on PATH.
  std::string local_executable = {};
  /// Docker image; not available in this build.
  std::string docker_image = {};
  /// pip URL / Python interpreter; not available in this build.
  std::string pip_url = {};
  std::string use_python = {};
  /// Declarative manifest: a YAML/JSON file path, an http(s) URL, or inline YAML/JSON text
  /// (a value starting with '{' or containing a newline). Interpreted natively, in-process.
  std::string source_manifest = {};
  ConfigChangeCallback config_change_callback = {};
  /// Time limits and stop grace for every connector operation.
  std::optional<std::chrono::milliseconds> idle_timeout = std::nullopt;
  std::optional<std::chrono::milliseconds> total_timeout = std::nullopt;
  std::chrono::milliseconds terminate_grace{10'000};
};

/// Options of Source::GetRecords().
struct GetRecordsOptions {
  /// Stop after this many records (the connector is terminated).
  std::optional<std::size_t> limit = std::nullopt;
  /// Store keys normalized (lower-case, `_` for other characters) instead of schema case.
  bool normalize_field_names = false;
  /// Drop properties the stream's schema does not declare.
  bool prune_undeclared_fields = true;
};

/// Options of Source::Read().
struct ReadOptions {
  /// Streams to read: empty for the selected streams, {"*"} for all.
  std::vector<std::string> streams = {};
  WriteStrategy write_strategy = WriteStrategy::kAuto;
  /// Ignore stored state and request full_refresh where the stream supports it.
  bool force_full_refresh = false;
  /// Skip validating the config against the spec.
  bool skip_validation = false;
  /// Progress on stderr while the read runs (include/airbyte/progress.h). Off by default in
  /// the library; the `airbyte` CLI uses kAuto.
  ProgressStyle progress = ProgressStyle::kNone;
};

/// What GetSamples() does when a stream fails.
enum class OnSampleError { kRaise, kIgnore, kLog };

/// A source connector (PyAirbyte's Source). Caches spec and catalog; the catalog is
/// refreshed when the config changes. Move-only; not thread-safe (one operation at a time).
/// Methods that run the connector throw airbyte::Error on failure.
class Source {
 public:
  Source(std::string name, std::unique_ptr<executors::Executor> executor,
         ConfigChangeCallback config_change_callback = {});
  Source(Source&&) noexcept;
  Source& operator=(Source&&) noexcept;
  ~Source();

  const std::string& name() const;
  /// How the connector runs ("local executable /path/x").
  std::string executor_description() const;

  // --- Configuration ---------------------------------------------------------------------

  /// Stores `config`. First hydrates it: every `secret_reference::NAME` string (at any depth,
  /// lists included) is replaced by GetSecret(NAME), which registers the value for masking
  /// (Error(kSecretNotFound) when no source has it). With `validate`, then checks it against
  /// the spec's JSON Schema (Error(kValidation) naming the failing field path, never a secret
  /// value). Registers the values of `airbyte_secret` fields as secrets; the first operation
  /// that runs the connector warns on stderr about secret fields holding literal values.
  /// Applies a deferred stream selection.
  void SetConfig(const Json& config, bool validate = true);
  /// The stored config as given (references unresolved); Error(kConfigMissing) when unset.
  const Json& GetConfig() const;
  bool has_config() const;
  /// Validates `config` (hydrated first) or the stored config against the spec.
  void ValidateConfig(const Json& config);
  void ValidateConfig();
  void SetConfigChangeCallback(ConfigChangeCallback callback);

  // --- Spec, check, catalog --------------------------------------------------------------

  /// The full ConnectorSpecification (cached after the first `spec` run).
  const Json& Spec();
  /// `connectionSpecification` of a fresh `spec` run.
  Json ConfigSpec();
  /// Runs `check`; throws Error(kCheckFailed) with the connector's reason on failure.
  void Check();
  /// The AirbyteCatalog from `discover` (cached until the config changes).
  const Json& DiscoveredCatalog();
  /// Stream names in discover order.
  std::vector<std::string> GetAvailableStreams();
  /// The JSON schema of `stream`; Error(kInput) when there is no such stream.
  Json GetStreamJsonSchema(std::string_view stream);
  /// "https://docs.airbyte.com/integrations/sources/<name without source->".
  std::string DocsUrl() const;

  // --- Stream selection ------------------------------------------------------------------

  /// Selects exactly these streams ({"*"}: all). Error(kStreamNotFound) for an unknown name.
  /// Without a config the selection is deferred until SetConfig() (with a warning on stderr).
  void SelectStreams(const std::vector<std::string>& streams);
  void SelectAllStreams();
  std::vector<std::string> GetSelectedStreams() const;

  /// Overrides the cursor field of `stream` (stream names are matched lower-cased).
  void SetCursorKey(std::string_view stream, std::string cursor_field);
  /// Overrides the primary key of `stream`: each name is one key column (composite keys
  /// become [["a"],["b"]], fixing PyAirbyte's nested-path encoding).
  void SetPrimaryKey(std::string_view stream, std::vector<std::string> key_columns);

  /// The ConfiguredAirbyteCatalog a read sends (behavior doc 3.6). `streams` empty: the
  /// selected streams, or all when none are selected; {"*"}: all. Unknown names are skipped.
  Json ConfiguredCatalog(const std::vector<std::string>& streams = {},
                                   bool force_full_refresh = false);

  // --- Records ---------------------------------------------------------------------------

  /// Lazily reads `stream` (no state) as StreamRecords. Error(kInput) for an unknown stream.
  LazyDataset GetRecords(std::string_view stream, GetRecordsOptions options = {});
  /// Up to `limit` records of each stream ({"*"}: all, empty: selected); a failed stream maps
  /// to nullopt unless on_error is kRaise.
  std::map<std::string, std::optional<std::vector<StreamRecord>>> GetSamples(
      const std::vector<std::string>& streams = {}, std::size_t limit = 5,
      OnSampleError on_error = OnSampleError::kRaise);
  /// Prints samples as readable tables.
  void PrintSamples(std::ostream& out, const std::vector<std::string>& streams = {},
                    std::size_t limit = 5, OnSampleError on_error = OnSampleError::kLog);

  // --- Reading into a cache ----------------------------------------------------------------

  /// Reads the streams into `cache` (behavior doc 4-5): tables created or evolved, records
  /// written with the write strategy, state fed back from the cache and stored with the data
  /// it covers. Data and state are committed together at state checkpoints while the read
  /// runs, so a failed or killed read keeps everything committed before it and a re-run
  /// resumes. Throws Error(kNoStreamsSelected) when nothing is selected, Error(kInput) for a
  /// merge on a stream without primary key, and the connector's or cache's error on failure
  /// (its message says how many records were committed).
  ReadResult Read(Cache& cache, const ReadOptions& options = {});
  /// The same into the default cache (GetDefaultCache()).
  ReadResult Read(const ReadOptions& options = {});

  /// Internal: the implementation, for other library modules (read pipeline, destinations).
  class Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

/// Finds the connector `name` and returns a Source for it (PyAirbyte's get_source), with
/// `config` set (not validated, as in PyAirbyte). Resolution (behavior doc 2.1): an explicit
/// install method wins; otherwise an executable named `name` on PATH. Throws Error(kInput) for
/// conflicting options, Error(kExecutableNotFound) / Error(kConnectorNotRegistered) when
/// nothing can run `name`.
Source GetSourceWithConfig(const std::string& name, const Json& config,
                           const SourceOptions& options = {});

/// GetSourceWithConfig() for any JSON value (Json or nlohmann::json). A template so that
/// `GetSource("x", {.local_executable = "..."})` picks the overload below unambiguously.
template <typename Config>
  requires(!std::is_same_v<std::remove_cvref_t<Config>, SourceOptions>)
Source GetSource(const std::string& name, const Config& config,
                 const SourceOptions& options = {}) {
  return GetSourceWithConfig(name, config, options);
}

/// The same without a config (spec and check need none; discover does).
Source GetSource(const std::string& name, const SourceOptions& options = {});

/// The benchmark source (PyAirbyte's get_benchmark_source): the built-in `source-e2e-test` in
/// BENCHMARK mode, all streams selected, emitting `num_records` five-string-column records.
Source GetBenchmarkSource(std::int64_t num_records = 500'000);
/// The same with the count as text in any decimal notation ("5e5", "2.4e6", "400_000");
/// Error(kInput, "Invalid number format.") otherwise.
Source GetBenchmarkSource(std::string_view num_records);

}  // namespace airbyte
