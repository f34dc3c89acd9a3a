#pragma once

/// The four kinds of request options a declarative request is assembled from (query
/// parameters, headers, JSON body, form body), and the RequestOption component that injects
/// one value into them.
///
/// Example:
///   RequestOptions options;
///   InjectRequestOption(page_token_option, Json(2), interpolator, context, options);
///   MergeRequestOptions(options, paginator_options, "paginator");   // throws on duplicate keys

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/interpolation/interpolator.h"

namespace airbyte::declarative {

struct RequestOptions {
  Json params = Json::object();     // name -> scalar or list (repeated parameter)
  Json headers = Json::object();    // name -> scalar
  Json body_json = Json::object();  // nested mapping
  Json body_data = Json::object();  // mapping (form-encoded) or a string (sent raw)
};

/// Injects `value` where the RequestOption component says (inject_into: request_parameter,
/// header, body_data, body_json; field_name rendered with config and parameters; field_path
/// for nested JSON bodies). A null `option` does nothing. Throws Error(kInput) for an unknown
/// inject_into.
void InjectRequestOption(const Json& option, const Json& value, Interpolator& interpolator,
                         const Json& context, RequestOptions& out);

/// Adds `from` to `into`: a key present in both is an error (Error(kInput) naming the key and
/// `source`) except in JSON bodies, where equal values merge and mappings merge recursively.
void MergeRequestOptions(RequestOptions& into, const RequestOptions& from,
                         std::string_view source);

/// The interpolated mapping of a request_* field (`request_parameters`, `request_headers`,
/// `request_body_json`, `request_body_data`): every string leaf is evaluated as a template with
/// `context` (literal-parsed), entries rendering to null or "" are dropped. A string field
/// (request_body_data/request_body_json given as one template) is evaluated whole.
/// `json_body` keeps nested structures (body_json); otherwise top-level values only.
Json InterpolateRequestInput(const Json& field, Interpolator& interpolator, const Json& context,
                             bool json_body);

}  // namespace airbyte::declarative
