// URL building against Python: fixed cases, plus differential tests that run the same inputs
// through CPython's urllib.parse (python3 is the oracle; skipped when it is missing).
#include "http/url.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(JoinUrlTest, ResolvesRelativeReferences) {
  EXPECT_EQ(JoinUrl("https://x/api/v1/", "users"), "https://x/api/v1/users");
  EXPECT_EQ(JoinUrl("https://x/api/v1", "users"), "https://x/api/users");
  EXPECT_EQ(JoinUrl("https://x/api/v1/", "/users"), "https://x/users");
  EXPECT_EQ(JoinUrl("https://x/a/b", "../c"), "https://x/c");
  EXPECT_EQ(JoinUrl("https://x/a/b", ""), "https://x/a/b");
  EXPECT_EQ(JoinUrl("", "users"), "users");
  EXPECT_EQ(JoinUrl("https://x/a", "https://y/b"), "https://y/b");
}

TEST(EncodeFormTest, QuotesPlusStyle) {
  EXPECT_EQ(EncodeForm({{"page", "2"}, {"q", "a b"}}), "page=2&q=a+b");
  EXPECT_EQ(EncodeForm({{"a&b", "c=d/e%f+g~h"}}), "a%26b=c%3Dd%2Fe%25f%2Bg~h");
  EXPECT_EQ(EncodeForm({{"name", "\xC3\xA9"}}), "name=%C3%A9");
  EXPECT_EQ(EncodeForm({}), "");
}

// Expected values follow requests 2.31's prepare_url over urllib3's parse_url.
TEST(AddQueryTest, AppendsEncodedItemsLikeRequests) {
  EXPECT_EQ(AddQuery("https://x/api/v1/users", {{"page", "2"}, {"q", "a b"}}),
            "https://x/api/v1/users?page=2&q=a+b");
  EXPECT_EQ(AddQuery("https://x/p?a=1", {{"b", "2"}}), "https://x/p?a=1&b=2");
  EXPECT_EQ(AddQuery("https://x/p?a=1", {}), "https://x/p?a=1");
  EXPECT_EQ(AddQuery("https://x/p", {}), "https://x/p");
  EXPECT_EQ(AddQuery("https://x/p?", {{"b", "2"}}), "https://x/p?b=2");
  EXPECT_EQ(AddQuery("https://x/p", {{"path", "/a/b"}, {"name", "\xC3\xA9&"}}),
            "https://x/p?path=%2Fa%2Fb&name=%C3%A9%26");
}

TEST(AddQueryTest, NormalizesHostPathAndDropsFragment) {
  EXPECT_EQ(AddQuery("HTTPS://Example.COM", {}), "https://example.com/");
  EXPECT_EQ(AddQuery("https://x/p#frag", {{"a", "1"}}), "https://x/p?a=1");
  EXPECT_EQ(AddQuery("https://x/a/./b/../c", {}), "https://x/a/c");
  EXPECT_EQ(AddQuery("https://u:P@Host:8080/p", {}), "https://u:P@host:8080/p");
}

TEST(AddQueryTest, RequotesLikeRequests) {
  EXPECT_EQ(AddQuery("https://x/a b/%7euser/\xC3\xA9?q=x y", {}),
            "https://x/a%20b/~user/%C3%A9?q=x%20y");
  EXPECT_EQ(AddQuery("https://x/100%/p", {}), "https://x/100%25/p");
  EXPECT_EQ(AddQuery("https://x/p?a=%41%2f", {}), "https://x/p?a=A%2F");
  EXPECT_EQ(AddQuery("https://x/p?a[]=1", {}), "https://x/p?a%5B%5D=1");
  EXPECT_EQ(AddQuery("https://x/p?a=1,2;b=$", {}), "https://x/p?a=1,2;b=$");
}

TEST(SplitUrlTest, SplitsAbsoluteUrls) {
  std::optional<UrlParts> parts = SplitUrl("https://user:pw@api.example.com:8443/v1/x%20y?a=1&b#f");
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->scheme, "https");
  EXPECT_EQ(parts->host, "api.example.com:8443");
  EXPECT_EQ(parts->path, "/v1/x%20y");
  EXPECT_EQ(parts->query, "a=1&b");
  EXPECT_FALSE(SplitUrl("/relative/path").has_value());
  EXPECT_FALSE(SplitUrl("mailto:someone").has_value());
}

TEST(DecodeFormTest, KeepsBlankValuesInOrder) {
  EXPECT_THAT(DecodeForm("a=1&b=&c&a=x+y%21&&d=%C3%A9=z"),
              ElementsAre(Pair("a", "1"), Pair("b", ""), Pair("c", ""), Pair("a", "x y!"),
                          Pair("d", "\xC3\xA9=z")));
  EXPECT_TRUE(DecodeForm("").empty());
}

TEST(PercentDecodeTest, DecodesValidEscapesOnly) {
  EXPECT_EQ(PercentDecode("a%20b+c%2F%zz%4"), "a b+c/%zz%4");
}

// Runs `script` with python3 on `input` (JSON) and returns its JSON output.
std::optional<nlohmann::json> RunPython(const std::string& script, const nlohmann::json& input) {
#ifdef AIRBYTE_TEST_PYTHON3
  util::ScopedTempDir dir;
  const auto script_path = dir.WriteFile("oracle.py", script);
  const auto input_path = dir.WriteFile("input.json", input.dump());
  testutil::CommandResult result =
      testutil::RunCommand({AIRBYTE_TEST_PYTHON3, script_path.string(), input_path.string()});
  if (result.exit_code != 0) {
    ADD_FAILURE() << "python3 failed: " << result.err;
    return std::nullopt;
  }
  return nlohmann::json::parse(result.out);
#else
  static_cast<void>(script);
  static_cast<void>(input);
  return std::nullopt;
#endif
}

TEST(UrlDifferentialTest, JoinUrlMatchesUrllibUrljoin) {
  const std::vector<std::string> bases = {
      "https://x/api/v1/", "https://x/api/v1", "https://x", "https://x/", "http://a/b/c/d;p?q",
      "https://x/a/b?q=1#f", "https://u:p@x:8080/a/", "ftp://x/a/b", "https://x/a//b/",
      "", "  https://x/a/b"};
  const std::vector<std::string> refs = {
      "users", "/users", "../users", "./users", "..", ".", "../..", "../../../g", "?a=1",
      "#frag", "//other/p", "https://y/z", "g;x?y#s", "g/", "", "a//b", "http:g", "https:g",
      "mailto:someone", "  users", "us\ters", "a/./b/../c", "/a/b/../../..", "%7Euser/a b",
      "\xC3\xA9t\xC3\xA9", ";p", "g?y/./x", "//", "///x", "HTTPS://Y/Z"};
  nlohmann::json input = nlohmann::json::array();
  for (const auto& base : bases) {
    for (const auto& ref : refs) input.push_back({base, ref});
  }
  std::optional<nlohmann::json> expected = RunPython(
      "import json, sys\n"
      "from urllib.parse import urljoin\n"
      "cases = json.load(open(sys.argv[1]))\n"
      "print(json.dumps([urljoin(b, r) for b, r in cases]))\n",
      input);
  if (!expected) GTEST_SKIP() << "python3 not found at build time";
  ASSERT_EQ(expected->size(), input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    EXPECT_EQ(JoinUrl(input[i][0].get<std::string>(), input[i][1].get<std::string>()),
              (*expected)[i].get<std::string>())
        << "urljoin(" << input[i][0] << ", " << input[i][1] << ")";
  }
}

TEST(UrlDifferentialTest, EncodeFormMatchesUrlencode) {
  const std::vector<std::string> texts = {
      "", "plain", "a b", "a&b=c", "/path/x", "100%", "a+b", "~_.-", "\xC3\xA9\xE2\x82\xAC",
      "emoji \xF0\x9F\x98\x80", "!*'();:@$,?#[]", "tab\there", "new\nline", "\"quoted\"",
      "<>\\^`{|}"};
  nlohmann::json input = nlohmann::json::array();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    using nlohmann::json;
    input.push_back(json::array({json::array({texts[i], texts[texts.size() - 1 - i]})}));
    input.push_back(json::array({json::array({"k", texts[i]}), json::array({texts[i], "v"}),
                                 json::array({"k", texts[i]})}));
  }
  std::optional<nlohmann::json> expected = RunPython(
      "import json, sys\n"
      "from urllib.parse import urlencode\n"
      "cases = json.load(open(sys.argv[1]))\n"
      "print(json.dumps([urlencode([tuple(p) for p in c]) for c in cases]))\n",
      input);
  if (!expected) GTEST_SKIP() << "python3 not found at build time";
  ASSERT_EQ(expected->size(), input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    QueryItems items;
    for (const auto& pair : input[i]) items.emplace_back(pair[0], pair[1]);
    EXPECT_EQ(EncodeForm(items), (*expected)[i].get<std::string>()) << input[i];
  }
}

TEST(UrlDifferentialTest, DecodeFormMatchesParseQsl) {
  const std::vector<std::string> queries = {
      "", "a=1", "a=1&b=2", "a=&b", "&&a=1&&", "a=x+y", "a=%20%2B%26", "a%3Db=c%3Dd",
      "a=1=2", "=v", "k=%C3%A9", "k=%zz%4", "a;b=c", "+=+"};
  nlohmann::json input = queries;
  std::optional<nlohmann::json> expected = RunPython(
      "import json, sys\n"
      "from urllib.parse import parse_qsl\n"
      "cases = json.load(open(sys.argv[1]))\n"
      "print(json.dumps([parse_qsl(q, keep_blank_values=True) for q in cases]))\n",
      input);
  if (!expected) GTEST_SKIP() << "python3 not found at build time";
  for (std::size_t i = 0; i < queries.size(); ++i) {
    QueryItems want;
    for (const auto& pair : (*expected)[i]) want.emplace_back(pair[0], pair[1]);
    EXPECT_EQ(DecodeForm(queries[i]), want) << queries[i];
  }
}

TEST(UrlDifferentialTest, AddQueryMatchesRequestsPrepareUrl) {
  const std::vector<std::string> urls = {
      "https://x/api/v1/users", "https://x/p?a=1", "https://x", "HTTPS://Example.COM:8443/P",
      "https://x/p#frag", "https://x/a/./b/../c", "https://x/a b/%7euser/\xC3\xA9?q=x y",
      "https://x/100%/p", "https://x/p?a=%41%2f%zz", "https://x/p?a[]=1&b={c}", "https://x/p?",
      "https://x/p?a=1,2;b=$&c=%20", "http://u:pw@x/p/../../q", "https://x/~a/!$'()*+,;=:@",
      "https://x/p?q=\"quoted\"<>|^`", "https://x//double//slash/"};
  const std::vector<QueryItems> params = {
      {}, {{"page", "2"}, {"q", "a b"}}, {{"path", "/a/b"}, {"name", "\xC3\xA9&"}},
      {{"k", "100%"}, {"e", ""}, {"k", "x+y~"}}};
  nlohmann::json input = nlohmann::json::array();
  for (const auto& url : urls) {
    for (const auto& items : params) {
      nlohmann::json pairs = nlohmann::json::array();
      for (const auto& [k, v] : items) pairs.push_back(nlohmann::json::array({k, v}));
      input.push_back(nlohmann::json::array({url, pairs}));
    }
  }
  std::optional<nlohmann::json> expected = RunPython(
      "import json, sys\n"
      "try:\n"
      "    from requests.models import PreparedRequest\n"
      "except ImportError:\n"
      "    print('null'); sys.exit(0)\n"
      "out = []\n"
      "for url, pairs in json.load(open(sys.argv[1])):\n"
      "    p = PreparedRequest()\n"
      "    p.prepare_url(url, [tuple(x) for x in pairs])\n"
      "    out.append(p.url.split('#', 1)[0])\n"
      "print(json.dumps(out))\n",
      input);
  if (!expected || expected->is_null()) GTEST_SKIP() << "python3 with requests not available";
  ASSERT_EQ(expected->size(), input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    QueryItems items;
    for (const auto& pair : input[i][1]) items.emplace_back(pair[0], pair[1]);
    EXPECT_EQ(AddQuery(input[i][0].get<std::string>(), items), (*expected)[i].get<std::string>())
        << input[i];
  }
}

}  // namespace
}  // namespace airbyte::http
