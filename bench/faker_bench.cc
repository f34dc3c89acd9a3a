// In-process source-faker generation throughput (records/s on one core). Run in Release:
//   build/bench/bench/faker_bench

#include <benchmark/benchmark.h>

#include <cstdint>

#include "connectors/faker/faker_generator.h"
#include "connectors/faker/faker_source.h"

namespace airbyte::connectors {
namespace {

class CountingSink : public MessageSink {
 public:
  bool Emit(protocol::Message message) override {
    if (message.type() == protocol::MessageType::kRecord) ++records;
    benchmark::DoNotOptimize(message);
    return true;
  }
  std::int64_t records = 0;
};

protocol::ConfiguredAirbyteCatalog StreamCatalog(const char* name) {
  protocol::ConfiguredAirbyteCatalog configured;
  for (const protocol::AirbyteStream& stream : FakerCatalog().streams) {
    if (stream.name == name) configured.streams.push_back({.stream = stream});
  }
  return configured;
}

// The whole Read() path: records, traces and states into a counting sink.
void ReadStream(benchmark::State& state, const char* stream) {
  const auto faker = MakeFakerSource();
  const protocol::ConfiguredAirbyteCatalog catalog = StreamCatalog(stream);
  const Json config = {{"count", state.range(0)}, {"seed", 42}};
  std::int64_t records = 0;
  for (auto _ : state) {
    CountingSink sink;
    faker->Read(config, catalog, {}, sink);
    records += sink.records;
  }
  state.SetItemsProcessed(records);
}

void BM_ReadUsers(benchmark::State& state) { ReadStream(state, "users"); }
BENCHMARK(BM_ReadUsers)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_ReadPurchases(benchmark::State& state) { ReadStream(state, "purchases"); }
BENCHMARK(BM_ReadPurchases)->Arg(100'000)->Unit(benchmark::kMillisecond);

// The generator alone, reusing one TypedRecord (the floor under Read()).
void BM_FillUser(benchmark::State& state) {
  FakerGenerator generator(42);
  protocol::TypedRecord record;
  std::int64_t index = 0;
  for (auto _ : state) {
    generator.FillUser(index++, record);
    benchmark::DoNotOptimize(record);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FillUser);

}  // namespace
}  // namespace airbyte::connectors
