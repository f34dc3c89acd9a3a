#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace airbyte::util {

/// An append-only log file: one line per entry, every entry passed through the secret
/// Redactor first.
///
/// Text format: `<YYYY-MM-DD HH:MM:SS> - <LEVEL> - <message>` (local time). JSON-lines format:
/// `{"event": <message>, "level": <level>, "timestamp": "<YYYY-MM-DD HH:MM:SS>"}`. Each entry
/// is flushed, so the file tells the whole story even when the process dies. Thread-safe.
class LogFile {
 public:
  enum class Format { kText, kJsonLines };

  /// Opens `path` for appending, creating its directory. Throws Error(kIo) when it cannot.
  LogFile(std::filesystem::path path, Format format);
  ~LogFile();
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  Format format() const { return format_; }

  /// Appends one entry; `level` is "INFO", "WARNING", "ERROR", ... Never throws (a failed
  /// write only loses log text). A message with several lines stays one entry.
  void Write(std::string_view level, std::string_view message) noexcept;

 private:
  const std::filesystem::path path_;
  const Format format_;
  std::mutex mu_;
  std::FILE* file_ = nullptr;  // Guarded by mu_.
};

}  // namespace airbyte::util
