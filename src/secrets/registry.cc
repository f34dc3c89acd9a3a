// The process-wide list of secret sources and GetSecret(): PyAirbyte's lookup order (behavior
// doc 8.3).
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <mutex>
#include <set>

#include "airbyte/error.h"
#include "airbyte/secrets.h"
#include "secrets/lookup.h"
#include "secrets/terminal.h"

namespace airbyte {
namespace {

constexpr std::string_view kPromptSourceName = "prompt";

class Registry {
 public:
  static Registry& Global() {
    static Registry* registry = new Registry();  // never destroyed: usable from static dtors
    return *registry;
  }

  std::vector<std::shared_ptr<SecretManager>> Snapshot() {
    std::lock_guard lock(mu_);
    InitOnce();
    return managers_;
  }

  void Register(std::shared_ptr<SecretManager> manager, RegisterSecretManagerOptions options) {
    std::lock_guard lock(mu_);
    InitOnce();
    if (options.replace_existing) managers_.clear();
    if (options.as_backup) {
      managers_.push_back(std::move(manager));
    } else {
      managers_.insert(managers_.begin(), std::move(manager));
    }
  }

  void Disable(std::string_view name) {
    std::lock_guard lock(mu_);
    InitOnce();
    std::erase_if(managers_, [&](const auto& manager) { return manager->name() == name; });
  }

 private:
  // The defaults, built at first use rather than at static-init time so that tests and
  // programs can set $CI or redirect stdio first.
  void InitOnce() {
    if (initialized_) return;
    initialized_ = true;
    managers_.push_back(std::make_shared<EnvSecretManager>());
    managers_.push_back(std::make_shared<DotenvSecretManager>());
    if (secrets::IsInteractive()) managers_.push_back(std::make_shared<PromptSecretManager>());
  }

  std::mutex mu_;
  bool initialized_ = false;                               // Guarded by mu_.
  std::vector<std::shared_ptr<SecretManager>> managers_;   // Guarded by mu_.
};

// Values lookups returned (see CameFromSecretSource()).
class LookupLog {
 public:
  static LookupLog& Global() {
    static LookupLog* log = new LookupLog();
    return *log;
  }
  void Add(const std::string& value) {
    std::lock_guard lock(mu_);
    values_.insert(value);
  }
  bool Contains(std::string_view value) {
    std::lock_guard lock(mu_);
    return values_.find(value) != values_.end();
  }

 private:
  std::mutex mu_;
  std::set<std::string, std::less<>> values_;  // Guarded by mu_.
};

// Every value a lookup hands out is masked from now on, and remembered as hydrated.
SecretString Remember(SecretString value) {
  RegisterSecret(value.Reveal());
  LookupLog::Global().Add(value.Reveal());
  return value;
}

std::string NameList(const std::vector<std::shared_ptr<SecretManager>>& managers) {
  std::string out = "[";
  for (std::size_t i = 0; i < managers.size(); ++i) {
    out += (i > 0 ? ", '" : "'") + managers[i]->name() + "'";
  }
  return out + "]";
}

std::string_view StripReference(std::string_view name) {
  if (name.substr(0, kSecretReferencePrefix.size()) == kSecretReferencePrefix) {
    name.remove_prefix(kSecretReferencePrefix.size());
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front()))) {
      name.remove_prefix(1);
    }
  }
  return name;
}

// The managers a lookup asks, in order: prompt last, or not at all.
std::vector<std::shared_ptr<SecretManager>> LookupOrder(const GetSecretOptions& options) {
  std::vector<std::shared_ptr<SecretManager>> registered = Registry::Global().Snapshot();
  std::vector<std::shared_ptr<SecretManager>> order;
  if (!options.sources) {
    order = registered;
  } else {
    for (const SecretSourceRef& ref : *options.sources) {
      if (ref.manager) {
        order.push_back(ref.manager);
        continue;
      }
      auto it = std::find_if(registered.begin(), registered.end(),
                             [&](const auto& manager) { return manager->name() == ref.name; });
      if (it == registered.end()) {
        throw Error(ErrorKind::kInput, "Invalid secret source name.",
                    {.context = {{"input_value", ref.name},
                                 {"available_sources", NameList(registered)}}});
      }
      order.push_back(*it);
    }
  }
  auto is_prompt = [](const auto& manager) { return manager->name() == kPromptSourceName; };
  auto prompt = std::find_if(order.begin(), order.end(), is_prompt);
  if (prompt != order.end()) {
    std::shared_ptr<SecretManager> kept = *prompt;
    std::erase_if(order, is_prompt);
    if (options.allow_prompt) order.push_back(std::move(kept));
  }
  return order;
}

std::optional<SecretString> Lookup(std::string_view name, const GetSecretOptions& options) {
  for (const std::shared_ptr<SecretManager>& manager : LookupOrder(options)) {
    if (std::optional<SecretString> value = manager->GetSecret(name)) {
      return Remember(*std::move(value));
    }
  }
  if (options.default_value && !options.default_value->empty()) {
    return Remember(SecretString(*options.default_value));
  }
  return std::nullopt;
}

}  // namespace

std::optional<SecretString> EnvSecretManager::GetSecret(std::string_view secret_name) {
  const char* value = std::getenv(std::string(secret_name).c_str());
  if (value == nullptr) return std::nullopt;
  return SecretString(value);
}

void RegisterSecretManager(std::shared_ptr<SecretManager> manager,
                           RegisterSecretManagerOptions options) {
  if (!manager) throw Error(ErrorKind::kInput, "A secret manager is required, not null.");
  Registry::Global().Register(std::move(manager), options);
}

void DisableSecretSource(std::string_view name) { Registry::Global().Disable(name); }

std::vector<std::string> RegisteredSecretSources() {
  std::vector<std::string> names;
  for (const auto& manager : Registry::Global().Snapshot()) names.push_back(manager->name());
  return names;
}

SecretString GetSecret(std::string_view secret_name, const GetSecretOptions& options) {
  const std::string_view name = StripReference(secret_name);
  if (std::optional<SecretString> value = Lookup(name, options)) return *std::move(value);
  throw Error(ErrorKind::kSecretNotFound, "",
              {.context = {{"secret_name", std::string(name)},
                           {"sources", NameList(Registry::Global().Snapshot())}}});
}

std::optional<SecretString> TryGetSecret(std::string_view secret_name,
                                         const GetSecretOptions& options) {
  GetSecretOptions no_prompt = options;
  no_prompt.allow_prompt = false;
  return Lookup(StripReference(secret_name), no_prompt);
}

bool IsSecretAvailable(std::string_view secret_name, const GetSecretOptions& options) {
  return TryGetSecret(secret_name, options).has_value();
}

}  // namespace airbyte

namespace airbyte::secrets {

bool CameFromSecretSource(std::string_view value) { return LookupLog::Global().Contains(value); }

}  // namespace airbyte::secrets
