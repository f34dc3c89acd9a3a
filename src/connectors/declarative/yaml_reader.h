#pragma once

/// YAML text as PyYAML's `yaml.safe_load` sees it, converted to JSON.
///
/// Example:
///   Json doc = declarative::ParseYaml("a: yes\nb: 017\n", "inline");  // {"a": true, "b": 15}

#include <string_view>

#include "airbyte/json.h"

namespace airbyte::declarative {

/// Parses one YAML document exactly as PyYAML's `safe_load` does (YAML 1.1 implicit types,
/// libyaml's grammar, which PyYAML's pure-Python parser mirrors):
///  - booleans `yes/no/on/off/true/false` (three casings each); `y`/`n` stay strings;
///  - null: `~`, `null`/`Null`/`NULL`, empty;
///  - integers: decimal with `_`, `0x`, `0b`, legacy octal `017` (= 15), sexagesimal `1:30`
///    (= 90); `0o17` and `09` are strings, as in PyYAML. Past int64: uint64, then double;
///  - floats need a dot; an exponent needs a sign (`1.5e+3` is 1500.0, `1.5e3` a string);
///    `.inf`/`-.inf`/`.nan` become the double values (nlohmann dumps them as null);
///  - bare dates become their ISO text: `2021-01-02` -> "2021-01-02", timestamps ->
///    Python's `datetime.isoformat()`: "2021-01-02T03:04:05+00:00" (Z and offsets as
///    +HH:MM, fraction as 6 digits when non-zero, no offset when none was written);
///  - anchors/aliases (copied per use), merge keys `<<` (own keys win, then earlier merges);
///  - explicit tags !!str !!int !!float !!bool !!null !!timestamp !!seq !!map !!set;
///  - mapping keys become JSON key text as `json.dumps` writes them (true, null, 15, 1.5).
/// Throws Error(kInput) naming `origin` with line and column for syntax errors, unknown tags,
/// `=` (PyYAML's unconstructible value tag), recursive aliases and multiple documents.
Json ParseYaml(std::string_view text, std::string_view origin);

}  // namespace airbyte::declarative
