#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace airbyte::util {

/// A private (0700) temporary directory, removed with everything in it on destruction.
///
/// Created under $AIRBYTE_TEMP_DIR when set, else the system temp dir. Files written with
/// WriteFile() are 0600: connector configs hold plaintext secrets. Live directories are also
/// known to RemoveLiveTempDirs(), so a fatal signal does not leave them behind (see
/// RemoveTempDirsOnFatalSignals()). Not thread-safe.
class ScopedTempDir {
 public:
  /// Throws Error(kIo) naming the parent directory if it cannot be created.
  explicit ScopedTempDir(std::string_view prefix = "airbyte-");
  ScopedTempDir(ScopedTempDir&& other) noexcept;
  ScopedTempDir& operator=(ScopedTempDir&&) = delete;
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir();

  const std::filesystem::path& path() const { return path_; }

  /// Writes `content` to a new 0600 file `name` inside the directory; returns its path.
  /// Throws Error(kIo) on failure (for example a full disk).
  std::filesystem::path WriteFile(std::string_view name, std::string_view content) const;

  /// Removes the directory now (the destructor then does nothing).
  void Remove() noexcept;

 private:
  std::filesystem::path path_;
  int slot_ = -1;  // index in the signal-safe registry of live directories; -1: untracked
};

/// Deletes the files WriteFile() created in every live ScopedTempDir, then the directories.
/// Async-signal-safe (unlink/rmdir over a fixed table), for signal handlers only; the objects
/// are not told, so the process must end right after.
void RemoveLiveTempDirs() noexcept;

/// Installs handlers for SIGINT, SIGTERM and SIGHUP that call RemoveLiveTempDirs() and then
/// re-raise the signal with its default action (the process still dies of it). For main():
/// an interrupted `airbyte read` must not leave a connector config (secrets) in /tmp.
void RemoveTempDirsOnFatalSignals();

/// The parent for temp dirs: $AIRBYTE_TEMP_DIR, else std::filesystem::temp_directory_path().
std::filesystem::path TempRoot();

}  // namespace airbyte::util
