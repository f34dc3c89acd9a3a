#include "progress/format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace airbyte::progress {
namespace {

std::string PadLeft(const std::string& text, std::size_t width) {
  const std::size_t shown = DisplayWidth(text);
  return shown >= width ? text : std::string(width - shown, ' ') + text;
}

std::string PadRight(const std::string& text, std::size_t width) {
  const std::size_t shown = DisplayWidth(text);
  return shown >= width ? text : text + std::string(width - shown, ' ');
}

// " (12,345.6 records/s, 1.23 MB)" with the MB part only when bytes were tracked.
std::string RateSuffix(const Snapshot& snapshot) {
  std::string text = " (" + FormatRate(snapshot.rate()) + " records/s";
  if (snapshot.bytes_read > 0) {
    char mb[32];
    std::snprintf(mb, sizeof(mb), "%.2f", static_cast<double>(snapshot.bytes_read) / 1e6);
    text += ", " + std::string(mb) + " MB";
  }
  return text + ")";
}

std::size_t NameWidth(const Snapshot& snapshot) {
  std::size_t width = 6;  // "Stream", "Total"
  for (const StreamSnapshot& stream : snapshot.streams) {
    width = std::max(width, std::min<std::size_t>(DisplayWidth(stream.name), 30));
  }
  return width;
}

}  // namespace

std::string FormatCount(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string FormatRate(double value) {
  const double rounded = std::round(value * 10) / 10;
  const auto whole = static_cast<std::int64_t>(rounded);
  const int tenth = static_cast<int>(std::llround((rounded - static_cast<double>(whole)) * 10));
  return FormatCount(whole) + "." + std::to_string(std::abs(tenth));
}

std::string FormatElapsed(double seconds) {
  char text[64];
  if (seconds <= 2) {
    std::snprintf(text, sizeof(text), "%.2f seconds", seconds);
  } else if (seconds < 10) {
    std::snprintf(text, sizeof(text), "%.1f seconds", seconds);
  } else if (seconds <= 60) {
    std::snprintf(text, sizeof(text), "%.0f seconds", seconds);
  } else if (seconds < 600) {
    const auto whole = static_cast<long>(seconds);
    std::snprintf(text, sizeof(text), "%ldmin %lds", whole / 60, whole % 60);
  } else if (seconds < 3600) {
    std::snprintf(text, sizeof(text), "%ldmin", static_cast<long>(seconds) / 60);
  } else {
    const auto whole = static_cast<long>(seconds);
    std::snprintf(text, sizeof(text), "%ldhr %ldmin", whole / 3600, whole % 3600 / 60);
  }
  return text;
}

std::string LocalClock() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[16];
  std::strftime(text, sizeof(text), "%H:%M:%S", &local);
  return text;
}

std::size_t DisplayWidth(std::string_view text) {
  std::size_t width = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;  // not a continuation byte
  }
  return width;
}

std::string TruncateToWidth(std::string_view text, std::size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width == 0) return {};
  const std::size_t keep = width - 1;  // room for the ellipsis
  std::size_t columns = 0;
  std::size_t end = 0;
  while (end < text.size()) {
    std::size_t next = end + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    if (columns + 1 > keep) break;
    ++columns;
    end = next;
  }
  return std::string(text.substr(0, end)) + "\u2026";
}

std::vector<std::string> LiveLines(const Snapshot& snapshot, std::size_t width,
                                   std::size_t max_lines) {
  std::vector<std::string> lines;
  std::string header = snapshot.job + " | " + std::string(ToString(snapshot.phase)) + " | " +
                       FormatElapsed(snapshot.elapsed_s);
  if (snapshot.bytes_read > 0) {
    char mb[32];
    std::snprintf(mb, sizeof(mb), "%.2f MB read", static_cast<double>(snapshot.bytes_read) / 1e6);
    header += " | " + std::string(mb);
  }
  lines.push_back(header);
  const std::size_t name_width = NameWidth(snapshot);
  const auto row = [&](const std::string& name, std::int64_t records, double rate) {
    return "  " + PadRight(TruncateToWidth(name, name_width), name_width) + " " +
           PadLeft(FormatCount(records), 13) + " records " + PadLeft(FormatRate(rate), 13) +
           " records/s";
  };
  // Header and totals always show; streams fill what is left.
  const std::size_t room = max_lines > 2 ? max_lines - 2 : 0;
  const std::size_t count = snapshot.streams.size();
  const std::size_t shown = count <= room ? count : (room > 0 ? room - 1 : 0);
  for (std::size_t i = 0; i < shown; ++i) {
    const StreamSnapshot& stream = snapshot.streams[i];
    lines.push_back(row(stream.name, stream.records, stream.rate()));
  }
  if (shown < count && room > 0) {
    lines.push_back("  ... and " + std::to_string(count - shown) + " more streams");
  }
  if (max_lines >= 2) lines.push_back(row("Total", snapshot.total_records(), snapshot.rate()));
  for (std::string& line : lines) line = TruncateToWidth(line, width);
  if (lines.size() > max_lines) lines.resize(max_lines);
  return lines;
}

std::string HeartbeatLine(const Snapshot& snapshot) {
  std::string line = snapshot.job + ": " + std::string(ToString(snapshot.phase)) + ", " +
                     FormatCount(snapshot.total_records()) + " records" + RateSuffix(snapshot) +
                     " after " + FormatElapsed(snapshot.elapsed_s);
  std::string streams;
  for (const StreamSnapshot& stream : snapshot.streams) {
    if (stream.records == 0) continue;
    streams += (streams.empty() ? "; " : ", ") + stream.name + " " + FormatCount(stream.records);
  }
  return line + streams;
}

std::string SummaryText(const Snapshot& snapshot, bool success) {
  std::string out = "Read " + FormatCount(snapshot.total_records()) + " records over " +
                    FormatElapsed(snapshot.elapsed_s) + RateSuffix(snapshot) + ".\n";
  const std::size_t name_width = NameWidth(snapshot);
  const auto row = [&](const std::string& name, const std::string& records,
                       const std::string& time, const std::string& rate) {
    std::string line = "  " + PadRight(TruncateToWidth(name, name_width), name_width) + "  " +
                       PadLeft(records, 13) + "  " + PadRight(time, 14) + "  " +
                       PadLeft(rate, 14);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line + "\n";
  };
  out += row("Stream", "Records", "Time", "Records/s");
  int started = 0;
  for (const StreamSnapshot& stream : snapshot.streams) {
    if (stream.records > 0) ++started;
    out += row(stream.name, FormatCount(stream.records), FormatElapsed(stream.active_s()),
               FormatRate(stream.rate()));
  }
  out += row("Total", FormatCount(snapshot.total_records()), FormatElapsed(snapshot.elapsed_s),
             FormatRate(snapshot.rate()));
  if (success) {
    std::string which = started == 1 ? "" : " (" + std::to_string(started) + " streams)";
    if (started == 1) {
      for (const StreamSnapshot& stream : snapshot.streams) {
        if (stream.records > 0) which = " (`" + stream.name + "` stream)";
      }
    }
    out += "Completed `" + snapshot.job + "` sync at `" + LocalClock() + "`" + which + ".\n";
  } else {
    out += "Failed `" + snapshot.job + "` sync at `" + LocalClock() + "`.\n";
  }
  return out;
}

}  // namespace airbyte::progress
