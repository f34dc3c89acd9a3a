#include "connectors/declarative/datetime_cursor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "airbyte/error.h"
#include "connectors/declarative/interpolation/datetime_format.h"

// Replays the cursor-relevant parts of the conformance cases (shared/conformance/declarative):
// components copied from the manifests, windows from expected/requests.jsonl, states from
// expected/state.jsonl.

namespace airbyte::declarative {
namespace {

std::int64_t At(const char* iso) { return ParseDateTime(iso).micros; }

class CursorTest : public ::testing::Test {
 protected:
  void SetNow(const char* iso) { now_ = At(iso); }
  std::unique_ptr<DatetimeBasedCursor> Make(const char* component, const Json& config) {
    return std::make_unique<DatetimeBasedCursor>(Json::parse(component), config, interp_,
                                                 [this] { return now_; });
  }
  // Reads one window: observes `records`, closes it, returns the state then emitted.
  static Json Read(DatetimeBasedCursor& cursor, const Json& slice, const std::vector<Json>& records) {
    for (const Json& r : records) cursor.Observe(slice, r);
    cursor.Close(slice);
    return cursor.State();
  }

  std::int64_t now_ = At("2024-06-30T12:00:00Z");
  Interpolator interp_{{.now_micros = [this] { return now_; }}};
};

Json W(const char* start, const char* end) {
  return Json{{"start_time", start}, {"end_time", end}};
}

constexpr const char* kWikipedia = R"({
  "type": "DatetimeBasedCursor", "cursor_field": "timestamp", "name": "per-article",
  "cursor_datetime_formats": ["%Y%m%d", "%Y%m%d%H"], "datetime_format": "%Y%m%d",
  "start_datetime": {"type": "MinMaxDatetime", "datetime": "{{config.start}}", "datetime_format": "%Y%m%d"},
  "end_datetime": {"type": "MinMaxDatetime", "datetime": "{{config.end}}", "datetime_format": "%Y%m%d"},
  "step": "P1D", "cursor_granularity": "P1D", "$parameters": {}})";

TEST_F(CursorTest, WikipediaDailyWindowsLastOneReachesTheEnd) {
  auto cursor = Make(kWikipedia, {{"start", "20240101"}, {"end", "20240103"}});
  EXPECT_EQ(cursor->State(), Json({{"timestamp", "20240101"}}));
  std::vector<Json> slices = cursor->Slices();
  ASSERT_EQ(slices, (std::vector<Json>{W("20240101", "20240101"), W("20240102", "20240103")}));
  EXPECT_EQ(Read(*cursor, slices[0], {{{"timestamp", "2024010100"}}}),
            Json({{"timestamp", "20240101"}}));
  EXPECT_EQ(Read(*cursor, slices[1], {{{"timestamp", "2024010200"}}, {{"timestamp", "2024010300"}}}),
            Json({{"timestamp", "20240103"}}));
}

TEST_F(CursorTest, WikipediaFourDaysAsInTheSpec) {
  auto cursor = Make(kWikipedia, {{"start", "20240101"}, {"end", "20240104"}});
  EXPECT_EQ(cursor->Slices(), (std::vector<Json>{W("20240101", "20240101"),
                                                 W("20240102", "20240102"),
                                                 W("20240103", "20240104")}));
}

constexpr const char* kNasa = R"({
  "type": "DatetimeBasedCursor", "cursor_field": "date", "lookback_window": "P31D",
  "incremental_cursor": "date", "path": "planetary/apod", "cursor_datetime_formats": ["%Y-%m-%d"],
  "datetime_format": "%Y-%m-%d",
  "start_datetime": {"type": "MinMaxDatetime", "datetime": "{{ config['start_date'] }}", "datetime_format": "%Y-%m-%d"},
  "end_datetime": {"type": "MinMaxDatetime", "datetime": "{{ today_utc() }}", "datetime_format": "%Y-%m-%d"},
  "step": "P1M", "cursor_granularity": "PT0.000001S", "$parameters": {}})";

TEST_F(CursorTest, NasaMonthlyWindowsWithLookbackFromState) {
  SetNow("2024-06-05T15:30:00Z");
  auto cursor = Make(kNasa, {{"start_date", "2024-04-25"}});
  cursor->SetState({{"date", "2024-06-01"}});
  std::vector<Json> slices = cursor->Slices();
  ASSERT_EQ(slices, (std::vector<Json>{W("2024-05-01", "2024-05-31"), W("2024-06-01", "2024-06-05")}));
  // The replay serves every record to both windows.
  std::vector<Json> records;
  for (int day = 1; day <= 31; ++day) {
    records.push_back({{"date", "2024-05-" + std::string(day < 10 ? "0" : "") + std::to_string(day)}});
  }
  for (int day = 1; day <= 5; ++day) records.push_back({{"date", "2024-06-0" + std::to_string(day)}});
  records.push_back({{"title", "no date"}});
  EXPECT_EQ(Read(*cursor, slices[0], records), Json({{"date", "2024-06-05"}}));
  EXPECT_EQ(Read(*cursor, slices[1], records), Json({{"date", "2024-06-05"}}));
}

TEST_F(CursorTest, NasaLookbackNeverGoesBelowStart) {
  SetNow("2024-06-05T15:30:00Z");
  auto cursor = Make(kNasa, {{"start_date", "2024-05-20"}});
  cursor->SetState({{"date", "2024-06-01"}});
  EXPECT_EQ(cursor->Slices(), (std::vector<Json>{W("2024-05-20", "2024-06-05")}));
}

constexpr const char* kMailgun = R"({
  "type": "DatetimeBasedCursor", "step": "PT1H", "cursor_field": "@timestamp",
  "end_datetime": {"type": "MinMaxDatetime", "datetime": "{{ now_utc().strftime('%Y-%m-%dT%H:%M:%SZ') }}", "datetime_format": "%Y-%m-%dT%H:%M:%SZ"},
  "start_datetime": {"type": "MinMaxDatetime", "datetime": "{{ config.get('start_date', now_utc() - duration('P1D')).strftime('%Y-%m-%dT%H:%M:%S.%fZ') }}", "datetime_format": "%Y-%m-%dT%H:%M:%S.%fZ"},
  "datetime_format": "%a, %d %b %Y %H:%M:%S %z",
  "end_time_option": {"type": "RequestOption", "field_name": "end", "inject_into": "body_json"},
  "start_time_option": {"type": "RequestOption", "field_name": "start", "inject_into": "body_json"},
  "cursor_granularity": "PT0.001S", "cursor_datetime_formats": ["%Y-%m-%dT%H:%M:%S.%fZ"],
  "$parameters": {}})";

TEST_F(CursorTest, MailgunLossyFormatKeepsStateAtTheFirstWindow) {
  SetNow("2024-05-01T02:30:00Z");
  auto cursor = Make(kMailgun, Json::object());
  std::vector<Json> slices = cursor->Slices();
  ASSERT_EQ(slices.size(), 24u);
  EXPECT_EQ(slices[0], W("Tue, 30 Apr 2024 02:30:00 +0000", "Tue, 30 Apr 2024 03:29:59 +0000"));
  EXPECT_EQ(slices[1], W("Tue, 30 Apr 2024 03:30:00 +0000", "Tue, 30 Apr 2024 04:29:59 +0000"));
  EXPECT_EQ(slices[23], W("Wed, 01 May 2024 01:30:00 +0000", "Wed, 01 May 2024 02:30:00 +0000"));
  const Json expected = {{"@timestamp", "Tue, 30 Apr 2024 02:55:10 +0000"}};
  for (std::size_t i = 0; i < slices.size(); ++i) {
    std::vector<Json> records;
    if (i == 0) records = {{{"@timestamp", "2024-04-30T02:40:00.000Z"}},
                           {{"@timestamp", "2024-04-30T02:55:10.250Z"}}};
    if (i == 4) records = {{{"@timestamp", "2024-04-30T06:40:00.000Z"}},
                           {{"@timestamp", "2024-04-30T07:29:59.999Z"}}};
    if (i == 23) records = {{{"@timestamp", "2024-05-01T02:00:00.000Z"}}};
    EXPECT_EQ(Read(*cursor, slices[i], records), expected) << "window " << i;
  }
}

TEST_F(CursorTest, MailgunWithStateStaysAtTheState) {
  SetNow("2024-05-01T02:30:00Z");
  auto cursor = Make(kMailgun, Json::object());
  cursor->SetState({{"@timestamp", "Tue, 30 Apr 2024 23:30:00 +0000"}});
  std::vector<Json> slices = cursor->Slices();
  ASSERT_EQ(slices.size(), 3u);
  EXPECT_EQ(slices[0], W("Tue, 30 Apr 2024 23:30:00 +0000", "Wed, 01 May 2024 00:29:59 +0000"));
  const Json expected = {{"@timestamp", "Tue, 30 Apr 2024 23:30:00 +0000"}};
  EXPECT_EQ(Read(*cursor, slices[0], {}), expected);
  EXPECT_EQ(Read(*cursor, slices[1], {}), expected);
  EXPECT_EQ(Read(*cursor, slices[2], {{{"@timestamp", "2024-05-01T02:00:00.000Z"}}}), expected);
}

constexpr const char* kStrava = R"({
  "type": "DatetimeBasedCursor", "cursor_field": "start_date",
  "cursor_datetime_formats": ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"], "datetime_format": "%s",
  "start_datetime": {"type": "MinMaxDatetime", "datetime": "{{ config['start_date'] }}", "datetime_format": "%Y-%m-%dT%H:%M:%SZ"},
  "start_time_option": {"type": "RequestOption", "inject_into": "request_parameter", "field_name": "after"},
  "$parameters": {}})";

TEST_F(CursorTest, StravaEpochSecondsStateIsAString) {
  auto cursor = Make(kStrava, {{"start_date", "2024-05-01T00:00:00Z"}});
  cursor->SetState({{"start_date", "1717200000"}});
  std::vector<Json> slices = cursor->Slices();
  ASSERT_EQ(slices.size(), 1u);
  EXPECT_EQ(slices[0]["start_time"], "1717200000");
  EXPECT_EQ(slices[0]["end_time"], "1719748800");
  EXPECT_EQ(Read(*cursor, slices[0], {{{"start_date", "2024-06-11T10:00:00Z"}},
                                      {{"start_date", "2024-06-12T01:00:00Z"}},
                                      {{"start_date", "not a date"}}}),
            Json({{"start_date", "1718154000"}}));
}

constexpr const char* kShortio = R"({
  "type": "DatetimeBasedCursor", "cursor_field": "updatedAt", "datetime_format": "%Y-%m-%dT%H:%M:%S.%f%z",
  "cursor_granularity": "PT0.001S", "lookback_window": "P31D",
  "start_datetime": {"datetime": "{{ config['start_date'] }}", "datetime_format": "%Y-%m-%dT%H:%M:%S.%f%z"},
  "end_datetime": {"datetime": "{{ now_utc().strftime('%Y-%m-%dT%H:%M:%S.%f%z') }}", "datetime_format": "%Y-%m-%dT%H:%M:%S.%f%z"},
  "step": "P1M", "$parameters": {}})";

TEST_F(CursorTest, ShortioLookbackWindows) {
  auto cursor = Make(kShortio, {{"start_date", "2024-04-15T00:00:00.000000+0000"}});
  cursor->SetState({{"updatedAt", "2024-06-10T00:00:00.000000+0000"}});
  std::vector<Json> slices = cursor->Slices();
  ASSERT_EQ(slices, (std::vector<Json>{
                        W("2024-05-10T00:00:00.000000+0000", "2024-06-09T23:59:59.999000+0000"),
                        W("2024-06-10T00:00:00.000000+0000", "2024-06-30T12:00:00.000000+0000")}));
  EXPECT_EQ(Read(*cursor, slices[0], {}), Json({{"updatedAt", "2024-06-10T00:00:00.000000+0000"}}));
  EXPECT_EQ(Read(*cursor, slices[1], {{{"updatedAt", "2024-06-29T23:59:59.999000+0000"}},
                                      {{"updatedAt", "2024-06-20T10:00:00.000000+0000"}}}),
            Json({{"updatedAt", "2024-06-29T23:59:59.999000+0000"}}));
}

constexpr const char* kBluetally = R"({
  "type": "DatetimeBasedCursor", "cursor_field": "updated_at",
  "cursor_datetime_formats": ["%Y-%m-%dT%H:%M:%S.%fZ"], "datetime_format": "%Y-%m-%dT%H:%M:%S.%fZ",
  "start_datetime": {"type": "MinMaxDatetime", "datetime": "{{ config[\"start_date\"] }}", "datetime_format": "%Y-%m-%dT%H:%M:%SZ"},
  "is_data_feed": true, "$parameters": {}})";

TEST_F(CursorTest, BluetallyDataFeedStopsAtRecordsOlderThanState) {
  auto cursor = Make(kBluetally, {{"start_date", "2024-01-01T00:00:00Z"}});
  cursor->SetState({{"updated_at", "2024-05-10T00:00:00.000000Z"}});
  EXPECT_TRUE(cursor->is_data_feed());
  std::vector<Json> slices = cursor->Slices();
  ASSERT_EQ(slices.size(), 1u);
  EXPECT_FALSE(cursor->IsOlderThanState({{"updated_at", "2024-06-28T23:15:00.000Z"}}));
  EXPECT_FALSE(cursor->IsOlderThanState({{"updated_at", "2024-05-10T00:00:00.000Z"}}));
  EXPECT_TRUE(cursor->IsOlderThanState({{"updated_at", "2024-05-09T23:59:59.000Z"}}));
  EXPECT_FALSE(cursor->IsOlderThanState({{"id", 1}}));
  EXPECT_EQ(Read(*cursor, slices[0], {{{"updated_at", "2024-06-28T23:15:00.000Z"}},
                                      {{"updated_at", "2024-06-28T03:15:00.037Z"}}}),
            Json({{"updated_at", "2024-06-28T23:15:00.000000Z"}}));
}

TEST_F(CursorTest, ClientSideIncrementalKeepsRecordsInsideTheRange) {
  Json component = Json::parse(kBluetally);
  component["is_data_feed"] = false;
  component["is_client_side_incremental"] = true;
  DatetimeBasedCursor cursor(component, {{"start_date", "2024-01-01T00:00:00Z"}}, interp_,
                             [this] { return now_; });
  cursor.SetState({{"updated_at", "2024-05-10T00:00:00.000000Z"}});
  Json slice = cursor.Slices().at(0);
  EXPECT_TRUE(cursor.KeepRecord(slice, {{"updated_at", "2024-06-01T00:00:00.000Z"}}));
  EXPECT_FALSE(cursor.KeepRecord(slice, {{"updated_at", "2024-05-01T00:00:00.000Z"}}));
  EXPECT_FALSE(cursor.KeepRecord(slice, {{"updated_at", "2024-07-01T00:00:00.000Z"}}));
  EXPECT_TRUE(cursor.KeepRecord(slice, {{"name", "no cursor"}}));
}

TEST_F(CursorTest, MinMaxDatetimeClampsStartAndEnd) {
  auto cursor = Make(R"({
    "type": "DatetimeBasedCursor", "cursor_field": "updated", "datetime_format": "%Y-%m-%d",
    "start_datetime": {"type": "MinMaxDatetime", "datetime": "{{ config.start }}",
                       "min_datetime": "{{ config.floor }}", "max_datetime": ""},
    "end_datetime": {"type": "MinMaxDatetime", "datetime": "{{ config.end }}",
                     "max_datetime": "2024-03-10"},
    "partition_field_start": "from", "partition_field_end": "to", "$parameters": {}})",
                     {{"start", "2023-06-01"}, {"floor", "2024-01-01"}, {"end", "2024-12-31"}});
  EXPECT_EQ(cursor->partition_field_start(), "from");
  EXPECT_EQ(cursor->Slices(),
            (std::vector<Json>{Json{{"from", "2024-01-01"}, {"to", "2024-03-10"}}}));
}

TEST_F(CursorTest, StringStartUsesTheCursorFormatAndNoEndMeansNow) {
  auto cursor = Make(R"({"cursor_field": "{{ parameters.field }}", "datetime_format": "%Y-%m-%dT%H:%M:%SZ",
                         "start_datetime": "{{ config.start }}", "$parameters": {"field": "ts"}})",
                     {{"start", "2024-06-01T00:00:00Z"}});
  EXPECT_EQ(cursor->cursor_field(), "ts");
  EXPECT_EQ(cursor->Slices(), (std::vector<Json>{W("2024-06-01T00:00:00Z", "2024-06-30T12:00:00Z")}));
}

TEST_F(CursorTest, ConcurrentStateResumesAfterTheMergedIntervals) {
  auto cursor = Make(kWikipedia, {{"start", "20240101"}, {"end", "20240110"}});
  cursor->SetState(Json::parse(R"({"state_type": "date-range", "slices": [
      {"start": "20240101", "end": "20240103", "most_recent_cursor_value": "20240102"},
      {"start": "20240106", "end": "20240107"}]})"));
  EXPECT_EQ(cursor->State(), Json({{"timestamp", "20240102"}}));
  // The gap between the intervals, then from the last interval's end.
  EXPECT_EQ(cursor->Slices(), (std::vector<Json>{W("20240104", "20240104"),
                                                 W("20240105", "20240105"),
                                                 W("20240107", "20240107"),
                                                 W("20240108", "20240108"),
                                                 W("20240109", "20240110")}));
}

TEST_F(CursorTest, StateOlderThanStartIsIgnored) {
  auto cursor = Make(kWikipedia, {{"start", "20240105"}, {"end", "20240106"}});
  cursor->SetState({{"timestamp", "20231201"}});
  EXPECT_EQ(cursor->State(), Json({{"timestamp", "20240105"}}));
  EXPECT_EQ(cursor->Slices(), (std::vector<Json>{W("20240105", "20240106")}));
}

TEST_F(CursorTest, NoSlicesWhenStateIsPastTheEnd) {
  auto cursor = Make(kWikipedia, {{"start", "20240101"}, {"end", "20240103"}});
  cursor->SetState({{"timestamp", "20240105"}});
  EXPECT_TRUE(cursor->Slices().empty());
  EXPECT_EQ(cursor->State(), Json({{"timestamp", "20240105"}}));
}

TEST_F(CursorTest, ConfigStartNotMatchingTheFormatIsAnInputError) {
  try {
    Make(kWikipedia, {{"start", "2024-01-01"}, {"end", "20240103"}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
  }
}

TEST_F(CursorTest, StepWithoutGranularityIsAnInputError) {
  Json component = Json::parse(kWikipedia);
  component.erase("cursor_granularity");
  try {
    DatetimeBasedCursor cursor(component, {{"start", "20240101"}, {"end", "20240103"}}, interp_,
                               [this] { return now_; });
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
  }
  component = Json::parse(kWikipedia);
  component["step"] = "one day";
  EXPECT_THROW(DatetimeBasedCursor(component, {{"start", "20240101"}, {"end", "20240103"}},
                                   interp_, [this] { return now_; }),
               Error);
}

TEST_F(CursorTest, UnparsableIncomingStateIsAnInputError) {
  auto cursor = Make(kWikipedia, {{"start", "20240101"}, {"end", "20240103"}});
  EXPECT_THROW(cursor->SetState({{"timestamp", "yesterday"}}), Error);
}

}  // namespace
}  // namespace airbyte::declarative
