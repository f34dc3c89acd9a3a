#pragma once

#include <string_view>
#include <vector>

#include "connectors/declarative/interpolation/value.h"

namespace airbyte::declarative {

/// Python binary operators on template values: + - * / // % ** and Jinja's ~. Undefined
/// operands raise UndefinedError (except for ~, where Undefined is ""); type mismatches raise
/// EvalError with Python's TypeError text.
Value BinaryOp(std::string_view op, const Value& a, const Value& b);

/// Python `item in container` (substring for strings, key for dicts, == for lists).
bool Contains(const Value& container, const Value& item);

/// Jinja attribute lookup `obj.name`: a mapping key, or a datetime field; missing -> Undefined.
Value GetAttr(const Value& obj, std::string_view name);

/// Jinja subscript `obj[key]`: mapping key, list/str index (negative from the end); missing ->
/// Undefined.
Value GetItem(const Value& obj, const Value& key);

/// Python slice `obj[start:stop:step]` on lists and strings; null bounds are omitted ones.
Value SliceOp(const Value& obj, const Value& start, const Value& stop, const Value& step);

/// Python iteration: list items, dict keys, string characters; Undefined is empty.
std::vector<Value> Iterate(const Value& v);

/// Python len(); Undefined is 0. Throws EvalError for values without a length.
std::size_t Length(const Value& v);

/// Unicode code points of a UTF-8 string, each as its own UTF-8 string.
std::vector<std::string> CodePoints(std::string_view s);

}  // namespace airbyte::declarative
