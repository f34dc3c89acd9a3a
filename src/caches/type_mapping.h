#pragma once

/// JSON Schema → SQL column types (behavior doc 4.6, with the 16.1 timezone fix) and the
/// stream layout built from a stream's schema.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "airbyte/json.h"
#include "caches/sql_types.h"

namespace airbyte::caches {

/// The Airbyte type of a property definition (step A of 4.6): "string", "integer", "number",
/// "boolean", "date", "timestamp_with_timezone", "timestamp_without_timezone",
/// "time_without_timezone", "time_with_timezone", "object", "array", "vector_array", or a
/// verbatim `airbyte_type`; nullopt when it cannot be determined (missing or unknown type, or
/// two or more non-null types such as ["null","string","object"]). `subtype` (optional) gets
/// the array item type ("string" for items {"type": ["null","string"]}; "Float" for
/// vector_array), empty if none or if `items` is unresolvable.
std::optional<std::string> AirbyteType(const Json& definition, std::string* subtype = nullptr);

/// The column type of a property definition (steps B and C): string → kVarchar, integer →
/// kBigint, number → kDecimal, boolean → kBoolean, date → kDate, timestamp_with_timezone →
/// kTimestampTz (PyAirbyte creates naive TIMESTAMP; we keep the zone), timestamp_without_timezone
/// → kTimestamp, time_* → kTime, object/array/vector_array → kJson; fallback from the raw
/// type/format (string+date → kDate, string+date-time → kTimestampTz, array/object → kJson,
/// else kVarchar). `warning` (optional) receives PyAirbyte's fallback message ("Could not
/// determine airbyte type from JSON schema: <definition as compact JSON>" / "Could not find SQL
/// type for airbyte type: <type>"), empty when none. The fallback compares the raw `type`
/// keyword, so a list type like ["null","string","object"] falls back to kVarchar.
SqlType ColumnTypeFor(const Json& definition, std::string* warning = nullptr);

/// The wider of an existing column type and the type a schema now asks for, so that every
/// value of both fits (schema evolution never loses data): equal → same; kBigint + kDecimal →
/// kDecimal; kBigint/kDecimal + kDouble → kDouble; kDate + kTimestamp(Tz) → the timestamp;
/// kTimestamp + kTimestampTz → the existing one (PyAirbyte caches have naive columns);
/// kJson + kVarchar → kVarchar; anything else → kVarchar.
SqlType WidenType(SqlType existing, SqlType wanted);

/// Parses DuckDB/Postgres type text of an existing column ("BIGINT", "INTEGER", "DECIMAL(38,9)",
/// "NUMERIC", "TIMESTAMP WITH TIME ZONE", "timestamp without time zone", "JSON", "jsonb",
/// "VARCHAR", "text", "character varying", "DOUBLE", "double precision", "DATE", "TIME", ...)
/// into the SqlType whose values it can hold (case and parameters ignored); integers wider than
/// 64 bits (UBIGINT, HUGEINT) → kDecimal; lists ("INTEGER[]"), structs and unknown types →
/// kVarchar.
SqlType SqlTypeFromText(std::string_view type_text);

/// Builds a stream's table layout from its JSON schema: one column per top-level property in
/// schema order (name normalized, truncated to `max_identifier_length`), then the internal
/// columns (_airbyte_raw_id VARCHAR, _airbyte_extracted_at TIMESTAMPTZ, _airbyte_meta JSON).
/// A schema without `properties` has no property columns. A property whose normalized name
/// equals an internal column's is dropped (the internal value wins); when two properties
/// normalize to the same name the first wins. A property that normalizes to nothing throws
/// Error(kNameNormalization). `primary_key` and `cursor_field` are the configured stream's
/// (each key path must have exactly one element, else Error(kInput) "Nested primary keys are
/// not supported. Each PK column should have exactly one node. " with context stream_name and
/// primary_key_nodes); they are normalized and truncated like the columns (PyAirbyte does not
/// truncate keys, which breaks Postgres keys longer than 63 characters). Only the first
/// element of `cursor_field` names a column and is normalized; further elements are keys inside
/// its JSON value and stay verbatim. `warn` receives type-mapping warnings.
StreamLayout BuildStreamLayout(const std::string& stream, const std::string& table_name,
                               const Json& json_schema,
                               const std::vector<std::vector<std::string>>& primary_key,
                               const std::vector<std::string>& cursor_field,
                               std::size_t max_identifier_length = std::string::npos,
                               const std::function<void(const std::string&)>& warn = {});

}  // namespace airbyte::caches
