#include "connectors/declarative/manifest_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte::declarative {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::ThrowsError;

Json Resolve(const char* yaml) { return ResolveManifest(ParseYaml(yaml, "test")); }

// ---- $ref resolution (docs/declarative.md 1.3) ----

TEST(ManifestRefTest, RefMergesSiblingKeysOverTheReferencedMapping) {
  Json m = Resolve(
      "definitions:\n  base: {url_base: u, path: /a, http_method: GET}\n"
      "x:\n  $ref: '#/definitions/base'\n  path: /b\n  extra: 1\n");
  EXPECT_EQ(m["x"].dump(), R"({"url_base":"u","path":"/b","http_method":"GET","extra":1})");
  EXPECT_EQ(m["definitions"]["base"]["path"], "/a");  // the definition is not modified
}

TEST(ManifestRefTest, NonMappingTargetReplacesTheWholeMappingAndDropsSiblings) {
  Json m = Resolve("definitions:\n  keys: [a, b]\nx:\n  $ref: '#/definitions/keys'\n  y: 1\n");
  EXPECT_EQ(m["x"], Json::parse(R"(["a","b"])"));
}

TEST(ManifestRefTest, AnyStringStartingWithHashSlashIsAReference) {
  Json m = Resolve("definitions:\n  n: 5\nlist: ['#/definitions/n', '#x', ' #/definitions/n']\n");
  EXPECT_EQ(m["list"], Json::parse(R"([5, "#x", " #/definitions/n"])"));
}

TEST(ManifestRefTest, WholeRemainingPathIsTriedAsAKeyFirst) {
  Json m = Resolve(
      "schemas:\n  Property Records: {a: 1}\nnested:\n  path: first\nnested/path: second\n"
      "deep:\n  a/b: whole\n  a: {b: split}\n"
      "r1: '#/schemas/Property Records'\nr2: '#/nested/path'\nr3: '#/deep/a/b'\n");
  EXPECT_EQ(m["r1"], Json::parse(R"({"a":1})"));
  EXPECT_EQ(m["r2"], "second");
  EXPECT_EQ(m["r3"], "whole");
}

TEST(ManifestRefTest, NumericSegmentsIndexLists) {
  Json m = Resolve("items: [{n: zero}, {n: one}]\nr: '#/items/1/n'\nlast: '#/items/-1'\n");
  EXPECT_EQ(m["r"], "one");
  EXPECT_EQ(m["last"], Json::parse(R"({"n":"one"})"));
}

TEST(ManifestRefTest, ReferencedFragmentsAreResolvedRecursivelyAndCopiedPerUse) {
  Json m = Resolve(
      "definitions:\n  a: {inner: '#/definitions/b'}\n  b: {v: 1}\n"
      "x: {$ref: '#/definitions/a'}\ny: {$ref: '#/definitions/a', own: 2}\n");
  EXPECT_EQ(m["x"].dump(), R"({"inner":{"v":1}})");
  EXPECT_EQ(m["y"].dump(), R"({"inner":{"v":1},"own":2})");
  EXPECT_EQ(m["definitions"]["a"]["inner"], Json::parse(R"({"v":1})"));
}

TEST(ManifestRefTest, SameReferenceTwiceOnOnePathIsNotCircular) {
  Json m = Resolve(
      "definitions:\n  v: 1\n  pair: ['#/definitions/v', '#/definitions/v']\n"
      "x: '#/definitions/pair'\n");
  EXPECT_EQ(m["x"], Json::parse("[1, 1]"));
}

TEST(ManifestRefTest, CircularReferenceNamesTheChain) {
  EXPECT_THAT(
      [] {
        Resolve("definitions:\n  a: {$ref: '#/definitions/b'}\n  b: {x: '#/definitions/a'}\n");
      },
      ThrowsError(ErrorKind::kInput,
                  AllOf(HasSubstr("Circular reference"), HasSubstr("#/definitions/a"),
                        HasSubstr("#/definitions/b"))));
  EXPECT_THAT([] { Resolve("a: '#/a'\n"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("Circular reference")));
}

TEST(ManifestRefTest, UndefinedReferenceNamesPathAndLocation) {
  EXPECT_THAT(
      [] { Resolve("definitions: {a: 1}\nstreams:\n  - {$ref: '#/definitions/missing'}\n"); },
      ThrowsError(ErrorKind::kInput,
                  AllOf(HasSubstr("Undefined reference"), HasSubstr("#/definitions/missing"),
                        HasSubstr("/streams/0/$ref"))));
  EXPECT_THAT([] { Resolve("items: [1]\nr: '#/items/3'\n"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("Undefined reference")));
}

TEST(ManifestRefTest, AnchorsWorkAlongsideReferences) {
  Json m =
      Resolve("definitions:\n  base: &b {a: 1}\nx: *b\ny: {<<: *b, c: '#/definitions/base/a'}\n");
  EXPECT_EQ(m["x"], Json::parse(R"({"a":1})"));
  EXPECT_EQ(m["y"].dump(), R"({"a":1,"c":1})");
}

// ---- Type inference (1.4) ----

TEST(ManifestTypeTest, TopLevelDefaultsToDeclarativeSource) {
  EXPECT_EQ(Resolve("streams: []\n")["type"], "DeclarativeSource");
  EXPECT_EQ(Resolve("type: Other\n")["type"], "Other");
}

TEST(ManifestTypeTest, EveryPairOfTheTable) {
  struct Case {
    const char* parent;
    const char* field;
    const char* expected;
  };
  const Case kCases[] = {
      {"DeclarativeSource", "check", "CheckStream"},
      {"DeclarativeSource", "spec", "Spec"},
      {"DeclarativeStream", "retriever", "SimpleRetriever"},
      {"DeclarativeStream", "schema_loader", "JsonFileSchemaLoader"},
      {"SimpleRetriever", "requester", "HttpRequester"},
      {"SimpleRetriever", "record_selector", "RecordSelector"},
      {"SimpleRetriever", "paginator", "NoPagination"},
      {"RecordSelector", "extractor", "DpathExtractor"},
      {"RecordSelector", "record_filter", "RecordFilter"},
      {"HttpRequester", "error_handler", "DefaultErrorHandler"},
      {"DefaultPaginator", "page_size_option", "RequestOption"},
      {"DefaultPaginator", "decoder", "JsonDecoder"},
      {"CursorPagination", "decoder", "JsonDecoder"},
      {"DpathExtractor", "decoder", "JsonDecoder"},
      {"DatetimeBasedCursor", "start_datetime", "MinMaxDatetime"},
      {"DatetimeBasedCursor", "end_datetime", "MinMaxDatetime"},
      {"DatetimeBasedCursor", "start_time_option", "RequestOption"},
      {"DatetimeBasedCursor", "end_time_option", "RequestOption"},
      {"ListPartitionRouter", "request_option", "RequestOption"},
      {"ParentStreamConfig", "request_option", "RequestOption"},
      {"ParentStreamConfig", "stream", "DeclarativeStream"},
      {"DynamicDeclarativeStream", "stream_template", "DeclarativeStream"},
      {"HttpComponentsResolver", "retriever", "SimpleRetriever"},
      {"HttpComponentsResolver", "components_mapping", "ComponentMappingDefinition"},
  };
  for (const Case& c : kCases) {
    Json manifest = {{"x", {{"type", c.parent}, {c.field, {{"k", 1}}}}}};
    EXPECT_EQ(ResolveManifest(manifest)["x"][c.field]["type"], c.expected)
        << c.parent << "." << c.field;
  }
  struct ListCase {
    const char* parent;
    const char* field;
    const char* expected;
  };
  const ListCase kListCases[] = {
      {"DeclarativeSource", "streams", "DeclarativeStream"},
      {"DefaultErrorHandler", "response_filters", "HttpResponseFilter"},
      {"CompositeErrorHandler", "error_handlers", "DefaultErrorHandler"},
      {"SubstreamPartitionRouter", "parent_stream_configs", "ParentStreamConfig"},
      {"AddFields", "fields", "AddedFieldDefinition"},
  };
  for (const ListCase& c : kListCases) {
    Json manifest = {{"x", {{"type", c.parent}, {c.field, Json::array({{{"k", 1}}, 7})}}}};
    Json out = ResolveManifest(manifest)["x"][c.field];
    EXPECT_EQ(out[0]["type"], c.expected) << c.parent << "." << c.field;
    EXPECT_EQ(out[1], 7);
  }
}

TEST(ManifestTypeTest, UnlistedPairsStayUntypedAndExplicitTypesWin) {
  Json m = Resolve(
      "x:\n  type: DefaultPaginator\n  page_token_option: {inject_into: request_parameter}\n"
      "  decoder: {type: XmlDecoder}\n");
  EXPECT_FALSE(m["x"]["page_token_option"].contains("type"));
  EXPECT_EQ(m["x"]["decoder"]["type"], "XmlDecoder");
}

TEST(ManifestTypeTest, ClassNameComponentsGetTheCustomTypeOrNone) {
  Json m = Resolve(
      "x:\n  type: RecordSelector\n  extractor: {class_name: a.B}\n"
      "y:\n  type: SimpleRetriever\n  record_selector: {class_name: a.C}\n");
  EXPECT_EQ(m["x"]["extractor"]["type"], "CustomRecordExtractor");
  EXPECT_FALSE(m["y"]["record_selector"].contains("type"));
}

TEST(ManifestTypeTest, InlineJsonSchemasAreNotDescended) {
  Json m = Resolve(
      "$parameters: {name: n}\n"
      "x:\n  type: DeclarativeStream\n  schema_loader:\n    type: InlineSchemaLoader\n"
      "    schema:\n      type: object\n      $parameters: {p: 1}\n"
      "      properties: {retriever: {type: [null, object], properties: {a: {}}}}\n");
  const Json& schema = m["x"]["schema_loader"]["schema"];
  EXPECT_EQ(
      schema.dump(),
      R"({"type":"object","properties":{"retriever":{"type":[null,"object"],"properties":{"a":{}}}}})");
  EXPECT_EQ(m["x"]["schema_loader"]["name"], "n");
}

// ---- $parameters (1.5) ----

TEST(ManifestParametersTest, ParametersFillAbsentAndFalsyFieldsOfTypedComponents) {
  Json m = Resolve(
      "streams:\n"
      "  - $parameters: {name: users, path: /users, primary_key: id, url_base: https://x}\n"
      "    primary_key: ''\n"
      "    retriever:\n"
      "      requester: {path: /own}\n"
      "      record_selector: {extractor: {field_path: []}}\n");
  const Json& stream = m["streams"][0];
  EXPECT_EQ(stream["type"], "DeclarativeStream");
  EXPECT_EQ(stream["name"], "users");
  EXPECT_EQ(stream["primary_key"], "id");  // '' is falsy
  const Json& requester = stream["retriever"]["requester"];
  EXPECT_EQ(requester["type"], "HttpRequester");
  EXPECT_EQ(requester["path"], "/own");
  EXPECT_EQ(requester["url_base"], "https://x");
  EXPECT_EQ(requester["$parameters"]["path"], "/users");
  EXPECT_EQ(stream["retriever"]["record_selector"]["extractor"]["name"], "users");
  EXPECT_EQ(stream["$parameters"].dump(),
            R"({"name":"users","path":"/users","primary_key":"id","url_base":"https://x"})");
}

TEST(ManifestParametersTest, NestedParametersOverrideParentOnesForTheSubtree) {
  Json m = Resolve(
      "streams:\n"
      "  - $parameters: {name: outer, a: 1}\n"
      "    retriever:\n"
      "      $parameters: {name: inner}\n"
      "      requester: {}\n"
      "    schema_loader: {}\n");
  const Json& stream = m["streams"][0];
  EXPECT_EQ(stream["name"], "outer");
  EXPECT_EQ(stream["retriever"]["requester"]["$parameters"].dump(), R"({"name":"inner","a":1})");
  EXPECT_EQ(stream["retriever"]["requester"]["name"], "inner");
  EXPECT_EQ(stream["schema_loader"]["$parameters"]["name"], "outer");
}

TEST(ManifestParametersTest, ParameterNamedLikeTheFieldIsWithheldFromThatSubtree) {
  Json m = Resolve(
      "streams:\n"
      "  - $parameters: {retriever: {type: Bogus}, name: s}\n"
      "    retriever: {requester: {}}\n");
  const Json& stream = m["streams"][0];
  EXPECT_EQ(stream["retriever"]["type"], "SimpleRetriever");
  EXPECT_FALSE(stream["retriever"]["$parameters"].contains("retriever"));
  EXPECT_FALSE(stream["retriever"]["requester"].contains("retriever"));
  EXPECT_EQ(stream["$parameters"].dump(), R"({"name":"s","retriever":{"type":"Bogus"}})");
}

TEST(ManifestParametersTest, UntypedMappingsGetNoParametersButTheirTypedChildrenDo) {
  Json m = Resolve(
      "streams:\n"
      "  - $parameters: {name: s}\n"
      "    retriever:\n"
      "      requester:\n"
      "        request_parameters: {plain: {a: 1}, typed: {type: QueryProperties}}\n");
  const Json& params = m["streams"][0]["retriever"]["requester"]["request_parameters"];
  EXPECT_FALSE(params.contains("name"));
  EXPECT_FALSE(params.contains("$parameters"));
  EXPECT_EQ(params["plain"].dump(), R"({"a":1})");
  EXPECT_EQ(params["typed"]["name"], "s");
}

TEST(ManifestParametersTest, NoParametersMeansNoParametersKey) {
  Json m = Resolve("streams:\n  - name: s\n");
  EXPECT_FALSE(m["streams"][0].contains("$parameters"));
  EXPECT_FALSE(m.contains("$parameters"));
}

TEST(ManifestParametersTest, ParametersMustBeAMapping) {
  EXPECT_THAT([] { Resolve("streams:\n  - $parameters: [1]\n"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("/streams/0")));
}

TEST(ManifestParametersTest, ParametersComeFromReferencedDefinitions) {
  Json m = Resolve(
      "definitions:\n  base:\n    $parameters: {name: base}\n    retriever: {requester: {}}\n"
      "streams:\n  - {$ref: '#/definitions/base', $parameters: {name: users}}\n");
  EXPECT_EQ(m["streams"][0]["name"], "users");
  EXPECT_EQ(m["streams"][0]["retriever"]["requester"]["name"], "users");
}

// ---- Custom components and files ----

TEST(ManifestCustomTest, FindsCustomTypesAndClassNames) {
  Json m = Resolve(
      "definitions: {c: {type: CustomX, class_name: a.Def}}\n"
      "streams:\n  - retriever:\n      record_selector:\n"
      "          extractor: {type: CustomRecordExtractor, class_name: pkg.Extractor}\n"
      "      partition_router: {type: CustomPartitionRouter}\n"
      "    schema_loader: {type: InlineSchemaLoader, schema: {type: object, properties: "
      "{class_name: {type: string}}}}\n");
  EXPECT_THAT(FindCustomComponents(m),
              ElementsAre("/streams/0/retriever/record_selector/extractor: pkg.Extractor",
                          "/streams/0/retriever/partition_router: CustomPartitionRouter"));
  EXPECT_TRUE(FindCustomComponents(Resolve("streams: [{name: a}]\n")).empty());
}

TEST(ManifestFileTest, ReadsYamlAndJsonAndReportsUnreadableFiles) {
  util::ScopedTempDir dir;
  {
    std::ofstream(dir.path() / "m.yaml") << "version: 6.44.0\nflag: no\n";
    std::ofstream(dir.path() / "m.json") << R"({"flag": "no"})";
    std::ofstream(dir.path() / "bad.yaml") << "a: [1\n";
  }
  EXPECT_EQ(ReadManifestFile(dir.path() / "m.yaml").dump(), R"({"version":"6.44.0","flag":false})");
  EXPECT_EQ(ReadManifestFile(dir.path() / "m.json").dump(), R"({"flag":"no"})");
  EXPECT_THAT([&] { ReadManifestFile(dir.path() / "missing.yaml"); },
              ThrowsError(ErrorKind::kIo, HasSubstr("missing.yaml")));
  EXPECT_THAT([&] { ReadManifestFile(dir.path() / "bad.yaml"); },
              ThrowsError(ErrorKind::kInput, AllOf(HasSubstr("bad.yaml"), HasSubstr("line 2"))));
}

}  // namespace
}  // namespace airbyte::declarative
