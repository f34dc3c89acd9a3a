#include "caches/record_batch.h"

#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "caches/value_convert.h"
#include "protocol/record_data_sink.h"
#include "testutil/testutil.h"

namespace airbyte::caches {
namespace {

using ::airbyte::testutil::ThrowsError;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::int64_t kEmittedAt = 1'704'067'200'123;  // 2024-01-01T00:00:00.123Z

StreamLayoutPtr MakeLayout(std::vector<ColumnDef> properties) {
  auto layout = std::make_shared<StreamLayout>();
  layout->stream = "users";
  layout->table_name = "users";
  layout->columns = std::move(properties);
  layout->columns.push_back({"_airbyte_raw_id", "", SqlType::kVarchar});
  layout->columns.push_back({"_airbyte_extracted_at", "", SqlType::kTimestampTz});
  layout->columns.push_back({"_airbyte_meta", "", SqlType::kJson});
  return layout;
}

StreamLayoutPtr SingleColumn(SqlType type) { return MakeLayout({{"v", "v", type}}); }

RecordBatch Build(const StreamLayoutPtr& layout, const std::vector<std::string>& records,
                  const Json& meta = nullptr) {
  RecordBatchBuilder builder(layout);
  for (const std::string& record : records) builder.AddJson(record, kEmittedAt, meta);
  return builder.Take();
}

// The values of column `v` for records {"v": <value>}, one per value.
RecordBatch Column(SqlType type, const std::vector<std::string>& values) {
  std::vector<std::string> records;
  for (const std::string& value : values) records.push_back(R"({"v": )" + value + "}");
  return Build(SingleColumn(type), records);
}

std::string_view Meta(const RecordBatch& batch, std::size_t row) {
  return batch.columns.back().TextAt(row);
}

constexpr std::string_view kNulledV =
    R"({"changes":[{"field":"v","change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"}]})";

Int128 Decimal(std::string_view text) { return *ParseDecimal(text); }

TEST(RecordBatchBuilderTest, VarcharKeepsStringsAndWritesOtherValuesAsJsonText) {
  const RecordBatch batch =
      Column(SqlType::kVarchar, {R"("text")", "1.50", "-7", "true", "false",
                                 R"({"nested_column":"nested_value","n":[1,2]})", R"([ "a" ,"é"])",
                                 "null", R"("")", R"("a\"b\u00e9")"});
  ASSERT_EQ(batch.rows, 10u);
  const ColumnData& column = batch.columns[0];
  EXPECT_EQ(column.type, SqlType::kVarchar);
  EXPECT_EQ(column.TextAt(0), "text");
  EXPECT_EQ(column.TextAt(1), "1.50");
  EXPECT_EQ(column.TextAt(2), "-7");
  EXPECT_EQ(column.TextAt(3), "true");
  EXPECT_EQ(column.TextAt(4), "false");
  EXPECT_EQ(column.TextAt(5), R"({"nested_column": "nested_value", "n": [1, 2]})");
  EXPECT_EQ(column.TextAt(6), R"(["a", "\u00e9"])");
  EXPECT_EQ(column.valid[7], 0);
  EXPECT_EQ(column.TextAt(7), "");
  EXPECT_EQ(column.valid[8], 1);
  EXPECT_EQ(column.TextAt(8), "");
  EXPECT_EQ(column.TextAt(9), "a\"b\xC3\xA9");
  EXPECT_EQ(column.offsets.size(), 11u);
  EXPECT_EQ(column.offsets.front(), 0u);
  for (std::size_t row = 0; row < batch.rows; ++row) {
    EXPECT_EQ(Meta(batch, row), "{}") << row;  // null is not a conversion failure
  }
}

TEST(RecordBatchBuilderTest, MissingPropertiesAreNull) {
  const auto layout = MakeLayout({{"a", "a", SqlType::kVarchar},
                                  {"b", "b", SqlType::kBigint},
                                  {"c", "c", SqlType::kDecimal},
                                  {"d", "d", SqlType::kDouble}});
  const RecordBatch batch = Build(layout, {"{}", R"({"b": 1})"});
  ASSERT_EQ(batch.rows, 2u);
  for (std::size_t c = 0; c < 4; ++c) EXPECT_EQ(batch.columns[c].valid[0], 0) << c;
  EXPECT_EQ(batch.columns[0].valid[1], 0);
  EXPECT_EQ(batch.columns[1].valid[1], 1);
  EXPECT_EQ(batch.columns[1].ints, (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(batch.columns[2].decimals.size(), 2u);
  EXPECT_EQ(batch.columns[3].doubles.size(), 2u);
  EXPECT_EQ(Meta(batch, 0), "{}");
}

TEST(RecordBatchBuilderTest, BigintTakesIntegralNumbersAndNumericStrings) {
  const RecordBatch batch =
      Column(SqlType::kBigint, {"42", R"("-42")", "12.0", "1e3", "9223372036854775807", "12.5",
                                R"("abc")", "true", "9223372036854775808", "[1]", "null"});
  const ColumnData& column = batch.columns[0];
  EXPECT_EQ(column.valid, (std::vector<std::uint8_t>{1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(column.ints,
            (std::vector<std::int64_t>{42, -42, 12, 1000, INT64_MAX, 0, 0, 0, 0, 0, 0}));
  for (std::size_t row = 0; row < 5; ++row) EXPECT_EQ(Meta(batch, row), "{}");
  for (std::size_t row = 5; row < 10; ++row) EXPECT_EQ(Meta(batch, row), kNulledV) << row;
  EXPECT_EQ(Meta(batch, 10), "{}");
}

TEST(RecordBatchBuilderTest, DecimalIsExact) {
  const RecordBatch batch =
      Column(SqlType::kDecimal, {"12345678901234567890.123456789",
                                 R"("12345678901234567890.123456789")", "1.5e-2", "7",
                                 "0.1234567895", "1e30", R"("x")", "false"});
  const ColumnData& column = batch.columns[0];
  EXPECT_EQ(column.valid, (std::vector<std::uint8_t>{1, 1, 1, 1, 1, 0, 0, 0}));
  EXPECT_EQ(column.decimals[0], Decimal("12345678901234567890.123456789"));
  EXPECT_EQ(column.decimals[0].lower, 0x46BEC9B16E398115ull);  // 12345678901234567890123456789
  EXPECT_EQ(column.decimals[0].upper, 0x27E41B32);
  EXPECT_EQ(column.decimals[1], column.decimals[0]);
  EXPECT_EQ(column.decimals[2], Decimal("0.015"));
  EXPECT_EQ(column.decimals[3], Decimal("7"));
  EXPECT_EQ(column.decimals[4], Decimal("0.123456790"));  // half-even at the 10th digit
  EXPECT_EQ(column.decimals[5], Int128{});
  EXPECT_EQ(Meta(batch, 5), kNulledV);
  EXPECT_EQ(Meta(batch, 6), kNulledV);
  EXPECT_EQ(Meta(batch, 7), kNulledV);
}

TEST(RecordBatchBuilderTest, DoubleTakesNumbersAndNumericStrings) {
  const RecordBatch batch = Column(SqlType::kDouble, {"1.5", R"("2.5")", "-3", "true", R"("NaN")"});
  const ColumnData& column = batch.columns[0];
  EXPECT_EQ(column.valid, (std::vector<std::uint8_t>{1, 1, 1, 0, 0}));
  EXPECT_EQ(column.doubles, (std::vector<double>{1.5, 2.5, -3, 0, 0}));
  EXPECT_EQ(Meta(batch, 3), kNulledV);
  EXPECT_EQ(Meta(batch, 4), kNulledV);
}

TEST(RecordBatchBuilderTest, BooleanTakesBooleansAndTrueFalseStrings) {
  const RecordBatch batch =
      Column(SqlType::kBoolean, {"true", "false", R"("TRUE")", R"("False")", "1", R"("yes")"});
  const ColumnData& column = batch.columns[0];
  EXPECT_EQ(column.valid, (std::vector<std::uint8_t>{1, 1, 1, 1, 0, 0}));
  EXPECT_EQ(column.ints, (std::vector<std::int64_t>{1, 0, 1, 0, 0, 0}));
  EXPECT_EQ(Meta(batch, 4), kNulledV);
  EXPECT_EQ(Meta(batch, 5), kNulledV);
}

TEST(RecordBatchBuilderTest, DateAndTimeParseIsoText) {
  const RecordBatch dates =
      Column(SqlType::kDate, {R"("2024-01-01")", R"("1969-12-31")", R"("2024-02-30")", "20240101"});
  EXPECT_EQ(dates.columns[0].valid, (std::vector<std::uint8_t>{1, 1, 0, 0}));
  EXPECT_EQ(dates.columns[0].ints, (std::vector<std::int64_t>{19723, -1, 0, 0}));
  EXPECT_EQ(Meta(dates, 2), kNulledV);
  EXPECT_EQ(Meta(dates, 3), kNulledV);

  const RecordBatch times =
      Column(SqlType::kTime, {R"("10:30")", R"("10:30:15.25+02:00")", R"("25:00")"});
  EXPECT_EQ(times.columns[0].valid, (std::vector<std::uint8_t>{1, 1, 0}));
  EXPECT_EQ(times.columns[0].ints,
            (std::vector<std::int64_t>{37'800'000'000, 37'815'250'000, 0}));
  EXPECT_EQ(Meta(times, 2), kNulledV);
}

TEST(RecordBatchBuilderTest, TimestampsWithOffsetsBecomeUtc) {
  constexpr std::int64_t kMidnight = std::int64_t{19723} * 86'400'000'000;  // 2024-01-01
  constexpr std::int64_t kHour = 3'600'000'000;
  for (const SqlType type : {SqlType::kTimestamp, SqlType::kTimestampTz}) {
    const RecordBatch batch =
        Column(type, {R"("2024-01-01T10:00:00Z")", R"("2024-01-01T10:00:00+02:00")",
                      R"("2024-01-01 10:00:00")", R"("2024-01-01")",
                      R"("2024-01-01T10:00:00.5-0100")", R"("yesterday")", "1704067200"});
    const ColumnData& column = batch.columns[0];
    EXPECT_EQ(column.valid, (std::vector<std::uint8_t>{1, 1, 1, 1, 1, 0, 0}));
    EXPECT_EQ(column.ints, (std::vector<std::int64_t>{kMidnight + 10 * kHour,
                                                      kMidnight + 8 * kHour,
                                                      kMidnight + 10 * kHour, kMidnight,
                                                      kMidnight + 11 * kHour + 500'000, 0, 0}));
    EXPECT_EQ(Meta(batch, 5), kNulledV);
    EXPECT_EQ(Meta(batch, 6), kNulledV);
  }
}

TEST(RecordBatchBuilderTest, JsonColumnsHoldCompactJsonOfAnyValue) {
  const RecordBatch batch =
      Column(SqlType::kJson, {R"({ "a" : [1, 2.50], "b": "é" })", R"("text")", "12.0", "true",
                              "null", R"([ ])"});
  const ColumnData& column = batch.columns[0];
  EXPECT_EQ(column.valid, (std::vector<std::uint8_t>{1, 1, 1, 1, 0, 1}));
  EXPECT_EQ(column.TextAt(0), R"({"a":[1,2.50],"b":"é"})");
  EXPECT_EQ(column.TextAt(1), R"("text")");
  EXPECT_EQ(column.TextAt(2), "12.0");
  EXPECT_EQ(column.TextAt(3), "true");
  EXPECT_EQ(column.TextAt(4), "");
  EXPECT_EQ(column.TextAt(5), "[]");
}

TEST(RecordBatchBuilderTest, KeysMatchPropertiesExactlyThenByNormalizedName) {
  const auto layout = MakeLayout({{"id", "id", SqlType::kBigint},
                                  {"upper", "Upper", SqlType::kVarchar},
                                  {"first_name", "First Name", SqlType::kVarchar}});
  const RecordBatch batch =
      Build(layout, {R"({"id": 1, "Upper": "exact", "First Name": "x", "unknown": 5})",
                     R"({"ID": 2, "upper": "normalized", "first-name": "y"})",
                     R"({"UPPER": "again", "Id": 3})"});
  ASSERT_EQ(batch.rows, 3u);
  EXPECT_EQ(batch.columns[0].ints, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(batch.columns[1].TextAt(0), "exact");
  EXPECT_EQ(batch.columns[1].TextAt(1), "normalized");
  EXPECT_EQ(batch.columns[1].TextAt(2), "again");
  EXPECT_EQ(batch.columns[2].TextAt(0), "x");
  EXPECT_EQ(batch.columns[2].TextAt(1), "y");
  EXPECT_EQ(batch.columns[2].valid[2], 0);
  EXPECT_EQ(batch.columns.size(), 6u);  // "unknown" pruned
}

TEST(RecordBatchBuilderTest, LaterDuplicateKeyOverwritesEarlier) {
  const auto layout = MakeLayout({{"name", "Name", SqlType::kVarchar}});
  const RecordBatch batch = Build(layout, {R"({"Name": "first", "name": "second"})",
                                           R"({"name": "first", "Name": "second"})",
                                           R"({"Name": "bad", "Name": null})"});
  EXPECT_EQ(batch.columns[0].TextAt(0), "second");
  EXPECT_EQ(batch.columns[0].TextAt(1), "second");
  EXPECT_EQ(batch.columns[0].valid[2], 0);
}

TEST(RecordBatchBuilderTest, DataKeysNeverFillInternalColumns) {
  const auto layout = MakeLayout({{"id", "id", SqlType::kBigint}});
  const RecordBatch batch = Build(
      layout, {R"({"id": 1, "_airbyte_meta": {"changes": [1]}, "_airbyte_raw_id": "mine",
                 "_airbyte_extracted_at": "2000-01-01T00:00:00Z", "_AIRBYTE_META": 5})"});
  EXPECT_EQ(batch.columns[1].TextAt(0).size(), 36u);
  EXPECT_NE(batch.columns[1].TextAt(0), "mine");
  EXPECT_EQ(batch.columns[2].ints[0], kEmittedAt * 1000);
  EXPECT_EQ(Meta(batch, 0), "{}");
}

TEST(RecordBatchBuilderTest, FillsInternalColumns) {
  const RecordBatch batch = Build(SingleColumn(SqlType::kBigint), {"{}", "{}", "{}"});
  const ColumnData& raw_id = batch.columns[1];
  const ColumnData& extracted_at = batch.columns[2];
  const ColumnData& meta = batch.columns[3];
  EXPECT_EQ(raw_id.type, SqlType::kVarchar);
  EXPECT_EQ(extracted_at.type, SqlType::kTimestampTz);
  EXPECT_EQ(meta.type, SqlType::kJson);
  std::set<std::string> ids;
  for (std::size_t row = 0; row < 3; ++row) {
    const std::string_view id = raw_id.TextAt(row);
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id.substr(0, 13), "018cc251-f47b");  // 48-bit ms of kEmittedAt
    EXPECT_EQ(id[14], '7');
    EXPECT_NE(std::string_view("89ab").find(id[19]), std::string_view::npos);
    ids.emplace(id);
    EXPECT_EQ(raw_id.valid[row], 1);
    EXPECT_EQ(extracted_at.ints[row], kEmittedAt * 1000);
    EXPECT_EQ(meta.TextAt(row), "{}");
  }
  EXPECT_EQ(ids.size(), 3u);
}

TEST(RecordBatchBuilderTest, MetaKeepsSourceChangesBeforeOurs) {
  const auto layout = MakeLayout({{"a", "a", SqlType::kBigint}, {"b", "b\"q", SqlType::kDate}});
  const Json meta = Json::parse(
      R"({"changes": [{"field": "x", "change": "TRUNCATED", "reason": "SOURCE_RECORD_SIZE_LIMITATION"}]})");
  RecordBatchBuilder builder(layout);
  builder.AddJson(R"({"a": "no", "b\"q": "never"})", kEmittedAt, meta);
  builder.AddJson(R"({"a": 1})", kEmittedAt, meta);
  builder.AddJson(R"({"a": 1})", kEmittedAt, Json::parse(R"({"changes": []})"));
  builder.AddJson(R"({"a": 1.5})", kEmittedAt, Json::parse(R"({"other": 1})"));
  const RecordBatch batch = builder.Take();
  EXPECT_EQ(Meta(batch, 0),
            R"({"changes":[{"field":"x","change":"TRUNCATED","reason":"SOURCE_RECORD_SIZE_LIMITATION"},)"
            R"({"field":"a","change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"},)"
            R"({"field":"b\"q","change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"}]})");
  EXPECT_EQ(Meta(batch, 1),
            R"({"changes":[{"field":"x","change":"TRUNCATED","reason":"SOURCE_RECORD_SIZE_LIMITATION"}]})");
  EXPECT_EQ(Meta(batch, 2), "{}");
  EXPECT_EQ(Meta(batch, 3),
            R"({"changes":[{"field":"a","change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"}]})");
  EXPECT_TRUE(Json::parse(Meta(batch, 0)).is_object());
}

StreamLayoutPtr AllTypesLayout() {
  return MakeLayout({{"s", "s", SqlType::kVarchar},
                     {"i", "i", SqlType::kBigint},
                     {"d", "d", SqlType::kDecimal},
                     {"f", "f", SqlType::kDouble},
                     {"b", "b", SqlType::kBoolean},
                     {"dt", "dt", SqlType::kDate},
                     {"ts", "ts", SqlType::kTimestampTz},
                     {"j", "j", SqlType::kJson},
                     {"o", "O", SqlType::kVarchar},
                     {"n", "n", SqlType::kBigint},
                     {"vi", "vi", SqlType::kVarchar},
                     {"vf", "vf", SqlType::kVarchar},
                     {"js", "js", SqlType::kJson},
                     {"bad", "bad", SqlType::kBigint}});
}

void ExpectSameBatch(const RecordBatch& a, const RecordBatch& b) {
  ASSERT_EQ(a.rows, b.rows);
  ASSERT_EQ(a.columns.size(), b.columns.size());
  const std::size_t raw_id = a.columns.size() - 3;
  for (std::size_t c = 0; c < a.columns.size(); ++c) {
    if (c == raw_id) continue;  // random
    const ColumnData& x = a.columns[c];
    const ColumnData& y = b.columns[c];
    SCOPED_TRACE(a.layout->columns[c].name);
    EXPECT_EQ(x.type, y.type);
    EXPECT_EQ(x.valid, y.valid);
    EXPECT_EQ(x.ints, y.ints);
    EXPECT_EQ(x.decimals, y.decimals);
    EXPECT_EQ(x.doubles, y.doubles);
    EXPECT_EQ(x.text, y.text);
    EXPECT_EQ(x.offsets, y.offsets);
  }
}

TEST(RecordBatchBuilderTest, TypedAndJsonRecordsGiveTheSameBatch) {
  const auto layout = AllTypesLayout();
  auto fields = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{
      "s", "i", "d", "f", "b", "dt", "ts", "j", "O", "n", "vi", "vf", "js", "bad", "dropped"});
  protocol::TypedRecord typed{.fields = fields, .values = {}};
  typed.values = {std::string("héllo"),
                  std::int64_t{42},
                  2.5,
                  std::int64_t{3},
                  true,
                  std::string("2024-01-01"),
                  std::string("2024-01-01T10:00:00+02:00"),
                  protocol::RawJson{R"({"k":[1,"é"]})"},
                  protocol::RawJson{R"({"nested_column":"nested_value"})"},
                  std::monostate{},
                  std::int64_t{-9},
                  1.0,
                  std::string("q\"uote"),
                  std::string("not a number"),
                  std::int64_t{1}};
  const std::string json =
      R"({"s":"héllo","i":42,"d":2.5,"f":3,"b":true,"dt":"2024-01-01",)"
      R"("ts":"2024-01-01T10:00:00+02:00","j":{"k":[1,"é"]},"O":{"nested_column":"nested_value"},)"
      R"("n":null,"vi":-9,"vf":1.0,"js":"q\"uote","bad":"not a number","dropped":1})";
  const Json meta = Json::parse(R"({"changes":[{"field":"z","change":"NULLED","reason":"x"}]})");

  RecordBatchBuilder typed_builder(layout);
  typed_builder.AddTyped(typed, kEmittedAt, meta);
  typed_builder.AddTyped(typed, kEmittedAt, nullptr);
  RecordBatchBuilder json_builder(layout);
  json_builder.AddJson(json, kEmittedAt, meta);
  json_builder.AddJson(json, kEmittedAt, nullptr);
  const RecordBatch from_typed = typed_builder.Take();
  const RecordBatch from_json = json_builder.Take();
  ExpectSameBatch(from_typed, from_json);

  EXPECT_EQ(from_json.columns[8].TextAt(0), R"({"nested_column": "nested_value"})");
  EXPECT_EQ(from_json.columns[7].TextAt(0), R"({"k":[1,"é"]})");
  EXPECT_EQ(from_json.columns[2].decimals[0], Decimal("2.5"));
  EXPECT_EQ(from_json.columns[3].doubles[0], 3.0);
  EXPECT_EQ(from_json.columns[10].TextAt(0), "-9");
  EXPECT_EQ(from_json.columns[11].TextAt(0), "1.0");
  EXPECT_EQ(from_json.columns[12].TextAt(0), R"("q\"uote")");
  EXPECT_EQ(from_json.columns[13].valid[0], 0);
  EXPECT_THAT(Meta(from_json, 0), HasSubstr(R"({"field":"bad","change":"NULLED")"));
  EXPECT_THAT(Meta(from_json, 0), HasSubstr(R"([{"field":"z","change":"NULLED","reason":"x"},)"));
}

TEST(RecordBatchBuilderTest, TypedRecordsConvertNumbersByColumnType) {
  const auto layout = MakeLayout({{"i", "i", SqlType::kBigint},
                                  {"d", "d", SqlType::kDecimal},
                                  {"f", "f", SqlType::kDouble},
                                  {"b", "b", SqlType::kBoolean}});
  auto fields =
      std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"i", "d", "f", "b"});
  RecordBatchBuilder builder(layout);
  builder.AddTyped({.fields = fields, .values = {12.0, std::int64_t{-5}, std::int64_t{7}, false}},
                   kEmittedAt, nullptr);
  builder.AddTyped({.fields = fields,
                    .values = {12.5, 1e40, std::numeric_limits<double>::quiet_NaN(),
                               std::int64_t{1}}},
                   kEmittedAt, nullptr);
  // Another field list (another pointer) re-maps the fields.
  auto other = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"b", "I"});
  builder.AddTyped({.fields = other, .values = {std::string("TRUE"), std::int64_t{9}}}, kEmittedAt,
                   nullptr);
  const RecordBatch batch = builder.Take();
  EXPECT_EQ(batch.columns[0].valid, (std::vector<std::uint8_t>{1, 0, 1}));
  EXPECT_EQ(batch.columns[0].ints, (std::vector<std::int64_t>{12, 0, 9}));
  EXPECT_EQ(batch.columns[1].valid, (std::vector<std::uint8_t>{1, 0, 0}));
  EXPECT_EQ(batch.columns[1].decimals[0], Decimal("-5"));
  EXPECT_EQ(batch.columns[2].valid, (std::vector<std::uint8_t>{1, 0, 0}));  // NaN is null
  EXPECT_EQ(batch.columns[2].doubles[0], 7.0);
  EXPECT_EQ(batch.columns[3].valid, (std::vector<std::uint8_t>{1, 0, 1}));
  EXPECT_EQ(batch.columns[3].ints, (std::vector<std::int64_t>{0, 0, 1}));
  EXPECT_EQ(Meta(batch, 1),
            R"({"changes":[{"field":"i","change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"},)"
            R"({"field":"d","change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"},)"
            R"({"field":"b","change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"}]})");
}

TEST(RecordBatchBuilderTest, AddUsesTypedValuesWhenPresent) {
  const auto layout = SingleColumn(SqlType::kBigint);
  RecordBatchBuilder builder(layout);
  protocol::RecordMessage record;
  record.stream = "users";
  record.data = R"({"v": 1})";
  record.emitted_at = kEmittedAt;
  builder.Add(record);
  record.typed = protocol::TypedRecord{
      .fields = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"v"}),
      .values = {std::int64_t{2}}};
  builder.Add(record);
  const RecordBatch batch = builder.Take();
  EXPECT_EQ(batch.columns[0].ints, (std::vector<std::int64_t>{1, 2}));
}

TEST(RecordBatchBuilderTest, TakeReturnsRowsAndStartsAnEmptyBatch) {
  const auto layout = SingleColumn(SqlType::kVarchar);
  RecordBatchBuilder builder(layout);
  EXPECT_EQ(builder.rows(), 0u);
  builder.AddJson(R"({"v": "a"})", kEmittedAt, nullptr);
  builder.AddJson(R"({"v": "bc"})", kEmittedAt, nullptr);
  EXPECT_EQ(builder.rows(), 2u);
  EXPECT_EQ(builder.bytes(), 21u);
  RecordBatch first = builder.Take();
  EXPECT_EQ(first.rows, 2u);
  EXPECT_EQ(first.input_bytes, 21u);
  EXPECT_EQ(first.layout, layout);
  EXPECT_EQ(builder.rows(), 0u);
  EXPECT_EQ(builder.bytes(), 0u);

  builder.AddJson(R"({"v": "d"})", kEmittedAt, nullptr);
  const RecordBatch second = builder.Take();
  ASSERT_EQ(second.rows, 1u);
  ASSERT_EQ(second.columns.size(), 4u);
  for (const ColumnData& column : second.columns) EXPECT_EQ(column.valid.size(), 1u);
  EXPECT_EQ(second.columns[0].offsets, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(second.columns[0].TextAt(0), "d");
  EXPECT_EQ(first.columns[0].TextAt(1), "bc");

  const RecordBatch empty = builder.Take();
  EXPECT_EQ(empty.rows, 0u);
  EXPECT_EQ(empty.columns[0].offsets, (std::vector<std::uint32_t>{0}));
  EXPECT_TRUE(empty.columns[1].valid.empty());
}

TEST(RecordBatchBuilderTest, ManyRowsKeepColumnsAligned) {
  const auto layout = AllTypesLayout();
  RecordBatchBuilder builder(layout);
  constexpr std::size_t kRows = 5000;
  for (std::size_t i = 0; i < kRows; ++i) {
    const std::string record = R"({"s": "row )" + std::to_string(i) + R"(", "i": )" +
                               std::to_string(i) + (i % 3 == 0 ? R"(, "bad": "x"})" : "}");
    builder.AddJson(record, kEmittedAt + static_cast<std::int64_t>(i), nullptr);
  }
  const RecordBatch batch = builder.Take();
  ASSERT_EQ(batch.rows, kRows);
  for (const ColumnData& column : batch.columns) {
    ASSERT_EQ(column.valid.size(), kRows);
    const std::size_t values = column.ints.size() + column.decimals.size() +
                               column.doubles.size() +
                               (column.offsets.empty() ? 0 : column.offsets.size() - 1);
    EXPECT_EQ(values, kRows);
  }
  EXPECT_EQ(batch.columns[0].TextAt(4999), "row 4999");
  EXPECT_EQ(batch.columns[1].ints[4999], 4999);
  EXPECT_EQ(Meta(batch, 3),
            R"({"changes":[{"field":"bad","change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"}]})");
  EXPECT_EQ(Meta(batch, 4), "{}");
}

TEST(RecordBatchBuilderTest, NonObjectDataIsAProtocolErrorNamingTheStream) {
  const auto layout = SingleColumn(SqlType::kVarchar);
  RecordBatchBuilder builder(layout);
  for (const char* data : {R"(["secret-value"])", R"("secret-value")", "42", "null"}) {
    EXPECT_THAT([&] { builder.AddJson(data, kEmittedAt, nullptr); },
                ThrowsError(ErrorKind::kProtocol,
                            AllOf(HasSubstr("not a JSON object"), HasSubstr("users"),
                                  Not(HasSubstr("secret-value")))))
        << data;
  }
  EXPECT_EQ(builder.rows(), 0u);
}

TEST(RecordBatchBuilderTest, InvalidJsonIsAProtocolError) {
  const auto layout = MakeLayout({{"v", "v", SqlType::kVarchar}, {"w", "w", SqlType::kJson}});
  RecordBatchBuilder builder(layout);
  for (const char* data :
       {R"({"v": "secret-value")", R"({"v": "secret-value"} {})", R"({"v": 01})",
        R"({"v": tru})", R"({"v" "secret-value"})", "", R"({"w": nul})"}) {
    EXPECT_THAT([&] { builder.AddJson(data, kEmittedAt, nullptr); },
                ThrowsError(ErrorKind::kProtocol,
                            AllOf(HasSubstr("users"), Not(HasSubstr("secret-value")))))
        << data;
  }
  // The builder stays usable and holds only complete rows.
  builder.AddJson(R"({"v": "ok"})", kEmittedAt, nullptr);
  const RecordBatch batch = builder.Take();
  ASSERT_EQ(batch.rows, 1u);
  for (const ColumnData& column : batch.columns) EXPECT_EQ(column.valid.size(), 1u);
  EXPECT_EQ(batch.columns[0].TextAt(0), "ok");
}

TEST(RecordBatchBuilderTest, LayoutWithoutInternalColumnsIsRejected) {
  auto layout = std::make_shared<StreamLayout>();
  layout->stream = "users";
  layout->columns = {{"v", "v", SqlType::kVarchar}};
  EXPECT_THAT([&] { RecordBatchBuilder builder(layout); },
              ThrowsError(ErrorKind::kInternal, HasSubstr("internal columns")));
}

TEST(RecordBatchBuilderTest, MovedBuilderKeepsItsRows) {
  RecordBatchBuilder builder(SingleColumn(SqlType::kBigint));
  builder.AddJson(R"({"v": 1})", kEmittedAt, nullptr);
  RecordBatchBuilder moved = std::move(builder);
  moved.AddJson(R"({"v": 2})", kEmittedAt, nullptr);
  EXPECT_EQ(moved.Take().columns[0].ints, (std::vector<std::int64_t>{1, 2}));
}

// Native connectors' strings reach the database unchecked, so the builder repairs them.
TEST(RecordBatchBuilderTest, TypedStringsWithInvalidUtf8AreRepaired) {
  const auto layout = MakeLayout({{"s", "s", SqlType::kVarchar}, {"j", "j", SqlType::kJson}});
  auto fields =
      std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"s", "j"});
  RecordBatchBuilder builder(layout);
  builder.AddTyped({.fields = fields,
                    .values = {std::string("caf\xC3\xA9 \xFF end"),
                               protocol::RawJson{"[\"\xC3\"]"}}},
                   kEmittedAt, nullptr);
  builder.AddTyped({.fields = fields, .values = {std::string("ok \xC3\xA9"), std::monostate{}}},
                   kEmittedAt, nullptr);
  const RecordBatch batch = builder.Take();
  EXPECT_EQ(batch.columns[0].TextAt(0), "caf\xC3\xA9 \xEF\xBF\xBD end");
  EXPECT_EQ(batch.columns[1].TextAt(0), "[\"\xEF\xBF\xBD\"]");
  EXPECT_EQ(batch.columns[0].TextAt(1), "ok \xC3\xA9");
}

// The one-pass form (data read inside the message line's own parse) gives AddJson's rows.
TEST(RecordBatchBuilderTest, JsonRowsReadDuringTheMessageParseMatchAddJson) {
  const auto layout = AllTypesLayout();
  const std::string data =
      R"({"s":"h\u00e9llo","i":42,"d":2.5,"f":3,"b":true,"dt":"2024-01-01",)"
      R"("ts":"2024-01-01T10:00:00+02:00","j":{"k":[1,"é"]},"O":{"nested_column":"v"},)"
      R"("n":null,"vi":-9,"vf":1.0,"js":"q\"uote","bad":"not a number","dropped":[1,{"x":2}]})";
  const Json meta = Json::parse(R"({"changes":[{"field":"z","change":"NULLED","reason":"x"}]})");
  const std::string line = R"({"type":"RECORD","record":{"stream":"users","data":)" + data +
                           R"(,"emitted_at":1704067200123}})" + std::string(64, ' ');

  RecordBatchBuilder json_builder(layout);
  json_builder.AddJson(data, kEmittedAt, meta);
  json_builder.AddJson(data, kEmittedAt, nullptr);

  RecordBatchBuilder one_pass(layout);
  simdjson::ondemand::parser parser;
  for (const Json* row_meta : {&meta, static_cast<const Json*>(nullptr)}) {
    simdjson::ondemand::document doc;
    ASSERT_EQ(parser.iterate(line.data(), line.size() - 64, line.size()).get(doc),
              simdjson::SUCCESS);
    simdjson::ondemand::object object;
    ASSERT_EQ(doc["record"]["data"].get_object().get(object), simdjson::SUCCESS);
    one_pass.BeginJsonRow({object});
    one_pass.FinishJsonRow(data.size(), kEmittedAt, row_meta != nullptr ? *row_meta : Json());
  }
  const RecordBatch expected = json_builder.Take();
  const RecordBatch actual = one_pass.Take();
  ExpectSameBatch(expected, actual);
  EXPECT_EQ(actual.input_bytes, expected.input_bytes);
  EXPECT_EQ(actual.columns[0].TextAt(0), "h\xC3\xA9llo");
}

TEST(RecordBatchBuilderTest, PendingJsonRowIsDiscardedByAnotherAdd) {
  const auto layout = SingleColumn(SqlType::kBigint);
  RecordBatchBuilder builder(layout);
  const std::string line = R"({"v":1})" + std::string(64, ' ');
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  ASSERT_EQ(parser.iterate(line.data(), 7, line.size()).get(doc), simdjson::SUCCESS);
  simdjson::ondemand::object object;
  ASSERT_EQ(doc.get_object().get(object), simdjson::SUCCESS);
  builder.BeginJsonRow({object});
  builder.AddJson(R"({"v":2})", kEmittedAt, nullptr);
  EXPECT_THAT([&] { builder.FinishJsonRow(7, kEmittedAt, nullptr); },
              ThrowsError(ErrorKind::kInternal, HasSubstr("FinishJsonRow")));
  const RecordBatch batch = builder.Take();
  ASSERT_EQ(batch.rows, 1u);
  EXPECT_EQ(batch.columns[0].ints, (std::vector<std::int64_t>{2}));
}

}  // namespace
}  // namespace airbyte::caches
