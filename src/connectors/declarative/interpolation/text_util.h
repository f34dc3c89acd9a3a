#pragma once

#include <string>
#include <string_view>

#include "connectors/declarative/interpolation/value.h"
#include "util/strings.h"

namespace airbyte::declarative {

/// Python json.dumps(value): ", " and ": " separators, non-ASCII as \uXXXX (ensure_ascii).
/// `sort_keys` as Jinja's tojson uses it. Non-JSON values raise EvalError (TypeError).
std::string JsonDumps(const Value& v, bool sort_keys);

/// Python urllib.parse.quote(s, safe): letters, digits, `_.-~` and `safe` stay.
std::string UrlQuote(std::string_view s, std::string_view safe);

/// Standard base64 with padding, and its (non-validating, Python b64decode) inverse.
std::string Base64Encode(std::string_view bytes);
/// Throws EvalError("Incorrect padding") like Python.
std::string Base64Decode(std::string_view text);

/// Hex digest of `data` with a hashlib algorithm name (md5, sha1, sha256, sha512, ...);
/// throws EvalError for an unknown name.
std::string HexDigest(std::string_view algorithm, std::string_view data);
/// Hex HMAC-SHA256.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

/// Python str methods on UTF-8 text (ASCII case mapping only for lower/upper).
/// Decodes the Python string escape whose letter is s[pos] (just after a backslash) into `out`
/// and moves `pos` past it: \n \t \r \a \b \f \v \\ \' \", a line continuation, \xHH,
/// \uHHHH, \UHHHHHHHH and octal \ooo; unknown escapes stay as written. Returns false for a
/// truncated or non-hex \x/\u/\U escape. `pos` must be < s.size().
bool DecodePyEscape(std::string_view s, std::size_t& pos, std::string& out);

using util::AsciiLower;  // ASCII-only case mapping, as Jinja's filters on bytes
using util::AsciiUpper;
bool IsPyWhitespace(unsigned char c);
std::string PyStrip(std::string_view s, const Value* chars, bool left, bool right);

}  // namespace airbyte::declarative
