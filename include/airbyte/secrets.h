#pragma once

/// Secrets: a masked string type, secret sources (environment, .env files, an interactive
/// prompt, Google Secret Manager, your own), PyAirbyte's lookup order, and config hydration.
///
/// Example:
///   airbyte::SecretString key = airbyte::GetSecret("POKEAPI_KEY");  // env, then .env, ...
///   std::cout << key;                      // prints ****
///   Connect(key.Reveal());                 // the one way out
///
///   // {"api_key": "secret_reference::POKEAPI_KEY"} becomes the real value (Source::SetConfig
///   // does this itself):
///   airbyte::Json config = airbyte::HydrateSecrets(raw_config);
///
///   // Your own secret store, asked before the built-in sources:
///   class VaultSecrets : public airbyte::SecretManager { ... };
///   airbyte::RegisterSecretManager(std::make_shared<VaultSecrets>());
///
/// Every value a lookup returns is registered with the process-wide masking registry (see
/// RegisterSecret() in error.h): errors, relayed connector logs and CLI output show "****".

#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "airbyte/json.h"

namespace airbyte {

/// A string that never prints itself: `operator<<` and fmt (see src/secrets/secret_format.h)
/// write "****". There is no implicit conversion; `Reveal()` is the one, greppable, way out.
class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string value) : value_(std::move(value)) {}

  /// The plain value.
  const std::string& Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  std::size_t size() const { return value_.size(); }
  /// "<SecretString: ****>", PyAirbyte's repr.
  std::string DebugString() const;
  /// Whether the value parses as JSON.
  bool IsJson() const;
  /// The value parsed as JSON. Throws Error(kInput, "Failed to parse secret as JSON.") whose
  /// context names the position and the secret's length, never its text.
  Json ParseJson() const;

  friend bool operator==(const SecretString& a, const SecretString& b) {
    return a.value_ == b.value_;
  }

 private:
  std::string value_;
};

/// Writes "****".
std::ostream& operator<<(std::ostream& out, const SecretString& secret);

/// A source of secrets. Implement it to plug in your own store, then RegisterSecretManager().
/// GetSecret() may be called from any thread; implementations must be thread-safe.
class SecretManager {
 public:
  virtual ~SecretManager() = default;
  /// The source's name, used in `GetSecretOptions::sources` and error messages ("env").
  virtual std::string name() const = 0;
  /// The secret, or nullopt when this source does not have it (errors count as "not found",
  /// as in PyAirbyte, so one broken source does not hide the others).
  virtual std::optional<SecretString> GetSecret(std::string_view secret_name) = 0;
};

/// Environment variables (name "env"). A variable that is set but empty counts as found.
class EnvSecretManager : public SecretManager {
 public:
  std::string name() const override { return "env"; }
  std::optional<SecretString> GetSecret(std::string_view secret_name) override;
};

/// A dotenv file (name "dotenv", or "dotenv:<path>" for an explicit path), read again on every
/// lookup. Without a path: the first `.env` in the current directory or one of its parents.
/// Syntax as python-dotenv: `KEY=value`, `export KEY=value`, '#' comments, single quotes
/// (literal; `\'` and `\\` escapes), double quotes (`\n`, `\t`, `\"`, ... escapes), quoted
/// values spanning lines, `${VAR}` / `${VAR:-default}` expansion outside single quotes.
class DotenvSecretManager : public SecretManager {
 public:
  explicit DotenvSecretManager(std::optional<std::filesystem::path> path = std::nullopt);
  std::string name() const override;
  std::optional<SecretString> GetSecret(std::string_view secret_name) override;
  /// The keys the file defines (empty when there is no file).
  std::vector<std::string> ListSecretNames() const;

 private:
  std::optional<std::filesystem::path> ResolvePath() const;
  std::optional<std::filesystem::path> path_;
};

/// Asks on the terminal (name "prompt"): "Enter the value for secret '<name>': ", input not
/// echoed. Reads /dev/tty; without a terminal every lookup is "not found". Concurrent lookups
/// ask one at a time.
class PromptSecretManager : public SecretManager {
 public:
  std::string name() const override { return "prompt"; }
  std::optional<SecretString> GetSecret(std::string_view secret_name) override;
};

/// Google Secret Manager credentials and endpoint.
struct GoogleGsmOptions {
  /// Service-account key file. Exclusive with `credentials_json`. With neither: the file
  /// named by $GOOGLE_APPLICATION_CREDENTIALS, else the JSON in $GCP_GSM_CREDENTIALS.
  std::optional<std::filesystem::path> credentials_path = std::nullopt;
  /// Service-account key JSON text.
  std::optional<SecretString> credentials_json = std::nullopt;
  /// The REST API root; tests point it at a local fake.
  std::string api_base_url = "https://secretmanager.googleapis.com/v1";
  /// Per-request timeout.
  long timeout_seconds = 30;
};

/// A secret listed by Google Secret Manager: its resource name ("projects/p/secrets/s") and
/// labels. Pass `name` to GoogleGsmSecretManager::FetchSecret() for the value.
struct GsmSecretHandle {
  std::string name;
  std::map<std::string, std::string> labels;
};

/// Google Secret Manager over its REST API (name "google_gsm"): signs a JWT with the service
/// account's key (RS256), trades it for an access token at the key's `token_uri`, then reads
/// `projects/<project>/secrets/<name>/versions/latest`. A name that already contains
/// "projects/" is used as is ("/versions/latest" appended when missing). Thread-safe.
class GoogleGsmSecretManager : public SecretManager {
 public:
  /// Throws Error(kInput) when both or neither credential sources are given/found.
  GoogleGsmSecretManager(std::string project, GoogleGsmOptions options = {});
  ~GoogleGsmSecretManager() override;
  GoogleGsmSecretManager(const GoogleGsmSecretManager&) = delete;
  GoogleGsmSecretManager& operator=(const GoogleGsmSecretManager&) = delete;

  std::string name() const override { return "google_gsm"; }
  /// Nullopt on any failure (as PyAirbyte); use FetchSecret() to see why.
  std::optional<SecretString> GetSecret(std::string_view secret_name) override;
  /// The secret's latest version. Throws Error(kSecretNotFound) for a 404, Error(kNetwork)
  /// for failed authentication or transport errors; no error text holds key or token.
  SecretString FetchSecret(std::string_view secret_name);
  /// "projects/<project>/secrets/<name>/versions/latest", or `secret_name` completed.
  std::string QualifiedName(std::string_view secret_name) const;

  /// The project's secrets matching a Secret Manager list filter ("labels.team=data"), all
  /// pages. Throws as FetchSecret().
  std::vector<GsmSecretHandle> FetchSecrets(std::string_view filter);
  /// Secrets labelled `key`=`value`.
  std::vector<GsmSecretHandle> FetchSecretsByLabel(std::string_view key, std::string_view value);
  /// Secrets labelled connector=`connector_name` (Airbyte's CI convention).
  std::vector<GsmSecretHandle> FetchConnectorSecrets(std::string_view connector_name);
  /// The value of the first of them; Error(kSecretNotFound, "No secrets found for
  /// connector.") when there is none.
  SecretString FetchConnectorSecret(std::string_view connector_name);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// How RegisterSecretManager() places a manager in the registry.
struct RegisterSecretManagerOptions {
  /// Append after the existing sources instead of asking this one first.
  bool as_backup = false;
  /// Remove every registered source first.
  bool replace_existing = false;
};

/// Adds `manager` to the process-wide list of sources: first (highest priority, the last one
/// registered wins) unless `as_backup`. The default list is [env, dotenv], plus prompt when
/// stdin and stdout are terminals and $CI is unset. Thread-safe.
void RegisterSecretManager(std::shared_ptr<SecretManager> manager,
                           RegisterSecretManagerOptions options = {});
/// Removes every registered source named `name` ("env", "dotenv", "prompt", ...).
void DisableSecretSource(std::string_view name);
/// The names of the registered sources, in lookup order.
std::vector<std::string> RegisteredSecretSources();

/// A lookup's sources: a registered source's name, or a manager used directly.
struct SecretSourceRef {
  SecretSourceRef(std::string source_name) : name(std::move(source_name)) {}  // NOLINT
  SecretSourceRef(const char* source_name) : name(source_name) {}               // NOLINT
  template <typename Manager,
            typename = std::enable_if_t<std::is_base_of_v<SecretManager, Manager>>>
  SecretSourceRef(std::shared_ptr<Manager> source) : manager(std::move(source)) {}  // NOLINT

  std::string name;
  std::shared_ptr<SecretManager> manager;
};

/// Options of GetSecret().
struct GetSecretOptions {
  /// Sources to ask, in order; nullopt: every registered source.
  std::optional<std::vector<SecretSourceRef>> sources = std::nullopt;
  /// Returned when no source has the secret (an empty default counts as none, as PyAirbyte).
  std::optional<std::string> default_value = std::nullopt;
  /// False removes the prompt source; when allowed it is always asked last.
  bool allow_prompt = true;
};

/// Looks a secret up as PyAirbyte's get_secret (behavior doc 8.3): a leading
/// "secret_reference::" is stripped; the sources are asked in order, the prompt last; the first
/// hit wins (an empty environment variable is a hit). The value is registered for masking.
/// Throws Error(kInput) for an unknown source name, Error(kSecretNotFound) naming the secret
/// and the registered sources when nothing has it and there is no default.
SecretString GetSecret(std::string_view secret_name, const GetSecretOptions& options = {});

/// GetSecret() without prompting; nullopt instead of kSecretNotFound.
std::optional<SecretString> TryGetSecret(std::string_view secret_name,
                                         const GetSecretOptions& options = {});

/// Whether a lookup without prompting finds `secret_name`.
bool IsSecretAvailable(std::string_view secret_name, const GetSecretOptions& options = {});

/// The prefix of config values hydrated from a secret source.
inline constexpr std::string_view kSecretReferencePrefix = "secret_reference::";

/// A copy of `config` where every string (in objects and in lists, at any depth) that starts
/// with `prefix` is replaced by GetSecret(<rest, trimmed>). Throws what GetSecret() throws.
Json HydrateSecrets(const Json& config, std::string_view prefix = kSecretReferencePrefix);

/// Key paths of config values that look like hard-coded secrets (behavior doc 8.5): a string
/// leaf one of whose keys is a secret field of the spec (`airbyte_secret: true`,
/// `writeOnly: true` or `format: "password"`), not a "secret_reference::" value.
std::vector<std::vector<std::string>> DetectHardcodedSecrets(const Json& config,
                                                             const Json& connection_specification);

}  // namespace airbyte
