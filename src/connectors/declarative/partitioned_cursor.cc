#include "connectors/declarative/partitioned_cursor.h"

#include <utility>

#include "airbyte/error.h"

namespace airbyte::declarative {

namespace {

// json.loads(json.dumps(value, sort_keys=True)): object keys sorted at every level.
Json SortKeys(const Json& value) {
  if (value.is_object()) {
    std::map<std::string, const Json*> sorted;
    for (auto it = value.begin(); it != value.end(); ++it) sorted[it.key()] = &it.value();
    Json out = Json::object();
    for (const auto& [key, item] : sorted) out[key] = SortKeys(*item);
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& item : value) out.push_back(SortKeys(item));
    return out;
  }
  return value;
}

}  // namespace

PartitionedCursor::PartitionedCursor(
    std::function<std::unique_ptr<DatetimeBasedCursor>()> make_cursor)
    : make_cursor_(std::move(make_cursor)) {
  std::unique_ptr<DatetimeBasedCursor> probe = make_cursor_();
  start_field_ = probe->partition_field_start();
  end_field_ = probe->partition_field_end();
  cursor_field_ = probe->cursor_field();
}

std::string PartitionedCursor::Key(const Json& partition_or_slice) const {
  Json partition = partition_or_slice;
  if (partition.is_object()) {
    partition.erase(start_field_);
    partition.erase(end_field_);
    partition.erase("extra_fields");
  }
  return SortKeys(partition).dump();
}

void PartitionedCursor::SetState(const Json& stream_state) {
  entries_.clear();
  index_.clear();
  global_state_ = Json();
  new_global_state_ = Json();
  parent_state_ = Json();
  lookback_seconds_ = 0;
  if (!stream_state.is_object() || stream_state.empty()) return;

  if (auto it = stream_state.find("parent_state"); it != stream_state.end()) parent_state_ = *it;
  if (auto it = stream_state.find("lookback_window"); it != stream_state.end() &&
                                                      it->is_number()) {
    lookback_seconds_ = it->get<std::int64_t>();
  }
  if (auto it = stream_state.find("state"); it != stream_state.end() && it->is_object()) {
    global_state_ = *it;
  } else if (!stream_state.contains("states") && stream_state.contains(cursor_field_)) {
    global_state_ = Json{{cursor_field_, stream_state[cursor_field_]}};
  }
  new_global_state_ = global_state_;
  if (auto it = stream_state.find("states"); it != stream_state.end() && it->is_array()) {
    for (const Json& item : *it) {
      if (!item.is_object() || !item.contains("partition")) {
        throw Error(ErrorKind::kInput, "A per-partition state entry has no partition.",
                    {.context = {{"cursor_field", cursor_field_}}});
      }
      std::string key = Key(item["partition"]);
      std::unique_ptr<DatetimeBasedCursor> cursor = make_cursor_();
      cursor->SetState(item.value("cursor", Json::object()));
      if (auto found = index_.find(key); found != index_.end()) {
        entries_[found->second].cursor = std::move(cursor);
        continue;
      }
      index_[key] = entries_.size();
      entries_.push_back(Entry{.partition = SortKeys(item["partition"]), .cursor = std::move(cursor)});
    }
  }
}

PartitionedCursor::Entry& PartitionedCursor::GetOrCreate(const Json& partition) {
  std::string key = Key(partition);
  if (auto found = index_.find(key); found != index_.end()) return entries_[found->second];
  std::unique_ptr<DatetimeBasedCursor> cursor = make_cursor_();
  if (!global_state_.is_null()) {
    cursor->SetRuntimeLookback(lookback_seconds_);
    cursor->SetState(global_state_);
  }
  index_[key] = entries_.size();
  entries_.push_back(Entry{.partition = Json::parse(key), .cursor = std::move(cursor)});
  return entries_.back();
}

std::vector<Json> PartitionedCursor::Slices(const Json& partition) {
  Entry& entry = GetOrCreate(partition);
  std::vector<Json> out;
  for (const Json& window : entry.cursor->Slices()) {
    Json slice = partition;
    for (auto it = window.begin(); it != window.end(); ++it) slice[it.key()] = it.value();
    out.push_back(std::move(slice));
  }
  return out;
}

void PartitionedCursor::Observe(const Json& slice, const Json& record) {
  GetOrCreate(slice).cursor->Observe(slice, record);
}

void PartitionedCursor::Close(const Json& slice) { GetOrCreate(slice).cursor->Close(slice); }

void PartitionedCursor::ClosePartition(const Json& partition) {
  Json value = GetOrCreate(partition).cursor->State();
  const Json& candidate = value[cursor_field_];
  // The reference compares the formatted values as strings.
  if (new_global_state_.is_null() || !new_global_state_.contains(cursor_field_) ||
      new_global_state_[cursor_field_] < candidate) {
    new_global_state_ = Json{{cursor_field_, candidate}};
  }
}

void PartitionedCursor::Finish(std::int64_t lookback_seconds) {
  global_state_ = new_global_state_;
  lookback_seconds_ = lookback_seconds;
}

Json PartitionedCursor::State(const Json& parent_state) const {
  Json states = Json::array();
  for (const Entry& entry : entries_) {
    states.push_back(Json{{"partition", entry.partition}, {"cursor", entry.cursor->State()}});
  }
  Json out = {{"use_global_cursor", false}, {"states", std::move(states)}};
  if (!global_state_.is_null()) out["state"] = global_state_;
  out["lookback_window"] = lookback_seconds_;
  if (!parent_state.is_null()) out["parent_state"] = parent_state;
  return out;
}

const DatetimeBasedCursor* PartitionedCursor::cursor(const Json& partition) const {
  auto found = index_.find(Key(partition));
  return found == index_.end() ? nullptr : entries_[found->second].cursor.get();
}

}  // namespace airbyte::declarative
