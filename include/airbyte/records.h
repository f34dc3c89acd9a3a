#pragma once

/// Records read from a source: StreamRecord (a dict-like record with case-insensitive keys)
/// and LazyDataset (a single-pass range of them backed by a running connector).
///
/// Example:
///   airbyte::LazyDataset records = source.GetRecords("users", {.limit = 10});
///   for (const airbyte::StreamRecord& record : records) {
///     std::cout << record.at("Name") << "\n";   // same as record.at("name")
///   }

#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "airbyte/json.h"

namespace airbyte {

namespace sources {
class StreamRecordHandler;
class RecordProducer;
}  // namespace sources

/// One record of a stream, PyAirbyte's StreamRecord (behavior doc 6.4).
///
/// Holds every property of the stream's schema (missing ones null), plus `_airbyte_raw_id`,
/// `_airbyte_extracted_at` and `_airbyte_meta`. Keys are looked up exactly first, then by their
/// normalized (lower-cased) form, so `record.at("NAME")` finds "name". Copyable value.
class StreamRecord {
 public:
  StreamRecord(std::shared_ptr<const sources::StreamRecordHandler> handler,
               const Json& data);
  StreamRecord(const StreamRecord& other);
  StreamRecord(StreamRecord&& other) noexcept;
  StreamRecord& operator=(const StreamRecord& other);
  StreamRecord& operator=(StreamRecord&& other) noexcept;
  ~StreamRecord();

  /// The value for `key`. Throws Error(kInput) when the record has no such key.
  const Json& at(std::string_view key) const;
  bool contains(std::string_view key) const;
  /// Sets `key` (mapped to its index case); ignored when pruning and the key is undeclared.
  void Set(std::string_view key, const Json& value);
  /// Removes `key`; throws Error(kInput) when absent.
  void Erase(std::string_view key);
  /// The stored keys and values (dict(record) in PyAirbyte).
  const Json& ToJson() const;
  std::size_t size() const;

  /// Equal to a JSON object when both match with all keys lower-cased (PyAirbyte's rule).
  bool operator==(const Json& other) const;
  bool operator==(const StreamRecord& other) const;

 private:
  std::shared_ptr<const sources::StreamRecordHandler> handler_;
  std::unique_ptr<Json> data_;
};

/// A single-pass range of StreamRecords read lazily from a running connector
/// (PyAirbyte's LazyDataset). Iterating pulls records from the connector; stopping early
/// (Close(), destruction, or a `limit`) terminates it. Move-only; not thread-safe.
class LazyDataset {
 public:
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = StreamRecord;
    using difference_type = std::ptrdiff_t;
    using pointer = const StreamRecord*;
    using reference = const StreamRecord&;

    Iterator() = default;
    reference operator*() const { return *owner_->current_; }
    pointer operator->() const { return &*owner_->current_; }
    Iterator& operator++() {
      owner_->Advance();
      return *this;
    }
    void operator++(int) { owner_->Advance(); }
    friend bool operator==(const Iterator& it, std::default_sentinel_t) { return it.at_end(); }

   private:
    friend class LazyDataset;
    explicit Iterator(LazyDataset* owner) : owner_(owner) {}
    bool at_end() const { return owner_ == nullptr || !owner_->current_; }
    LazyDataset* owner_ = nullptr;
  };

  explicit LazyDataset(std::unique_ptr<sources::RecordProducer> producer);
  LazyDataset(LazyDataset&& other) noexcept;
  LazyDataset& operator=(LazyDataset&& other) noexcept;
  ~LazyDataset();

  /// Starts (or continues) the single pass. Throws Error if the connector fails.
  Iterator begin();
  std::default_sentinel_t end() const { return {}; }

  /// Reads all remaining records into memory.
  std::vector<StreamRecord> FetchAll();
  /// Stops the connector; later iteration yields nothing. Idempotent.
  void Close();
  /// Property names of the stream's schema, in schema order (original case).
  std::vector<std::string> column_names() const;
  const std::string& stream_name() const;

 private:
  void Advance();

  std::unique_ptr<sources::RecordProducer> producer_;
  std::optional<StreamRecord> current_;
  bool started_ = false;
};

}  // namespace airbyte
