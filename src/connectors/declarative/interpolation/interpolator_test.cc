#include "connectors/declarative/interpolation/interpolator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "airbyte/error.h"
#include "connectors/declarative/interpolation/test_support.h"
#include "testutil/testutil.h"

namespace airbyte::declarative {
namespace {

using ::testing::HasSubstr;
using testutil::ThrowsError;

TEST_F(InterpolationTest, RendersVariablesAttributeAndSubscriptAlike) {
  EXPECT_EQ(R("{{ config.api_key }}|{{ config['api_key'] }}|{{ config[\"api_key\"] }}"),
            "k-123|k-123|k-123");
  EXPECT_EQ(R("{{ config.nested.a.b }}{{ config['nested']['a'].b }}"), "77");
  EXPECT_EQ(R("{{ stream_slice.id }}/{{ stream_partition.id }}/{{ stream_interval.start_time }}"),
            "abc/abc/2024-01-01");
  EXPECT_EQ(R("{{ config.country[0] }}-{{ config.country[-1] }}"), "us-fr");
}

TEST_F(InterpolationTest, MissingKeysRenderEmptyAndNoneRendersNone) {
  EXPECT_EQ(R("[{{ config.missing }}][{{ config['missing'] }}][{{ config.country[5] }}]"),
            "[][][]");
  EXPECT_EQ(R("{{ config.get('missing') }}"), "None");
  EXPECT_EQ(R("{{ config.none }}"), "None");
}

TEST_F(InterpolationTest, RendersPythonReprOfContainersAndScalars) {
  EXPECT_EQ(R("{{ config.country }}"), "['us', 'fr']");
  EXPECT_EQ(R("{{ record }}"),
            "{'id': 1, 'name': 'Ada', 'tags': ['a', 'b'], 'updated': '2024-02-01'}");
  EXPECT_EQ(R("{{ config.flag }} {{ 1.0 }} {{ 10 / 4 }} {{ 1e20 }} {{ 0.0001 }} {{ 1e-5 }}"),
            "True 1.0 2.5 1e+20 0.0001 1e-05");
  EXPECT_EQ(R("{{ \"it's\" }} {{ ['it\\'s', \"q\\\"\"] }}"), "it's [\"it's\", 'q\"']");
}

TEST_F(InterpolationTest, EvalParsesRenderedTextAsPythonLiteral) {
  EXPECT_EQ(E("{{ config.limit }}"), Json(50));
  EXPECT_EQ(E("{{ config.ratio }}"), Json(0.5));
  EXPECT_EQ(E("{{ config.flag }}"), Json(true));
  EXPECT_EQ(E("{{ config.none }}"), Json(nullptr));
  EXPECT_EQ(E("{{ config.country }}"), Json::parse(R"(["us","fr"])"));
  EXPECT_EQ(E("{{ record }}"), ctx_["record"]);
  EXPECT_EQ(E("{{ config.start_date }}"), Json("2024-01-15T10:00:00Z"));
  EXPECT_EQ(E("{{ config.start }}"), Json(20240115));
  EXPECT_EQ(E("100"), Json(100));  // plain strings are literal-parsed too
  EXPECT_EQ(E("hello"), Json("hello"));
  EXPECT_EQ(E("{\"sort\": \"x\"}"), Json::parse(R"({"sort": "x"})"));
  EXPECT_EQ(E("007"), Json("007"));
}

TEST_F(InterpolationTest, ValidTypesKeepTheTextForOtherTypes) {
  EXPECT_EQ(interp_.Eval("{{ config.limit }}", ctx_, {.valid_types = ValidTypes::kStr}),
            Json("50"));
  EXPECT_EQ(interp_.Eval("{{ config.limit }}", ctx_, {.valid_types = ValidTypes::kInt}), Json(50));
  EXPECT_EQ(interp_.Eval("{{ config.flag }}", ctx_, {.valid_types = ValidTypes::kInt}), Json(true));
  EXPECT_EQ(interp_.Eval("{{ config.ratio }}", ctx_,
                         {.valid_types = ValidTypes::kInt | ValidTypes::kStr}),
            Json("0.5"));
  EXPECT_EQ(interp_.Eval("'quoted'", ctx_, {.valid_types = ValidTypes::kStr}), Json("quoted"));
}

TEST_F(InterpolationTest, EmptyOutputFallsBackToDefault) {
  EXPECT_EQ(E("{{ config.empty }}"), Json(nullptr));
  EXPECT_EQ(interp_.Eval("{{ config.empty }}", ctx_, {.default_template = "{{ config.limit }}"}),
            Json(50));
  EXPECT_EQ(interp_.EvalString("{{ config.empty }}", ctx_), Json(""));
  EXPECT_EQ(interp_.EvalString("{{ config.api_key }}", ctx_), Json("k-123"));
}

TEST_F(InterpolationTest, UndefinedUseFallsBackToDefault) {
  // Attribute of an undefined value raises UndefinedError in Jinja; the CDK then uses the default.
  EXPECT_EQ(interp_.Eval("{{ config.missing.deeper }}", ctx_, {.default_template = "fallback"}),
            Json("fallback"));
  EXPECT_EQ(E("{{ config.missing.deeper }}"), Json(nullptr));
  EXPECT_EQ(E("{{ config.missing + 1 }}"), Json(nullptr));
}

TEST_F(InterpolationTest, DefaultThatFailsToo_RaisesInputError) {
  // source-mailgun with start_date set: .strftime on a string.
  std::string t = "{{ config.get('start_date', now_utc()).strftime('%Y') }}";
  EXPECT_THAT(
      [&] { interp_.EvalString(t, ctx_); },
      ThrowsError(ErrorKind::kInput, HasSubstr("'str object' has no attribute 'strftime'")));
}

TEST_F(InterpolationTest, BooleanTemplatesFollowCdkFalseValues) {
  EXPECT_FALSE(B("{{ False }}"));
  EXPECT_FALSE(B("{{ 'false' }}"));
  EXPECT_FALSE(B("{{ 0 }}"));
  EXPECT_FALSE(B("{{ 0.0 }}"));
  EXPECT_FALSE(B("{{ {} }}"));
  EXPECT_FALSE(B("{{ [] }}"));
  EXPECT_FALSE(B("{{ '()' }}"));
  EXPECT_FALSE(B("{{ config.empty }}"));
  EXPECT_FALSE(B("{{ config.missing.x }}"));
  EXPECT_TRUE(B("{{ True }}"));
  EXPECT_TRUE(B("{{ 'no' }}"));
  EXPECT_TRUE(B("{{ [0] }}"));
  EXPECT_TRUE(B("{{ config.none }}"));  // renders "None" -> null, which is not a false value
  EXPECT_TRUE(B("{{ response.get('missing') }}"));
  EXPECT_FALSE(B("{{ not response.get('next') }}"));
  EXPECT_TRUE(B("{{ response.links.next is none }}"));
}

TEST_F(InterpolationTest, StreamStateIsRejectedEvenInText) {
  EXPECT_THAT([&] { E("{{ stream_state.get('x') }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("`stream_state` is no longer supported")));
  EXPECT_THAT([&] { E("{# stream_state #}x"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("stream_state")));
}

TEST_F(InterpolationTest, UndeclaredTopLevelVariableIsAnError) {
  EXPECT_THAT([&] { E("{{ last_record.id }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("undeclared variables: {'last_record'}")));
  EXPECT_EQ(E("{% set x = 2 %}{{ x }}{{ now_utc().year }}"), Json(22024));
}

TEST_F(InterpolationTest, AliasKeysInContextAreABug) {
  Json ctx = {{"config", Json::object()}, {"stream_interval", Json::object()}};
  EXPECT_THAT([&] { interp_.Eval("x", ctx); },
              ThrowsError(ErrorKind::kInternal, HasSubstr("reserved keyword")));
}

TEST_F(InterpolationTest, SyntaxErrorsNameTemplateAndPosition) {
  try {
    E("abc\n{{ config. }}");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_THAT(e.message(), HasSubstr("Invalid Jinja template"));
    EXPECT_EQ(e.ContextValue("template"), "abc\n{{ config. }}");
    EXPECT_EQ(e.ContextValue("position"), "line 2, column 12");
  }
  EXPECT_THAT([&] { E("{{ x | nosuchfilter }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("No filter named 'nosuchfilter'")));
  EXPECT_THAT([&] { E("{% macro m() %}{% endmacro %}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("unknown tag 'macro'")));
  EXPECT_THAT([&] { E("{{ 'abc }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("unexpected end of string")));
  EXPECT_THAT([&] { E("{% if true %}x"); }, ThrowsError(ErrorKind::kInput, HasSubstr("endif")));
}

TEST_F(InterpolationTest, TypeErrorsYieldTheTemplateTextAsTheCdkDoes) {
  // jinja.py catches TypeError while rendering and returns the template itself.
  EXPECT_EQ(E("{{ config.limit + 'x' }}"), Json("{{ config.limit + 'x' }}"));
  EXPECT_EQ(E("{{ config.none | regex_search('a') }}"), Json("{{ config.none | regex_search('a') }}"));
  EXPECT_EQ(E("{{ 1 < 'a' }}"), Json("{{ 1 < 'a' }}"));
}

TEST_F(InterpolationTest, EvaluationErrorsNameTemplateAndPosition) {
  try {
    R("{{ config.limit + 'x' }}");  // plain rendering raises, as Jinja does
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_THAT(e.message(), HasSubstr("unsupported operand type(s) for +: 'int' and 'str'"));
    EXPECT_EQ(e.ContextValue("position"), "line 1, column 17");
  }
  EXPECT_THAT([&] { E("{{ 1 / 0 }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("division by zero")));
  EXPECT_THAT(
      [&] { E("{{ str_to_datetime('garbage') }}"); },
      ThrowsError(ErrorKind::kInput, HasSubstr("Could not parse datetime string: garbage")));
  EXPECT_THAT([&] { E("{{ 'a'.zfill(3) }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("str.zfill() is not supported")));
}

TEST_F(InterpolationTest, StatementsIfElifElseForSet) {
  EXPECT_EQ(
      R("{% if config.limit > 100 %}big{% elif config.limit > 10 %}mid{% else %}small{% endif %}"),
      "mid");
  EXPECT_EQ(R("{% for c in config.country %}{{ loop.index }}={{ c }}{% if not loop.last %},{% "
              "endif %}{% endfor %}"),
            "1=us,2=fr");
  EXPECT_EQ(R("{% for k, v in record.items() if k != 'tags' %}{{ k }}:{{ v }};{% endfor %}"),
            "id:1;name:Ada;updated:2024-02-01;");
  EXPECT_EQ(R("{% for x in [] %}x{% else %}empty{% endfor %}"), "empty");
  EXPECT_EQ(R("{% set n = config.limit * 2 %}{{ n }}"), "100");
  EXPECT_EQ(R("a {#- comment -#} b\n"), "ab");
  EXPECT_EQ(R("  {{- 'x' -}}  \n"), "x");
}

TEST_F(InterpolationTest, InjectedClockDrivesMacros) {
  EXPECT_EQ(R("{{ now_utc() }}"), "2024-05-01T02:30:00.123456+00:00");
  EXPECT_EQ(R("{{ today_utc() }}"), "2024-05-01");
  EXPECT_EQ(R("{{ generate_uuid() }}"), "00000000-0000-4000-8000-000000000000");
}

TEST_F(InterpolationTest, CompiledTemplatesAreReusableAcrossThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> out(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      Json ctx = {{"config", {{"n", i}}}};
      for (int k = 0; k < 200; ++k)
        out[static_cast<std::size_t>(i)] = interp_.Render("n={{ config.n * 10 }}", ctx);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(out[3], "n=30");
  EXPECT_EQ(out[0], "n=0");
}

}  // namespace
}  // namespace airbyte::declarative
