#include "protocol/message_parser.h"

#include <simdjson.h>

#include <cmath>
#include <limits>
#include <new>
#include <string>
#include <utility>

#include "airbyte/error.h"
#include "protocol/json_convert.h"
#include "protocol/record_data_sink.h"
#include "protocol/utf8.h"

namespace airbyte::protocol {
namespace {

namespace ondemand = simdjson::ondemand;

// simdjson sizes its buffers by the longest document seen. Start small, and give memory
// back after a huge line instead of keeping the peak for the rest of the sync.
constexpr std::size_t kInitialCapacity = std::size_t{64} << 10;
constexpr std::size_t kShrinkAbove = std::size_t{16} << 20;
// Deepest nesting a message may have (simdjson's default; Python's json stops near 1000).
constexpr int kMaxDepth = 1024;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// object::raw_json() ends where the next token starts, so it may carry whitespace.
std::string_view TrimTrailingSpace(std::string_view text) {
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

void ThrowIfOutOfMemory(simdjson::error_code error) {
  if (error == simdjson::MEMALLOC) throw std::bad_alloc();
}

// Copies into `target`, dropping a huge capacity left by an earlier huge value.
void AssignShrinking(std::string& target, std::string_view value) {
  if (target.capacity() > kShrinkAbove && value.size() < kShrinkAbove / 4) {
    std::string(value).swap(target);
  } else {
    target.assign(value);
  }
}

bool ReadEmittedAt(ondemand::value& value, std::int64_t& out) {
  ondemand::number number;
  if (value.get_number().get(number) != simdjson::SUCCESS) return false;
  switch (number.get_number_type()) {
    case ondemand::number_type::signed_integer:
      out = number.get_int64();
      return true;
    case ondemand::number_type::unsigned_integer:
      return false;  // >= 2^63: not epoch milliseconds
    case ondemand::number_type::floating_point_number: {
      // The schema says integer, but some connectors send 1.7e12: truncate.
      const double millis = number.get_double();
      if (!std::isfinite(millis) || millis >= 9223372036854775808.0 ||
          millis < -9223372036854775808.0) {
        return false;
      }
      out = static_cast<std::int64_t>(millis);
      return true;
    }
  }
  return false;
}

// `meta` / `file_reference`: rare, small objects, so a DOM is fine.
bool ReadBlob(ondemand::value& value, Json& out) {
  bool is_null = false;
  if (value.is_null().get(is_null) != simdjson::SUCCESS) return false;
  if (is_null) {
    out = nullptr;
    return true;
  }
  ondemand::object object;
  std::string_view raw;
  if (value.get_object().get(object) != simdjson::SUCCESS ||
      object.raw_json().get(raw) != simdjson::SUCCESS) {
    return false;
  }
  out = Json::parse(raw.begin(), raw.end(), nullptr, /*allow_exceptions=*/false);
  return !out.is_discarded();
}

// Fills `record` from the envelope's "record" object. Fields may come in any order; unknown
// ones are skipped. Returns false unless stream, data (an object) and emitted_at are there.
// `data` goes to `sink` when it takes it (`doc` locates its end).
bool ReadRecord(ondemand::value& value, RecordMessage& record, RecordDataSink* sink,
                ondemand::document& doc) {
  ondemand::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return false;
  bool have_stream = false;
  bool have_data = false;
  bool have_emitted_at = false;
  bool have_namespace = false;
  bool have_meta = false;
  bool have_file_reference = false;
  for (auto field_result : object) {
    ondemand::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) return false;
    // Raw comparison: a key written with escapes ("stre\u0061m") does not match here, and the
    // caller's DOM fallback handles that line correctly.
    const ondemand::raw_json_string key = field.key();
    ondemand::value& member = field.value();
    if (key.unsafe_is_equal("stream")) {
      std::string_view stream;
      if (member.get_string().get(stream) != simdjson::SUCCESS) return false;
      record.stream.assign(stream);
      have_stream = true;
    } else if (key.unsafe_is_equal("data")) {
      // Where `data` starts, for its size when the sink takes it (no sink: not needed).
      const bool offer = sink != nullptr && have_stream;
      const char* start = nullptr;
      ondemand::object data;
      if ((offer && doc.current_location().get(start) != simdjson::SUCCESS) ||
          member.get_object().get(data) != simdjson::SUCCESS) {
        return false;
      }
      const char* end = nullptr;
      if (offer && sink->TakeData(record.stream, {data}) &&
          doc.current_location().get(end) == simdjson::SUCCESS) {
        record.data.clear();
        record.data_taken_bytes = static_cast<std::size_t>(end - start);
      } else {
        std::string_view raw;
        if (data.raw_json().get(raw) != simdjson::SUCCESS) return false;
        AssignShrinking(record.data, TrimTrailingSpace(raw));
        record.data_taken_bytes = 0;
      }
      have_data = true;
    } else if (key.unsafe_is_equal("emitted_at")) {
      if (!ReadEmittedAt(member, record.emitted_at)) return false;
      have_emitted_at = true;
    } else if (key.unsafe_is_equal("namespace")) {
      bool is_null = false;
      if (member.is_null().get(is_null) != simdjson::SUCCESS) return false;
      have_namespace = !is_null;
      if (!is_null) {
        std::string_view name;
        if (member.get_string().get(name) != simdjson::SUCCESS) return false;
        if (record.namespace_) {
          record.namespace_->assign(name);
        } else {
          record.namespace_.emplace(name);
        }
      }
    } else if (key.unsafe_is_equal("meta")) {
      if (!ReadBlob(member, record.meta)) return false;
      have_meta = true;
    } else if (key.unsafe_is_equal("file_reference")) {
      if (!ReadBlob(member, record.file_reference)) return false;
      have_file_reference = true;
    }
  }
  if (!have_namespace) record.namespace_.reset();
  // Assigning null to a null json still builds and destroys a temporary: skip it.
  if (!have_meta && !record.meta.is_null()) record.meta = nullptr;
  if (!have_file_reference && !record.file_reference.is_null()) record.file_reference = nullptr;
  return have_stream && have_data && have_emitted_at;
}

enum class FastResult {
  kRecord,      // `out` holds the RECORD
  kFallback,    // not a well-formed RECORD (maybe another type): ask the DOM path
  kBadUtf8,     // the line has invalid UTF-8: repair and retry
  kNotMessage,  // not even JSON: no need to ask the DOM path
};

// The RECORD fast path. `json` has `allocated - len` >= SIMDJSON_PADDING readable bytes after
// it. May leave a partly filled RecordMessage in `out` when it returns kFallback.
FastResult ParseRecord(ondemand::parser& parser, const char* json, std::size_t len,
                       std::size_t allocated, Message& out, RecordDataSink* sink) {
  ondemand::document doc;
  simdjson::error_code error = parser.iterate(json, len, allocated).get(doc);
  ThrowIfOutOfMemory(error);
  if (error == simdjson::UTF8_ERROR) return FastResult::kBadUtf8;
  // Stage 1 failed (unclosed string, bad characters...): no JSON parser would accept the
  // line, and a DOM parser would only take longer to say so on a huge one.
  if (error != simdjson::SUCCESS) return FastResult::kNotMessage;
  ondemand::object envelope;
  if (doc.get_object().get(envelope) != simdjson::SUCCESS) return FastResult::kFallback;

  bool is_record = false;
  bool have_record = false;
  for (auto field_result : envelope) {
    ondemand::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) return FastResult::kFallback;
    const ondemand::raw_json_string key = field.key();
    if (key.unsafe_is_equal("type")) {
      // Compared raw, without unescaping; an escaped spelling takes the DOM path.
      ondemand::raw_json_string type;
      if (field.value().get_raw_json_string().get(type) != simdjson::SUCCESS ||
          !type.unsafe_is_equal("RECORD")) {
        return FastResult::kFallback;
      }
      is_record = true;
    } else if (key.unsafe_is_equal("record")) {
      // Reuse the strings of the record `out` already holds: no allocation in steady state.
      auto* record = std::get_if<RecordMessage>(&out.payload());
      if (record == nullptr) record = &out.payload().emplace<RecordMessage>();
      if (!ReadRecord(field.value(), *record, sink, doc)) return FastResult::kFallback;
      have_record = true;
    }
  }
  if (!is_record || !have_record) return FastResult::kFallback;
  // Nothing may follow the envelope (`{...}{...}`, `{...}}`). simdjson 3.0.1 has no
  // document::at_end(), but raw_json() of the finished document ends at the next token, which
  // is the end of the input unless something follows.
  std::string_view whole;
  if (doc.raw_json().get(whole) != simdjson::SUCCESS || whole.data() + whole.size() != json + len) {
    return FastResult::kFallback;
  }
  return FastResult::kRecord;
}

// True when arrays/objects in `text` nest deeper than `limit`. nlohmann parses any depth,
// but copying and comparing its DOM recurse, so a hostile line could overflow the stack.
bool NestsDeeperThan(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

// Any message type, through a DOM. False when the text is not an Airbyte message.
bool ParseGeneric(std::string_view text, Message& out) {
  if (NestsDeeperThan(text, kMaxDepth)) return false;
  const Json json =
      Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return false;
  try {
    out = MessageFromJson(json);
    return true;
  } catch (const Error&) {
    return false;  // kProtocol: not a valid message, so it is log text
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

// The LOG message PyAirbyte makes of a stdout line that is not an Airbyte message.
void SetNonProtocolLine(std::string_view text, Message& out) {
  auto* log = std::get_if<LogMessage>(&out.payload());
  if (log == nullptr) log = &out.payload().emplace<LogMessage>();
  log->level = LogLevel::kInfo;
  log->stack_trace.reset();
  log->from_non_protocol_line = true;
  if (text.size() <= MessageParser::kMaxLogTextBytes &&
      simdjson::validate_utf8(text.data(), text.size())) {
    AssignShrinking(log->message, text);
    return;
  }
  log->message.clear();
  if (log->message.capacity() > kShrinkAbove) log->message.shrink_to_fit();
  if (!AppendValidUtf8(text, log->message, MessageParser::kMaxLogTextBytes)) {
    log->message += MessageParser::kTruncationMark;
  }
}

void ShrinkString(std::string& buffer) {
  if (buffer.capacity() > kShrinkAbove) std::string().swap(buffer);
}

}  // namespace

struct MessageParser::Impl {
  ondemand::parser parser;
  std::string padded;    // the line copied with padding, when the caller has too little
  std::string repaired;  // the line with invalid UTF-8 replaced, plus padding

  Impl() { ThrowIfOutOfMemory(parser.allocate(kInitialCapacity)); }

  // True when `json` (starting with '{') is an Airbyte message; then `out` holds it.
  bool ParseMessage(std::string_view json, std::size_t readable_after, Message& out,
                    RecordDataSink* sink) {
    const char* data = json.data();
    std::size_t allocated = json.size() + readable_after;
    if (readable_after < simdjson::SIMDJSON_PADDING) {
      padded.assign(json);
      padded.append(simdjson::SIMDJSON_PADDING, ' ');
      data = padded.data();
      allocated = padded.size();
    }
    FastResult result = ParseRecord(parser, data, json.size(), allocated, out, sink);
    std::string_view text = json;
    if (result == FastResult::kBadUtf8) {
      // Keep the message, with U+FFFD where the connector wrote invalid bytes.
      repaired.clear();
      AppendValidUtf8(json, repaired);
      const std::size_t length = repaired.size();
      repaired.append(simdjson::SIMDJSON_PADDING, ' ');
      text = std::string_view(repaired.data(), length);
      result = ParseRecord(parser, repaired.data(), length, repaired.size(), out, sink);
    }
    if (result == FastResult::kRecord) return true;
    return result != FastResult::kNotMessage && ParseGeneric(text, out);
  }

  void Shrink() {
    if (parser.capacity() > kShrinkAbove) {
      ThrowIfOutOfMemory(parser.allocate(kInitialCapacity));
    }
    ShrinkString(padded);
    ShrinkString(repaired);
  }
};

MessageParser::MessageParser() : impl_(std::make_unique<Impl>()) {}
MessageParser::MessageParser(MessageParser&&) noexcept = default;
MessageParser& MessageParser::operator=(MessageParser&&) noexcept = default;
MessageParser::~MessageParser() = default;

bool MessageParser::Parse(std::string_view line, std::size_t readable_after, Message& out,
                          RecordDataSink* sink) {
  const std::string_view text = TrimTrailingSpace(line);
  if (text.empty()) return false;
  // Trimmed bytes are still readable after the text.
  readable_after += line.size() - text.size();

  std::size_t begin = 0;
  while (IsSpace(text[begin])) ++begin;  // stops: text ends with a non-space
  const std::string_view json = text.substr(begin);

  // Plain text (the common non-protocol case) never reaches a JSON parser.
  const bool is_message =
      json.front() == '{' && impl_->ParseMessage(json, readable_after, out, sink);
  if (!is_message) {
    // Leading whitespace is kept: indented log text (stack traces) stays readable.
    SetNonProtocolLine(text, out);
    ++non_protocol_lines_;
  }
  impl_->Shrink();
  return true;
}

std::size_t MessageParser::buffer_capacity() const {
  return impl_->parser.capacity() + impl_->padded.capacity() + impl_->repaired.capacity();
}

}  // namespace airbyte::protocol
