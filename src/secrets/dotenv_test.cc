#include "secrets/dotenv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "airbyte/secrets.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte::secrets {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

// The parsed file as key -> value ("<none>" for a bare key); the last binding wins.
std::map<std::string, std::string> Parse(std::string_view text, const DotenvLookup& lookup = {}) {
  std::map<std::string, std::string> out;
  for (const DotenvEntry& entry : ParseDotenv(text, lookup)) {
    out[entry.key] = entry.value.value_or("<none>");
  }
  return out;
}

TEST(ParseDotenvTest, PlainBindingsWithSurroundingWhitespace) {
  EXPECT_THAT(Parse("A=1\n  B = two words  \nC=\n"),
              ElementsAre(Pair("A", "1"), Pair("B", "two words"), Pair("C", "")));
}

TEST(ParseDotenvTest, CommentsAndBlankLines) {
  EXPECT_THAT(Parse("# a comment\n\nA=x # trailing comment\nB=x#not-a-comment\n  # indented\n"),
              ElementsAre(Pair("A", "x"), Pair("B", "x#not-a-comment")));
}

TEST(ParseDotenvTest, ExportPrefix) {
  EXPECT_THAT(Parse("export A=1\nexport\tB='2'\nexported=3\n"),
              ElementsAre(Pair("A", "1"), Pair("B", "2"), Pair("exported", "3")));
}

TEST(ParseDotenvTest, SingleQuotesAreLiteralExceptQuoteAndBackslash) {
  EXPECT_THAT(Parse(R"(A='a\nb #c ${HOME}'
B='it\'s \\ here'
)"),
              ElementsAre(Pair("A", R"(a\nb #c ${HOME})"), Pair("B", R"(it's \ here)")));
}

TEST(ParseDotenvTest, DoubleQuotesDecodeEscapes) {
  EXPECT_THAT(Parse(R"(A="line1\nline2\ttab \"q\" back\\slash \x"  # comment
)"),
              ElementsAre(Pair("A", "line1\nline2\ttab \"q\" back\\slash \\x")));
}

TEST(ParseDotenvTest, QuotedValuesSpanLines) {
  EXPECT_THAT(Parse("KEY=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\nNEXT='a\nb'\nZ=1\n"),
              ElementsAre(Pair("KEY", "-----BEGIN KEY-----\nabc\n-----END KEY-----"),
                          Pair("NEXT", "a\nb"), Pair("Z", "1")));
}

TEST(ParseDotenvTest, CrLfLineEndings) {
  EXPECT_THAT(Parse("A=1\r\nB=\"2\"\r\n"), ElementsAre(Pair("A", "1"), Pair("B", "2")));
}

TEST(ParseDotenvTest, BareKeyHasNoValue) {
  EXPECT_THAT(Parse("LONELY\nA=1\n"), ElementsAre(Pair("A", "1"), Pair("LONELY", "<none>")));
}

TEST(ParseDotenvTest, BrokenLinesAreSkipped) {
  EXPECT_THAT(Parse("A=1\nthis is not a binding\nB=2\n"),
              ElementsAre(Pair("A", "1"), Pair("B", "2")));
}

TEST(ParseDotenvTest, LaterBindingWins) {
  EXPECT_THAT(Parse("A=1\nA=2\n"), ElementsAre(Pair("A", "2")));
}

TEST(ParseDotenvTest, ExpandsVariablesOutsideSingleQuotes) {
  const DotenvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "FROM_ENV") return "env-value";
    return std::nullopt;
  };
  EXPECT_THAT(Parse("USER=bob\nA=${USER}@${FROM_ENV}\nB=\"${MISSING:-fallback}\"\nC='${USER}'\n",
                    env),
              ElementsAre(Pair("A", "bob@env-value"), Pair("B", "fallback"),
                          Pair("C", "${USER}"), Pair("USER", "bob")));
}

class DotenvSecretManagerTest : public ::testing::Test {
 protected:
  util::ScopedTempDir dir_;
};

TEST_F(DotenvSecretManagerTest, ExplicitPathIsReadOnEveryLookup) {
  const auto path = testutil::WriteText(dir_.path() / "custom.env", "TOKEN=first\n");
  DotenvSecretManager manager(path);
  EXPECT_EQ(manager.name(), "dotenv:" + path.string());
  EXPECT_EQ(manager.GetSecret("TOKEN")->Reveal(), "first");
  testutil::WriteText(path, "TOKEN=second\nOTHER=x\n");
  EXPECT_EQ(manager.GetSecret("TOKEN")->Reveal(), "second");
  EXPECT_EQ(manager.GetSecret("MISSING"), std::nullopt);
  EXPECT_THAT(manager.ListSecretNames(), ElementsAre("TOKEN", "OTHER"));
}

TEST_F(DotenvSecretManagerTest, DefaultFindsDotenvInCurrentDirectoryOrAParent) {
  testutil::WriteText(dir_.path() / ".env", "PROJECT_SECRET=from-project\n");
  std::filesystem::create_directories(dir_.path() / "sub" / "deeper");
  const auto old_cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir_.path() / "sub" / "deeper");
  DotenvSecretManager manager;
  const std::optional<SecretString> found = manager.GetSecret("PROJECT_SECRET");
  std::filesystem::current_path(old_cwd);
  EXPECT_EQ(manager.name(), "dotenv");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->Reveal(), "from-project");
}

TEST_F(DotenvSecretManagerTest, MissingFileAndBareKeyAreNotFound) {
  EXPECT_EQ(DotenvSecretManager(dir_.path() / "absent.env").GetSecret("A"), std::nullopt);
  const auto path = testutil::WriteText(dir_.path() / "bare.env", "A\n");
  EXPECT_EQ(DotenvSecretManager(path).GetSecret("A"), std::nullopt);
}

}  // namespace
}  // namespace airbyte::secrets
