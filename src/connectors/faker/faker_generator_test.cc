#include "connectors/faker/faker_generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <string_view>

#include "connectors/faker/faker_words.h"
#include "protocol/serializer.h"

namespace airbyte::connectors {
namespace {

using protocol::TypedRecord;

const std::string& Str(const TypedRecord& record, std::size_t i) {
  return std::get<std::string>(record.values.at(i));
}
std::int64_t Int(const TypedRecord& record, std::size_t i) {
  return std::get<std::int64_t>(record.values.at(i));
}
bool IsNull(const TypedRecord& record, std::size_t i) {
  return std::holds_alternative<std::monostate>(record.values.at(i));
}

// The record's data as JSON text (FieldValue has no operator== because of RawJson).
std::string Text(const TypedRecord& record) {
  protocol::RecordMessage message;
  message.typed = record;
  std::string out;
  protocol::AppendRecordDataJson(message, out);
  return out;
}

template <typename List>
void ExpectEscapeFree(const List& list) {
  for (std::string_view word : list) {
    EXPECT_FALSE(word.empty());
    for (char c : word) {
      EXPECT_TRUE(c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) << word;
    }
  }
}

TEST(FakerWordsTest, AddressWordsNeedNoJsonEscaping) {
  ExpectEscapeFree(faker_words::kStreetNames);
  ExpectEscapeFree(faker_words::kCities);
  ExpectEscapeFree(faker_words::kStates);
  ExpectEscapeFree(faker_words::kProvinces);
  ExpectEscapeFree(faker_words::kCountryCodes);
}

TEST(FakerGeneratorTest, FormatsUpdatedAtAsAirbyteTime) {
  FakerGenerator generator(1);
  generator.SetNow(0);
  EXPECT_EQ(generator.updated_at(), "1970-01-01T00:00:00+00:00");
  generator.SetNow(1'700'000'000);
  EXPECT_EQ(generator.updated_at(), "2023-11-14T22:13:20+00:00");
  generator.SetNow(951'782'400);  // leap day 2000
  EXPECT_EQ(generator.updated_at(), "2000-02-29T00:00:00+00:00");
}

TEST(FakerGeneratorTest, PurchaseIdsAreContiguousForEveryCount) {
  for (std::int64_t count = 0; count < 400; ++count) {
    std::int64_t expected = 1;
    for (std::int64_t u = 0; u < count; ++u) {
      for (int slot = 0; slot < FakerGenerator::PurchaseCountForUser(u); ++slot) {
        ASSERT_EQ(FakerGenerator::PurchaseId(u, slot), expected) << "count " << count;
        ++expected;
      }
    }
    EXPECT_EQ(expected - 1, FakerGenerator::PurchaseTotal(count)) << "count " << count;
  }
}

TEST(FakerGeneratorTest, UsersWithIdEndingSevenBuyNothingAndNineBuyTwice) {
  EXPECT_EQ(FakerGenerator::PurchaseCountForUser(6), 0);   // user id 7
  EXPECT_EQ(FakerGenerator::PurchaseCountForUser(8), 2);   // user id 9
  EXPECT_EQ(FakerGenerator::PurchaseCountForUser(12), 1);  // user id 13
}

TEST(FakerGeneratorTest, ProductTableIsFixedWithTwoSpaceSeparatedTimestamps) {
  FakerGenerator a(1);
  FakerGenerator b(2);
  const std::regex t_format(R"(^202[12]-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$)");
  const std::regex space_format(R"(^202[12]-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$)");
  std::set<std::string> makes;
  for (std::int64_t i = 0; i < kFakerProductCount; ++i) {
    TypedRecord ra;
    TypedRecord rb;
    a.FillProduct(i, ra);
    b.FillProduct(i, rb);
    ASSERT_EQ(ra.values.size(), 7u);
    EXPECT_EQ(Int(ra, 0), i + 1);
    rb.values[6] = ra.values[6];  // updated_at: the generators' clocks may differ
    EXPECT_EQ(Text(ra), Text(rb)) << i;
    EXPECT_THAT(Int(ra, 3), ::testing::AllOf(::testing::Ge(1965), ::testing::Le(2014)));
    EXPECT_THAT(Int(ra, 4), ::testing::AllOf(::testing::Ge(2087), ::testing::Le(98732)));
    const bool quirk = i + 1 == 87 || i + 1 == 94;
    EXPECT_TRUE(std::regex_match(Str(ra, 5), quirk ? space_format : t_format)) << Str(ra, 5);
    makes.insert(Str(ra, 1));
  }
  EXPECT_GT(makes.size(), 10u);
}

TEST(FakerGeneratorTest, SameSeedAndClockGiveIdenticalPurchases) {
  FakerGenerator a(7);
  FakerGenerator b(7);
  a.SetNow(1'750'000'000);
  b.SetNow(1'750'000'000);
  for (std::int64_t u = 0; u < 200; ++u) {
    for (int slot = 0; slot < FakerGenerator::PurchaseCountForUser(u); ++slot) {
      TypedRecord ra;
      TypedRecord rb;
      a.FillPurchase(u, slot, ra);
      b.FillPurchase(u, slot, rb);
      EXPECT_EQ(Text(ra), Text(rb));
    }
  }
}

// The native executor hands consumed records back to be refilled: a record that held another
// stream's values must come out exactly as a fresh one.
TEST(FakerGeneratorTest, RefilledRecordsEqualFreshOnes) {
  FakerGenerator generator(7);
  generator.SetNow(1'750'000'000);
  TypedRecord reused;
  for (std::int64_t i = 0; i < 300; ++i) {
    TypedRecord fresh;
    switch (i % 3) {
      case 0:
        generator.FillUser(i, reused);
        generator.FillUser(i, fresh);
        break;
      case 1:
        generator.FillPurchase(i, 0, reused);
        generator.FillPurchase(i, 0, fresh);
        break;
      default:
        generator.FillProduct(i % 100, reused);
        generator.FillProduct(i % 100, fresh);
        break;
    }
    ASSERT_EQ(Text(reused), Text(fresh)) << i;
    ASSERT_EQ(reused.fields, fresh.fields);
  }
}

TEST(FakerGeneratorTest, PurchaseTimelineFollowsTheDocumentedRates) {
  FakerGenerator generator(3);
  generator.SetNow(1'750'000'000);
  const std::regex quirk(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$)");
  int total = 0;
  int purchased = 0;
  int returned = 0;
  for (std::int64_t u = 0; u < 10'000; ++u) {
    for (int slot = 0; slot < FakerGenerator::PurchaseCountForUser(u); ++slot) {
      TypedRecord record;
      generator.FillPurchase(u, slot, record);
      ++total;
      EXPECT_THAT(Int(record, 1), ::testing::AllOf(::testing::Ge(1), ::testing::Le(100)));
      EXPECT_EQ(Int(record, 2), u + 1);
      ASSERT_TRUE(std::regex_match(Str(record, 3), quirk)) << Str(record, 3);
      // Whole days are added, so the time of day is kept and the order holds textually.
      const std::string& added = Str(record, 5);
      EXPECT_EQ(added.substr(10, 9), Str(record, 3).substr(10, 9));
      EXPECT_GE(added.substr(0, 19), Str(record, 3).substr(0, 19));
      if (!IsNull(record, 6)) {
        ++purchased;
        EXPECT_GE(Str(record, 6), added);
        if (!IsNull(record, 7)) {
          ++returned;
          EXPECT_GE(Str(record, 7), Str(record, 6));
        }
      } else {
        EXPECT_TRUE(IsNull(record, 7));
      }
    }
  }
  EXPECT_NEAR(static_cast<double>(purchased) / total, 0.70, 0.03);
  EXPECT_NEAR(static_cast<double>(returned) / purchased, 0.15, 0.03);
}

TEST(FakerGeneratorTest, UserRecordHasTheDocumentedShapes) {
  FakerGenerator generator(11);
  std::set<std::string> blood_types;
  for (std::int64_t i = 0; i < 2000; ++i) {
    TypedRecord record;
    generator.FillUser(i, record);
    ASSERT_EQ(record.values.size(), record.fields->size());
    blood_types.insert(Str(record, 14));
  }
  EXPECT_EQ(blood_types.size(), 8u);
  EXPECT_TRUE(blood_types.contains("AB\u2212"));
}

}  // namespace
}  // namespace airbyte::connectors
