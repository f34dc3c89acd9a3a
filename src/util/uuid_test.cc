#include "util/uuid.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace airbyte::util {
namespace {

TEST(UuidTest, IsVersion7WithRfcVariant) {
  const std::regex pattern("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewUuidV7();
    EXPECT_EQ(id.size(), 36u);
    EXPECT_TRUE(std::regex_match(id, pattern)) << id;
  }
}

TEST(UuidTest, EncodesMillisecondsInTheFirst48Bits) {
  const std::string id = NewUuidV7(0x0123456789ABll);
  EXPECT_EQ(id.substr(0, 13), "01234567-89ab");
}

TEST(UuidTest, IsUniqueAndOrderedByTime) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.insert(NewUuidV7());
  EXPECT_EQ(ids.size(), 10000u);
  EXPECT_LT(NewUuidV7(1000), NewUuidV7(2000));
}

TEST(UuidTest, FormatsExtractedAtLikePyAirbyte) {
  EXPECT_EQ(FormatUtcMillis(1704067200000), "2024-01-01T00:00:00+00:00");
  EXPECT_EQ(FormatUtcMillis(1704067200123), "2024-01-01T00:00:00.123000+00:00");
  EXPECT_EQ(FormatUtcMillis(0), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(FormatUtcMillis(-1), "1969-12-31T23:59:59.999000+00:00");
}

}  // namespace
}  // namespace airbyte::util
