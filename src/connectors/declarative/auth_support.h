#pragma once

/// Internal helpers shared by the authenticators (not a public interface).

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/authenticator.h"
#include "connectors/declarative/runtime.h"

namespace airbyte::declarative::auth {

inline constexpr std::int64_t kMicrosPerSecond = 1'000'000;

/// The template context of an authenticator: config and its $parameters.
Json ContextFor(const Json& component, const Runtime& runtime);
/// A field rendered as a string ("" when absent or null); non-strings as Python str().
std::string RenderField(const Json& component, const char* field, Runtime& runtime);
/// The value of `key` searched depth-first in mappings then lists, up to depth 5 (the CDK's
/// recursive token lookup); null when absent.
const Json* FindRecursive(const Json& node, const std::string& key, int depth = 0);
/// The node at `path` (a list of keys) in `root`; created (as null) when `create`.
Json* PathIn(Json& root, const Json& path, bool create);

std::unique_ptr<Authenticator> MakeOAuthAuthenticator(const Json& component, Runtime& runtime);
std::unique_ptr<Authenticator> MakeSessionTokenAuthenticator(const Json& component,
                                                             Runtime& runtime,
                                                             const RequesterFactory& make_requester);
std::unique_ptr<Authenticator> MakeLegacySessionTokenAuthenticator(const Json& component,
                                                                   Runtime& runtime);

}  // namespace airbyte::declarative::auth
