#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airbyte::secrets {

/// One `KEY=value` binding of a dotenv file. `value` is nullopt for a bare `KEY`.
struct DotenvEntry {
  std::string key;
  std::optional<std::string> value;
};

/// Looks a variable up for `${VAR}` expansion (the process environment by default).
using DotenvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// Parses dotenv text as python-dotenv's dotenv_values() does: `export ` prefixes, '#'
/// comments (after whitespace in unquoted values), single-quoted literals (`\'`, `\\`),
/// double-quoted values with backslash escapes, quoted values spanning lines, and
/// `${VAR}` / `${VAR:-default}` expansion outside single quotes (earlier keys of the file
/// first, then `lookup`). A line it cannot parse is skipped, like python-dotenv.
std::vector<DotenvEntry> ParseDotenv(std::string_view text, const DotenvLookup& lookup = {});

}  // namespace airbyte::secrets
