#pragma once

/// Per-partition DatetimeBasedCursors for a stream with partition routers, with the state shape
/// of the CDK 7 ConcurrentPerPartitionCursor (docs/declarative.md section 10.3):
///   {"use_global_cursor": false,
///    "states": [{"partition": {...keys sorted...}, "cursor": {"<cursor_field>": "..."}}, ...],
///    "state": {"<cursor_field>": "..."}, "lookback_window": 0, "parent_state": {...}}
///
/// Example:
///   PartitionedCursor cursor([&] { return std::make_unique<DatetimeBasedCursor>(...); });
///   cursor.SetState(incoming);                       // parent_state() feeds the parent read
///   for (const Json& partition : router_partitions) {
///     for (const Json& slice : cursor.Slices(partition)) {   // partition + window keys
///       for (const Json& record : ReadAllPages(slice)) cursor.Observe(slice, record);
///       cursor.Close(slice);
///     }
///     cursor.ClosePartition(partition);
///   }
///   cursor.Finish();
///   Emit(cursor.State(parent_state));
///
/// Partitions keep the order of the incoming state, then the order they are first sliced. A
/// partition missing from the incoming state starts from the incoming global "state" (with the
/// incoming lookback_window), else from the configured start. Until Finish(), "state" is the
/// incoming global value (the reference only replaces it at the end of the stream); after, the
/// newest cursor value of the partitions closed in this run (or the incoming one if newer).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "airbyte/json.h"
#include "connectors/declarative/datetime_cursor.h"

namespace airbyte::declarative {

class PartitionedCursor {
 public:
  explicit PartitionedCursor(std::function<std::unique_ptr<DatetimeBasedCursor>()> make_cursor);

  /// The per-partition form above; null or {} = none. A sequential {"<cursor_field>": v} is taken
  /// as the global state (the CDK's migration path). Keeps "parent_state" for parent_state().
  void SetState(const Json& stream_state);
  /// The incoming "parent_state", or null.
  const Json& parent_state() const { return parent_state_; }

  /// The windows of one partition ({"<field>": value, "parent_slice": {...}} or a list-router
  /// value map); each returned slice is the partition's keys followed by the window's keys.
  std::vector<Json> Slices(const Json& partition);
  void Observe(const Json& slice, const Json& record);
  void Close(const Json& slice);
  /// All windows of `partition` closed successfully: its cursor value joins the global value.
  void ClosePartition(const Json& partition);
  /// The stream ended: State() then reports the new global value and `lookback_seconds`
  /// (the reference's sync duration; 0 under a frozen clock).
  void Finish(std::int64_t lookback_seconds = 0);

  /// The per-partition state; "parent_state" is included when `parent_state` is not null.
  Json State(const Json& parent_state) const;

  /// The cursor of a partition already sliced (or from the state), or null.
  const DatetimeBasedCursor* cursor(const Json& partition) const;

 private:
  struct Entry {
    Json partition;  // keys sorted recursively, as the reference writes them
    std::unique_ptr<DatetimeBasedCursor> cursor;
  };

  std::string Key(const Json& partition_or_slice) const;
  Entry& GetOrCreate(const Json& partition);

  std::function<std::unique_ptr<DatetimeBasedCursor>()> make_cursor_;
  std::vector<Entry> entries_;
  std::map<std::string, std::size_t> index_;  // Key(partition) -> entries_ position
  std::string start_field_;                   // window keys, stripped from slices
  std::string end_field_;
  std::string cursor_field_;
  Json global_state_;      // the incoming "state" (null if none)
  Json new_global_state_;  // the value reported after Finish()
  Json parent_state_;
  std::int64_t lookback_seconds_ = 0;
};

}  // namespace airbyte::declarative
