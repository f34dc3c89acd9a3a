#pragma once

#include <string>
#include <string_view>

#include "airbyte/json.h"
#include "airbyte/secrets.h"

namespace airbyte::secrets {

/// RFC 4648 section 5 (URL-safe alphabet, no padding).
std::string Base64UrlEncode(std::string_view bytes);
/// Standard or URL-safe base64, padding optional. Throws Error(kProtocol) on bad input.
std::string Base64Decode(std::string_view text);

/// A JWT `<header>.<claims>.<signature>` signed with RS256 (RSASSA-PKCS1-v1_5 over SHA-256)
/// using the PEM private key (PKCS#8 or PKCS#1), as Google's service-account flow needs.
/// Throws Error(kInput) when the key cannot be loaded; the error never holds the key.
std::string SignJwtRs256(const Json& header, const Json& claims,
                         const SecretString& private_key_pem);

}  // namespace airbyte::secrets
