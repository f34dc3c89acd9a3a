#include "airbyte/read_result.h"

#include <algorithm>
#include <utility>

#include "airbyte/error.h"

namespace airbyte {

ReadResult::ReadResult(std::string source_name, std::vector<std::string> processed_streams,
                       std::map<std::string, std::int64_t> stream_records,
                       std::int64_t processed_records, std::shared_ptr<caches::CacheCore> core)
    : source_name_(std::move(source_name)),
      streams_(std::move(processed_streams)),
      stream_records_(std::move(stream_records)),
      processed_records_(processed_records),
      core_(std::move(core)) {}

std::int64_t ReadResult::StreamRecords(std::string_view stream) const {
  const auto it = stream_records_.find(std::string(stream));
  return it == stream_records_.end() ? 0 : it->second;
}

bool ReadResult::Contains(std::string_view stream) const {
  return std::find(streams_.begin(), streams_.end(), stream) != streams_.end();
}

CachedDataset ReadResult::operator[](std::string_view stream) const {
  if (!Contains(stream)) {
    throw Error(ErrorKind::kStreamNotFound, "The stream was not part of this read.",
                {.guidance = "Use the cache to reach streams of earlier reads.",
                 .context = {{"stream_name", std::string(stream)}}});
  }
  return CachedDataset(core_, std::string(stream));
}

std::map<std::string, CachedDataset> ReadResult::Streams() const {
  std::map<std::string, CachedDataset> datasets;
  for (const std::string& stream : streams_) datasets.emplace(stream, CachedDataset(core_, stream));
  return datasets;
}

}  // namespace airbyte
