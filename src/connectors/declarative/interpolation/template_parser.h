#pragma once

#include <memory>
#include <string_view>

#include "connectors/declarative/interpolation/template_ast.h"

namespace airbyte::declarative {

/// Parses the Jinja subset manifests use: `{{ expr }}`, `{% if/elif/else/endif %}`,
/// `{% for %}...{% else %}...{% endfor %}`, `{% set %}`, `{# #}`. Unknown filters, tests and
/// statements are rejected here, as Jinja rejects them at compile time. Throws EvalError with
/// the byte offset of the offending token.
std::unique_ptr<CompiledTemplate> ParseTemplate(std::string_view source);

}  // namespace airbyte::declarative
