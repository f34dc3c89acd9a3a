#include "util/uuid.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace airbyte::util {

std::string NewUuidV7(std::int64_t unix_ms) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t random_a = rng();
  const std::uint64_t random_b = rng();
  const auto ms = static_cast<std::uint64_t>(unix_ms) & 0xFFFFFFFFFFFFull;
  const std::uint64_t high = (ms << 16) | 0x7000ull | (random_a & 0x0FFFull);
  const std::uint64_t low = 0x8000000000000000ull | (random_b & 0x3FFFFFFFFFFFFFFFull);
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xFFFF),
                static_cast<unsigned>(high & 0xFFFF), static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFull));
  return text;
}

std::string NewUuidV7() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return NewUuidV7(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

std::string FormatUtcMillis(std::int64_t unix_ms) {
  std::int64_t seconds = unix_ms / 1000;
  std::int64_t millis = unix_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[64];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(text, n);
  if (millis != 0) {
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%06lld", static_cast<long long>(millis * 1000));
    out += fraction;
  }
  out += "+00:00";
  return out;
}

}  // namespace airbyte::util
