#include "caches/postgres/pg_values.h"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

namespace airbyte::caches {
namespace {

// Type OIDs (catalog/pg_type.h, a server header).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

}  // namespace

std::string PgTypeName(Oid oid) {
  switch (oid) {
    case kBoolOid: return "BOOLEAN";
    case kInt8Oid: return "BIGINT";
    case kInt2Oid: return "SMALLINT";
    case kInt4Oid: return "INTEGER";
    case kOidOid: return "OID";
    case kFloat4Oid: return "REAL";
    case kFloat8Oid: return "DOUBLE PRECISION";
    case kNumericOid: return "NUMERIC";
    case 25: return "TEXT";
    case 1043: return "VARCHAR";
    case 114: return "JSON";
    case 3802: return "JSONB";
    case 1082: return "DATE";
    case 1083: return "TIME";
    case 1114: return "TIMESTAMP";
    case 1184: return "TIMESTAMP WITH TIME ZONE";
    case 2950: return "UUID";
    default: return "OID " + std::to_string(oid);
  }
}

// A numeric's text as JSON, by DuckDbConnection's DECIMAL rule.
namespace {

Json NumericJson(std::string_view text) {
  if (text == "NaN" || text.find("Infinity") != std::string_view::npos) return std::string(text);
  std::string decimal(text);
  if (const std::size_t dot = decimal.find('.'); dot != std::string::npos) {
    while (decimal.back() == '0') decimal.pop_back();
    if (decimal.back() == '.') decimal.pop_back();
  }
  if (decimal.find('.') == std::string::npos) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(decimal.data(), decimal.data() + decimal.size(), value);
    if (ec == std::errc() && end == decimal.data() + decimal.size()) return value;
  }
  const double value = std::strtod(decimal.c_str(), nullptr);
  char buffer[400];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value,
                                       std::chars_format::fixed);
  if (ec == std::errc() && std::string_view(buffer, end - buffer) == decimal) return value;
  return decimal;
}

Json ValueJson(const char* text, int length, Oid type) {
  const std::string_view value(text, static_cast<std::size_t>(length));
  switch (type) {
    case kBoolOid:
      return value == "t";
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t number = 0;
      std::from_chars(value.data(), value.data() + value.size(), number);
      return number;
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      if (value == "NaN" || value.find("Infinity") != std::string_view::npos) {
        return std::string(value);
      }
      return std::strtod(std::string(value).c_str(), nullptr);
    }
    case kNumericOid:
      return NumericJson(value);
    default:
      return std::string(value);
  }
}

}  // namespace

Json PgRowJson(PGresult* result, int row) {
  Json values = Json::array();
  const int columns = PQnfields(result);
  for (int c = 0; c < columns; ++c) {
    if (PQgetisnull(result, row, c) != 0) {
      values.push_back(nullptr);
    } else {
      values.push_back(
          ValueJson(PQgetvalue(result, row, c), PQgetlength(result, row, c), PQftype(result, c)));
    }
  }
  return values;
}

}  // namespace airbyte::caches
