#include "airbyte/error.h"

#include <cctype>
#include <cstdio>

#include "util/redactor.h"
#include "util/strings.h"

namespace airbyte {
namespace {

struct KindInfo {
  std::string_view class_name;
  std::string_view default_message;
  std::string_view default_guidance;  // PyAirbyte's intended defaults (behavior doc 16, item 24)
  std::string_view default_help_url;
};

constexpr std::string_view kIssuesUrl = "https://github.com/airbytehq/airbyte/issues/new/choose";
constexpr std::string_view kDocsUrl = "https://airbytehq.github.io/PyAirbyte/airbyte.html";

KindInfo Info(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInternal:
      return {"PyAirbyteInternalError", "An internal error occurred in PyAirbyte.",
              "Please consider reporting this error to the Airbyte team.", kIssuesUrl};
    case ErrorKind::kInput:
      return {"PyAirbyteInputError",
              "The input provided to PyAirbyte did not match expected validation rules.",
              "Please check the provided value and try again.", kDocsUrl};
    case ErrorKind::kNoStreamsSelected:
      return {"PyAirbyteNoStreamsSelectedError", "No streams were selected for the source.",
              "Please call `select_streams()` to select at least one stream from the list "
              "provided. You can also call `select_all_streams()` to select all available "
              "streams for this source.",
              ""};
    case ErrorKind::kNameNormalization:
      return {"PyAirbyteNameNormalizationError",
              "Error occurred while normalizing a table or column name.", "", ""};
    case ErrorKind::kCache:
      return {"PyAirbyteCacheError", "Error occurred while accessing the cache.", "", ""};
    case ErrorKind::kConfigMissing:
      return {"AirbyteConnectorConfigurationMissingError", "Connector is missing configuration.",
              "Provide a config with `SetConfig()` or `--config`.", ""};
    case ErrorKind::kValidation:
      return {"AirbyteConnectorValidationFailedError", "Connector config validation failed.",
              "Compare the config with the connector's spec (`airbyte spec --source ...`).", ""};
    case ErrorKind::kRegistry:
      return {"AirbyteConnectorRegistryError", "Error when accessing the connector registry.",
              "", ""};
    case ErrorKind::kConnectorNotRegistered:
      return {"AirbyteConnectorNotRegisteredError", "Connector not found in registry.",
              "Please double check the connector name. Alternatively, you can provide an "
              "explicit connector install method: a local executable path or a name on PATH.",
              ""};
    case ErrorKind::kExecutableNotFound:
      return {"AirbyteConnectorExecutableNotFoundError", "Connector executable not found.",
              "Check the path, or put the connector's executable on PATH.", ""};
    case ErrorKind::kInstallation:
      return {"AirbyteConnectorInstallationError", "Error when installing the connector.", "",
              ""};
    case ErrorKind::kMissingSpec:
      return {"AirbyteConnectorMissingSpecError", "Connector did not return a spec.",
              "The connector's `spec` command printed no SPEC message; see its log output.", ""};
    case ErrorKind::kMissingCatalog:
      return {"AirbyteConnectorMissingCatalogError", "Connector did not return a catalog.",
              "The connector's `discover` command printed no CATALOG message; see its log "
              "output.",
              ""};
    case ErrorKind::kCheckFailed:
      return {"AirbyteConnectorCheckFailedError", "Connector check failed.",
              "Fix the config values the failure names, then run the check again.", ""};
    case ErrorKind::kConnectorFailed:
      return {"AirbyteConnectorFailedError", "Connector failed.",
              "See the connector's message and log output below.", ""};
    case ErrorKind::kConnectorWrite:
      return {"AirbyteConnectorWriteError", "Error when writing to the connector.", "", ""};
    case ErrorKind::kNoData:
      return {"AirbyteNoDataFromConnectorError", "No data was provided from the connector.", "",
              ""};
    case ErrorKind::kStreamNotFound:
      return {"AirbyteStreamNotFoundError", "Connector stream not found.",
              "Pick one of the available streams listed below.", ""};
    case ErrorKind::kStateNotFound:
      return {"AirbyteStateNotFoundError", "State entry not found.", "", ""};
    case ErrorKind::kSecretNotFound:
      return {"PyAirbyteSecretNotFoundError", "Secret not found.",
              "Set the secret as an environment variable or in a .env file.", ""};
    case ErrorKind::kProtocol:
      return {"AirbyteProtocolError", "The connector sent a message that breaks the protocol.",
              "", ""};
    case ErrorKind::kTimeout:
      return {"AirbyteConnectorTimeoutError", "The connector did not finish in time.",
              "Raise the timeout, or check why the connector stalls (network, credentials).", ""};
    case ErrorKind::kCancelled:
      return {"AirbyteCancelledError", "The operation was cancelled.", "", ""};
    case ErrorKind::kNetwork:
      return {"AirbyteNetworkError", "A network request failed.", "", ""};
    case ErrorKind::kIo:
      return {"AirbyteIoError", "A local file or process operation failed.", "", ""};
  }
  return {"PyAirbyteError", "Base class for exceptions in Airbyte.", "", ""};
}

// "connector_name" -> "Connector Name" (Python's str.title() after replacing underscores).
std::string TitleCase(std::string_view key) {
  std::string out;
  bool start = true;
  for (char c : key) {
    if (c == '_') c = ' ';
    const auto uc = static_cast<unsigned char>(c);
    if (std::isalpha(uc)) {
      out += static_cast<char>(start ? std::toupper(uc) : std::tolower(uc));
      start = false;
    } else {
      out += c;
      start = true;
    }
  }
  return out;
}


void AppendIndented(std::string& out, std::string_view text, std::string_view indent) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out += indent;
    out += text.substr(start, end - start);
    out += '\n';
    start = end + 1;
  }
}

}  // namespace

Error::Error(ErrorKind kind, std::string message, ErrorDetails details)
    : std::runtime_error(""), kind_(kind), details_(std::move(details)) {
  const util::Redactor& redactor = util::Redactor::Global();
  const KindInfo info = Info(kind);
  message_ = redactor.Mask(message.empty() ? info.default_message : message);
  if (details_.guidance.empty()) details_.guidance = info.default_guidance;
  if (details_.help_url.empty()) details_.help_url = info.default_help_url;
  redactor.MaskInPlace(details_.guidance);
  for (ErrorContextItem& item : details_.context) redactor.MaskInPlace(item.value);
  redactor.MaskInPlace(details_.log_tail);
  redactor.MaskInPlace(details_.cause);
  // std::runtime_error keeps its own copy; give it the full rendering.
  static_cast<std::runtime_error&>(*this) = std::runtime_error(Render());
}

std::string_view Error::class_name() const { return Info(kind_).class_name; }

std::string Error::ContextValue(std::string_view key) const {
  for (const ErrorContextItem& item : details_.context) {
    if (item.key == key) return item.value;
  }
  return {};
}

std::string Error::Render() const {
  static const std::string kSeparator = "\n" + std::string(60, '-');
  const std::string_view name = class_name();
  std::string out;
  out += message_;
  out += " (";
  out += name;
  out += ")";
  out += kSeparator;
  out += "\n";
  out += name;
  out += ": ";
  out += message_;
  out += "\n";
  if (!details_.guidance.empty()) AppendIndented(out, details_.guidance, "    ");
  if (!details_.help_url.empty()) out += "    More info: " + details_.help_url + "\n";
  for (const ErrorContextItem& item : details_.context) {
    out += "    " + TitleCase(item.key) + ": ";
    out += item.quoted ? util::PythonRepr(item.value) : item.value;
    out += "\n";
  }
  std::string_view tail = details_.log_tail;
  while (!tail.empty() && tail.back() == '\n') tail.remove_suffix(1);
  if (!tail.empty()) {
    out += "    Log output: \n";
    AppendIndented(out, tail, "        ");
  }
  out.pop_back();  // the last '\n'; the separator starts with its own
  out += kSeparator;
  if (!details_.cause.empty()) out += "\nCaused by: " + details_.cause;
  if (!details_.log_file.empty()) out += "\n    Log file: " + details_.log_file;
  return out;
}

int ExitCodeFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInput:
    case ErrorKind::kNoStreamsSelected:
    case ErrorKind::kNameNormalization:
    case ErrorKind::kConfigMissing:
    case ErrorKind::kValidation:
    case ErrorKind::kConnectorNotRegistered:
    case ErrorKind::kExecutableNotFound:
    case ErrorKind::kStreamNotFound:
    case ErrorKind::kSecretNotFound:
      return 2;
    default:
      return 1;
  }
}

}  // namespace airbyte
