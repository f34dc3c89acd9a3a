#pragma once

/// The one exception type of the airbyte library.
///
/// Example:
///   try {
///     source.Check();
///   } catch (const airbyte::Error& e) {
///     std::cerr << e.Render();            // PyAirbyte-style multi-line report
///     return airbyte::ExitCodeFor(e.kind());
///   }
///
/// Every text an Error holds (message, guidance, context values, log tail, cause) is passed
/// through the process-wide secret registry when the Error is constructed, so no path can leak
/// a registered secret. See RegisterSecret().

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace airbyte {

/// What went wrong, phrased as what the user should do. Each kind has PyAirbyte's exception
/// class name (for rendering), a default message and, where useful, default guidance.
enum class ErrorKind {
  kInternal,               // PyAirbyteInternalError: a bug; please report it.
  kInput,                  // PyAirbyteInputError: bad argument or option.
  kNoStreamsSelected,      // PyAirbyteNoStreamsSelectedError
  kNameNormalization,      // PyAirbyteNameNormalizationError
  kCache,                  // PyAirbyteCacheError
  kConfigMissing,          // AirbyteConnectorConfigurationMissingError
  kValidation,             // AirbyteConnectorValidationFailedError: config fails the spec.
  kRegistry,               // AirbyteConnectorRegistryError
  kConnectorNotRegistered, // AirbyteConnectorNotRegisteredError
  kExecutableNotFound,     // AirbyteConnectorExecutableNotFoundError
  kInstallation,           // AirbyteConnectorInstallationError
  kMissingSpec,            // AirbyteConnectorMissingSpecError
  kMissingCatalog,         // AirbyteConnectorMissingCatalogError
  kCheckFailed,            // AirbyteConnectorCheckFailedError
  kConnectorFailed,        // AirbyteConnectorFailedError: non-zero exit or TRACE ERROR.
  kConnectorWrite,         // AirbyteConnectorWriteError
  kNoData,                 // AirbyteNoDataFromConnectorError
  kStreamNotFound,         // AirbyteStreamNotFoundError
  kStateNotFound,          // AirbyteStateNotFoundError
  kSecretNotFound,         // PyAirbyteSecretNotFoundError
  kProtocol,               // AirbyteProtocolError: the connector broke the protocol.
  kTimeout,                // AirbyteConnectorTimeoutError: idle or total time limit reached.
  kCancelled,              // AirbyteCancelledError
  kNetwork,                // AirbyteNetworkError
  kIo,                     // AirbyteIoError: a local file or process operation failed.
};

/// One `context` entry. Strings render quoted ('value'), integers bare, as PyAirbyte's repr.
struct ErrorContextItem {
  ErrorContextItem(std::string key_in, std::string value_in)
      : key(std::move(key_in)), value(std::move(value_in)) {}
  ErrorContextItem(std::string key_in, const char* value_in)
      : key(std::move(key_in)), value(value_in) {}
  template <typename Integer,
            typename = std::enable_if_t<std::is_integral_v<Integer> && !std::is_same_v<Integer, bool>>>
  ErrorContextItem(std::string key_in, Integer value_in)
      : key(std::move(key_in)), value(std::to_string(value_in)), quoted(false) {}

  std::string key;
  std::string value;
  bool quoted = true;
};

/// Optional fields of an Error; designated-initializer friendly.
struct ErrorDetails {
  /// What to do about it. Empty: the kind's default guidance.
  std::string guidance = {};
  /// Documentation link. Empty: the kind's default help URL, if any.
  std::string help_url = {};
  /// Extra key/values, rendered one per line in order ("connector_name" -> "Connector Name").
  std::vector<ErrorContextItem> context = {};
  /// The last lines the connector logged (stderr and LOG messages), newline-separated.
  std::string log_tail = {};
  /// Path of a log file with the whole story, if any.
  std::string log_file = {};
  /// Text of the underlying cause ("Caused by: ...").
  std::string cause = {};
};

/// The exception the library throws. Immutable after construction; copyable.
class Error : public std::runtime_error {
 public:
  /// `message` empty means the kind's default message. Masks every registered secret.
  Error(ErrorKind kind, std::string message, ErrorDetails details = {});

  ErrorKind kind() const { return kind_; }
  /// PyAirbyte's class name for the kind, e.g. "AirbyteConnectorFailedError".
  std::string_view class_name() const;
  const std::string& message() const { return message_; }
  const std::string& guidance() const { return details_.guidance; }
  const std::string& help_url() const { return details_.help_url; }
  const std::vector<ErrorContextItem>& context() const { return details_.context; }
  const std::string& log_tail() const { return details_.log_tail; }
  const std::string& log_file() const { return details_.log_file; }
  const std::string& cause() const { return details_.cause; }
  /// Value of a context entry, or empty when absent.
  std::string ContextValue(std::string_view key) const;

  /// The PyAirbyte rendering (behavior doc section 10.2); also what what() returns.
  std::string Render() const;

 private:
  ErrorKind kind_;
  std::string message_;
  ErrorDetails details_;
};

/// CLI exit code for an error kind: 2 for bad input (usage, config, names), 1 otherwise.
int ExitCodeFor(ErrorKind kind);

/// Registers a secret value: from now on every Error, log tail and masked output of this
/// process shows it as "****". Values shorter than 3 characters are ignored (masking them
/// would garble all output). Thread-safe.
void RegisterSecret(std::string_view value);

/// Replaces every registered secret in `text` with "****". Thread-safe.
std::string MaskSecrets(std::string_view text);

}  // namespace airbyte
