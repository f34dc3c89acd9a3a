// Source::Read(): connector messages → typed column batches (reader thread) → bounded queue →
// cache writer (calling thread), which commits data and state together at checkpoints.

#include <cstdlib>
#include <iostream>
#include <mutex>
#include <map>
#include <set>
#include <thread>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "airbyte/source.h"
#include "caches/cache_core.h"
#include "caches/cache_writer.h"
#include "caches/record_batch.h"
#include "progress/format.h"
#include "progress/progress_display.h"
#include "progress/read_progress.h"
#include "progress/run_log.h"
#include "protocol/record_data_sink.h"
#include "sources/source_impl.h"
#include "util/bounded_queue.h"

namespace airbyte {
namespace {

// Rows per batch handed to the writer: large enough to amortize the queue and DuckDB's
// appender, small enough to keep memory flat (a few MB per batch).
constexpr std::size_t kBatchRows = 16'384;
// Batches in flight between the threads.
constexpr std::size_t kQueueCapacity = 8;

using QueueItem = caches::WriteItem;

// Everything the reader thread learns, read by the caller after join().
struct ReaderOutcome {
  std::map<std::string, std::int64_t> records;
  std::int64_t total = 0;
  std::exception_ptr error;
};

// Routes records to their stream's batch builder. As the parser's RecordDataSink it converts
// a record's data while the line is parsed (one parse per line), when stream names alone
// identify streams (no two catalog streams share a name, so a namespace written after `data`
// cannot change the stream).
class BatchRouter : public protocol::RecordDataSink {
 public:
  BatchRouter(const caches::CacheWriter& writer, util::BoundedQueue<QueueItem>& queue,
              progress::ReadProgress& progress)
      : writer_(writer), queue_(queue), progress_(progress) {
    std::set<std::string> names;
    for (const caches::StreamLayoutPtr& layout : writer_.Layouts()) {
      unique_names_ = names.insert(layout->stream).second && unique_names_;
    }
  }

  bool TakeData(std::string_view stream, protocol::RecordDataObject data) override {
    pending_ = nullptr;
    if (!unique_names_) return false;
    Entry* entry = EntryFor(stream, std::nullopt, /*required=*/false);
    if (entry == nullptr) return false;  // Record() reports the unknown stream
    entry->builder->BeginJsonRow(data);
    pending_ = entry;
    return true;
  }

  // Returns false when the writer stopped (the queue was closed).
  bool Record(const protocol::RecordMessage& record) {
    Entry* entry = record.data_taken_bytes > 0 ? std::exchange(pending_, nullptr) : nullptr;
    if (entry != nullptr) {
      entry->builder->FinishJsonRow(record.data_taken_bytes, record.emitted_at, record.meta);
    } else {
      entry = EntryFor(record.stream, record.namespace_);
      entry->builder->Add(record);
    }
    ++entry->records;
    entry->counters->AddRecord();  // relaxed load + store, no lock: the display's only cost
    if (entry->builder->rows() >= kBatchRows) return queue_.Push(entry->builder->Take());
    return true;
  }

  bool FlushAll() {
    for (auto& [key, entry] : entries_) {
      if (entry.builder->rows() > 0 && !queue_.Push(entry.builder->Take())) return false;
    }
    return true;
  }

  void Count(ReaderOutcome& outcome) const {
    for (const auto& [key, entry] : entries_) {
      outcome.records[entry.stream] += entry.records;
      outcome.total += entry.records;
    }
  }

 private:
  struct Entry {
    std::string stream;
    std::unique_ptr<caches::RecordBatchBuilder> builder;
    std::int64_t records = 0;
    progress::StreamCounters* counters = nullptr;
  };

  // The entry of a stream; nullptr (when not `required`) or Error for one not in the read.
  Entry* EntryFor(std::string_view name, const std::optional<std::string>& namespace_,
                  bool required = true) {
    if (last_ != nullptr && name == last_name_ && namespace_ == last_namespace_) return last_;
    const protocol::StreamDescriptor descriptor{.name = std::string(name),
                                                .namespace_ = namespace_};
    caches::StreamLayoutPtr layout = writer_.Layout(descriptor);
    if (layout == nullptr) {
      if (!required) return nullptr;
      throw Error(ErrorKind::kStreamNotFound,
                  "The connector sent a record for a stream that was not requested.",
                  {.guidance = "This is a connector bug; report it to the connector's authors.",
                   .context = {{"stream_name", std::string(name)}}});
    }
    auto [it, inserted] = entries_.try_emplace(layout.get());
    if (inserted) {
      it->second.stream = layout->stream;
      it->second.builder = std::make_unique<caches::RecordBatchBuilder>(layout);
      const int index = progress_.IndexOf(layout->stream);
      it->second.counters = index >= 0 ? &progress_.stream(static_cast<std::size_t>(index))
                                       : &unlisted_;
    }
    last_ = &it->second;
    last_name_ = name;
    last_namespace_ = namespace_;
    return last_;
  }

  const caches::CacheWriter& writer_;
  util::BoundedQueue<QueueItem>& queue_;
  progress::ReadProgress& progress_;
  progress::StreamCounters unlisted_;  // a stream the progress does not list (never shown)
  std::map<const caches::StreamLayout*, Entry> entries_;
  Entry* last_ = nullptr;
  Entry* pending_ = nullptr;  // took the data of the record being parsed
  bool unique_names_ = true;
  std::string last_name_;
  std::optional<std::string> last_namespace_;
};

void ReadMessages(executors::MessageStream& stream, Source::Impl& impl,
                  const caches::CacheWriter& writer, util::BoundedQueue<QueueItem>& queue,
                  progress::ReadProgress& progress, ReaderOutcome& outcome) {
  BatchRouter router(writer, queue, progress);
  stream.SetRecordDataSink(&router);
  protocol::Message message;
  bool open = true;
  std::uint32_t records = 0;
  progress.set_phase(progress::Phase::kReading);
  try {
    while (open && stream.Next(message)) {
      switch (message.type()) {
        case protocol::MessageType::kRecord:
          open = router.Record(message.record());
          if ((++records & 1023) == 0) progress.set_bytes_read(stream.bytes_read());
          break;
        case protocol::MessageType::kState:
          // Records before a state go first, so the writer sees them in protocol order.
          open = router.FlushAll() && queue.Push(std::move(message.state()));
          break;
        case protocol::MessageType::kControl:
          impl.HandleControl(message.control());
          break;
        default:
          break;
      }
    }
    if (open) router.FlushAll();
  } catch (...) {
    outcome.error = std::current_exception();
  }
  stream.SetRecordDataSink(nullptr);  // the router goes away; the stream may be read again
  router.Count(outcome);
  progress.set_bytes_read(stream.bytes_read());
  progress.set_phase(progress::Phase::kLoading);  // the writer drains what is queued
  queue.Close();  // always: wakes the writer
}

// Commit policy: AIRBYTE_COMMIT_ROWS / AIRBYTE_COMMIT_INTERVAL_MS override the defaults
// (small values make checkpoints frequent, e.g. for crash tests).
caches::CacheWriter::Options WriterOptions() {
  caches::CacheWriter::Options options;
  if (const char* rows = std::getenv("AIRBYTE_COMMIT_ROWS")) {
    options.commit_rows = static_cast<std::size_t>(std::strtoull(rows, nullptr, 10));
  }
  if (const char* ms = std::getenv("AIRBYTE_COMMIT_INTERVAL_MS")) {
    options.commit_interval = std::chrono::milliseconds(std::strtoll(ms, nullptr, 10));
  }
  options.warn = [](const std::string& warning) {
    // PyAirbyte prints type-mapping warnings on every read; once per process is enough.
    static std::mutex mu;
    static std::set<std::string> seen;
    const std::lock_guard lock(mu);
    if (seen.insert(warning).second) std::cerr << warning << "\n";
  };
  return options;
}

std::string Join(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// PyAirbyte's class name of the cache, for job descriptions and stats.
// PyAirbyte's class name of the cache (by backend: a Cache may be a sliced subclass).
std::string CacheType(const Cache& cache) {
  return cache.core()->dialect().name == "postgres" ? "PostgresCache" : "DuckDBCache";
}

// The error of a failed read, saying what was kept and where the log is.
Error FailedReadError(const Error& error, std::int64_t committed, const std::string& log_file) {
  ErrorDetails details{.guidance = error.guidance(),
                       .help_url = error.help_url(),
                       .context = error.context(),
                       .log_tail = error.log_tail(),
                       .log_file = error.log_file().empty() ? log_file : error.log_file(),
                       .cause = error.cause()};
  details.context.emplace_back("committed_records", committed);
  details.guidance += std::string(details.guidance.empty() ? "" : "\n") +
                      "Records and state committed before the failure are kept; run the read "
                      "again to resume from the last committed state.";
  return Error(error.kind(), error.message(), std::move(details));
}

}  // namespace

ReadResult Source::Read(const ReadOptions& options) {
  DuckDbCache cache = GetDefaultCache();
  return Read(cache, options);
}

ReadResult Source::Read(Cache& cache, const ReadOptions& options) {
  Impl& impl = *impl_;
  const Json config = impl.HydratedConfig();  // Error(kConfigMissing) first, as PyAirbyte
  if (!options.skip_validation) impl.ValidateHydratedConfig(config);

  std::vector<std::string> streams = options.streams;
  if (streams.empty()) streams = impl.selected_streams();
  if (streams.empty()) {
    std::vector<std::string> available;
    for (const auto& stream : impl.Catalog().streams) available.push_back(stream.name);
    throw Error(ErrorKind::kNoStreamsSelected, "No streams are selected.",
                {.guidance = "Select streams with SelectStreams() or SelectAllStreams(), or pass "
                             "ReadOptions::streams.",
                 .context = {{"connector_name", impl.name()},
                             {"available_streams", Join(available)}}});
  }
  const protocol::ConfiguredAirbyteCatalog catalog =
      impl.BuildConfiguredCatalog(streams, options.force_full_refresh);
  if (options.write_strategy == WriteStrategy::kReplace && !options.force_full_refresh) {
    std::cerr << "Warning: Using `REPLACE` strategy without also setting "
                 "`force_full_refresh=True` could result in data loss.\n";
  }

  caches::CacheCore& core = *cache.core();
  std::string state_json = "[]";
  if (!options.force_full_refresh) {
    const StateProvider state(core.LoadState(impl.name()));
    state_json = state.ToStateInputFileText();
    std::set<std::string> with_state;
    for (const std::string& name : state.KnownStreamNames()) with_state.insert(name);
    std::vector<std::string> incremental;
    for (const auto& configured : catalog.streams) {
      if (configured.sync_mode == protocol::SyncMode::kIncremental &&
          with_state.contains(configured.stream.name)) {
        incremental.push_back(configured.stream.name);
      }
    }
    if (!incremental.empty()) {
      std::cerr << "The following streams are currently using incremental sync:\n"
                << Join(incremental)
                << "\nTo perform a full refresh, set 'force_full_refresh' (--full-refresh).\n";
    }
  }

  caches::CacheWriter writer(core, impl.name(), catalog, options.write_strategy,
                             WriterOptions());
  std::unique_ptr<executors::MessageStream> stream = impl.StartRead(catalog, state_json);

  std::vector<std::string> stream_names;
  for (const auto& configured : catalog.streams) stream_names.push_back(configured.stream.name);
  // "source-faker -> DuckDBCache", PyAirbyte's job description.
  progress::ReadProgress progress(impl.name() + " -> " + CacheType(cache), stream_names);
  const std::shared_ptr<util::LogFile>& log = impl.log();
  if (log) log->Write("INFO", "Started `" + progress.job() + "` sync at `" +
                                  progress::LocalClock() + "`...");
  // Started after the writer's warnings (printed while it prepares the tables), so they do not
  // land inside the live block.
  progress::ProgressDisplay display(progress, {.style = options.progress});

  util::BoundedQueue<QueueItem> queue(kQueueCapacity);
  ReaderOutcome outcome;
  std::thread reader(
      [&] { ReadMessages(*stream, impl, writer, queue, progress, outcome); });
  // What the writer takes from the queue counts as loaded (per batch, off the reader's path).
  const auto next = [&]() -> std::optional<QueueItem> {
    std::optional<QueueItem> item = queue.Pop();
    if (item) {
      if (const auto* batch = std::get_if<caches::RecordBatch>(&*item)) {
        const int index = progress.IndexOf(batch->layout->stream);
        if (index >= 0) {
          progress.stream(static_cast<std::size_t>(index))
              .AddLoaded(static_cast<std::int64_t>(batch->rows));
        }
        progress.AddBatchBytes(batch->input_bytes);
      }
    }
    return item;
  };
  const auto fail = [&] {
    queue.Close();     // wakes a reader blocked on a full queue
    stream->Cancel();  // wakes a reader blocked on the connector
    if (reader.joinable()) reader.join();
    display.Finish(/*success=*/false);
    if (log) log->Write("ERROR", "Failed `" + progress.job() + "` sync at `" +
                                     progress::LocalClock() + "`.");
  };
  try {
    writer.Consume(next);
    reader.join();
    if (outcome.error) std::rethrow_exception(outcome.error);
    progress.set_phase(progress::Phase::kFinalizing);
    writer.Finish();
  } catch (const Error& error) {
    fail();
    throw FailedReadError(error, writer.committed_records(), executors::LogPath(log));
  } catch (...) {
    fail();
    throw;
  }
  display.Finish(/*success=*/true);
  if (outcome.total > 0) {  // PyAirbyte's performance record (9.5): stats log and connector log
    const std::string stats =
        progress::ReadStatsJson(progress.Take(), impl.name(), CacheType(cache));
    progress::AppendStats(stats);
    if (log) log->Write("INFO", stats);
  }
  if (log) {
    std::string counts;
    for (const auto& [name, records] : outcome.records) {
      counts += (counts.empty() ? "" : ", ") + name + ": " + std::to_string(records);
    }
    log->Write("INFO", "Completed `" + progress.job() + "` sync at `" + progress::LocalClock() +
                           "` (" + std::to_string(outcome.total) + " records; " + counts + ").");
  }

  return ReadResult(impl.name(), std::move(stream_names), std::move(outcome.records), outcome.total,
                    cache.core());
}

}  // namespace airbyte
