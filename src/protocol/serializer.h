#pragma once

/// Writes Airbyte messages as protocol lines.
///
/// Example:
///   std::string line;
///   for (const protocol::Message& message : batch) {
///     line.clear();
///     protocol::AppendSerialized(message, line);
///     line += '\n';
///     WriteAll(fd, line);
///   }
///
/// Output is one compact JSON object without a trailing newline, "type" first and then the
/// payload key (`{"type":"RECORD","record":{...}}`). Absent optionals and null members are
/// omitted; nulls inside opaque blobs are kept. RECORD is written without a DOM: `data` is
/// spliced in verbatim (it must hold a JSON object in valid UTF-8, as the parser leaves it;
/// empty text is written as `{}`, line breaks as spaces), stream and namespace are escaped
/// (invalid UTF-8 becomes U+FFFD). Other types go through ToJson().
/// Thread-safe (no shared state).

#include <string>
#include <string_view>

#include "protocol/message.h"

namespace airbyte::protocol {

/// The message as one JSON line (no '\n').
std::string Serialize(const Message& message);

/// Appends the message as one JSON line (no '\n') to `out`.
void AppendSerialized(const Message& message, std::string& out);

/// Appends `text` as a quoted JSON string: quotes, backslashes and control characters escaped,
/// other UTF-8 written as is, invalid UTF-8 replaced by U+FFFD.
void AppendJsonString(std::string_view text, std::string& out);
/// A double as JSON: shortest round-trip digits, with ".0" on integral values as Python's json
/// writes them; NaN and infinities (not JSON) become null.
void AppendJsonDouble(double value, std::string& out);

/// Appends a record's data object as JSON text: `typed` rendered when set, else `data` as is
/// (line breaks between tokens turned into spaces, so the message stays one line).
void AppendRecordDataJson(const RecordMessage& record, std::string& out);

}  // namespace airbyte::protocol
