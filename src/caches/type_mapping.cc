#include "caches/type_mapping.h"

#include <cctype>
#include <cstdint>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "util/name_normalizer.h"

namespace airbyte::caches {
namespace {

// Python truthiness of a JSON value, as PyAirbyte's `if airbyte_type:` sees it.
bool Truthy(const Json& value) {
  if (value.is_null()) return false;
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) return !value.get_ref<const std::string&>().empty();
  if (value.is_number_integer() || value.is_number_unsigned())
    return value.get<std::int64_t>() != 0;
  if (value.is_number_float()) return value.get<double>() != 0.0;
  return !value.empty();  // arrays and objects
}

const Json* Find(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// The raw `type` keyword when it is a single string (PyAirbyte's fallback compares the raw
// value, so a list never matches), else empty.
std::string RawType(const Json& definition) {
  const Json* type = Find(definition, "type");
  return type != nullptr && type->is_string() ? type->get<std::string>() : std::string();
}

std::string RawFormat(const Json& definition) {
  const Json* format = Find(definition, "format");
  return format != nullptr && format->is_string() ? format->get<std::string>() : std::string();
}

std::optional<SqlType> MapAirbyteType(std::string_view airbyte_type) {
  static const std::pair<std::string_view, SqlType> kMap[] = {
      {"string", SqlType::kVarchar},
      {"integer", SqlType::kBigint},
      {"number", SqlType::kDecimal},
      {"boolean", SqlType::kBoolean},
      {"date", SqlType::kDate},
      // PyAirbyte renders both timestamp variants as naive TIMESTAMP (behavior doc 4.6 quirk);
      // we keep the zone where the schema says there is one.
      {"timestamp_with_timezone", SqlType::kTimestampTz},
      {"timestamp_without_timezone", SqlType::kTimestamp},
      {"time_with_timezone", SqlType::kTime},
      {"time_without_timezone", SqlType::kTime},
      {"object", SqlType::kJson},
      {"array", SqlType::kJson},
      // PyAirbyte emits ARRAY(FLOAT), which is not valid DDL in DuckDB or Postgres.
      {"vector_array", SqlType::kJson},
  };
  for (const auto& [name, type] : kMap) {
    if (name == airbyte_type) return type;
  }
  return std::nullopt;
}

// Upper-cases, drops parenthesized parameters ("DECIMAL(38,9)", "TIMESTAMP(6)") and collapses
// whitespace, so "timestamp(6)  with time zone" becomes "TIMESTAMP WITH TIME ZONE".
std::string CanonicalTypeText(std::string_view text) {
  std::string out;
  int depth = 0;
  bool pending_space = false;
  for (char c : text) {
    if (c == '(') {
      ++depth;
      continue;
    }
    if (c == ')') {
      if (depth > 0) --depth;
      continue;
    }
    if (depth > 0) continue;
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// Python's repr of a list of strings, as PyAirbyte's error context shows it: ['a', 'b'].
std::string PythonListRepr(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += '\'';
    for (char c : items[i]) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    out += '\'';
  }
  out += ']';
  return out;
}

}  // namespace

std::optional<std::string> AirbyteType(const Json& definition, std::string* subtype) {
  if (subtype != nullptr) subtype->clear();
  if (!definition.is_object()) return std::nullopt;

  if (const Json* airbyte_type = Find(definition, "airbyte_type");
      airbyte_type != nullptr && Truthy(*airbyte_type)) {
    return airbyte_type->is_string() ? airbyte_type->get<std::string>() : airbyte_type->dump();
  }

  std::string type;
  if (const Json* type_value = Find(definition, "type"); type_value != nullptr) {
    if (type_value->is_string()) {
      type = type_value->get<std::string>();
    } else if (type_value->is_array()) {
      // ["null", X] → X; anything with zero or two-plus non-null types stays unresolvable.
      std::vector<const Json*> non_null;
      for (const Json& entry : *type_value) {
        if (!(entry.is_string() && entry.get_ref<const std::string&>() == "null")) {
          non_null.push_back(&entry);
        }
      }
      if (non_null.size() == 1 && non_null.front()->is_string()) {
        type = non_null.front()->get<std::string>();
      }
    }
  }

  if (type == "string") {
    const std::string format = RawFormat(definition);
    if (format == "date") return "date";
    if (format == "date-time") return "timestamp_with_timezone";
    if (format == "time") return "time_without_timezone";
  }
  if (type == "string" || type == "number" || type == "boolean" || type == "integer" ||
      type == "object") {
    return type;
  }
  if (type == "array") {
    if (const Json* items = Find(definition, "items"); items != nullptr && items->is_object()) {
      // Errors in `items` are ignored: "array" alone is enough to pick the column type.
      std::optional<std::string> item_type = AirbyteType(*items);
      if (item_type && subtype != nullptr) *subtype = *item_type;
    }
    return "array";
  }
  if (type == "vector_array") {
    if (subtype != nullptr) *subtype = "Float";
    return "vector_array";
  }
  return std::nullopt;
}

SqlType ColumnTypeFor(const Json& definition, std::string* warning) {
  if (warning != nullptr) warning->clear();
  std::optional<std::string> airbyte_type = AirbyteType(definition);
  if (airbyte_type) {
    if (std::optional<SqlType> mapped = MapAirbyteType(*airbyte_type)) return *mapped;
    if (warning != nullptr) *warning = "Could not find SQL type for airbyte type: " + *airbyte_type;
  } else if (warning != nullptr) {
    *warning = "Could not determine airbyte type from JSON schema: " + definition.dump();
  }

  // PyAirbyte's fallback looks at the raw keywords again.
  const std::string type = RawType(definition);
  const std::string format = RawFormat(definition);
  if (type == "string" && format == "date") return SqlType::kDate;
  if (type == "string" && format == "date-time") return SqlType::kTimestampTz;
  if (type == "array" || type == "object") return SqlType::kJson;
  return SqlType::kVarchar;
}

SqlType WidenType(SqlType existing, SqlType wanted) {
  if (existing == wanted) return existing;
  auto is = [&](SqlType a, SqlType b) {
    return (existing == a && wanted == b) || (existing == b && wanted == a);
  };
  auto is_timestamp = [](SqlType t) {
    return t == SqlType::kTimestamp || t == SqlType::kTimestampTz;
  };
  if (is(SqlType::kBigint, SqlType::kDecimal)) return SqlType::kDecimal;
  if (is(SqlType::kBigint, SqlType::kDouble) || is(SqlType::kDecimal, SqlType::kDouble)) {
    return SqlType::kDouble;
  }
  if (existing == SqlType::kDate && is_timestamp(wanted)) return wanted;
  if (wanted == SqlType::kDate && is_timestamp(existing)) return existing;
  if (is_timestamp(existing) && is_timestamp(wanted)) return existing;
  return SqlType::kVarchar;  // includes kJson + kVarchar
}

SqlType SqlTypeFromText(std::string_view type_text) {
  const std::string text = CanonicalTypeText(type_text);
  if (text.ends_with("[]")) return SqlType::kVarchar;  // lists: no SqlType holds them
  static const std::pair<std::string_view, SqlType> kMap[] = {
      // Integers that fit in 64 bits.
      {"BIGINT", SqlType::kBigint},
      {"INT8", SqlType::kBigint},
      {"LONG", SqlType::kBigint},
      {"INTEGER", SqlType::kBigint},
      {"INT", SqlType::kBigint},
      {"INT4", SqlType::kBigint},
      {"SIGNED", SqlType::kBigint},
      {"SMALLINT", SqlType::kBigint},
      {"INT2", SqlType::kBigint},
      {"SHORT", SqlType::kBigint},
      {"TINYINT", SqlType::kBigint},
      {"INT1", SqlType::kBigint},
      {"UINTEGER", SqlType::kBigint},
      {"USMALLINT", SqlType::kBigint},
      {"UTINYINT", SqlType::kBigint},
      {"SERIAL", SqlType::kBigint},
      {"BIGSERIAL", SqlType::kBigint},
      // Integers wider than BIGINT: exact numbers, so the decimal representation.
      {"UBIGINT", SqlType::kDecimal},
      {"HUGEINT", SqlType::kDecimal},
      {"INT128", SqlType::kDecimal},
      {"UHUGEINT", SqlType::kDecimal},
      {"DECIMAL", SqlType::kDecimal},
      {"NUMERIC", SqlType::kDecimal},
      {"DOUBLE", SqlType::kDouble},
      {"DOUBLE PRECISION", SqlType::kDouble},
      {"FLOAT8", SqlType::kDouble},
      {"FLOAT", SqlType::kDouble},
      {"FLOAT4", SqlType::kDouble},
      {"REAL", SqlType::kDouble},
      {"BOOLEAN", SqlType::kBoolean},
      {"BOOL", SqlType::kBoolean},
      {"LOGICAL", SqlType::kBoolean},
      {"DATE", SqlType::kDate},
      {"TIMESTAMP", SqlType::kTimestamp},
      {"TIMESTAMP WITHOUT TIME ZONE", SqlType::kTimestamp},
      {"DATETIME", SqlType::kTimestamp},
      {"TIMESTAMP_US", SqlType::kTimestamp},
      {"TIMESTAMP_MS", SqlType::kTimestamp},
      {"TIMESTAMP_S", SqlType::kTimestamp},
      {"TIMESTAMP_NS", SqlType::kTimestamp},
      {"TIMESTAMP WITH TIME ZONE", SqlType::kTimestampTz},
      {"TIMESTAMPTZ", SqlType::kTimestampTz},
      {"TIME", SqlType::kTime},
      {"TIME WITHOUT TIME ZONE", SqlType::kTime},
      {"TIME WITH TIME ZONE", SqlType::kTime},
      {"TIMETZ", SqlType::kTime},
      {"JSON", SqlType::kJson},
      {"JSONB", SqlType::kJson},
  };
  for (const auto& [name, type] : kMap) {
    if (name == text) return type;
  }
  return SqlType::kVarchar;  // VARCHAR, TEXT, CHARACTER VARYING, UUID, STRUCT, ...
}

StreamLayout BuildStreamLayout(const std::string& stream, const std::string& table_name,
                               const Json& json_schema,
                               const std::vector<std::vector<std::string>>& primary_key,
                               const std::vector<std::string>& cursor_field,
                               std::size_t max_identifier_length,
                               const std::function<void(const std::string&)>& warn) {
  StreamLayout layout;
  layout.stream = stream;
  layout.table_name = table_name;

  const std::unordered_set<std::string_view> internal = {kRawIdColumn, kExtractedAtColumn,
                                                         kMetaColumn};
  std::unordered_set<std::string> seen;
  if (const Json* properties = Find(json_schema, "properties");
      properties != nullptr && properties->is_object()) {
    for (const auto& [property, definition] : properties->items()) {
      std::string name = util::NormalizeName(property, max_identifier_length);
      if (seen.contains(name) && name.size() == max_identifier_length &&
          util::NormalizeName(property).size() > max_identifier_length) {
        // Truncation (Postgres: 63 characters) made two properties collide: keep the later
        // one too, under a numbered name, instead of dropping it (PyAirbyte's bug, 16.1-8).
        const std::string base = name;
        for (int n = 2; seen.contains(name); ++n) {
          const std::string suffix = "_" + std::to_string(n);
          name = base.substr(0, max_identifier_length - suffix.size()) + suffix;
        }
      }
      if (internal.contains(name) || !seen.insert(name).second) continue;
      std::string warning;
      SqlType type = ColumnTypeFor(definition, &warning);
      if (!warning.empty() && warn) warn(warning);
      layout.columns.push_back({.name = std::move(name), .property = property, .type = type});
    }
  }
  layout.columns.push_back({.name = std::string(kRawIdColumn), .type = SqlType::kVarchar});
  layout.columns.push_back(
      {.name = std::string(kExtractedAtColumn), .type = SqlType::kTimestampTz});
  layout.columns.push_back({.name = std::string(kMetaColumn), .type = SqlType::kJson});

  for (const std::vector<std::string>& nodes : primary_key) {
    if (nodes.size() != 1) {
      throw Error(
          ErrorKind::kInput,
          "Nested primary keys are not supported. Each PK column should have exactly "
          "one node. ",
          {.context = {{"stream_name", stream}, {"primary_key_nodes", PythonListRepr(nodes)}}});
    }
    layout.primary_key.push_back(util::NormalizeName(nodes.front(), max_identifier_length));
  }
  for (std::size_t i = 0; i < cursor_field.size(); ++i) {
    // Only the first element names a column; the rest are keys inside its JSON value, which
    // are never normalized (behavior doc 4.3).
    layout.cursor_field.push_back(
        i == 0 ? util::NormalizeName(cursor_field[i], max_identifier_length) : cursor_field[i]);
  }
  return layout;
}

}  // namespace airbyte::caches
