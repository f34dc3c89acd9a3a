// Exact outputs of every macro, filter, test and Python-style method.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "airbyte/error.h"
#include "connectors/declarative/interpolation/test_support.h"
#include "testutil/testutil.h"

namespace airbyte::declarative {
namespace {

using ::testing::HasSubstr;
using testutil::ThrowsError;

using MacroTest = InterpolationTest;
using FilterTest = InterpolationTest;
using MethodTest = InterpolationTest;
using OperatorTest = InterpolationTest;

TEST_F(MacroTest, NowAndToday) {
  EXPECT_EQ(R("{{ now_utc().strftime('%Y-%m-%dT%H:%M:%SZ') }}"), "2024-05-01T02:30:00Z");
  EXPECT_EQ(R("{{ now_utc().strftime('%Y-%m-%dT%H:%M:%S.%f%z') }}"),
            "2024-05-01T02:30:00.123456+0000");
  EXPECT_EQ(R("{{ now_utc().isoformat() }}"), "2024-05-01T02:30:00.123456+00:00");
  EXPECT_EQ(R("{{ now_utc().timestamp() }}"), "1714530600.123456");
  EXPECT_EQ(R("{{ now_utc().date() }}"), "2024-05-01");
  EXPECT_EQ(R("{{ today_utc().strftime('%d/%m/%Y') }}"), "01/05/2024");
  EXPECT_EQ(R("{{ today_utc().isoformat() }}"), "2024-05-01");
}

TEST_F(MacroTest, TodayWithTimezone) {
  // 02:30 UTC is still April 30 in New York (UTC-4) and already May 1 in Tokyo.
  EXPECT_EQ(R("{{ today_with_timezone('America/New_York') }}"), "2024-04-30");
  EXPECT_EQ(R("{{ today_with_timezone('Asia/Tokyo') }}"), "2024-05-01");
  EXPECT_THAT([&] { R("{{ today_with_timezone('Nowhere/City') }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("UnknownTimeZoneError: 'Nowhere/City'")));
}

TEST_F(MacroTest, Timestamp) {
  EXPECT_EQ(R("{{ timestamp(1658505815.223235) }}"), "1658505815");
  EXPECT_EQ(R("{{ timestamp(42) }}"), "42");
  EXPECT_EQ(R("{{ timestamp('2022-07-22T16:03:35Z') }}"), "1658505815.0");
  EXPECT_EQ(R("{{ timestamp('2022-07-22') }}"), "1658448000.0");
  EXPECT_EQ(R("{{ timestamp('2022-07-22T18:03:35+02:00') }}"), "1658505815.0");
}

TEST_F(MacroTest, MaxMin) {
  EXPECT_EQ(R("{{ max(2, 3) }} {{ min(2, 3) }} {{ max([4, 9, 1]) }} {{ min('b', 'a') }} {{ max(1, "
              "2.5) }}"),
            "3 2 9 a 2.5");
  EXPECT_EQ(R("{{ max(str_to_datetime('2024-01-01'), str_to_datetime('2023-01-01')) }}"),
            "2024-01-01T00:00:00+00:00");
  EXPECT_THAT([&] { R("{{ max([]) }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("max() arg is an empty sequence")));
  EXPECT_THAT([&] { R("{{ max(1, 'a') }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("'<' not supported")));
}

TEST_F(MacroTest, DayDelta) {
  EXPECT_EQ(R("{{ day_delta(1) }}"), "2024-05-02T02:30:00.123456+0000");
  EXPECT_EQ(R("{{ day_delta(-1, format='%Y-%m-%d') }}"), "2024-04-30");
  EXPECT_EQ(R("{{ day_delta(0, '%Y-%m-%dT%H:%M:%SZ') }}"), "2024-05-01T02:30:00Z");
}

TEST_F(MacroTest, Duration) {
  EXPECT_EQ(R("{{ duration('P1D') }}"), "1 day, 0:00:00");
  EXPECT_EQ(R("{{ duration('PT1H30M') }}"), "1:30:00");
  EXPECT_EQ(R("{{ duration('P2W') }}"), "14 days, 0:00:00");
  EXPECT_EQ(R("{{ duration('PT0.5S') }}"), "0:00:00.500000");
  EXPECT_EQ(R("{{ (now_utc() - duration('P1D')).strftime('%Y-%m-%dT%H:%M:%S.%fZ') }}"),
            "2024-04-30T02:30:00.123456Z");
  EXPECT_EQ(R("{{ (str_to_datetime('2024-01-31') + duration('P1M')).strftime('%Y-%m-%d') }}"),
            "2024-02-29");
  EXPECT_EQ(R("{{ -duration('P1D') if false else duration('-P1D') }}"), "-1 day, 0:00:00");
  EXPECT_EQ(R("{{ duration('P1D').total_seconds() }}"), "86400.0");
  EXPECT_THAT([&] { R("{{ duration('1D') }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("Unable to parse duration string '1D'")));
}

TEST_F(MacroTest, StrToDateTime) {
  EXPECT_EQ(R("{{ str_to_datetime('2022-01-14') }}"), "2022-01-14T00:00:00+00:00");
  EXPECT_EQ(R("{{ str_to_datetime('2022-01-14T13:45:30.5+02:00') }}"),
            "2022-01-14T11:45:30.500000+00:00");
  EXPECT_EQ(R("{{ str_to_datetime('2022-01-14 13:45:30') }}"), "2022-01-14T13:45:30+00:00");
  // ab_datetime_parse rejects text with ':' but fewer than two '-' or '/' ("missing date part").
  EXPECT_THAT([&] { R("{{ str_to_datetime('Tue, 30 Apr 2024 02:30:00 +0000') }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("Could not parse datetime string")));
  EXPECT_EQ(R("{{ str_to_datetime('1700000000') }}"), "2023-11-14T22:13:20+00:00");
}

TEST_F(MacroTest, FormatDatetime) {
  EXPECT_EQ(R("{{ format_datetime(now_utc(), '%Y-%m-%dT%H:%M:%S.%fZ') }}"),
            "2024-05-01T02:30:00.123456Z");
  EXPECT_EQ(R("{{ format_datetime('2024-01-15T10:00:00Z', '%Y-%m-%d') }}"), "2024-01-15");
  EXPECT_EQ(R("{{ format_datetime('2024-01-15T10:00:00+02:00', '%H:%M %z') }}"), "08:00 +0000");
  EXPECT_EQ(R("{{ format_datetime(1700000000, '%Y-%m-%d %H:%M:%S') }}"), "2023-11-14 22:13:20");
  EXPECT_EQ(R("{{ format_datetime('15/01/2024', '%Y-%m-%d', '%d/%m/%Y') }}"), "2024-01-15");
  EXPECT_EQ(R("{{ format_datetime('2024-01-15T10:00:00+02:00', '%H:%M %z', "
              "input_format='%Y-%m-%dT%H:%M:%S%z') }}"),
            "10:00 +0200");
  EXPECT_EQ(R("{{ format_datetime(config.start_date, '%s') }}"), "1705312800");
  EXPECT_EQ(R("{{ format_datetime(config.start_date, '%ms') }}"), "1705312800000");
  EXPECT_EQ(R("{{ format_datetime(now_utc(), '%s_as_float') }}"), "1714530600.123456");
  EXPECT_EQ(R("{{ format_datetime(now_utc(), '%epoch_microseconds') }}"), "1714530600123456");
  EXPECT_EQ(R("{{ format_datetime(now_utc(), '%Y-%m-%dT%H:%M:%S.%_msZ') }}"),
            "2024-05-01T02:30:00.123Z");
  EXPECT_EQ(R("{{ format_datetime(now_utc(), '%a, %d %b %Y %H:%M:%S %z') }}"),
            "Wed, 01 May 2024 02:30:00 +0000");
  EXPECT_EQ(R("{{ format_datetime(now_utc(), '%A %B %j %U %W %w %y %I%p %%') }}"),
            "Wednesday May 122 17 18 3 24 02AM %");
}

TEST_F(MacroTest, UrlAndNameHelpers) {
  EXPECT_EQ(R("{{ sanitize_url('a b&c/d') }}"), "a+b%26c%2Fd");
  EXPECT_EQ(R("{{ camel_case_to_snake_case('CamelCaseString') }}"), "camel_case_string");
}

TEST_F(FilterTest, CdkHashAndHmac) {
  EXPECT_EQ(R("{{ 'abc' | hash }}"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(R("{{ 'abc' | hash('sha256') }}"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(R("{{ 'ab' | hash('md5', 'c') }}"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(R("{{ 123 | hash('sha1') }}"), "40bd001563085fc35165329ea1ff5c5ecbdbbeef");
  EXPECT_THAT([&] { R("{{ 'a' | hash('nope') }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("No hashing function named nope")));
  EXPECT_EQ(R("{{ 'The quick brown fox jumps over the lazy dog' | hmac('key') }}"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  EXPECT_THAT([&] { R("{{ 'a' | hmac('k', 'md5') }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("Hash type 'md5' is not allowed")));
}

TEST_F(FilterTest, CdkBase64) {
  EXPECT_EQ(R("{{ 'user:pass' | base64encode }}"), "dXNlcjpwYXNz");
  EXPECT_EQ(R("{{ 'dXNlcjpwYXNz' | base64decode }}"), "user:pass");
  EXPECT_EQ(R("{{ 'ab' | base64binascii_decode }}"), "YWI=");
  EXPECT_EQ(R("{{ 'é' | base64encode }}"), "w6k=");
  EXPECT_THAT([&] { R("{{ 'YWI' | base64decode }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("Incorrect padding")));
}

TEST_F(FilterTest, CdkStringKeepsNumbersAsText) {
  EXPECT_EQ(E("{{ 123 | string }}"), Json("123"));
  EXPECT_EQ(E("{{ config.country | string }}"), Json("[\"us\", \"fr\"]"));
  EXPECT_EQ(E("{{ 'abc' | string }}"), Json("abc"));
  EXPECT_EQ(R("{{ {'a': None, 'b': 'é'} | string }}"),
            "\"\"\"{\"a\": null, \"b\": \"\\u00e9\"}\"\"\"");
}

TEST_F(FilterTest, CdkRegex) {
  Json ctx = ctx_;
  ctx["response"]["@odata.nextLink"] =
      "https://graph.microsoft.com/v1.0/users?$top=1&$skiptoken=RFNwdAIAAQAAAD&x=1";
  EXPECT_EQ(
      interp_.Render(
          "{{ response.get(\"@odata.nextLink\") | regex_search('\\$skiptoken=([^&]+)') }}", ctx),
      "RFNwdAIAAQAAAD");
  EXPECT_EQ(R("{{ 'abc' | regex_search('z(.)') }}|{{ 'abc' | regex_search('b') }}"), "|");
  // Jinja decodes octal escapes in string literals ('\3' is chr(3)), so back-references
  // need a doubled backslash in the template.
  EXPECT_EQ(R("{{ '2024-01-15' | regex_replace('(\\d+)-(\\d+)-(\\d+)', '\\\\3.\\\\2.\\\\1') }}"),
            "15.01.2024");
  EXPECT_EQ(R("{{ '\\101' }}|{{ '\\x41' }}|{{ '\\d' }}"), "A|A|\\d");
}

TEST_F(FilterTest, JinjaStringFilters) {
  EXPECT_EQ(R("{{ config.missing | default('d') }}|{{ config.empty | default('d') }}|{{ "
              "config.empty | d('d', true) }}"),
            "d||d");
  EXPECT_EQ(R("{{ 'AbC' | lower }} {{ 'AbC' | upper }} {{ 'hello world' | capitalize }} {{ 'hello "
              "world' | title }}"),
            "abc ABC Hello world Hello World");
  EXPECT_EQ(R("[{{ '  x  ' | trim }}] [{{ 'xxaxx' | trim('x') }}]"), "[x] [a]");
  EXPECT_EQ(R("{{ 'aaa' | replace('a', 'b') }} {{ 'aaa' | replace('a', 'b', 2) }}"), "bbb bba");
  EXPECT_EQ(R("{{ config.query | default('a b&c/d') | urlencode }}"), "a%20b%26c/d");
  EXPECT_EQ(R("{{ {'a': 'x y', 'b': 1} | urlencode }}"), "a=x+y&b=1");
  EXPECT_EQ(R("{{ '<a&b>' | escape }}"), "&lt;a&amp;b&gt;");
}

TEST_F(FilterTest, JinjaNumberFilters) {
  EXPECT_EQ(R("{{ '42' | int }} {{ '4.7' | int }} {{ 'x' | int }} {{ 'x' | int(7) }} {{ 'ff' | "
              "int(base=16) }} {{ 3.9 | int }}"),
            "42 4 0 7 255 3");
  EXPECT_EQ(R("{{ '2.5' | float }} {{ 'x' | float }} {{ 3 | float }}"), "2.5 0.0 3.0");
  EXPECT_EQ(R("{{ -3 | abs }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 2.345 | round(1, 'floor') }} "
              "{{ 2.01 | round(0, 'ceil') }}"),
            "3 2.0 4.0 2.3 3.0");
}

TEST_F(FilterTest, JinjaCollectionFilters) {
  EXPECT_EQ(R("{{ config.country | length }} {{ 'héllo' | length }} {{ record | count }} {{ "
              "config.missing | length }}"),
            "2 5 4 0");
  EXPECT_EQ(R("{{ config.country | join(',') }} {{ [1, 2] | join }}"), "us,fr 12");
  EXPECT_EQ(R("{{ config.country | first }} {{ config.country | last }} [{{ [] | first }}]"),
            "us fr []");
  EXPECT_EQ(
      R("{{ 'ab' | list }} {{ [3, 1, 2] | sort }} {{ ['b', 'A', 'c'] | sort(reverse=true) }}"),
      "['a', 'b'] [1, 2, 3] ['c', 'b', 'A']");
  EXPECT_EQ(R("{{ [1, 2, 1, 3] | unique | list }} {{ ['a', 'A'] | unique | list }}"),
            "[1, 2, 3] ['a']");
  EXPECT_EQ(R("{{ [{'n': 2}, {'n': 1}] | map(attribute='n') | list }} {{ ['a', 'b'] | map('upper') "
              "| join }}"),
            "[2, 1] AB");
  EXPECT_EQ(R("{{ [{'n': 2, 'ok': true}, {'n': 1, 'ok': false}] | selectattr('ok') | "
              "map(attribute='n') | list }}"),
            "[2]");
  EXPECT_EQ(R("{{ [{'n': 2}, {'n': 1}] | rejectattr('n', 'equalto', 1) | list }}"), "[{'n': 2}]");
  EXPECT_EQ(
      R("{{ [1, 2, 3, 4] | select('odd') | list }} {{ [1, 2, 3, 4] | reject('odd') | list }}"),
      "[1, 3] [2, 4]");
  EXPECT_EQ(R("{{ [{'n': 2}, {'n': 1}] | sort(attribute='n') | first }}"), "{'n': 1}");
  EXPECT_EQ(R("{{ [1, 2, 3] | sum }} {{ [3, 1] | min }} {{ [3, 1] | max }} {{ [1, 2] | reverse | "
              "list }} {{ 'abc' | reverse }}"),
            "6 1 3 [2, 1] cba");
  EXPECT_EQ(R("{{ {'b': 1, 'a': [1, 'x']} | tojson }} {{ '<>' | tojson }}"),
            "{\"a\": [1, \"x\"], \"b\": 1} \"\\u003c\\u003e\"");
  // Pairs unpack like Python's tuples (rendering a tuple itself is a known gap: it prints as a
  // list).
  EXPECT_EQ(R("{% for k, v in {'a': 1, 'b': 2} | items %}{{ k }}={{ v }};{% endfor %}"),
            "a=1;b=2;");
}

TEST_F(MethodTest, StringMethods) {
  EXPECT_EQ(R("{{ 'a,b,,c'.split(',') }} {{ ' a  b '.split() }} {{ 'a,b,c'.split(',', 1) }}"),
            "['a', 'b', '', 'c'] ['a', 'b'] ['a', 'b,c']");
  EXPECT_EQ(R("[{{ '  x '.strip() }}][{{ 'xxyxx'.lstrip('x') }}][{{ 'xxyxx'.rstrip('x') }}]"),
            "[x][yxx][xxy]");
  EXPECT_EQ(R("{{ 'aXa'.replace('a', 'b') }} {{ 'AbC'.lower() }} {{ 'AbC'.upper() }}"),
            "bXb abc ABC");
  EXPECT_EQ(R("{{ 'abc'.startswith('ab') }} {{ 'abc'.endswith(('x', 'c')) }} {{ "
              "'abc'.startswith('b') }}"),
            "True True False");
  EXPECT_EQ(R("{{ ','.join(config['country']) }}"), "us,fr");
  EXPECT_EQ(
      R("{{ '{}-{}'.format('a', 1) }} {{ '{1}{0}'.format('a', 'b') }} {{ '{x}!'.format(x=3) }}"),
      "a-1 ba 3!");
  EXPECT_EQ(R("{{ \"o'neil mc-d 3rd\".title() }}|{{ \"o'neil mc-d 3rd\" | title }}|{{ 'hELLO "
              "wORLD'.capitalize() }}"),
            "O'Neil Mc-D 3Rd|O'neil Mc-D 3rd|Hello world");
  EXPECT_EQ(R("{{ 'banana'.count('an') }} {{ 'banana'.find('na') }} {{ 'banana'.find('x') }} {{ "
              "'123'.isdigit() }}"),
            "2 2 -1 True");
  EXPECT_THAT([&] { R("{{ ','.join([1, 2]) }}"); },
              ThrowsError(ErrorKind::kInput,
                          HasSubstr("sequence item 0: expected str instance, int found")));
}

TEST_F(MethodTest, DictAndListMethods) {
  EXPECT_EQ(R("{{ response.get('next', {}).get('page') }} {{ response.get('nope', {}).get('page') "
              "}} {{ response.get('nope', 5) }}"),
            "3 None 5");
  EXPECT_EQ(R("{{ record.keys() | list }} {{ {'a': 1}.values() | list }} {{ {'a': 1}.items() | "
              "map('last') | list }}"),
            "['id', 'name', 'tags', 'updated'] [1] [1]");
  EXPECT_EQ(R("{{ [1, 2, 1].count(1) }} {{ ['a', 'b'].index('b') }}"), "2 1");
  EXPECT_EQ(E("{{ response.get('nope').get('x') }}"),
            Json(nullptr));  // None.get -> undefined call -> default
}

TEST_F(MethodTest, DateTimeMethods) {
  EXPECT_EQ(R("{{ str_to_datetime('2024-01-15T10:20:30Z').replace(day=1, hour=0).isoformat() }}"),
            "2024-01-01T00:20:30+00:00");
  EXPECT_EQ(R("{{ str_to_datetime('2024-01-15').isoformat(' ') }} {{ now_utc().year }}-{{ "
              "now_utc().month }}"),
            "2024-01-15 00:00:00+00:00 2024-5");
  EXPECT_EQ(R("{{ (str_to_datetime('2024-01-02') - str_to_datetime('2024-01-01')) }} {{ "
              "str_to_datetime('2024-01-15').weekday() }}"),
            "1 day, 0:00:00 0");
  EXPECT_EQ(R("{{ str_to_datetime('2024-01-02') > str_to_datetime('2024-01-01') }}"), "True");
}

TEST_F(OperatorTest, ArithmeticFollowsPython) {
  EXPECT_EQ(R("{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ "
              "7 / 7 }} {{ 1 + 2.5 }} {{ true + 1 }}"),
            "3 -4 2 -2 1024 0.5 1.0 3.5 2");
  EXPECT_EQ(R("{{ 'ab' * 2 }} {{ [1] + [2] }} {{ 'a' ~ 1 ~ none ~ config.missing }} {{ -2 ** 2 }}"),
            "abab [1, 2] a1None 4");
  EXPECT_EQ(R("{{ config.start[:4] }}/{{ config.start[4:6] }}/{{ config.start[6:8] }} {{ "
              "'abcdef'[::-2] }} {{ [1, 2, 3][1:] }}"),
            "2024/01/15 fdb [2, 3]");
  EXPECT_THAT([&] { R("{{ 9223372036854775807 + 1 }}"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("integer overflow")));
}

TEST_F(OperatorTest, ComparisonsLogicAndTests) {
  EXPECT_EQ(R("{{ 1 == 1.0 }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' in 'cat' }} {{ 2 not in [1, "
              "2] }} {{ 'id' in record }}"),
            "True True False True False True");
  EXPECT_EQ(R("{{ 0 or 'x' }} {{ 1 and 'y' }} {{ not 0 }} {{ none or config.missing or 'z' }}"),
            "x y True z");
  EXPECT_EQ(R("{{ config.missing is defined }} {{ config.limit is defined }} {{ config.none is "
              "none }} {{ config.limit is not none }}"),
            "False True True True");
  EXPECT_EQ(R("{{ 3 is odd }} {{ 4 is divisibleby 2 }} {{ 'a' is string }} {{ {} is mapping }} {{ "
              "1.5 is number }} {{ 2 is eq(2) }}"),
            "True True True True True True");
  EXPECT_EQ(R("{{ 'yes' if config.flag else 'no' }} [{{ 'yes' if config.missing }}]"), "yes []");
  EXPECT_EQ(R("{{ (1, 2) | list }} {{ () | length }} {{ 2 in (1, 2) }} {{ [1, [2, {'k': 3}]] }}"),
            "[1, 2] 0 True [1, [2, {'k': 3}]]");
}

}  // namespace
}  // namespace airbyte::declarative
