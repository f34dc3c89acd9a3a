#include "util/log_file.h"

#include <cerrno>
#include <cstring>
#include <ctime>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "util/redactor.h"

namespace airbyte::util {
namespace {

std::string LocalTimestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &local);
  return text;
}

}  // namespace

LogFile::LogFile(std::filesystem::path path, Format format)
    : path_(std::move(path)), format_(format) {
  std::error_code ec;
  std::filesystem::create_directories(path_.parent_path(), ec);
  file_ = std::fopen(path_.c_str(), "ae");
  if (file_ == nullptr) {
    throw Error(ErrorKind::kIo, "Could not open the log file.",
                {.guidance = "Set AIRBYTE_LOGGING_ROOT to a writable directory.",
                 .context = {{"path", path_.string()}, {"error", std::strerror(errno)}}});
  }
}

LogFile::~LogFile() {
  if (file_ != nullptr) std::fclose(file_);
}

void LogFile::Write(std::string_view level, std::string_view message) noexcept {
  try {
    std::string text = Redactor::Global().Mask(message);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    std::string line;
    if (format_ == Format::kJsonLines) {
      // dump() with replacement: connector output is not always valid UTF-8.
      line = nlohmann::json{{"event", text}, {"level", level}, {"timestamp", LocalTimestamp()}}
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
      line = LocalTimestamp() + " - " + std::string(level) + " - " + text;
    }
    line += '\n';
    const std::lock_guard lock(mu_);
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
  } catch (...) {  // out of memory: the entry is lost, the run goes on
  }
}

}  // namespace airbyte::util
