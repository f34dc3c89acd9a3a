#include "protocol/utf8.h"

#include <algorithm>

namespace airbyte::protocol {

std::size_t Utf8SequenceLength(std::string_view text, std::size_t& bad_length) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char lead = p[0];
  if (lead < 0x80) return 1;
  // Well-formed sequences (Unicode table 3-7): the lead byte fixes the length and the range
  // of the second byte; later bytes are 80..BF.
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // no overlong forms
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    bad_length = 1;
    return 0;
  }
  std::size_t i = 1;
  for (; i < length && i < text.size(); ++i) {
    const unsigned char byte = p[i];
    const bool ok = i == 1 ? (byte >= low && byte <= high) : (byte >= 0x80 && byte <= 0xBF);
    if (!ok) break;
  }
  if (i == length) return length;
  bad_length = i;
  return 0;
}

bool AppendValidUtf8(std::string_view text, std::string& out, std::size_t max_bytes) {
  std::size_t budget = max_bytes;
  std::size_t i = 0;
  while (i < text.size()) {
    // Copy the run of ASCII bytes in one go.
    std::size_t run = i;
    while (run < text.size() && static_cast<unsigned char>(text[run]) < 0x80) ++run;
    if (run > i) {
      const std::size_t take = std::min(run - i, budget);
      out.append(text.data() + i, take);
      budget -= take;
      if (take < run - i) return false;
      i = run;
      continue;
    }
    std::size_t bad_length = 0;
    const std::size_t length = Utf8SequenceLength(text.substr(i), bad_length);
    const std::string_view piece = length > 0 ? text.substr(i, length) : kReplacementCharacter;
    if (piece.size() > budget) return false;
    out.append(piece);
    budget -= piece.size();
    i += length > 0 ? length : bad_length;
  }
  return true;
}

}  // namespace airbyte::protocol
