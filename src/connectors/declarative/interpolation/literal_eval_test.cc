#include "connectors/declarative/interpolation/literal_eval.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "connectors/declarative/interpolation/eval_error.h"

namespace airbyte::declarative {
namespace {

Json L(std::string_view text) {
  std::optional<Json> v = LiteralEval(text);
  return v ? *v : Json("<not a literal>");
}

TEST(LiteralEvalTest, Numbers) {
  EXPECT_EQ(L("42"), Json(42));
  EXPECT_EQ(L("-42"), Json(-42));
  EXPECT_EQ(L("+7"), Json(7));
  EXPECT_EQ(L("3.5"), Json(3.5));
  EXPECT_EQ(L("1e3"), Json(1000.0));
  EXPECT_EQ(L(".5"), Json(0.5));
  EXPECT_EQ(L("5."), Json(5.0));
  EXPECT_EQ(L("1_000"), Json(1000));
  EXPECT_EQ(L("0x1f"), Json(31));
  EXPECT_EQ(L("0o17"), Json(15));
  EXPECT_EQ(L("0b101"), Json(5));
  EXPECT_EQ(L("0"), Json(0));
  EXPECT_EQ(L("00"), Json(0));
  EXPECT_FALSE(LiteralEval("007"));
  EXPECT_FALSE(LiteralEval("1j"));
  EXPECT_FALSE(LiteralEval("1+2"));
  EXPECT_FALSE(LiteralEval("--1"));
  EXPECT_FALSE(LiteralEval("1_"));
  EXPECT_FALSE(LiteralEval("2024-01-01"));
  EXPECT_EQ(L("12345678901234567890"), Json(12345678901234567890ULL));
  EXPECT_FALSE(LiteralEval("99999999999999999999999"));  // beyond 64 bits: kept as text
}

TEST(LiteralEvalTest, ConstantsAndNames) {
  EXPECT_EQ(L("True"), Json(true));
  EXPECT_EQ(L("False"), Json(false));
  EXPECT_EQ(L("None"), Json(nullptr));
  EXPECT_FALSE(LiteralEval("true"));
  EXPECT_FALSE(LiteralEval("null"));
  EXPECT_FALSE(LiteralEval("abc"));
  EXPECT_FALSE(LiteralEval("inf"));
  EXPECT_FALSE(LiteralEval(""));
}

TEST(LiteralEvalTest, Strings) {
  EXPECT_EQ(L("'a'"), Json("a"));
  EXPECT_EQ(L("\"a\""), Json("a"));
  EXPECT_EQ(L("'a' 'b'"), Json("ab"));
  EXPECT_EQ(L("'''x\ny'''"), Json("x\ny"));
  EXPECT_EQ(L("\"\"\"[1, 2]\"\"\""), Json("[1, 2]"));
  EXPECT_EQ(L("'\\n\\t\\x41\\u00e9\\101'"), Json("\n\tA\xc3\xa9"
                                                 "A"));
  EXPECT_EQ(L("r'\\n'"), Json("\\n"));
  EXPECT_EQ(L("'\\d'"), Json("\\d"));
  EXPECT_FALSE(LiteralEval("f'x'"));
  EXPECT_FALSE(LiteralEval("'unterminated"));
  EXPECT_FALSE(LiteralEval("'a'x"));
  EXPECT_FALSE(LiteralEval("b'a' 'b'"));
}

TEST(LiteralEvalTest, Containers) {
  EXPECT_EQ(L("[1, 'a', None, True]"), Json::parse(R"([1, "a", null, true])"));
  EXPECT_EQ(L("[1, 2,]"), Json::parse("[1, 2]"));
  EXPECT_EQ(L("(1, 2)"), Json::parse("[1, 2]"));
  EXPECT_EQ(L("(1,)"), Json::parse("[1]"));
  EXPECT_EQ(L("()"), Json::array());
  EXPECT_EQ(L("(5)"), Json(5));
  EXPECT_EQ(L("1, 2"), Json::parse("[1, 2]"));
  EXPECT_EQ(L("{'a': 1, \"b\": [2]}"), Json::parse(R"({"a": 1, "b": [2]})"));
  EXPECT_EQ(L("{1: 'x'}"), Json::parse(R"({"1": "x"})"));
  EXPECT_EQ(L("{}"), Json::object());
  EXPECT_EQ(L("{1, 2}"), Json::parse("[1, 2]"));
  EXPECT_EQ(L("{\"sort\": \"x\"}"), Json::parse(R"({"sort": "x"})"));
  EXPECT_EQ(L("[\n  1,\n  2\n]"), Json::parse("[1, 2]"));
  EXPECT_FALSE(LiteralEval("[1, 2"));
  EXPECT_THROW(LiteralEval("{[1]: 2}"), EvalError);
  EXPECT_THROW(LiteralEval("{1, [2]}"), EvalError);
  EXPECT_FALSE(LiteralEval("[x]"));
  EXPECT_FALSE(LiteralEval("{'a': 1, 2}"));
}

TEST(LiteralEvalTest, WhitespaceAndComments) {
  EXPECT_EQ(L("  42"), Json(42));
  EXPECT_EQ(L("\t42  "), Json(42));
  EXPECT_EQ(L("42\n"), Json(42));
  EXPECT_EQ(L("42 # comment"), Json(42));
  EXPECT_FALSE(LiteralEval("1\n2"));
  EXPECT_FALSE(LiteralEval("a b"));
}

}  // namespace
}  // namespace airbyte::declarative
