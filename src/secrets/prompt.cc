#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <mutex>

#include "airbyte/secrets.h"
#include "secrets/terminal.h"
#include "util/fd.h"

namespace airbyte::secrets {
namespace {

// Turns echo off on a terminal for its lifetime.
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ICANON;
    active_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

bool WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

bool IsInteractive() {
  if (std::getenv("CI") != nullptr) return false;
  return ::isatty(STDIN_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 1;
}

std::optional<std::string> ReadHiddenLine(std::string_view prompt) {
  // One question at a time: concurrent lookups would interleave prompts and answers.
  static std::mutex terminal_mu;
  std::lock_guard lock(terminal_mu);
  // /dev/tty, as getpass: the prompt reaches the user even when stdout is redirected.
  util::Fd tty(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (tty.get() < 0) return std::nullopt;
  std::string line;
  {
    EchoOff echo_off(tty.get());
    if (!WriteAll(tty.get(), prompt)) return std::nullopt;
    char c = 0;
    while (true) {
      const ssize_t n = ::read(tty.get(), &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return std::nullopt;
      if (n == 0 || c == '\n') break;
      line += c;
    }
  }
  WriteAll(tty.get(), "\n");  // the user's Enter was not echoed
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace airbyte::secrets

namespace airbyte {

std::optional<SecretString> PromptSecretManager::GetSecret(std::string_view secret_name) {
  std::optional<std::string> value =
      secrets::ReadHiddenLine("Enter the value for secret '" + std::string(secret_name) + "': ");
  if (!value) return std::nullopt;
  return SecretString(std::move(*value));
}

}  // namespace airbyte
