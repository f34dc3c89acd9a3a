#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace airbyte::util {

/// Splits the bytes of a file descriptor into lines, reading in large blocks.
///
/// Lines end at '\n'; a trailing '\r' is dropped (CRLF). A last line without '\n' is returned at
/// EOF. A line of any length is supported: the buffer grows to hold it and shrinks back after.
/// Each returned line is followed in memory by at least kPadding readable bytes, so a parser
/// that over-reads (simdjson) can parse it in place. Not thread-safe; does not own the fd.
class LineReader {
 public:
  /// Readable bytes guaranteed after the end of every returned line (simdjson needs 64).
  static constexpr std::size_t kPadding = 64;
  static constexpr std::size_t kDefaultBlockSize = 1 << 20;

  enum class Status { kLine, kEof, kTimeout };

  explicit LineReader(int fd, std::size_t block_size = kDefaultBlockSize);

  /// Reads the next line into `line` (valid until the next call). Waits at most `timeout` for
  /// new data when it has to read (nullopt: forever). Throws Error(kIo) on read errors.
  Status Next(std::string_view& line,
              std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  /// Bytes read from the fd so far.
  std::uint64_t bytes_read() const { return bytes_read_; }
  /// Current buffer capacity (for tests of the shrink-after-huge-line behaviour).
  std::size_t capacity() const { return capacity_; }

 private:
  void Reallocate(std::size_t capacity);
  std::string_view TakeLine(std::size_t end, std::size_t next_begin);

  int fd_;
  std::size_t block_size_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;  // usable bytes; the allocation has kPadding more
  std::size_t begin_ = 0;     // start of unconsumed data
  std::size_t end_ = 0;       // end of data read
  std::size_t scan_ = 0;      // where the search for '\n' resumes
  bool eof_ = false;
  std::uint64_t bytes_read_ = 0;
};

}  // namespace airbyte::util
