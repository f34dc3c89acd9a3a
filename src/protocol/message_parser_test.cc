#include "protocol/message_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "airbyte/error.h"
#include "protocol/record_data_sink.h"
#include "protocol/utf8.h"
#include "testutil/testutil.h"
#include "util/line_reader.h"

namespace airbyte::protocol {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

bool IsValidUtf8(std::string_view text) {
  std::string repaired;
  AppendValidUtf8(text, repaired);
  return repaired == text;
}

class MessageParserTest : public ::testing::Test {
 protected:
  // Parses `line` the way a LineReader hands it over: followed by kPadding readable bytes
  // (here filled with `padding_byte`, which simdjson must not mistake for input).
  bool ParseInto(std::string_view line, Message& out, char padding_byte = ' ',
                 RecordDataSink* sink = nullptr) {
    buffer_.assign(line);
    buffer_.append(util::LineReader::kPadding, padding_byte);
    return parser_.Parse(std::string_view(buffer_.data(), line.size()), util::LineReader::kPadding,
                         out, sink);
  }

  Message Parse(std::string_view line) {
    Message message;
    EXPECT_TRUE(ParseInto(line, message));
    return message;
  }

  // Asserts that `line` is not an Airbyte message: it becomes an INFO log of its text.
  void ExpectNonProtocol(std::string_view line, std::string_view text) {
    const std::uint64_t before = parser_.non_protocol_lines();
    const Message message = Parse(line);
    ASSERT_EQ(message.type(), MessageType::kLog) << line;
    EXPECT_EQ(message.log().level, LogLevel::kInfo);
    EXPECT_TRUE(message.log().from_non_protocol_line) << line;
    EXPECT_EQ(message.log().message, text);
    EXPECT_EQ(parser_.non_protocol_lines(), before + 1);
  }

  MessageParser parser_;
  std::string buffer_;
};

TEST_F(MessageParserTest, BlankLinesReturnFalseAndLeaveOutUntouched) {
  Message out(ConnectionStatus{.message = "kept"});
  for (std::string_view line : {"", " ", "\t  \r", "\r", "\n"}) {
    EXPECT_FALSE(ParseInto(line, out)) << "line: '" << line << "'";
  }
  ASSERT_EQ(out.type(), MessageType::kConnectionStatus);
  EXPECT_EQ(out.connection_status().message, "kept");
  EXPECT_EQ(parser_.non_protocol_lines(), 0u);
}

TEST_F(MessageParserTest, ParsesRecordFieldsAndKeepsDataTextVerbatim) {
  const Message message =
      Parse(R"({"type":"RECORD","record":{"stream":"users","namespace":"public","data":)"
            R"({"id":1, "name":null,"nested":{"a":[1.50,"}"]}},"emitted_at":1735689600002}})");
  ASSERT_EQ(message.type(), MessageType::kRecord);
  const RecordMessage& record = message.record();
  EXPECT_EQ(record.stream, "users");
  EXPECT_EQ(record.namespace_, "public");
  EXPECT_EQ(record.data, R"({"id":1, "name":null,"nested":{"a":[1.50,"}"]}})");
  EXPECT_EQ(record.emitted_at, 1735689600002);
  EXPECT_TRUE(record.meta.is_null());
  EXPECT_TRUE(record.file_reference.is_null());
}

TEST_F(MessageParserTest, AcceptsTypeLastAndSkipsUnknownFieldsEverywhere) {
  const Message message =
      Parse(R"({"extra":{"a":[1,{"b":"}"}]},"record":{"x":[{"type":"LOG"}],"data":{"id":1} ,)"
            R"("emitted_at":5,"stream":"s","unknown":null},"more":true,"type":"RECORD"})");
  ASSERT_EQ(message.type(), MessageType::kRecord);
  EXPECT_EQ(message.record().stream, "s");
  EXPECT_EQ(message.record().data, R"({"id":1})");
  EXPECT_EQ(message.record().emitted_at, 5);
}

TEST_F(MessageParserTest, ToleratesCrLfAndSurroundingWhitespace) {
  for (std::string_view line :
       {"{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{},\"emitted_at\":1}}\r",
        "  {\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{},\"emitted_at\":1}} "
        "\t\r"}) {
    const Message message = Parse(line);
    ASSERT_EQ(message.type(), MessageType::kRecord) << line;
    EXPECT_EQ(message.record().data, "{}");
  }
}

TEST_F(MessageParserTest, TruncatesFloatEmittedAt) {
  const Message message =
      Parse(R"({"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1.7356896e12}})");
  ASSERT_EQ(message.type(), MessageType::kRecord);
  EXPECT_EQ(message.record().emitted_at, 1735689600000);
  EXPECT_EQ(Parse(R"({"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":12.9}})")
                .record()
                .emitted_at,
            12);
}

TEST_F(MessageParserTest, NullNamespaceIsAbsent) {
  const Message message = Parse(
      R"({"type":"RECORD","record":{"stream":"s","namespace":null,"data":{},"emitted_at":1}})");
  ASSERT_EQ(message.type(), MessageType::kRecord);
  EXPECT_EQ(message.record().namespace_, std::nullopt);
}

TEST_F(MessageParserTest, ReadsMetaAndFileReference) {
  const Message message =
      Parse(R"({"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1,)"
            R"("meta":{"changes":[]},"file_reference":{"file_size_bytes":3}}})");
  ASSERT_EQ(message.type(), MessageType::kRecord);
  EXPECT_EQ(message.record().meta, Json::parse(R"({"changes":[]})"));
  EXPECT_EQ(message.record().file_reference["file_size_bytes"], 3);
}

TEST_F(MessageParserTest, UnescapesStreamNames) {
  const Message message =
      Parse(R"({"type":"RECORD","record":{"stream":"a\u00e9\"b\\","data":{},"emitted_at":1}})");
  ASSERT_EQ(message.type(), MessageType::kRecord);
  EXPECT_EQ(message.record().stream, "a\xC3\xA9\"b\\");
}

TEST_F(MessageParserTest, KeysWrittenWithEscapesStillCount) {
  const Message message =
      Parse(R"({"type":"RECORD","record":{"stre\u0061m":"s","data":{"a":1},"emitted_at":1}})");
  ASSERT_EQ(message.type(), MessageType::kRecord);
  EXPECT_EQ(message.record().stream, "s");
  EXPECT_EQ(Json::parse(message.record().data), Json({{"a", 1}}));
}

TEST_F(MessageParserTest, ReusesTheRecordStorageOfOut) {
  Message out;
  ASSERT_TRUE(ParseInto(
      R"({"type":"RECORD","record":{"stream":"users","namespace":"n","data":{"a":"0123456789"},)"
      R"("emitted_at":1,"meta":{"changes":[]}}})",
      out));
  const char* data = out.record().data.data();
  const char* stream = out.record().stream.data();
  ASSERT_TRUE(ParseInto(
      R"({"type":"RECORD","record":{"stream":"users","data":{"b":2},"emitted_at":2}})", out));
  EXPECT_EQ(out.record().data.data(), data);
  EXPECT_EQ(out.record().stream.data(), stream);
  // Fields absent from the second line do not leak from the first.
  EXPECT_EQ(out.record().data, R"({"b":2})");
  EXPECT_EQ(out.record().namespace_, std::nullopt);
  EXPECT_TRUE(out.record().meta.is_null());
}

TEST_F(MessageParserTest, ParsesOtherMessageTypes) {
  const Message log = Parse(R"({"type":"LOG","log":{"level":"DEBUG","message":"hello"}})");
  ASSERT_EQ(log.type(), MessageType::kLog);
  EXPECT_EQ(log.log().level, LogLevel::kDebug);
  EXPECT_FALSE(log.log().from_non_protocol_line);

  const Message state = Parse(
      R"({"state":{"stream":{"stream_descriptor":{"name":"u"},"stream_state":{"c":1}}},"type":"STATE"})");
  ASSERT_EQ(state.type(), MessageType::kState);
  EXPECT_EQ(state.state().type, StateType::kLegacy);  // no `type`: LEGACY
  EXPECT_EQ(parser_.non_protocol_lines(), 0u);
}

TEST_F(MessageParserTest, PlainTextBecomesInfoLog) {
  ExpectNonProtocol("Starting sync of users", "Starting sync of users");
  // Leading whitespace is kept (indented stack traces), trailing whitespace is not.
  ExpectNonProtocol("    at Foo.bar(Foo.java:10)\r", "    at Foo.bar(Foo.java:10)");
}

TEST_F(MessageParserTest, TextThatIsNotAnAirbyteMessageBecomesInfoLog) {
  for (std::string_view line : {
           R"({)",
           R"({"type":"RECORD")",
           R"([1,2])",
           R"("a string")",
           R"(42)",
           R"(null)",
           R"({})",
           R"({'type': 'RECORD'})",
           R"({"type":"NOPE"})",
           R"({"type":5})",
           R"({"type":"RECORD"})",
           R"({"type":"RECORD","record":null})",
           R"({"type":"RECORD","record":[]})",
           R"({"type":"RECORD","record":{"stream":"s","data":"str","emitted_at":1}})",
           R"({"type":"RECORD","record":{"stream":"s","data":[1],"emitted_at":1}})",
           R"({"type":"RECORD","record":{"stream":"s","data":null,"emitted_at":1}})",
           R"({"type":"RECORD","record":{"data":{},"emitted_at":1}})",
           R"({"type":"RECORD","record":{"stream":"s","emitted_at":1}})",
           R"({"type":"RECORD","record":{"stream":"s","data":{}}})",
           R"({"type":"RECORD","record":{"stream":1,"data":{},"emitted_at":1}})",
           R"({"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":"1"}})",
           R"({"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1e300}})",
           R"({"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1}} trailing)",
           R"({"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1}}{"a":1})",
           R"({"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1}}})",
           R"({"type":"LOG","log":{"level":"INFO"}})",
           R"({"type":"STATE","state":{"type":"PER_STREAM"}})",
           R"({"type":"TRACE","trace":{"type":"ERROR","emitted_at":1}})",
       }) {
    SCOPED_TRACE(line);
    ExpectNonProtocol(line, line);
  }
}

// The fast path checks that `data` is a bracket-balanced object with valid strings, not every
// scalar inside it: a record with subtly broken data is kept, and RecordDataJson() reports it
// (naming the stream) when a DOM is built.
TEST_F(MessageParserTest, LeavesFullDataValidationToRecordDataJson) {
  const Message message =
      Parse(R"({"type":"RECORD","record":{"stream":"s","data":{"a":1,},"emitted_at":1}})");
  ASSERT_EQ(message.type(), MessageType::kRecord);
  EXPECT_THAT([&] { RecordDataJson(message.record()); },
              testutil::ThrowsError(ErrorKind::kProtocol, HasSubstr("Stream: 's'")));
}

TEST_F(MessageParserTest, DeeplyNestedMessageBecomesTextInsteadOfExhaustingTheStack) {
  std::string line = R"({"type":"STATE","state":{"type":"LEGACY","data":{"a":)";
  line += std::string(200'000, '[') + std::string(200'000, ']') + "}}}";
  const Message message = Parse(line);
  ASSERT_EQ(message.type(), MessageType::kLog);
  EXPECT_TRUE(message.log().from_non_protocol_line);

  std::string shallow = R"({"type":"STATE","state":{"type":"LEGACY","data":{"a":)";
  shallow += std::string(100, '[') + std::string(100, ']') + "}}}";
  EXPECT_EQ(Parse(shallow).type(), MessageType::kState);
}

TEST_F(MessageParserTest, ReplacesInvalidUtf8InPlainText) {
  ExpectNonProtocol("caf\xE9 \xFF ok", std::string("caf") + std::string(kReplacement) + " " +
                                           std::string(kReplacement) + " ok");
}

TEST_F(MessageParserTest, KeepsRecordWithInvalidUtf8InsideData) {
  const Message message = Parse(
      "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{\"name\":\"caf\xE9\","
      "\"x\":\"\xF0\x9F\x98\"},\"emitted_at\":1}}");
  ASSERT_EQ(message.type(), MessageType::kRecord);
  const std::string& data = message.record().data;
  EXPECT_TRUE(IsValidUtf8(data));
  EXPECT_THAT(data, HasSubstr(std::string("caf") + std::string(kReplacement)));
  EXPECT_EQ(RecordDataJson(message.record())["x"], std::string(kReplacement));
  EXPECT_EQ(parser_.non_protocol_lines(), 0u);
}

TEST_F(MessageParserTest, KeepsOtherMessagesWithInvalidUtf8) {
  const Message message =
      Parse("{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"\xC0!\"}}");
  ASSERT_EQ(message.type(), MessageType::kLog);
  EXPECT_FALSE(message.log().from_non_protocol_line);
  EXPECT_EQ(message.log().message, std::string(kReplacement) + "!");
}

TEST_F(MessageParserTest, WorksWithoutPaddingAndWithHostilePadding) {
  const std::string line =
      R"({"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":1}})";
  Message message;
  ASSERT_TRUE(parser_.Parse(line, /*readable_after=*/0, message));  // copied internally
  ASSERT_EQ(message.type(), MessageType::kRecord);
  EXPECT_EQ(message.record().data, R"({"a":1})");

  // A '}' right after the input once confused simdjson (simdjson issue #1834).
  Message padded;
  ASSERT_TRUE(ParseInto(line, padded, '}'));
  ASSERT_EQ(padded.type(), MessageType::kRecord);
  ASSERT_TRUE(ParseInto(R"({"type":"RECORD","record":{"stream":"s","data":{"a":1})", padded, '}'));
  EXPECT_EQ(padded.type(), MessageType::kLog);
}

TEST_F(MessageParserTest, CutsLongNonProtocolTextAt64KiB) {
  const std::string line(100'000, 'z');
  const Message message = Parse(line);
  ASSERT_EQ(message.type(), MessageType::kLog);
  EXPECT_EQ(message.log().message, std::string(MessageParser::kMaxLogTextBytes, 'z') +
                                       std::string(MessageParser::kTruncationMark));
  // A cut never splits a character.
  std::string accents;
  while (accents.size() < 70'000) accents += "\xC3\xA9";
  const Message cut = Parse("x" + accents);
  EXPECT_TRUE(IsValidUtf8(cut.log().message));
  EXPECT_THAT(cut.log().message, EndsWith(MessageParser::kTruncationMark));
  EXPECT_LE(cut.log().message.size(),
            MessageParser::kMaxLogTextBytes + MessageParser::kTruncationMark.size());
}

constexpr std::size_t kHugeBytes = (std::size_t{64} << 20) + 7;

TEST_F(MessageParserTest, ParsesHugeRecordLineAndGivesMemoryBack) {
  const auto start = std::chrono::steady_clock::now();
  std::string line = R"({"type":"RECORD","record":{"stream":"big","data":{"blob":")";
  line.append(kHugeBytes, 'a');
  line += R"(","n":[1,2,3]},"emitted_at":7}})";
  Message message;
  ASSERT_TRUE(ParseInto(line, message));
  ASSERT_EQ(message.type(), MessageType::kRecord);
  EXPECT_EQ(message.record().data.size(), kHugeBytes + 23);
  EXPECT_THAT(message.record().data, StartsWith(R"({"blob":"aaa)"));
  EXPECT_THAT(message.record().data, EndsWith(R"(aaa","n":[1,2,3]})"));
  EXPECT_EQ(message.record().emitted_at, 7);
  EXPECT_LT(parser_.buffer_capacity(), 1u << 20);

  // The next small record reuses `message` without keeping the huge buffer alive.
  ASSERT_TRUE(
      ParseInto(R"({"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1}})", message));
  EXPECT_EQ(message.record().data, "{}");
  EXPECT_LT(message.record().data.capacity(), 1u << 20);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(MessageParserTest, ParsesHugeGarbageLinesAndGivesMemoryBack) {
  std::string garbage(kHugeBytes, 'x');
  const Message text = Parse(garbage);
  ASSERT_EQ(text.type(), MessageType::kLog);
  EXPECT_EQ(text.log().message.size(),
            MessageParser::kMaxLogTextBytes + MessageParser::kTruncationMark.size());

  // Starts like JSON, so it goes through both JSON parsers before turning into text.
  garbage.replace(0, 9, R"({"type":")");
  const Message broken = Parse(garbage);
  ASSERT_EQ(broken.type(), MessageType::kLog);
  EXPECT_THAT(broken.log().message, StartsWith(R"({"type":"xxx)"));
  EXPECT_EQ(parser_.non_protocol_lines(), 2u);
  EXPECT_LT(parser_.buffer_capacity(), 1u << 20);
}

// A sink that reads each data object's keys and values (as raw JSON tokens), or declines.
class KeySink : public RecordDataSink {
 public:
  bool TakeData(std::string_view stream, RecordDataObject data) override {
    streams.emplace_back(stream);
    if (decline) return false;
    if (fail) throw Error(ErrorKind::kProtocol, "sink failed");
    for (auto field : data.object) {
      std::string_view key;
      if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
      keys.emplace_back(key);
      // Each value's raw JSON: objects whole, scalars as their token.
      simdjson::ondemand::value value = field.value();
      simdjson::ondemand::json_type type;
      if (value.type().get(type) != simdjson::SUCCESS) return false;
      std::string_view raw;
      if (type == simdjson::ondemand::json_type::object) {
        simdjson::ondemand::object object;
        if (value.get_object().get(object) != simdjson::SUCCESS ||
            object.raw_json().get(raw) != simdjson::SUCCESS) {
          return false;
        }
      } else {
        raw = value.raw_json_token();
      }
      values.emplace_back(raw);
    }
    return true;
  }

  bool decline = false;
  bool fail = false;
  std::vector<std::string> streams;
  std::vector<std::string> keys;
  std::vector<std::string> values;
};

TEST_F(MessageParserTest, DataSinkTakesRecordDataWithinTheSameParse) {
  KeySink sink;
  const std::string data = R"({"id":1, "name":null,"nested":{"a":[1.50,"}"]}})";
  Message message;
  ASSERT_TRUE(ParseInto(R"({"type":"RECORD","record":{"stream":"users","data":)" + data +
                            R"(,"namespace":"public","emitted_at":1735689600002}})",
                        message, ' ', &sink));
  ASSERT_EQ(message.type(), MessageType::kRecord);
  const RecordMessage& record = message.record();
  EXPECT_THAT(sink.streams, ElementsAre("users"));
  EXPECT_THAT(sink.keys, ElementsAre("id", "name", "nested"));
  EXPECT_THAT(sink.values, ElementsAre("1", "null", R"({"a":[1.50,"}"]})"));
  EXPECT_EQ(record.data_taken_bytes, data.size());
  EXPECT_EQ(record.data, "");
  EXPECT_EQ(record.namespace_, "public");  // fields after data are still read
  EXPECT_EQ(record.emitted_at, 1735689600002);

  // The next record reuses `message`; a declining sink leaves data to the parser.
  sink.decline = true;
  ASSERT_TRUE(
      ParseInto(R"({"type":"RECORD","record":{"stream":"s","data":{"id":2},"emitted_at":1}})",
                message, ' ', &sink));
  EXPECT_EQ(message.record().data, R"({"id":2})");
  EXPECT_EQ(message.record().data_taken_bytes, 0u);
}

TEST_F(MessageParserTest, DataSinkIsNotAskedWhenStreamComesAfterData) {
  KeySink sink;
  Message message;
  ASSERT_TRUE(
      ParseInto(R"({"type":"RECORD","record":{"data":{"id":1},"stream":"s","emitted_at":1}})",
                message, ' ', &sink));
  EXPECT_TRUE(sink.streams.empty());
  EXPECT_EQ(message.record().data, R"({"id":1})");
  EXPECT_EQ(message.record().data_taken_bytes, 0u);
}

TEST_F(MessageParserTest, WhatTheDataSinkThrowsPropagates) {
  KeySink sink;
  sink.fail = true;
  Message message;
  EXPECT_THAT([&] {
    ParseInto(R"({"type":"RECORD","record":{"stream":"s","data":{"id":1},"emitted_at":1}})",
              message, ' ', &sink);
  }, testutil::ThrowsError(ErrorKind::kProtocol, HasSubstr("sink failed")));
}

// A line the fast path gives up on after the sink took `data` (here: a second object) is
// parsed again by the DOM path: not a message, so text; nothing claims the data was taken.
TEST_F(MessageParserTest, DataSinkTakenDataOfALineThatIsNotAMessageIsDropped) {
  KeySink sink;
  Message message;
  const std::string line =
      R"({"type":"RECORD","record":{"stream":"s","data":{"id":1},"emitted_at":1}} {})";
  ASSERT_TRUE(ParseInto(line, message, ' ', &sink));
  EXPECT_THAT(sink.streams, ElementsAre("s"));
  ASSERT_EQ(message.type(), MessageType::kLog);
  EXPECT_EQ(message.log().message, line);
}

}  // namespace
}  // namespace airbyte::protocol
