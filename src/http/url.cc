#include "http/url.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "airbyte/error.h"

namespace airbyte::http {
namespace {

// The scheme lists of CPython 3.11's urllib.parse.
constexpr std::array<std::string_view, 20> kUsesRelative = {
    "",      "ftp",     "http",  "gopher", "nntp",  "imap",  "wais", "file", "https", "shttp",
    "mms",   "prospero", "rtsp", "rtsps",  "rtspu", "sftp",  "svn",  "svn+ssh", "ws", "wss"};
constexpr std::array<std::string_view, 26> kUsesNetloc = {
    "",     "ftp",  "http",  "gopher", "nntp",  "telnet",   "imap",  "wais",  "file",
    "mms",  "https", "shttp", "snews", "prospero", "rtsp",  "rtsps", "rtspu", "rsync",
    "svn",  "svn+ssh", "sftp", "nfs",  "git",    "git+ssh", "ws",    "wss"};
constexpr std::array<std::string_view, 16> kUsesParams = {
    "",      "ftp",   "hdl",  "prospero", "http", "imap", "https", "shttp",
    "rtsp",  "rtsps", "rtspu", "sip",     "sips", "mms",  "sftp",  "tel"};

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view scheme) {
  return std::find(list.begin(), list.end(), scheme) != list.end();
}

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || (c >= '0' && c <= '9'); }
bool IsSchemeChar(char c) { return IsAsciiAlnum(c) || c == '+' || c == '-' || c == '.'; }
// Python's quote() never encodes these ("always safe").
bool IsUnreserved(char c) { return IsAsciiAlnum(c) || c == '_' || c == '.' || c == '-' || c == '~'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendEscape(unsigned char byte, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[byte >> 4];
  out += kHex[byte & 0xF];
}

// urllib.parse.quote(text, safe): bytes outside always-safe and `safe` become %XX.
std::string Quote(std::string_view text, std::string_view safe) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsUnreserved(c) || safe.find(c) != std::string_view::npos) {
      out += c;
    } else {
      AppendEscape(static_cast<unsigned char>(c), out);
    }
  }
  return out;
}

// urllib.parse.quote_plus(text, safe='').
std::string QuotePlus(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ') {
      out += '+';
    } else if (IsUnreserved(c)) {
      out += c;
    } else {
      AppendEscape(static_cast<unsigned char>(c), out);
    }
  }
  return out;
}

// urllib.parse.urlsplit result (CPython 3.11).
struct SplitResult {
  std::string scheme;
  std::string netloc;
  std::string path;
  std::string query;
  std::string fragment;
  bool has_netloc = false;  // "//" was present (netloc may still be empty)
};

constexpr std::string_view kC0ControlOrSpace =
    "\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
    "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ";

SplitResult UrlSplit(std::string_view input, std::string_view default_scheme) {
  std::string url(input);
  // lstrip of C0 controls and space (NUL included, which the literal above cannot hold).
  std::size_t start = 0;
  while (start < url.size() &&
         (url[start] == '\0' || kC0ControlOrSpace.find(url[start]) != std::string_view::npos)) {
    ++start;
  }
  url.erase(0, start);
  std::erase_if(url, [](char c) { return c == '\t' || c == '\r' || c == '\n'; });

  SplitResult result;
  result.scheme = std::string(default_scheme);
  const std::size_t colon = url.find(':');
  if (colon != std::string::npos && colon > 0 && IsAsciiAlpha(url[0]) &&
      std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(colon), IsSchemeChar)) {
    result.scheme = url.substr(0, colon);
    for (char& c : result.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    url.erase(0, colon + 1);
  }
  if (url.compare(0, 2, "//") == 0) {
    std::size_t end = url.find_first_of("/?#", 2);
    if (end == std::string::npos) end = url.size();
    result.netloc = url.substr(2, end - 2);
    result.has_netloc = true;
    url.erase(0, end);
    const bool open = result.netloc.find('[') != std::string::npos;
    const bool close = result.netloc.find(']') != std::string::npos;
    if (open != close) {
      throw Error(ErrorKind::kInput, "Invalid IPv6 URL.", {.context = {{"url", std::string(input)}}});
    }
  }
  if (const std::size_t hash = url.find('#'); hash != std::string::npos) {
    result.fragment = url.substr(hash + 1);
    url.resize(hash);
  }
  if (const std::size_t question = url.find('?'); question != std::string::npos) {
    result.query = url.substr(question + 1);
    url.resize(question);
  }
  result.path = std::move(url);
  return result;
}

// urlparse's params split (";params" of the last path segment).
std::pair<std::string, std::string> SplitParams(const std::string& path) {
  std::size_t i;
  if (const std::size_t slash = path.rfind('/'); slash != std::string::npos) {
    i = path.find(';', slash);
    if (i == std::string::npos) return {path, ""};
  } else {
    i = path.find(';');
  }
  return {path.substr(0, i), path.substr(i + 1)};
}

struct ParseResult {
  std::string scheme, netloc, path, params, query, fragment;
};

ParseResult UrlParse(std::string_view url, std::string_view default_scheme) {
  SplitResult split = UrlSplit(url, default_scheme);
  ParseResult result{std::move(split.scheme), std::move(split.netloc), std::move(split.path), "",
                     std::move(split.query), std::move(split.fragment)};
  if (Contains(kUsesParams, result.scheme) && result.path.find(';') != std::string::npos) {
    auto [path, params] = SplitParams(result.path);
    result.path = std::move(path);
    result.params = std::move(params);
  }
  return result;
}

std::string UrlUnsplit(const std::string& scheme, const std::string& netloc, std::string path,
                       const std::string& query, const std::string& fragment) {
  if (!netloc.empty() ||
      (!scheme.empty() && Contains(kUsesNetloc, scheme) && path.compare(0, 2, "//") != 0)) {
    if (!path.empty() && path[0] != '/') path.insert(0, "/");
    path = "//" + netloc + path;
  }
  if (!scheme.empty()) path = scheme + ":" + path;
  if (!query.empty()) path += "?" + query;
  if (!fragment.empty()) path += "#" + fragment;
  return path;
}

std::string UrlUnparse(const ParseResult& p) {
  std::string path = p.path;
  if (!p.params.empty()) path += ";" + p.params;
  return UrlUnsplit(p.scheme, p.netloc, std::move(path), p.query, p.fragment);
}

std::vector<std::string> SplitOn(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find(separator, begin);
    if (end == std::string_view::npos) {
      parts.emplace_back(text.substr(begin));
      return parts;
    }
    parts.emplace_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
}

std::string JoinOn(const std::vector<std::string>& parts, char separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// urllib3's _remove_path_dot_segments (requests parses URLs with urllib3's parse_url).
std::string RemoveDotSegments(const std::string& path) {
  std::vector<std::string> output;
  for (std::string& segment : SplitOn(path, '/')) {
    if (segment == ".") continue;
    if (segment != "..") {
      output.push_back(std::move(segment));
    } else if (!output.empty()) {
      output.pop_back();
    }
  }
  if (!path.empty() && path[0] == '/' && (output.empty() || !output.front().empty())) {
    output.insert(output.begin(), "");
  }
  if (path.ends_with("/.") || path.ends_with("/..")) output.emplace_back();
  return JoinOn(output, '/');
}

// urllib3's _encode_invalid_chars: %xx escapes upper-cased; if every '%' starts a valid
// escape they are kept, else every '%' becomes %25; bytes outside `allowed` become %XX.
std::string EncodeInvalidChars(std::string_view component, std::string_view allowed) {
  std::string normalized(component);
  std::size_t escapes = 0;
  for (std::size_t i = 0; i + 2 < normalized.size(); ++i) {
    if (normalized[i] == '%' && HexValue(normalized[i + 1]) >= 0 &&
        HexValue(normalized[i + 2]) >= 0) {
      normalized[i + 1] = static_cast<char>(std::toupper(static_cast<unsigned char>(normalized[i + 1])));
      normalized[i + 2] = static_cast<char>(std::toupper(static_cast<unsigned char>(normalized[i + 2])));
      ++escapes;
      i += 2;
    }
  }
  const bool all_escapes_valid =
      escapes == static_cast<std::size_t>(std::count(normalized.begin(), normalized.end(), '%'));
  std::string out;
  for (char c : normalized) {
    if ((all_escapes_valid && c == '%') || IsUnreserved(c) ||
        (static_cast<unsigned char>(c) < 128 && allowed.find(c) != std::string_view::npos)) {
      out += c;
    } else {
      AppendEscape(static_cast<unsigned char>(c), out);
    }
  }
  return out;
}

constexpr std::string_view kPathChars = "!$&'()*+,;=:@/";
constexpr std::string_view kQueryChars = "!$&'()*+,;=:@/?";

// requests.utils.unquote_unreserved; nullopt where requests raises InvalidURL.
std::optional<std::string> UnquoteUnreserved(std::string_view uri) {
  std::vector<std::string> parts = SplitOn(uri, '%');
  for (std::size_t i = 1; i < parts.size(); ++i) {
    std::string& part = parts[i];
    if (part.size() >= 2 && IsAsciiAlnum(part[0]) && IsAsciiAlnum(part[1])) {
      const int high = HexValue(part[0]);
      const int low = HexValue(part[1]);
      if (high < 0 || low < 0) return std::nullopt;
      const char c = static_cast<char>(high * 16 + low);
      if (IsAsciiAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        part = c + part.substr(2);
        continue;
      }
    }
    part.insert(0, "%");
  }
  std::string out;
  for (const std::string& part : parts) out += part;
  return out;
}

// requests.utils.requote_uri.
std::string RequoteUri(std::string_view uri) {
  if (std::optional<std::string> unquoted = UnquoteUnreserved(uri)) {
    return Quote(*unquoted, "!#$%&'()*+,/:;=?@[]~");
  }
  return Quote(uri, "!#$&'()*+,/:;=?@[]~");
}

}  // namespace

std::string JoinUrl(std::string_view base, std::string_view ref) {
  if (base.empty()) return std::string(ref);
  if (ref.empty()) return std::string(base);
  const ParseResult b = UrlParse(base, "");
  ParseResult r = UrlParse(ref, b.scheme);
  if (r.scheme != b.scheme || !Contains(kUsesRelative, r.scheme)) return std::string(ref);
  if (Contains(kUsesNetloc, r.scheme)) {
    if (!r.netloc.empty()) return UrlUnparse(r);
    r.netloc = b.netloc;
  }
  if (r.path.empty() && r.params.empty()) {
    r.path = b.path;
    r.params = b.params;
    if (r.query.empty()) r.query = b.query;
    return UrlUnparse(r);
  }

  std::vector<std::string> base_parts = SplitOn(b.path, '/');
  if (!base_parts.back().empty()) base_parts.pop_back();
  std::vector<std::string> segments;
  if (r.path.compare(0, 1, "/") == 0) {
    segments = SplitOn(r.path, '/');
  } else {
    segments = std::move(base_parts);
    for (std::string& s : SplitOn(r.path, '/')) segments.push_back(std::move(s));
    // Drop empty inner segments (they would make redundant slashes).
    if (segments.size() > 2) {
      std::vector<std::string> filtered{segments.front()};
      for (std::size_t i = 1; i + 1 < segments.size(); ++i) {
        if (!segments[i].empty()) filtered.push_back(std::move(segments[i]));
      }
      filtered.push_back(std::move(segments.back()));
      segments = std::move(filtered);
    }
  }
  std::vector<std::string> resolved;
  for (const std::string& segment : segments) {
    if (segment == "..") {
      if (!resolved.empty()) resolved.pop_back();
    } else if (segment != ".") {
      resolved.push_back(segment);
    }
  }
  if (segments.back() == "." || segments.back() == "..") resolved.emplace_back();
  r.path = JoinOn(resolved, '/');
  if (r.path.empty()) r.path = "/";
  return UrlUnparse(r);
}

std::string EncodeForm(const QueryItems& items) {
  std::string out;
  for (const auto& [name, value] : items) {
    if (!out.empty()) out += '&';
    out += QuotePlus(name);
    out += '=';
    out += QuotePlus(value);
  }
  return out;
}

std::string AddQuery(std::string_view url, const QueryItems& items) {
  SplitResult split = UrlSplit(url, "");
  // What urllib3's parse_url normalizes for http(s) before requests rebuilds the URL.
  std::string netloc = split.netloc;
  const std::size_t at = netloc.rfind('@');
  for (std::size_t i = at == std::string::npos ? 0 : at + 1; i < netloc.size(); ++i) {
    netloc[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(netloc[i])));
  }
  std::string path = EncodeInvalidChars(RemoveDotSegments(split.path), kPathChars);
  if (path.empty()) path = "/";
  std::string query = EncodeInvalidChars(split.query, kQueryChars);
  const std::string encoded = EncodeForm(items);
  if (!encoded.empty()) query = query.empty() ? encoded : query + "&" + encoded;
  // The fragment is never sent, so it is dropped here.
  return RequoteUri(UrlUnsplit(split.scheme, netloc, std::move(path), query, ""));
}

std::optional<UrlParts> SplitUrl(std::string_view url) {
  SplitResult split = UrlSplit(url, "");
  if (split.scheme.empty() || !split.has_netloc || split.netloc.empty()) return std::nullopt;
  std::string host = split.netloc;
  if (const std::size_t at = host.rfind('@'); at != std::string::npos) host.erase(0, at + 1);
  return UrlParts{.scheme = std::move(split.scheme),
                  .host = std::move(host),
                  .path = std::move(split.path),
                  .query = std::move(split.query)};
}

QueryItems DecodeForm(std::string_view query) {
  QueryItems items;
  for (std::string& field : SplitOn(query, '&')) {
    if (field.empty()) continue;
    std::string name = field;
    std::string value;
    if (const std::size_t eq = field.find('='); eq != std::string::npos) {
      name = field.substr(0, eq);
      value = field.substr(eq + 1);
    }
    std::replace(name.begin(), name.end(), '+', ' ');
    std::replace(value.begin(), value.end(), '+', ' ');
    items.emplace_back(PercentDecode(name), PercentDecode(value));
  }
  return items;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace airbyte::http
