// Real expressions from the corpus manifests (../shared/corpus/manifests), evaluated against
// sample contexts with the outputs the CDK gives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "airbyte/error.h"
#include "connectors/declarative/interpolation/test_support.h"
#include "testutil/testutil.h"
#include "util/yaml_json.h"

namespace airbyte::declarative {
namespace {

using CorpusExpressionTest = InterpolationTest;

struct Case {
  const char* tmpl;
  const char* context;   // JSON merged over the fixture's context
  const char* expected;  // JSON of Eval's result
};

void CollectTemplates(const Json& node, std::vector<std::string>& out) {
  if (node.is_object() || node.is_array()) {
    for (const Json& child : node) CollectTemplates(child, out);
  } else if (node.is_string()) {
    const std::string& s = node.get_ref<const std::string&>();
    if (s.find("{{") != std::string::npos || s.find("{%") != std::string::npos) out.push_back(s);
  }
}

TEST_F(CorpusExpressionTest, RealExpressionsGiveCdkOutputs) {
  const Case kCases[] = {
      {"{{ config['country'][0] }}", R"({"config": {"country": ["us"]}})", R"("us")"},
      {"{{ ','.join(config['country']) }}", R"({"config": {"country": ["us", "fr"]}})",
       R"("us,fr")"},
      {"{{ config.get('num_workers', 5) }}", R"({"config": {}})", "5"},
      {"{{ config.get('domain', '') }}", R"({"config": {}})", "null"},
      {"{{ config[\"comic_number\"] or 1 }}/info.0.json", R"({"config": {}})",
       R"("1/info.0.json")"},
      {"{{ response[\"num\"]+1 or 0 }}/info.0.json", R"({"response": {"num": 2800}})",
       R"("2801/info.0.json")"},
      {"{{ 'records' not in response }}", R"({"response": {"data": []}})", "true"},
      {"{{ response.links.next is none}}", R"({"response": {"links": {"next": null}}})", "true"},
      {"{{ response.get('next', {}).get('page') }}", R"({"response": {"next": {"page": 4}}})", "4"},
      {"{{ not response.get(\"pagination\", {}).get(\"next\", {}) }}",
       R"({"response": {"pagination": {}}})", "true"},
      {"{{ headers[\"link\"][\"next\"][\"results\"] == \"false\" }}",
       R"({"headers": {"link": {"next": {"results": "false"}}}})", "true"},
      {"{{ headers[\"link\"].get(\"next\", {}).get(\"cursor\", {}) }}",
       R"({"headers": {"link": {"next": {"cursor": "c:1"}}}})", R"("c:1")"},
      {"{{ response.get('error', {}).get('error_code') in [10002, 10003, 10004] }}",
       R"({"response": {"error": {"error_code": 10003}}})", "true"},
      {"{{ response.get('@odata.nextLink') is not defined }}", R"({"response": {}})", "false"},
      {"{{ record['dateCreated'] > stream_interval.get('start_time', '') }}",
       R"({"record": {"dateCreated": "2024-01-02"}, "stream_slice": {"start_time": "2024-01-01"}})",
       "true"},
      {"{{ stream_interval.start_time if stream_interval else config['start_date'] }}",
       R"({"stream_slice": {}, "config": {"start_date": "2020-01-01"}})", R"("2020-01-01")"},
      {"{{ record.primaryUserId in config.users_to_fetch if config.users_to_fetch else True }}",
       R"({"record": {"primaryUserId": "u2"}, "config": {"users_to_fetch": ["u1"]}})", "false"},
      {"{{ config['end_datetime'] if config['end_datetime'] else day_delta(0, format='%Y-%m-%d') "
       "}}",
       R"({"config": {"end_datetime": ""}})", R"("2024-05-01")"},
      {"{{ config['start_datetime'].split('T')[0] if config['start_datetime'] else day_delta(-1, "
       "format='%Y-%m-%dT%H:%M:%SZ') }}",
       R"({"config": {"start_datetime": "2024-03-01T00:00:00Z"}})", R"("2024-03-01")"},
      {"{{ config.get('start_date', now_utc() - duration('P1D')).strftime('%Y-%m-%dT%H:%M:%S.%fZ') "
       "}}",
       R"({"config": {}})", R"("2024-04-30T02:30:00.123456Z")"},
      {"{{        \n  'https://api.eu.mailgun.net/v3'\n  if config.domain_region == 'EU'\n  else "
       "'https://api.mailgun.net'\n}}",
       R"({"config": {"domain_region": "EU"}})", R"("https://api.eu.mailgun.net/v3")"},
      {"{{ '/top/' ~ config.project ~ '/' ~ config.access ~ '/' ~ config.start[:4] ~ '/' ~ "
       "config.start[4:6] ~ '/' ~ config.start[6:8] }}",
       R"({"config": {"project": "en.wikipedia", "access": "all-access", "start": "20240115"}})",
       R"("/top/en.wikipedia/all-access/2024/01/15")"},
      {"lastSeen:>{{ stream_interval.get('start_time', '') or '1900-01-01T00:00:00.0Z' if "
       "stream_interval else '1900-01-01T00:00:00.0Z' }}",
       R"({"stream_slice": {"start_time": "2024-01-01T00:00:00Z"}})",
       R"("lastSeen:>2024-01-01T00:00:00Z")"},
      {"{\"callFromDate\": \"{{ config.get(\"start_date\") or '2020-01-01T00:00:00Z' }}\"}",
       R"({"config": {}})", R"({"callFromDate": "2020-01-01T00:00:00Z"})"},
      {"{{ response.get(\"@odata.nextLink\") | regex_search('\\$skiptoken=([^&]+)') }}",
       R"({"response": {"@odata.nextLink": "https://graph/users?$skiptoken=X1%3d&a=b"}})",
       R"("X1%3d")"},
      {"{{ config['query'] | urlencode }}", R"({"config": {"query": "a b/c"}})", R"("a%20b/c")"},
      {"{{ 'surveys/' + config['survey_id'] + '/properties' if config['survey_id'] else 'surveys/' "
       "+ stream_slice.id + '/properties' }}",
       R"({"config": {"survey_id": ""}, "stream_slice": {"id": "s9"}})",
       R"("surveys/s9/properties")"},
      {"{{ record }}", R"({"record": {"a": [1, "x"], "b": null}})",
       R"({"a": [1, "x"], "b": null})"},
  };
  for (const Case& c : kCases) {
    Json ctx = ctx_;
    Json overrides = Json::parse(c.context);
    for (const auto& [key, value] : overrides.items()) ctx[key] = value;  // replace, not merge
    EXPECT_EQ(interp_.Eval(c.tmpl, ctx), Json::parse(c.expected)) << c.tmpl;
  }
}

TEST_F(CorpusExpressionTest, EveryCorpusTemplateCompilesAndEvaluates) {
  AIRBYTE_REQUIRE_SHARED(shared);
  Json ctx = ctx_;
  ctx["last_record"] = {{"next_page", 2}};
  ctx["last_page_size"] = 10;
  // Paginators evaluate cursor_value only after stop_condition saw a next link.
  ctx["response"]["@odata.nextLink"] = "https://graph/users?$skiptoken=abc";
  ctx["config"].erase("start_date");  // mailgun's start template calls .strftime on a set one
  std::size_t evaluated = 0;
  for (const auto& entry : std::filesystem::directory_iterator(shared / "corpus" / "manifests")) {
    std::filesystem::path file = entry.path() / "manifest.yaml";
    if (!std::filesystem::exists(file)) continue;
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    std::vector<std::string> templates;
    CollectTemplates(util::ParseYaml(text.str(), file.string()), templates);
    for (const std::string& t : templates) {
      // Data this generic context lacks may leave values undefined (the CDK fails the same
      // way); anything else (syntax, unsupported construct, type error) is a bug.
      try {
        interp_.EvalString(t, ctx);
        ++evaluated;
      } catch (const Error& e) {
        EXPECT_THAT(e.message(), ::testing::StartsWith("Undefined value in template"))
            << file << ": " << t;
      }
    }
  }
  EXPECT_GT(evaluated, 80u);
}

}  // namespace
}  // namespace airbyte::declarative
