#include "util/redactor.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "airbyte/error.h"

namespace airbyte::util {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Most tests use their own Redactor: the global one keeps every secret for the whole binary.

TEST(RedactorTest, MasksEveryOccurrence) {
  Redactor redactor;
  redactor.Register("hunter2-password");
  EXPECT_EQ(redactor.Mask("a=hunter2-password b=hunter2-password!"), "a=**** b=****!");
}

TEST(RedactorTest, TextWithoutSecretsIsUnchanged) {
  Redactor redactor;
  redactor.Register("hunter2-password");
  EXPECT_EQ(redactor.Mask("nothing to hide here"), "nothing to hide here");
  EXPECT_EQ(redactor.Mask(""), "");
}

TEST(RedactorTest, NothingRegisteredMasksNothing) {
  Redactor redactor;
  EXPECT_EQ(redactor.Mask("password=hunter2"), "password=hunter2");
}

TEST(RedactorTest, ValuesShorterThanMinimumAreIgnored) {
  Redactor redactor;
  redactor.Register("");
  redactor.Register("ab");
  EXPECT_EQ(redactor.Mask("a cab ab"), "a cab ab");
  redactor.Register("abc");  // exactly kMinSecretLength
  static_assert(Redactor::kMinSecretLength == 3);
  EXPECT_EQ(redactor.Mask("xabcx"), "x****x");
}

TEST(RedactorTest, MasksJsonEscapedSpelling) {
  Redactor redactor;
  redactor.Register(R"(pa"ss\word)");
  // As it appears when a connector echoes its config as JSON.
  EXPECT_EQ(redactor.Mask(R"({"password": "pa\"ss\\word"})"), R"({"password": "****"})");
  // And raw, as it appears in plain text.
  EXPECT_EQ(redactor.Mask(R"(password is pa"ss\word)"), "password is ****");
}

TEST(RedactorTest, MasksJsonEscapedControlCharacters) {
  Redactor redactor;
  redactor.Register("-----BEGIN KEY-----\nabc\tdef\r\n-----END KEY-----");
  EXPECT_EQ(redactor.Mask(R"({"key":"-----BEGIN KEY-----\nabc\tdef\r\n-----END KEY-----"})"),
            R"({"key":"****"})");
}

TEST(RedactorTest, MasksPythonStyleUnicodeEscapes) {
  Redactor redactor;
  redactor.Register("p\xC3\xA4ss-\xE2\x82\xAC-\xF0\x9F\x94\x91-x");  // "päss-€-🔑-x"
  // json.dumps (ensure_ascii=True): lower-case hex, a surrogate pair for the emoji.
  EXPECT_EQ(redactor.Mask(R"({"pw": "p\u00e4ss-\u20ac-\ud83d\udd11-x"})"), R"({"pw": "****"})");
  // Upper-case hex, as some Java serializers write it.
  EXPECT_EQ(redactor.Mask(R"(p\u00E4ss-\u20AC-\uD83D\uDD11-x)"), "****");
  // nlohmann's dump() keeps UTF-8 as is.
  EXPECT_EQ(redactor.Mask("p\xC3\xA4ss-\xE2\x82\xAC-\xF0\x9F\x94\x91-x"), "****");
}

TEST(RedactorTest, MasksOtherControlCharactersAsUnicodeEscapes) {
  Redactor redactor;
  redactor.Register(std::string("bell\x07" "and\x1f" "unit\b\f"));
  EXPECT_EQ(redactor.Mask(R"("bell\u0007and\u001funit\b\f")"), R"("****")");
}

TEST(RedactorTest, MasksSlashAndHtmlEscapedSpellings) {
  Redactor redactor;
  redactor.Register("https://user:pw@host/<a>&b");
  EXPECT_EQ(redactor.Mask(R"("https:\/\/user:pw@host\/<a>&b")"), R"("****")");         // PHP
  EXPECT_EQ(redactor.Mask(R"("https://user:pw@host/\u003ca\u003e\u0026b")"), R"("****")");  // Go
}

TEST(RedactorTest, MasksDoublyEscapedSpelling) {
  // A connector logs its config (JSON) as the message of a LOG message (JSON again).
  Redactor redactor;
  redactor.Register(R"(q"uote)");
  EXPECT_EQ(redactor.Mask(R"({"message": "{\"pw\": \"q\\\"uote\"}"})"),
            R"({"message": "{\"pw\": \"****\"}"})");
}

TEST(RedactorTest, JsonSpellingsExcludeTheValueAndDuplicates) {
  EXPECT_THAT(JsonSpellings("plain-ascii-secret"), ::testing::IsEmpty());
  const std::vector<std::string> spellings = JsonSpellings(R"(a"b)");
  EXPECT_THAT(spellings, ::testing::UnorderedElementsAre(R"(a\"b)", R"(a\\\"b)"));
}

TEST(RedactorTest, MasksEachLineOfAMultiLineSecret) {
  // A connector prints a PEM key raw on stderr; we see it one line at a time.
  Redactor redactor;
  redactor.Register("-----BEGIN KEY-----\r\nMIIEvQIBADANBgkq\nshort\n-----END KEY-----\n");
  EXPECT_EQ(redactor.Mask("MIIEvQIBADANBgkq"), "****");
  EXPECT_EQ(redactor.Mask("key: -----BEGIN KEY-----"), "key: ****");
  EXPECT_EQ(redactor.Mask("short"), "short") << "fragments under 8 bytes would garble output";
}

TEST(RedactorTest, SecretContainingAnotherIsMaskedWhole) {
  Redactor redactor;
  redactor.Register("token-abc");
  redactor.Register("token-abc-extended");  // registered later, longer: must win
  EXPECT_EQ(redactor.Mask("x token-abc-extended y token-abc z"), "x **** y **** z");
}

TEST(RedactorTest, RegisteringTwiceIsHarmless) {
  Redactor redactor;
  redactor.Register("twice-registered");
  redactor.Register("twice-registered");
  EXPECT_EQ(redactor.Mask("twice-registered"), "****");
}

TEST(RedactorTest, MaskInPlaceReportsWhetherItReplacedAnything) {
  Redactor redactor;
  redactor.Register("in-place-secret");
  std::string clean = "clean text";
  EXPECT_FALSE(redactor.MaskInPlace(clean));
  EXPECT_EQ(clean, "clean text");
  std::string dirty = "dirty in-place-secret text";
  EXPECT_TRUE(redactor.MaskInPlace(dirty));
  EXPECT_EQ(dirty, "dirty **** text");
}

TEST(RedactorTest, MaskingEndsWhenTheMaskItselfContainsTheSecret) {
  // "***" matches inside the "****" that replaced it: the search must move past the mask.
  Redactor redactor;
  redactor.Register("***");
  EXPECT_EQ(redactor.Mask("a***b"), "a****b");
}

TEST(RedactorTest, GlobalRegistryBacksTheFreeFunctions) {
  RegisterSecret("global-free-function-secret-71");
  EXPECT_EQ(MaskSecrets("value=global-free-function-secret-71"), "value=****");
  EXPECT_EQ(Redactor::Global().Mask("global-free-function-secret-71"), "****");
  EXPECT_EQ(&Redactor::Global(), &Redactor::Global());
}

TEST(RedactorTest, ConcurrentRegisterAndMaskAreSafe) {
  Redactor redactor;
  constexpr int kSecrets = 500;
  std::atomic<bool> done = false;
  std::jthread registrar([&] {
    for (int i = 0; i < kSecrets; ++i) redactor.Register("concurrent-secret-" + std::to_string(i));
    done = true;
  });
  std::vector<std::jthread> maskers;
  for (int t = 0; t < 2; ++t) {
    maskers.emplace_back([&] {
      while (!done) {
        const std::string masked = redactor.Mask("x concurrent-secret-0 y");
        // Either not registered yet or fully masked, never half.
        EXPECT_TRUE(masked == "x concurrent-secret-0 y" || masked == "x **** y") << masked;
      }
    });
  }
  registrar.join();
  maskers.clear();
  for (int i = 0; i < kSecrets; ++i) {
    EXPECT_THAT(redactor.Mask("concurrent-secret-" + std::to_string(i) + " end"),
                Not(HasSubstr("concurrent-secret")));
  }
}

}  // namespace
}  // namespace airbyte::util
