// Reading a connector's stdout: `cat <file>` through a pipe, split into lines by LineReader.
// Wall-clock time, since the child's work is part of the cost.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <string_view>

#include "bench_data.h"
#include "util/child_process.h"
#include "util/line_reader.h"
#include "util/temp_dir.h"

namespace airbyte::bench {
namespace {

enum class Shape { kShort, kUsers };

struct InputFile {
  util::ScopedTempDir dir{"airbyte-bench-"};
  std::filesystem::path path;
  std::size_t lines = 0;
  std::size_t bytes = 0;
};

// ~100-byte RECORD lines (100 to 106 bytes), varied so nothing is suspiciously regular.
std::string ShortLine(std::int64_t id) {
  static constexpr std::string_view kSuffix = R"("},"emitted_at":1735689600000}})";
  std::string line =
      R"({"type":"RECORD","record":{"stream":"s","data":{"id":)" + std::to_string(id) + R"(,"v":")";
  const std::size_t length = 100 + static_cast<std::size_t>(id % 7);
  line.append(length - line.size() - kSuffix.size(), static_cast<char>('a' + id % 26));
  line += kSuffix;
  return line;
}

InputFile MakeFile(Shape shape, std::size_t lines) {
  InputFile file;
  std::string content;
  std::mt19937_64 rng(1);
  for (std::size_t i = 0; i < lines; ++i) {
    const auto id = static_cast<std::int64_t>(i + 1);
    content += shape == Shape::kShort ? ShortLine(id) : UsersRecordLine(id, rng);
    content += '\n';
  }
  file.path = file.dir.WriteFile("lines.jsonl", content);
  file.lines = lines;
  file.bytes = content.size();
  return file;
}

const InputFile& File(Shape shape) {
  static const InputFile short_lines = MakeFile(Shape::kShort, 2'000'000);
  static const InputFile users_lines = MakeFile(Shape::kUsers, 500'000);
  return shape == Shape::kShort ? short_lines : users_lines;
}

void BM_ReadLinesFromChild(benchmark::State& state, Shape shape) {
  const InputFile& file = File(shape);
  for (auto _ : state) {
    util::ChildProcess child = util::ChildProcess::Spawn({.argv = {"cat", file.path.string()}});
    util::LineReader reader(child.stdout_fd());
    std::string_view line;
    std::size_t count = 0;
    while (reader.Next(line) == util::LineReader::Status::kLine) {
      benchmark::DoNotOptimize(line.data());
      ++count;
    }
    if (!child.Wait().ok() || count != file.lines) {
      state.SkipWithError("cat failed or the line count is wrong");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * file.lines));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file.bytes));
  state.counters["line_bytes"] = static_cast<double>(file.bytes) / file.lines;
}
BENCHMARK_CAPTURE(BM_ReadLinesFromChild, short_lines, Shape::kShort)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_ReadLinesFromChild, users_lines, Shape::kUsers)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace airbyte::bench
