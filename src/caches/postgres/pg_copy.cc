#include "caches/postgres/pg_copy.h"

#include <bit>
#include <cstdint>
#include <cstring>

#include "util/strings.h"

namespace airbyte::caches {
namespace {

// Postgres counts dates and timestamps from 2000-01-01.
constexpr std::int64_t kPgEpochDays = 10'957;
constexpr std::int64_t kPgEpochMicros = kPgEpochDays * 86'400'000'000LL;

__extension__ typedef __int128 I128;
__extension__ typedef unsigned __int128 U128;

void PutU16(std::string& out, std::uint16_t value) {
  const char bytes[2] = {static_cast<char>(value >> 8), static_cast<char>(value)};
  out.append(bytes, 2);
}

void PutU32(std::string& out, std::uint32_t value) {
  const char bytes[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
                         static_cast<char>(value >> 8), static_cast<char>(value)};
  out.append(bytes, 4);
}

void PutU64(std::string& out, std::uint64_t value) {
  PutU32(out, static_cast<std::uint32_t>(value >> 32));
  PutU32(out, static_cast<std::uint32_t>(value));
}

void PutText(std::string& out, std::string_view text) {
  if (text.find('\0') == std::string_view::npos) {
    PutU32(out, static_cast<std::uint32_t>(text.size()));
    out.append(text);
    return;
  }
  std::string cleaned;
  for (char c : text) {
    if (c != '\0') cleaned += c;
  }
  PutU32(out, static_cast<std::uint32_t>(cleaned.size()));
  out.append(cleaned);
}

// numeric_send's layout: ndigits, weight, sign, dscale, then base-10000 digits, most
// significant first; value = sum(digit[i] * 10000^(weight - i)).
void PutNumeric(std::string& out, const Int128& value) {
  const I128 signed_value =
      static_cast<I128>((static_cast<U128>(static_cast<std::uint64_t>(value.upper)) << 64) |
                            value.lower);
  const bool negative = signed_value < 0;
  U128 magnitude = negative ? static_cast<U128>(-signed_value) : static_cast<U128>(signed_value);
  constexpr U128 kScale = 1'000'000'000;  // 10^kDecimalScale
  U128 integer = magnitude / kScale;
  // Nine fraction digits padded to twelve: three base-10000 groups.
  std::uint64_t fraction = static_cast<std::uint64_t>(magnitude % kScale) * 1000;

  std::uint16_t groups[16];  // integer groups (at most 10 for 38 digits) then 3 fraction ones
  int integer_groups = 0;
  std::uint16_t reversed[12];
  while (integer != 0) {
    reversed[integer_groups++] = static_cast<std::uint16_t>(integer % 10000);
    integer /= 10000;
  }
  int count = 0;
  for (int i = integer_groups - 1; i >= 0; --i) groups[count++] = reversed[i];
  groups[count++] = static_cast<std::uint16_t>(fraction / 100'000'000);
  groups[count++] = static_cast<std::uint16_t>(fraction / 10'000 % 10'000);
  groups[count++] = static_cast<std::uint16_t>(fraction % 10'000);

  int first = 0;
  int weight = integer_groups - 1;
  while (first < count && groups[first] == 0) {
    ++first;
    --weight;
  }
  int last = count;
  while (last > first && groups[last - 1] == 0) --last;
  const int ndigits = last - first;
  if (ndigits == 0) weight = 0;

  PutU32(out, static_cast<std::uint32_t>(8 + 2 * ndigits));
  PutU16(out, static_cast<std::uint16_t>(ndigits));
  PutU16(out, static_cast<std::uint16_t>(static_cast<std::int16_t>(weight)));
  PutU16(out, negative && ndigits > 0 ? 0x4000 : 0x0000);
  PutU16(out, static_cast<std::uint16_t>(kDecimalScale));
  for (int i = first; i < last; ++i) PutU16(out, groups[i]);
}

}  // namespace

std::string_view PgCopyHeader() {
  static constexpr char kHeader[19] = {'P',  'G',  'C',  'O',  'P', 'Y', '\n', '\377', '\r', '\n',
                                       '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0',  '\0'};
  return std::string_view(kHeader, sizeof(kHeader));
}

std::string_view PgCopyTrailer() {
  static constexpr char kTrailer[2] = {'\377', '\377'};
  return std::string_view(kTrailer, sizeof(kTrailer));
}

void AppendPgCopyRows(const RecordBatch& batch, std::size_t start, std::size_t count,
                      std::string& out) {
  const std::size_t columns = batch.columns.size();
  for (std::size_t row = start; row < start + count; ++row) {
    PutU16(out, static_cast<std::uint16_t>(columns));
    for (const ColumnData& column : batch.columns) {
      if (column.valid[row] == 0) {
        PutU32(out, 0xFFFFFFFFu);  // -1: NULL
        continue;
      }
      switch (column.type) {
        case SqlType::kVarchar:
        case SqlType::kJson:
          PutText(out, column.TextAt(row));
          break;
        case SqlType::kBigint:
        case SqlType::kTime:
          PutU32(out, 8);
          PutU64(out, static_cast<std::uint64_t>(column.ints[row]));
          break;
        case SqlType::kTimestamp:
        case SqlType::kTimestampTz:
          PutU32(out, 8);
          PutU64(out, static_cast<std::uint64_t>(column.ints[row] - kPgEpochMicros));
          break;
        case SqlType::kDate:
          PutU32(out, 4);
          PutU32(out, static_cast<std::uint32_t>(
                          static_cast<std::int32_t>(column.ints[row] - kPgEpochDays)));
          break;
        case SqlType::kBoolean:
          PutU32(out, 1);
          out += column.ints[row] != 0 ? '\1' : '\0';
          break;
        case SqlType::kDouble:
          PutU32(out, 8);
          PutU64(out, std::bit_cast<std::uint64_t>(column.doubles[row]));
          break;
        case SqlType::kDecimal:
          PutNumeric(out, column.decimals[row]);
          break;
      }
    }
  }
}

bool PgExactType(std::string_view type_text, SqlType type) {
  const std::string text = util::AsciiLower(type_text);
  switch (type) {
    case SqlType::kVarchar: return text == "character varying";
    case SqlType::kBigint: return text == "bigint";
    case SqlType::kDecimal: return text == "numeric(38,9)";
    case SqlType::kDouble: return text == "double precision";
    case SqlType::kBoolean: return text == "boolean";
    case SqlType::kDate: return text == "date";
    case SqlType::kTime: return text == "time without time zone";
    case SqlType::kTimestamp: return text == "timestamp without time zone";
    case SqlType::kTimestampTz: return text == "timestamp with time zone";
    case SqlType::kJson: return text == "json";
  }
  return false;
}

}  // namespace airbyte::caches
