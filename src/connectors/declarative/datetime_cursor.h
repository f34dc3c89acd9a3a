#pragma once

/// The declarative DatetimeBasedCursor, with the semantics of the Python CDK 7 concurrent engine
/// (ConcurrentCursor + CustomFormatConcurrentStreamStateConverter, sequential state output).
///
/// Example (one stream, no partitions):
///   DatetimeBasedCursor cursor(component, config, interpolator, clock);
///   cursor.SetState(incoming_stream_state);           // {"updated": "..."} or null
///   for (const Json& slice : cursor.Slices()) {        // {"start_time": "...", "end_time": "..."}
///     for (const Json& record : ReadAllPages(slice)) cursor.Observe(slice, record);
///     cursor.Close(slice);
///     Emit(cursor.State());                            // the reference emits after every window
///   }
///   Emit(cursor.State());                              // and once more at the end
///
/// The state is a list of closed intervals (start, end, newest record), merged when one starts
/// within one cursor_granularity of the previous end; the emitted value is the newest record of
/// the first merged interval, else its start (docs/declarative.md section 9.6). Window bounds are
/// re-parsed from their formatted text, so a lossy datetime_format keeps windows apart.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "airbyte/json.h"
#include "connectors/declarative/interpolation/interpolator.h"
#include "connectors/declarative/interpolation/value.h"

namespace airbyte::declarative {

class DatetimeBasedCursor {
 public:
  /// `component` is a resolved DatetimeBasedCursor (with "$parameters"). Evaluates cursor_field,
  /// step, cursor_granularity, lookback_window and start_datetime now. Throws Error(kInput) for
  /// invalid definitions (step without cursor_granularity or the reverse, bad durations) and for
  /// a start that does not match its format (the CDK's config error).
  DatetimeBasedCursor(const Json& component, const Json& config, Interpolator& interpolator,
                      std::function<std::int64_t()> now_micros);

  /// Incoming stream state: sequential {"<cursor_field>": value}, or concurrent
  /// {"state_type": "date-range", "slices": [...]}; null or {} = none. Throws Error(kInput) when
  /// a value does not parse with cursor_datetime_formats / datetime_format.
  void SetState(const Json& stream_state);

  /// A lookback in seconds from a per-partition state's "lookback_window"; the larger of it and
  /// the manifest's lookback_window applies. Call before SetState.
  void SetRuntimeLookback(std::int64_t seconds);

  /// The windows to read, in order: {"<partition_field_start>": s, "<partition_field_end>": e},
  /// formatted with datetime_format. Evaluates end_datetime (or now) at this call.
  std::vector<Json> Slices();

  /// A record read while reading `slice`; keeps the newest parsable cursor value of the slice.
  void Observe(const Json& slice, const Json& record);
  /// `slice` finished successfully (all pages read): it joins the state.
  void Close(const Json& slice);

  /// The sequential state the reference emits now: {"<cursor_field>": "<formatted value>"}.
  Json State() const;

  bool is_data_feed() const { return is_data_feed_; }
  bool is_client_side_incremental() const { return is_client_side_incremental_; }
  /// The reference's `not should_be_synced(record)`: the cursor value parses and lies outside
  /// [sync start (start or state), end]. With is_data_feed, pagination stops after a page
  /// holding such a record and the record is dropped.
  bool IsOlderThanState(const Json& record) const;
  /// is_client_side_incremental filtering: keep records inside [sync start, end] and records
  /// without a parsable cursor value.
  bool KeepRecord(const Json& slice, const Json& record) const;

  const std::string& cursor_field() const { return cursor_field_; }
  const std::string& partition_field_start() const { return partition_field_start_; }
  const std::string& partition_field_end() const { return partition_field_end_; }
  const std::string& datetime_format() const { return datetime_format_; }

 private:
  struct Interval {
    std::int64_t start = 0;  // micros since the epoch, UTC
    std::int64_t end = 0;
    std::optional<std::int64_t> most_recent = {};
  };

  Json Context() const;
  std::optional<Duration> EvalDuration(const Json& component, const char* field) const;
  std::int64_t EvalMinMax(const Json& spec, const char* field) const;
  std::int64_t EvalEnd() const;
  // Parses with cursor_datetime_formats, then datetime_format; nullopt if none matches.
  std::optional<std::int64_t> ParseValue(const Json& value) const;
  // The same, keeping the UTC offset the value was written with.
  std::optional<DateTime> ParseDateTimeValue(const Json& value) const;
  std::optional<std::int64_t> RecordValue(const Json& record) const;
  std::string Format(std::int64_t micros) const;
  // A record's value is written back in its own UTC offset, as Python's strftime does.
  std::string FormatRecordValue(std::int64_t micros) const;
  std::int64_t Increment(std::int64_t micros) const;
  std::vector<Interval> Merge(std::vector<Interval> intervals) const;
  void Split(std::int64_t lower, std::int64_t upper, bool upper_is_end,
             std::vector<Json>& out) const;
  bool ShouldBeSynced(const Json& record) const;
  std::pair<std::string, std::string> SliceKey(const Json& slice) const;

  Interpolator& interpolator_;
  Json config_;
  Json parameters_;
  // UTC offsets of the record cursor values seen (micros -> offset seconds).
  std::map<std::int64_t, std::int32_t> record_offsets_;
  std::function<std::int64_t()> now_micros_;
  Json end_spec_;  // end_datetime as given; null = now

  std::string cursor_field_;
  std::string datetime_format_;
  std::vector<std::string> parse_formats_;  // cursor_datetime_formats + datetime_format
  std::string partition_field_start_ = "start_time";
  std::string partition_field_end_ = "end_time";
  std::optional<Duration> step_;
  std::optional<Duration> granularity_;
  std::optional<Duration> lookback_;
  bool is_data_feed_ = false;
  bool is_client_side_incremental_ = false;

  std::int64_t start_ = 0;       // evaluated start_datetime
  std::int64_t sync_start_ = 0;  // max(start, state)
  std::vector<Interval> intervals_;
  // Newest cursor value per open window, keyed by the window's formatted bounds.
  std::map<std::pair<std::string, std::string>, std::int64_t> most_recent_;
};

}  // namespace airbyte::declarative
