#pragma once

#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace airbyte::util {

/// Process-wide registry of secret values and the masking of text that may contain them.
///
/// Thread-safe: Register() takes a writer lock, Mask() a reader lock. Secrets are never
/// removed (a value once registered stays masked for the life of the process).
class Redactor {
 public:
  static constexpr std::string_view kMask = "****";
  /// Shorter values are not registered: masking them would garble all output.
  static constexpr std::size_t kMinSecretLength = 3;
  /// Lines of a multi-line secret this long or longer are also masked on their own.
  static constexpr std::size_t kMinLineFragmentLength = 8;

  /// The process-wide instance.
  static Redactor& Global();

  /// Registers `value`, every JSON-escaped spelling of it (see JsonSpellings()) and, for a
  /// multi-line value, each of its lines of at least kMinLineFragmentLength bytes.
  void Register(std::string_view value);
  /// `text` with every registered secret replaced by kMask.
  std::string Mask(std::string_view text) const;
  /// Masks `text` in place; returns true if anything was replaced.
  bool MaskInPlace(std::string& text) const;

 private:
  void RegisterOne(std::string value);

  mutable std::shared_mutex mu_;
  std::vector<std::string> secrets_;  // Guarded by mu_; longest first.
};

/// The ways `value` can appear inside JSON text other than verbatim: escaped as nlohmann,
/// Python (`\uXXXX` for non-ASCII, surrogate pairs), Go (`\u003c`), PHP (`\/`) and with
/// upper-case hex would write it, each also escaped a second time (JSON text logged inside a
/// JSON string). Excludes `value` itself; no duplicates.
std::vector<std::string> JsonSpellings(std::string_view value);

}  // namespace airbyte::util
