#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace airbyte::declarative {

/// One token of a template: raw text between tags, tag delimiters, or an expression token.
struct Token {
  enum class Type {
    kText,        // literal template text
    kVarBegin,    // {{
    kVarEnd,      // }}
    kBlockBegin,  // {%
    kBlockEnd,    // %}
    kName,        // identifier or keyword
    kInteger,     // text holds the digits (underscores removed)
    kFloat,
    kString,    // text holds the decoded value
    kOperator,  // + - * / // % ** ~ == != < <= > >= = ( ) [ ] { } , . : |
    kEof,
  };
  Type type = Type::kEof;
  std::string text;
  std::size_t pos = 0;  // byte offset in the template
};

/// Splits a Jinja template into tokens, following Jinja's defaults: `{# #}` comments dropped,
/// `-` whitespace control on tags, one trailing newline of the template removed
/// (keep_trailing_newline=False). Throws EvalError (with the position) on an unterminated tag
/// or string, or a character Jinja does not accept.
std::vector<Token> TokenizeTemplate(std::string_view source);

}  // namespace airbyte::declarative
