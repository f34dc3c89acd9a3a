#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "connectors/declarative/interpolation/builtins.h"

namespace airbyte::declarative {

/// The value an item contributes for a filter's `attribute` argument (dotted paths and integer
/// indexes, as Jinja's make_attrgetter); the item itself when `attribute` is null/absent.
Value Attribute(const Value& item, const Value* attribute);

/// A JSON list of the values; datetimes and other non-JSON values raise EvalError.
Value ToList(const std::vector<Value>& items);

/// Jinja's collection filters (map, select, reject, selectattr, rejectattr, sort, unique, min,
/// max, reverse, sum); nullopt when `name` is none of them.
std::optional<Value> CallCollectionFilter(std::string_view name, const Value& input,
                                          const CallArgs& args);

}  // namespace airbyte::declarative
