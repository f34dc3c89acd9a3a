// ParsePostgresUrl (declared in pg_connection.h).

#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "airbyte/error.h"
#include <nlohmann/json.hpp>

#include "caches/postgres/pg_connection.h"

namespace airbyte::caches {
namespace {

[[noreturn]] void BadUrl(const std::string& problem) {
  throw Error(ErrorKind::kInput, "Invalid Postgres URL: " + problem + ".",
              {.guidance = "Use postgresql://user:password@host:port/database"
                           "[?schema=name&table_prefix=p]; percent-encode special characters "
                           "in the user name and password (@ is %40, : is %3A, / is %2F)."});
}

std::string Decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size()) BadUrl("a '%' escape is cut short");
    const auto [end, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (ec != std::errc() || end != text.data() + i + 3) BadUrl("a '%' escape is not two hex digits");
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

}  // namespace

PgConnectParams ParsePostgresUrl(std::string_view url,
                                 std::vector<std::pair<std::string, std::string>>* cache_options) {
  std::string_view rest;
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (url.starts_with(scheme)) rest = url.substr(scheme.size());
  }
  if (rest.data() == nullptr) BadUrl("it must start with postgresql:// or postgres://");

  PgConnectParams params;
  std::string_view query;
  if (const std::size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view authority = rest;
  if (const std::size_t slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    params.database = Decode(rest.substr(slash + 1));
  }
  // The password may contain '@' only percent-encoded; the last '@' ends the user info.
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view user_info = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const std::size_t colon = user_info.find(':');
    params.username = Decode(user_info.substr(0, colon));
    if (colon != std::string_view::npos) {
      RegisterSecret(user_info.substr(colon + 1));  // as written, percent-escapes and all
      params.password = Decode(user_info.substr(colon + 1));
    }
  }
  std::string_view port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) BadUrl("an IPv6 host lacks its closing ']'");
    params.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (after.starts_with(':')) port = after.substr(1);
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    params.host = Decode(authority.substr(0, colon));
    port = authority.substr(colon + 1);
  } else {
    params.host = Decode(authority);
  }
  if (!port.empty()) {
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), params.port);
    if (ec != std::errc() || end != port.data() + port.size() || params.port <= 0 ||
        params.port > 65535) {
      BadUrl("the port '" + std::string(port) + "' is not a number from 1 to 65535");
    }
  }
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) BadUrl("the query parameter '" + std::string(pair) + "' has no value");
    std::string key = Decode(pair.substr(0, eq));
    std::string value = Decode(pair.substr(eq + 1));
    if (key == "schema" || key == "schema_name" || key == "table_prefix") {
      if (cache_options != nullptr) cache_options->emplace_back(key == "schema" ? "schema_name" : key, value);
    } else if (key == "password") {
      RegisterSecret(pair.substr(eq + 1));
      params.password = std::move(value);
    } else if (key == "user") {
      params.username = std::move(value);
    } else if (key == "host") {
      params.host = std::move(value);
    } else if (key == "dbname") {
      params.database = std::move(value);
    } else {
      params.options.emplace_back(std::move(key), std::move(value));
    }
  }
  if (params.database.empty()) BadUrl("it names no database (postgresql://.../database)");
  RegisterSecret(params.password);
  return params;
}

}  // namespace airbyte::caches
