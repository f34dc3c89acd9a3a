// Differential test: a few hundred generated templates rendered by our engine and by Debian's
// python3-jinja2 (tests/data/declarative/jinja_oracle.py), outcomes compared one by one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>

#include "airbyte/error.h"
#include "connectors/declarative/interpolation/interpolator.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"
#include "util/yaml_json.h"

namespace airbyte::declarative {
namespace {

const char* kContext = R"({
  "config": {"limit": 7, "ratio": 2.5, "name": "Ada Lovelace", "csv": "a,b,,c", "empty": "",
             "flag": true, "off": false, "none": null, "list": [3, 1, 2], "words": ["x", "y"],
             "nested": {"k": "v", "n": 0}, "date": "2024-01-15", "neg": -4, "zero": 0},
  "record": {"id": 12, "tags": ["a", "b"], "meta": {"score": 1.5}}
})";

// Operands: literals of every type and context paths, present and missing.
const std::vector<std::string> kAtoms = {"0",
                                         "1",
                                         "-3",
                                         "2.5",
                                         "0.1",
                                         "1e3",
                                         "'a'",
                                         "\"b c\"",
                                         "''",
                                         "True",
                                         "False",
                                         "None",
                                         "[1, 2]",
                                         "[]",
                                         "{'k': 'v'}",
                                         "{}",
                                         "config.limit",
                                         "config.ratio",
                                         "config.name",
                                         "config.csv",
                                         "config.empty",
                                         "config.flag",
                                         "config.off",
                                         "config.none",
                                         "config.list",
                                         "config.words",
                                         "config.nested",
                                         "config['nested']['k']",
                                         "config.nested.n",
                                         "config.date",
                                         "config.neg",
                                         "config.zero",
                                         "config.missing",
                                         "record.tags",
                                         "record.meta.score",
                                         "record['id']",
                                         "config.list[0]",
                                         "config.list[-1]",
                                         "config.list[5]",
                                         "config.name[0:3]",
                                         "config.name[::2]"};

const std::vector<std::string> kBinary = {"+",  "-", "*",  "/", "//", "%",   "**", "~",  "==",
                                          "!=", "<", "<=", ">", ">=", "and", "or", "in", "not in"};

const std::vector<std::string> kFilters = {"length",
                                           "default('d')",
                                           "default('d', true)",
                                           "upper",
                                           "lower",
                                           "join(',')",
                                           "first",
                                           "last",
                                           "int",
                                           "float",
                                           "string",
                                           "trim",
                                           "list",
                                           "sort",
                                           "unique | list",
                                           "reverse | list",
                                           "abs",
                                           "round",
                                           "round(1)",
                                           "tojson",
                                           "urlencode",
                                           "capitalize",
                                           "title",
                                           "replace('a', 'o')",
                                           "sum",
                                           "min",
                                           "max",
                                           "hash",
                                           "hash('sha256')",
                                           "base64encode",
                                           "items | map('first') | list",
                                           "count",
                                           "map('upper') | list",
                                           "select | list",
                                           "reject | list",
                                           "regex_search('([a-z]+)')"};

const std::vector<std::string> kMethods = {".get('k')",          ".get('zz', 'dflt')",
                                           ".get('zz')",         ".split(',')",
                                           ".split()",           ".strip()",
                                           ".replace('a', 'e')", ".upper()",
                                           ".lower()",           ".startswith('A')",
                                           ".endswith('e')",     ".keys() | list",
                                           ".values() | list",   ".items() | map('last') | list",
                                           ".count('a')",        ".find('a')",
                                           ".lstrip('A')",       ".title()",
                                           ".capitalize()",      ".rstrip()",
                                           ".index(1)",          ".isdigit()"};

const std::vector<std::string> kTests = {"none",     "defined",  "undefined", "string",   "number",
                                         "mapping",  "integer",  "float",     "not none", "odd",
                                         "sequence", "iterable", "boolean",   "true"};

// Rendered texts that probe the Python-literal parsing of the pipeline.
const std::vector<std::string> kLiteralTexts = {"42",
                                                "-1.5",
                                                "+5",
                                                "--5",
                                                "-0",
                                                "1e5",
                                                "1E-3",
                                                ".5",
                                                "5.",
                                                "1_000",
                                                "1__0",
                                                "0x1F",
                                                "0o17",
                                                "0b11",
                                                "07",
                                                "00",
                                                "0_0",
                                                "12345678901234567890",
                                                "'x'",
                                                "\"x\"",
                                                "'a' 'b'",
                                                "'''t'''",
                                                "'\\x41\\u00e9'",
                                                "r'\\n'",
                                                "'\\q'",
                                                "b'x'",
                                                "f'x'",
                                                "u'x'",
                                                "True",
                                                "False",
                                                "None",
                                                "true",
                                                "null",
                                                "nan",
                                                "inf",
                                                "(1,)",
                                                "(1)",
                                                "()",
                                                "(1, 'a', None)",
                                                "[1, [2, 3]]",
                                                "[1, 2,]",
                                                "[,]",
                                                "{}",
                                                "{1: 2}",
                                                "{'a': 1, 'a': 2}",
                                                "{'a': (1, 2)}",
                                                "{1, 2}",
                                                "{'k': [1, {'n': None}]}",
                                                " 5",
                                                "\t5",
                                                "5 ",
                                                "5\n",
                                                "1 # c",
                                                "# c",
                                                "1\n2",
                                                "1+2",
                                                "1j",
                                                "1 2",
                                                "a",
                                                "[a]",
                                                "2024-01-15",
                                                "10:30",
                                                "1,2",
                                                "1, 2",
                                                "'unterminated",
                                                "[\n 1,\n 2\n]",
                                                "{'a': 1,}",
                                                "{[1]: 2}",
                                                "-True",
                                                "not 1",
                                                "~1"};

std::vector<std::string> GenerateTemplates() {
  std::mt19937 rng(20240501);  // fixed: the same templates every run
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  std::vector<std::string> out;
  for (const std::string& a : kAtoms) out.push_back("{{ " + a + " }}");
  for (const std::string& t : kLiteralTexts) out.push_back(t);
  for (int i = 0; i < 220; ++i)
    out.push_back("{{ " + pick(kAtoms) + " " + pick(kBinary) + " " + pick(kAtoms) + " }}");
  for (int i = 0; i < 40; ++i) {
    out.push_back("{{ (" + pick(kAtoms) + " " + pick(kBinary) + " " + pick(kAtoms) + ") " +
                  pick(kBinary) + " " + pick(kAtoms) + " }}");
  }
  for (const std::string& f : kFilters) out.push_back("{{ " + pick(kAtoms) + " | " + f + " }}");
  for (int i = 0; i < 80; ++i) out.push_back("{{ " + pick(kAtoms) + " | " + pick(kFilters) + " }}");
  for (int i = 0; i < 70; ++i) out.push_back("{{ " + pick(kAtoms) + pick(kMethods) + " }}");
  for (int i = 0; i < 40; ++i) out.push_back("{{ " + pick(kAtoms) + " is " + pick(kTests) + " }}");
  for (int i = 0; i < 30; ++i) {
    out.push_back("{{ " + pick(kAtoms) + " if " + pick(kAtoms) + " else " + pick(kAtoms) + " }}");
    out.push_back("{{ not " + pick(kAtoms) + " }}{{ -" + pick(kAtoms) + " }}");
  }
  for (int i = 0; i < 20; ++i) {
    out.push_back("{% if " + pick(kAtoms) + " %}A{% elif " + pick(kAtoms) +
                  " %}B{% else %}C{% endif %}");
    out.push_back("{% for x in " + pick(kAtoms) +
                  " %}[{{ loop.index }}:{{ x }}]{% else %}none{% endfor %}");
    out.push_back("{% set v = " + pick(kAtoms) + " %}<{{ v }}>");
  }
  return out;
}

std::string RunOracle(const std::filesystem::path& input) {
  std::string command = "python3 '" + std::string(AIRBYTE_SOURCE_DIR) +
                        "/tests/data/declarative/jinja_oracle.py' '" + input.string() + "' 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  pclose(pipe);
  return out;
}

void CollectTemplates(const Json& node, std::vector<std::string>& out) {
  if (node.is_structured()) {
    for (const Json& child : node) CollectTemplates(child, out);
  } else if (node.is_string()) {
    const std::string& s = node.get_ref<const std::string&>();
    if (s.find("{{") != std::string::npos || s.find("{%") != std::string::npos) out.push_back(s);
  }
}

// Variables every corpus template reads, with plausible values.
const char* kCorpusContext = R"({
  "config": {"api_key": "k1", "token": "t", "domain": ["a.com", "b.com"], "country": ["us", "fr"],
             "category": ["top"], "language": ["en"], "query": "a b&c", "query_in_title": "x/y",
             "subdomain": "acme", "hostname": "h.example", "organization": "org", "project": "p",
             "start_date": "2024-01-01T00:00:00Z", "end": "20240131", "start": "20240101",
             "access": "all-access", "agent": "user", "article": "Main_Page", "comic_number": 0,
             "users_to_fetch": ["u1"], "domain_region": "EU", "symbols": "AAPL", "survey_id": "",
             "start_datetime": "", "end_datetime": "2024-02-01T00:00:00Z", "tenant_id": "tid",
             "records_limit": 10, "num_workers": 3},
  "parameters": {"name": "s"},
  "stream_slice": {"id": "7", "symbol": "AAPL", "parent_id": "p1", "tasklist_id": "tl",
                   "organization": "o", "start_time": "2024-01-01", "end_time": "2024-01-31"},
  "next_page_token": {"next_page_token": "n"},
  "response": {"links": {"next": null}, "nextPage": 2, "next_token": "nt", "nextPageToken": null,
               "records": {"cursor": "c"}, "num": 5, "next": {"page": 2},
               "pagination": {"next": {}}, "error": {"error_code": 10003, "error_message": ""},
               "@odata.nextLink": "https://g/users?$skiptoken=ab%3D&x=1"},
  "headers": {"link": {"next": {"results": "true", "cursor": "c2", "url": "u"}}},
  "last_record": {"next_page": 3},
  "last_page_size": 10,
  "record": {"id": 1, "dateCreated": "2024-02-01", "primaryUserId": "u1",
             "metaData": {"id": "m", "primaryUserId": "u2"},
             "general": {"name": "n", "managementId": "mid", "lastContactTime": "t",
                         "mdmCapable": {"capableUsers": ["a"]}}}
})";

bool OracleAvailable() { return std::system("python3 -c 'import jinja2' >/dev/null 2>&1") == 0; }

#define AIRBYTE_REQUIRE_JINJA2()                                                           \
  if (!OracleAvailable()) {                                                                \
    if (testutil::InCi()) FAIL() << "python3-jinja2 is required under CI (scripts/setup)"; \
    GTEST_SKIP() << "python3 with jinja2 not installed (Debian package python3-jinja2)";   \
  }

struct Comparison {
  std::vector<std::string> mismatches;
  std::size_t texts = 0;   // templates whose rendered text matched
  std::size_t values = 0;  // ... and whose Eval value matched the CDK's literal parsing
};

// Renders `templates` with our engine (against `ours`) and with jinja2 (against `theirs`, the
// same variables plus what the CDK adds, e.g. the stream_slice aliases) and compares outcomes.
Comparison Compare(const std::vector<std::string>& templates, const Json& ours,
                   const Json& theirs) {
  Comparison result;
  util::ScopedTempDir dir;
  std::filesystem::path input = dir.path() / "input.json";
  std::ofstream(input) << Json{{"context", theirs}, {"templates", templates}}.dump();
  std::string oracle_text = RunOracle(input);
  Json oracle;
  try {
    oracle = Json::parse(oracle_text);
  } catch (const std::exception&) {
    result.mismatches.push_back("oracle output is not JSON: " + oracle_text.substr(0, 2000));
    return result;
  }
  if (oracle.size() != templates.size()) {
    result.mismatches.push_back("oracle returned " + std::to_string(oracle.size()) + " results");
    return result;
  }
  Interpolator interp;
  for (std::size_t i = 0; i < templates.size(); ++i) {
    std::string text;
    std::string kind = "text";
    try {
      text = interp.Render(templates[i], ours);
    } catch (const Error& e) {
      kind = e.message().starts_with("Undefined value") ? "undefined" : "error";
      text = e.message();
    }
    const Json& want = oracle[i];
    std::string want_kind = want.contains("text")        ? "text"
                            : want.contains("undefined") ? "undefined"
                                                         : "error";
    bool same = kind == want_kind && (kind != "text" || text == want["text"].get<std::string>());
    if (!same) {
      result.mismatches.push_back(templates[i] + "\n    ours:   " + kind + ": " + text +
                                  "\n    jinja2: " + want.dump());
      continue;
    }
    if (kind != "text") continue;
    ++result.texts;
    if (want.contains("value_skip")) continue;
    // The whole pipeline: the value Eval returns must be the CDK's for the same text.
    std::string failure;
    Json value;
    try {
      value = interp.Eval(templates[i], ours);
    } catch (const Error& e) {
      failure = e.message();
    }
    bool value_same =
        want.contains("value_error") ? !failure.empty() : failure.empty() && value == want["value"];
    if (value_same) {
      ++result.values;
    } else {
      result.mismatches.push_back(templates[i] + "\n    ours:   value " +
                                  (failure.empty() ? value.dump() : failure) +
                                  "\n    cdk:    " + want.dump());
    }
  }
  return result;
}

std::string Report(const Comparison& c, std::size_t total) {
  std::string report =
      std::to_string(c.mismatches.size()) + " of " + std::to_string(total) + " differ:\n";
  for (const std::string& m : c.mismatches) report += m + "\n";
  return report;
}

TEST(JinjaDifferentialTest, GeneratedTemplatesMatchJinja2) {
  AIRBYTE_REQUIRE_JINJA2();
  std::vector<std::string> templates = GenerateTemplates();
  Json context = Json::parse(kContext);
  Comparison c = Compare(templates, context, context);
  EXPECT_TRUE(c.mismatches.empty()) << Report(c, templates.size());
  EXPECT_GT(c.texts, templates.size() / 3) << "too few templates rendered text to be meaningful";
  EXPECT_GT(c.values, templates.size() / 3);
}

// Every corpus template that uses no CDK macro, against a context shaped like a real read.
TEST(JinjaDifferentialTest, CorpusTemplatesMatchJinja2) {
  AIRBYTE_REQUIRE_JINJA2();
  AIRBYTE_REQUIRE_SHARED(shared);
  std::vector<std::string> templates;
  for (const auto& entry : std::filesystem::directory_iterator(shared / "corpus" / "manifests")) {
    std::ifstream in(entry.path() / "manifest.yaml");
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().empty()) continue;
    std::vector<std::string> found;
    CollectTemplates(util::ParseYaml(text.str(), entry.path().string()), found);
    for (const std::string& t : found) {
      bool uses_macro = false;
      for (const char* macro : {"now_utc", "today_utc", "day_delta", "duration(", "format_datetime",
                                "str_to_datetime", "timestamp(", "today_with_timezone"}) {
        uses_macro = uses_macro || t.find(macro) != std::string::npos;
      }
      if (!uses_macro) templates.push_back(t);
    }
  }
  Json ours = Json::parse(kCorpusContext);
  Json theirs = ours;
  theirs["stream_partition"] = theirs["stream_slice"];
  theirs["stream_interval"] = theirs["stream_slice"];
  Comparison c = Compare(templates, ours, theirs);
  EXPECT_TRUE(c.mismatches.empty()) << Report(c, templates.size());
  EXPECT_GT(c.values, templates.size() / 2);
}

}  // namespace
}  // namespace airbyte::declarative
