#pragma once

/// Parses connector stdout lines into Airbyte messages.
///
/// Example:
///   util::LineReader reader(process.stdout_fd());
///   protocol::MessageParser parser;
///   protocol::Message message;
///   std::string_view line;
///   while (reader.Next(line) == util::LineReader::Status::kLine) {
///     if (!parser.Parse(line, util::LineReader::kPadding, message)) continue;  // blank line
///     Handle(message);  // copy out what you keep: `message` is reused by the next Parse()
///   }

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "protocol/message.h"

namespace airbyte::protocol {

/// Turns one stdout line into a Message, as PyAirbyte does: a line that is not a valid
/// Airbyte message becomes an INFO LOG message carrying the line's text (marked
/// `from_non_protocol_line`), never an error.
///
/// RECORD lines take a fast path (simdjson On-Demand, no DOM): the record's `data` object is
/// copied out as raw text, and the RecordMessage already held by `out` is reused, so a loop
/// over a stream of records allocates almost nothing. The fast path checks the envelope, the
/// record's fields, that nothing follows the envelope, and that `data` is an object with
/// balanced brackets and valid strings; it does not check every scalar inside `data` or that
/// bracket kinds match there (RecordDataJson() does, when a DOM is built). Other message types
/// go through nlohmann-json and MessageFromJson().
///
/// Invalid UTF-8 is replaced by U+FFFD (inside a message too, which is then kept). Lines of any
/// size work; parser memory grown for a huge line is given back afterwards. Holds a simdjson
/// parser (~0.5 MiB); not thread-safe: one parser per reading thread. Never throws for bad
/// input; only std::bad_alloc escapes.
class RecordDataSink;

class MessageParser {
 public:
  /// Longest text kept from a non-protocol line; longer text is cut at a character boundary
  /// and ends with kTruncationMark.
  static constexpr std::size_t kMaxLogTextBytes = std::size_t{64} << 10;
  static constexpr std::string_view kTruncationMark = "...(truncated)";

  MessageParser();
  MessageParser(MessageParser&&) noexcept;
  MessageParser& operator=(MessageParser&&) noexcept;
  ~MessageParser();

  /// Parses one line (without '\n'). `readable_after`: bytes readable after line.end() (pass
  /// util::LineReader::kPadding); when fewer than simdjson needs, the line is copied first.
  /// Returns false for a blank (empty or whitespace-only) line, leaving `out` untouched;
  /// otherwise fills `out` and returns true. Trailing whitespace ('\r' included) is ignored.
  /// With a `sink`, a RECORD's `data` on the fast path is offered to it instead of being
  /// copied (record_data_sink.h); what the sink throws propagates.
  bool Parse(std::string_view line, std::size_t readable_after, Message& out,
             RecordDataSink* sink = nullptr);

  /// Lines so far that were not Airbyte messages (turned into LOG messages).
  std::uint64_t non_protocol_lines() const { return non_protocol_lines_; }

  /// Bytes of parse buffers currently held (for tests of the shrink-after-huge-line rule).
  std::size_t buffer_capacity() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint64_t non_protocol_lines_ = 0;
};

}  // namespace airbyte::protocol
