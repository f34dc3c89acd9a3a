#include "caches/cache_writer.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

#include <sys/mman.h>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "caches/sql_dialect.h"
#include "caches/type_mapping.h"
#include "protocol/json_convert.h"
#include "util/name_normalizer.h"
#include "util/uuid.h"

namespace airbyte::caches {

namespace {

// Remembers the primary keys written in one sync, to prove that a batch repeats none of them
// (then it can go straight into a table that was empty when the sync began). A Bloom filter of
// fixed size keeps memory flat; a false positive only costs an exact SQL check of that batch
// (CheckKeys). 32 MiB, 10 probes, all in one 64-byte block per key: one cache miss per key,
// prefetched a few rows ahead (six scattered probes made this ~3% of a read's CPU, under the
// lock the database's threads share). Expected false positives in a whole sync: ~1e-5 at 1M
// keys, ~0.03 at 3M.
class KeyFilter {
 public:
  KeyFilter() {
    // Huge pages where the kernel allows them (the lookups are random: fewer TLB misses).
    void* memory = std::aligned_alloc(kHugePage, kBlocks * sizeof(Block));
    if (memory == nullptr) throw std::bad_alloc();
    ::madvise(memory, kBlocks * sizeof(Block), MADV_HUGEPAGE);  // a hint; failure is fine
    std::memset(memory, 0, kBlocks * sizeof(Block));
    blocks_.reset(static_cast<Block*>(memory));
  }

  // Adds the keys of `batch`; false when one may have been seen before (in this batch or an
  // earlier one).
  bool AddAllNew(const RecordBatch& batch, const std::vector<std::size_t>& key_columns) {
    hashes_.resize(batch.rows);
    for (std::size_t row = 0; row < batch.rows; ++row) {
      hashes_[row] = RowHash(batch, key_columns, row);
    }
    constexpr std::size_t kAhead = 16;
    for (std::size_t row = 0; row < std::min(kAhead, batch.rows); ++row) {
      __builtin_prefetch(&blocks_[hashes_[row] & (kBlocks - 1)]);
    }
    bool all_new = true;
    for (std::size_t row = 0; row < batch.rows; ++row) {
      if (row + kAhead < batch.rows) {
        __builtin_prefetch(&blocks_[hashes_[row + kAhead] & (kBlocks - 1)]);
      }
      const std::uint64_t hash = hashes_[row];
      Block& block = blocks_[hash & (kBlocks - 1)];
      // Each probe takes 9 fresh hash bits (a bit of the block's 512). Double hashing
      // (h1 + i * h2 mod 512) leaves too few distinct patterns: 140 false positives in 3M keys.
      const std::uint64_t h1 = Mix(hash ^ 0x9e3779b97f4a7c15ull);
      std::uint64_t bits = h1;
      bool seen = true;
      for (std::uint64_t probe = 0; probe < kProbes; ++probe) {
        if (probe == 7) bits = Mix(h1 + 1);  // 7 probes use 63 bits
        const auto bit = static_cast<unsigned>(bits & 511);
        bits >>= 9;
        std::uint64_t& word = block.words[bit >> 6];
        const std::uint64_t mask = std::uint64_t{1} << (bit & 63);
        if ((word & mask) == 0) seen = false;
        word |= mask;
      }
      if (seen) all_new = false;
    }
    return all_new;
  }

 private:
  struct alignas(64) Block {
    std::uint64_t words[8] = {};
  };
  static constexpr std::size_t kBlocks = (std::size_t{1} << 25) / sizeof(Block);  // 32 MiB
  static constexpr std::uint64_t kProbes = 10;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  struct Free {
    void operator()(Block* blocks) const { std::free(blocks); }
  };

  static std::uint64_t Mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  }

  static std::uint64_t RowHash(const RecordBatch& batch, const std::vector<std::size_t>& columns,
                               std::size_t row) {
    std::uint64_t hash = 0x12345;
    for (std::size_t index : columns) {
      const ColumnData& column = batch.columns[index];
      std::uint64_t value = 0x6e756c6c;  // NULL
      if (column.valid[row] != 0) {
        switch (column.type) {
          case SqlType::kDecimal:
            value = Mix(column.decimals[row].lower) ^ static_cast<std::uint64_t>(column.decimals[row].upper);
            break;
          case SqlType::kDouble:
            value = std::hash<double>{}(column.doubles[row]);
            break;
          case SqlType::kVarchar:
          case SqlType::kJson:
            value = std::hash<std::string_view>{}(column.TextAt(row));
            break;
          default:
            value = static_cast<std::uint64_t>(column.ints[row]);
            break;
        }
      }
      hash = Mix(hash ^ Mix(value));
    }
    return hash;
  }

  std::unique_ptr<Block[], Free> blocks_;
  std::vector<std::uint64_t> hashes_;  // of the batch being added
};

}  // namespace

struct CacheWriter::StreamWrite {
  protocol::ConfiguredAirbyteStream configured;
  WriteMode mode = WriteMode::kAppend;
  std::string state_key;  // stream name (state rows' stream_name)
  StreamLayoutPtr layout;
  std::unique_ptr<StagingTable> staging;
  // While set, batches go straight into the final table (append; merge into a table that
  // was empty when the sync began, while no key repeats). Cleared for good on the first
  // possible repeat: later batches are staged and merged.
  std::unique_ptr<BatchAppender> direct;
  std::unique_ptr<KeyFilter> keys;
  std::vector<std::size_t> key_columns;
  // Rows written since the last commit (direct or staged).
  std::size_t staged_rows = 0;
  std::optional<std::string> pending_state;
};

namespace {

// §4.3's temp-table name: normalize("<stream>_<6 + 3 characters of a fresh id>").
std::string StagingName(const std::string& stream) {
  std::string id = util::NewUuidV7();
  id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
  return util::TryNormalizeName(stream + "_" + id.substr(0, 6) + id.substr(id.size() - 3))
      .value_or("airbyte_staging_" + id.substr(id.size() - 9));
}

std::string StateJson(const protocol::StateMessage& state) {
  return protocol::ToJson(state).dump();
}

}  // namespace

WriteMode ResolveWriteMode(WriteStrategy strategy,
                           const protocol::ConfiguredAirbyteStream& stream) {
  const bool has_pk = stream.primary_key && !stream.primary_key->empty();
  const bool has_cursor = stream.cursor_field && !stream.cursor_field->empty();
  switch (strategy) {
    case WriteStrategy::kAppend:
      return WriteMode::kAppend;
    case WriteStrategy::kReplace:
      return WriteMode::kReplace;
    case WriteStrategy::kMerge:
      if (!has_pk) {
        throw Error(ErrorKind::kInput, "Cannot use merge strategy on a stream with no primary keys.",
                    {.guidance = "Use write strategy 'append' or 'replace' for this stream, or set "
                                 "a primary key with Source::SetPrimaryKey().",
                     .context = {{"stream_name", stream.stream.name}}});
      }
      return WriteMode::kMerge;
    case WriteStrategy::kAuto:
      break;
  }
  if (has_pk) return WriteMode::kMerge;
  return has_cursor ? WriteMode::kAppend : WriteMode::kReplace;
}

CacheWriter::CacheWriter(CacheCore& core, std::string source_name,
                         const protocol::ConfiguredAirbyteCatalog& catalog,
                         WriteStrategy strategy, Options options)
    : core_(core), source_name_(std::move(source_name)), options_(std::move(options)) {
  CacheBackend& db = core_.backend();
  const SqlDialect& dialect = core_.dialect();

  // Streams that share a name (in different namespaces) get the namespace in their table
  // name so that they do not collide (PyAirbyte ignores namespaces).
  std::map<std::string, int> name_counts;
  for (const auto& configured : catalog.streams) ++name_counts[configured.stream.name];

  std::vector<CacheCore::CatalogEntry> catalog_entries;
  std::map<std::string, std::string> tables_seen;
  for (const protocol::ConfiguredAirbyteStream& configured : catalog.streams) {
    auto write = std::make_unique<StreamWrite>();
    write->configured = configured;
    write->mode = ResolveWriteMode(strategy, configured);
    const std::string& name = configured.stream.name;
    std::string qualified_name = name;
    if (name_counts[name] > 1 && configured.stream.namespace_) {
      qualified_name = *configured.stream.namespace_ + "_" + name;
    }
    write->state_key = qualified_name;
    const std::string table = core_.TableName(qualified_name);
    if (auto [it, inserted] = tables_seen.emplace(table, qualified_name); !inserted) {
      throw Error(ErrorKind::kInput, "Two streams map to the same table name.",
                  {.guidance = "Select only one of them, or read them into caches with "
                               "different table prefixes.",
                   .context = {{"table_name", table},
                               {"streams", it->second + ", " + qualified_name}}});
    }
    catalog_entries.push_back({.stream_name = qualified_name,
                               .json_schema = configured.stream.json_schema});

    StreamLayout layout = BuildStreamLayout(
        name, table, configured.stream.json_schema,
        configured.primary_key.value_or(std::vector<protocol::FieldPath>{}),
        configured.cursor_field.value_or(protocol::FieldPath{}), dialect.max_identifier_length,
        options_.warn);
    // Straight appends need the table's columns to be exactly the layout's, in order.
    bool same_columns = false;
    if (write->mode != WriteMode::kReplace) {
      const auto existing = db.TableColumns(core_.schema_name(), table);
      same_columns = !existing || existing->size() == layout.columns.size();
      for (std::size_t i = 0; existing && same_columns && i < layout.columns.size(); ++i) {
        same_columns = (*existing)[i].first == layout.columns[i].name &&
                       db.CanAppendInto((*existing)[i].second, layout.columns[i].type);
      }
      if (!existing) {
        db.Execute(CreateTableSql(dialect, core_.schema_name(), table, layout.columns));
      } else {
        for (ColumnDef& column : layout.columns) {
          const auto found = std::find_if(existing->begin(), existing->end(),
                                          [&](const auto& c) { return c.first == column.name; });
          if (found == existing->end()) {
            db.Execute(AddColumnSql(dialect, core_.schema_name(), table, column));
            same_columns = false;  // appended at the end, maybe out of layout order
            continue;
          }
          const SqlType current = SqlTypeFromText(found->second);
          const SqlType widened = WidenType(current, column.type);
          column.type = widened;
          if (widened != current) {
            db.Execute(AlterColumnTypeSql(dialect, core_.schema_name(), table, column));
          }
        }
      }
    }
    if (same_columns) {
      bool direct = write->mode == WriteMode::kAppend;
      if (write->mode == WriteMode::kMerge) {
        direct = db.Query("SELECT 1 FROM " + core_.Qualified(table) + " LIMIT 1").rows.empty();
        for (const std::string& key : layout.primary_key) {
          for (std::size_t i = 0; i < layout.columns.size(); ++i) {
            if (layout.columns[i].name == key) write->key_columns.push_back(i);
          }
        }
        direct = direct && write->key_columns.size() == layout.primary_key.size();
        if (direct) write->keys = std::make_unique<KeyFilter>();
      }
      if (direct) write->direct = db.OpenAppender(core_.schema_name(), table);
    }
    has_replace_ = has_replace_ || write->mode == WriteMode::kReplace;
    write->staging = db.CreateStaging(StagingName(name), layout.columns);
    write->layout = std::make_shared<const StreamLayout>(std::move(layout));
    by_layout_[write->layout.get()] = write.get();
    streams_.push_back(std::move(write));
  }
  core_.RegisterStreams(source_name_, catalog_entries);
  last_commit_ = std::chrono::steady_clock::now();
  db.LimitWriteMemory(true);
  db.Begin();
  in_transaction_ = true;
}

CacheWriter::~CacheWriter() {
  // Unfinished: whatever was written since the last commit is rolled back; staging tables
  // drop themselves.
  for (const auto& write : streams_) write->direct.reset();
  if (in_transaction_ && !core_.closed()) core_.backend().Rollback();
  if (!core_.closed()) core_.backend().LimitWriteMemory(false);
  streams_.clear();
}

CacheWriter::StreamWrite* CacheWriter::Find(const protocol::StreamDescriptor& stream) const {
  StreamWrite* by_name = nullptr;
  for (const auto& write : streams_) {
    if (write->configured.stream.name != stream.name) continue;
    if (write->configured.stream.namespace_ == stream.namespace_) return write.get();
    by_name = write.get();
  }
  return by_name;  // a record without (or with another) namespace: match by name
}

StreamLayoutPtr CacheWriter::Layout(const protocol::StreamDescriptor& stream) const {
  const StreamWrite* write = Find(stream);
  return write == nullptr ? nullptr : write->layout;
}

std::vector<StreamLayoutPtr> CacheWriter::Layouts() const {
  std::vector<StreamLayoutPtr> layouts;
  for (const auto& write : streams_) layouts.push_back(write->layout);
  return layouts;
}

CacheWriter::StreamWrite& CacheWriter::WriteFor(const RecordBatch& batch) const {
  const auto it = by_layout_.find(batch.layout.get());
  if (it == by_layout_.end()) {
    throw Error(ErrorKind::kInternal, "A record batch has no stream in this read.");
  }
  return *it->second;
}

bool CacheWriter::CheckKeys(StreamWrite& write, const RecordBatch& batch) {
  if (!write.direct || !write.keys || write.keys->AddAllNew(batch, write.key_columns)) {
    return false;
  }
  // The filter says a key may repeat (or it is a false positive, more likely past a few
  // million keys). Decide exactly: stage the batch and look for its keys in the final table
  // (rows written so far are visible in this transaction) and among themselves.
  CacheBackend& db = core_.backend();
  const StreamLayout& layout = *write.layout;
  write.direct->Flush();
  write.staging->Append(batch);
  write.staging->Flush();
  const std::string& staging = write.staging->sql_name();
  std::string join;
  std::string keys;
  for (const std::string& key : layout.primary_key) {
    const std::string quoted = QuoteIdentifier(key);
    join += (join.empty() ? "" : " AND ") + ("f." + quoted + " = s." + quoted);
    keys += (keys.empty() ? "" : ", ") + quoted;
  }
  const bool repeats =
      !db.Query("SELECT 1 FROM " + core_.Qualified(layout.table_name) + " AS f JOIN " + staging +
                " AS s ON " + join + " LIMIT 1")
           .rows.empty() ||
      !db.Query("SELECT 1 FROM " + staging + " GROUP BY " + keys + " HAVING count(*) > 1 LIMIT 1")
           .rows.empty();
  if (repeats) {
    // From now on stage and merge; this batch is staged already.
    write.direct.reset();
    write.keys.reset();
  } else {
    db.Execute(InsertSelectSql(core_.Qualified(layout.table_name), layout.columns, staging));
    write.staging->Clear();
  }
  write.staged_rows += batch.rows;
  if (write.mode != WriteMode::kReplace) staged_rows_ += batch.rows;
  return true;
}

void CacheWriter::Append(StreamWrite& write, const RecordBatch& batch) {
  if (write.direct) {
    write.direct->Append(batch);
  } else {
    write.staging->Append(batch);
  }
  write.staged_rows += batch.rows;
  if (write.mode != WriteMode::kReplace) staged_rows_ += batch.rows;
}

void CacheWriter::RememberState(const protocol::StateMessage& state) {
  switch (state.type) {
    case protocol::StateType::kStream: {
      if (!state.stream) return;
      StreamWrite* write = Find(state.stream->stream_descriptor);
      if (write == nullptr) return;  // state of a stream we do not write: nothing to cover
      write->pending_state = StateJson(state);
      break;
    }
    case protocol::StateType::kGlobal:
      pending_global_ = StateJson(state);
      break;
    case protocol::StateType::kLegacy:
      pending_legacy_ = StateJson(state);
      break;
  }
}

bool CacheWriter::CommitDue() const {
  const auto elapsed = std::chrono::steady_clock::now() - last_commit_;
  return staged_rows_ >= options_.commit_rows || elapsed >= options_.commit_interval;
}

void CacheWriter::OnState(const protocol::StateMessage& state) {
  RememberState(state);
  if (CommitDue()) Commit(/*final=*/false);
}

// Serves the rows of a run of batches to the backend's bulk insert, pulling more from the
// read as the database's threads ask. The run ends at the end of input, at a state once a
// commit is due, at another stream's batch, or at a batch whose keys may repeat.
class CacheWriter::BulkRun : public InsertSource {
 public:
  BulkRun(CacheWriter& writer, StreamWrite& write, RecordBatch first,
          const std::function<std::optional<WriteItem>()>& next)
      : writer_(writer), write_(write), next_(next) {
    Take(std::move(first));
  }

  bool Next(std::shared_ptr<const RecordBatch>& batch, std::size_t& start,
            std::size_t& count) override {
    while (true) {
      if (current_ != nullptr && offset_ < current_->rows) {
        batch = current_;
        start = offset_;
        count = std::min<std::size_t>(kChunkRows, current_->rows - offset_);
        offset_ += count;
        return true;
      }
      if (stopped_) return false;
      std::optional<WriteItem> item = next_();
      if (!item) {
        ended_ = stopped_ = true;
        continue;
      }
      if (auto* state = std::get_if<protocol::StateMessage>(&*item)) {
        writer_.RememberState(*state);
        if (writer_.CommitDue()) {
          commit_ = true;
          stopped_ = true;
        }
        continue;
      }
      RecordBatch& next_batch = std::get<RecordBatch>(*item);
      if (next_batch.layout != write_.layout ||
          (write_.keys && !write_.keys->AddAllNew(next_batch, write_.key_columns))) {
        leftover_ = std::move(item);
        stopped_ = true;
        continue;
      }
      Take(std::move(next_batch));
    }
  }

  bool commit() const { return commit_; }
  bool ended() const { return ended_; }
  std::optional<WriteItem>& leftover() { return leftover_; }

 private:
  static constexpr std::size_t kChunkRows = 2048;  // DuckDB's vector size

  void Take(RecordBatch batch) {
    write_.staged_rows += batch.rows;
    if (write_.mode != WriteMode::kReplace) writer_.staged_rows_ += batch.rows;
    current_ = std::make_shared<const RecordBatch>(std::move(batch));
    offset_ = 0;
  }

  CacheWriter& writer_;
  StreamWrite& write_;
  const std::function<std::optional<WriteItem>()>& next_;
  std::shared_ptr<const RecordBatch> current_;
  std::size_t offset_ = 0;
  bool stopped_ = false;
  bool ended_ = false;
  bool commit_ = false;
  std::optional<WriteItem> leftover_;
};

std::optional<WriteItem> CacheWriter::InsertRun(
    StreamWrite& write, RecordBatch first, const std::function<std::optional<WriteItem>()>& next) {
  BulkRun run(*this, write, std::move(first), next);
  core_.backend().BulkInsert(core_.schema_name(), write.layout->table_name,
                             write.layout->columns, run);
  // Another stream's batch, or this stream's with a possibly repeated key (Consume() then
  // asks CheckKeys(), which sees the filter's verdict again and decides exactly).
  std::optional<WriteItem> leftover = std::move(run.leftover());
  if (run.commit()) Commit(/*final=*/false);
  if (!leftover && !run.ended()) leftover = next();  // the run stopped for a commit
  return leftover;
}

void CacheWriter::Consume(const std::function<std::optional<WriteItem>()>& next) {
  const bool bulk = core_.backend().SupportsBulkInsert();
  std::optional<WriteItem> item = next();
  while (item) {
    if (auto* state = std::get_if<protocol::StateMessage>(&*item)) {
      OnState(*state);
      item = next();
      continue;
    }
    RecordBatch& batch = std::get<RecordBatch>(*item);
    StreamWrite& write = WriteFor(batch);
    if (CheckKeys(write, batch)) {
      item = next();
    } else if (write.direct && bulk) {
      item = InsertRun(write, std::move(batch), next);
    } else {
      Append(write, batch);
      item = next();
    }
  }
}

void CacheWriter::Finish() {
  Commit(/*final=*/true);
  core_.backend().Checkpoint();
  core_.backend().LimitWriteMemory(false);
}

void CacheWriter::Commit(bool final) {
  CacheBackend& db = core_.backend();
  const SqlDialect& dialect = core_.dialect();
  const std::string& schema = core_.schema_name();
  std::vector<StreamWrite*> moved;
  std::int64_t moved_rows = 0;
  try {
    for (const auto& write : streams_) {
      if (write->direct) write->direct->Flush();
      write->staging->Flush();
    }
    for (const auto& write : streams_) {
      const StreamLayout& layout = *write->layout;
      const std::string final_table = core_.Qualified(layout.table_name);
      const std::string& staging = write->staging->sql_name();
      if (write->mode == WriteMode::kReplace) {
        if (!final) continue;
        // Swap in the new table: exactly the current schema's columns, old rows gone, even
        // when this sync produced no records (PyAirbyte kept the old rows then).
        db.Execute("DROP TABLE IF EXISTS " + final_table);
        db.Execute(CreateTableSql(dialect, schema, layout.table_name, layout.columns));
        db.Execute(InsertSelectSql(final_table, layout.columns, staging));
      } else if (write->staging->rows() > 0) {
        if (write->mode == WriteMode::kAppend) {
          db.Execute(InsertSelectSql(final_table, layout.columns, staging));
        } else {
          // Appended rather than "(" + ...: GCC 12 warns falsely (-Wrestrict, bug 105329).
          std::string source = "(";
          source += DedupedSelectSql(staging, layout.columns, layout.primary_key,
                                     write->staging->order_column());
          source += ")";
          for (const std::string& sql :
               MergeSql(dialect, final_table, layout.columns, layout.primary_key, source)) {
            db.Execute(sql);
          }
        }
      }
      if (write->staged_rows > 0) {
        moved.push_back(write.get());
        moved_rows += static_cast<std::int64_t>(write->staged_rows);
      }
      if (write->pending_state) {
        db.Execute(core_.StateUpsertSql(source_name_, write->state_key, *write->pending_state));
      }
    }
    if (final || !has_replace_) {
      if (pending_global_) db.Execute(core_.StateUpsertSql(source_name_, "_GLOBAL", *pending_global_));
      if (pending_legacy_) db.Execute(core_.StateUpsertSql(source_name_, "_LEGACY", *pending_legacy_));
    }
    db.Commit();
    in_transaction_ = false;
  } catch (...) {
    for (const auto& write : streams_) write->direct.reset();
    db.Rollback();
    in_transaction_ = false;
    throw;
  }
  for (const auto& write : streams_) {
    if (write->mode != WriteMode::kReplace || final) write->pending_state.reset();
  }
  if (final || !has_replace_) {
    pending_global_.reset();
    pending_legacy_.reset();
  }
  for (StreamWrite* write : moved) {
    if (write->mode == WriteMode::kReplace && !final) continue;
    if (write->staging->rows() > 0) write->staging->Clear();
    write->staged_rows = 0;
  }
  committed_records_ += moved_rows;
  staged_rows_ = 0;
  last_commit_ = std::chrono::steady_clock::now();
  if (!final) {
    db.Begin();
    in_transaction_ = true;
  }
}

}  // namespace airbyte::caches
