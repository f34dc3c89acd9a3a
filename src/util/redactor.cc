#include "util/redactor.h"

#include <algorithm>

#include "airbyte/error.h"

namespace airbyte::util {
namespace {

// How one JSON serializer spells a string; the connector we relay may use any of them.
struct JsonStyle {
  bool ascii_only = false;   // non-ASCII as \uXXXX (Python's json.dumps default)
  bool upper_hex = false;    // \u00E9 rather than \u00e9
  bool escape_slash = false; // "/" as "\/" (PHP, some Java serializers)
  bool escape_html = false;  // <, >, & as \u003c... (Go's encoding/json)
};

void AppendUnicodeEscape(std::string& out, unsigned code_unit, bool upper) {
  static constexpr char kLower[] = "0123456789abcdef";
  static constexpr char kUpper[] = "0123456789ABCDEF";
  const char* digits = upper ? kUpper : kLower;
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += digits[(code_unit >> shift) & 0xF];
}

// Decodes the UTF-8 sequence at value[i]; returns its length, or 0 if it is invalid.
std::size_t DecodeUtf8(std::string_view value, std::size_t i, unsigned& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(value[k]); };
  const unsigned lead = byte(i);
  std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || i + length > value.size()) return 0;
  code_point = lead & (0x3F >> (length - 1));
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3F);
  }
  return length;
}

// The spelling of `value` inside a JSON string literal written in `style`.
std::string JsonEscaped(std::string_view value, const JsonStyle& style) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '/':
        out += style.escape_slash ? "\\/" : "/";
        continue;
      case '<': case '>': case '&':
        if (style.escape_html) {
          AppendUnicodeEscape(out, u, style.upper_hex);
        } else {
          out += c;
        }
        continue;
      default: break;
    }
    if (u < 0x20) {
      AppendUnicodeEscape(out, u, style.upper_hex);
    } else if (u >= 0x80 && style.ascii_only) {
      unsigned code_point = 0;
      const std::size_t length = DecodeUtf8(value, i, code_point);
      if (length == 0) {  // not UTF-8: serializers differ, keep the byte
        out += c;
        continue;
      }
      if (code_point >= 0x10000) {  // a surrogate pair, as JSON spells astral characters
        code_point -= 0x10000;
        AppendUnicodeEscape(out, 0xD800 + (code_point >> 10), style.upper_hex);
        AppendUnicodeEscape(out, 0xDC00 + (code_point & 0x3FF), style.upper_hex);
      } else {
        AppendUnicodeEscape(out, code_point, style.upper_hex);
      }
      i += length - 1;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> JsonSpellings(std::string_view value) {
  std::vector<std::string> spellings;
  const auto add = [&](std::string spelling) {
    if (spelling != value &&
        std::find(spellings.begin(), spellings.end(), spelling) == spellings.end()) {
      spellings.push_back(std::move(spelling));
    }
  };
  for (int bits = 0; bits < 16; ++bits) {
    const JsonStyle style{.ascii_only = (bits & 1) != 0, .upper_hex = (bits & 2) != 0,
                          .escape_slash = (bits & 4) != 0, .escape_html = (bits & 8) != 0};
    std::string once = JsonEscaped(value, style);
    // JSON text inside a JSON string (a connector logging its config in a LOG message):
    // escaped twice.
    add(JsonEscaped(once, {}));
    add(std::move(once));
  }
  return spellings;
}

Redactor& Redactor::Global() {
  static Redactor* redactor = new Redactor();  // never destroyed: used from static dtors too
  return *redactor;
}

void Redactor::Register(std::string_view value) {
  if (value.size() < kMinSecretLength) return;
  std::vector<std::string> spellings = JsonSpellings(value);
  // A multi-line secret (a PEM key) printed raw reaches us one stderr line at a time: each
  // line of it must be masked on its own.
  if (value.find('\n') != std::string_view::npos) {
    std::size_t start = 0;
    while (start < value.size()) {
      std::size_t end = value.find('\n', start);
      if (end == std::string_view::npos) end = value.size();
      std::string_view line = value.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.size() >= kMinLineFragmentLength) spellings.emplace_back(line);
      start = end + 1;
    }
  }
  std::unique_lock lock(mu_);
  for (std::string& spelling : spellings) RegisterOne(std::move(spelling));
  RegisterOne(std::string(value));
}

void Redactor::RegisterOne(std::string value) {
  if (std::find(secrets_.begin(), secrets_.end(), value) != secrets_.end()) return;
  // Longest first, so a secret that contains another is masked whole.
  auto pos = std::lower_bound(secrets_.begin(), secrets_.end(), value,
                              [](const std::string& a, const std::string& b) {
                                return a.size() > b.size();
                              });
  secrets_.insert(pos, std::move(value));
}

bool Redactor::MaskInPlace(std::string& text) const {
  std::shared_lock lock(mu_);
  bool changed = false;
  for (const std::string& secret : secrets_) {
    std::size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), kMask);
      pos += kMask.size();
      changed = true;
    }
  }
  return changed;
}

std::string Redactor::Mask(std::string_view text) const {
  std::string out(text);
  MaskInPlace(out);
  return out;
}

}  // namespace airbyte::util

namespace airbyte {

void RegisterSecret(std::string_view value) { util::Redactor::Global().Register(value); }

std::string MaskSecrets(std::string_view text) { return util::Redactor::Global().Mask(text); }

}  // namespace airbyte
