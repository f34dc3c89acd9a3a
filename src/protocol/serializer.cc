#include "protocol/serializer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <variant>

#include "protocol/json_convert.h"
#include "protocol/utf8.h"

namespace airbyte::protocol {
namespace {

void AppendInt(std::int64_t value, std::string& out) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void AppendDump(const Json& json, std::string& out) {
  // Strings in a user-built model may hold invalid UTF-8: replace rather than throw.
  out += json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// `data` verbatim, except that line breaks (whitespace between tokens in valid JSON; a raw
// newline cannot occur inside a JSON string) become spaces: one message must stay one line.
void AppendData(std::string_view data, std::string& out) {
  if (data.empty()) {
    out += "{}";
    return;
  }
  const std::size_t start = out.size();
  out.append(data);
  if (std::memchr(data.data(), '\n', data.size()) == nullptr &&
      std::memchr(data.data(), '\r', data.size()) == nullptr) {
    return;
  }
  for (std::size_t i = start; i < out.size(); ++i) {
    if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
  }
}

void AppendTypedData(const TypedRecord& typed, std::string& out) {
  out += '{';
  const std::size_t count = typed.fields ? std::min(typed.fields->size(), typed.values.size()) : 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ',';
    AppendJsonString((*typed.fields)[i], out);
    out += ':';
    const FieldValue& value = typed.values[i];
    switch (value.index()) {
      case 0: out += "null"; break;
      case 1: out += std::get<bool>(value) ? "true" : "false"; break;
      case 2: AppendInt(std::get<std::int64_t>(value), out); break;
      case 3: AppendJsonDouble(std::get<double>(value), out); break;
      case 4: AppendJsonString(std::get<std::string>(value), out); break;
      case 5: AppendData(std::get<RawJson>(value).text, out); break;
    }
  }
  out += '}';
}

}  // namespace

void AppendJsonDouble(double value, std::string& out) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  const std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

void AppendRecordDataJson(const RecordMessage& record, std::string& out) {
  if (record.typed) {
    AppendTypedData(*record.typed, out);
  } else {
    AppendData(record.data, out);
  }
}

namespace {

// RECORD is the hot path: no DOM, `data` spliced in as text. Field order follows the Python
// CDK's model (stream, data, emitted_at, then the optional fields).
void AppendRecord(const RecordMessage& record, std::string& out) {
  out += R"({"type":"RECORD","record":{"stream":)";
  AppendJsonString(record.stream, out);
  out += R"(,"data":)";
  AppendRecordDataJson(record, out);
  out += R"(,"emitted_at":)";
  AppendInt(record.emitted_at, out);
  if (record.namespace_) {
    out += R"(,"namespace":)";
    AppendJsonString(*record.namespace_, out);
  }
  if (!record.meta.is_null()) {
    out += R"(,"meta":)";
    AppendDump(record.meta, out);
  }
  if (!record.file_reference.is_null()) {
    out += R"(,"file_reference":)";
    AppendDump(record.file_reference, out);
  }
  out += "}}";
}

}  // namespace

void AppendJsonString(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    // Copy the run of bytes that need no attention in one go.
    std::size_t run = i;
    while (run < text.size()) {
      const auto byte = static_cast<unsigned char>(text[run]);
      if (byte < 0x20 || byte == '"' || byte == '\\' || byte >= 0x80) break;
      ++run;
    }
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;

    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x80) {
      std::size_t bad_length = 0;
      const std::size_t length = Utf8SequenceLength(text.substr(i), bad_length);
      if (length > 0) {
        out.append(text.data() + i, length);
        i += length;
      } else {
        out += kReplacementCharacter;
        i += bad_length;
      }
      continue;
    }
    switch (byte) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[byte >> 4];
        out += kHex[byte & 0xF];
        break;
    }
    ++i;
  }
  out += '"';
}

void AppendSerialized(const Message& message, std::string& out) {
  if (const auto* record = std::get_if<RecordMessage>(&message.payload())) {
    AppendRecord(*record, out);
    return;
  }
  out += R"({"type":")";
  out += ToString(message.type());
  out += R"(",")";
  out += PayloadKey(message.type());
  out += R"(":)";
  AppendDump(std::visit([](const auto& payload) { return ToJson(payload); }, message.payload()),
             out);
  out += '}';
}

std::string Serialize(const Message& message) {
  std::string out;
  AppendSerialized(message, out);
  return out;
}

}  // namespace airbyte::protocol
