#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "airbyte/secrets.h"
#include "secrets/secret_format.h"
#include "testutil/testutil.h"

namespace airbyte {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testutil::ThrowsError;

constexpr const char* kValue = "s3cr3t-value-for-printing-4411";

static_assert(!std::is_convertible_v<SecretString, std::string>,
              "a SecretString must not turn into a string silently");
static_assert(!std::is_convertible_v<SecretString, std::string_view>);
static_assert(!std::is_convertible_v<std::string, SecretString>,
              "constructing one is explicit too");

TEST(SecretStringTest, StreamsAsMask) {
  std::ostringstream out;
  out << "key=" << SecretString(kValue);
  EXPECT_EQ(out.str(), "key=****");
}

TEST(SecretStringTest, FmtFormatsAsMask) {
  EXPECT_EQ(fmt::format("key={}", SecretString(kValue)), "key=****");
  EXPECT_EQ(fmt::format("{:>6}", SecretString(kValue)), "  ****");
}

TEST(SecretStringTest, DebugStringIsPyAirbytesRepr) {
  EXPECT_EQ(SecretString(kValue).DebugString(), "<SecretString: ****>");
}

TEST(SecretStringTest, RevealIsTheOneWayOut) {
  const SecretString secret(kValue);
  EXPECT_EQ(secret.Reveal(), kValue);
  EXPECT_EQ(secret.size(), std::string(kValue).size());
  EXPECT_FALSE(secret.empty());
  EXPECT_TRUE(SecretString().empty());
  EXPECT_EQ(SecretString("a"), SecretString("a"));
}

TEST(SecretStringTest, ParsesJson) {
  const SecretString secret(R"({"client_email": "a@b", "n": 1})");
  EXPECT_TRUE(secret.IsJson());
  EXPECT_EQ(secret.ParseJson()["n"], 1);
}

TEST(SecretStringTest, JsonErrorNamesPositionNotText) {
  const SecretString secret(R"({"token": "leaky-json-secret-9931" oops})");
  EXPECT_FALSE(secret.IsJson());
  EXPECT_THAT([&] { secret.ParseJson(); },
              ThrowsError(ErrorKind::kInput,
                          AllOf(HasSubstr("Failed to parse secret as JSON."),
                                HasSubstr("Secret String Length"),
                                Not(HasSubstr("leaky-json-secret-9931")))));
}

}  // namespace
}  // namespace airbyte
