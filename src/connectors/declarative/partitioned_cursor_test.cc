#include "connectors/declarative/partitioned_cursor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "connectors/declarative/interpolation/datetime_format.h"

// Replays source-google-tasks/read-incremental-with-state and
// source-finnhub/read-incremental-with-state (shared/conformance/declarative).

namespace airbyte::declarative {
namespace {

class PartitionedCursorTest : public ::testing::Test {
 protected:
  PartitionedCursor Make(const char* component, const Json& config) {
    Json parsed = Json::parse(component);
    return PartitionedCursor([this, parsed, config] {
      return std::make_unique<DatetimeBasedCursor>(parsed, config, interp_,
                                                   [this] { return now_; });
    });
  }
  static void ReadPartition(PartitionedCursor& cursor, const Json& partition,
                            const std::vector<Json>& records) {
    for (const Json& slice : cursor.Slices(partition)) {
      for (const Json& r : records) cursor.Observe(slice, r);
      cursor.Close(slice);
    }
    cursor.ClosePartition(partition);
  }

  std::int64_t now_ = ParseDateTime("2024-06-30T12:00:00Z").micros;
  Interpolator interp_{{.now_micros = [this] { return now_; }}};
};

constexpr const char* kGoogleTasks = R"({
  "type": "DatetimeBasedCursor", "cursor_field": "updated",
  "end_datetime": {"type": "MinMaxDatetime", "datetime": "{{ now_utc().strftime('%Y-%m-%dT%H:%M:%SZ') }}", "datetime_format": "%Y-%m-%dT%H:%M:%SZ"},
  "start_datetime": {"type": "MinMaxDatetime", "datetime": "{{ config[\"start_date\"] }}", "datetime_format": "%Y-%m-%dT%H:%M:%SZ"},
  "datetime_format": "%Y-%m-%dT%H:%M:%S.%fZ", "cursor_datetime_formats": ["%Y-%m-%dT%H:%M:%S.%fZ"],
  "$parameters": {}})";

Json Partition(const char* id) {
  return Json{{"tasklist_id", id}, {"parent_slice", Json::object()}};
}
Json Task(const char* updated) { return Json{{"updated", updated}}; }

TEST_F(PartitionedCursorTest, GoogleTasksWithState) {
  PartitionedCursor cursor = Make(kGoogleTasks, {{"start_date", "2024-01-01T00:00:00Z"}});
  cursor.SetState(Json::parse(R"({"states": [
      {"partition": {"tasklist_id": "MTA1", "parent_slice": {}}, "cursor": {"updated": "2024-03-03T12:00:00.000000Z"}},
      {"partition": {"tasklist_id": "MTA2", "parent_slice": {}}, "cursor": {"updated": "2024-05-01T00:00:00.000000Z"}}],
    "state": {"updated": "2024-03-03T12:00:00.000000Z"}, "use_global_cursor": false})"));
  EXPECT_TRUE(cursor.parent_state().is_null());

  std::vector<Json> slices = cursor.Slices(Partition("MTA1"));
  ASSERT_EQ(slices.size(), 1u);
  EXPECT_EQ(slices[0], Json::parse(R"({"tasklist_id": "MTA1", "parent_slice": {},
      "start_time": "2024-03-03T12:00:00.000000Z", "end_time": "2024-06-30T12:00:00.000000Z"})"));
  for (const char* u : {"2024-03-02T09:00:00.000Z", "2024-03-03T09:00:00.500Z",
                        "2024-03-04T18:45:00.000Z"}) {
    cursor.Observe(slices[0], Task(u));
  }
  cursor.Close(slices[0]);
  cursor.ClosePartition(Partition("MTA1"));
  // The first STATE of the stream, emitted when MTA1 closed (all partitions already created).
  ReadPartition(cursor, Partition("MTA2"), {Task("2024-05-21T10:00:00.000Z")});
  ReadPartition(cursor, Partition("MTA3"), {Task("2023-12-01T10:00:00.000Z")});
  ReadPartition(cursor, Partition("MTA4"), {Task("2024-06-02T07:00:00.000Z")});
  Json before_finish = cursor.State(Json::object());
  EXPECT_EQ(before_finish["state"], Json({{"updated", "2024-03-03T12:00:00.000000Z"}}));

  cursor.Finish();
  EXPECT_EQ(cursor.State(Json::object()), Json::parse(R"({"use_global_cursor": false, "states": [
      {"partition": {"parent_slice": {}, "tasklist_id": "MTA1"}, "cursor": {"updated": "2024-03-04T18:45:00.000000Z"}},
      {"partition": {"parent_slice": {}, "tasklist_id": "MTA2"}, "cursor": {"updated": "2024-05-21T10:00:00.000000Z"}},
      {"partition": {"parent_slice": {}, "tasklist_id": "MTA3"}, "cursor": {"updated": "2024-03-03T12:00:00.000000Z"}},
      {"partition": {"parent_slice": {}, "tasklist_id": "MTA4"}, "cursor": {"updated": "2024-06-02T07:00:00.000000Z"}}],
    "state": {"updated": "2024-06-02T07:00:00.000000Z"}, "lookback_window": 0, "parent_state": {}})"));
  // Partition keys come out sorted, as the reference writes them.
  EXPECT_EQ(cursor.State(Json()).at("states").at(0).at("partition").begin().key(), "parent_slice");
  EXPECT_FALSE(cursor.State(Json()).contains("parent_state"));
}

constexpr const char* kFinnhubInsider = R"({
  "type": "DatetimeBasedCursor", "cursor_field": "transactionDate", "cursor_datetime_formats": ["%Y-%m-%d"],
  "datetime_format": "%Y-%m-%d",
  "start_datetime": {"type": "MinMaxDatetime", "datetime": "{{ config[\"start_date_2\"] }}", "datetime_format": "%Y-%m-%dT%H:%M:%SZ"},
  "start_time_option": {"type": "RequestOption", "inject_into": "request_parameter", "field_name": "from"},
  "end_time_option": {"type": "RequestOption", "inject_into": "request_parameter", "field_name": "to"},
  "end_datetime": {"type": "MinMaxDatetime", "datetime": "{{ now_utc().strftime('%Y-%m-%dT%H:%M:%SZ') }}", "datetime_format": "%Y-%m-%dT%H:%M:%SZ"},
  "$parameters": {}})";

TEST_F(PartitionedCursorTest, FinnhubListPartitionsWithoutGlobalState) {
  PartitionedCursor cursor =
      Make(kFinnhubInsider, {{"start_date_2", "2024-01-01T00:00:00Z"}, {"symbols", {"AAPL", "MSFT"}}});
  cursor.SetState(Json::parse(
      R"({"states": [{"partition": {"symbol": "MSFT"}, "cursor": {"transactionDate": "2024-03-02"}}]})"));
  const Json aapl = {{"symbol", "AAPL"}};
  const Json msft = {{"symbol", "MSFT"}};
  std::vector<Json> records = {{{"transactionDate", "2024-02-01"}},
                               {{"transactionDate", "2024-03-02"}},
                               {{"transactionDate", "2024-04-03"}}};
  // Windows as in expected/requests.jsonl: a missing partition starts at the configured start.
  EXPECT_EQ(cursor.Slices(aapl), (std::vector<Json>{Json::parse(
                                     R"({"symbol": "AAPL", "start_time": "2024-01-01", "end_time": "2024-06-30"})")}));
  EXPECT_EQ(cursor.Slices(msft), (std::vector<Json>{Json::parse(
                                     R"({"symbol": "MSFT", "start_time": "2024-03-02", "end_time": "2024-06-30"})")}));
  ReadPartition(cursor, aapl, records);
  EXPECT_EQ(cursor.State(Json()), Json::parse(R"({"use_global_cursor": false, "states": [
      {"partition": {"symbol": "MSFT"}, "cursor": {"transactionDate": "2024-03-02"}},
      {"partition": {"symbol": "AAPL"}, "cursor": {"transactionDate": "2024-04-03"}}],
    "lookback_window": 0})"));
  ReadPartition(cursor, msft, records);
  cursor.Finish();
  EXPECT_EQ(cursor.State(Json()), Json::parse(R"({"use_global_cursor": false, "states": [
      {"partition": {"symbol": "MSFT"}, "cursor": {"transactionDate": "2024-04-03"}},
      {"partition": {"symbol": "AAPL"}, "cursor": {"transactionDate": "2024-04-03"}}],
    "state": {"transactionDate": "2024-04-03"}, "lookback_window": 0})"));
}

TEST_F(PartitionedCursorTest, KeepsParentStateAndAppliesLookbackToNewPartitions) {
  PartitionedCursor cursor = Make(kGoogleTasks, {{"start_date", "2024-01-01T00:00:00Z"}});
  cursor.SetState(Json::parse(R"({"use_global_cursor": false, "states": [],
      "state": {"updated": "2024-06-01T00:00:00.000000Z"}, "lookback_window": 86400,
      "parent_state": {"tasks": {"updated": "2024-05-01T00:00:00.000000Z"}}})"));
  EXPECT_EQ(cursor.parent_state(), Json::parse(R"({"tasks": {"updated": "2024-05-01T00:00:00.000000Z"}})"));
  std::vector<Json> slices = cursor.Slices(Partition("X"));
  ASSERT_EQ(slices.size(), 1u);
  EXPECT_EQ(slices[0]["start_time"], "2024-05-31T00:00:00.000000Z");
  Json state = cursor.State(cursor.parent_state());
  EXPECT_EQ(state["lookback_window"], 86400);
  EXPECT_EQ(state["parent_state"], cursor.parent_state());
}

}  // namespace
}  // namespace airbyte::declarative
