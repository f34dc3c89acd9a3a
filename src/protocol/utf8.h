#pragma once

/// UTF-8 repair used by the parser and the serializer (connector output is untrusted bytes).

#include <cstddef>
#include <string>
#include <string_view>

namespace airbyte::protocol {

/// The replacement character U+FFFD, UTF-8 encoded.
inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

/// Length (1-4) of the well-formed UTF-8 sequence at the start of `text` (non-empty). For an
/// ill-formed one returns 0 and sets `bad_length` to the length of its maximal ill-formed
/// subpart (>= 1), the unit Unicode (and Python's errors="replace") replaces by one U+FFFD.
std::size_t Utf8SequenceLength(std::string_view text, std::size_t& bad_length);

/// Appends `text` to `out`, replacing each maximal ill-formed subpart by U+FFFD. At most
/// `max_bytes` bytes are appended, cut at a character boundary; returns false if `text` did
/// not fit (the caller may then mark the cut).
bool AppendValidUtf8(std::string_view text, std::string& out,
                     std::size_t max_bytes = std::string::npos);

}  // namespace airbyte::protocol
