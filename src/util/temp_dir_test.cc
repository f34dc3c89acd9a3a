#include "util/temp_dir.h"

#include <sys/stat.h>

#include <csignal>

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "airbyte/error.h"
#include "testutil/testutil.h"

namespace airbyte::util {
namespace {

using ::airbyte::testutil::ThrowsError;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Permission bits (rwx for user/group/other plus setuid/setgid/sticky) of `path`.
unsigned Mode(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Sets the process umask while alive.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t old_;
};

TEST(ScopedTempDirTest, CreatesPrivateDirectoryWithPrefix) {
  ScopedTempDir dir("airbyte-test-");
  ASSERT_TRUE(std::filesystem::is_directory(dir.path()));
  EXPECT_THAT(dir.path().filename().string(), StartsWith("airbyte-test-"));
  EXPECT_EQ(Mode(dir.path()), 0700u);
}

TEST(ScopedTempDirTest, DirectoryIsPrivateEvenWithPermissiveUmask) {
  ScopedUmask umask(0);
  ScopedTempDir dir;
  EXPECT_EQ(Mode(dir.path()), 0700u);
}

TEST(ScopedTempDirTest, EachInstanceGetsItsOwnDirectory) {
  ScopedTempDir a;
  ScopedTempDir b;
  EXPECT_NE(a.path(), b.path());
}

TEST(ScopedTempDirTest, WriteFileStoresContentInOwnerOnlyFile) {
  ScopedTempDir dir;
  const std::string content = std::string("{\"api_key\": \"k\"}\n") + '\0' + "\xff tail";
  const std::filesystem::path file = dir.WriteFile("config.json", content);
  EXPECT_EQ(file, dir.path() / "config.json");
  EXPECT_EQ(testutil::ReadText(file), content);
  EXPECT_EQ(Mode(file), 0600u);
}

TEST(ScopedTempDirTest, WriteFileIs0600WithPermissiveUmask) {
  ScopedUmask umask(0);
  ScopedTempDir dir;
  EXPECT_EQ(Mode(dir.WriteFile("config.json", "{}")), 0600u);
}

TEST(ScopedTempDirTest, WriteFileIs0600WithRestrictiveUmask) {
  // open(2) alone would give 0400 here; the owner must still be able to rewrite the file.
  ScopedUmask umask(0277);
  ScopedTempDir dir;
  EXPECT_EQ(Mode(dir.WriteFile("config.json", "{}")), 0600u);
}

TEST(ScopedTempDirTest, WriteFileAcceptsEmptyContent) {
  ScopedTempDir dir;
  const std::filesystem::path file = dir.WriteFile("state.json", "");
  EXPECT_EQ(std::filesystem::file_size(file), 0u);
}

TEST(ScopedTempDirTest, WriteFileRefusesToReplaceExistingFile) {
  ScopedTempDir dir;
  dir.WriteFile("config.json", "first");
  EXPECT_THAT([&] { dir.WriteFile("config.json", "second"); },
              ThrowsError(ErrorKind::kIo, HasSubstr((dir.path() / "config.json").string())));
  EXPECT_EQ(testutil::ReadText(dir.path() / "config.json"), "first");
}

TEST(ScopedTempDirTest, DestructorRemovesDirectoryAndContents) {
  std::filesystem::path path;
  {
    ScopedTempDir dir;
    path = dir.path();
    dir.WriteFile("config.json", "{}");
    std::filesystem::create_directories(path / "nested" / "deeper");
    testutil::WriteText(path / "nested" / "deeper" / "file.txt", "x");
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ScopedTempDirTest, RemoveDeletesNowAndLeavesAnEmptyPath) {
  ScopedTempDir dir;
  const std::filesystem::path path = dir.path();
  dir.WriteFile("config.json", "{}");
  dir.Remove();
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(dir.path().empty());
  dir.Remove();  // idempotent; the destructor runs it once more
}

TEST(ScopedTempDirTest, MoveTransfersOwnership) {
  std::filesystem::path path;
  {
    ScopedTempDir source;
    path = source.path();
    ScopedTempDir moved(std::move(source));
    EXPECT_EQ(moved.path(), path);
    EXPECT_TRUE(source.path().empty());  // NOLINT(bugprone-use-after-move)
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ScopedTempDirTest, MovedFromObjectDoesNotRemoveTheDirectory) {
  std::optional<ScopedTempDir> owner;
  std::filesystem::path path;
  {
    ScopedTempDir source;
    path = source.path();
    owner.emplace(std::move(source));
  }  // `source` is destroyed here
  EXPECT_TRUE(std::filesystem::is_directory(path));
  owner.reset();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ScopedTempDirTest, HonoursAirbyteTempDirAndCreatesIt) {
  ScopedTempDir scratch;
  const std::filesystem::path root = scratch.path() / "custom" / "root";
  testutil::ScopedEnv env("AIRBYTE_TEMP_DIR", root.string());
  EXPECT_EQ(TempRoot(), root);
  ScopedTempDir dir;
  EXPECT_EQ(dir.path().parent_path(), root);
  EXPECT_EQ(Mode(dir.path()), 0700u);
}

TEST(ScopedTempDirTest, UnsetOrEmptyAirbyteTempDirMeansSystemTempDir) {
  {
    testutil::ScopedEnv env("AIRBYTE_TEMP_DIR", std::nullopt);
    EXPECT_EQ(TempRoot(), std::filesystem::temp_directory_path());
    ScopedTempDir dir;
    EXPECT_EQ(dir.path().parent_path(), std::filesystem::temp_directory_path());
  }
  {
    testutil::ScopedEnv env("AIRBYTE_TEMP_DIR", "");
    EXPECT_EQ(TempRoot(), std::filesystem::temp_directory_path());
  }
}

TEST(ScopedTempDirTest, UnusableRootThrowsIoErrorNamingIt) {
  // A regular file cannot hold directories, even for root (the tests may run as root, where
  // permission bits would not stop mkdtemp).
  ScopedTempDir scratch;
  const std::filesystem::path file = testutil::WriteText(scratch.path() / "not-a-dir", "x");
  const std::filesystem::path root = file / "sub";
  testutil::ScopedEnv env("AIRBYTE_TEMP_DIR", root.string());
  EXPECT_THAT([] { ScopedTempDir dir; },
              ThrowsError(ErrorKind::kIo, AllOf(HasSubstr("'" + root.string() + "'"),
                                                HasSubstr("AIRBYTE_TEMP_DIR"))));
}

TEST(ScopedTempDirTest, WriteFileIntoRemovedDirectoryThrowsIoError) {
  ScopedTempDir dir;
  const std::filesystem::path path = dir.path();
  std::filesystem::remove_all(path);
  EXPECT_THAT([&] { dir.WriteFile("config.json", "{}"); },
              ThrowsError(ErrorKind::kIo, HasSubstr((path / "config.json").string())));
}

TEST(ScopedTempDirTest, RemoveLiveTempDirsDeletesFilesAndDirectories) {
  ScopedTempDir scratch;
  testutil::ScopedEnv env("AIRBYTE_TEMP_DIR", scratch.path().string());
  ScopedTempDir first;
  first.WriteFile("config.json", "{\"password\": \"x\"}");
  first.WriteFile("catalog.json", "{}");
  ScopedTempDir moved_from;
  moved_from.WriteFile("state.json", "[]");
  ScopedTempDir second(std::move(moved_from));  // the registry entry moves with it
  RemoveLiveTempDirs();
  EXPECT_FALSE(std::filesystem::exists(first.path()));
  EXPECT_FALSE(std::filesystem::exists(second.path()));
  EXPECT_TRUE(std::filesystem::is_empty(scratch.path()));
}

TEST(ScopedTempDirTest, RemovedDirectoriesAreForgotten) {
  ScopedTempDir scratch;
  testutil::ScopedEnv env("AIRBYTE_TEMP_DIR", scratch.path().string());
  std::filesystem::path old;
  {
    ScopedTempDir gone;
    gone.WriteFile("config.json", "{}");
    old = gone.path();
  }
  // Someone else's directory now at the old path must not be touched through a stale entry.
  testutil::WriteText(old / "config.json", "someone else's");
  RemoveLiveTempDirs();
  EXPECT_TRUE(std::filesystem::exists(old / "config.json"));
}

TEST(ScopedTempDirTest, FatalSignalRemovesLiveDirectoriesAndStillKills) {
  ScopedTempDir scratch;
  const std::string root = (scratch.path() / "root").string();
  const auto create_then_die = [&] {
    testutil::ScopedEnv env("AIRBYTE_TEMP_DIR", root);
    RemoveTempDirsOnFatalSignals();
    ScopedTempDir dir;
    dir.WriteFile("config.json", "{\"password\": \"signal-secret\"}");
    ::raise(SIGTERM);
  };
  EXPECT_EXIT(create_then_die(), ::testing::KilledBySignal(SIGTERM), "");
  ASSERT_TRUE(std::filesystem::is_directory(root)) << "the child created its temp dir there";
  EXPECT_TRUE(std::filesystem::is_empty(root));
}

}  // namespace
}  // namespace airbyte::util
