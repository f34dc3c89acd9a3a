#include "testutil/postgres_server.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "testutil/testutil.h"

namespace airbyte::testutil {

std::string PostgresUrl() {
  static const std::string url = [] {
    if (const char* dsn = std::getenv("AIRBYTE_TEST_PG_DSN"); dsn != nullptr && *dsn != '\0') {
      return std::string(dsn);
    }
    const std::filesystem::path script =
        std::filesystem::path(AIRBYTE_SOURCE_DIR) / "scripts/pg_test_server";
    const CommandResult result = RunCommand({script.string(), "start", AIRBYTE_TEST_PG_DIR});
    std::string out = result.out;
    while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
    if (result.exit_code != 0 || !out.starts_with("postgresql://")) {
      throw std::runtime_error("could not start the test PostgreSQL server: " + result.err + out);
    }
    return out;
  }();
  return url;
}

std::string PostgresCacheUrl(std::string_view schema, std::string_view table_prefix) {
  std::string url = PostgresUrl();
  url += url.find('?') == std::string::npos ? "?" : "&";
  url += "schema=" + std::string(schema);
  if (!table_prefix.empty()) url += "&table_prefix=" + std::string(table_prefix);
  return url;
}

std::string Psql(std::string_view sql) {
  const CommandResult result = RunCommand(
      {"psql", PostgresUrl(), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", std::string(sql)});
  if (result.exit_code != 0) throw std::runtime_error("psql failed: " + result.err);
  return result.out;
}

std::string FreshPostgresSchema(std::string_view suffix) {
  const std::string name = FreshPostgresSchemaName(suffix);
  Psql("DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
  return name;
}

std::string FreshPostgresSchemaName(std::string_view suffix) {
  std::string name = "t";
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
    name += "_" + std::string(info->test_suite_name()) + "_" + info->name();
  }
  if (!suffix.empty()) name += "_" + std::string(suffix);
  for (char& c : name) {
    c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  }
  if (name.size() > 63) {
    name = name.substr(0, 50) + "_" + std::to_string(std::hash<std::string>{}(name) % 1000000000000ULL);
  }
  return name;
}

}  // namespace airbyte::testutil
