#pragma once

/// Datasets over cache tables (PyAirbyte's CachedDataset / SQLDataset, behavior doc 6.1).
///
///   airbyte::CachedDataset users = result["users"];
///   std::cout << users.Count() << " rows\n";
///   for (const airbyte::Json& row : users.WithFilter("age > 30")) std::cout << row.dump() << "\n";
///   users.ToParquet("users.parquet");

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "airbyte/json.h"

// The Arrow C stream interface (https://arrow.apache.org/docs/format/CStreamInterface.html),
// declared as the Arrow project specifies, unless the user's Arrow headers already did.
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};
struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};
#endif
#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
struct ArrowArrayStream {
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);
  void (*release)(struct ArrowArrayStream*);
  void* private_data;
};
#endif

namespace airbyte {

namespace caches {
class CacheCore;
}  // namespace caches

/// The rows of one stream's table in a cache, optionally filtered. Rows are JSON objects keyed
/// by the table's column names (normalized, plus the three _airbyte_* columns).
/// Copyable (copies share the cache); each iteration runs a fresh query on its own
/// connection, so iterating twice yields the rows twice. Not thread-safe per object. The
/// cache's Close() invalidates datasets: using one then throws Error(kCache).
class CachedDataset {
 public:
  CachedDataset(std::shared_ptr<caches::CacheCore> core, std::string stream_name,
                std::vector<std::string> filters = {});

  const std::string& stream_name() const { return stream_name_; }
  /// The SQL table name (normalized, with the cache's prefix).
  std::string table_name() const;
  /// SELECT * FROM "schema"."table" [WHERE f1 AND f2 ...].
  std::string query() const;
  /// Column names of the table, in table order.
  std::vector<std::string> column_names() const;
  /// Number of rows (SELECT count(*)); computed on each call.
  std::size_t Count() const;

  /// A new dataset with `sql_expression` added to the WHERE clause (ANDed; raw SQL).
  CachedDataset WithFilter(std::string sql_expression) const;

  /// Single-pass input range over the rows; the query streams in chunks (constant memory).
  class Iterator;
  class Rows {
   public:
    Iterator begin();
    std::default_sentinel_t end() { return {}; }
   private:
    friend class CachedDataset;
    struct State;
    explicit Rows(std::shared_ptr<State> state) : state_(std::move(state)) {}
    std::shared_ptr<State> state_;
  };
  class Iterator {
   public:
    using value_type = Json;
    using difference_type = std::ptrdiff_t;
    const Json& operator*() const;
    const Json* operator->() const { return &**this; }
    Iterator& operator++();
    void operator++(int) { ++*this; }
    friend bool operator==(const Iterator& it, std::default_sentinel_t) { return it.done(); }
   private:
    friend class Rows;
    explicit Iterator(Rows::State* state) : state_(state) {}
    bool done() const;
    Rows::State* state_ = nullptr;
  };
  /// Starts a query over the rows (each call a new pass).
  Rows rows() const;

  /// All rows in memory.
  std::vector<Json> FetchAll() const;

  /// Writes the rows with DuckDB's COPY: Parquet, CSV (header row) or JSON lines. Throws
  /// Error(kCache) naming the path.
  void ToParquet(const std::filesystem::path& path) const;
  void ToCsv(const std::filesystem::path& path) const;
  void ToJsonl(const std::filesystem::path& path) const;
  /// The rows as an Arrow C stream, streamed in record batches of up to 2048 rows; the
  /// caller calls its release(). Needs the cache to stay open while it is consumed.
  ArrowArrayStream ToArrowStream() const;

  /// Same cache object and same stream (filters ignored, as PyAirbyte).
  friend bool operator==(const CachedDataset& a, const CachedDataset& b) {
    return a.core_ == b.core_ && a.stream_name_ == b.stream_name_;
  }

 private:
  std::shared_ptr<caches::CacheCore> core_;
  std::string stream_name_;
  std::vector<std::string> filters_;
};

}  // namespace airbyte
