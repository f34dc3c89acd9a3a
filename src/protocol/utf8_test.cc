#include "protocol/utf8.h"

#include <gtest/gtest.h>

namespace airbyte::protocol {
namespace {

std::string Repair(std::string_view text) {
  std::string out;
  EXPECT_TRUE(AppendValidUtf8(text, out));
  return out;
}

// "\xEF\xBF\xBD" is U+FFFD.
constexpr const char* kR = "\xEF\xBF\xBD";

TEST(AppendValidUtf8Test, KeepsValidText) {
  const std::string text = "plain, caf\xC3\xA9, \xE2\x88\x92, \xF0\x9F\x98\x80";
  EXPECT_EQ(Repair(text), text);
  EXPECT_EQ(Repair(""), "");
}

// Expected values are what Python's bytes.decode("utf-8", "replace") gives.
TEST(AppendValidUtf8Test, ReplacesEachMaximalIllFormedSubpartLikePython) {
  EXPECT_EQ(Repair("\xE2\x82"), std::string(kR));
  EXPECT_EQ(Repair("a\xE2\x82"
                   "b"),
            std::string("a") + kR + "b");
  EXPECT_EQ(Repair("\xF0\x80\x80"), std::string(kR) + kR + kR);  // overlong
  EXPECT_EQ(Repair("\xED\xA0\x80"), std::string(kR) + kR + kR);  // surrogate
  EXPECT_EQ(Repair("\xC0\xAF"), std::string(kR) + kR);
  EXPECT_EQ(Repair("\xFF"), std::string(kR));
  EXPECT_EQ(Repair("\xF4\x90\x80\x80"), std::string(kR) + kR + kR + kR);  // > U+10FFFF
  EXPECT_EQ(Repair("\xF0\x9F\x98"), std::string(kR));                     // cut emoji
}

TEST(AppendValidUtf8Test, CutsAtCharacterBoundaryWhenOverBudget) {
  std::string out;
  EXPECT_FALSE(AppendValidUtf8("\xC3\xA9\xC3\xA9\xC3\xA9", out, 5));
  EXPECT_EQ(out, "\xC3\xA9\xC3\xA9");
  out.clear();
  EXPECT_FALSE(AppendValidUtf8("abcdef", out, 3));
  EXPECT_EQ(out, "abc");
  out.clear();
  EXPECT_TRUE(AppendValidUtf8("abc", out, 3));
}

TEST(Utf8SequenceLengthTest, ReportsLengthOrBadSubpart) {
  std::size_t bad = 0;
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9F\x98\x80", bad), 4u);
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82"
                               "A",
                               bad),
            0u);
  EXPECT_EQ(bad, 2u);
}

}  // namespace
}  // namespace airbyte::protocol
