#pragma once

/// URL building with the rules of Python's `requests` and `urllib.parse`, so declarative
/// connectors send byte-for-byte the requests the Python CDK sends.
///
/// Example:
///   std::string url = http::JoinUrl("https://x/api/v1/", "users");   // https://x/api/v1/users
///   url = http::AddQuery(url, {{"page", "2"}, {"q", "a b"}});        // ...users?page=2&q=a+b

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace airbyte::http {

/// An ordered list of name/value pairs (query strings, form bodies); names may repeat.
using QueryItems = std::vector<std::pair<std::string, std::string>>;

/// urllib.parse.urljoin(base, ref) (RFC 3986 reference resolution as Python implements it).
std::string JoinUrl(std::string_view base, std::string_view ref);

/// urllib.parse.urlencode(items) with quote_plus: space -> '+', unreserved and "_.-~" kept,
/// everything else %XX (UTF-8 bytes).
std::string EncodeForm(const QueryItems& items);

/// What requests' PreparedRequest.prepare_url does with `params`: the encoded items are
/// appended to the URL's existing query (with '&'), the URL is re-quoted (requote_uri:
/// characters outside the allowed set are percent-encoded, existing %XX escapes kept), and a
/// fragment is dropped.
std::string AddQuery(std::string_view url, const QueryItems& items);

/// The parts of an absolute URL.
struct UrlParts {
  std::string scheme;
  std::string host;  // with :port when present
  std::string path;  // percent-encoded as given
  std::string query;  // without '?'
};
std::optional<UrlParts> SplitUrl(std::string_view url);

/// application/x-www-form-urlencoded decoding ('+' is a space, %XX decoded, blank values
/// kept), in order.
QueryItems DecodeForm(std::string_view query);

/// Percent-decodes (no '+' rule).
std::string PercentDecode(std::string_view text);

}  // namespace airbyte::http
