#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/records.h"
#include "executors/executor.h"

namespace airbyte::sources {

/// A sorted copy of `object` with every key lower-cased (PyAirbyte's record == dict rule).
nlohmann::json LowerKeysForCompare(const Json& object);

/// Maps record keys to a stream's "index case" and builds StreamRecords (behavior doc 6.4).
/// Immutable after construction; thread-safe.
class StreamRecordHandler {
 public:
  StreamRecordHandler(const Json& json_schema, bool normalize_keys, bool prune_extra_fields);

  /// Property names of the schema, in schema order (original case).
  const std::vector<std::string>& properties() const { return properties_; }
  /// The key a record stores `key` under: normalized when normalizing keys, else the schema's
  /// spelling of the property with the same normalized name, else `key` itself. Throws
  /// Error(kNameNormalization) for a key that normalizes to nothing ("+").
  std::string ToIndexCase(std::string_view key) const;
  /// True when `index_key` is a schema property (in index case) or an internal column.
  bool IsKnownKey(std::string_view index_key) const;
  bool prune() const { return prune_; }

  /// A record from a RECORD message's data: every property (null when missing), the data's
  /// keys mapped to index case (undeclared ones dropped when pruning), then the internal
  /// columns `_airbyte_raw_id` (UUIDv7), `_airbyte_extracted_at` (emitted_at, UTC) and
  /// `_airbyte_meta` ({}).
  Json BuildRecord(const Json& data, std::int64_t emitted_at_ms) const;

 private:
  std::vector<std::string> properties_;
  std::vector<std::string> index_keys_;
  std::map<std::string, std::string, std::less<>> pretty_case_;  // normalized -> schema spelling
  bool normalize_;
  bool prune_;
};

/// Pulls the records of one stream from a running `read` (the engine behind LazyDataset).
/// Not thread-safe. The Source it came from must outlive it.
class RecordProducer {
 public:
  RecordProducer(std::string stream_name, std::shared_ptr<const StreamRecordHandler> handler,
                 std::unique_ptr<executors::MessageStream> messages,
                 std::function<void(const protocol::ControlMessage&)> on_control,
                 std::optional<std::size_t> limit);
  ~RecordProducer();

  /// The next record of the stream, or nullopt at the end (or after `limit` records, when the
  /// connector is stopped). Throws Error when the connector fails.
  std::optional<StreamRecord> Next();
  /// Stops the connector now. Idempotent.
  void Close();

  const std::string& stream_name() const { return stream_name_; }
  const StreamRecordHandler& handler() const { return *handler_; }

 private:
  std::string stream_name_;
  std::shared_ptr<const StreamRecordHandler> handler_;
  std::unique_ptr<executors::MessageStream> messages_;
  std::function<void(const protocol::ControlMessage&)> on_control_;
  std::optional<std::size_t> limit_;
  std::size_t produced_ = 0;
};

}  // namespace airbyte::sources
