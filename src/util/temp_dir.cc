#include "util/temp_dir.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include "airbyte/error.h"
#include "util/fd.h"

namespace airbyte::util {
namespace {

// A fixed table of live temp dirs that a signal handler may walk: no allocation, no locks,
// only lock-free atomics and plain char arrays. Directories beyond its capacity (or with
// very long paths) are simply not tracked; their destructors still remove them.
constexpr int kSlots = 64;
constexpr int kFilesPerSlot = 8;
constexpr std::size_t kDirMax = 1024;
constexpr std::size_t kNameMax = 256;
enum SlotState : int { kFree = 0, kBusy = 1, kLive = 2 };

struct Slot {
  std::atomic<int> state{kFree};
  std::atomic<int> files{0};
  char dir[kDirMax];
  char names[kFilesPerSlot][kNameMax];
};
Slot g_slots[kSlots];

int TrackDir(const std::string& dir) {
  if (dir.size() >= kDirMax) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (g_slots[i].state.compare_exchange_strong(expected, kBusy)) {
      std::memcpy(g_slots[i].dir, dir.c_str(), dir.size() + 1);
      g_slots[i].files.store(0);
      g_slots[i].state.store(kLive);
      return i;
    }
  }
  return -1;
}

void TrackFile(int slot, const std::string& name) {
  if (slot < 0 || name.size() >= kNameMax) return;
  const int n = g_slots[slot].files.load();
  if (n >= kFilesPerSlot) return;
  std::memcpy(g_slots[slot].names[n], name.c_str(), name.size() + 1);
  g_slots[slot].files.store(n + 1);  // published after the name is complete
}

void UntrackDir(int slot) {
  if (slot < 0) return;
  g_slots[slot].state.store(kBusy);
  g_slots[slot].files.store(0);
  g_slots[slot].state.store(kFree);
}

void OnFatalSignal(int sig) {
  RemoveLiveTempDirs();
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(sig, &dfl, nullptr);
  ::raise(sig);  // delivered with the default action once this handler returns
}

}  // namespace

void RemoveLiveTempDirs() noexcept {
  char path[kDirMax + 1 + kNameMax];
  for (Slot& slot : g_slots) {
    if (slot.state.load() != kLive) continue;
    const std::size_t dir_length = std::strlen(slot.dir);
    const int files = slot.files.load();
    for (int k = 0; k < files; ++k) {
      std::memcpy(path, slot.dir, dir_length);
      path[dir_length] = '/';
      std::memcpy(path + dir_length + 1, slot.names[k], std::strlen(slot.names[k]) + 1);
      ::unlink(path);
    }
    ::rmdir(slot.dir);
  }
}

void RemoveTempDirsOnFatalSignals() {
  struct sigaction action {};
  action.sa_handler = &OnFatalSignal;
  ::sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &action, nullptr);
}

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
  slot_ = TrackDir(path_.string());
}

ScopedTempDir::ScopedTempDir(ScopedTempDir&& other) noexcept
    : path_(std::move(other.path_)), slot_(std::exchange(other.slot_, -1)) {
  other.path_.clear();
}

ScopedTempDir::~ScopedTempDir() { Remove(); }

void ScopedTempDir::Remove() noexcept {
  if (path_.empty()) return;
  UntrackDir(std::exchange(slot_, -1));
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
  TrackFile(slot_, std::string(name));
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
