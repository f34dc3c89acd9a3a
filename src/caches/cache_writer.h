#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <variant>
#include <string>
#include <vector>

#include "airbyte/cache.h"
#include "caches/cache_core.h"
#include "caches/record_batch.h"
#include "protocol/message.h"

namespace airbyte::caches {

/// What a read hands the writer, in protocol order.
using WriteItem = std::variant<RecordBatch, protocol::StateMessage>;

/// How one stream is written (WriteStrategy resolved per stream).
enum class WriteMode { kAppend, kMerge, kReplace };

/// AUTO → merge with a primary key, else append with a cursor, else replace (4.9). Throws
/// Error(kInput) for merge on a stream without primary key.
WriteMode ResolveWriteMode(WriteStrategy strategy, const protocol::ConfiguredAirbyteStream& stream);

/// Writes one read into a cache with crash-safe checkpoints. A transaction is open from
/// construction to each commit; batches of append streams (and of merge streams into a table
/// that was empty at the start, while no primary key repeats) go straight into the final
/// table inside it, others into staging.
///
/// Construction prepares every stream: registers the catalog, creates or evolves the final
/// table (new columns added, types widened), creates a connection-local staging table and
/// fixes the StreamLayout the reader converts records with. Record batches go to staging.
/// At a STATE message, once enough rows are staged (or enough time passed), one transaction
/// moves the staged rows into the final tables (append: INSERT; merge: de-duplicated by
/// primary key, latest wins, then MERGE) and stores the latest state of each stream with
/// them, so a stored state never runs ahead of its data. Replace streams keep their rows in
/// staging and swap them in at Finish(), together with their state (an old table survives a
/// failed read). GLOBAL and LEGACY states are stored as "_GLOBAL"/"_LEGACY" rows, in the same
/// transactions, and held back until Finish() when a replace stream is part of the read.
/// Destruction without Finish() rolls back the open transaction; earlier commits stay.
/// Runs on one thread (the cache's).
class CacheWriter {
 public:
  struct Options {
    /// Commit at a STATE once at least this many rows were written since the last commit...
    /// (Each commit ends a parallel bulk insert and leaves partly filled row groups, so small
    /// commits cost throughput: 200k-row commits made a 1M-record read ~1.7x slower than one.)
    std::size_t commit_rows = 1'000'000;
    /// ...or this much time passed since the last commit.
    std::chrono::milliseconds commit_interval{30'000};
    /// Receives type-mapping warnings (PyAirbyte prints them).
    std::function<void(const std::string&)> warn = {};
  };

  CacheWriter(CacheCore& core, std::string source_name,
              const protocol::ConfiguredAirbyteCatalog& catalog, WriteStrategy strategy,
              Options options);
  CacheWriter(CacheCore& core, std::string source_name,
              const protocol::ConfiguredAirbyteCatalog& catalog, WriteStrategy strategy)
      : CacheWriter(core, std::move(source_name), catalog, strategy, Options{}) {}
  ~CacheWriter();
  CacheWriter(const CacheWriter&) = delete;
  CacheWriter& operator=(const CacheWriter&) = delete;

  /// The layout records of `stream` are converted with; nullptr for a stream not in the
  /// catalog. Thread-safe (immutable after construction).
  StreamLayoutPtr Layout(const protocol::StreamDescriptor& stream) const;
  /// Every layout, in catalog order.
  std::vector<StreamLayoutPtr> Layouts() const;

  /// Writes everything `next` yields until it returns nullopt, batches and states in
  /// protocol order. Runs of batches that go straight into a final table are inserted by the
  /// backend's parallel bulk insert when it has one (DuckDB: all its threads compress).
  void Consume(const std::function<std::optional<WriteItem>()>& next);

  /// Commits everything (replace swaps included) and checkpoints the database.
  void Finish();

  /// Records committed into final tables so far.
  std::int64_t committed_records() const { return committed_records_; }

 private:
  struct StreamWrite;
  class BulkRun;
  StreamWrite* Find(const protocol::StreamDescriptor& stream) const;
  StreamWrite& WriteFor(const RecordBatch& batch) const;
  /// For a stream written straight into its table: when the key filter says a key of `batch`
  /// may repeat, decides exactly with SQL, writes the batch, and returns true; if a key does
  /// repeat, the stream stages and merges from then on.
  bool CheckKeys(StreamWrite& write, const RecordBatch& batch);
  void Append(StreamWrite& write, const RecordBatch& batch);
  void RememberState(const protocol::StateMessage& state);
  /// RememberState, then a commit when one is due.
  void OnState(const protocol::StateMessage& state);
  bool CommitDue() const;
  /// Bulk-inserts `first` and the batches of the same stream that follow; returns the item
  /// that ended the run (nullopt at the end of input).
  std::optional<WriteItem> InsertRun(StreamWrite& write, RecordBatch first,
                                     const std::function<std::optional<WriteItem>()>& next);
  void Commit(bool final);

  CacheCore& core_;
  std::string source_name_;
  Options options_;
  std::vector<std::unique_ptr<StreamWrite>> streams_;
  std::map<const StreamLayout*, StreamWrite*> by_layout_;
  std::optional<std::string> pending_global_;
  std::optional<std::string> pending_legacy_;
  bool has_replace_ = false;
  std::size_t staged_rows_ = 0;
  std::chrono::steady_clock::time_point last_commit_;
  std::int64_t committed_records_ = 0;
  bool in_transaction_ = false;
};

}  // namespace airbyte::caches
