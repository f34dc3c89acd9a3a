#pragma once

/// Allocation-free parsers and formatters that turn JSON values into cache column values
/// (RecordBatchBuilder's conversion rules, see record_batch.h).
///
///   std::optional<Int128> d = ParseDecimal("1.5E-2");      // 15'000'000 (0.015 * 10^9)
///   bool had_offset = false;
///   std::optional<std::int64_t> us = ParseTimestamp("2024-01-01T01:00:00+01:00", had_offset);
///   std::string text;
///   AppendJsonText(R"({"a":"é"})", JsonStyle::kPython, text);  // {"a": "\u00e9"}
///
/// Parsers take the whole text: no surrounding whitespace, nothing after the value; they return
/// nullopt rather than throw. All functions are pure and thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "caches/record_batch.h"
#include "protocol/serializer.h"

namespace airbyte::caches {

/// DECIMAL(38, 9): the largest magnitude is 10^38 - 1 after scaling by 10^9.
inline constexpr int kDecimalPrecision = 38;

/// Parses a decimal number into its value times 10^9 (DECIMAL(38, 9)). Accepts an optional
/// sign ('-' or '+'), digits with an optional '.' fraction (".5" and "5." too) and an optional
/// exponent ("1e3", "1.5E-2"). Digits past the 9th fraction digit are rounded half-even.
/// Returns nullopt for empty text, junk, "NaN"/"inf" and values whose scaled magnitude has more
/// than 38 digits.
std::optional<Int128> ParseDecimal(std::string_view text);

/// The DECIMAL(38, 9) value of a double: its shortest round-trip decimal digits, parsed as
/// ParseDecimal does (so 0.1 is exactly 0.100000000). nullopt for NaN, infinities and overflow.
std::optional<Int128> DecimalFromDouble(double value);

/// The DECIMAL(38, 9) value of an integer (always representable).
Int128 DecimalFromInt64(std::int64_t value);

/// Parses an integer. Besides plain integers ("-12", "+7") accepts any number ParseDecimal
/// accepts whose value is integral ("12.0", "1e3", "1.50e1"), since JSON writers often emit
/// integral floats. nullopt for fractions, junk and values outside int64.
std::optional<std::int64_t> ParseInt64(std::string_view text);

/// Parses a finite double (shortest-path std::from_chars; an optional leading '+'). nullopt for
/// junk, "NaN", "inf" and overflow to infinity.
std::optional<double> ParseDouble(std::string_view text);

/// "true" / "false" in any letter case.
std::optional<bool> ParseBool(std::string_view text);

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day);

/// Parses "YYYY-MM-DD" (years 0001-9999) into days since 1970-01-01. A full timestamp as
/// ParseTimestamp accepts is taken too: its date part as written (the offset is not applied).
std::optional<std::int32_t> ParseDate(std::string_view text);

/// Parses "HH:MM", "HH:MM:SS" or "HH:MM:SS.f" (1-9 fraction digits, truncated to
/// microseconds) into microseconds since midnight. A trailing offset ("Z", "z", "±hh",
/// "±hhmm", "±hh:mm") is accepted and ignored: a TIME has no zone. Hours 00-23, seconds 00-59.
std::optional<std::int64_t> ParseTime(std::string_view text);

/// Parses an ISO-8601 date or date-time into microseconds since the epoch, UTC:
/// "YYYY-MM-DD" (midnight), or the date, 'T'/'t'/' ', a time as ParseTime accepts, and an
/// optional offset "Z", "z", "±hh:mm", "±hhmm", "±hh" or " UTC". The offset is subtracted, so
/// the result is UTC; `had_offset` tells whether there was one (naive text is taken as UTC).
std::optional<std::int64_t> ParseTimestamp(std::string_view text, bool& had_offset);

/// How AppendJsonText writes JSON.
enum class JsonStyle {
  /// No whitespace; strings keep their original bytes and escapes (for JSON columns).
  kCompact,
  /// Python's json.dumps defaults: ", " and ": " separators, ensure_ascii (every character
  /// outside ' '..'~' as \uXXXX, astral ones as surrogate pairs; \" \\ \b \f \n \r \t short),
  /// as PyAirbyte stores objects and arrays in VARCHAR columns.
  kPython,
};

/// Appends the JSON value `json` (any value; surrounding whitespace is skipped) to `out` in
/// `style`. Keys keep their order; numbers keep their original text (unlike Python, which
/// would print floats as repr(float)). Returns false, with `out` partly written, if `json` is
/// not well formed (unbalanced brackets, unterminated string or escape, missing separators are
/// not all detected: the input is expected to have passed a JSON parser).
bool AppendJsonText(std::string_view json, JsonStyle style, std::string& out);

/// Appends `text` as a compact JSON string: quotes, \" \\ and control characters escaped,
/// UTF-8 kept.
void AppendJsonString(std::string_view text, std::string& out);

/// Appends a double as the protocol serializer writes it (shortest round-trip digits, ".0" on
/// integral values as Python's repr; "null" for NaN and infinities).
using protocol::AppendJsonDouble;

/// Appends the decimal text of an integer.
void AppendInt64(std::int64_t value, std::string& out);

/// Appends a UUIDv7 (RFC 9562) in its 36-character lower-case form from Unix milliseconds and
/// 128 random bits (of which 74 are used), without the allocation and snprintf of
/// util::NewUuidV7.
void AppendUuidV7(std::int64_t unix_ms, std::uint64_t random_a, std::uint64_t random_b,
                  std::string& out);

/// True if `text` is a JSON number token (RFC 8259 grammar).
bool IsJsonNumber(std::string_view text);

}  // namespace airbyte::caches
