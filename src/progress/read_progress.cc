#include "progress/read_progress.h"

#include <algorithm>

namespace airbyte::progress {

std::string_view ToString(Phase phase) {
  switch (phase) {
    case Phase::kStarting:
      return "starting";
    case Phase::kReading:
      return "reading";
    case Phase::kLoading:
      return "loading";
    case Phase::kFinalizing:
      return "finalizing";
    case Phase::kDone:
      return "done";
    case Phase::kFailed:
      return "failed";
  }
  return "?";
}

double StreamSnapshot::rate() const {
  const double seconds = active_s();
  // One record, or all records within one observation: no meaningful rate yet.
  return seconds > 0 ? static_cast<double>(records) / seconds : 0;
}

std::int64_t Snapshot::total_records() const {
  std::int64_t total = 0;
  for (const StreamSnapshot& stream : streams) total += stream.records;
  return total;
}

std::int64_t Snapshot::total_loaded() const {
  std::int64_t total = 0;
  for (const StreamSnapshot& stream : streams) total += stream.loaded;
  return total;
}

double Snapshot::rate() const {
  return elapsed_s > 0 ? static_cast<double>(total_records()) / elapsed_s : 0;
}

ReadProgress::ReadProgress(std::string job, std::vector<std::string> streams)
    : job_(std::move(job)),
      names_(std::move(streams)),
      started_(std::chrono::steady_clock::now()),
      counters_(names_.size()) {
  for (const std::string& name : names_) observed_.push_back({.name = name});
}

int ReadProgress::IndexOf(const std::string& name) const {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Snapshot ReadProgress::Take() {
  const double now =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  Snapshot snapshot{.job = job_, .phase = phase(), .elapsed_s = now,
                    .bytes_read = std::max(bytes_.load(std::memory_order_relaxed),
                                           batch_bytes_.load(std::memory_order_relaxed))};
  for (std::size_t i = 0; i < names_.size(); ++i) {
    StreamSnapshot& seen = observed_[i];
    const std::int64_t records = counters_[i].records();
    // Times are observed here, not stamped by the reader: the hot path stays one store.
    if (records != seen.records) {
      // The first record came after the previous observation: count from there, so a
      // stream that finishes between two observations still gets a rate.
      if (seen.first_record_s < 0) seen.first_record_s = last_take_s_;
      seen.last_record_s = now;
    }
    seen.records = records;
    seen.loaded = counters_[i].loaded();
    snapshot.streams.push_back(seen);
  }
  last_take_s_ = now;
  return snapshot;
}

}  // namespace airbyte::progress
