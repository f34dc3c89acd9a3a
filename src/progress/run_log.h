#pragma once
/// Where log files go (behavior doc 9.5).
///
///   std::shared_ptr<util::LogFile> log = progress::OpenConnectorLog("source-faker");
///   // $AIRBYTE_LOGGING_ROOT/source-faker/source-faker-log-01HZX3K4Q.log

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "progress/read_progress.h"
#include "util/log_file.h"

namespace airbyte::progress {

/// $AIRBYTE_LOGGING_ROOT, else /tmp/airbyte/logs.
std::filesystem::path LoggingRoot();
/// JSON lines when AIRBYTE_STRUCTURED_LOGGING is "true"/"1"/"yes" (any case), else text.
util::LogFile::Format LogFormat();
/// Nine characters of a fresh ULID (PyAirbyte's `ulid[2:11]`): unique per file and sortable
/// within a few hours.
std::string NewLogFileId();
/// Opens `<root>/<name>/<name>-log-<id>.log`. When the directory or file cannot be created,
/// prints a one-time warning on stderr and returns nullptr (file logging is then off).
/// Thread-safe.
std::shared_ptr<util::LogFile> OpenConnectorLog(std::string_view connector_name);

/// PyAirbyte's performance record of a finished read (behavior doc 9.5): one JSON object with
/// job_info (description, source name, cache type) and performance_metrics (records, times,
/// rates, MB; per stream too), rates rounded to 4 decimals.
std::string ReadStatsJson(const Snapshot& snapshot, const std::string& source_name,
                          const std::string& cache_type);
/// Appends `json_line` to <root>/airbyte-stats.log (JSON lines). Never throws.
void AppendStats(const std::string& json_line);

}  // namespace airbyte::progress
