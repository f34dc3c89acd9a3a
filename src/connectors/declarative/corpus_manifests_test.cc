// Every real manifest of the corpus (../shared/corpus/manifests): parsed exactly as PyYAML's
// safe_load parses it (python3-yaml is the oracle), then loaded as the CDK loads it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/manifest_loader.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte::declarative {
namespace {

// Dates become isoformat() text and inf/nan null, as ParseYaml's dump() writes them.
constexpr const char* kOracle = R"(
import datetime, json, math, sys, yaml
def norm(o):
    if isinstance(o, dict):
        return {k: norm(v) for k, v in o.items()}
    if isinstance(o, list):
        return [norm(v) for v in o]
    if isinstance(o, float) and (math.isinf(o) or math.isnan(o)):
        return None
    if isinstance(o, (datetime.date, datetime.datetime)):
        return o.isoformat()
    return o
with open(sys.argv[1], encoding="utf-8") as f:
    print(json.dumps(norm(yaml.safe_load(f))))
)";

struct Pipe {
  void operator()(FILE* f) const { pclose(f); }
};

// PyYAML's view of `file` as JSON text, or nullopt when python3-yaml is unavailable.
std::optional<std::string> PythonSafeLoad(const std::filesystem::path& script,
                                          const std::filesystem::path& file) {
  std::string command = "python3 '" + script.string() + "' '" + file.string() + "' 2>/dev/null";
  std::unique_ptr<FILE, Pipe> pipe(popen(command.c_str(), "r"));
  if (!pipe) return std::nullopt;
  std::string out;
  std::array<char, 65536> buffer;
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0)
    out.append(buffer.data(), n);
  if (pclose(pipe.release()) != 0 || out.empty()) return std::nullopt;
  return out;
}

bool PythonYamlAvailable() { return std::system("python3 -c 'import yaml' >/dev/null 2>&1") == 0; }

std::vector<std::filesystem::path> CorpusManifests(const std::filesystem::path& shared) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(shared / "corpus" / "manifests")) {
    std::filesystem::path file = entry.path() / "manifest.yaml";
    if (std::filesystem::exists(file)) files.push_back(file);
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ConnectorName(const std::filesystem::path& file) {
  return file.parent_path().filename().string();
}

TEST(CorpusManifestTest, ParseYamlMatchesPyYamlSafeLoad) {
  AIRBYTE_REQUIRE_SHARED(shared);
  if (!PythonYamlAvailable()) GTEST_SKIP() << "python3 with the yaml module is not installed";
  util::ScopedTempDir dir;
  std::filesystem::path script = dir.path() / "oracle.py";
  std::ofstream(script) << kOracle;
  std::size_t compared = 0;
  for (const auto& file : CorpusManifests(shared)) {
    std::optional<std::string> expected = PythonSafeLoad(script, file);
    ASSERT_TRUE(expected.has_value()) << file;
    // dump() then parse: the same number kinds and inf/nan as null on both sides.
    Json ours = Json::parse(ReadManifestFile(file).dump());
    Json theirs = Json::parse(*expected);
    EXPECT_EQ(ours, theirs) << file;  // ordered: key order must match too
    ++compared;
  }
  EXPECT_GE(compared, 20u);
}

TEST(CorpusManifestTest, TrickyScalarsMatchPyYamlSafeLoad) {
  if (!PythonYamlAvailable()) GTEST_SKIP() << "python3 with the yaml module is not installed";
  const char* const kDocs[] = {
      "a: [yes, No, on, OFF, y, n, '0o17', 0o17, 017, 09, 1_000, 0x1F, ~, null, '']\n",
      "a: [1.5e3, 1.5e+3, 1e+3, .5, .inf, -.Inf, .nan, 1:30, 1:30.5, 0b101, +1, -0x1F, 0.]\n",
      "a: [2021-01-02, '2021-01-02', 2021-01-02T03:04:05Z, 2021-1-2 3:04:05.5 +5]\n",
      "a: [2021-01-02 03:04:05, 2021-01-02t03:04:05.1234567-05:30, 2021-1-2]\n",
      "f: >-\n  one\n  two\n\n  three\nl: |-\n  a\n   b\nk: |\n  x\nk2: |+\n  y\n\n",
      "\"no\": 1\nno: 2\n200: 3\n~: 4\n1.5: 5\n\"@timestamp\": 6\na: 1\na: 7\n",
      "b: &b {a: 1, b: 2}\no: &o {b: 20, c: 30}\nm: {<<: [*b, *o], d: 4}\nn: {<<: *b, b: 3}\n",
      "a: !!str 017\nb: !!int \"12\"\nc: !!float '1'\nd: !!bool 'yes'\n",
      "s: 'it''s'\nd: \"tab\\tnewline\\n\\u00e9\"\np: plain text, no\nq: a # comment\n",
      "- [a, {b: c}]\n- ? complex\n  : key\n- 'multi\n  line'\n- plain\n  folded\n",
      "x: 12345678901234567890123\ny: -9223372036854775808\nz: 18446744073709551615\n",
  };
  util::ScopedTempDir dir;
  std::filesystem::path script = dir.path() / "oracle.py";
  std::ofstream(script) << kOracle;
  int i = 0;
  for (const char* doc : kDocs) {
    std::filesystem::path file = dir.path() / ("doc" + std::to_string(i++) + ".yaml");
    std::ofstream(file) << doc;
    std::optional<std::string> expected = PythonSafeLoad(script, file);
    ASSERT_TRUE(expected.has_value()) << doc;
    EXPECT_EQ(Json::parse(ParseYaml(doc, "doc").dump()), Json::parse(*expected)) << doc;
  }
}

TEST(CorpusManifestTest, EveryManifestResolvesToRunnableStreams) {
  AIRBYTE_REQUIRE_SHARED(shared);
  const std::set<std::string> kNeedCustomComponents = {"source-public-apis", "source-zenloop"};
  std::size_t streams = 0;
  for (const auto& file : CorpusManifests(shared)) {
    const std::string name = ConnectorName(file);
    Json resolved = ResolveManifest(ReadManifestFile(file));
    EXPECT_EQ(resolved["type"], "DeclarativeSource") << name;
    std::vector<std::string> custom = FindCustomComponents(resolved);
    if (kNeedCustomComponents.count(name) > 0) {
      EXPECT_FALSE(custom.empty()) << name;
    } else {
      EXPECT_THAT(custom, ::testing::IsEmpty()) << name;
    }
    ASSERT_TRUE(resolved["streams"].is_array()) << name;
    EXPECT_FALSE(resolved["streams"].empty()) << name;
    for (const Json& stream : resolved["streams"]) {
      ++streams;
      const std::string where = name + " stream " + stream.value("name", Json("?")).dump();
      EXPECT_EQ(stream["type"], "DeclarativeStream") << where;
      ASSERT_TRUE(stream["name"].is_string()) << where;
      EXPECT_FALSE(stream["name"].get<std::string>().empty()) << where;
      EXPECT_EQ(stream["retriever"]["type"], "SimpleRetriever") << where;
      EXPECT_EQ(stream["retriever"]["requester"]["type"], "HttpRequester") << where;
      EXPECT_EQ(stream["retriever"]["record_selector"]["type"], "RecordSelector") << where;
    }
  }
  EXPECT_GT(streams, 50u);
}

TEST(CorpusManifestTest, CustomComponentsAreNamedWithTheirLocation) {
  AIRBYTE_REQUIRE_SHARED(shared);
  Json zenloop = ResolveManifest(
      ReadManifestFile(shared / "corpus" / "manifests" / "source-zenloop" / "manifest.yaml"));
  EXPECT_THAT(
      FindCustomComponents(zenloop),
      ::testing::Contains(::testing::AllOf(
          ::testing::StartsWith("/streams/"),
          ::testing::EndsWith("/retriever/partition_router: "
                              "source_declarative_manifest.components.ZenloopPartitionRouter"))));
  Json public_apis = ResolveManifest(
      ReadManifestFile(shared / "corpus" / "manifests" / "source-public-apis" / "manifest.yaml"));
  EXPECT_THAT(FindCustomComponents(public_apis),
              ::testing::Contains(::testing::HasSubstr(
                  "/record_selector/extractor: source_public_apis.components.CustomExtractor")));
}

}  // namespace
}  // namespace airbyte::declarative
