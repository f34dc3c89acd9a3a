#include "util/line_ring.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "airbyte/error.h"

namespace airbyte::util {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

TEST(LineRingTest, KeepsOnlyTheLastLines) {
  LineRing ring(/*max_lines=*/3);
  for (int i = 1; i <= 5; ++i) ring.Append("line " + std::to_string(i));
  EXPECT_THAT(ring.Lines(), ElementsAre("line 3", "line 4", "line 5"));
  EXPECT_EQ(ring.total_lines(), 5u);
}

TEST(LineRingTest, TextJoinsOldestFirstAndCanLimitTheCount) {
  LineRing ring(/*max_lines=*/3);
  for (int i = 1; i <= 4; ++i) ring.Append("line " + std::to_string(i));
  EXPECT_EQ(ring.Text(), "line 2\nline 3\nline 4");
  EXPECT_EQ(ring.Text(2), "line 3\nline 4");
  EXPECT_EQ(ring.Text(10), "line 2\nline 3\nline 4");
  EXPECT_EQ(ring.Text(0), "");
}

TEST(LineRingTest, EmptyRingHasNoText) {
  LineRing ring;
  EXPECT_EQ(ring.Text(), "");
  EXPECT_THAT(ring.Lines(), IsEmpty());
  EXPECT_EQ(ring.total_lines(), 0u);
}

TEST(LineRingTest, KeepsEmptyLines) {
  LineRing ring;
  ring.Append("a");
  ring.Append("");
  ring.Append("b");
  EXPECT_EQ(ring.Text(), "a\n\nb");
}

TEST(LineRingTest, MasksRegisteredSecrets) {
  RegisterSecret("ring-secret-Qx81");
  LineRing ring;
  ring.Append("connecting with token=ring-secret-Qx81 to host");
  EXPECT_EQ(ring.Text(), "connecting with token=**** to host");
}

TEST(LineRingTest, MasksJsonEscapedSecretInEchoedConfig) {
  RegisterSecret("ring\"quoted\\secret");
  LineRing ring;
  ring.Append(R"(config: {"password": "ring\"quoted\\secret"})");
  EXPECT_EQ(ring.Text(), R"(config: {"password": "****"})");
}

TEST(LineRingTest, CutsLongLinesAndMarksThem) {
  LineRing ring;
  ring.Append(std::string(5000, 'x'));
  ring.Append(std::string(LineRing::kMaxLineLength, 'y'));
  const std::vector<std::string> lines = ring.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], std::string(LineRing::kMaxLineLength, 'x') + " ...(truncated)");
  EXPECT_EQ(lines[1], std::string(LineRing::kMaxLineLength, 'y')) << "at the limit: kept whole";
}

TEST(LineRingTest, SecretStraddlingTheCutIsMaskedNotHalfShown) {
  RegisterSecret("straddling-secret-9Kp2");
  LineRing ring;
  ring.Append(std::string(LineRing::kMaxLineLength - 5, '.') + "straddling-secret-9Kp2" +
              std::string(100, '.'));
  const std::string text = ring.Text();
  EXPECT_THAT(text, HasSubstr("****"));
  EXPECT_THAT(text, Not(HasSubstr("strad")));
}

TEST(LineRingTest, ConcurrentAppendAndReadSeeConsistentLines) {
  constexpr int kLines = 20'000;
  LineRing ring(/*max_lines=*/50);
  std::atomic<bool> done = false;
  std::jthread writer([&] {
    for (int i = 0; i < kLines; ++i) ring.Append("line " + std::to_string(i));
    done = true;
  });
  int reads = 0;
  while (!done || reads == 0) {
    const std::vector<std::string> lines = ring.Lines();
    ASSERT_LE(lines.size(), 50u);
    // Whatever the moment, the kept lines are consecutive.
    for (std::size_t i = 1; i < lines.size(); ++i) {
      ASSERT_EQ(std::stoi(lines[i].substr(5)), std::stoi(lines[i - 1].substr(5)) + 1);
    }
    const std::string text = ring.Text(5);
    if (!text.empty()) {
      ASSERT_THAT(text, StartsWith("line "));
    }
    ++reads;
  }
  writer.join();
  EXPECT_EQ(ring.total_lines(), static_cast<std::size_t>(kLines));
  EXPECT_EQ(ring.Lines().back(), "line " + std::to_string(kLines - 1));
  EXPECT_EQ(ring.Lines().size(), 50u);
}

}  // namespace
}  // namespace airbyte::util
