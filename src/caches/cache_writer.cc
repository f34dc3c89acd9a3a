#include "caches/cache_writer.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "caches/sql_dialect.h"
#include "caches/type_mapping.h"
#include "protocol/json_convert.h"
#include "util/name_normalizer.h"
#include "util/uuid.h"

namespace airbyte::caches {

struct CacheWriter::StreamWrite {
  protocol::ConfiguredAirbyteStream configured;
  WriteMode mode = WriteMode::kAppend;
  std::string table_key;  // _airbyte_streams / _airbyte_state key: prefix + [namespace_]stream
  std::string state_key;  // stream name (state rows' stream_name)
  StreamLayoutPtr layout;
  std::unique_ptr<StagingTable> staging;
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

  std::map<std::string, std::string> table_keys;
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
    write->table_key = core_.table_prefix() + qualified_name;
    const std::string table = core_.TableName(qualified_name);
    if (auto [it, inserted] = tables_seen.emplace(table, qualified_name); !inserted) {
      throw Error(ErrorKind::kInput, "Two streams map to the same table name.",
                  {.guidance = "Select only one of them, or read them into caches with "
                               "different table prefixes.",
                   .context = {{"table_name", table},
                               {"streams", it->second + ", " + qualified_name}}});
    }
    table_keys[name] = write->table_key;

    StreamLayout layout = BuildStreamLayout(
        name, table, configured.stream.json_schema,
        configured.primary_key.value_or(std::vector<protocol::FieldPath>{}),
        configured.cursor_field.value_or(protocol::FieldPath{}),
                                            dialect.max_identifier_length, options_.warn);
    if (write->mode != WriteMode::kReplace) {
      const auto existing = db.TableColumns(core_.schema_name(), table);
      if (!existing) {
        db.Execute(CreateTableSql(dialect, core_.schema_name(), table, layout.columns));
      } else {
        for (ColumnDef& column : layout.columns) {
          const auto found = std::find_if(existing->begin(), existing->end(),
                                          [&](const auto& c) { return c.first == column.name; });
          if (found == existing->end()) {
            db.Execute(AddColumnSql(dialect, core_.schema_name(), table, column));
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
    has_replace_ = has_replace_ || write->mode == WriteMode::kReplace;
    write->staging = db.CreateStaging(StagingName(name), layout.columns);
    write->layout = std::make_shared<const StreamLayout>(std::move(layout));
    by_layout_[write->layout.get()] = write.get();
    streams_.push_back(std::move(write));
  }
  core_.RegisterStreams(source_name_, catalog.streams, table_keys);
  last_commit_ = std::chrono::steady_clock::now();
}

CacheWriter::~CacheWriter() {
  // Staging tables drop themselves; an open transaction (a failed commit) was rolled back.
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

WriteMode CacheWriter::mode(const std::string& stream) const {
  const StreamWrite* write = Find({.name = stream});
  return write == nullptr ? WriteMode::kAppend : write->mode;
}

void CacheWriter::Write(const RecordBatch& batch) {
  const auto it = by_layout_.find(batch.layout.get());
  if (it == by_layout_.end()) {
    throw Error(ErrorKind::kInternal, "A record batch has no stream in this read.");
  }
  it->second->staging->Append(batch);
  it->second->staged_rows += batch.rows;
  if (it->second->mode != WriteMode::kReplace) staged_rows_ += batch.rows;
}

void CacheWriter::OnState(const protocol::StateMessage& state) {
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
  const auto elapsed = std::chrono::steady_clock::now() - last_commit_;
  if (staged_rows_ >= options_.commit_rows || elapsed >= options_.commit_interval) {
    Commit(/*final=*/false);
  }
}

void CacheWriter::Finish() {
  Commit(/*final=*/true);
  finished_ = true;
  core_.backend().Checkpoint();
}

void CacheWriter::Commit(bool final) {
  CacheBackend& db = core_.backend();
  const SqlDialect& dialect = core_.dialect();
  const std::string& schema = core_.schema_name();
  for (const auto& write : streams_) write->staging->Flush();

  std::vector<StreamWrite*> moved;
  std::int64_t moved_rows = 0;
  db.Begin();
  try {
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
      } else if (write->staged_rows > 0) {
        if (write->mode == WriteMode::kAppend) {
          db.Execute(InsertSelectSql(final_table, layout.columns, staging));
        } else {
          const std::string source = "(" +
                                     DedupedSelectSql(staging, layout.columns, layout.primary_key,
                                                      write->staging->order_column()) +
                                     ")";
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
  } catch (...) {
    db.Rollback();
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
    write->staging->Clear();
    write->staged_rows = 0;
  }
  committed_records_ += moved_rows;
  staged_rows_ = 0;
  last_commit_ = std::chrono::steady_clock::now();
}

}  // namespace airbyte::caches
