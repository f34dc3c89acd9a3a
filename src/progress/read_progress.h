#pragma once
/// Counters of one running read, shared by the read pipeline (writers) and a renderer.
///
///   progress::ReadProgress progress("source-faker -> DuckDBCache", {"users", "products"});
///   progress.set_phase(progress::Phase::kReading);
///   progress.stream(0).AddRecord();            // reader thread, per record: relaxed, no RMW
///   progress::Snapshot now = progress.Take();  // renderer thread, ~10 times a second

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace airbyte::progress {

enum class Phase : int { kStarting, kReading, kLoading, kFinalizing, kDone, kFailed };
std::string_view ToString(Phase phase);

/// One stream's counters. Each has a single writer thread, so writers store (no atomic
/// read-modify-write on the hot path); readers may run on any thread.
struct StreamCounters {
  /// One more record received from the connector (the reader thread only).
  void AddRecord() {
    records_.store(records_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  /// Sets the count (tests, replays).
  void SetRecords(std::int64_t records) { records_.store(records, std::memory_order_relaxed); }
  /// Records handed to the cache (the writer thread).
  void AddLoaded(std::int64_t rows) {
    loaded_.store(loaded_.load(std::memory_order_relaxed) + rows, std::memory_order_relaxed);
  }
  std::int64_t records() const { return records_.load(std::memory_order_relaxed); }
  std::int64_t loaded() const { return loaded_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> records_{0};
  std::atomic<std::int64_t> loaded_{0};
};

/// What a renderer shows: a consistent-enough copy of the counters plus the times the
/// renderer observed (first record, last change) for rates.
struct StreamSnapshot {
  std::string name = {};
  std::int64_t records = 0;
  std::int64_t loaded = 0;
  /// Seconds from the start of the read to the first record seen (negative: none yet) and
  /// to the last change of the record count.
  double first_record_s = -1;
  double last_record_s = -1;
  /// Records per second between those times (0 until two observations differ).
  double rate() const;
  double active_s() const { return first_record_s < 0 ? 0 : last_record_s - first_record_s; }
};

struct Snapshot {
  std::string job = {};  // "source-faker -> DuckDBCache"
  Phase phase = Phase::kStarting;
  double elapsed_s = 0;
  std::uint64_t bytes_read = 0;  // 0: not tracked (native connectors)
  std::vector<StreamSnapshot> streams = {};
  std::int64_t total_records() const;
  std::int64_t total_loaded() const;
  /// Records per second over the elapsed time.
  double rate() const;
};

/// The counters of one read. Thread-safe as described per member; Take() is called by one
/// observer thread at a time (it records observation times).
class ReadProgress {
 public:
  ReadProgress(std::string job, std::vector<std::string> streams);

  /// The counters of stream `index` (order of the constructor's list).
  StreamCounters& stream(std::size_t index) { return counters_[index]; }
  /// Index of `name`, or -1 when the read does not know it.
  int IndexOf(const std::string& name) const;
  const std::vector<std::string>& stream_names() const { return names_; }
  const std::string& job() const { return job_; }

  void set_phase(Phase phase) { phase_.store(static_cast<int>(phase), std::memory_order_relaxed); }
  Phase phase() const { return static_cast<Phase>(phase_.load(std::memory_order_relaxed)); }
  /// Bytes of connector output so far (the reader thread, now and then).
  void set_bytes_read(std::uint64_t bytes) { bytes_.store(bytes, std::memory_order_relaxed); }
  /// Record bytes converted into batches (the writer thread): the MB figure when the
  /// connector's output is not counted (native connectors).
  void AddBatchBytes(std::uint64_t bytes) {
    batch_bytes_.store(batch_bytes_.load(std::memory_order_relaxed) + bytes,
                       std::memory_order_relaxed);
  }

  /// Copies the counters and updates the observed times. One observer thread at a time.
  Snapshot Take();
  std::chrono::steady_clock::time_point started() const { return started_; }

 private:
  const std::string job_;
  const std::vector<std::string> names_;
  const std::chrono::steady_clock::time_point started_;
  std::deque<StreamCounters> counters_;  // deque: atomics never move
  std::atomic<int> phase_{static_cast<int>(Phase::kStarting)};
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> batch_bytes_{0};
  // Observer state (Take()).
  std::vector<StreamSnapshot> observed_;
  double last_take_s_ = 0;
};

}  // namespace airbyte::progress
