#pragma once

/// The outcome of Source::Read() (PyAirbyte's ReadResult, behavior doc 6.2).

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "airbyte/dataset.h"

namespace airbyte {

namespace caches {
class CacheCore;
}  // namespace caches

/// What one read processed: the streams it selected (in selection order), record counts, and
/// datasets over their tables. Datasets need the cache to stay open. A value type.
class ReadResult {
 public:
  ReadResult(std::string source_name, std::vector<std::string> processed_streams,
             std::map<std::string, std::int64_t> stream_records, std::int64_t processed_records,
             std::shared_ptr<caches::CacheCore> core);

  const std::string& source_name() const { return source_name_; }
  /// RECORD messages read from the source in this read (all streams).
  std::int64_t processed_records() const { return processed_records_; }
  /// Records read per stream in this read.
  std::int64_t StreamRecords(std::string_view stream) const;
  /// The streams of this read, in selection order.
  const std::vector<std::string>& stream_names() const { return streams_; }
  std::size_t size() const { return streams_.size(); }
  bool Contains(std::string_view stream) const;
  /// The dataset of a stream of this read; Error(kStreamNotFound) for any other stream (even
  /// one that is in the cache), as PyAirbyte's KeyError.
  CachedDataset operator[](std::string_view stream) const;
  std::map<std::string, CachedDataset> Streams() const;
  const std::shared_ptr<caches::CacheCore>& cache_core() const { return core_; }

 private:
  std::string source_name_;
  std::vector<std::string> streams_;
  std::map<std::string, std::int64_t> stream_records_;
  std::int64_t processed_records_ = 0;
  std::shared_ptr<caches::CacheCore> core_;
};

}  // namespace airbyte
