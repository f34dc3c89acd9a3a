#include "progress/format.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace airbyte::progress {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::SizeIs;

Snapshot TwoStreams() {
  Snapshot snapshot{.job = "source-faker -> DuckDBCache", .phase = Phase::kReading,
                    .elapsed_s = 4.0, .bytes_read = 2'500'000};
  snapshot.streams.push_back({.name = "users", .records = 30'000, .loaded = 16'384,
                              .first_record_s = 0.5, .last_record_s = 3.5});
  snapshot.streams.push_back({.name = "purchases", .records = 10'000, .loaded = 0,
                              .first_record_s = 1.0, .last_record_s = 3.0});
  return snapshot;
}

TEST(FormatTest, CountsHaveThousandsSeparators) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1,000");
  EXPECT_EQ(FormatCount(1234567), "1,234,567");
  EXPECT_EQ(FormatCount(-1234), "-1,234");
}

TEST(FormatTest, RatesHaveOneDecimal) {
  EXPECT_EQ(FormatRate(0), "0.0");
  EXPECT_EQ(FormatRate(156.25), "156.3");
  EXPECT_EQ(FormatRate(1234567.89), "1,234,567.9");
  EXPECT_EQ(FormatRate(9.96), "10.0");
}

TEST(FormatTest, ElapsedTimeFollowsPyAirbyte) {
  EXPECT_EQ(FormatElapsed(0.4), "0.40 seconds");
  EXPECT_EQ(FormatElapsed(2.0), "2.00 seconds");
  EXPECT_EQ(FormatElapsed(3.2), "3.2 seconds");
  EXPECT_EQ(FormatElapsed(30), "30 seconds");
  EXPECT_EQ(FormatElapsed(60), "60 seconds");
  EXPECT_EQ(FormatElapsed(90), "1min 30s");
  EXPECT_EQ(FormatElapsed(600), "10min");
  EXPECT_EQ(FormatElapsed(3600), "1hr 0min");
  EXPECT_EQ(FormatElapsed(5430), "1hr 30min");
}

TEST(FormatTest, TruncationCountsCodePointsAndNeverSplitsThem) {
  EXPECT_EQ(TruncateToWidth("abcdef", 6), "abcdef");
  EXPECT_EQ(TruncateToWidth("abcdef", 4), "abc\u2026");
  EXPECT_EQ(TruncateToWidth("h\u00e9llo w\u00f6rld", 5), "h\u00e9ll\u2026");
  EXPECT_EQ(DisplayWidth(TruncateToWidth("\u00e9\u00e9\u00e9\u00e9\u00e9", 3)), 3u);
  EXPECT_EQ(TruncateToWidth("abc", 0), "");
}

TEST(FormatTest, LiveLinesShowJobPhaseStreamsAndTotals) {
  const std::vector<std::string> lines = LiveLines(TwoStreams(), 100, 20);
  ASSERT_THAT(lines, SizeIs(4));
  EXPECT_EQ(lines[0], "source-faker -> DuckDBCache | reading | 4.0 seconds | 2.50 MB read");
  EXPECT_EQ(lines[1], "  users            30,000 records      10,000.0 records/s");
  EXPECT_EQ(lines[2], "  purchases        10,000 records       5,000.0 records/s");
  EXPECT_EQ(lines[3], "  Total            40,000 records      10,000.0 records/s");
}

TEST(FormatTest, LiveLinesFitANarrowTerminal) {
  for (std::size_t width : {1u, 10u, 25u, 40u}) {
    for (const std::string& line : LiveLines(TwoStreams(), width, 20)) {
      EXPECT_LE(DisplayWidth(line), width) << line;
    }
  }
}

TEST(FormatTest, LiveLinesFitAShortTerminal) {
  Snapshot snapshot = TwoStreams();
  for (int i = 0; i < 30; ++i) snapshot.streams.push_back({.name = "s" + std::to_string(i)});
  const std::vector<std::string> lines = LiveLines(snapshot, 80, 6);
  ASSERT_THAT(lines, SizeIs(6));
  EXPECT_EQ(lines[4], "  ... and 29 more streams");
  EXPECT_THAT(lines[5], HasSubstr("Total"));
}

TEST(FormatTest, HeartbeatIsOnePlainLine) {
  EXPECT_EQ(HeartbeatLine(TwoStreams()),
            "source-faker -> DuckDBCache: reading, 40,000 records (10,000.0 records/s, 2.50 MB) "
            "after 4.0 seconds; users 30,000, purchases 10,000");
}

TEST(FormatTest, SummaryHasAStreamTableAndTheCompletedLine) {
  const std::string summary = SummaryText(TwoStreams(), /*success=*/true);
  EXPECT_THAT(summary, HasSubstr("Read 40,000 records over 4.0 seconds (10,000.0 records/s, "
                                 "2.50 MB).\n"
                                 "  Stream           Records  Time                 Records/s\n"
                                 "  users             30,000  3.0 seconds           10,000.0\n"
                                 "  purchases         10,000  2.00 seconds           5,000.0\n"
                                 "  Total             40,000  4.0 seconds           10,000.0\n"));
  EXPECT_THAT(summary, MatchesRegex("(.|\n)*Completed `source-faker -> DuckDBCache` sync at "
                                    "`[0-9]{2}:[0-9]{2}:[0-9]{2}` \\(2 streams\\)\\.\n"));
}

TEST(FormatTest, SummaryOfOneStreamNamesItAndFailureSaysFailed) {
  Snapshot snapshot = TwoStreams();
  snapshot.streams[1].records = 0;
  EXPECT_THAT(SummaryText(snapshot, true), HasSubstr("sync at `"));
  EXPECT_THAT(SummaryText(snapshot, true), HasSubstr("(`users` stream)."));
  EXPECT_THAT(SummaryText(snapshot, false),
              HasSubstr("Failed `source-faker -> DuckDBCache` sync at `"));
}

TEST(ReadProgressTest, SnapshotsCountRecordsAndObserveTimes) {
  ReadProgress progress("job", {"a", "b"});
  EXPECT_EQ(progress.IndexOf("b"), 1);
  EXPECT_EQ(progress.IndexOf("zzz"), -1);
  progress.stream(0).SetRecords(5);
  progress.stream(1).AddLoaded(3);
  progress.stream(1).AddLoaded(4);
  progress.set_bytes_read(100);
  progress.AddBatchBytes(50);
  const Snapshot first = progress.Take();
  EXPECT_EQ(first.total_records(), 5);
  EXPECT_EQ(first.streams[1].loaded, 7);
  EXPECT_EQ(first.bytes_read, 100u);
  EXPECT_GE(first.streams[0].first_record_s, 0);
  EXPECT_LT(first.streams[1].first_record_s, 0);  // no record yet
  progress.AddBatchBytes(500);
  EXPECT_EQ(progress.Take().bytes_read, 550u);  // the larger of the two byte counts
}

TEST(ReadProgressTest, AddRecordCountsUpAndTheFirstRecordIsTimedFromThePreviousLook) {
  ReadProgress progress("job", {"a"});
  const Snapshot before = progress.Take();
  EXPECT_LT(before.streams[0].first_record_s, 0);
  progress.stream(0).AddRecord();
  progress.stream(0).AddRecord();
  const Snapshot after = progress.Take();
  EXPECT_EQ(after.streams[0].records, 2);
  EXPECT_DOUBLE_EQ(after.streams[0].first_record_s, before.elapsed_s);
  EXPECT_GT(after.streams[0].rate(), 0);
}

}  // namespace
}  // namespace airbyte::progress
