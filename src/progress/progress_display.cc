#include "progress/progress_display.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "progress/format.h"

namespace airbyte::progress {
namespace {

bool EnvSet(const char* name) { return std::getenv(name) != nullptr; }

bool DumbTerminal() {
  const char* term = std::getenv("TERM");
  return term != nullptr && std::strcmp(term, "dumb") == 0;
}

struct TerminalSize {
  std::size_t columns = 80;
  std::size_t rows = 24;
};

TerminalSize SizeOf(int fd) {
  TerminalSize size;
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    size.columns = ws.ws_col;
    if (ws.ws_row > 0) size.rows = ws.ws_row;
  }
  return size;
}

std::chrono::milliseconds HeartbeatPeriod(std::chrono::milliseconds fallback) {
  if (const char* text = std::getenv("AIRBYTE_PROGRESS_HEARTBEAT_MS")) {
    const long ms = std::strtol(text, nullptr, 10);
    if (ms > 0) return std::chrono::milliseconds(ms);
  }
  return fallback;
}

}  // namespace

ProgressStyle ResolveStyle(ProgressStyle requested, int fd) {
  if (requested != ProgressStyle::kAuto) return requested;
  // PyAirbyte's order (behavior doc 9.1), minus the notebook and REPL cases.
  if (EnvSet("NO_LIVE_PROGRESS") || EnvSet("CI") || DumbTerminal()) return ProgressStyle::kPlain;
  return isatty(fd) == 1 ? ProgressStyle::kLive : ProgressStyle::kPlain;
}

bool ColorEnabled() { return !EnvSet("NO_COLOR") && !DumbTerminal(); }

ProgressDisplay::ProgressDisplay(ReadProgress& progress, DisplayOptions options)
    : progress_(progress),
      options_{.style = options.style,
               .fd = options.fd,
               .refresh = options.refresh,
               .heartbeat = HeartbeatPeriod(options.heartbeat)},
      style_(ResolveStyle(options.style, options.fd)),
      color_(style_ == ProgressStyle::kLive && ColorEnabled()) {
  if (style_ == ProgressStyle::kNone) return;
  thread_ = std::jthread([this](std::stop_token stop) { Loop(stop); });
}

ProgressDisplay::~ProgressDisplay() {
  if (thread_.joinable()) {
    thread_.request_stop();
    wake_.notify_all();
    thread_.join();
  }
  if (style_ == ProgressStyle::kLive) EraseLive();
}

void ProgressDisplay::Loop(std::stop_token stop) {
  // No exception may leave a thread; rendering failures only cost the display.
  try {
    auto last_heartbeat = std::chrono::steady_clock::now();
    std::unique_lock lock(mu_);
    while (!stop.stop_requested()) {
      // Plain output is rare, but observing every refresh keeps per-stream times accurate.
      wake_.wait_for(lock, stop, options_.refresh, [] { return false; });
      if (stop.stop_requested()) break;
      const Snapshot snapshot = progress_.Take();
      if (style_ == ProgressStyle::kLive) {
        DrawLive(snapshot);
      } else if (std::chrono::steady_clock::now() - last_heartbeat >= options_.heartbeat) {
        last_heartbeat = std::chrono::steady_clock::now();
        Emit(HeartbeatLine(snapshot) + "\n");
      }
    }
  } catch (...) {
  }
}

void ProgressDisplay::DrawLive(const Snapshot& snapshot) {
  const TerminalSize size = SizeOf(options_.fd);
  // One column short of the edge: a full-width line would wrap (or leave the cursor in the
  // pending-wrap state) and break the cursor-up arithmetic of the next frame.
  const std::size_t width = size.columns > 1 ? size.columns - 1 : 1;
  const std::size_t max_lines = size.rows > 2 ? std::min<std::size_t>(size.rows - 1, 40) : 1;
  const std::vector<std::string> lines = LiveLines(snapshot, width, max_lines);
  // The whole frame in one write, each line overwritten in place and its tail erased (ESC[K),
  // never blanked first: no flicker.
  std::string frame = "\r";
  if (drawn_lines_ > 1) frame += "\x1b[" + std::to_string(drawn_lines_ - 1) + "A";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) frame += "\n";
    if (color_ && i == 0) {
      frame += "\x1b[1m" + lines[i] + "\x1b[0m";
    } else {
      frame += lines[i];
    }
    frame += "\x1b[K";
  }
  frame += "\x1b[J";  // a shorter frame than the last: clear what is left below
  Emit(frame);
  drawn_lines_ = lines.size();
}

void ProgressDisplay::EraseLive() {
  if (drawn_lines_ == 0) return;
  std::string erase = "\r";
  if (drawn_lines_ > 1) erase += "\x1b[" + std::to_string(drawn_lines_ - 1) + "A";
  Emit(erase + "\x1b[J");
  drawn_lines_ = 0;
}

void ProgressDisplay::Finish(bool success) {
  if (finished_) return;
  finished_ = true;
  if (thread_.joinable()) {
    thread_.request_stop();
    wake_.notify_all();
    thread_.join();
  }
  if (style_ == ProgressStyle::kNone) return;
  progress_.set_phase(success ? Phase::kDone : Phase::kFailed);
  const Snapshot snapshot = progress_.Take();
  if (style_ == ProgressStyle::kLive) EraseLive();
  Emit(SummaryText(snapshot, success));
}

void ProgressDisplay::Emit(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(options_.fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a closed stderr only loses the display
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace airbyte::progress
