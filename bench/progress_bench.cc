// What the progress display costs: the reader's per-record counter update (on the hot path
// whether or not a display runs) and one live frame of the renderer thread (10 per second).
// Frame CPU time x 10 frames/s = the share of one core the live display takes (measured:
// ~5 us per frame, i.e. ~0.005% of a core); the counter adds ~0.25 ns per record.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "progress/format.h"
#include "progress/read_progress.h"

namespace airbyte::bench {
namespace {

void BM_CounterAddRecord(benchmark::State& state) {
  progress::ReadProgress progress("job", {"users"});
  progress::StreamCounters& counters = progress.stream(0);
  for (auto _ : state) {
    counters.AddRecord();
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CounterAddRecord);

// The same loop with a plain integer: the baseline the counter adds to.
void BM_PlainIncrement(benchmark::State& state) {
  std::int64_t records = 0;
  for (auto _ : state) {
    ++records;
    benchmark::DoNotOptimize(records);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PlainIncrement);

// One frame: snapshot, lines for a 100x30 terminal, the escape sequences, one write().
void BM_LiveFrame(benchmark::State& state) {
  progress::ReadProgress progress("source-faker -> DuckDBCache", {"users", "products", "purchases"});
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  std::int64_t n = 0;
  for (auto _ : state) {
    n += 16'384;
    progress.stream(0).SetRecords(n);
    progress.stream(2).SetRecords(n / 2);
    const progress::Snapshot snapshot = progress.Take();
    std::string frame = "\r\x1b[4A";
    for (const std::string& line : progress::LiveLines(snapshot, 99, 29)) {
      frame += line + "\x1b[K\n";
    }
    frame += "\x1b[J";
    benchmark::DoNotOptimize(::write(null_fd, frame.data(), frame.size()));
  }
  ::close(null_fd);
}
BENCHMARK(BM_LiveFrame);

}  // namespace
}  // namespace airbyte::bench
