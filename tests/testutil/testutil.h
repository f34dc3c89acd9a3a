#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "airbyte/error.h"

namespace airbyte::testutil {

/// Matches a callable that throws airbyte::Error of `kind` whose Render() matches `text`.
/// EXPECT_THAT([&] { source.Check(); }, ThrowsError(ErrorKind::kCheckFailed, HasSubstr("x")));
MATCHER_P2(ThrowsError, kind, text_matcher, "throws airbyte::Error of the given kind") {
  try {
    arg();
  } catch (const airbyte::Error& e) {
    if (e.kind() != kind) {
      *result_listener << "threw kind " << static_cast<int>(e.kind()) << " (" << e.class_name()
                       << "): " << e.Render();
      return false;
    }
    return ::testing::ExplainMatchResult(text_matcher, e.Render(), result_listener);
  } catch (const std::exception& e) {
    *result_listener << "threw a non-airbyte exception: " << e.what();
    return false;
  }
  *result_listener << "did not throw";
  return false;
}

/// The project's ../shared folder (reference docs and specs), or nullopt when absent.
/// Under CI (CI=true) a missing ../shared is a test failure, not a skip: use
/// AIRBYTE_REQUIRE_SHARED() at the start of a test that needs it.
std::optional<std::filesystem::path> SharedDir();

#define AIRBYTE_REQUIRE_SHARED(var)                                                   \
  std::filesystem::path var;                                                          \
  if (auto shared_dir_ = ::airbyte::testutil::SharedDir()) {                          \
    var = *shared_dir_;                                                               \
  } else if (::airbyte::testutil::InCi()) {                                           \
    FAIL() << "../shared is missing (required under CI)";                             \
  } else {                                                                            \
    GTEST_SKIP() << "../shared not found beside the checkout";                        \
  }

bool InCi();

/// Path of the scriptable fake connector (tests/testutil/fake_connector.cc).
std::filesystem::path FakeConnectorPath();
/// Path of the built `airbyte` CLI.
std::filesystem::path CliPath();

/// Sets an environment variable for the lifetime of the object, restoring the old value.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

/// Writes `content` to `path` (creating parent dirs). Returns path.
std::filesystem::path WriteText(const std::filesystem::path& path, const std::string& content);
std::string ReadText(const std::filesystem::path& path);

/// Result of running a command to completion.
struct CommandResult {
  int exit_code = 0;
  std::string out;
  std::string err;
};
/// Runs argv (no shell) with extra env entries and returns exit code, stdout and stderr.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& extra_env = {});

/// Reads from `fd` (a pipe or a pseudo-terminal's master side) until `until` appears (empty:
/// until EOF, or EIO once the other side closed the terminal) or 10 s pass; returns the text.
std::string ReadFdUntil(int fd, std::string_view until);

/// The lines of `text` (split at '\n'; a final newline adds no empty line).
std::vector<std::string> Lines(const std::string& text);

/// Number of open file descriptors of this process (for leak checks).
int CountOpenFds();
/// Entries of a directory (names), empty if it does not exist.
std::vector<std::string> ListDir(const std::filesystem::path& dir);

}  // namespace airbyte::testutil
