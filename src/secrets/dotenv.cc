#include "secrets/dotenv.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "airbyte/secrets.h"

namespace airbyte::secrets {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

// A cursor over the file text; each Parse* consumes what it recognises.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void SkipBlanks() {
    while (!AtEnd() && IsBlank(text_[pos_])) ++pos_;
  }
  bool Consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  // "export " before a key (a key merely starting with "export" stays whole).
  void ConsumeExport() {
    if (text_.substr(pos_, 6) == "export" && pos_ + 6 < text_.size() &&
        IsBlank(text_[pos_ + 6])) {
      pos_ += 6;
      SkipBlanks();
    }
  }
  void SkipToNextLine() {
    while (!AtEnd() && text_[pos_] != '\n') ++pos_;
    if (!AtEnd()) ++pos_;
  }
  // The text up to (not including) the end of the line.
  std::string_view RestOfLine() {
    const std::size_t start = pos_;
    while (!AtEnd() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
    return text_.substr(start, pos_ - start);
  }
  // The body of a quoted value (may span lines), raw, without the quotes; nullopt when the
  // closing quote is missing. A backslash escapes the quote character.
  std::optional<std::string_view> Quoted(char quote) {
    const std::size_t start = ++pos_;
    while (!AtEnd()) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
        pos_ += 2;
      } else if (text_[pos_] == quote) {
        return text_.substr(start, pos_++ - start);
      } else {
        ++pos_;
      }
    }
    return std::nullopt;
  }
  std::string_view Key() {
    const std::size_t start = pos_;
    while (!AtEnd() && text_[pos_] != '=' && text_[pos_] != '#' && !IsBlank(text_[pos_]) &&
           text_[pos_] != '\n' && text_[pos_] != '\r') {
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }
  // After a value: blanks, an optional comment, then the end of the line.
  bool EndOfBinding() {
    SkipBlanks();
    if (Peek() == '#') RestOfLine();
    Consume("\r");
    return AtEnd() || Consume("\n");
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::string DecodeSingleQuoted(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() && (raw[i + 1] == '\\' || raw[i + 1] == '\'')) ++i;
    out += raw[i];
  }
  return out;
}

std::string DecodeDoubleQuoted(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 >= raw.size()) {
      out += raw[i];
      continue;
    }
    const char next = raw[i + 1];
    char decoded = '\0';
    switch (next) {
      case '\\': decoded = '\\'; break;
      case '\'': decoded = '\''; break;
      case '"': decoded = '"'; break;
      case 'a': decoded = '\a'; break;
      case 'b': decoded = '\b'; break;
      case 'f': decoded = '\f'; break;
      case 'n': decoded = '\n'; break;
      case 'r': decoded = '\r'; break;
      case 't': decoded = '\t'; break;
      case 'v': decoded = '\v'; break;
      default: break;
    }
    if (decoded == '\0') {
      out += raw[i];  // not an escape python-dotenv knows: the backslash stays
    } else {
      out += decoded;
      ++i;
    }
  }
  return out;
}

// Unquoted values end at a '#' that follows whitespace; trailing whitespace is dropped. As in
// python-dotenv, a value that starts with '#' (`KEY= #x`: the blanks after '=' are skipped
// first) is kept.
std::string UnquotedValue(std::string_view line) {
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '#' && IsBlank(line[i - 1])) {
      line = line.substr(0, i);
      break;
    }
  }
  while (!line.empty() && IsBlank(line.back())) line.remove_suffix(1);
  return std::string(line);
}

// `${NAME}` and `${NAME:-default}`, looked up in `known` (the file so far) then `lookup`.
std::string Expand(std::string_view value, const std::map<std::string, std::string>& known,
                   const DotenvLookup& lookup) {
  std::string out;
  std::size_t i = 0;
  while (i < value.size()) {
    const std::size_t close = value.find('}', i);
    if (value.substr(i, 2) != "${" || close == std::string_view::npos) {
      out += value[i++];
      continue;
    }
    std::string_view inner = value.substr(i + 2, close - i - 2);
    std::string_view fallback;
    if (const std::size_t sep = inner.find(":-"); sep != std::string_view::npos) {
      fallback = inner.substr(sep + 2);
      inner = inner.substr(0, sep);
    }
    const std::string name(inner);
    std::optional<std::string> found;
    if (auto it = known.find(name); it != known.end()) {
      found = it->second;
    } else if (lookup) {
      found = lookup(name);
    }
    out += found && !found->empty() ? *found : std::string(fallback);
    i = close + 1;
  }
  return out;
}

std::optional<std::string> FromEnvironment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

}  // namespace

std::vector<DotenvEntry> ParseDotenv(std::string_view text, const DotenvLookup& lookup) {
  std::vector<DotenvEntry> entries;
  std::map<std::string, std::string> known;
  Scanner in(text);
  while (!in.AtEnd()) {
    in.SkipBlanks();
    if (in.Consume("\n") || in.Consume("\r\n")) continue;
    if (in.Peek() == '#') {
      in.SkipToNextLine();
      continue;
    }
    in.ConsumeExport();
    std::string key;
    if (in.Peek() == '\'') {
      std::optional<std::string_view> quoted = in.Quoted('\'');
      if (!quoted) break;
      key = DecodeSingleQuoted(*quoted);
    } else {
      key = std::string(in.Key());
    }
    in.SkipBlanks();
    if (key.empty() || !(in.Peek() == '=' || in.Peek() == '\n' || in.Peek() == '\r' ||
                         in.Peek() == '#' || in.AtEnd())) {
      in.SkipToNextLine();  // not a binding: skipped, as python-dotenv does
      continue;
    }
    if (!in.Consume("=")) {
      entries.push_back({key, std::nullopt});
      in.EndOfBinding();
      continue;
    }
    in.SkipBlanks();
    std::string value;
    const char quote = in.Peek();
    if (quote == '\'' || quote == '"') {
      std::optional<std::string_view> raw = in.Quoted(quote);
      if (!raw) break;  // unterminated quote: the rest of the file is one broken statement
      value = quote == '\'' ? DecodeSingleQuoted(*raw) : Expand(DecodeDoubleQuoted(*raw), known,
                                                                lookup);
      if (!in.EndOfBinding()) {
        in.SkipToNextLine();
        continue;
      }
    } else {
      value = Expand(UnquotedValue(in.RestOfLine()), known, lookup);
      in.EndOfBinding();
    }
    known[key] = value;
    entries.push_back({std::move(key), std::move(value)});
  }
  return entries;
}

}  // namespace airbyte::secrets

namespace airbyte {

DotenvSecretManager::DotenvSecretManager(std::optional<std::filesystem::path> path)
    : path_(std::move(path)) {}

std::string DotenvSecretManager::name() const {
  return path_ ? "dotenv:" + path_->string() : "dotenv";
}

std::optional<std::filesystem::path> DotenvSecretManager::ResolvePath() const {
  if (path_) return path_;
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::current_path(ec);
  if (ec) return std::nullopt;
  while (true) {
    std::filesystem::path candidate = dir / ".env";
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

namespace {

std::optional<std::vector<secrets::DotenvEntry>> ReadDotenv(
    const std::optional<std::filesystem::path>& path) {
  if (!path) return std::nullopt;
  std::ifstream in(*path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return secrets::ParseDotenv(text.str(), &secrets::FromEnvironment);
}

}  // namespace

std::optional<SecretString> DotenvSecretManager::GetSecret(std::string_view secret_name) {
  std::optional<std::vector<secrets::DotenvEntry>> entries = ReadDotenv(ResolvePath());
  if (!entries) return std::nullopt;
  std::optional<SecretString> found;
  for (const secrets::DotenvEntry& entry : *entries) {  // the last binding of a key wins
    if (entry.key == secret_name) {
      found = entry.value ? std::optional<SecretString>(SecretString(*entry.value)) : std::nullopt;
    }
  }
  return found;
}

std::vector<std::string> DotenvSecretManager::ListSecretNames() const {
  std::vector<std::string> names;
  if (auto entries = ReadDotenv(ResolvePath())) {
    for (const secrets::DotenvEntry& entry : *entries) names.push_back(entry.key);
  }
  return names;
}

}  // namespace airbyte
