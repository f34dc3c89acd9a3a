#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "airbyte/error.h"
#include "connectors/declarative/dpath.h"
#include "connectors/declarative/dpath_extractor.h"
#include "connectors/declarative/json_decoder.h"
#include "connectors/declarative/record_selector.h"
#include "connectors/declarative/schema_loader.h"
#include "connectors/declarative/schema_normalizer.h"
#include "testutil/testutil.h"
#include "util/temp_dir.h"

namespace airbyte::declarative {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::ThrowsError;

Json J(const char* text) { return Json::parse(text); }

class RecordsTest : public ::testing::Test {
 protected:
  std::vector<Json> Extract(const Json& extractor, const Json& doc) {
    return ExtractRecords(extractor, doc, interp_, ctx_);
  }
  Interpolator interp_;
  Json ctx_ = {{"config", {{"key", "items"}}},
               {"parameters", Json::object()},
               {"stream_slice", Json::object()},
               {"next_page_token", nullptr}};
};

TEST(JsonDecoderTest, RootArrayYieldsElementsAndEmptyOrInvalidBodiesYieldOneEmptyMapping) {
  EXPECT_THAT(DecodeJson(R"([{"id": "1"}, {"id": "2"}])"),
              ElementsAre(J(R"({"id":"1"})"), J(R"({"id":"2"})")));
  EXPECT_THAT(DecodeJson(R"({"num": 1})"), ElementsAre(J(R"({"num":1})")));
  for (const char* body : {"", "  \n", "[]", "null", "<html>oops</html>", "{\"a\":"}) {
    EXPECT_THAT(DecodeJson(body), ElementsAre(Json::object())) << body;
  }
}

TEST(JsonDecoderTest, JsonlSkipsBlankAndInvalidLinesAndDispatchRejectsOtherDecoders) {
  EXPECT_THAT(DecodeBody(J(R"({"type": "JsonlDecoder"})"), "{\"a\":1}\n\nnope\n{\"a\":2}\n"),
              ElementsAre(J(R"({"a":1})"), J(R"({"a":2})")));
  EXPECT_THAT(DecodeBody(nullptr, "{}"), ElementsAre(Json::object()));
  EXPECT_THAT([] { DecodeBody(J(R"({"type": "XmlDecoder"})"), "<a/>"); },
              ThrowsError(ErrorKind::kInput, HasSubstr("XmlDecoder")));
}

TEST_F(RecordsTest, EmptyFieldPathEmitsRootArrayElementsOrRootObject) {
  Json extractor = J(R"({"type": "DpathExtractor", "field_path": []})");
  // source-todoist: the decoder splits the root array; each element is one record.
  std::vector<Json> todoist;
  for (const Json& doc : DecodeJson(R"([{"id": "220474322"}, {"id": "220474323"}])")) {
    for (Json& r : Extract(extractor, doc)) todoist.push_back(r);
  }
  EXPECT_EQ(todoist.size(), 2u);
  // source-xkcd / source-nasa: a root object is one record; {} is none.
  EXPECT_THAT(Extract(extractor, J(R"({"num": 2960, "title": "x"})")),
              ElementsAre(J(R"({"num": 2960, "title": "x"})")));
  EXPECT_TRUE(Extract(extractor, Json::object()).empty());
}

TEST_F(RecordsTest, FieldPathWalksKeysAndListIndicesAndMissingYieldsNothing) {
  Json doc = J(R"({"data": {"items": [{"id": 1}, {"id": 2}], "one": {"id": 3}, "zero": 0},
                  "pages": [[{"id": 4}]]})");
  EXPECT_EQ(Extract(J(R"({"field_path": ["data", "{{ config.key }}"]})"), doc).size(), 2u);
  EXPECT_THAT(Extract(J(R"({"field_path": ["data", "one"]})"), doc),
              ElementsAre(J(R"({"id": 3})")));
  EXPECT_THAT(Extract(J(R"({"field_path": ["pages", "0", "0"]})"), doc),
              ElementsAre(J(R"({"id": 4})")));
  EXPECT_TRUE(Extract(J(R"({"field_path": ["data", "missing"]})"), doc).empty());
  EXPECT_TRUE(Extract(J(R"({"field_path": ["data", "zero"]})"), doc).empty());
  EXPECT_TRUE(Extract(J(R"({"field_path": ["data", "items", "0", "id", "x"]})"), doc).empty());
}

TEST_F(RecordsTest, WildcardCollectsMatchesWithoutFlatteningLists) {
  Json doc = J(R"({"groups": [{"rows": [1, 2]}, {"rows": [3]}, {"other": 0}],
                  "by_id": {"a": {"v": 1}, "b": {"v": {}}}})");
  EXPECT_THAT(Extract(J(R"({"field_path": ["groups", "*", "rows"]})"), doc),
              ElementsAre(J("[1, 2]"), J("[3]")));
  // Every match is a record, even a falsy one.
  EXPECT_THAT(Extract(J(R"({"field_path": ["by_id", "*", "v"]})"), doc),
              ElementsAre(J("1"), Json::object()));
  EXPECT_TRUE(Extract(J(R"({"field_path": ["nothing", "*"]})"), doc).empty());
}

TEST(DpathTest, GlobsFollowDpathMatching) {
  EXPECT_TRUE(dpath::Match({"a", "b", "c"}, {"**", "c"}));
  EXPECT_TRUE(dpath::Match({"c"}, {"**", "c"}));
  EXPECT_FALSE(dpath::Match({"a", "b"}, {"**", "c"}));
  EXPECT_TRUE(dpath::Match({"user_1"}, {"user_?"}));
  EXPECT_TRUE(dpath::FnMatch("abc", "[a-c]*"));
  EXPECT_FALSE(dpath::FnMatch("xbc", "[!x]*"));
  EXPECT_THAT([] { dpath::Values(J(R"({"a": {"": 1}})"), {"*"}); },
              ThrowsError(ErrorKind::kInput, HasSubstr("Empty string keys")));
}

TEST_F(RecordsTest, RecordFilterOnStreamIntervalFromSourceSentry) {
  // source-sentry projects stream.
  Json selector = J(R"({"type": "RecordSelector",
      "extractor": {"type": "DpathExtractor", "field_path": []},
      "record_filter": {"type": "RecordFilter",
        "condition": "{{ record['dateCreated'] > stream_interval.get('start_time', '') }}"}})");
  RecordSelector s(selector, nullptr, Json::object(), interp_);
  Json ctx = ctx_;
  ctx["stream_slice"] = {{"start_time", "2024-03-01T00:00:00Z"}, {"end_time", "2024-04-01"}};
  std::size_t extracted = 0;
  std::vector<Json> out;
  for (const Json& doc : DecodeJson(R"([{"id": "1", "dateCreated": "2024-03-05T00:00:00Z"},
                                        {"id": "2", "dateCreated": "2024-02-01T00:00:00Z"}])")) {
    std::size_t n = 0;
    for (Json& r : s.Select(doc, ctx, &n)) out.push_back(r);
    extracted += n;
  }
  EXPECT_EQ(extracted, 2u);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["id"], "1");
}

TEST_F(RecordsTest, RecordFilterOnConfigListFromSourceGongCountsBeforeFiltering) {
  Json selector = J(R"({"type": "RecordSelector",
      "extractor": {"type": "DpathExtractor", "field_path": ["calls"]},
      "record_filter": {"type": "RecordFilter", "condition":
        "{{ record.primaryUserId in config.users_to_fetch if config.users_to_fetch else True }}"}})");
  RecordSelector s(selector, nullptr, Json::object(), interp_);
  Json doc = J(R"({"calls": [{"id": 1, "primaryUserId": "u1"}, {"id": 2, "primaryUserId": "u2"}]})");
  Json ctx = ctx_;
  ctx["config"] = {{"users_to_fetch", {"u2"}}};
  std::size_t extracted = 0;
  std::vector<Json> out = s.Select(doc, ctx, &extracted);
  EXPECT_EQ(extracted, 2u);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["id"], 2);
  ctx["config"] = Json::object();
  EXPECT_EQ(s.Select(doc, ctx, nullptr).size(), 2u);
}

TEST_F(RecordsTest, TransformBeforeFilteringLetsTheFilterSeeAddedFields) {
  Json selector = J(R"({"extractor": {"field_path": []}, "transform_before_filtering": true,
      "record_filter": {"type": "RecordFilter", "condition": "{{ record.kind == 'x' }}"}})");
  Json transformations = J(R"([{"type": "AddFields", "fields": [{"path": ["kind"], "value": "x"}]}])");
  RecordSelector before(selector, transformations, Json::object(), interp_);
  EXPECT_EQ(before.Select(J(R"({"id": 1})"), ctx_, nullptr).size(), 1u);
  selector.erase("transform_before_filtering");
  RecordSelector after(selector, transformations, Json::object(), interp_);
  EXPECT_TRUE(after.Select(J(R"({"id": 1})"), ctx_, nullptr).empty());
}

TEST(SchemaNormalizerTest, DefaultCastsLikeTypeTransformer) {
  Json schema = J(R"({"type": "object", "definitions": {"n": {"type": "number"}}, "properties": {
      "i": {"type": "integer"}, "i2": {"type": ["null", "integer"]}, "i3": {"type": "integer"},
      "f": {"type": "integer"}, "n": {"$ref": "#/definitions/n"}, "s": {"type": "string"},
      "s2": {"type": "string"}, "snull": {"type": "string"}, "nn": {"type": ["null", "string"]},
      "b": {"type": "boolean"}, "b2": {"type": "boolean"}, "b3": {"type": "boolean"},
      "a": {"type": "array", "items": {"type": ["string"]}},
      "a2": {"type": "array", "items": {"type": "string"}},
      "amb": {"type": ["string", "integer"]},
      "o": {"type": "object", "properties": {"x": {"type": "integer"}}},
      "l": {"type": "array", "items": {"type": "integer"}}}})");
  Json record = J(R"({"i": "5", "i2": "7", "i3": "5.0", "f": 5.7, "n": "1.5", "s": 12,
      "s2": {"a": true}, "snull": null, "nn": null, "b": "yes", "b2": "maybe", "b3": 0,
      "a": "x", "a2": "x", "amb": "9", "o": {"x": "3"}, "l": ["1", "z"], "extra": "1"})");
  NormalizeBySchema(record, schema);
  EXPECT_EQ(record, J(R"({"i": 5, "i2": 7, "i3": "5.0", "f": 5, "n": 1.5, "s": "12",
      "s2": "{'a': True}", "snull": "None", "nn": null, "b": true, "b2": "maybe", "b3": false,
      "a": ["x"], "a2": "x", "amb": "9", "o": {"x": 3}, "l": [1, "z"], "extra": "1"})"));
}

TEST_F(RecordsTest, SelectorNormalizesOnlyWithDefaultAndANonEmptySchema) {
  Json schema = J(R"({"properties": {"id": {"type": "integer"}}})");
  Json selector = J(R"({"extractor": {"field_path": []}, "schema_normalization": "Default"})");
  EXPECT_EQ(RecordSelector(selector, nullptr, schema, interp_)
                .Select(J(R"({"id": "5"})"), ctx_, nullptr)[0]["id"], 5);
  selector["schema_normalization"] = "None";
  EXPECT_EQ(RecordSelector(selector, nullptr, schema, interp_)
                .Select(J(R"({"id": "5"})"), ctx_, nullptr)[0]["id"], "5");
  selector["record_filter"] = J(R"({"type": "CustomRecordFilter"})");
  EXPECT_THAT([&] { RecordSelector(selector, nullptr, schema, interp_); },
              ThrowsError(ErrorKind::kInput, HasSubstr("CustomRecordFilter")));
}

TEST_F(RecordsTest, SchemaLoaders) {
  util::ScopedTempDir dir("records-test-");
  std::filesystem::create_directories(dir.path() / "schemas");
  std::ofstream(dir.path() / "schemas" / "users.json") << R"({"type": "object"})";
  Json inline_loader = J(R"({"type": "InlineSchemaLoader", "schema": {"type": "object",
                             "properties": {"id": {"type": "integer"}}}})");
  EXPECT_EQ(LoadSchema(inline_loader, dir.path(), "s", interp_, Json::object()),
            inline_loader["schema"]);
  EXPECT_EQ(LoadSchema(nullptr, dir.path(), "users", interp_, Json::object()),
            J(R"({"type": "object"})"));
  EXPECT_EQ(LoadSchema(nullptr, dir.path(), "other", interp_, Json::object()), Json::object());
  Json file_loader = J(R"({"type": "JsonFileSchemaLoader",
                           "file_path": "./source_x/schemas/{{ parameters.name }}.json",
                           "$parameters": {"name": "users"}})");
  EXPECT_EQ(LoadSchema(file_loader, dir.path(), "users", interp_, Json::object()),
            J(R"({"type": "object"})"));
  file_loader["$parameters"]["name"] = "missing";
  EXPECT_THAT([&] { LoadSchema(file_loader, dir.path(), "m", interp_, Json::object()); },
              ThrowsError(ErrorKind::kInput, HasSubstr("missing.json")));
  EXPECT_THAT([&] { LoadSchema(J(R"({"type": "DynamicSchemaLoader"})"), dir.path(), "m", interp_,
                               Json::object()); },
              ThrowsError(ErrorKind::kInput, HasSubstr("DynamicSchemaLoader")));
}

}  // namespace
}  // namespace airbyte::declarative
