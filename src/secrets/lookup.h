#pragma once

#include <string_view>

namespace airbyte::secrets {

/// Whether GetSecret()/TryGetSecret() returned `value` in this process: such a value in a
/// config was hydrated, not hard-coded. Thread-safe.
bool CameFromSecretSource(std::string_view value);

}  // namespace airbyte::secrets
