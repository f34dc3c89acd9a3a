// Differential test: a few hundred generated templates rendered by our engine and by Debian's
// python3-jinja2 (tests/data/declarative/jinja_oracle.py), outcomes compared one by one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "declarative/interpolator.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte::declarative {
namespace {

const char* kContext = R"({
  "config": {"limit": 7, "ratio": 2.5, "name": "Ada Lovelace", "csv": "a,b,,c", "empty": "",
             "flag": true, "off": false, "none": null, "list": [3, 1, 2], "words": ["x", "y"],
             "nested": {"k": "v", "n": 0}, "date": "2024-01-15", "neg": -4, "zero": 0},
  "record": {"id": 12, "tags": ["a", "b"], "meta": {"score": 1.5}}
})";

// Operands: literals of every type and context paths, present and missing.
const std::vector<std::string> kAtoms = {
    "0", "1", "-3", "2.5", "0.1", "1e3", "'a'", "\"b c\"", "''", "True", "False", "None",
    "[1, 2]", "[]", "{'k': 'v'}", "{}", "config.limit", "config.ratio", "config.name",
    "config.csv", "config.empty", "config.flag", "config.off", "config.none", "config.list",
    "config.words", "config.nested", "config['nested']['k']", "config.nested.n", "config.date",
    "config.neg", "config.zero", "config.missing", "record.tags", "record.meta.score",
    "record['id']", "config.list[0]", "config.list[-1]", "config.list[5]", "config.name[0:3]",
    "config.name[::2]"};

const std::vector<std::string> kBinary = {"+", "-", "*", "/", "//", "%", "**", "~", "==", "!=",
                                          "<", "<=", ">", ">=", "and", "or", "in", "not in"};

const std::vector<std::string> kFilters = {
    "length", "default('d')", "default('d', true)", "upper", "lower", "join(',')", "first",
    "last", "int", "float", "string", "trim", "list", "sort", "unique | list", "reverse | list",
    "abs", "round", "round(1)", "tojson", "urlencode", "capitalize", "title", "replace('a', 'o')",
    "sum", "min", "max", "hash", "hash('sha256')", "base64encode", "items | list", "count",
    "map('upper') | list", "select | list", "reject | list", "regex_search('([a-z]+)')"};

const std::vector<std::string> kMethods = {
    ".get('k')", ".get('zz', 'dflt')", ".get('zz')", ".split(',')", ".split()", ".strip()",
    ".replace('a', 'e')", ".upper()", ".lower()", ".startswith('A')", ".endswith('e')",
    ".keys() | list", ".values() | list", ".items() | list", ".count('a')", ".find('a')",
    ".lstrip('A')", ".title()", ".capitalize()", ".rstrip()", ".index(1)", ".isdigit()"};

const std::vector<std::string> kTests = {"none", "defined", "undefined", "string", "number",
                                         "mapping", "integer", "float", "not none", "odd",
                                         "sequence", "iterable", "boolean", "true"};

// Rendered texts that probe the Python-literal parsing of the pipeline.
const std::vector<std::string> kLiteralTexts = {
    "42", "-1.5", "+5", "--5", "-0", "1e5", "1E-3", ".5", "5.", "1_000", "1__0", "0x1F", "0o17",
    "0b11", "07", "00", "0_0", "12345678901234567890", "'x'", "\"x\"", "'a' 'b'", "'''t'''",
    "'\\x41\\u00e9'", "r'\\n'", "'\\q'", "b'x'", "f'x'", "u'x'", "True", "False", "None",
    "true", "null", "nan", "inf", "(1,)", "(1)", "()", "(1, 'a', None)", "[1, [2, 3]]", "[1, 2,]",
    "[,]", "{}", "{1: 2}", "{'a': 1, 'a': 2}", "{'a': (1, 2)}", "{1, 2}", "{'k': [1, {'n': None}]}",
    " 5", "\t5", "5 ", "5\n", "1 # c", "# c", "1\n2", "1+2", "1j", "1 2", "a", "[a]",
    "2024-01-15", "10:30", "1,2", "1, 2", "'unterminated", "[\n 1,\n 2\n]", "{'a': 1,}",
    "{[1]: 2}", "-True", "not 1", "~1"};

std::vector<std::string> GenerateTemplates() {
  std::mt19937 rng(20240501);  // fixed: the same templates every run
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  std::vector<std::string> out;
  for (const std::string& a : kAtoms) out.push_back("{{ " + a + " }}");
  for (const std::string& t : kLiteralTexts) out.push_back(t);
  for (int i = 0; i < 220; ++i) out.push_back("{{ " + pick(kAtoms) + " " + pick(kBinary) + " " + pick(kAtoms) + " }}");
  for (int i = 0; i < 40; ++i) {
    out.push_back("{{ (" + pick(kAtoms) + " " + pick(kBinary) + " " + pick(kAtoms) + ") " + pick(kBinary) + " " + pick(kAtoms) + " }}");
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
    out.push_back("{% if " + pick(kAtoms) + " %}A{% elif " + pick(kAtoms) + " %}B{% else %}C{% endif %}");
    out.push_back("{% for x in " + pick(kAtoms) + " %}[{{ loop.index }}:{{ x }}]{% else %}none{% endfor %}");
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

bool OracleAvailable() { return std::system("python3 -c 'import jinja2' >/dev/null 2>&1") == 0; }

TEST(JinjaDifferentialTest, GeneratedTemplatesMatchJinja2) {
  if (!OracleAvailable()) {
    if (testutil::InCi()) FAIL() << "python3-jinja2 is required under CI (scripts/setup installs it)";
    GTEST_SKIP() << "python3 with jinja2 not installed (Debian package python3-jinja2)";
  }
  std::vector<std::string> templates = GenerateTemplates();
  Json context = Json::parse(kContext);
  util::ScopedTempDir dir;
  std::filesystem::path input = dir.path() / "input.json";
  std::ofstream(input) << Json{{"context", context}, {"templates", templates}}.dump();
  std::string oracle_text = RunOracle(input);
  Json oracle;
  ASSERT_NO_THROW(oracle = Json::parse(oracle_text)) << oracle_text.substr(0, 2000);
  ASSERT_EQ(oracle.size(), templates.size());

  Interpolator interp;
  std::size_t compared_text = 0;
  std::size_t compared_values = 0;
  std::vector<std::string> mismatches;
  for (std::size_t i = 0; i < templates.size(); ++i) {
    std::string ours;
    std::string kind = "text";
    try {
      ours = interp.Render(templates[i], context);
    } catch (const Error& e) {
      kind = e.message().starts_with("Undefined value") ? "undefined" : "error";
      ours = e.message();
    }
    const Json& want = oracle[i];
    std::string want_kind = want.contains("text") ? "text" : want.contains("undefined") ? "undefined" : "error";
    bool same = kind == want_kind && (kind != "text" || ours == want["text"].get<std::string>());
    if (kind == "text" && same) ++compared_text;
    // The whole pipeline: the value Eval returns must be the CDK's for the same text.
    if (same && kind == "text" && !want.contains("value_skip")) {
      std::string outcome;
      Json value;
      try {
        value = interp.Eval(templates[i], context);
      } catch (const Error& e) {
        outcome = e.message();
      }
      bool value_same = want.contains("value_error") ? !outcome.empty()
                                                      : outcome.empty() && value == want["value"];
      if (value_same) {
        ++compared_values;
      } else {
        mismatches.push_back(templates[i] + "\n    ours:   value " + (outcome.empty() ? value.dump() : outcome) +
                             "\n    cdk:    " + want.dump());
      }
    }
    if (!same) {
      mismatches.push_back(templates[i] + "\n    ours:   " + kind + ": " + ours + "\n    jinja2: " + want.dump());
    }
  }
  std::string report;
  for (const std::string& m : mismatches) report += m + "\n";
  EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " of " << templates.size() << " differ:\n" << report;
  EXPECT_GT(compared_text, templates.size() / 3) << "too few templates rendered text to be meaningful";
  EXPECT_GT(compared_values, templates.size() / 3);
}

}  // namespace
}  // namespace airbyte::declarative
