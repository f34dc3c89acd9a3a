#include "caches/duckdb/duckdb_connection.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>

#include <duckdb.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "caches/sql_dialect.h"

namespace airbyte::caches {
namespace {

__extension__ typedef __int128 Int128Native;
__extension__ typedef unsigned __int128 UInt128Native;

// Owns one DuckDB handle whose destroy function takes Handle* (STYLE.md section 5).
template <typename Handle, auto Destroy>
class Owned {
 public:
  Owned() = default;
  explicit Owned(Handle handle) : h_(handle) {}
  Owned(Owned&& other) noexcept : h_(std::exchange(other.h_, nullptr)) {}
  Owned& operator=(Owned&& other) noexcept {
    if (this != &other) {
      reset();
      h_ = std::exchange(other.h_, nullptr);
    }
    return *this;
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() { reset(); }

  Handle get() const noexcept { return h_; }
  // Out-parameter: we own whatever DuckDB writes, even when the call then fails.
  Handle* out() noexcept {
    reset();
    return &h_;
  }
  void reset() noexcept {
    if (h_ != nullptr) Destroy(&h_);
    h_ = nullptr;
  }

 private:
  Handle h_ = nullptr;
};

using LogicalType = Owned<duckdb_logical_type, duckdb_destroy_logical_type>;
using DataChunk = Owned<duckdb_data_chunk, duckdb_destroy_data_chunk>;
using PreparedStatement = Owned<duckdb_prepared_statement, duckdb_destroy_prepare>;
using ExtractedStatements = Owned<duckdb_extracted_statements, duckdb_destroy_extracted>;
using AppenderHandle = Owned<duckdb_appender, duckdb_appender_destroy>;

// A duckdb_result must be destroyed even when the call that filled it failed; a
// zero-initialized one may be destroyed safely. Not movable: DuckDB keeps no pointer to it,
// but we keep it at a stable address inside heap-allocated states anyway.
class Result {
 public:
  Result() = default;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result() { duckdb_destroy_result(&result_); }
  duckdb_result* get() { return &result_; }

 private:
  duckdb_result result_{};
};

// Strings DuckDB allocates with duckdb_free ownership.
std::string TakeDuckDbString(char* text) {
  if (text == nullptr) return {};
  std::string out(text);
  duckdb_free(text);
  return out;
}

constexpr std::size_t kMaxSqlInContext = 2000;

std::string SqlForContext(std::string_view sql) {
  if (sql.size() <= kMaxSqlInContext) return std::string(sql);
  return std::string(sql.substr(0, kMaxSqlInContext)) + "...";
}

[[noreturn]] void ThrowSqlError(std::string_view what, std::string_view sql) {
  throw Error(ErrorKind::kCache, "DuckDB could not run the statement: " + std::string(what),
              {.guidance = "Check the SQL and that the tables it names exist.",
               .context = {{"sql", SqlForContext(sql)}}});
}

// ---------------------------------------------------------------------------------------
// Type descriptions and value conversion (the rules are in duckdb_connection.h).

struct TypeInfo {
  duckdb_type id = DUCKDB_TYPE_INVALID;
  // DECIMAL: storage type (SMALLINT/INTEGER/BIGINT/HUGEINT); ENUM: index type.
  duckdb_type internal = DUCKDB_TYPE_INVALID;
  std::uint8_t width = 0;
  std::uint8_t scale = 0;
  idx_t array_size = 0;
  std::string alias = {};
  // STRUCT and UNION member names.
  std::vector<std::string> names = {};
  // LIST/ARRAY: {element}; STRUCT/UNION: members; MAP: {key, value}.
  std::vector<TypeInfo> children = {};
  std::vector<std::string> enum_values = {};
};

TypeInfo DescribeType(duckdb_logical_type type) {
  TypeInfo info;
  info.id = duckdb_get_type_id(type);
  info.alias = TakeDuckDbString(duckdb_logical_type_get_alias(type));
  switch (info.id) {
    case DUCKDB_TYPE_DECIMAL:
      info.width = duckdb_decimal_width(type);
      info.scale = duckdb_decimal_scale(type);
      info.internal = duckdb_decimal_internal_type(type);
      break;
    case DUCKDB_TYPE_ENUM: {
      info.internal = duckdb_enum_internal_type(type);
      const std::uint32_t size = duckdb_enum_dictionary_size(type);
      info.enum_values.reserve(size);
      for (std::uint32_t i = 0; i < size; ++i) {
        info.enum_values.push_back(TakeDuckDbString(duckdb_enum_dictionary_value(type, i)));
      }
      break;
    }
    case DUCKDB_TYPE_LIST: {
      LogicalType child(duckdb_list_type_child_type(type));
      info.children.push_back(DescribeType(child.get()));
      break;
    }
    case DUCKDB_TYPE_ARRAY: {
      LogicalType child(duckdb_array_type_child_type(type));
      info.children.push_back(DescribeType(child.get()));
      info.array_size = duckdb_array_type_array_size(type);
      break;
    }
    case DUCKDB_TYPE_MAP: {
      LogicalType key(duckdb_map_type_key_type(type));
      LogicalType value(duckdb_map_type_value_type(type));
      info.children.push_back(DescribeType(key.get()));
      info.children.push_back(DescribeType(value.get()));
      break;
    }
    case DUCKDB_TYPE_STRUCT: {
      const idx_t count = duckdb_struct_type_child_count(type);
      for (idx_t i = 0; i < count; ++i) {
        info.names.push_back(TakeDuckDbString(duckdb_struct_type_child_name(type, i)));
        LogicalType child(duckdb_struct_type_child_type(type, i));
        info.children.push_back(DescribeType(child.get()));
      }
      break;
    }
    case DUCKDB_TYPE_UNION: {
      const idx_t count = duckdb_union_type_member_count(type);
      for (idx_t i = 0; i < count; ++i) {
        info.names.push_back(TakeDuckDbString(duckdb_union_type_member_name(type, i)));
        LogicalType child(duckdb_union_type_member_type(type, i));
        info.children.push_back(DescribeType(child.get()));
      }
      break;
    }
    default:
      break;
  }
  return info;
}

std::string QuoteIdentifierIfNeeded(const std::string& name) {
  const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }) && !(name[0] >= '0' && name[0] <= '9');
  if (plain) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// DuckDB's spelling of a type ("DECIMAL(38,9)", "INTEGER[]", "TIMESTAMP WITH TIME ZONE").
std::string TypeText(const TypeInfo& type) {
  if (!type.alias.empty()) return type.alias;
  switch (type.id) {
    case DUCKDB_TYPE_BOOLEAN:
      return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT:
      return "TINYINT";
    case DUCKDB_TYPE_SMALLINT:
      return "SMALLINT";
    case DUCKDB_TYPE_INTEGER:
      return "INTEGER";
    case DUCKDB_TYPE_BIGINT:
      return "BIGINT";
    case DUCKDB_TYPE_UTINYINT:
      return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT:
      return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER:
      return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT:
      return "UBIGINT";
    case DUCKDB_TYPE_HUGEINT:
      return "HUGEINT";
    case DUCKDB_TYPE_UHUGEINT:
      return "UHUGEINT";
    case DUCKDB_TYPE_FLOAT:
      return "FLOAT";
    case DUCKDB_TYPE_DOUBLE:
      return "DOUBLE";
    case DUCKDB_TYPE_TIMESTAMP:
      return "TIMESTAMP";
    case DUCKDB_TYPE_TIMESTAMP_S:
      return "TIMESTAMP_S";
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return "TIMESTAMP_MS";
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return "TIMESTAMP_NS";
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return "TIMESTAMP WITH TIME ZONE";
    case DUCKDB_TYPE_DATE:
      return "DATE";
    case DUCKDB_TYPE_TIME:
      return "TIME";
    case DUCKDB_TYPE_TIME_NS:
      return "TIME_NS";
    case DUCKDB_TYPE_TIME_TZ:
      return "TIME WITH TIME ZONE";
    case DUCKDB_TYPE_INTERVAL:
      return "INTERVAL";
    case DUCKDB_TYPE_VARCHAR:
      return "VARCHAR";
    case DUCKDB_TYPE_BLOB:
      return "BLOB";
    case DUCKDB_TYPE_UUID:
      return "UUID";
    case DUCKDB_TYPE_BIT:
      return "BIT";
    case DUCKDB_TYPE_BIGNUM:
      return "BIGNUM";
    case DUCKDB_TYPE_SQLNULL:
      return "\"NULL\"";
    case DUCKDB_TYPE_DECIMAL:
      return "DECIMAL(" + std::to_string(type.width) + "," + std::to_string(type.scale) + ")";
    case DUCKDB_TYPE_ENUM: {
      std::string out = "ENUM(";
      for (std::size_t i = 0; i < type.enum_values.size(); ++i) {
        if (i > 0) out += ", ";
        out += "'" + type.enum_values[i] + "'";
      }
      return out + ")";
    }
    case DUCKDB_TYPE_LIST:
      return TypeText(type.children[0]) + "[]";
    case DUCKDB_TYPE_ARRAY:
      return TypeText(type.children[0]) + "[" + std::to_string(type.array_size) + "]";
    case DUCKDB_TYPE_MAP:
      return "MAP(" + TypeText(type.children[0]) + ", " + TypeText(type.children[1]) + ")";
    case DUCKDB_TYPE_STRUCT:
    case DUCKDB_TYPE_UNION: {
      std::string out = type.id == DUCKDB_TYPE_STRUCT ? "STRUCT(" : "UNION(";
      for (std::size_t i = 0; i < type.children.size(); ++i) {
        if (i > 0) out += ", ";
        out += QuoteIdentifierIfNeeded(type.names[i]) + " " + TypeText(type.children[i]);
      }
      return out + ")";
    }
    default:
      return "UNKNOWN";
  }
}

template <typename T>
T ValueAt(duckdb_vector vector, idx_t row) {
  return static_cast<const T*>(duckdb_vector_get_data(vector))[row];
}

bool IsValid(duckdb_vector vector, idx_t row) {
  std::uint64_t* validity = duckdb_vector_get_validity(vector);
  return validity == nullptr || duckdb_validity_row_is_valid(validity, row);
}

std::string UInt128ToString(UInt128Native value) {
  if (value == 0) return "0";
  std::string out;
  while (value != 0) {
    out.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

UInt128Native Magnitude(Int128Native value) {
  return value < 0 ? UInt128Native(0) - static_cast<UInt128Native>(value)
                   : static_cast<UInt128Native>(value);
}

Int128Native FromHugeint(duckdb_hugeint value) {
  const UInt128Native bits =
      (static_cast<UInt128Native>(static_cast<std::uint64_t>(value.upper)) << 64) | value.lower;
  return static_cast<Int128Native>(bits);
}

Json IntegerJson(Int128Native value) {
  if (value >= std::numeric_limits<std::int64_t>::min() &&
      value <= std::numeric_limits<std::int64_t>::max()) {
    return Json(static_cast<std::int64_t>(value));
  }
  return Json((value < 0 ? "-" : "") + UInt128ToString(Magnitude(value)));
}

// An integer when there is no fraction and it fits 64 bits; else a double when the double's
// shortest fixed notation is the same decimal text; else the exact text.
Json DecimalJson(Int128Native value, int scale) {
  UInt128Native divisor = 1;
  for (int i = 0; i < scale; ++i) divisor *= 10;
  const UInt128Native magnitude = Magnitude(value);
  const UInt128Native fraction = magnitude % divisor;
  if (fraction == 0) {
    const Int128Native whole = value / static_cast<Int128Native>(divisor);
    if (whole >= std::numeric_limits<std::int64_t>::min() &&
        whole <= std::numeric_limits<std::int64_t>::max()) {
      return Json(static_cast<std::int64_t>(whole));
    }
  }
  std::string text = (value < 0 ? "-" : "") + UInt128ToString(magnitude / divisor);
  if (fraction != 0) {
    std::string digits = UInt128ToString(fraction);
    digits.insert(0, static_cast<std::size_t>(scale) - digits.size(), '0');
    digits.erase(digits.find_last_not_of('0') + 1);
    text += "." + digits;
  }
  const double as_double = std::strtod(text.c_str(), nullptr);
  std::array<char, 512> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), as_double,
                                       std::chars_format::fixed);
  if (ec == std::errc() && std::string_view(buffer.data(), end - buffer.data()) == text) {
    return Json(as_double);
  }
  return Json(text);
}

// ".f" with `digits` digits, trailing zeros dropped (DuckDB's text form); empty for 0.
std::string Fraction(std::int64_t value, int digits) {
  if (value == 0) return {};
  std::string text = std::to_string(value);
  text.insert(0, static_cast<std::size_t>(digits) - text.size(), '0');
  text.erase(text.find_last_not_of('0') + 1);
  return "." + text;
}

std::string TwoDigits(std::int64_t value) {
  std::string text = std::to_string(value);
  return text.size() < 2 ? "0" + text : text;
}

std::string FormatDate(std::int32_t days) {
  if (days == std::numeric_limits<std::int32_t>::max()) return "infinity";
  if (days == -std::numeric_limits<std::int32_t>::max()) return "-infinity";
  const duckdb_date_struct date = duckdb_from_date(duckdb_date{days});
  const bool before_christ = date.year <= 0;
  std::string year = std::to_string(before_christ ? 1 - date.year : date.year);
  if (year.size() < 4) year.insert(0, 4 - year.size(), '0');
  return year + "-" + TwoDigits(date.month) + "-" + TwoDigits(date.day) +
         (before_christ ? " (BC)" : "");
}

// Time of day from units since midnight, `digits` fraction digits per second.
std::string FormatTimeOfDay(std::int64_t units, std::int64_t units_per_second, int digits) {
  const std::int64_t seconds = units / units_per_second;
  return TwoDigits(seconds / 3600) + ":" + TwoDigits(seconds / 60 % 60) + ":" +
         TwoDigits(seconds % 60) + Fraction(units % units_per_second, digits);
}

std::string FormatTimestamp(std::int64_t value, std::int64_t units_per_second, int digits) {
  if (value == std::numeric_limits<std::int64_t>::max()) return "infinity";
  if (value == -std::numeric_limits<std::int64_t>::max()) return "-infinity";
  const std::int64_t units_per_day = units_per_second * 86'400;
  std::int64_t days = value / units_per_day;
  std::int64_t rest = value % units_per_day;
  if (rest < 0) {
    rest += units_per_day;
    --days;
  }
  std::string date = FormatDate(static_cast<std::int32_t>(days));
  std::string suffix;
  if (const std::size_t bc = date.find(" (BC)"); bc != std::string::npos) {
    suffix = date.substr(bc);
    date.erase(bc);
  }
  return date + " " + FormatTimeOfDay(rest, units_per_second, digits) + suffix;
}

std::string FormatTimeTz(std::uint64_t bits) {
  const duckdb_time_tz_struct time = duckdb_from_time_tz(duckdb_time_tz{bits});
  const std::int64_t micros =
      ((time.time.hour * 60LL + time.time.min) * 60 + time.time.sec) * 1'000'000 + time.time.micros;
  std::string out = FormatTimeOfDay(micros, 1'000'000, 6);
  const std::int32_t offset = time.offset;
  const std::int32_t magnitude = offset < 0 ? -offset : offset;
  out += (offset < 0 ? "-" : "+") + TwoDigits(magnitude / 3600);
  if (magnitude % 3600 != 0) out += ":" + TwoDigits(magnitude / 60 % 60);
  if (magnitude % 60 != 0) out += ":" + TwoDigits(magnitude % 60);
  return out;
}

std::string FormatInterval(const duckdb_interval& interval) {
  std::string out;
  auto add = [&out](std::int64_t count, const char* unit) {
    if (count == 0) return;
    if (!out.empty()) out += " ";
    out += std::to_string(count) + " " + unit + (count == 1 || count == -1 ? "" : "s");
  };
  add(interval.months / 12, "year");
  add(interval.months % 12, "month");
  add(interval.days, "day");
  if (interval.micros != 0 || out.empty()) {
    if (!out.empty()) out += " ";
    std::int64_t micros = interval.micros;
    if (micros < 0) {
      out += "-";
      micros = -micros;
    }
    const std::int64_t hours = micros / 3'600'000'000LL;
    out += TwoDigits(hours) + FormatTimeOfDay(micros % 3'600'000'000LL, 1'000'000, 6).substr(2);
  }
  return out;
}

std::string_view StringAt(duckdb_vector vector, idx_t row) {
  auto* strings = static_cast<duckdb_string_t*>(duckdb_vector_get_data(vector));
  duckdb_string_t* value = &strings[row];
  return {duckdb_string_t_data(value), duckdb_string_t_length(*value)};
}

// DuckDB's BLOB text: printable ASCII as is, other bytes as \xHH.
std::string EscapeBlob(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 32 && byte <= 126 && c != '\\' && c != '\'' && c != '"') {
      out += c;
    } else {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

// BIT storage: first byte is the number of padding bits, then the bits, most significant first.
std::string FormatBits(std::string_view bytes) {
  if (bytes.empty()) return {};
  const auto padding = static_cast<unsigned char>(bytes[0]);
  std::string out;
  for (std::size_t bit = padding; bit < 8 * (bytes.size() - 1); ++bit) {
    const auto byte = static_cast<unsigned char>(bytes[bit / 8 + 1]);
    out += ((byte >> (7 - bit % 8)) & 1) != 0 ? '1' : '0';
  }
  return out;
}

std::string FormatUuid(duckdb_hugeint value) {
  // DuckDB stores UUIDs with the top bit flipped so that they sort as signed integers.
  const std::uint64_t upper = static_cast<std::uint64_t>(value.upper) ^ (1ULL << 63);
  std::array<char, 33> hex{};
  std::snprintf(hex.data(), hex.size(), "%016llx%016llx", static_cast<unsigned long long>(upper),
                static_cast<unsigned long long>(value.lower));
  const std::string digits(hex.data(), 32);
  return digits.substr(0, 8) + "-" + digits.substr(8, 4) + "-" + digits.substr(12, 4) + "-" +
         digits.substr(16, 4) + "-" + digits.substr(20);
}

Json ConvertValue(duckdb_vector vector, const TypeInfo& type, idx_t row);

Json DecimalAt(duckdb_vector vector, const TypeInfo& type, idx_t row) {
  Int128Native value = 0;
  switch (type.internal) {
    case DUCKDB_TYPE_SMALLINT:
      value = ValueAt<std::int16_t>(vector, row);
      break;
    case DUCKDB_TYPE_INTEGER:
      value = ValueAt<std::int32_t>(vector, row);
      break;
    case DUCKDB_TYPE_BIGINT:
      value = ValueAt<std::int64_t>(vector, row);
      break;
    default:
      value = FromHugeint(ValueAt<duckdb_hugeint>(vector, row));
      break;
  }
  return DecimalJson(value, type.scale);
}

Json EnumAt(duckdb_vector vector, const TypeInfo& type, idx_t row) {
  std::size_t index = 0;
  switch (type.internal) {
    case DUCKDB_TYPE_UTINYINT:
      index = ValueAt<std::uint8_t>(vector, row);
      break;
    case DUCKDB_TYPE_USMALLINT:
      index = ValueAt<std::uint16_t>(vector, row);
      break;
    default:
      index = ValueAt<std::uint32_t>(vector, row);
      break;
  }
  return index < type.enum_values.size() ? Json(type.enum_values[index]) : Json(nullptr);
}

Json ConvertValue(duckdb_vector vector, const TypeInfo& type, idx_t row) {
  if (!IsValid(vector, row)) return nullptr;
  switch (type.id) {
    case DUCKDB_TYPE_BOOLEAN:
      return ValueAt<bool>(vector, row);
    case DUCKDB_TYPE_TINYINT:
      return ValueAt<std::int8_t>(vector, row);
    case DUCKDB_TYPE_SMALLINT:
      return ValueAt<std::int16_t>(vector, row);
    case DUCKDB_TYPE_INTEGER:
      return ValueAt<std::int32_t>(vector, row);
    case DUCKDB_TYPE_BIGINT:
      return ValueAt<std::int64_t>(vector, row);
    case DUCKDB_TYPE_UTINYINT:
      return ValueAt<std::uint8_t>(vector, row);
    case DUCKDB_TYPE_USMALLINT:
      return ValueAt<std::uint16_t>(vector, row);
    case DUCKDB_TYPE_UINTEGER:
      return ValueAt<std::uint32_t>(vector, row);
    case DUCKDB_TYPE_UBIGINT:
      return ValueAt<std::uint64_t>(vector, row);
    case DUCKDB_TYPE_HUGEINT:
      return IntegerJson(FromHugeint(ValueAt<duckdb_hugeint>(vector, row)));
    case DUCKDB_TYPE_UHUGEINT: {
      const auto value = ValueAt<duckdb_uhugeint>(vector, row);
      if (value.upper == 0) return value.lower;
      return UInt128ToString((static_cast<UInt128Native>(value.upper) << 64) | value.lower);
    }
    case DUCKDB_TYPE_FLOAT:
      return ValueAt<float>(vector, row);
    case DUCKDB_TYPE_DOUBLE:
      return ValueAt<double>(vector, row);
    case DUCKDB_TYPE_DECIMAL:
      return DecimalAt(vector, type, row);
    case DUCKDB_TYPE_VARCHAR:
      return std::string(StringAt(vector, row));
    case DUCKDB_TYPE_BLOB:
      return EscapeBlob(StringAt(vector, row));
    case DUCKDB_TYPE_BIT:
      return FormatBits(StringAt(vector, row));
    case DUCKDB_TYPE_UUID:
      return FormatUuid(ValueAt<duckdb_hugeint>(vector, row));
    case DUCKDB_TYPE_ENUM:
      return EnumAt(vector, type, row);
    case DUCKDB_TYPE_DATE:
      return FormatDate(ValueAt<duckdb_date>(vector, row).days);
    case DUCKDB_TYPE_TIME:
      return FormatTimeOfDay(ValueAt<duckdb_time>(vector, row).micros, 1'000'000, 6);
    case DUCKDB_TYPE_TIME_NS:
      return FormatTimeOfDay(ValueAt<std::int64_t>(vector, row), 1'000'000'000, 9);
    case DUCKDB_TYPE_TIME_TZ:
      return FormatTimeTz(ValueAt<duckdb_time_tz>(vector, row).bits);
    case DUCKDB_TYPE_TIMESTAMP:
      return FormatTimestamp(ValueAt<std::int64_t>(vector, row), 1'000'000, 6);
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return FormatTimestamp(ValueAt<std::int64_t>(vector, row), 1'000'000, 6) + "+00";
    case DUCKDB_TYPE_TIMESTAMP_S:
      return FormatTimestamp(ValueAt<std::int64_t>(vector, row), 1, 0);
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return FormatTimestamp(ValueAt<std::int64_t>(vector, row), 1'000, 3);
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return FormatTimestamp(ValueAt<std::int64_t>(vector, row), 1'000'000'000, 9);
    case DUCKDB_TYPE_INTERVAL:
      return FormatInterval(ValueAt<duckdb_interval>(vector, row));
    case DUCKDB_TYPE_LIST: {
      const auto entry = ValueAt<duckdb_list_entry>(vector, row);
      duckdb_vector child = duckdb_list_vector_get_child(vector);
      Json out = Json::array();
      for (idx_t i = 0; i < entry.length; ++i) {
        out.push_back(ConvertValue(child, type.children[0], entry.offset + i));
      }
      return out;
    }
    case DUCKDB_TYPE_ARRAY: {
      duckdb_vector child = duckdb_array_vector_get_child(vector);
      Json out = Json::array();
      for (idx_t i = 0; i < type.array_size; ++i) {
        out.push_back(ConvertValue(child, type.children[0], row * type.array_size + i));
      }
      return out;
    }
    case DUCKDB_TYPE_MAP: {
      // Physically a LIST of STRUCT(key, value).
      const auto entry = ValueAt<duckdb_list_entry>(vector, row);
      duckdb_vector entries = duckdb_list_vector_get_child(vector);
      duckdb_vector keys = duckdb_struct_vector_get_child(entries, 0);
      duckdb_vector values = duckdb_struct_vector_get_child(entries, 1);
      Json out = Json::object();
      for (idx_t i = 0; i < entry.length; ++i) {
        const Json key = ConvertValue(keys, type.children[0], entry.offset + i);
        out[key.is_string() ? key.get<std::string>() : key.dump()] =
            ConvertValue(values, type.children[1], entry.offset + i);
      }
      return out;
    }
    case DUCKDB_TYPE_STRUCT: {
      Json out = Json::object();
      for (std::size_t i = 0; i < type.children.size(); ++i) {
        out[type.names[i]] =
            ConvertValue(duckdb_struct_vector_get_child(vector, i), type.children[i], row);
      }
      return out;
    }
    case DUCKDB_TYPE_UNION: {
      // Physically a STRUCT whose first child is the tag; DuckDB prints the member's value.
      const auto tag = ValueAt<std::uint8_t>(duckdb_struct_vector_get_child(vector, 0), row);
      if (tag >= type.children.size()) return nullptr;
      return ConvertValue(duckdb_struct_vector_get_child(vector, tag + 1), type.children[tag], row);
    }
    default:
      // BIGNUM and internal types have no stable C layout to decode; they read as null.
      return nullptr;
  }
}

struct ResultShape {
  std::vector<std::string> names;
  std::vector<std::string> type_texts;
  std::vector<TypeInfo> types;
};

ResultShape DescribeResult(duckdb_result* result) {
  ResultShape shape;
  const idx_t count = duckdb_column_count(result);
  for (idx_t i = 0; i < count; ++i) {
    const char* name = duckdb_column_name(result, i);
    shape.names.emplace_back(name == nullptr ? "" : name);
    LogicalType type(duckdb_column_logical_type(result, i));
    shape.types.push_back(DescribeType(type.get()));
    shape.type_texts.push_back(TypeText(shape.types.back()));
  }
  return shape;
}

Json ConvertRow(const std::vector<duckdb_vector>& vectors, const std::vector<TypeInfo>& types,
                idx_t row) {
  Json out = Json::array();
  for (std::size_t c = 0; c < vectors.size(); ++c) {
    out.push_back(ConvertValue(vectors[c], types[c], row));
  }
  return out;
}

std::vector<duckdb_vector> ChunkVectors(duckdb_data_chunk chunk) {
  std::vector<duckdb_vector> vectors(duckdb_data_chunk_get_column_count(chunk));
  for (idx_t c = 0; c < vectors.size(); ++c) vectors[c] = duckdb_data_chunk_get_vector(chunk, c);
  return vectors;
}

// Runs `sql` so that its last statement's rows stream chunk by chunk: earlier statements run
// to completion first; the last is prepared and executed as a streaming result (DuckDB only
// streams prepared statements). `prepared` must outlive `result`.
void RunStreaming(duckdb_connection connection, std::string_view sql, PreparedStatement& prepared,
                  Result& result) {
  const std::string text(sql);
  ExtractedStatements extracted;
  const idx_t count = duckdb_extract_statements(connection, text.c_str(), extracted.out());
  if (count == 0) {
    const char* error = duckdb_extract_statements_error(extracted.get());
    ThrowSqlError(error != nullptr ? error : "the SQL holds no statement", sql);
  }
  for (idx_t i = 0; i < count; ++i) {
    if (duckdb_prepare_extracted_statement(connection, extracted.get(), i, prepared.out()) ==
        DuckDBError) {
      ThrowSqlError(duckdb_prepare_error(prepared.get()), sql);
    }
    const bool last = i + 1 == count;
    Result scratch;
    Result& target = last ? result : scratch;
    // duckdb_execute_prepared_streaming is the C API's only streaming entry point in 1.4
    // (marked for future removal, with no replacement yet).
    const duckdb_state state = last
                                   ? duckdb_execute_prepared_streaming(prepared.get(), target.get())
                                   : duckdb_execute_prepared(prepared.get(), target.get());
    if (state == DuckDBError) ThrowSqlError(duckdb_result_error(target.get()), sql);
  }
}

// ---------------------------------------------------------------------------------------
// Appender helpers.


bool Accepts(const TypeInfo& column, SqlType type) {
  switch (type) {
    case SqlType::kVarchar:
    case SqlType::kJson:
      return column.id == DUCKDB_TYPE_VARCHAR;  // JSON is a VARCHAR alias
    case SqlType::kBigint:
      return column.id == DUCKDB_TYPE_BIGINT;
    case SqlType::kDecimal:
      return column.id == DUCKDB_TYPE_DECIMAL && column.internal == DUCKDB_TYPE_HUGEINT &&
             column.scale == kDecimalScale;
    case SqlType::kDouble:
      return column.id == DUCKDB_TYPE_DOUBLE;
    case SqlType::kBoolean:
      return column.id == DUCKDB_TYPE_BOOLEAN;
    case SqlType::kDate:
      return column.id == DUCKDB_TYPE_DATE;
    case SqlType::kTimestamp:
      return column.id == DUCKDB_TYPE_TIMESTAMP;
    case SqlType::kTimestampTz:
      return column.id == DUCKDB_TYPE_TIMESTAMP_TZ;
    case SqlType::kTime:
      return column.id == DUCKDB_TYPE_TIME;
  }
  return false;
}

// Checks a ColumnData's vectors against batch.rows; a mismatch is a bug in the producer.
bool WellFormed(const ColumnData& column, std::size_t rows) {
  if (column.valid.size() < rows) return false;
  switch (column.type) {
    case SqlType::kVarchar:
    case SqlType::kJson:
      return column.offsets.size() >= rows + 1 && column.offsets[rows] <= column.text.size();
    case SqlType::kDecimal:
      return column.decimals.size() >= rows;
    case SqlType::kDouble:
      return column.doubles.size() >= rows;
    default:
      return column.ints.size() >= rows;
  }
}

// Points a VARCHAR slot at `text` without copying it: short strings are inlined, longer ones
// keep a pointer (plus DuckDB's 4-byte prefix) into the batch. No UTF-8 check either: batch
// text is valid UTF-8 by construction (see ColumnData). Copying and checking every string
// took ~7% of a read's CPU.
void ReferenceString(duckdb_string_t& slot, std::string_view text) {
  constexpr std::size_t kInlineBytes = sizeof(slot.value.inlined.inlined);
  slot.value.inlined.length = static_cast<std::uint32_t>(text.size());
  if (text.size() <= kInlineBytes) {
    // Unused inline bytes must be zero: DuckDB compares inlined strings 16 bytes at a time.
    std::memset(slot.value.inlined.inlined, 0, kInlineBytes);
    if (!text.empty()) std::memcpy(slot.value.inlined.inlined, text.data(), text.size());
  } else {
    std::memcpy(slot.value.pointer.prefix, text.data(), sizeof(slot.value.pointer.prefix));
    slot.value.pointer.ptr = const_cast<char*>(text.data());
  }
}

// Fills `vector` with rows [start, start + count) of `column` (whose type Accepts() it).
// Strings are referenced, not copied: `column` must outlive every use of the vector (the
// appender copies a chunk when it is appended; the insert source keeps its batch alive, see
// InsertLocal).
void FillVector(duckdb_vector vector, const ColumnData& column, std::size_t start, idx_t count) {
  std::uint64_t* validity = nullptr;
  void* data = duckdb_vector_get_data(vector);
  for (idx_t i = 0; i < count; ++i) {
    const std::size_t row = start + i;
    const bool valid = column.valid[row] != 0;
    if (!valid) {
      if (validity == nullptr) {
        duckdb_vector_ensure_validity_writable(vector);
        validity = duckdb_vector_get_validity(vector);
      }
      duckdb_validity_set_row_invalid(validity, i);
    }
    // NULL slots get the batch's placeholder too, so no slot is left uninitialized.
    switch (column.type) {
      case SqlType::kVarchar:
      case SqlType::kJson:
        ReferenceString(static_cast<duckdb_string_t*>(data)[i],
                        valid ? column.TextAt(row) : std::string_view());
        break;
      case SqlType::kBigint:
      case SqlType::kTime:
      case SqlType::kTimestamp:
      case SqlType::kTimestampTz:
        static_cast<std::int64_t*>(data)[i] = column.ints[row];
        break;
      case SqlType::kBoolean:
        static_cast<bool*>(data)[i] = column.ints[row] != 0;
        break;
      case SqlType::kDate:
        static_cast<std::int32_t*>(data)[i] = static_cast<std::int32_t>(column.ints[row]);
        break;
      case SqlType::kDecimal:
        static_cast<duckdb_hugeint*>(data)[i] =
            duckdb_hugeint{column.decimals[row].lower, column.decimals[row].upper};
        break;
      case SqlType::kDouble:
        static_cast<double*>(data)[i] = column.doubles[row];
        break;
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------
// DuckDbDatabase

struct DuckDbDatabase::State {
  Owned<duckdb_database, duckdb_close> database;
  std::filesystem::path path;
};

DuckDbDatabase::DuckDbDatabase() = default;
DuckDbDatabase::DuckDbDatabase(DuckDbDatabase&&) noexcept = default;
DuckDbDatabase& DuckDbDatabase::operator=(DuckDbDatabase&&) noexcept = default;
DuckDbDatabase::~DuckDbDatabase() = default;

namespace {

// Creates an empty database file at `path` so that no crash leaves a half-written one there:
// DuckDB writes the new file's headers at open; a kill in between would leave a file DuckDB
// refuses ("not a valid DuckDB database file") and every later read of that cache would fail.
// The file is made under a temporary name and linked into place (never replacing a file that
// appeared meanwhile). Errors are left for the real open to report.
void CreateAtomically(const std::filesystem::path& path) {
  const std::filesystem::path temp =
      path.parent_path() /
      ("." + path.filename().string() + ".creating-" + std::to_string(::getpid()));
  std::error_code ec;
  std::filesystem::remove(temp, ec);
  duckdb_database database = nullptr;
  char* raw_error = nullptr;
  const duckdb_state created =
      duckdb_open_ext(temp.string().c_str(), &database, /*config=*/nullptr, &raw_error);
  TakeDuckDbString(raw_error);
  if (created == DuckDBError) return;
  duckdb_close(&database);
  ::link(temp.c_str(), path.c_str());  // EEXIST: another process created it first
  std::filesystem::remove(temp, ec);
  std::filesystem::remove(temp.string() + ".wal", ec);
}

}  // namespace

DuckDbDatabase DuckDbDatabase::Open(const std::filesystem::path& path) {
  const std::string text = path.string();
  if (text != ":memory:" && path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      throw Error(ErrorKind::kCache, "Could not create the directory of the DuckDB database.",
                  {.guidance = "Check that the path is writable, or choose another cache path.",
                   .context = {{"path", text}, {"error", ec.message()}}});
    }
  }
  if (text != ":memory:" && !std::filesystem::exists(path)) CreateAtomically(path);
  auto state = std::make_unique<State>();
  state->path = path;
  char* raw_error = nullptr;
  const duckdb_state opened =
      duckdb_open_ext(text.c_str(), state->database.out(), /*config=*/nullptr, &raw_error);
  const std::string error = TakeDuckDbString(raw_error);
  if (opened == DuckDBError) {
    const bool locked = error.find("Could not set lock") != std::string::npos ||
                        error.find("Conflicting lock") != std::string::npos;
    std::string guidance =
        locked ? "Another process holds the lock on '" + text +
                     "' (DuckDB allows one process per database file). Close that process, "
                     "or call Close() on the other cache object using this file, then retry."
               : "Check that the path is a DuckDB database file that you may read and write.";
    throw Error(ErrorKind::kCache, "Could not open the DuckDB database: " + error,
                {.guidance = std::move(guidance), .context = {{"path", text}}});
  }
  DuckDbDatabase database;
  database.state_ = std::move(state);
  return database;
}

bool DuckDbDatabase::is_open() const { return state_ != nullptr && state_->database.get(); }

const std::filesystem::path& DuckDbDatabase::path() const {
  static const std::filesystem::path kEmpty;
  return state_ != nullptr ? state_->path : kEmpty;
}

void DuckDbDatabase::Close() noexcept {
  if (state_ != nullptr) state_->database.reset();
}

void* DuckDbDatabase::handle() const {
  return state_ != nullptr ? static_cast<void*>(state_->database.get()) : nullptr;
}

// ---------------------------------------------------------------------------------------
// DuckDbRowReader

struct DuckDbRowReader::State {
  PreparedStatement prepared;
  Result result;  // declared after `prepared`: destroyed first
  ResultShape shape;
  DataChunk chunk;
  std::vector<duckdb_vector> vectors;
  idx_t chunk_rows = 0;
  idx_t next_row = 0;
  bool done = false;
  std::string sql;
  // The connection's statement counter and its value when this reader started: DuckDB ends
  // a streaming result silently (no error) when its connection runs another statement.
  const std::uint64_t* connection_statements = nullptr;
  std::uint64_t started_at = 0;
};

DuckDbRowReader::DuckDbRowReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
DuckDbRowReader::DuckDbRowReader(DuckDbRowReader&&) noexcept = default;
DuckDbRowReader& DuckDbRowReader::operator=(DuckDbRowReader&&) noexcept = default;
DuckDbRowReader::~DuckDbRowReader() = default;

const std::vector<std::string>& DuckDbRowReader::column_names() const {
  return state_->shape.names;
}

const std::vector<std::string>& DuckDbRowReader::column_types() const {
  return state_->shape.type_texts;
}

std::optional<Json> DuckDbRowReader::Next() {
  if (state_ == nullptr) return std::nullopt;
  State& s = *state_;
  while (s.next_row >= s.chunk_rows) {
    if (s.done) return std::nullopt;
    if (*s.connection_statements != s.started_at) {
      s.done = true;
      throw Error(ErrorKind::kInternal,
                  "A DuckDB row reader was read after its connection ran another statement.",
                  {.guidance = "Finish reading (or destroy the reader) before running other SQL "
                               "on the same connection, or use a second connection.",
                   .context = {{"sql", SqlForContext(s.sql)}}});
    }
    s.vectors.clear();
    s.chunk = DataChunk(duckdb_fetch_chunk(*s.result.get()));
    if (s.chunk.get() == nullptr) {
      s.done = true;
      // A NULL chunk is the end, or an error raised while streaming.
      if (const char* error = duckdb_result_error(s.result.get()); error != nullptr) {
        ThrowSqlError(error, s.sql);
      }
      return std::nullopt;
    }
    s.chunk_rows = duckdb_data_chunk_get_size(s.chunk.get());
    s.next_row = 0;
    s.vectors = ChunkVectors(s.chunk.get());
  }
  return ConvertRow(s.vectors, s.shape.types, s.next_row++);
}

// ---------------------------------------------------------------------------------------
// DuckDbAppender

struct DuckDbAppender::State {
  AppenderHandle appender;
  std::string schema;
  std::string table;
  std::vector<LogicalType> column_types;
  std::vector<TypeInfo> columns;
  // Counts statements on the connection (appends close open streaming results too).
  std::uint64_t* connection_statements = nullptr;
  bool closed = false;
  // Set after DuckDB invalidated the appender (a failed append or flush).
  bool failed = false;

  std::string QualifiedTable() const { return schema.empty() ? table : schema + "." + table; }

  [[noreturn]] void ThrowDuckDbError(const std::string& what) {
    duckdb_error_data error = duckdb_appender_error_data(appender.get());
    std::string message = error != nullptr && duckdb_error_data_has_error(error)
                              ? duckdb_error_data_message(error)
                              : "unknown error";
    duckdb_destroy_error_data(&error);
    failed = true;
    throw Error(
        ErrorKind::kCache, what + ": " + message,
        {.guidance = "DuckDB discarded the rows not yet written; its message names the cause.",
         .context = {{"table", QualifiedTable()}}});
  }

  void CheckUsable() const {
    if (closed || failed || appender.get() == nullptr) {
      throw Error(ErrorKind::kInternal, "The DuckDB appender was used after Close() or an error.",
                  {.context = {{"table", QualifiedTable()}}});
    }
  }
};

DuckDbAppender::DuckDbAppender(std::unique_ptr<State> state) : state_(std::move(state)) {}
DuckDbAppender::DuckDbAppender(DuckDbAppender&&) noexcept = default;
DuckDbAppender& DuckDbAppender::operator=(DuckDbAppender&&) noexcept = default;
DuckDbAppender::~DuckDbAppender() = default;

void DuckDbAppender::Append(const RecordBatch& batch) {
  if (state_ == nullptr)
    throw Error(ErrorKind::kInternal, "Append on a moved-from DuckDbAppender.");
  State& s = *state_;
  s.CheckUsable();
  ++*s.connection_statements;
  if (batch.columns.size() != s.columns.size()) {
    throw Error(ErrorKind::kCache, "The batch's columns do not match the DuckDB table's columns.",
                {.guidance = "The table's schema differs from the stream's; recreate the table or "
                             "use a new cache.",
                 .context = {{"table", s.QualifiedTable()},
                             {"table_columns", s.columns.size()},
                             {"batch_columns", batch.columns.size()}}});
  }
  for (std::size_t c = 0; c < s.columns.size(); ++c) {
    const ColumnData& column = batch.columns[c];
    const std::string name = batch.layout != nullptr && c < batch.layout->columns.size()
                                 ? batch.layout->columns[c].name
                                 : "#" + std::to_string(c + 1);
    if (!Accepts(s.columns[c], column.type)) {
      throw Error(ErrorKind::kCache,
                  "Column '" + name + "' of the DuckDB table has type " + TypeText(s.columns[c]) +
                      ", but the batch holds " + std::string(SqlTypeName(column.type)) +
                      " values.",
                  {.guidance = "The table's schema differs from the stream's; recreate the table "
                               "or use a new cache.",
                   .context = {{"table", s.QualifiedTable()}, {"column", name}}});
    }
    if (!WellFormed(column, batch.rows)) {
      throw Error(ErrorKind::kInternal, "A record batch column has fewer values than rows.",
                  {.context = {{"table", s.QualifiedTable()}, {"column", name}}});
    }
  }
  std::vector<duckdb_logical_type> types;
  types.reserve(s.column_types.size());
  for (const LogicalType& type : s.column_types) types.push_back(type.get());
  const idx_t chunk_capacity = duckdb_vector_size();
  for (std::size_t start = 0; start < batch.rows; start += chunk_capacity) {
    const idx_t count = std::min<idx_t>(chunk_capacity, batch.rows - start);
    // Built from the appender's own column types so alias types (JSON) match exactly.
    DataChunk chunk(duckdb_create_data_chunk(types.data(), types.size()));
    for (idx_t c = 0; c < types.size(); ++c) {
      FillVector(duckdb_data_chunk_get_vector(chunk.get(), c), batch.columns[c], start, count);
    }
    duckdb_data_chunk_set_size(chunk.get(), count);
    if (duckdb_append_data_chunk(s.appender.get(), chunk.get()) == DuckDBError) {
      s.ThrowDuckDbError("DuckDB rejected rows appended to the table");
    }
  }
}

void DuckDbAppender::Flush() {
  if (state_ == nullptr) throw Error(ErrorKind::kInternal, "Flush on a moved-from DuckDbAppender.");
  state_->CheckUsable();
  ++*state_->connection_statements;
  if (duckdb_appender_flush(state_->appender.get()) == DuckDBError) {
    state_->ThrowDuckDbError("DuckDB could not write the appended rows to the table");
  }
}

void DuckDbAppender::Close() {
  if (state_ == nullptr || state_->closed) return;
  State& s = *state_;
  s.closed = true;
  ++*s.connection_statements;
  if (s.failed) {
    s.appender.reset();
    return;
  }
  // duckdb_appender_destroy would flush too, but loses the error message.
  if (duckdb_appender_close(s.appender.get()) == DuckDBError) {
    s.ThrowDuckDbError("DuckDB could not write the appended rows to the table");
  }
  s.appender.reset();
}

// ---------------------------------------------------------------------------------------
// DuckDbConnection

// What the `airbyte_insert_source` table function reads while InsertFrom() runs.
struct InsertCall {
  const std::vector<SqlType>* types = nullptr;
  InsertSource* source = nullptr;
  std::mutex mu;  // serializes source->Next()
  std::exception_ptr error;
};

struct DuckDbConnection::State {
  Owned<duckdb_connection, duckdb_disconnect> connection;
  // Incremented by everything that runs on the connection; see DuckDbRowReader::State.
  std::uint64_t statements = 0;
  bool insert_function_registered = false;
  InsertCall* insert_call = nullptr;  // set while InsertFrom() runs
};

namespace {

LogicalType LogicalTypeOf(SqlType type) {
  switch (type) {
    case SqlType::kVarchar:
      return LogicalType(duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR));
    case SqlType::kJson: {
      LogicalType json(duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR));
      duckdb_logical_type_set_alias(json.get(), "JSON");
      return json;
    }
    case SqlType::kBigint:
      return LogicalType(duckdb_create_logical_type(DUCKDB_TYPE_BIGINT));
    case SqlType::kDecimal:
      return LogicalType(duckdb_create_decimal_type(38, kDecimalScale));
    case SqlType::kDouble:
      return LogicalType(duckdb_create_logical_type(DUCKDB_TYPE_DOUBLE));
    case SqlType::kBoolean:
      return LogicalType(duckdb_create_logical_type(DUCKDB_TYPE_BOOLEAN));
    case SqlType::kDate:
      return LogicalType(duckdb_create_logical_type(DUCKDB_TYPE_DATE));
    case SqlType::kTimestamp:
      return LogicalType(duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP));
    case SqlType::kTimestampTz:
      return LogicalType(duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP_TZ));
    case SqlType::kTime:
      return LogicalType(duckdb_create_logical_type(DUCKDB_TYPE_TIME));
  }
  return LogicalType(duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR));
}

void InsertBind(duckdb_bind_info info) {
  auto* connection_state = static_cast<InsertCall**>(duckdb_bind_get_extra_info(info));
  InsertCall* call = *connection_state;
  if (call == nullptr) {
    duckdb_bind_set_error(info, "airbyte_insert_source is only usable inside InsertFrom()");
    return;
  }
  for (std::size_t i = 0; i < call->types->size(); ++i) {
    LogicalType type = LogicalTypeOf((*call->types)[i]);
    const std::string name = "c" + std::to_string(i);
    duckdb_bind_add_result_column(info, name.c_str(), type.get());
  }
}

void InsertInit(duckdb_init_info info) {
  // Every DuckDB thread may pull rows; each then builds and compresses its own row groups.
  duckdb_init_set_max_threads(info, 64);
}

// Per DuckDB thread: the batch whose strings that thread's last output chunk points into.
// DuckDB's pipeline has consumed a source chunk (the insert copied its strings into the
// table's segments) before it asks the same thread's source for the next one, so holding the
// batch until then is enough.
struct InsertLocal {
  std::shared_ptr<const RecordBatch> batch;
};

void InsertLocalInit(duckdb_init_info info) {
  duckdb_init_set_init_data(info, new InsertLocal(),
                            [](void* local) { delete static_cast<InsertLocal*>(local); });
}

void InsertFunction(duckdb_function_info info, duckdb_data_chunk output) {
  InsertCall* call = *static_cast<InsertCall**>(duckdb_function_get_extra_info(info));
  std::shared_ptr<const RecordBatch>& batch =
      static_cast<InsertLocal*>(duckdb_function_get_local_init_data(info))->batch;
  std::size_t start = 0;
  std::size_t count = 0;
  try {
    {
      const std::lock_guard lock(call->mu);
      if (call->error || !call->source->Next(batch, start, count)) count = 0;
    }
    if (count == 0) batch.reset();
    for (std::size_t c = 0; count > 0 && c < batch->columns.size(); ++c) {
      FillVector(duckdb_data_chunk_get_vector(output, c), batch->columns[c], start, count);
    }
    duckdb_data_chunk_set_size(output, count);
  } catch (...) {
    const std::lock_guard lock(call->mu);
    if (!call->error) call->error = std::current_exception();
    duckdb_function_set_error(info, "the record source failed");
  }
}

}  // namespace

DuckDbConnection::DuckDbConnection(const DuckDbDatabase& database)
    : state_(std::make_unique<State>()) {
  if (!database.is_open()) {
    throw Error(ErrorKind::kInternal, "Cannot connect to a closed DuckDB database.",
                {.context = {{"path", database.path().string()}}});
  }
  if (duckdb_connect(static_cast<duckdb_database>(database.handle()), state_->connection.out()) ==
      DuckDBError) {
    throw Error(ErrorKind::kCache, "Could not connect to the DuckDB database.",
                {.context = {{"path", database.path().string()}}});
  }
}

DuckDbConnection::DuckDbConnection(DuckDbConnection&&) noexcept = default;
DuckDbConnection& DuckDbConnection::operator=(DuckDbConnection&&) noexcept = default;
DuckDbConnection::~DuckDbConnection() = default;

void* DuckDbConnection::handle() const {
  return state_ != nullptr ? static_cast<void*>(state_->connection.get()) : nullptr;
}

void DuckDbConnection::Execute(std::string_view sql) {
  if (state_ == nullptr) throw Error(ErrorKind::kInternal, "Execute on a moved-from connection.");
  const std::string text(sql);
  ++state_->statements;
  Result result;
  if (duckdb_query(state_->connection.get(), text.c_str(), result.get()) == DuckDBError) {
    ThrowSqlError(duckdb_result_error(result.get()), sql);
  }
}

QueryResult DuckDbConnection::Query(std::string_view sql, std::optional<std::size_t> max_rows) {
  DuckDbRowReader reader = Stream(sql);
  QueryResult out;
  out.column_names = reader.column_names();
  out.column_types = reader.column_types();
  while (!max_rows.has_value() || out.rows.size() < *max_rows) {
    std::optional<Json> row = reader.Next();
    if (!row.has_value()) break;
    out.rows.push_back(std::move(*row));
  }
  return out;
}

DuckDbRowReader DuckDbConnection::Stream(std::string_view sql) {
  if (state_ == nullptr) throw Error(ErrorKind::kInternal, "Stream on a moved-from connection.");
  auto reader = std::make_unique<DuckDbRowReader::State>();
  reader->sql = std::string(sql);
  reader->connection_statements = &state_->statements;
  reader->started_at = ++state_->statements;
  RunStreaming(state_->connection.get(), sql, reader->prepared, reader->result);
  reader->shape = DescribeResult(reader->result.get());
  return DuckDbRowReader(std::move(reader));
}

void DuckDbConnection::InsertFrom(const std::string& schema, const std::string& table,
                                  const std::vector<SqlType>& types, InsertSource& source) {
  if (state_ == nullptr) throw Error(ErrorKind::kInternal, "InsertFrom on a moved-from connection.");
  if (!state_->insert_function_registered) {
    // Registered once per connection; extra_info points at the connection's current call.
    Owned<duckdb_table_function, duckdb_destroy_table_function> function(
        duckdb_create_table_function());
    duckdb_table_function_set_name(function.get(), "airbyte_insert_source");
    duckdb_table_function_set_extra_info(function.get(), &state_->insert_call, nullptr);
    duckdb_table_function_set_bind(function.get(), InsertBind);
    duckdb_table_function_set_init(function.get(), InsertInit);
    duckdb_table_function_set_local_init(function.get(), InsertLocalInit);
    duckdb_table_function_set_function(function.get(), InsertFunction);
    if (duckdb_register_table_function(state_->connection.get(), function.get()) == DuckDBError) {
      throw Error(ErrorKind::kInternal, "Could not register DuckDB's insert table function.");
    }
    // Parallel inserts need this; nothing we read depends on physical row order.
    Execute("SET preserve_insertion_order = false");
    state_->insert_function_registered = true;
  }
  InsertCall call;
  call.types = &types;
  call.source = &source;
  state_->insert_call = &call;
  std::string target = schema.empty() ? "" : QuoteIdentifier(schema) + ".";
  target += QuoteIdentifier(table);
  try {
    Execute("INSERT INTO " + target + " SELECT * FROM airbyte_insert_source()");
  } catch (...) {
    state_->insert_call = nullptr;
    if (call.error) std::rethrow_exception(call.error);
    throw;
  }
  state_->insert_call = nullptr;
  if (call.error) std::rethrow_exception(call.error);
}

DuckDbAppender DuckDbConnection::Appender(const std::string& schema, const std::string& table) {
  if (state_ == nullptr) throw Error(ErrorKind::kInternal, "Appender on a moved-from connection.");
  auto state = std::make_unique<DuckDbAppender::State>();
  state->schema = schema;
  state->table = table;
  state->connection_statements = &state_->statements;
  ++state_->statements;
  if (duckdb_appender_create_ext(state_->connection.get(), /*catalog=*/nullptr,
                                 schema.empty() ? nullptr : schema.c_str(), table.c_str(),
                                 state->appender.out()) == DuckDBError) {
    state->ThrowDuckDbError("Could not create a DuckDB appender");
  }
  const idx_t count = duckdb_appender_column_count(state->appender.get());
  for (idx_t c = 0; c < count; ++c) {
    state->column_types.emplace_back(duckdb_appender_column_type(state->appender.get(), c));
    state->columns.push_back(DescribeType(state->column_types.back().get()));
  }
  return DuckDbAppender(std::move(state));
}

}  // namespace airbyte::caches
