#include "connectors/declarative/interpolation/text_util.h"

#include <cstdint>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "connectors/declarative/interpolation/eval_error.h"
#include "util/strings.h"

namespace airbyte::declarative {

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i.
std::uint32_t DecodeUtf8(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 0;
  std::uint32_t cp = n == 0 ? c : c & (0x3F >> n);
  ++i;
  for (int k = 0; k < n && i < s.size(); ++k, ++i)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  return cp;
}

void AppendJsonString(std::string_view s, std::string& out) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char buf[16];
    if (c >= 0x80) {
      std::uint32_t cp = DecodeUtf8(s, i);
      if (cp >= 0x10000) {
        cp -= 0x10000;
        std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 + (cp >> 10),
                      0xDC00 + (cp & 0x3FF));
      } else {
        std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      }
      out += buf;
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void Dump(const Json& j, bool sort_keys, std::string& out) {
  switch (j.type()) {
    case Json::value_t::null:
      out += "null";
      return;
    case Json::value_t::boolean:
      out += j.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::number_float: {
      double d = j.get<double>();
      out += std::isnan(d)   ? "NaN"
             : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity")
                             : FloatRepr(d);
      return;
    }
    case Json::value_t::string:
      AppendJsonString(j.get_ref<const std::string&>(), out);
      return;
    case Json::value_t::array: {
      out += '[';
      for (std::size_t i = 0; i < j.size(); ++i) {
        if (i > 0) out += ", ";
        Dump(j[i], sort_keys, out);
      }
      out += ']';
      return;
    }
    case Json::value_t::object: {
      std::vector<std::pair<std::string, const Json*>> members;
      for (const auto& [key, item] : j.items()) members.emplace_back(key, &item);
      if (sort_keys)
        std::sort(members.begin(), members.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (i > 0) out += ", ";
        AppendJsonString(members[i].first, out);
        out += ": ";
        Dump(*members[i].second, sort_keys, out);
      }
      out += '}';
      return;
    }
    default:
      out += Str(Value::Borrow(j));
      return;
  }
}

}  // namespace

std::string JsonDumps(const Value& v, bool sort_keys) {
  if (!v.is_json()) throw EvalError("Object of type " + TypeName(v) + " is not JSON serializable");
  std::string out;
  Dump(v.json(), sort_keys, out);
  return out;
}

std::string UrlQuote(std::string_view s, std::string_view safe) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~' ||
        safe.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    std::uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                      (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                      static_cast<unsigned char>(bytes[i + 2]);
    out += {kB64[n >> 18], kB64[(n >> 12) & 63], kB64[(n >> 6) & 63], kB64[n & 63]};
  }
  if (i + 1 == bytes.size()) {
    std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    out += {kB64[n >> 18], kB64[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    std::uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                      (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {kB64[n >> 18], kB64[(n >> 12) & 63], kB64[(n >> 6) & 63], '='};
  }
  return out;
}

std::string Base64Decode(std::string_view text) {
  std::string clean;
  std::size_t pad = 0;
  for (char c : text) {
    if (c == '=') {
      ++pad;
    } else if (c != '\0' && std::strchr(kB64, c) != nullptr) {
      clean += c;
    }
  }
  std::size_t rest = clean.size() % 4;
  if (rest == 1) {
    throw EvalError("Invalid base64-encoded string: number of data characters (" +
                    std::to_string(clean.size()) + ") cannot be 1 more than a multiple of 4");
  }
  if ((rest == 2 && pad < 2) || (rest == 3 && pad < 1)) throw EvalError("Incorrect padding");
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : clean) {
    acc = (acc << 6) | static_cast<std::uint32_t>(std::strchr(kB64, c) - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::string HexDigest(std::string_view algorithm, std::string_view data) {
  std::string name(algorithm);
  if (name.starts_with("sha3_")) name[4] = '-';
  if (name == "blake2b") name = "BLAKE2b512";
  if (name == "blake2s") name = "BLAKE2s256";
  const EVP_MD* md =
      name.find_first_of("%/ ") == std::string::npos ? EVP_get_digestbyname(name.c_str()) : nullptr;
  if (md == nullptr || algorithm.starts_with("shake")) {
    throw EvalError("No hashing function named " + std::string(algorithm));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr) != 1) {
    throw EvalError("hashing with " + std::string(algorithm) + " failed");
  }
  std::string out;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    out += buf;
  }
  return out;
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
           &len) == nullptr) {
    throw EvalError("HMAC-SHA256 failed");
  }
  std::string out;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    out += buf;
  }
  return out;
}

bool DecodePyEscape(std::string_view s, std::size_t& pos, std::string& out) {
  const char e = s[pos++];
  switch (e) {
    case '\n':
      return true;  // line continuation
    case 'n':
      out += '\n';
      return true;
    case 't':
      out += '\t';
      return true;
    case 'r':
      out += '\r';
      return true;
    case 'a':
      out += '\a';
      return true;
    case 'b':
      out += '\b';
      return true;
    case 'f':
      out += '\f';
      return true;
    case 'v':
      out += '\v';
      return true;
    case '\\':
    case '\'':
    case '"':
      out += e;
      return true;
    case 'x':
    case 'u':
    case 'U': {
      const std::size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      const std::string hex(s.substr(pos, n));
      if (hex.size() != n || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
        return false;
      }
      util::AppendUtf8(static_cast<std::uint32_t>(std::stoul(hex, nullptr, 16)), out);
      pos += n;
      return true;
    }
    default:
      if (e >= '0' && e <= '7') {
        std::uint32_t v = static_cast<std::uint32_t>(e - '0');
        for (int k = 0; k < 2 && pos < s.size() && s[pos] >= '0' && s[pos] <= '7'; ++k) {
          v = v * 8 + static_cast<std::uint32_t>(s[pos++] - '0');
        }
        util::AppendUtf8(v, out);
      } else {  // Python keeps unknown escapes as written.
        out += '\\';
        out += e;
      }
      return true;
  }
}

bool IsPyWhitespace(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

std::string PyStrip(std::string_view s, const Value* chars, bool left, bool right) {
  std::string set;
  bool whitespace = chars == nullptr || chars->is_null();
  if (!whitespace) {
    if (!chars->is_string()) throw EvalError("strip arg must be None or str");
    set = chars->json().get<std::string>();
  }
  auto strip_char = [&](unsigned char c) {
    return whitespace ? IsPyWhitespace(c) : set.find(static_cast<char>(c)) != std::string::npos;
  };
  std::size_t b = 0;
  std::size_t e = s.size();
  while (left && b < e && strip_char(static_cast<unsigned char>(s[b]))) ++b;
  while (right && e > b && strip_char(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace airbyte::declarative
