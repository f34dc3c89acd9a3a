#include "caches/type_mapping.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testutil/testutil.h"

namespace airbyte::caches {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::ThrowsError;

Json Parse(const char* text) { return Json::parse(text); }

SqlType TypeOf(const char* schema, std::string* warning = nullptr) {
  return ColumnTypeFor(Parse(schema), warning);
}

// ---- Step A: airbyte type and subtype (behavior doc 4.6, section 17 P0 item 3) ----

TEST(AirbyteTypeTest, ArrayOfNullableStringHasStringSubtype) {
  std::string subtype;
  EXPECT_EQ(AirbyteType(Parse(R"({"type":"array","items":{"type":["null","string"]}})"), &subtype),
            "array");
  EXPECT_EQ(subtype, "string");
}

TEST(AirbyteTypeTest, ArrayOfSingleBooleanListHasBooleanSubtype) {
  std::string subtype;
  EXPECT_EQ(AirbyteType(Parse(R"({"type":"array","items":{"type":["boolean"]}})"), &subtype),
            "array");
  EXPECT_EQ(subtype, "boolean");
}

TEST(AirbyteTypeTest, ArrayWithMalformedItemsHasNoSubtype) {
  std::string subtype = "stale";
  EXPECT_EQ(AirbyteType(Parse(R"({"type":"array","items":{}})"), &subtype), "array");
  EXPECT_EQ(subtype, "");
}

TEST(AirbyteTypeTest, UnresolvableDefinitionsHaveNoType) {
  EXPECT_EQ(AirbyteType(Parse(R"({"type":["null","object","string"]})")), std::nullopt);
  EXPECT_EQ(AirbyteType(Parse(R"({"type":["not-a-type"]})")), std::nullopt);
  EXPECT_EQ(AirbyteType(Parse(R"({"tyyyype":"string"})")), std::nullopt);
  EXPECT_EQ(AirbyteType(Parse(R"({"type":["null"]})")), std::nullopt);
  EXPECT_EQ(AirbyteType(Parse(R"("string")")), std::nullopt);
}

TEST(AirbyteTypeTest, AirbyteTypeKeywordWinsVerbatim) {
  EXPECT_EQ(AirbyteType(Parse(R"({"type":"number","airbyte_type":"integer"})")), "integer");
  EXPECT_EQ(AirbyteType(Parse(R"({"type":"number","airbyte_type":"big_integer"})")), "big_integer");
  // An empty airbyte_type is falsy in Python, so the type keyword decides.
  EXPECT_EQ(AirbyteType(Parse(R"({"type":"number","airbyte_type":""})")), "number");
}

TEST(AirbyteTypeTest, StringFormatsBecomeTemporalTypes) {
  EXPECT_EQ(AirbyteType(Parse(R"({"type":"string","format":"date"})")), "date");
  EXPECT_EQ(AirbyteType(Parse(R"({"type":["null","string"],"format":"date-time"})")),
            "timestamp_with_timezone");
  EXPECT_EQ(AirbyteType(Parse(R"({"type":"string","format":"time"})")), "time_without_timezone");
  EXPECT_EQ(AirbyteType(Parse(R"({"type":"string","format":"email"})")), "string");
}

TEST(AirbyteTypeTest, VectorArrayHasFloatSubtype) {
  std::string subtype;
  EXPECT_EQ(AirbyteType(Parse(R"({"type":"vector_array"})"), &subtype), "vector_array");
  EXPECT_EQ(subtype, "Float");
}

// ---- Steps B and C: column types (section 17 P0 item 2) ----

struct TypeCase {
  const char* schema;
  SqlType expected;
};

TEST(ColumnTypeForTest, MapsSchemasWithoutWarnings) {
  const TypeCase cases[] = {
      {R"({"type":"string"})", SqlType::kVarchar},
      {R"({"type":["null","string"]})", SqlType::kVarchar},
      {R"({"type":"integer"})", SqlType::kBigint},
      {R"({"type":"number","airbyte_type":"integer"})", SqlType::kBigint},
      {R"({"type":"number"})", SqlType::kDecimal},
      {R"({"type":["null","number"]})", SqlType::kDecimal},
      {R"({"type":"boolean"})", SqlType::kBoolean},
      {R"({"type":["null","boolean"]})", SqlType::kBoolean},
      {R"({"type":"string","format":"date"})", SqlType::kDate},
      {R"({"type":"string","format":"date-time"})", SqlType::kTimestampTz},
      {R"({"type":"string","format":"date-time","airbyte_type":"timestamp_with_timezone"})",
       SqlType::kTimestampTz},
      {R"({"type":"string","format":"date-time","airbyte_type":"timestamp_without_timezone"})",
       SqlType::kTimestamp},
      {R"({"type":"string","format":"time"})", SqlType::kTime},
      {R"({"type":"string","airbyte_type":"time_with_timezone"})", SqlType::kTime},
      {R"({"type":"object"})", SqlType::kJson},
      {R"({"type":["null","object"],"properties":{"a":{"type":"string"}}})", SqlType::kJson},
      {R"({"type":"array","items":{}})", SqlType::kJson},
      {R"({"type":["null","array"],"items":{"items":{}}})", SqlType::kJson},
      {R"({"type":"array","items":{"type":["null","string"]}})", SqlType::kJson},
      {R"({"type":"vector_array"})", SqlType::kJson},
  };
  for (const TypeCase& c : cases) {
    std::string warning = "stale";
    EXPECT_EQ(TypeOf(c.schema, &warning), c.expected) << c.schema;
    EXPECT_EQ(warning, "") << c.schema;
  }
}

TEST(ColumnTypeForTest, MixedStringAndObjectIsVarcharWithWarning) {
  std::string warning;
  EXPECT_EQ(TypeOf(R"({"type":["null","string","object"]})", &warning), SqlType::kVarchar);
  EXPECT_EQ(
      warning,
      R"(Could not determine airbyte type from JSON schema: {"type":["null","string","object"]})");
}

TEST(ColumnTypeForTest, UnknownTypesFallBackToVarcharWithWarning) {
  std::string warning;
  EXPECT_EQ(TypeOf(R"({"type":["not-a-type"]})", &warning), SqlType::kVarchar);
  EXPECT_THAT(warning, HasSubstr("Could not determine airbyte type from JSON schema: "));
  EXPECT_EQ(TypeOf(R"({"tyyyype":"string"})", &warning), SqlType::kVarchar);
  EXPECT_THAT(warning, HasSubstr("Could not determine airbyte type from JSON schema: "));
}

TEST(ColumnTypeForTest, UnmappedAirbyteTypeFallsBackToRawType) {
  std::string warning;
  EXPECT_EQ(TypeOf(R"({"type":"number","airbyte_type":"big_integer"})", &warning),
            SqlType::kVarchar);
  EXPECT_EQ(warning, "Could not find SQL type for airbyte type: big_integer");
  // The fallback still honours the raw type and format.
  EXPECT_EQ(TypeOf(R"({"type":"string","format":"date","airbyte_type":"x"})"), SqlType::kDate);
  EXPECT_EQ(TypeOf(R"({"type":"string","format":"date-time","airbyte_type":"x"})"),
            SqlType::kTimestampTz);
  EXPECT_EQ(TypeOf(R"({"type":"array","airbyte_type":"x"})"), SqlType::kJson);
  EXPECT_EQ(TypeOf(R"({"type":"object","airbyte_type":"x"})"), SqlType::kJson);
}

TEST(ColumnTypeForTest, WarningIsOptional) {
  EXPECT_EQ(TypeOf(R"({"type":["not-a-type"]})"), SqlType::kVarchar);
}

TEST(SqlTypeNameTest, UsesDuckDbSpelling) {
  EXPECT_EQ(SqlTypeName(SqlType::kVarchar), "VARCHAR");
  EXPECT_EQ(SqlTypeName(SqlType::kBigint), "BIGINT");
  EXPECT_EQ(SqlTypeName(SqlType::kDecimal), "DECIMAL(38, 9)");
  EXPECT_EQ(SqlTypeName(SqlType::kDouble), "DOUBLE");
  EXPECT_EQ(SqlTypeName(SqlType::kBoolean), "BOOLEAN");
  EXPECT_EQ(SqlTypeName(SqlType::kDate), "DATE");
  EXPECT_EQ(SqlTypeName(SqlType::kTimestamp), "TIMESTAMP");
  EXPECT_EQ(SqlTypeName(SqlType::kTimestampTz), "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(SqlTypeName(SqlType::kTime), "TIME");
  EXPECT_EQ(SqlTypeName(SqlType::kJson), "JSON");
}

// ---- WidenType ----

TEST(WidenTypeTest, KeepsEqualTypes) {
  for (SqlType t : {SqlType::kVarchar, SqlType::kBigint, SqlType::kDecimal, SqlType::kDouble,
                    SqlType::kBoolean, SqlType::kDate, SqlType::kTimestamp, SqlType::kTimestampTz,
                    SqlType::kTime, SqlType::kJson}) {
    EXPECT_EQ(WidenType(t, t), t) << SqlTypeName(t);
  }
}

TEST(WidenTypeTest, WidensNumbers) {
  EXPECT_EQ(WidenType(SqlType::kBigint, SqlType::kDecimal), SqlType::kDecimal);
  EXPECT_EQ(WidenType(SqlType::kDecimal, SqlType::kBigint), SqlType::kDecimal);
  EXPECT_EQ(WidenType(SqlType::kBigint, SqlType::kDouble), SqlType::kDouble);
  EXPECT_EQ(WidenType(SqlType::kDouble, SqlType::kDecimal), SqlType::kDouble);
  EXPECT_EQ(WidenType(SqlType::kDecimal, SqlType::kDouble), SqlType::kDouble);
}

TEST(WidenTypeTest, WidensDatesToTimestampsAndKeepsExistingTimestampFlavour) {
  EXPECT_EQ(WidenType(SqlType::kDate, SqlType::kTimestampTz), SqlType::kTimestampTz);
  EXPECT_EQ(WidenType(SqlType::kTimestamp, SqlType::kDate), SqlType::kTimestamp);
  // PyAirbyte caches have naive columns; appending tz-aware data keeps them.
  EXPECT_EQ(WidenType(SqlType::kTimestamp, SqlType::kTimestampTz), SqlType::kTimestamp);
  EXPECT_EQ(WidenType(SqlType::kTimestampTz, SqlType::kTimestamp), SqlType::kTimestampTz);
}

TEST(WidenTypeTest, EverythingElseBecomesVarchar) {
  EXPECT_EQ(WidenType(SqlType::kJson, SqlType::kVarchar), SqlType::kVarchar);
  EXPECT_EQ(WidenType(SqlType::kVarchar, SqlType::kJson), SqlType::kVarchar);
  EXPECT_EQ(WidenType(SqlType::kBoolean, SqlType::kBigint), SqlType::kVarchar);
  EXPECT_EQ(WidenType(SqlType::kBigint, SqlType::kVarchar), SqlType::kVarchar);
  EXPECT_EQ(WidenType(SqlType::kTime, SqlType::kTimestamp), SqlType::kVarchar);
  EXPECT_EQ(WidenType(SqlType::kDate, SqlType::kJson), SqlType::kVarchar);
}

// ---- SqlTypeFromText ----

TEST(SqlTypeFromTextTest, ParsesDuckDbAndPostgresSpellings) {
  const std::pair<const char*, SqlType> cases[] = {
      {"BIGINT", SqlType::kBigint},
      {"INTEGER", SqlType::kBigint},
      {"smallint", SqlType::kBigint},
      {"int8", SqlType::kBigint},
      {"HUGEINT", SqlType::kDecimal},
      {"UBIGINT", SqlType::kDecimal},
      {"DECIMAL(38,9)", SqlType::kDecimal},
      {"DECIMAL(38, 9)", SqlType::kDecimal},
      {"NUMERIC", SqlType::kDecimal},
      {"numeric(10,2)", SqlType::kDecimal},
      {"DOUBLE", SqlType::kDouble},
      {"double precision", SqlType::kDouble},
      {"FLOAT", SqlType::kDouble},
      {"real", SqlType::kDouble},
      {"BOOLEAN", SqlType::kBoolean},
      {"bool", SqlType::kBoolean},
      {"DATE", SqlType::kDate},
      {"TIMESTAMP", SqlType::kTimestamp},
      {"timestamp without time zone", SqlType::kTimestamp},
      {"timestamp(6) without time zone", SqlType::kTimestamp},
      {"TIMESTAMP_NS", SqlType::kTimestamp},
      {"TIMESTAMP WITH TIME ZONE", SqlType::kTimestampTz},
      {"timestamp with time zone", SqlType::kTimestampTz},
      {"TIMESTAMPTZ", SqlType::kTimestampTz},
      {"  timestamp(3)   with  time zone ", SqlType::kTimestampTz},
      {"TIME", SqlType::kTime},
      {"time without time zone", SqlType::kTime},
      {"TIMETZ", SqlType::kTime},
      {"JSON", SqlType::kJson},
      {"jsonb", SqlType::kJson},
      {"VARCHAR", SqlType::kVarchar},
      {"text", SqlType::kVarchar},
      {"character varying", SqlType::kVarchar},
      {"character varying(255)", SqlType::kVarchar},
      {"UUID", SqlType::kVarchar},
      {"INTEGER[]", SqlType::kVarchar},
      {"STRUCT(a INTEGER)", SqlType::kVarchar},
      {"", SqlType::kVarchar},
  };
  for (const auto& [text, expected] : cases) {
    EXPECT_EQ(SqlTypeFromText(text), expected) << "'" << text << "'";
  }
}

// ---- BuildStreamLayout ----

std::vector<std::string> ColumnNames(const StreamLayout& layout) {
  std::vector<std::string> names;
  for (const ColumnDef& column : layout.columns) names.push_back(column.name);
  return names;
}

TEST(BuildStreamLayoutTest, KeepsSchemaOrderThenInternalColumns) {
  const Json schema = Parse(R"({"type":"object","properties":{
      "Zeta":{"type":"string"},"alpha":{"type":"integer"},"Middle":{"type":"number"}}})");
  const StreamLayout layout = BuildStreamLayout("users", "users", schema, {}, {});
  EXPECT_EQ(layout.stream, "users");
  EXPECT_EQ(layout.table_name, "users");
  EXPECT_THAT(ColumnNames(layout), ElementsAre("zeta", "alpha", "middle", "_airbyte_raw_id",
                                               "_airbyte_extracted_at", "_airbyte_meta"));
  EXPECT_EQ(layout.property_count(), 3u);
  EXPECT_EQ(layout.columns[0].property, "Zeta");
  EXPECT_EQ(layout.columns[0].type, SqlType::kVarchar);
  EXPECT_EQ(layout.columns[1].type, SqlType::kBigint);
  EXPECT_EQ(layout.columns[2].type, SqlType::kDecimal);
  EXPECT_TRUE(layout.primary_key.empty());
  EXPECT_TRUE(layout.cursor_field.empty());
}

TEST(BuildStreamLayoutTest, InternalColumnsHaveFixedTypesAndNoProperty) {
  const StreamLayout layout = BuildStreamLayout("s", "s", Parse(R"({"type":"object"})"), {}, {});
  ASSERT_EQ(layout.columns.size(), 3u);
  EXPECT_EQ(layout.property_count(), 0u);
  EXPECT_EQ(layout.columns[0].name, kRawIdColumn);
  EXPECT_EQ(SqlTypeName(layout.columns[0].type), "VARCHAR");
  EXPECT_EQ(layout.columns[1].name, kExtractedAtColumn);
  EXPECT_EQ(SqlTypeName(layout.columns[1].type), "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(layout.columns[2].name, kMetaColumn);
  EXPECT_EQ(SqlTypeName(layout.columns[2].type), "JSON");
  for (const ColumnDef& column : layout.columns) EXPECT_EQ(column.property, "");
}

TEST(BuildStreamLayoutTest, NormalizesPropertyNamesLikeSourceTest) {
  // The source-test fixture's primary-key-with-dot stream (behavior doc 17).
  const Json schema = Parse(R"({"type":"object","properties":{
      "table1.Column1":{"type":"string"},"table1.Column2":{"type":"number"},
      "table1.empty_column":{"type":"string"},"table1.big_number":{"type":"number"}}})");
  const StreamLayout layout = BuildStreamLayout("primary-key-with-dot", "primary_key_with_dot",
                                                schema, {{"table1.Column1"}}, {"table1.Column1"});
  EXPECT_THAT(
      ColumnNames(layout),
      ElementsAre("table1_column1", "table1_column2", "table1_empty_column", "table1_big_number",
                  "_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta"));
  EXPECT_EQ(layout.columns[0].property, "table1.Column1");
  EXPECT_THAT(layout.primary_key, ElementsAre("table1_column1"));
  EXPECT_THAT(layout.cursor_field, ElementsAre("table1_column1"));
}

TEST(BuildStreamLayoutTest, SourceTestStream1Types) {
  const Json schema = Parse(R"({"type":"object","properties":{
      "Column1":{"type":"string"},"Column2":{"type":"number"},
      "sometimes_object":{"type":["null","string","object"]}}})");
  std::vector<std::string> warnings;
  const StreamLayout layout =
      BuildStreamLayout("stream1", "stream1", schema, {{"Column1"}}, {"Column1"}, std::string::npos,
                        [&](const std::string& w) { warnings.push_back(w); });
  EXPECT_EQ(layout.columns[0].type, SqlType::kVarchar);
  EXPECT_EQ(layout.columns[1].type, SqlType::kDecimal);
  EXPECT_EQ(layout.columns[2].type, SqlType::kVarchar);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("Could not determine airbyte type from JSON schema"));
  EXPECT_THAT(layout.primary_key, ElementsAre("column1"));
}

TEST(BuildStreamLayoutTest, SchemaWithoutPropertiesHasOnlyInternalColumns) {
  EXPECT_THAT(ColumnNames(BuildStreamLayout("s", "s", Parse("{}"), {}, {})),
              ElementsAre("_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta"));
  EXPECT_THAT(ColumnNames(BuildStreamLayout("s", "s", Parse(R"({"properties":null})"), {}, {})),
              ElementsAre("_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta"));
}

TEST(BuildStreamLayoutTest, PropertyCollidingWithInternalColumnIsDropped) {
  const Json schema = Parse(R"({"properties":{
      "_AIRBYTE_META":{"type":"string"},"id":{"type":"integer"},"_airbyte_raw_id":{"type":"integer"}}})");
  const StreamLayout layout = BuildStreamLayout("s", "s", schema, {}, {});
  EXPECT_THAT(ColumnNames(layout),
              ElementsAre("id", "_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta"));
  EXPECT_EQ(layout.columns[1].type, SqlType::kVarchar);
  EXPECT_EQ(layout.columns[3].type, SqlType::kJson);
}

TEST(BuildStreamLayoutTest, FirstOfDuplicateNormalizedNamesWins) {
  const Json schema = Parse(R"({"properties":{
      "Name":{"type":"string"},"name":{"type":"integer"},"NA.ME":{"type":"boolean"},"na_me":{"type":"integer"}}})");
  const StreamLayout layout = BuildStreamLayout("s", "s", schema, {}, {});
  ASSERT_EQ(layout.property_count(), 2u);
  EXPECT_EQ(layout.columns[0].name, "name");
  EXPECT_EQ(layout.columns[0].property, "Name");
  EXPECT_EQ(layout.columns[0].type, SqlType::kVarchar);
  EXPECT_EQ(layout.columns[1].name, "na_me");
  EXPECT_EQ(layout.columns[1].property, "NA.ME");
  EXPECT_EQ(layout.columns[1].type, SqlType::kBoolean);
}

TEST(BuildStreamLayoutTest, TruncatesToPostgresIdentifierLength) {
  const std::string long_name(70, 'A');
  const std::string sixty(60, 'b');
  Json schema = {
      {"properties", {{long_name, {{"type", "string"}}}, {sixty, {{"type", "string"}}}}}};
  const StreamLayout layout =
      BuildStreamLayout("s", "s", schema, {{long_name}}, {long_name}, /*max_identifier_length=*/63);
  EXPECT_EQ(layout.columns[0].name, std::string(63, 'a'));
  EXPECT_EQ(layout.columns[0].property, long_name);
  EXPECT_EQ(layout.columns[1].name, sixty);
  EXPECT_THAT(layout.primary_key, ElementsAre(std::string(63, 'a')));
  EXPECT_THAT(layout.cursor_field, ElementsAre(std::string(63, 'a')));

  const StreamLayout untruncated = BuildStreamLayout("s", "s", schema, {}, {});
  EXPECT_EQ(untruncated.columns[0].name, std::string(70, 'a'));
}

TEST(BuildStreamLayoutTest, NormalizesCompositePrimaryKeyAndKeepsNestedCursorKeys) {
  const StreamLayout layout = BuildStreamLayout(
      "s", "s", Parse(R"({"properties":{"Org-Id":{"type":"string"},"User Id":{"type":"string"}}})"),
      {{"Org-Id"}, {"User Id"}}, {"Updated.At", "Nested.Key"});
  EXPECT_THAT(layout.primary_key, ElementsAre("org_id", "user_id"));
  EXPECT_THAT(layout.cursor_field, ElementsAre("updated_at", "Nested.Key"));
}

TEST(BuildStreamLayoutTest, NestedPrimaryKeyIsAnInputError) {
  EXPECT_THAT(
      [] {
        BuildStreamLayout("users", "users", Parse("{}"), {{"id"}, {"meta", "id"}}, {});
      },
      ThrowsError(ErrorKind::kInput,
                  AllOf(HasSubstr("Nested primary keys are not supported. Each PK column should "
                                  "have exactly one node. "),
                        HasSubstr("users"), HasSubstr("['meta', 'id']"))));
  try {
    BuildStreamLayout("users", "users", Parse("{}"), {{}}, {});
    FAIL() << "did not throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(),
              "Nested primary keys are not supported. Each PK column should have exactly one "
              "node. ");
    EXPECT_EQ(e.ContextValue("stream_name"), "users");
    EXPECT_EQ(e.ContextValue("primary_key_nodes"), "[]");
  }
}

TEST(BuildStreamLayoutTest, PropertyNormalizingToNothingIsANameError) {
  EXPECT_THAT([] { BuildStreamLayout("s", "s", Parse(R"({"properties":{"+#$":{}}})"), {}, {}); },
              ThrowsError(ErrorKind::kNameNormalization, HasSubstr("+#$")));
}

}  // namespace
}  // namespace airbyte::caches
