// The faker's spec, config parsing and catalog, written in code from the documented 6.x
// values (the reference files under ../shared are only compared against, in tests).

#include <string>
#include <utility>

#include "airbyte/error.h"
#include "connectors/faker/faker_source.h"

namespace airbyte::connectors {
namespace {

Json IntegerProperty(const char* title, const char* description, std::int64_t minimum,
                     std::int64_t default_value, int order) {
  Json property = {{"title", title}, {"description", description}, {"type", "integer"}};
  if (minimum > 0) property["minimum"] = minimum;
  property["default"] = default_value;
  property["order"] = order;
  return property;
}

Json TimestampProperty(bool nullable) {
  Json type = nullable ? Json::array({"null", "string"}) : Json("string");
  return {{"type", std::move(type)},
          {"format", "date-time"},
          {"airbyte_type", "timestamp_with_timezone"}};
}

Json TypeProperty(const char* type) { return {{"type", type}}; }

Json ObjectSchema(Json properties) {
  return {{"$schema", "http://json-schema.org/draft-07/schema#"},
          {"type", "object"},
          {"properties", std::move(properties)}};
}

Json ProductsSchema() {
  return ObjectSchema({{"id", TypeProperty("integer")},
                       {"make", TypeProperty("string")},
                       {"model", TypeProperty("string")},
                       {"year", TypeProperty("integer")},
                       {"price", TypeProperty("number")},
                       {"description", TypeProperty("string")},
                       {"created_at", TimestampProperty(false)},
                       {"updated_at", TimestampProperty(false)}});
}

Json UsersSchema() {
  Json address = {{"type", "object"}, {"properties", Json::object()}};
  for (const char* key : {"street_number", "street_name", "city", "state", "province",
                          "postal_code", "country_code"}) {
    address["properties"][key] = TypeProperty("string");
  }
  Json properties = {
      {"id", TypeProperty("integer")},          {"created_at", TimestampProperty(false)},
      {"updated_at", TimestampProperty(false)}, {"name", TypeProperty("string")},
      {"title", TypeProperty("string")},        {"age", TypeProperty("integer")}};
  for (const char* key : {"email", "telephone", "gender", "language", "academic_degree",
                          "nationality", "occupation", "height", "blood_type"}) {
    properties[key] = TypeProperty("string");
  }
  properties["weight"] = TypeProperty("integer");
  properties["address"] = std::move(address);
  return ObjectSchema(std::move(properties));
}

Json PurchasesSchema() {
  return ObjectSchema({{"id", TypeProperty("integer")},
                       {"user_id", TypeProperty("integer")},
                       {"product_id", TypeProperty("integer")},
                       {"created_at", TimestampProperty(false)},
                       {"updated_at", TimestampProperty(false)},
                       {"added_to_cart_at", TimestampProperty(true)},
                       {"purchased_at", TimestampProperty(true)},
                       {"returned_at", TimestampProperty(true)}});
}

protocol::AirbyteStream MakeStream(std::string name, Json schema) {
  protocol::AirbyteStream stream;
  stream.name = std::move(name);
  stream.json_schema = std::move(schema);
  stream.supported_sync_modes = {protocol::SyncMode::kFullRefresh,
                                 protocol::SyncMode::kIncremental};
  stream.source_defined_cursor = true;
  stream.default_cursor_field = protocol::FieldPath{"updated_at"};
  stream.source_defined_primary_key = std::vector<protocol::FieldPath>{{"id"}};
  stream.is_resumable = true;
  return stream;
}

[[noreturn]] void ThrowBadField(const char* field, const char* expected, const Json& value) {
  throw Error(ErrorKind::kInput, "Invalid source-faker config.",
              {.guidance = std::string("`") + field + "` must be " + expected + ".",
               .context = {{"field", field}, {"value", value.dump()}}});
}

std::int64_t IntegerField(const Json& config, const char* field, std::int64_t fallback,
                          std::int64_t minimum, const char* expected) {
  const auto it = config.find(field);
  if (it == config.end()) return fallback;
  if (!it->is_number_integer() || it->get<std::int64_t>() < minimum) {
    ThrowBadField(field, expected, *it);
  }
  return it->get<std::int64_t>();
}

}  // namespace

FakerConfig ParseFakerConfig(const Json& config) {
  if (!config.is_object()) {
    throw Error(ErrorKind::kInput, "Invalid source-faker config.",
                {.guidance = "The config must be a JSON object."});
  }
  FakerConfig out;
  if (const auto it = config.find("count"); it != config.end()) {
    // Python's check accepts an int or a float; range() then needs an integral value.
    if (it->is_number_integer() && it->get<std::int64_t>() >= 0) {
      out.count = it->get<std::int64_t>();
    } else if (it->is_number_float() && it->get<double>() >= 0 && it->get<double>() < 1e15) {
      out.count = static_cast<std::int64_t>(it->get<double>());
    } else {
      ThrowBadField("count", "a number >= 0", *it);
    }
  }
  if (const auto it = config.find("seed"); it != config.end() && !it->is_null()) {
    if (!it->is_number_integer()) ThrowBadField("seed", "an integer", *it);
    out.seed = it->get<std::int64_t>();
  }
  out.records_per_slice =
      IntegerField(config, "records_per_slice", out.records_per_slice, 1, "an integer >= 1");
  out.parallelism = IntegerField(config, "parallelism", out.parallelism, 1, "an integer >= 1");
  if (const auto it = config.find("always_updated"); it != config.end()) {
    if (!it->is_boolean()) ThrowBadField("always_updated", "a boolean", *it);
    out.always_updated = it->get<bool>();
  }
  return out;
}

protocol::ConnectorSpecification FakerSpec() {
  Json properties = Json::object();
  properties["count"] = IntegerProperty(
      "Count",
      "How many users should be generated in total. The purchases table will be scaled to "
      "match, with 10 purchases created per 10 users. This setting does not apply to the "
      "products stream.",
      1, 1000, 0);
  properties["seed"] = IntegerProperty(
      "Seed",
      "Manually control the faker random seed to return the same values on subsequent runs "
      "(leave -1 for random)",
      0, -1, 1);
  properties["records_per_slice"] = IntegerProperty(
      "Records Per Stream Slice",
      "How many fake records will be in each page (stream slice), before a state message is "
      "emitted?",
      1, 1000, 2);
  // The published spec gives always_updated no "order" (and its description has the typo
  // "case" and a double space); kept verbatim.
  properties["always_updated"] = {
      {"title", "Always Updated"},
      {"description",
       "Should the updated_at values for every record be new each sync?  Setting this to false "
       "will case the source to stop emitting records after COUNT records have been emitted."},
      {"type", "boolean"},
      {"default", true}};
  properties["parallelism"] = IntegerProperty(
      "Parallelism",
      "How many parallel workers should we use to generate fake data?  Choose a value equal to "
      "the number of CPUs you will allocate to this source.",
      1, 4, 4);

  protocol::ConnectorSpecification spec;
  spec.documentation_url = "https://docs.airbyte.com/integrations/sources/faker";
  spec.connection_specification = {{"$schema", "http://json-schema.org/draft-07/schema#"},
                                   {"title", "Faker Source Spec"},
                                   {"type", "object"},
                                   {"required", Json::array()},
                                   {"additionalProperties", true},
                                   {"properties", std::move(properties)}};
  return spec;
}

protocol::AirbyteCatalog FakerCatalog() {
  protocol::AirbyteCatalog catalog;
  catalog.streams.push_back(MakeStream("products", ProductsSchema()));
  catalog.streams.push_back(MakeStream("users", UsersSchema()));
  catalog.streams.push_back(MakeStream("purchases", PurchasesSchema()));
  return catalog;
}

}  // namespace airbyte::connectors
