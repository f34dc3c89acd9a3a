#include "progress/run_log.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>

#include "airbyte/error.h"
#include "util/strings.h"

namespace airbyte::progress {
namespace {

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// A ULID: 48-bit Unix milliseconds (10 characters) then 80 random bits (16 characters).
std::string NewUlid() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  std::string ulid(26, '0');
  for (int i = 9; i >= 0; --i) {
    ulid[static_cast<std::size_t>(i)] = kCrockford[ms & 31];
    ms >>= 5;
  }
  for (std::size_t i = 10; i < 26; ++i) ulid[i] = kCrockford[random() & 31];
  return ulid;
}

}  // namespace

std::filesystem::path LoggingRoot() {
  if (const char* root = std::getenv("AIRBYTE_LOGGING_ROOT"); root != nullptr && *root != 0) {
    return root;
  }
  return "/tmp/airbyte/logs";
}

util::LogFile::Format LogFormat() {
  const char* value = std::getenv("AIRBYTE_STRUCTURED_LOGGING");
  if (value == nullptr) return util::LogFile::Format::kText;
  const std::string text = util::AsciiLower(value);
  return text == "true" || text == "1" || text == "yes" ? util::LogFile::Format::kJsonLines
                                                        : util::LogFile::Format::kText;
}

std::string NewLogFileId() { return NewUlid().substr(2, 9); }

std::shared_ptr<util::LogFile> OpenConnectorLog(std::string_view connector_name) {
  const std::string name(connector_name);
  const std::filesystem::path root = LoggingRoot();
  try {
    return std::make_shared<util::LogFile>(root / name / (name + "-log-" + NewLogFileId() + ".log"),
                                           LogFormat());
  } catch (const Error&) {
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true)) {
      std::cerr << "Failed to create PyAirbyte logging directory at `" << root.string()
                << "`. You can override the default path by setting the `AIRBYTE_LOGGING_ROOT` "
                   "environment variable.\n";
    }
    return nullptr;
  }
}

}  // namespace airbyte::progress
