#include "util/line_reader.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "airbyte/error.h"

namespace airbyte::util {

LineReader::LineReader(int fd, std::size_t block_size)
    : fd_(fd), block_size_(block_size < 4096 ? 4096 : block_size) {
  Reallocate(block_size_);
}

void LineReader::Reallocate(std::size_t capacity) {
  // Zeroed so the padding never holds uninitialized bytes (quiet under valgrind/MSan).
  std::unique_ptr<char[]> fresh(new char[capacity + kPadding]());
  const std::size_t live = end_ - begin_;
  if (live > 0) std::memcpy(fresh.get(), buffer_.get() + begin_, live);
  scan_ -= begin_;
  begin_ = 0;
  end_ = live;
  buffer_ = std::move(fresh);
  capacity_ = capacity;
}

std::string_view LineReader::TakeLine(std::size_t end, std::size_t next_begin) {
  const char* start = buffer_.get() + begin_;
  std::size_t length = end - begin_;
  if (length > 0 && start[length - 1] == '\r') --length;
  begin_ = next_begin;
  scan_ = next_begin;
  return {start, length};
}

LineReader::Status LineReader::Next(std::string_view& line,
                                    std::optional<std::chrono::milliseconds> timeout) {
  while (true) {
    if (scan_ < end_) {
      const void* nl = std::memchr(buffer_.get() + scan_, '\n', end_ - scan_);
      if (nl != nullptr) {
        const std::size_t pos = static_cast<const char*>(nl) - buffer_.get();
        line = TakeLine(pos, pos + 1);
        return Status::kLine;
      }
      scan_ = end_;
    }
    if (eof_) {
      if (begin_ < end_) {
        line = TakeLine(end_, end_);
        return Status::kLine;
      }
      return Status::kEof;
    }

    // Make room: drop consumed bytes, give back memory a huge line needed, or grow.
    const std::size_t live = end_ - begin_;
    if (capacity_ > 4 * block_size_ && live < block_size_) {
      Reallocate(block_size_);
    } else if (live == capacity_) {
      Reallocate(capacity_ * 2);
    } else if (begin_ > 0 && (end_ == capacity_ || live < 4096)) {
      std::memmove(buffer_.get(), buffer_.get() + begin_, live);
      scan_ -= begin_;
      end_ = live;
      begin_ = 0;
    }

    if (timeout) {
      pollfd pfd{fd_, POLLIN, 0};
      int rc;
      do {
        rc = ::poll(&pfd, 1, static_cast<int>(timeout->count()));
      } while (rc < 0 && errno == EINTR);
      if (rc == 0) return Status::kTimeout;
    }
    ssize_t n;
    do {
      n = ::read(fd_, buffer_.get() + end_, capacity_ - end_);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      throw Error(ErrorKind::kIo, std::string("Reading from the connector failed: ") +
                                      std::strerror(errno) + ".");
    }
    if (n == 0) {
      eof_ = true;
    } else {
      end_ += static_cast<std::size_t>(n);
      bytes_read_ += static_cast<std::uint64_t>(n);
    }
  }
}

}  // namespace airbyte::util
