#include "sources/stream_record.h"

#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "airbyte/error.h"
#include "airbyte/records.h"
#include "testutil/testutil.h"

namespace airbyte::sources {
namespace {

using ::airbyte::testutil::ThrowsError;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr std::int64_t kEmittedAtMs = 1735689600000;  // 2025-01-01T00:00:00Z

// Properties Upper, lower, other: the behavior doc's example (6.4).
Json ExampleSchema() {
  return Json::parse(R"({
    "type": "object",
    "properties": {"Upper": {"type": "integer"}, "lower": {"type": "integer"},
                   "other": {"type": "string"}}
  })");
}

StreamRecord MakeRecord(const Json& data, bool normalize_keys = false, bool prune = true,
                        const Json& schema = ExampleSchema(),
                        std::int64_t emitted_at = kEmittedAtMs) {
  auto handler = std::make_shared<const StreamRecordHandler>(schema, normalize_keys, prune);
  return StreamRecord(handler, handler->BuildRecord(data, emitted_at));
}

// The stored keys, in order.
std::vector<std::string> Keys(const StreamRecord& record) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : record.ToJson().items()) keys.push_back(key);
  return keys;
}

// The stored data without the three internal columns.
Json UserColumns(const StreamRecord& record) {
  Json out = Json::object();
  for (const auto& [key, value] : record.ToJson().items()) {
    if (key.rfind("_airbyte_", 0) != 0) out[key] = value;
  }
  return out;
}

TEST(StreamRecordTest, WithoutNormalizingKeysStoresSchemaCase) {
  const StreamRecord record = MakeRecord({{"Upper", 1}, {"lower", 2}});
  EXPECT_EQ(UserColumns(record), Json({{"Upper", 1}, {"lower", 2}, {"other", nullptr}}));
}

TEST(StreamRecordTest, NormalizingKeysStoresLowerCaseKeys) {
  const StreamRecord record = MakeRecord({{"Upper", 1}, {"lower", 2}}, /*normalize_keys=*/true);
  EXPECT_EQ(UserColumns(record), Json({{"upper", 1}, {"lower", 2}, {"other", nullptr}}));
}

TEST(StreamRecordTest, IncomingKeysInOtherCaseMapToTheSchemaSpelling) {
  const StreamRecord record = MakeRecord({{"UPPER", 1}, {"LOWER", 2}, {"Other", "x"}});
  EXPECT_EQ(UserColumns(record), Json({{"Upper", 1}, {"lower", 2}, {"other", "x"}}));
}

TEST(StreamRecordTest, MissingPropertiesAreNull) {
  const StreamRecord record = MakeRecord(Json::object());
  EXPECT_EQ(UserColumns(record),
            Json({{"Upper", nullptr}, {"lower", nullptr}, {"other", nullptr}}));
}

TEST(StreamRecordTest, UndeclaredFieldsArePrunedByDefault) {
  const StreamRecord record = MakeRecord({{"Upper", 1}, {"extra", true}});
  EXPECT_FALSE(record.contains("extra"));
  EXPECT_EQ(record.size(), 6u);  // 3 properties + 3 internal columns
}

TEST(StreamRecordTest, UndeclaredFieldsAreKeptWithoutPruning) {
  const StreamRecord record = MakeRecord({{"Upper", 1}, {"extra", true}}, false, /*prune=*/false);
  EXPECT_EQ(record.at("extra"), true);
  EXPECT_EQ(record.size(), 7u);
}

TEST(StreamRecordTest, InternalColumnsArePresent) {
  const StreamRecord record = MakeRecord({{"Upper", 1}});
  EXPECT_THAT(record.at("_airbyte_raw_id").get<std::string>(),
              MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  EXPECT_EQ(record.at("_airbyte_extracted_at"), "2025-01-01T00:00:00+00:00");
  EXPECT_EQ(record.at("_airbyte_meta"), Json::object());
}

TEST(StreamRecordTest, ExtractedAtKeepsMillisecondsAsMicroseconds) {
  const StreamRecord record =
      MakeRecord({{"Upper", 1}}, false, true, ExampleSchema(), kEmittedAtMs + 123);
  EXPECT_EQ(record.at("_airbyte_extracted_at"), "2025-01-01T00:00:00.123000+00:00");
}

TEST(StreamRecordTest, EveryRecordGetsItsOwnRawId) {
  EXPECT_NE(MakeRecord({}).at("_airbyte_raw_id"), MakeRecord({}).at("_airbyte_raw_id"));
}

TEST(StreamRecordTest, LookupIsCaseInsensitive) {
  const StreamRecord record = MakeRecord({{"Upper", 1}, {"lower", 2}});
  EXPECT_EQ(record.at("Upper"), 1);
  EXPECT_EQ(record.at("upper"), 1);
  EXPECT_EQ(record.at("UPPER"), 1);
  EXPECT_EQ(record.at("LOWER"), 2);
  EXPECT_TRUE(record.contains("uPpEr"));
  EXPECT_TRUE(record.contains("OTHER"));
  EXPECT_FALSE(record.contains("missing"));
}

TEST(StreamRecordTest, LookupIsCaseInsensitiveWhenNormalizing) {
  const StreamRecord record = MakeRecord({{"Upper", 1}}, /*normalize_keys=*/true);
  EXPECT_EQ(record.at("Upper"), 1);
  EXPECT_EQ(record.at("UPPER"), 1);
}

TEST(StreamRecordTest, AtOfMissingKeyThrowsInputError) {
  const StreamRecord record = MakeRecord({{"Upper", 1}});
  EXPECT_THAT([&] { record.at("missing"); }, ThrowsError(ErrorKind::kInput, HasSubstr("missing")));
  EXPECT_THAT([&] { record.at("+"); }, ThrowsError(ErrorKind::kInput, HasSubstr("+")));
}

TEST(StreamRecordTest, SetStoresUnderTheIndexCase) {
  StreamRecord record = MakeRecord({{"Upper", 1}});
  record.Set("UPPER", 5);
  EXPECT_EQ(record.ToJson()["Upper"], 5);
  EXPECT_FALSE(record.ToJson().contains("UPPER"));
}

TEST(StreamRecordTest, SetOfUndeclaredKeyIsIgnoredWhenPruning) {
  StreamRecord record = MakeRecord({{"Upper", 1}});
  record.Set("extra", 1);
  EXPECT_FALSE(record.contains("extra"));
}

TEST(StreamRecordTest, SetOfUndeclaredKeyIsKeptWithoutPruning) {
  StreamRecord record = MakeRecord({{"Upper", 1}}, false, /*prune=*/false);
  record.Set("extra", 1);
  EXPECT_EQ(record.at("extra"), 1);
}

TEST(StreamRecordTest, EraseRemovesByAnyCase) {
  StreamRecord record = MakeRecord({{"Upper", 1}});
  record.Erase("OTHER");
  EXPECT_FALSE(record.contains("other"));
  record.Erase("upper");
  EXPECT_FALSE(record.contains("Upper"));
  EXPECT_THAT([&] { record.Erase("upper"); }, ThrowsError(ErrorKind::kInput, HasSubstr("upper")));
}

TEST(StreamRecordTest, EqualsJsonObjectIgnoringKeyCase) {
  const StreamRecord record = MakeRecord({{"Upper", 1}, {"lower", 2}});
  Json same_other_case = Json::object();
  for (const auto& [key, value] : record.ToJson().items()) {
    same_other_case[key == "Upper" ? "UPPER" : key == "lower" ? "Lower" : key] = value;
  }
  EXPECT_TRUE(record == same_other_case);
  Json different = same_other_case;
  different["UPPER"] = 9;
  EXPECT_FALSE(record == different);
  EXPECT_FALSE(record == Json::array());
}

TEST(StreamRecordTest, EqualsCopyButNotARecordWithAnotherRawId) {
  const StreamRecord record = MakeRecord({{"Upper", 1}});
  const StreamRecord copy = record;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_TRUE(record == copy);
  EXPECT_FALSE(record == MakeRecord({{"Upper", 1}}));
}

TEST(StreamRecordTest, KeyNormalizingToEmptyFailsTheRecord) {
  auto handler = std::make_shared<const StreamRecordHandler>(ExampleSchema(), false, true);
  EXPECT_THAT(
      [&] {
        handler->BuildRecord(Json{{"+", 1}}, kEmittedAtMs);
      },
      ThrowsError(ErrorKind::kNameNormalization, HasSubstr("+")));
}

TEST(StreamRecordTest, ColumnsFollowTheSchemaPropertyOrder) {
  const Json schema = Json::parse(R"({
    "type": "object",
    "properties": {"zeta": {}, "alpha": {}, "Mid": {}}
  })");
  auto handler = std::make_shared<const StreamRecordHandler>(schema, false, true);
  EXPECT_THAT(handler->properties(), ElementsAre("zeta", "alpha", "Mid"));
  const StreamRecord record =
      MakeRecord({{"alpha", 1}, {"mid", 2}, {"zeta", 3}}, false, true, schema);
  EXPECT_THAT(Keys(record), ElementsAre("zeta", "alpha", "Mid", "_airbyte_raw_id",
                                        "_airbyte_extracted_at", "_airbyte_meta"));
}

TEST(StreamRecordTest, SchemaWithoutPropertiesGivesOnlyInternalColumnsWhenPruning) {
  const StreamRecord record = MakeRecord({{"a", 1}}, false, true, Json{{"type", "object"}});
  EXPECT_THAT(Keys(record),
              ElementsAre("_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta"));
}

}  // namespace
}  // namespace airbyte::sources
