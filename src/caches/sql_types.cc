#include "caches/sql_types.h"

namespace airbyte::caches {

std::string_view SqlTypeName(SqlType type) {
  switch (type) {
    case SqlType::kVarchar:
      return "VARCHAR";
    case SqlType::kBigint:
      return "BIGINT";
    case SqlType::kDecimal:
      return "DECIMAL(38, 9)";
    case SqlType::kDouble:
      return "DOUBLE";
    case SqlType::kBoolean:
      return "BOOLEAN";
    case SqlType::kDate:
      return "DATE";
    case SqlType::kTimestamp:
      return "TIMESTAMP";
    case SqlType::kTimestampTz:
      return "TIMESTAMP WITH TIME ZONE";
    case SqlType::kTime:
      return "TIME";
    case SqlType::kJson:
      return "JSON";
  }
  return "VARCHAR";
}

}  // namespace airbyte::caches
