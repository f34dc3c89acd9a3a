#include "connectors/declarative/datetime_cursor.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "airbyte/error.h"
#include "connectors/declarative/interpolation/datetime_format.h"
#include "connectors/declarative/interpolation/eval_error.h"

namespace airbyte::declarative {

namespace {

// MinMaxDatetime's format when neither it nor the cursor names one.
constexpr const char* kDefaultMinMaxFormat = "%Y-%m-%dT%H:%M:%S.%f%z";
// The state converter's increment when no cursor_granularity is given.
constexpr std::int64_t kDefaultIncrementMicros = 1'000;

std::string StringField(const Json& component, const char* field) {
  auto it = component.find(field);
  if (it == component.end() || it->is_null()) return "";
  return PyStr(*it);
}

DateTime Utc(std::int64_t micros) { return DateTime{.micros = micros, .offset_seconds = 0}; }

std::int64_t AddSafely(std::int64_t micros, const Duration& d, int sign) {
  try {
    return AddDuration(Utc(micros), d, sign).micros;
  } catch (const EvalError&) {  // Python's OverflowError -> datetime.max / datetime.min
    return sign > 0 ? std::numeric_limits<std::int64_t>::max()
                    : std::numeric_limits<std::int64_t>::min();
  }
}

}  // namespace

DatetimeBasedCursor::DatetimeBasedCursor(const Json& component, const Json& config,
                                         Interpolator& interpolator,
                                         std::function<std::int64_t()> now_micros)
    : interpolator_(interpolator), config_(config), now_micros_(std::move(now_micros)) {
  parameters_ = component.value("$parameters", Json::object());
  const Json ctx = Context();

  cursor_field_ = PyStr(interpolator_.EvalString(StringField(component, "cursor_field"), ctx));
  datetime_format_ = StringField(component, "datetime_format");
  if (datetime_format_.empty()) {
    throw Error(ErrorKind::kInput, "DatetimeBasedCursor needs a datetime_format.",
                {.context = {{"cursor_field", cursor_field_}}});
  }
  if (auto it = component.find("cursor_datetime_formats"); it != component.end() && it->is_array()) {
    for (const Json& f : *it) parse_formats_.push_back(PyStr(f));
  }
  if (std::find(parse_formats_.begin(), parse_formats_.end(), datetime_format_) ==
      parse_formats_.end()) {
    parse_formats_.push_back(datetime_format_);
  }
  if (std::string f = StringField(component, "partition_field_start"); !f.empty()) {
    partition_field_start_ = PyStr(interpolator_.EvalString(f, ctx));
  }
  if (std::string f = StringField(component, "partition_field_end"); !f.empty()) {
    partition_field_end_ = PyStr(interpolator_.EvalString(f, ctx));
  }
  is_data_feed_ = component.value("is_data_feed", false);
  is_client_side_incremental_ = component.value("is_client_side_incremental", false);

  step_ = EvalDuration(component, "step");
  granularity_ = EvalDuration(component, "cursor_granularity");
  lookback_ = EvalDuration(component, "lookback_window");
  if (step_.has_value() != granularity_.has_value()) {
    throw Error(ErrorKind::kInput,
                "If step is defined, cursor_granularity should be as well and vice-versa.",
                {.context = {{"cursor_field", cursor_field_}}});
  }

  auto start = component.find("start_datetime");
  if (start == component.end() || start->is_null()) {
    throw Error(ErrorKind::kInput, "DatetimeBasedCursor needs a start_datetime.",
                {.context = {{"cursor_field", cursor_field_}}});
  }
  start_ = EvalMinMax(*start, "start_datetime");
  if (auto end = component.find("end_datetime"); end != component.end()) end_spec_ = *end;
  SetState(Json());
}

Json DatetimeBasedCursor::Context() const {
  return Json{{"config", config_}, {"parameters", parameters_}};
}

std::optional<Duration> DatetimeBasedCursor::EvalDuration(const Json& component,
                                                          const char* field) const {
  std::string text = StringField(component, field);
  if (text.empty()) return std::nullopt;
  std::string value = PyStr(interpolator_.EvalString(text, Context()));
  if (value.empty() || value == "None") return std::nullopt;
  try {
    return ParseIsoDuration(value);
  } catch (const EvalError& e) {
    throw Error(ErrorKind::kInput, "Invalid ISO-8601 duration in a DatetimeBasedCursor.",
                {.context = {{"field", field}, {"value", value}}, .cause = e.what()});
  }
}

std::int64_t DatetimeBasedCursor::EvalMinMax(const Json& spec, const char* field) const {
  std::string datetime;
  std::string format;
  std::string min_text;
  std::string max_text;
  Json ctx = Context();
  if (spec.is_object()) {
    datetime = StringField(spec, "datetime");
    format = StringField(spec, "datetime_format");
    min_text = StringField(spec, "min_datetime");
    max_text = StringField(spec, "max_datetime");
    if (auto p = spec.find("$parameters"); p != spec.end() && p->is_object()) {
      ctx["parameters"] = *p;
    }
  } else {
    datetime = PyStr(spec);
  }
  if (format.empty()) format = datetime_format_;
  if (format.empty()) format = kDefaultMinMaxFormat;

  auto parse = [&](const std::string& text, const char* what) {
    try {
      return Strptime(text, format).micros;
    } catch (const EvalError& e) {
      throw Error(ErrorKind::kInput,
                  "A datetime of the incremental sync does not match its declared format.",
                  {.guidance = "Check the start and end dates in the config.",
                   .context = {{"field", std::string(field) + what},
                               {"value", text},
                               {"format", format}},
                   .cause = e.what()});
    }
  };
  std::int64_t value = parse(PyStr(interpolator_.EvalString(datetime, ctx)), "");
  if (!min_text.empty()) {
    std::string text = PyStr(interpolator_.EvalString(min_text, ctx));
    if (!text.empty()) value = std::max(value, parse(text, ".min_datetime"));
  }
  if (!max_text.empty()) {
    std::string text = PyStr(interpolator_.EvalString(max_text, ctx));
    if (!text.empty()) value = std::min(value, parse(text, ".max_datetime"));
  }
  return value;
}

std::int64_t DatetimeBasedCursor::EvalEnd() const {
  if (end_spec_.is_null()) return now_micros_();
  return EvalMinMax(end_spec_, "end_datetime");
}

void DatetimeBasedCursor::SetRuntimeLookback(std::int64_t seconds) {
  if (seconds <= 0) return;
  Duration runtime{.micros = seconds * 1'000'000, .months = 0};
  if (!lookback_ || (lookback_->months == 0 && lookback_->micros < runtime.micros)) {
    lookback_ = runtime;
  }
}

void DatetimeBasedCursor::SetState(const Json& stream_state) {
  most_recent_.clear();
  auto parse_state_value = [&](const Json& value) {
    std::optional<std::int64_t> parsed = ParseValue(value);
    if (!parsed) {
      throw Error(ErrorKind::kInput, "The stream state holds a value the cursor cannot parse.",
                  {.context = {{"cursor_field", cursor_field_},
                               {"value", PyStr(value)},
                               {"datetime_format", datetime_format_}}});
    }
    return *parsed;
  };
  if (stream_state.is_object() && stream_state.value("state_type", "") == "date-range" &&
      stream_state.contains("slices") && stream_state["slices"].is_array() &&
      !stream_state["slices"].empty()) {
    // The concurrent form: the intervals themselves.
    intervals_.clear();
    for (const Json& s : stream_state["slices"]) {
      Interval interval{.start = parse_state_value(s.at("start")),
                        .end = parse_state_value(s.at("end"))};
      if (auto it = s.find("most_recent_cursor_value"); it != s.end() && !it->is_null()) {
        interval.most_recent = parse_state_value(*it);
      }
      intervals_.push_back(interval);
    }
    const Interval& first = intervals_.front();
    sync_start_ = first.most_recent.value_or(first.end);
    return;
  }
  // The sequential form: one interval [start, previous value] standing for earlier syncs.
  sync_start_ = start_;
  if (stream_state.is_object()) {
    if (auto it = stream_state.find(cursor_field_); it != stream_state.end() && !it->is_null()) {
      std::int64_t previous = parse_state_value(*it);
      if (previous >= start_) sync_start_ = previous;
    }
  }
  intervals_ = {Interval{.start = start_, .end = sync_start_, .most_recent = sync_start_}};
}

std::optional<std::int64_t> DatetimeBasedCursor::ParseValue(const Json& value) const {
  std::optional<DateTime> parsed = ParseDateTimeValue(value);
  if (!parsed) return std::nullopt;
  return parsed->micros;
}

std::optional<DateTime> DatetimeBasedCursor::ParseDateTimeValue(const Json& value) const {
  if (value.is_null()) return std::nullopt;
  std::string text = PyStr(value);
  for (const std::string& format : parse_formats_) {
    try {
      return Strptime(text, format);
    } catch (const EvalError&) {
      // try the next format
    }
  }
  return std::nullopt;
}

std::string DatetimeBasedCursor::FormatRecordValue(std::int64_t micros) const {
  auto it = record_offsets_.find(micros);
  if (it == record_offsets_.end() || it->second == 0) return Format(micros);
  try {
    return Strftime(DateTime{micros, it->second}, datetime_format_);
  } catch (const EvalError&) {
    return Format(micros);
  }
}

std::optional<std::int64_t> DatetimeBasedCursor::RecordValue(const Json& record) const {
  if (!record.is_object()) return std::nullopt;
  auto it = record.find(cursor_field_);
  if (it == record.end()) return std::nullopt;
  return ParseValue(*it);
}

std::string DatetimeBasedCursor::Format(std::int64_t micros) const {
  try {
    return Strftime(Utc(micros), datetime_format_);
  } catch (const EvalError& e) {
    throw Error(ErrorKind::kInput, "Cannot format a cursor value with the datetime_format.",
                {.context = {{"datetime_format", datetime_format_}}, .cause = e.what()});
  }
}

std::int64_t DatetimeBasedCursor::Increment(std::int64_t micros) const {
  if (granularity_) return AddSafely(micros, *granularity_, 1);
  return micros + kDefaultIncrementMicros;
}

std::vector<DatetimeBasedCursor::Interval> DatetimeBasedCursor::Merge(
    std::vector<Interval> intervals) const {
  if (intervals.empty()) return intervals;
  std::stable_sort(intervals.begin(), intervals.end(), [](const Interval& a, const Interval& b) {
    return std::pair(a.start, a.end) < std::pair(b.start, b.end);
  });
  std::vector<Interval> merged = {intervals.front()};
  for (std::size_t i = 1; i < intervals.size(); ++i) {
    Interval& last = merged.back();
    const Interval& current = intervals[i];
    if (Increment(last.end) >= current.start) {
      last.end = std::max(last.end, current.end);
      if (last.most_recent && current.most_recent) {
        last.most_recent = std::max(*last.most_recent, *current.most_recent);
      } else if (current.most_recent) {
        last.most_recent = current.most_recent;
      }
    } else {
      merged.push_back(current);
    }
  }
  return merged;
}

void DatetimeBasedCursor::Split(std::int64_t lower, std::int64_t upper, bool upper_is_end,
                                std::vector<Json>& out) const {
  if (lower >= upper) return;
  if (upper < start_) return;
  lower = std::max(lower, start_);
  auto emit = [&](std::int64_t s, std::int64_t e) {
    out.push_back(Json{{partition_field_start_, Format(s)}, {partition_field_end_, Format(e)}});
  };
  if (!step_ || AddSafely(lower, *step_, 1) >= upper) {
    if (granularity_ && !upper_is_end) {
      emit(lower, AddSafely(upper, *granularity_, -1));
    } else {
      emit(lower, upper);
    }
    return;
  }
  std::int64_t current = lower;
  while (true) {
    std::int64_t next = std::min(AddSafely(current, *step_, 1), upper);
    bool reached = next >= upper;
    if (granularity_ && (!upper_is_end || !reached)) {
      emit(current, AddSafely(next, *granularity_, -1));
    } else {
      emit(current, next);
    }
    current = next;
    if (reached) break;
  }
}

std::vector<Json> DatetimeBasedCursor::Slices() {
  intervals_ = Merge(std::move(intervals_));
  const std::int64_t end = EvalEnd();
  std::vector<Json> out;
  auto last_lower = [&](std::int64_t boundary) {
    return lookback_ ? AddSafely(boundary, *lookback_, -1) : boundary;
  };
  if (start_ < intervals_.front().start) {
    Split(start_, intervals_.front().start, false, out);
  }
  for (std::size_t i = 0; i + 1 < intervals_.size(); ++i) {
    std::int64_t gap_start = granularity_ ? AddSafely(intervals_[i].end, *granularity_, 1)
                                          : intervals_[i].end;
    Split(gap_start, intervals_[i + 1].start, false, out);
  }
  Split(last_lower(intervals_.back().end), end, true, out);
  return out;
}

std::pair<std::string, std::string> DatetimeBasedCursor::SliceKey(const Json& slice) const {
  return {StringField(slice, partition_field_start_.c_str()),
          StringField(slice, partition_field_end_.c_str())};
}

void DatetimeBasedCursor::Observe(const Json& slice, const Json& record) {
  if (!record.is_object()) return;
  auto field = record.find(cursor_field_);
  if (field == record.end()) return;
  std::optional<DateTime> parsed = ParseDateTimeValue(*field);
  if (!parsed) return;  // the reference logs and ignores records without a cursor value
  record_offsets_[parsed->micros] = parsed->offset_seconds;
  std::optional<std::int64_t> value = parsed->micros;
  auto [it, inserted] = most_recent_.try_emplace(SliceKey(slice), *value);
  if (!inserted && it->second < *value) it->second = *value;
}

void DatetimeBasedCursor::Close(const Json& slice) {
  auto key = SliceKey(slice);
  auto parse_bound = [&](const std::string& text, const std::string& field) {
    std::optional<std::int64_t> parsed = ParseValue(Json(text));
    if (!parsed) {
      throw Error(ErrorKind::kInput, "A slice bound does not parse with the cursor's formats.",
                  {.context = {{"field", field}, {"value", text}}});
    }
    return *parsed;
  };
  Interval interval{.start = parse_bound(key.first, partition_field_start_),
                    .end = parse_bound(key.second, partition_field_end_)};
  if (auto it = most_recent_.find(key); it != most_recent_.end()) {
    interval.most_recent = it->second;
    most_recent_.erase(it);
  }
  intervals_.push_back(interval);
  intervals_ = Merge(std::move(intervals_));
}

Json DatetimeBasedCursor::State() const {
  std::vector<Interval> merged = Merge(intervals_);
  const Interval& first = merged.front();
  if (first.most_recent) return Json{{cursor_field_, FormatRecordValue(*first.most_recent)}};
  return Json{{cursor_field_, Format(first.start)}};
}

bool DatetimeBasedCursor::ShouldBeSynced(const Json& record) const {
  std::optional<std::int64_t> value = RecordValue(record);
  if (!value) return true;
  return sync_start_ <= *value && *value <= EvalEnd();
}

bool DatetimeBasedCursor::IsOlderThanState(const Json& record) const {
  return !ShouldBeSynced(record);
}

bool DatetimeBasedCursor::KeepRecord(const Json& /*slice*/, const Json& record) const {
  return ShouldBeSynced(record);
}

}  // namespace airbyte::declarative
