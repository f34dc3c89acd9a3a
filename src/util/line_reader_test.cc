#include "util/line_reader.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "airbyte/error.h"
#include "testutil/testutil.h"
#include "util/fd.h"

namespace airbyte::util {
namespace {

using ::airbyte::testutil::ThrowsError;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

using Clock = std::chrono::steady_clock;
using Status = LineReader::Status;

constexpr std::size_t kSmallBlock = 4096;

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    ASSERT_GT(n, 0) << std::strerror(errno);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Writes `data` into a pipe from another thread, `chunk` bytes per write(2), then closes the
// write end (EOF for the reader). The pipe's 64 KiB buffer makes the writer block until the
// reader catches up, like a connector would.
class PipeFeeder {
 public:
  explicit PipeFeeder(std::string data, std::size_t chunk = 1000) : pipe_(Pipe::Create()) {
    thread_ = std::jthread([this, data = std::move(data), chunk] {
      // A test that stops reading early closes the read end: get EPIPE, not a process-wide
      // SIGPIPE (blocked here, a thread-directed SIGPIPE is dropped when the thread ends).
      sigset_t block;
      sigemptyset(&block);
      sigaddset(&block, SIGPIPE);
      ::pthread_sigmask(SIG_BLOCK, &block, nullptr);
      std::string_view rest(data);
      while (!rest.empty()) {
        const ssize_t n = ::write(pipe_.write.get(), rest.data(), std::min(chunk, rest.size()));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        rest.remove_prefix(static_cast<std::size_t>(n));
      }
      pipe_.write.reset();
    });
  }
  ~PipeFeeder() {
    pipe_.read.reset();  // unblocks a writer whose reader gave up
    thread_.join();
  }
  PipeFeeder(const PipeFeeder&) = delete;
  PipeFeeder& operator=(const PipeFeeder&) = delete;

  int read_fd() const { return pipe_.read.get(); }

 private:
  Pipe pipe_;
  std::jthread thread_;
};

// Every line until EOF (copied: a line is valid only until the next call).
std::vector<std::string> ReadLines(LineReader& reader) {
  std::vector<std::string> lines;
  std::string_view line;
  Status status;
  while ((status = reader.Next(line)) == Status::kLine) lines.emplace_back(line);
  EXPECT_EQ(status, Status::kEof);
  return lines;
}

std::vector<std::string> LinesOf(std::string data, std::size_t chunk = 1000) {
  PipeFeeder feeder(std::move(data), chunk);
  LineReader reader(feeder.read_fd(), kSmallBlock);
  return ReadLines(reader);
}

TEST(LineReaderTest, SplitsManyLinesAcrossBlockBoundaries) {
  std::vector<std::string> expected;
  std::string data;
  for (int i = 0; i < 20'000; ++i) {
    // Lengths 0..1300 in a scattered order, so lines start and end anywhere in a block.
    const std::size_t length = static_cast<std::size_t>(i * 7919) % 1301;
    std::string line =
        std::to_string(i) + ":" + std::string(length, static_cast<char>('a' + i % 26));
    data += line + "\n";
    expected.push_back(std::move(line));
  }
  PipeFeeder feeder(data, /*chunk=*/997);
  LineReader reader(feeder.read_fd(), kSmallBlock);
  EXPECT_EQ(ReadLines(reader), expected);
  EXPECT_EQ(reader.bytes_read(), data.size());
}

TEST(LineReaderTest, ByteByByteWriterStillYieldsWholeLines) {
  EXPECT_THAT(LinesOf("first line\nsecond\n\nthird", /*chunk=*/1),
              ElementsAre("first line", "second", "", "third"));
}

TEST(LineReaderTest, StripsOneCarriageReturnBeforeNewline) {
  EXPECT_THAT(LinesOf("crlf\r\nplain\n\r\nmid\rdle\r\ntwo\r\r\n"),
              ElementsAre("crlf", "plain", "", "mid\rdle", "two\r"));
}

TEST(LineReaderTest, ReturnsLastLineWithoutNewlineAtEof) {
  PipeFeeder feeder("one\ntwo");
  LineReader reader(feeder.read_fd(), kSmallBlock);
  std::string_view line;
  ASSERT_EQ(reader.Next(line), Status::kLine);
  EXPECT_EQ(line, "one");
  ASSERT_EQ(reader.Next(line), Status::kLine);
  EXPECT_EQ(line, "two");
  EXPECT_EQ(reader.Next(line), Status::kEof);
  EXPECT_EQ(reader.Next(line), Status::kEof);  // stays at EOF
}

TEST(LineReaderTest, LastLineWithoutNewlineLosesTrailingCarriageReturn) {
  EXPECT_THAT(LinesOf("a\r\nb\r"), ElementsAre("a", "b"));
}

TEST(LineReaderTest, KeepsEmptyLines) {
  EXPECT_THAT(LinesOf("\n\nx\n\n"), ElementsAre("", "", "x", ""));
}

TEST(LineReaderTest, EmptyInputIsImmediateEof) { EXPECT_THAT(LinesOf(""), ElementsAre()); }

TEST(LineReaderTest, LineExactlyFillingTheBlockIsReturnedWhole) {
  const std::string block_line(kSmallBlock, 'x');
  const std::string longer(kSmallBlock + 1, 'y');
  EXPECT_THAT(LinesOf(block_line + "\n" + longer + "\n" + block_line),
              ElementsAre(block_line, longer, block_line));
}

TEST(LineReaderTest, HugeLineGrowsTheBufferThenItShrinksBack) {
  constexpr std::size_t kHuge = 70u << 20;  // 70 MiB: a record with an embedded file, say
  std::string data = "before\n";
  data.append(kHuge, 'h');
  data += "\n";
  std::vector<std::string> after;
  for (int i = 0; i < 5000; ++i) {
    after.push_back("after " + std::to_string(i));
    data += after.back() + "\n";
  }
  PipeFeeder feeder(std::move(data), /*chunk=*/1 << 20);
  LineReader reader(feeder.read_fd(), kSmallBlock);
  EXPECT_EQ(reader.capacity(), kSmallBlock);

  std::string_view line;
  ASSERT_EQ(reader.Next(line), Status::kLine);
  EXPECT_EQ(line, "before");
  ASSERT_EQ(reader.Next(line), Status::kLine);
  ASSERT_EQ(line.size(), kHuge);
  EXPECT_EQ(line.find_first_not_of('h'), std::string_view::npos);
  EXPECT_GE(reader.capacity(), kHuge);

  std::vector<std::string> rest = ReadLines(reader);
  EXPECT_EQ(rest, after);
  EXPECT_EQ(reader.capacity(), kSmallBlock) << "memory of the huge line was not given back";
}

TEST(LineReaderTest, TimeoutOnSilentWriterKeepsPartialLine) {
  Pipe pipe = Pipe::Create();
  LineReader reader(pipe.read.get(), kSmallBlock);
  WriteAll(pipe.write.get(), "ready\npar");
  std::string_view line;
  ASSERT_EQ(reader.Next(line, 1000ms), Status::kLine);
  EXPECT_EQ(line, "ready");

  const auto start = Clock::now();
  EXPECT_EQ(reader.Next(line, 50ms), Status::kTimeout);
  EXPECT_GE(Clock::now() - start, 40ms);  // it waited rather than giving up at once

  WriteAll(pipe.write.get(), "tial\n");
  ASSERT_EQ(reader.Next(line, 1000ms), Status::kLine);
  EXPECT_EQ(line, "partial");
  pipe.write.reset();
  EXPECT_EQ(reader.Next(line, 1000ms), Status::kEof);
}

TEST(LineReaderTest, BufferedLinesAreReturnedEvenWithZeroTimeout) {
  Pipe pipe = Pipe::Create();
  WriteAll(pipe.write.get(), "a\nb\n");
  LineReader reader(pipe.read.get(), kSmallBlock);
  std::string_view line;
  ASSERT_EQ(reader.Next(line, 0ms), Status::kLine);
  EXPECT_EQ(line, "a");
  ASSERT_EQ(reader.Next(line, 0ms), Status::kLine);
  EXPECT_EQ(line, "b");
  EXPECT_EQ(reader.Next(line, 0ms), Status::kTimeout);
}

TEST(LineReaderTest, WithoutTimeoutWaitsForSlowWriter) {
  Pipe pipe = Pipe::Create();
  std::jthread writer([&] {
    std::this_thread::sleep_for(100ms);
    WriteAll(pipe.write.get(), "late\n");
    pipe.write.reset();
  });
  LineReader reader(pipe.read.get(), kSmallBlock);
  std::string_view line;
  ASSERT_EQ(reader.Next(line), Status::kLine);
  EXPECT_EQ(line, "late");
  EXPECT_EQ(reader.Next(line), Status::kEof);
}

// Reads the kPadding bytes after each line. A missing pad is an out-of-bounds heap read,
// which the asan preset reports (a plain build cannot see it).
TEST(LineReaderTest, PaddingAfterEveryLineIsReadable) {
  // Lines of every length around the block size, then a two-block last line without '\n'
  // (returned at EOF, so its pad lies past all data read).
  std::string data;
  for (std::size_t length = kSmallBlock - 70; length <= kSmallBlock + 2; ++length) {
    data += std::string(length, 'p') + "\n";
  }
  data += std::string(2 * kSmallBlock, 'z');
  PipeFeeder feeder(data, /*chunk=*/kSmallBlock);
  LineReader reader(feeder.read_fd(), kSmallBlock);
  std::string_view line;
  std::size_t lines = 0;
  while (reader.Next(line) == Status::kLine) {
    ++lines;
    // The copy reads the whole pad; ASan flags it if the pad is not part of the allocation.
    const std::string pad(line.data() + line.size(), LineReader::kPadding);
    EXPECT_EQ(pad.size(), LineReader::kPadding);
  }
  EXPECT_EQ(lines, 74u);
}

TEST(LineReaderTest, BlockSizeBelow4KiBIsRaisedTo4KiB) {
  Pipe pipe = Pipe::Create();
  LineReader reader(pipe.read.get(), /*block_size=*/16);
  EXPECT_EQ(reader.capacity(), 4096u);
}

TEST(LineReaderTest, ReadErrorThrowsIoError) {
  Pipe pipe = Pipe::Create();
  LineReader reader(pipe.write.get(), kSmallBlock);  // the write end cannot be read: EBADF
  std::string_view line;
  EXPECT_THAT([&] { reader.Next(line); },
              ThrowsError(ErrorKind::kIo, HasSubstr("Bad file descriptor")));
}

}  // namespace
}  // namespace airbyte::util
