// Parsing and serializing RECORD lines: the per-record cost of every sync.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bench_data.h"
#include "protocol/message_parser.h"
#include "protocol/serializer.h"
#include "util/line_reader.h"

namespace airbyte::bench {
namespace {

constexpr int kLines = 4096;

// Lines laid out as a LineReader hands them over: back to back in one buffer, each followed
// by readable bytes (the next lines, then padding).
struct LineBuffer {
  std::string text;
  std::vector<std::string_view> lines;
  std::size_t bytes = 0;

  LineBuffer() {
    std::mt19937_64 rng(42);
    std::vector<std::size_t> offsets;
    for (int i = 0; i < kLines; ++i) {
      offsets.push_back(text.size());
      text += UsersRecordLine(i + 1, rng);
      text += '\n';
    }
    offsets.push_back(text.size());
    text.append(util::LineReader::kPadding, '\0');
    for (int i = 0; i < kLines; ++i) {
      lines.emplace_back(text.data() + offsets[i], offsets[i + 1] - offsets[i] - 1);
      bytes += lines.back().size();
    }
  }
};

const LineBuffer& Lines() {
  static const LineBuffer buffer;
  return buffer;
}

void ParseUsersRecords(benchmark::State& state, std::size_t readable_after) {
  const LineBuffer& input = Lines();
  protocol::MessageParser parser;
  protocol::Message message;
  std::size_t i = 0;
  for (auto _ : state) {
    bool parsed = parser.Parse(input.lines[i], readable_after, message);
    benchmark::DoNotOptimize(parsed);
    if (++i == input.lines.size()) i = 0;
  }
  if (message.type() != protocol::MessageType::kRecord || parser.non_protocol_lines() != 0) {
    state.SkipWithError("lines did not parse as RECORD messages");
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.bytes / kLines));
  state.counters["line_bytes"] = static_cast<double>(input.bytes) / kLines;
}

void BM_ParseUsersRecord(benchmark::State& state) {
  ParseUsersRecords(state, util::LineReader::kPadding);
}
BENCHMARK(BM_ParseUsersRecord);

// Without padding the parser copies each line first.
void BM_ParseUsersRecordUnpadded(benchmark::State& state) { ParseUsersRecords(state, 0); }
BENCHMARK(BM_ParseUsersRecordUnpadded);

void BM_SerializeUsersRecord(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::vector<protocol::Message> messages;
  std::size_t bytes = 0;
  for (int i = 0; i < 256; ++i) {
    messages.emplace_back(protocol::RecordMessage{
        .stream = "users", .data = UsersData(i + 1, rng), .emitted_at = 1735689600000 + i});
    bytes += protocol::Serialize(messages.back()).size();
  }
  std::string line;
  std::size_t i = 0;
  for (auto _ : state) {
    line.clear();
    protocol::AppendSerialized(messages[i], line);
    benchmark::DoNotOptimize(line.data());
    if (++i == messages.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes / messages.size()));
}
BENCHMARK(BM_SerializeUsersRecord);

}  // namespace
}  // namespace airbyte::bench
