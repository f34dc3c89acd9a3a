#pragma once
/// Text of the progress display: numbers, times, the live block, heartbeat and summary.
/// Pure functions of a Snapshot, so tests can pin exact output.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "progress/read_progress.h"

namespace airbyte::progress {

/// 1234567 -> "1,234,567".
std::string FormatCount(std::int64_t value);
/// PyAirbyte's `:,.1f`: 1234.56 -> "1,234.6".
std::string FormatRate(double value);
/// Elapsed time as PyAirbyte writes it (behavior doc 9.3): "0.40 seconds", "3.2 seconds",
/// "30 seconds", "1min 30s", "10min", "1hr 0min".
std::string FormatElapsed(double seconds);
/// Current local time as HH:MM:SS.
std::string LocalClock();
/// Columns `text` takes on a terminal (UTF-8 code points; escape sequences are not expected).
std::size_t DisplayWidth(std::string_view text);
/// `text` cut to at most `width` columns, never inside a UTF-8 sequence; a cut line ends
/// with "…" when there is room.
std::string TruncateToWidth(std::string_view text, std::size_t width);

/// The live block: a header line, one line per stream (at most `max_lines` lines in all, the
/// rest summarized) and a totals line, each at most `width` columns, no escape codes.
std::vector<std::string> LiveLines(const Snapshot& snapshot, std::size_t width,
                                   std::size_t max_lines);
/// One heartbeat line for logs and pipes (no newline).
std::string HeartbeatLine(const Snapshot& snapshot);
/// The end-of-read summary: totals sentence, per-stream table, and the "Completed ..." or
/// "Failed ..." line; newline-terminated lines.
std::string SummaryText(const Snapshot& snapshot, bool success);

}  // namespace airbyte::progress
