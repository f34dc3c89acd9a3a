#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace airbyte::util {

/// The last N lines of a text stream (a connector's stderr and LOG messages), secrets masked.
///
/// Thread-safe: one thread appends while another reads Text(). Each line is masked on the way
/// in and cut to kMaxLineLength bytes, so memory stays bounded whatever the connector prints.
class LineRing {
 public:
  static constexpr std::size_t kMaxLineLength = 2000;

  explicit LineRing(std::size_t max_lines = 200) : max_lines_(max_lines) {}

  void Append(std::string_view line);
  /// Also hands every appended line (masked, untruncated) to `sink`, e.g. a log file. Call
  /// before lines arrive from other threads; `sink` must be thread-safe.
  void set_sink(std::function<void(std::string_view)> sink) { sink_ = std::move(sink); }
  /// The last `count` lines (all kept lines by default), oldest first, joined by '\n'.
  std::string Text(std::size_t count = static_cast<std::size_t>(-1)) const;
  std::vector<std::string> Lines() const;
  std::size_t total_lines() const;

 private:
  const std::size_t max_lines_;
  std::function<void(std::string_view)> sink_;
  mutable std::mutex mu_;
  std::deque<std::string> lines_;  // Guarded by mu_.
  std::size_t total_lines_ = 0;    // Guarded by mu_.
};

}  // namespace airbyte::util
