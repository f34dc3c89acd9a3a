#include "util/name_normalizer.h"

#include "airbyte/error.h"

namespace airbyte::util {
namespace {

// Decodes one UTF-8 code point at `text[i]`; returns it and advances i. An invalid byte is
// returned as 0xFFFD and consumes one byte.
char32_t DecodeOne(std::string_view text, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  char32_t cp = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    length = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4;
    cp = b0 & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + length > text.size()) {
    ++i;
    return 0xFFFD;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += length;
  return cp;
}

}  // namespace

std::optional<std::string> TryNormalizeName(std::string_view name, std::size_t max_length) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    const char32_t cp = DecodeOne(name, i);
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') {
        out += static_cast<char>(c - 'A' + 'a');
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out += c;
      } else {
        out += '_';
      }
    } else if (cp == 0x212A) {  // KELVIN SIGN lower-cases to ASCII 'k'
      out += 'k';
    } else if (cp == 0x0130) {  // 'İ' lower-cases to two code points: 'i' + U+0307
      out += "i_";
    } else {
      out += '_';  // any other non-ASCII code point stays non-ASCII when lower-cased
    }
  }
  if (!out.empty() && out[0] >= '0' && out[0] <= '9') out.insert(out.begin(), '_');
  if (out.size() > max_length) out.resize(max_length);
  if (out.find_first_not_of('_') == std::string::npos) return std::nullopt;
  return out;
}

std::string NormalizeName(std::string_view name, std::size_t max_length) {
  std::optional<std::string> normalized = TryNormalizeName(name, max_length);
  if (!normalized) {
    throw Error(ErrorKind::kNameNormalization, "Name cannot be empty after normalization.",
                {.guidance = "Rename the stream or property so that it contains at least one "
                             "letter or digit.",
                 .context = {{"raw_name", std::string(name)}}});
  }
  return *normalized;
}

}  // namespace airbyte::util
