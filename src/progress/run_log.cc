#include "progress/run_log.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

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

std::string ReadStatsJson(const Snapshot& snapshot, const std::string& source_name,
                          const std::string& cache_type) {
  const auto round4 = [](double value) { return std::round(value * 1e4) / 1e4; };
  const double end = std::chrono::duration<double>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  const double start = end - snapshot.elapsed_s;
  const double mb = static_cast<double>(snapshot.bytes_read) / 1e6;
  nlohmann::ordered_json streams = nlohmann::ordered_json::object();
  for (const StreamSnapshot& stream : snapshot.streams) {
    const double seconds = stream.active_s();
    streams[stream.name] = {
        {"records_read", stream.records},
        {"read_start_time", round4(start + std::max(0.0, stream.first_record_s))},
        {"read_end_time", round4(start + std::max(0.0, stream.last_record_s))},
        {"time_to_first_record", round4(std::max(0.0, stream.first_record_s))},
        {"read_time_seconds", round4(seconds)},
        {"records_per_second", round4(stream.rate())}};
  }
  const nlohmann::ordered_json stats = {
      {"job_type", "read"},
      {"job_info",
       {{"description", snapshot.job},
        {"source", {{"name", source_name}}},
        {"cache", {{"type", cache_type}}}}},
      {"performance_metrics",
       {{"records_read", snapshot.total_records()},
        {"read_time_seconds", round4(snapshot.elapsed_s)},
        {"read_start_time", round4(start)},
        {"read_end_time", round4(end)},
        {"records_per_second", round4(snapshot.rate())},
        {"mb_read", round4(mb)},
        {"mb_per_second", round4(snapshot.elapsed_s > 0 ? mb / snapshot.elapsed_s : 0)},
        {"stream_metrics", streams}}}};
  return stats.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AppendStats(const std::string& json_line) {
  try {
    std::error_code ec;
    std::filesystem::create_directories(LoggingRoot(), ec);
    std::ofstream out(LoggingRoot() / "airbyte-stats.log", std::ios::app);
    out << json_line << "\n";
  } catch (...) {  // stats are optional
  }
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
