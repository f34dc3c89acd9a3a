#pragma once
/// Renders a ReadProgress on a terminal or a pipe, from its own thread.
///
///   progress::ProgressDisplay display(progress, {.style = ProgressStyle::kAuto});
///   ... the read runs, bumping progress's counters ...
///   display.Finish(/*success=*/true);   // live block replaced by the summary table

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "airbyte/progress.h"
#include "progress/read_progress.h"

namespace airbyte::progress {

struct DisplayOptions {
  ProgressStyle style = ProgressStyle::kAuto;
  /// Where output goes (stderr by default).
  int fd = 2;
  /// Live redraw period.
  std::chrono::milliseconds refresh{100};
  /// Plain heartbeat period; AIRBYTE_PROGRESS_HEARTBEAT_MS overrides it.
  std::chrono::milliseconds heartbeat{5000};
};

/// kAuto resolved as include/airbyte/progress.h describes, for output to `fd`.
ProgressStyle ResolveStyle(ProgressStyle requested, int fd);
/// Colors are on unless NO_COLOR is set (any value) or TERM is "dumb".
bool ColorEnabled();

/// Owns the rendering thread (none for kNone). The read pipeline only bumps atomics; this
/// thread reads them ~10 times a second. Finish() (or destruction) stops the thread and
/// leaves the terminal clean: the live block is erased, then the summary printed (Finish
/// only). Not thread-safe itself: construct, Finish and destroy on one thread.
class ProgressDisplay {
 public:
  ProgressDisplay(ReadProgress& progress, DisplayOptions options);
  ~ProgressDisplay();
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  ProgressStyle style() const { return style_; }
  /// Stops rendering and prints the summary (records, time and rate per stream, totals) and
  /// the Completed/Failed line. Idempotent.
  void Finish(bool success);

 private:
  void Loop(std::stop_token stop);
  void DrawLive(const Snapshot& snapshot);
  void EraseLive();
  void Emit(const std::string& text);

  ReadProgress& progress_;
  const DisplayOptions options_;
  const ProgressStyle style_;
  const bool color_;
  std::size_t drawn_lines_ = 0;  // lines of the live block on screen (render thread, then Finish)
  bool finished_ = false;
  std::mutex mu_;
  std::condition_variable_any wake_;
  std::jthread thread_;  // last: stopped and joined before the members above go away
};

}  // namespace airbyte::progress
