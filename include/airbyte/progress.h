#pragma once
/// Progress display of Source::Read() (behavior doc 9.1).
///
///   source.Read(cache, {.progress = airbyte::ProgressStyle::kAuto});
///
/// kLive redraws a small status block on stderr about 10 times a second (records, records/s,
/// MB read, elapsed time and phase per stream) and replaces it with a summary table at the end.
/// kPlain prints a one-line heartbeat to stderr every few seconds and the same summary; it
/// never writes terminal escape codes. kAuto picks (PyAirbyte's order): kPlain when
/// NO_LIVE_PROGRESS or CI is set (any value) or TERM is "dumb", else kLive when stderr is a
/// terminal, else kPlain. NO_COLOR (any value) turns colors off. The counters are atomics the
/// read pipeline bumps; rendering runs on its own thread.

namespace airbyte {

enum class ProgressStyle {
  kAuto,   // choose as described above
  kLive,   // PyAirbyte's RICH: a live status block on a terminal
  kPlain,  // heartbeat lines and a summary, no escape codes
  kNone,   // nothing
};

}  // namespace airbyte
