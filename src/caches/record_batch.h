#pragma once

/// Column-oriented batches of converted records, built on the reader thread and loaded by a
/// backend on the writer thread.
///
///   RecordBatchBuilder builder(layout);
///   builder.AddJson(R"({"id": 1, "name": "a"})", emitted_at_ms, /*meta=*/nullptr);
///   RecordBatch batch = builder.Take();   // batch.rows == 1, one ColumnData per column
///
/// Values are converted to each column's SqlType here, once, so that backends only copy.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "airbyte/json.h"
#include "caches/sql_types.h"
#include "protocol/message.h"

namespace airbyte::protocol {
struct RecordDataObject;
}  // namespace airbyte::protocol

namespace airbyte::caches {

/// A DECIMAL(38, 9) value: the number times 10^9 as a two's-complement 128-bit integer
/// (the same layout as duckdb_hugeint).
struct Int128 {
  std::uint64_t lower = 0;
  std::int64_t upper = 0;
  friend bool operator==(const Int128&, const Int128&) = default;
};

/// One column of a batch. Exactly one value vector is used, by type:
///   kBigint, kBoolean (0/1), kDate (days), kTime (us), kTimestamp/kTimestampTz (us): `ints`;
///   kDecimal: `decimals`; kDouble: `doubles`;
///   kVarchar, kJson: `text` + `offsets` (row i is text[offsets[i], offsets[i + 1]), so
///   `offsets` has rows + 1 entries starting at 0).
/// `valid[i]` is 0 for SQL NULL (the value slot then holds a zero/empty placeholder).
/// `text` is valid UTF-8 (writers hand it to the database unchecked).
struct ColumnData {
  SqlType type = SqlType::kVarchar;
  std::vector<std::uint8_t> valid = {};
  std::vector<std::int64_t> ints = {};
  std::vector<Int128> decimals = {};
  std::vector<double> doubles = {};
  std::string text = {};
  std::vector<std::uint32_t> offsets = {};

  std::string_view TextAt(std::size_t row) const {
    return std::string_view(text).substr(offsets[row], offsets[row + 1] - offsets[row]);
  }
};

/// Converted records of one stream, columns in StreamLayout order.
struct RecordBatch {
  StreamLayoutPtr layout = {};
  std::size_t rows = 0;
  std::vector<ColumnData> columns = {};
  /// Bytes of record data that went in (for progress and batch sizing).
  std::size_t input_bytes = 0;
};

/// Converts records into a RecordBatch for one stream layout. Not thread-safe; one per stream
/// on the reader thread.
///
/// Conversion rules (PyAirbyte's StreamRecordHandler with normalize_keys and pruning, then the
/// column type): a data key goes to the column whose property it names exactly, else to the
/// column whose name equals the key's normalized form; keys matching no column are dropped;
/// a later duplicate overwrites an earlier one; missing properties are NULL.
/// Per type:
///   kVarchar: strings as is; numbers and booleans as their JSON text; objects and arrays as
///     JSON text with Python's json.dumps separators (", " and ": "), as PyAirbyte stores them.
///   kBigint: integers; numbers with an integral value; numeric strings.
///   kDecimal: any number or numeric string, exactly when it has at most 29 integer and 9
///     fraction digits (more fraction digits are rounded half-even).
///   kDouble: numbers and numeric strings.
///   kBoolean: booleans; the strings "true"/"false" (any case).
///   kDate / kTime / kTimestamp / kTimestampTz: ISO-8601 text (date, time with optional
///     fraction and offset, date-time with 'T' or ' ', optional fraction, 'Z' or ±hh:mm
///     offset; a date alone is midnight). Timestamps with an offset are converted to UTC;
///     naive ones are taken as UTC.
///   kJson: compact JSON text of any value (strings are JSON-quoted).
/// A value that cannot be converted becomes NULL and adds a change
///   {"field": <property>, "change": "NULLED", "reason": "DESTINATION_SERIALIZATION_ERROR"}
/// to the row's _airbyte_meta, which also carries the source record's meta.changes:
/// `{}` when there are none, else `{"changes":[...]}` (compact JSON).
/// _airbyte_raw_id is a fresh UUIDv7; _airbyte_extracted_at is emitted_at (ms) in us.
class RecordBatchBuilder {
 public:
  explicit RecordBatchBuilder(StreamLayoutPtr layout);
  ~RecordBatchBuilder();
  RecordBatchBuilder(RecordBatchBuilder&&) noexcept;
  RecordBatchBuilder& operator=(RecordBatchBuilder&&) noexcept;

  /// Adds a record whose data is JSON text (an object). Throws Error(kProtocol) naming the
  /// stream if `data_json` is not a JSON object. `meta` may be null or the record's meta.
  void AddJson(std::string_view data_json, std::int64_t emitted_at_ms, const Json& meta);
  /// Adds a record from typed values (native connectors).
  void AddTyped(const protocol::TypedRecord& record, std::int64_t emitted_at_ms,
                const Json& meta);
  /// Adds a RECORD message (typed when it has typed values, else its JSON data).
  void Add(const protocol::RecordMessage& record);
  /// AddJson in one pass with the message parser, for a protocol::RecordDataSink: reads the
  /// `data` object of the line being parsed into a pending row (same rules and errors as
  /// AddJson), whose values point into the parser's buffers...
  void BeginJsonRow(const protocol::RecordDataObject& data);
  /// ...and adds that row once the rest of the record is known, before the parser moves on.
  /// Any other Add*() first discards a pending row.
  void FinishJsonRow(std::size_t data_bytes, std::int64_t emitted_at_ms, const Json& meta);

  std::size_t rows() const;
  /// Input bytes added since the last Take().
  std::size_t bytes() const;
  /// Returns the rows added so far and starts a new, empty batch.
  RecordBatch Take();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// Rows for a parallel bulk insert (CacheBackend::BulkInsert, DuckDbConnection::InsertFrom).
/// The database's worker threads call Next(), one call at a time (the inserter serializes
/// them), so implementations need no locking of their own.
class InsertSource {
 public:
  virtual ~InsertSource() = default;
  /// The next rows to insert: rows [start, start + count) of `batch` (count ≤ 2048), or
  /// false at the end. May throw; the insert then fails with that exception.
  virtual bool Next(std::shared_ptr<const RecordBatch>& batch, std::size_t& start,
                    std::size_t& count) = 0;
};

}  // namespace airbyte::caches
