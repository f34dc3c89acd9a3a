#pragma once

/// A declarative (YAML manifest) connector interpreted natively, as the Python CDK runs it.
///
/// Example:
///   Json manifest = declarative::ReadManifestFile("manifest.yaml");
///   std::unique_ptr<connectors::NativeConnector> source =
///       declarative::MakeDeclarativeConnector(std::move(manifest), {.name = "source-nasa"});
///   source->Read(config, catalog, state, sink);
///
/// The connector implements NativeConnector, so every Source feature (Read() into any cache,
/// `airbyte run-connector --manifest`) works with it. Read() processes the configured streams
/// in catalog order, each stream's partitions and pages sequentially (the CDK's order with one
/// worker). A failing stream emits INCOMPLETE and an ERROR trace; the other streams still run;
/// at the end Read() emits a final ERROR trace and throws Error(kConnectorFailed).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "airbyte/json.h"
#include "connectors/native_connector.h"

namespace airbyte::declarative {

struct DeclarativeOptions {
  /// The connector name reported in errors and logs, e.g. "source-nasa".
  std::string name = "source-declarative-manifest";
  /// Folder of the manifest, for JsonFileSchemaLoader paths; empty: the working directory.
  std::filesystem::path manifest_dir = {};
  /// Test seam: the clock (microseconds since the Unix epoch, UTC) for now_utc(), default
  /// end dates, OAuth expiry and emitted_at. Empty: the system clock.
  std::function<std::int64_t()> now_micros = {};
  /// Test seam: maps each outgoing URL to the URL to connect to (nullopt refuses it).
  std::function<std::optional<std::string>(const std::string& url)> rewrite_url = {};
  /// Test seam: back-off and rate-limit waits. Empty: really sleep.
  std::function<void(std::chrono::milliseconds)> sleep = {};
};

/// Loads a parsed manifest ($ref, type inference, $parameters) and returns the connector.
/// Throws Error(kInput) naming the component for manifests it cannot run (custom Python
/// components, unknown types, circular or undefined references).
std::unique_ptr<connectors::NativeConnector> MakeDeclarativeConnector(Json manifest,
                                                                      DeclarativeOptions options);

/// A manifest and the folder relative paths in it refer to.
struct ManifestSource {
  Json manifest;
  std::filesystem::path dir;
};

/// Loads a manifest given as a file path, an http(s) URL (downloaded, TLS verified) or inline
/// YAML/JSON text (a value starting with '{' or holding a newline). Throws Error(kInput) or
/// Error(kNetwork) naming the reference.
ManifestSource LoadManifest(const std::string& ref);

/// Reads a manifest file (YAML, parsed as PyYAML's safe_load does, or JSON). Throws
/// Error(kInput) naming the file and line for syntax errors, Error(kIo) when unreadable.
Json ReadManifestFile(const std::filesystem::path& path);

}  // namespace airbyte::declarative
