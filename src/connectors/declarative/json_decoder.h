#pragma once

/// Response body decoding for declarative streams (docs/declarative.md section 7.1).
///
/// Example:
///   std::vector<Json> docs = DecodeBody(retriever["decoder"], response_body);
///   for (const Json& doc : docs) records = selector.Select(doc, context, &extracted);

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"

namespace airbyte::declarative {

/// The CDK's JsonDecoder (CompositeRawDecoder + JsonParser): a top-level JSON array yields its
/// elements as separate documents, anything else one document; an empty body, an empty array,
/// `null` or invalid JSON yields one empty mapping `{}` (the CDK logs and emits no records).
std::vector<Json> DecodeJson(std::string_view body);

/// The CDK's JsonlDecoder: one document per non-blank line; lines that are not JSON are
/// skipped (the CDK's JsonLineParser logs them).
std::vector<Json> DecodeJsonl(std::string_view body);

/// Dispatches on the decoder component (`{"type": "JsonDecoder"}`, `JsonlDecoder`, or null /
/// absent for the default JsonDecoder). Throws Error(kInput) naming any other type.
std::vector<Json> DecodeBody(const Json& decoder_component_or_null, std::string_view body);

/// Throws Error(kInput) when the decoder component is not one DecodeBody supports, so a
/// stream fails when it is built rather than at its first response.
void CheckDecoderSupported(const Json& decoder_component_or_null);

}  // namespace airbyte::declarative
