#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace airbyte::secrets {

/// Whether prompting makes sense: $CI is unset and both stdin and stdout are terminals.
bool IsInteractive();

/// Writes `prompt` to the controlling terminal and reads one line from it with echo off (the
/// terminal's settings are restored before returning, also on errors). Nullopt when the
/// process has no terminal or the read fails; the trailing newline is not part of the value.
std::optional<std::string> ReadHiddenLine(std::string_view prompt);

}  // namespace airbyte::secrets
