#pragma once

/// Lets a reader convert a RECORD's `data` while MessageParser parses the line, so each line
/// is parsed once (instead of `data` being copied out as text and parsed again).

#include <string_view>

#include <simdjson.h>

namespace airbyte::protocol {

/// A RECORD's `data` object inside the line being parsed. Views taken from it (keys, string
/// values, raw tokens) stay valid until the parser parses its next line.
struct RecordDataObject {
  simdjson::ondemand::object& object;
};

/// Receives `data` during MessageParser::Parse (see Parse()). Called only for a record whose
/// `stream` field comes before `data` (as every Airbyte CDK writes it).
class RecordDataSink {
 public:
  virtual ~RecordDataSink() = default;
  /// Returns false, without touching `data`, to leave it to the parser (copied into
  /// RecordMessage::data as usual). Returning true means it read the whole object; the
  /// RecordMessage then has `data_taken_bytes` set and an empty `data`. May throw (e.g. an
  /// Error for a value it cannot read); Parse() then throws that.
  virtual bool TakeData(std::string_view stream, RecordDataObject data) = 0;
};

}  // namespace airbyte::protocol
