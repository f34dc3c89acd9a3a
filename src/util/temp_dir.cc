#include "util/temp_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include "airbyte/error.h"
#include "util/fd.h"

namespace airbyte::util {

std::filesystem::path TempRoot() {
  const char* dir = std::getenv("AIRBYTE_TEMP_DIR");
  if (dir != nullptr && *dir != '\0') return dir;
  return std::filesystem::temp_directory_path();
}

ScopedTempDir::ScopedTempDir(std::string_view prefix) {
  const std::filesystem::path root = TempRoot();
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  std::string templ = (root / (std::string(prefix) + "XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) {  // mkdtemp creates the directory 0700
    const int err = errno;
    throw Error(ErrorKind::kIo,
                "Cannot create a temporary directory in '" + root.string() + "': " +
                    std::strerror(err) + ".",
                {.guidance = "Make sure the directory exists and is writable, or point "
                             "AIRBYTE_TEMP_DIR at one that is."});
  }
  path_ = templ;
}

ScopedTempDir::ScopedTempDir(ScopedTempDir&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

ScopedTempDir::~ScopedTempDir() { Remove(); }

void ScopedTempDir::Remove() noexcept {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  path_.clear();
}

std::filesystem::path ScopedTempDir::WriteFile(std::string_view name,
                                               std::string_view content) const {
  std::filesystem::path file = path_ / std::string(name);
  Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  auto fail = [&](int err) {
    throw Error(ErrorKind::kIo,
                "Cannot write temporary file '" + file.string() + "': " + std::strerror(err) +
                    ".",
                {.guidance = "Check free disk space and permissions of the temp directory "
                             "(AIRBYTE_TEMP_DIR)."});
  };
  if (!fd.valid()) fail(errno);
  ::fchmod(fd.get(), 0600);  // regardless of umask
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd.get(), content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd.release()) != 0) fail(errno);
  return file;
}

}  // namespace airbyte::util
