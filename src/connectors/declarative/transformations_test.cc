#include "connectors/declarative/transformations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "airbyte/error.h"
#include "testutil/testutil.h"

namespace airbyte::declarative {
namespace {

using ::testing::HasSubstr;
using testutil::ThrowsError;

Json J(const char* text) { return Json::parse(text); }

class TransformationsTest : public ::testing::Test {
 protected:
  Json Run(const char* transformations, const char* record) {
    Transformations t(J(transformations), interp_);
    Json r = J(record);
    t.Apply(r, ctx_);
    return r;
  }
  Interpolator interp_;
  Json ctx_ = {{"config", {{"start", "2024-01-01"}}},
               {"parameters", Json::object()},
               {"stream_slice", {{"symbol", "AAPL"}}},
               {"next_page_token", nullptr}};
};

TEST_F(TransformationsTest, ApifyAddFieldsRecordThenDpathFlattenReplaceRecord) {
  // source-apify-dataset: {{ record }} yields a mapping; replace_record swaps the record.
  const char* t = R"([{"type": "AddFields", "fields": [{"path": ["__airbyte_apify_wrapped_item",
      "data"], "value": "{{ record }}"}]},
      {"type": "DpathFlattenFields", "field_path": ["__airbyte_apify_wrapped_item"],
       "replace_record": true}])";
  EXPECT_EQ(Run(t, R"({"url": "https://a", "n": null, "tags": ["x"], "ok": true})"),
            J(R"({"data": {"url": "https://a", "n": null, "tags": ["x"], "ok": true}})"));
}

TEST_F(TransformationsTest, AddFieldsLiteralTypesValueTypeAndEmptyFallback) {
  EXPECT_EQ(Run(R"([{"type": "AddFields", "fields": [
      {"path": ["big"], "value": "{{ record['id'] + 1000000 }}"},
      {"path": ["raw"], "value": "{{ record['id'] }}", "value_type": "string"},
      {"path": ["num"], "value": "{{ record['id'] }}", "value_type": "number"},
      {"path": ["symbol"], "value": "{{ stream_partition.symbol }}"},
      {"path": ["name"], "value": "{{ record['general']['name'] }}"},
      {"path": ["a", "b"], "value": "{{ record.big }}"}]}])",
                R"({"id": 7, "general": {}})"),
            J(R"({"id": 7, "general": {}, "big": 1000007, "raw": "7", "num": "7",
                  "symbol": "AAPL", "name": "", "a": {"b": 1000007}})"));
}

TEST_F(TransformationsTest, AddFieldsConditionSeesValueAndPath) {
  EXPECT_EQ(Run(R"([{"type": "AddFields", "condition": "{{ value is not none and path[0] != 'y' }}",
      "fields": [{"path": ["x"], "value": "{{ record.get('a') }}"},
                 {"path": ["y"], "value": "1"},
                 {"path": ["z"], "value": "{{ record.get('missing') }}"}]}])",
                R"({"a": 1})"),
            J(R"({"a": 1, "x": 1})"));
}

TEST_F(TransformationsTest, RemoveFieldsPointersGlobsAndMissingPaths) {
  // source-emailoctopus
  EXPECT_EQ(Run(R"([{"type": "RemoveFields", "field_pointers": [["content", "html"]]},
                    {"type": "RemoveFields", "field_pointers": [["content", "plain_text"], ["no", "such"]]}])",
                R"({"id": 1, "content": {"html": "<p/>", "plain_text": "p", "subject": "s"}})"),
            J(R"({"id": 1, "content": {"subject": "s"}})"));
  EXPECT_EQ(Run(R"([{"type": "RemoveFields", "field_pointers": [["**", "secret"], ["list", "*"]]}])",
                R"({"secret": 1, "a": {"secret": 2, "b": {"secret": 3, "k": 4}}, "list": [1, 2, 3]})"),
            J(R"({"a": {"b": {"k": 4}}, "list": [null, null]})"));
}

TEST_F(TransformationsTest, RemoveFieldsConditionDeletesEveryMatchingLeafLikeDpath) {
  // dpath.delete with afilter ignores the glob: every leaf the condition accepts goes.
  EXPECT_EQ(Run(R"([{"type": "RemoveFields", "field_pointers": [["a"]],
                     "condition": "{{ property == 'drop' }}"}])",
                R"({"a": "drop", "b": "keep", "c": {"d": "drop"}, "e": "drop"})"),
            J(R"({"b": "keep", "c": {}})"));
}

TEST_F(TransformationsTest, DpathFlattenFieldsMergesOnlyWithoutConflicts) {
  EXPECT_EQ(Run(R"([{"type": "DpathFlattenFields", "field_path": ["meta"],
                     "delete_origin_value": true}])",
                R"({"id": 1, "meta": {"a": 1, "b": 2}})"),
            J(R"({"id": 1, "a": 1, "b": 2})"));
  EXPECT_EQ(Run(R"([{"type": "DpathFlattenFields", "field_path": ["meta"],
                     "delete_origin_value": true}])",
                R"({"id": 1, "meta": {"id": 9, "b": 2}})"),
            J(R"({"id": 1, "meta": {"id": 9, "b": 2}})"));
  EXPECT_EQ(Run(R"([{"type": "DpathFlattenFields", "field_path": ["meta"],
                     "key_transformation": {"type": "KeyTransformation", "prefix": "m_",
                                            "suffix": "_x"}}])",
                R"({"id": 1, "meta": {"id": 9}})"),
            J(R"({"id": 1, "meta": {"id": 9}, "m_id_x": 9})"));
  EXPECT_EQ(Run(R"([{"type": "DpathFlattenFields", "field_path": ["list", "*"]}])",
                R"({"list": [{"a": 1}, {"b": 2}]})"),
            J(R"({"list": [{"a": 1}, {"b": 2}], "a": 1})"));
}

TEST_F(TransformationsTest, FlattenFieldsFollowsTheCdkStackOrder) {
  EXPECT_EQ(Run(R"([{"type": "FlattenFields"}])",
                R"({"a": 1, "b": {"c": 2, "a": 3}, "l": [4, {"d": 5}]})"),
            J(R"({"l.1.d": 5, "l.0": 4, "b.a": 3, "b.c": 2, "a": 1})"));
}

TEST_F(TransformationsTest, KeysToLowerAndKeysReplace) {
  EXPECT_EQ(Run(R"([{"type": "KeysToLower"}])", R"({"Name": 1, "ID": {"Inner": 2}})"),
            J(R"({"name": 1, "id": {"Inner": 2}})"));
  EXPECT_EQ(Run(R"([{"type": "KeysReplace", "old": " ", "new": "_"}])",
                R"({"created time": 1, "n": {"user id": 2}, "l": [{"a b": 3}]})"),
            J(R"({"created_time": 1, "n": {"user_id": 2}, "l": [{"a b": 3}]})"));
}

TEST_F(TransformationsTest, KeysToSnakeCaseMatchesTheCdkTokenizer) {
  // Expected values computed with the CDK's TOKEN_PATTERN and filter_tokens in python3.
  EXPECT_EQ(KeyToSnakeCase("CreatedAt"), "created_at");
  EXPECT_EQ(KeyToSnakeCase("HTTPResponse"), "httpresponse");
  EXPECT_EQ(KeyToSnakeCase("_id"), "_id");
  EXPECT_EQ(KeyToSnakeCase("user id  "), "user_id_");
  EXPECT_EQ(KeyToSnakeCase("123abc"), "_123_abc");
  EXPECT_EQ(KeyToSnakeCase("a--b__c"), "a_b_c");
  EXPECT_EQ(KeyToSnakeCase("Café Crème"), "cafe_creme");
  EXPECT_EQ(KeyToSnakeCase(""), "");
  EXPECT_EQ(Run(R"([{"type": "KeysToSnakeCase"}])", R"({"firstName": 1, "Last Name": 2})"),
            J(R"({"first_name": 1, "last_name": 2})"));
}

TEST_F(TransformationsTest, UnknownTypesFailAtConstruction) {
  EXPECT_THAT([&] { Transformations(J(R"([{"type": "CustomTransformation"}])"), interp_); },
              ThrowsError(ErrorKind::kInput, HasSubstr("CustomTransformation")));
  EXPECT_TRUE(Transformations(nullptr, interp_).empty());
}

}  // namespace
}  // namespace airbyte::declarative
