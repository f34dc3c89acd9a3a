#include "util/redactor.h"

#include <algorithm>

#include "airbyte/error.h"

namespace airbyte::util {
namespace {

// The spelling a string takes inside a JSON document (quotes, backslashes, control chars).
std::string JsonEscaped(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

Redactor& Redactor::Global() {
  static Redactor* redactor = new Redactor();  // never destroyed: used from static dtors too
  return *redactor;
}

void Redactor::Register(std::string_view value) {
  if (value.size() < kMinSecretLength) return;
  std::string escaped = JsonEscaped(value);
  std::unique_lock lock(mu_);
  if (escaped != value) RegisterOne(std::move(escaped));
  RegisterOne(std::string(value));
}

void Redactor::RegisterOne(std::string value) {
  if (std::find(secrets_.begin(), secrets_.end(), value) != secrets_.end()) return;
  // Longest first, so a secret that contains another is masked whole.
  auto pos = std::lower_bound(secrets_.begin(), secrets_.end(), value,
                              [](const std::string& a, const std::string& b) {
                                return a.size() > b.size();
                              });
  secrets_.insert(pos, std::move(value));
}

bool Redactor::MaskInPlace(std::string& text) const {
  std::shared_lock lock(mu_);
  bool changed = false;
  for (const std::string& secret : secrets_) {
    std::size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), kMask);
      pos += kMask.size();
      changed = true;
    }
  }
  return changed;
}

std::string Redactor::Mask(std::string_view text) const {
  std::string out(text);
  MaskInPlace(out);
  return out;
}

}  // namespace airbyte::util

namespace airbyte {

void RegisterSecret(std::string_view value) { util::Redactor::Global().Register(value); }

std::string MaskSecrets(std::string_view text) { return util::Redactor::Global().Mask(text); }

}  // namespace airbyte
