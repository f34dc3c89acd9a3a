#include "sources/resolver.h"

#include <filesystem>

#include "airbyte/error.h"
#include "connectors/declarative/declarative_source.h"
#include "connectors/native_connector.h"
#include "executors/native_executor.h"
#include "executors/process_executor.h"
#include "util/child_process.h"

namespace airbyte::sources {
namespace {

std::unique_ptr<executors::Executor> LocalExecutable(const std::string& name,
                                                     const std::string& executable) {
  std::optional<std::filesystem::path> path = util::FindExecutable(executable);
  if (!path) {
    const bool is_path = executable.find('/') != std::string::npos;
    throw Error(ErrorKind::kExecutableNotFound, "",
                {.guidance = is_path ? "Check that the file exists and is executable "
                                       "(chmod +x)."
                                     : "Put the connector's executable on PATH, or pass its "
                                       "path.",
                 .context = {{"connector_name", name},
                             {"executable", executable},
                             {"working_directory", std::filesystem::current_path().string()}}});
  }
  return std::make_unique<executors::ProcessExecutor>(name, *path);
}

[[noreturn]] void Unavailable(const std::string& name, const std::string& method) {
  throw Error(ErrorKind::kInput,
              "The install method '" + method + "' is not available in this build.",
              {.guidance = "Run the connector as a local executable: pass its path (or a name "
                           "on PATH) as `local_executable` / `--source ./path`.",
               .context = {{"connector_name", name}}});
}

// A declarative manifest interpreted in-process (a path, a URL or inline YAML/JSON).
std::unique_ptr<executors::Executor> DeclarativeExecutor(const std::string& name,
                                                         const std::string& manifest) {
  if (manifest == "true") {
    throw Error(ErrorKind::kInput,
                "Downloading the registry's manifest (source_manifest=true) is not available yet.",
                {.guidance = "Download the connector's manifest.yaml and pass its path or URL.",
                 .context = {{"connector_name", name}}});
  }
  declarative::ManifestSource source = declarative::LoadManifest(manifest);
  return std::make_unique<executors::NativeExecutor>(declarative::MakeDeclarativeConnector(
      std::move(source.manifest), {.name = name, .manifest_dir = source.dir}));
}

}  // namespace

std::unique_ptr<executors::Executor> ResolveExecutor(const std::string& name,
                                                     const SourceOptions& options) {
  const bool python = !options.pip_url.empty() || !options.use_python.empty();
  const int methods = static_cast<int>(!options.local_executable.empty()) +
                      static_cast<int>(!options.docker_image.empty()) +
                      static_cast<int>(python) +
                      static_cast<int>(!options.source_manifest.empty());
  if (!options.version.empty() && !options.pip_url.empty()) {
    throw Error(ErrorKind::kInput,
                "Cannot specify both version and pip_url. Make sure to specify the connector "
                "version directly in the pip_url.",
                {.context = {{"version", options.version}, {"pip_url", options.pip_url}}});
  }
  if (methods > 1) {
    throw Error(ErrorKind::kInput,
                "You can only specify one of the settings: 'local_executable', 'docker_image', "
                "'source_manifest', 'pip_url', or 'no_executor'.");
  }
  if (!options.local_executable.empty()) {
    if (!options.version.empty()) {
      throw Error(ErrorKind::kInput,
                  "Param 'version' is not supported when 'local_executable' is set.");
    }
    return LocalExecutable(name, options.local_executable);
  }
  if (!options.docker_image.empty()) Unavailable(name, "docker_image");
  if (python) Unavailable(name, "pip_url/use_python");
  if (!options.source_manifest.empty()) return DeclarativeExecutor(name, options.source_manifest);

  // Automatic resolution. Native built-in connectors come first: no process, no install.
  if (std::unique_ptr<connectors::NativeConnector> native = connectors::MakeNativeConnector(name)) {
    return std::make_unique<executors::NativeExecutor>(std::move(native));
  }
  // An executable named exactly `name` on PATH beats the registry (as in PyAirbyte).
  if (name.find('/') == std::string::npos) {
    if (std::optional<std::filesystem::path> path = util::FindExecutable(name)) {
      return std::make_unique<executors::ProcessExecutor>(name, *path);
    }
  }
  // TODO(registry issue): look the connector up in the registry (YAML, Python, Docker).
  throw Error(ErrorKind::kConnectorNotRegistered, "",
              {.context = {{"connector_name", name}}});
}

}  // namespace airbyte::sources
