#include "caches/record_batch.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "airbyte/error.h"
#include "caches/value_convert.h"
#include "protocol/record_data_sink.h"
#include "protocol/utf8.h"
#include "util/name_normalizer.h"

namespace airbyte::caches {
namespace {

// A record value on its way to a column. Views point into the builder's parse buffers or the
// TypedRecord and live until the row is finished.
enum class ValueKind : std::uint8_t {
  kNull,
  kFalse,
  kTrue,
  kNumber,   // text: a JSON number token
  kString,   // text: the string's (unescaped) value
  kNested,   // text: raw JSON of an object or array
  kRawJson,  // text: raw JSON of any value (JSON path, for kJson columns)
  kInt,      // int_value (typed path)
  kDouble,   // double_value (typed path; always finite)
};

struct ValueRef {
  ValueKind kind = ValueKind::kNull;
  std::string_view text = {};
  std::int64_t int_value = 0;
  double double_value = 0;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};
// Heterogeneous lookup: keys are found by string_view without building a std::string.
using ColumnIndex = std::unordered_map<std::string, std::int32_t, StringHash, std::equal_to<>>;

// Keys that are not exact property names are normalized once and remembered, misses too. A
// source with ever-new keys (ids as keys) would grow this without bound, hence the cap.
constexpr std::size_t kMaxMemoizedKeys = 4096;

// Positions of the key-order prediction (wider records fall back to hashing past this).
constexpr std::size_t kMaxPredictedKeys = 256;

constexpr std::string_view kNulledChangeMiddle =
    R"(,"change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"})";

bool UsesText(SqlType type) { return type == SqlType::kVarchar || type == SqlType::kJson; }

std::string_view TrimRight(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

class RecordBatchBuilder::Impl {
 public:
  explicit Impl(StreamLayoutPtr layout);

  void AddJson(std::string_view data_json, std::int64_t emitted_at_ms, const Json& meta);
  void BeginJsonRow(simdjson::ondemand::object& object);
  void FinishJsonRow(std::size_t data_bytes, std::int64_t emitted_at_ms, const Json& meta);
  void AddTyped(const protocol::TypedRecord& record, std::int64_t emitted_at_ms,
                const Json& meta);
  RecordBatch Take();

  std::size_t rows() const { return rows_; }
  std::size_t bytes() const { return bytes_; }

 private:
  std::int32_t ColumnForKey(std::string_view key);
  std::int32_t PredictedColumn(std::size_t position, std::string_view key);
  // Starts a row (discarding a pending one).
  void BeginRow();
  // BeginRow, then the object's values into the row's slots.
  void ReadObject(simdjson::ondemand::object& object);
  void SetSlot(std::int32_t column, const ValueRef& value);
  ValueRef ReadJsonValue(simdjson::ondemand::value& value, SqlType target);
  void FinishRow(std::int64_t emitted_at_ms, const Json& meta);
  // `text` when it is valid UTF-8, else a repaired copy (U+FFFD for bad bytes) held in a
  // per-field buffer (repaired_[field], sized by AddTyped) until the next row. Native
  // connectors' strings are not checked by a JSON parser, and batch text must be valid UTF-8
  // (see ColumnData).
  std::string_view ValidUtf8(std::string_view text, std::size_t field);
  // Appends the converted value; false when it cannot be converted (nothing appended).
  bool AppendConverted(ColumnData& column, const ValueRef& value);
  void AppendMeta(const Json& meta, ColumnData& column);
  void AppendNull(ColumnData& column);
  void CloseText(ColumnData& column);
  void ResetColumns(const std::vector<ColumnData>* previous);
  [[noreturn]] void ThrowInvalid(std::string_view what) const;

  StreamLayoutPtr layout_;
  std::size_t property_count_ = 0;
  std::vector<ColumnData> columns_;
  std::size_t rows_ = 0;
  std::size_t bytes_ = 0;

  ColumnIndex by_property_;
  ColumnIndex by_name_;
  ColumnIndex by_normalized_key_;
  // The keys of the last JSON record by position, with their columns: records of a stream
  // mostly repeat one key order, and comparing a key beats hashing it (measured: hashing was
  // ~20% of AddJson).
  std::vector<std::pair<std::string, std::int32_t>> key_order_;

  // The current row's value per property column; valid where slot_row_ equals row_stamp_, so
  // starting a row costs nothing.
  std::vector<ValueRef> slots_;
  std::vector<std::uint32_t> slot_row_;
  std::uint32_t row_stamp_ = 0;
  // Properties of the current row whose value could not be converted.
  std::vector<const std::string*> nulled_;

  simdjson::ondemand::parser parser_;
  std::string padded_;  // the record's data plus SIMDJSON_PADDING bytes

  // Field -> column mapping of the last TypedRecord's field list (shared by all records of a
  // stream); holding the pointer keeps it from being reused by another list.
  std::shared_ptr<const std::vector<std::string>> typed_fields_;
  std::vector<std::int32_t> typed_columns_;
  std::vector<std::string> repaired_;  // ValidUtf8's buffers, by field
  bool pending_json_row_ = false;        // BeginJsonRow read a row FinishJsonRow has not added

  std::uint64_t random_state_ = 0;
};

RecordBatchBuilder::Impl::Impl(StreamLayoutPtr layout) : layout_(std::move(layout)) {
  const std::vector<ColumnDef>& columns = layout_->columns;
  if (columns.size() < 3 || columns[columns.size() - 3].name != kRawIdColumn ||
      columns[columns.size() - 2].name != kExtractedAtColumn ||
      columns[columns.size() - 1].name != kMetaColumn) {
    throw Error(ErrorKind::kInternal, "Stream layout does not end with the internal columns.",
                {.context = {{"stream", layout_->stream}}});
  }
  property_count_ = layout_->property_count();
  for (std::size_t i = 0; i < property_count_; ++i) {
    by_property_.emplace(columns[i].property, static_cast<std::int32_t>(i));
    by_name_.emplace(columns[i].name, static_cast<std::int32_t>(i));
  }
  slots_.resize(property_count_);
  slot_row_.assign(property_count_, 0);
  random_state_ = (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^
                  std::random_device{}() ^
                  static_cast<std::uint64_t>(
                      std::chrono::steady_clock::now().time_since_epoch().count());
  ResetColumns(nullptr);
}

void RecordBatchBuilder::Impl::ResetColumns(const std::vector<ColumnData>* previous) {
  const std::vector<ColumnDef>& defs = layout_->columns;
  std::vector<ColumnData> fresh(defs.size());
  for (std::size_t i = 0; i < defs.size(); ++i) {
    ColumnData& column = fresh[i];
    column.type = defs[i].type;
    // The next batch is most likely as big as the last one: size for it up front.
    const std::size_t rows = previous != nullptr ? (*previous)[i].valid.size() : 0;
    column.valid.reserve(rows);
    switch (column.type) {
      case SqlType::kDecimal: column.decimals.reserve(rows); break;
      case SqlType::kDouble: column.doubles.reserve(rows); break;
      case SqlType::kVarchar:
      case SqlType::kJson:
        column.offsets.reserve(rows + 1);
        column.offsets.push_back(0);
        if (previous != nullptr) column.text.reserve((*previous)[i].text.size());
        break;
      default: column.ints.reserve(rows); break;
    }
  }
  // The internal columns are written by FinishRow whatever type the layout gives them.
  const std::size_t raw_id = property_count_;
  if (!UsesText(fresh[raw_id].type)) {
    fresh[raw_id].type = SqlType::kVarchar;
    fresh[raw_id].offsets.assign(1, 0);
  }
  if (!UsesText(fresh[raw_id + 2].type)) {
    fresh[raw_id + 2].type = SqlType::kJson;
    fresh[raw_id + 2].offsets.assign(1, 0);
  }
  columns_ = std::move(fresh);
}

void RecordBatchBuilder::Impl::ThrowInvalid(std::string_view what) const {
  throw Error(ErrorKind::kProtocol, std::string(what),
              {.guidance = "The connector sent a RECORD whose `data` is not a JSON object.",
               .context = {{"stream", layout_->stream}}});
}

std::int32_t RecordBatchBuilder::Impl::ColumnForKey(std::string_view key) {
  if (auto it = by_property_.find(key); it != by_property_.end()) return it->second;
  if (auto it = by_normalized_key_.find(key); it != by_normalized_key_.end()) return it->second;
  std::int32_t column = -1;
  if (std::optional<std::string> normalized = util::TryNormalizeName(key)) {
    if (auto it = by_name_.find(*normalized); it != by_name_.end()) column = it->second;
  }
  if (by_normalized_key_.size() >= kMaxMemoizedKeys) by_normalized_key_.clear();
  by_normalized_key_.emplace(std::string(key), column);
  return column;
}

std::int32_t RecordBatchBuilder::Impl::PredictedColumn(std::size_t position, std::string_view key) {
  if (position < key_order_.size()) {
    std::pair<std::string, std::int32_t>& predicted = key_order_[position];
    if (predicted.first == key) return predicted.second;
    predicted.first.assign(key);
    predicted.second = ColumnForKey(key);
    return predicted.second;
  }
  const std::int32_t column = ColumnForKey(key);
  if (position < kMaxPredictedKeys) key_order_.emplace_back(std::string(key), column);
  return column;
}

void RecordBatchBuilder::Impl::BeginRow() {
  pending_json_row_ = false;
  if (++row_stamp_ == 0) {  // wrapped: stale stamps could look current
    std::fill(slot_row_.begin(), slot_row_.end(), 0);
    row_stamp_ = 1;
  }
  nulled_.clear();
}

void RecordBatchBuilder::Impl::SetSlot(std::int32_t column, const ValueRef& value) {
  const auto index = static_cast<std::size_t>(column);
  slots_[index] = value;
  slot_row_[index] = row_stamp_;
}

ValueRef RecordBatchBuilder::Impl::ReadJsonValue(simdjson::ondemand::value& value,
                                                 SqlType target) {
  simdjson::ondemand::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) ThrowInvalid("Record data is not valid JSON.");
  ValueRef ref;
  std::string_view text;
  switch (type) {
    case simdjson::ondemand::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) {
        ThrowInvalid("Record data is not valid JSON.");
      }
      return ref;
    }
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object object;
      if (value.get_object().get(object) != simdjson::SUCCESS ||
          object.raw_json().get(text) != simdjson::SUCCESS) {
        ThrowInvalid("Record data is not valid JSON.");
      }
      ref.kind = target == SqlType::kJson ? ValueKind::kRawJson : ValueKind::kNested;
      ref.text = text;
      return ref;
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array array;
      if (value.get_array().get(array) != simdjson::SUCCESS ||
          array.raw_json().get(text) != simdjson::SUCCESS) {
        ThrowInvalid("Record data is not valid JSON.");
      }
      ref.kind = target == SqlType::kJson ? ValueKind::kRawJson : ValueKind::kNested;
      ref.text = text;
      return ref;
    }
    case simdjson::ondemand::json_type::number: {
      ref.text = TrimRight(value.raw_json_token());
      if (!IsJsonNumber(ref.text)) ThrowInvalid("Record data is not valid JSON.");
      ref.kind = target == SqlType::kJson ? ValueKind::kRawJson : ValueKind::kNumber;
      return ref;
    }
    case simdjson::ondemand::json_type::string: {
      const std::string_view token = TrimRight(value.raw_json_token());
      if (value.get_string().get(text) != simdjson::SUCCESS) {
        ThrowInvalid("Record data is not valid JSON.");
      }
      ref.kind = target == SqlType::kJson ? ValueKind::kRawJson : ValueKind::kString;
      ref.text = target == SqlType::kJson ? token : text;
      return ref;
    }
    case simdjson::ondemand::json_type::boolean: {
      const std::string_view token = TrimRight(value.raw_json_token());
      bool flag = false;
      if (value.get_bool().get(flag) != simdjson::SUCCESS) {
        ThrowInvalid("Record data is not valid JSON.");
      }
      ref.kind = target == SqlType::kJson ? ValueKind::kRawJson
                 : flag                   ? ValueKind::kTrue
                                          : ValueKind::kFalse;
      ref.text = token;
      return ref;
    }
  }
  ThrowInvalid("Record data is not valid JSON.");
}

void RecordBatchBuilder::Impl::ReadObject(simdjson::ondemand::object& object) {
  BeginRow();
  std::size_t position = 0;
  for (auto field_result : object) {
    simdjson::ondemand::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      ThrowInvalid("Record data is not valid JSON.");
    }
    const std::int32_t column = PredictedColumn(position++, key);
    // A dropped key's value is skipped by the iterator when it moves to the next field.
    if (column < 0) continue;
    simdjson::ondemand::value value = field.value();
    SetSlot(column, ReadJsonValue(value, layout_->columns[static_cast<std::size_t>(column)].type));
  }
}

void RecordBatchBuilder::Impl::BeginJsonRow(simdjson::ondemand::object& object) {
  ReadObject(object);
  pending_json_row_ = true;
}

void RecordBatchBuilder::Impl::FinishJsonRow(std::size_t data_bytes, std::int64_t emitted_at_ms,
                                             const Json& meta) {
  if (!pending_json_row_) {
    throw Error(ErrorKind::kInternal, "FinishJsonRow without a row from BeginJsonRow.",
                {.context = {{"stream", layout_->stream}}});
  }
  pending_json_row_ = false;
  bytes_ += data_bytes;
  FinishRow(emitted_at_ms, meta);
}

void RecordBatchBuilder::Impl::AddJson(std::string_view data_json, std::int64_t emitted_at_ms,
                                       const Json& meta) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the input: parse a padded copy we own.
  padded_.assign(data_json);
  padded_.append(simdjson::SIMDJSON_PADDING, '\0');
  simdjson::ondemand::document document;
  if (parser_.iterate(padded_.data(), data_json.size(), padded_.size()).get(document) !=
      simdjson::SUCCESS) {
    ThrowInvalid("Record data is not valid JSON.");
  }
  simdjson::ondemand::json_type type;
  if (document.type().get(type) != simdjson::SUCCESS) {
    ThrowInvalid("Record data is not valid JSON.");
  }
  if (type != simdjson::ondemand::json_type::object) {
    ThrowInvalid("Record data is not a JSON object.");
  }
  simdjson::ondemand::object object;
  if (document.get_object().get(object) != simdjson::SUCCESS) {
    ThrowInvalid("Record data is not valid JSON.");
  }
  ReadObject(object);
  // Nothing may follow the object. simdjson 3.0.1 has no document::at_end(), but raw_json() of
  // the finished document ends at the next token: the end of the input unless more follows.
  std::string_view whole;
  if (document.raw_json().get(whole) != simdjson::SUCCESS ||
      whole.data() + whole.size() != padded_.data() + data_json.size()) {
    ThrowInvalid("Record data is not valid JSON.");
  }
  // Nothing thrown past this point for the row: a half-appended row would misalign columns.
  bytes_ += data_json.size();
  FinishRow(emitted_at_ms, meta);
}

void RecordBatchBuilder::Impl::AddTyped(const protocol::TypedRecord& record,
                                        std::int64_t emitted_at_ms, const Json& meta) {
  if (record.fields != typed_fields_) {
    typed_fields_ = record.fields;
    typed_columns_.clear();
    if (typed_fields_) {
      typed_columns_.reserve(typed_fields_->size());
      for (const std::string& field : *typed_fields_) typed_columns_.push_back(ColumnForKey(field));
    }
  }
  BeginRow();
  const std::size_t count = std::min(typed_columns_.size(), record.values.size());
  // Sized before any view into it is taken (growing it would move the strings).
  if (repaired_.size() < count) repaired_.resize(count);
  std::size_t bytes = 2;
  for (std::size_t i = 0; i < count; ++i) {
    const protocol::FieldValue& field_value = record.values[i];
    ValueRef ref;
    switch (field_value.index()) {
      case 0: bytes += 4; break;
      case 1: ref.kind = std::get<bool>(field_value) ? ValueKind::kTrue : ValueKind::kFalse; bytes += 5; break;
      case 2:
        ref.kind = ValueKind::kInt;
        ref.int_value = std::get<std::int64_t>(field_value);
        bytes += 8;
        break;
      case 3:
        ref.double_value = std::get<double>(field_value);
        // NaN and infinities are not JSON: the serializer writes null, so do we.
        if (std::isfinite(ref.double_value)) ref.kind = ValueKind::kDouble;
        bytes += 8;
        break;
      case 4:
        ref.kind = ValueKind::kString;
        ref.text = ValidUtf8(std::get<std::string>(field_value), i);
        bytes += ref.text.size() + 2;
        break;
      case 5:
        ref.kind = ValueKind::kNested;
        ref.text = ValidUtf8(std::get<protocol::RawJson>(field_value).text, i);
        bytes += ref.text.size();
        break;
      default: break;
    }
    if (typed_columns_[i] >= 0) SetSlot(typed_columns_[i], ref);
  }
  for (std::size_t i = 0; i < count; ++i) bytes += (*typed_fields_)[i].size() + 4;
  bytes_ += bytes;
  FinishRow(emitted_at_ms, meta);
}

std::string_view RecordBatchBuilder::Impl::ValidUtf8(std::string_view text, std::size_t field) {
  // ASCII first, 8 bytes at a time: most values are short ASCII strings, for which
  // simdjson's dispatched validator costs more than the check (it was ~3% of a faker read).
  std::size_t i = 0;
  std::uint64_t high_bits = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    high_bits |= word;
  }
  for (; i < text.size(); ++i) high_bits |= static_cast<unsigned char>(text[i]);
  if ((high_bits & 0x8080808080808080ull) == 0) return text;
  if (simdjson::validate_utf8(text.data(), text.size())) return text;
  repaired_[field].clear();
  protocol::AppendValidUtf8(text, repaired_[field]);
  return repaired_[field];
}

void RecordBatchBuilder::Impl::FinishRow(std::int64_t emitted_at_ms, const Json& meta) {
  for (std::size_t i = 0; i < property_count_; ++i) {
    ColumnData& column = columns_[i];
    if (slot_row_[i] != row_stamp_ || slots_[i].kind == ValueKind::kNull) {
      AppendNull(column);
    } else if (!AppendConverted(column, slots_[i])) {
      AppendNull(column);
      nulled_.push_back(&layout_->columns[i].property);
    }
  }
  ColumnData& raw_id = columns_[property_count_];
  raw_id.valid.push_back(1);
  AppendUuidV7(emitted_at_ms, SplitMix64(random_state_), SplitMix64(random_state_), raw_id.text);
  CloseText(raw_id);

  ColumnData& extracted_at = columns_[property_count_ + 1];
  extracted_at.valid.push_back(1);
  extracted_at.ints.push_back(emitted_at_ms * 1000);

  AppendMeta(meta, columns_[property_count_ + 2]);
  ++rows_;
}

void RecordBatchBuilder::Impl::AppendMeta(const Json& meta, ColumnData& column) {
  const Json* source_changes = nullptr;
  if (meta.is_object()) {
    auto it = meta.find("changes");
    if (it != meta.end() && it->is_array() && !it->empty()) source_changes = &*it;
  }
  column.valid.push_back(1);
  std::string& out = column.text;
  if (source_changes == nullptr && nulled_.empty()) {
    out += "{}";
  } else {
    out += R"({"changes":[)";
    bool first = true;
    if (source_changes != nullptr) {
      for (const Json& change : *source_changes) {
        if (!first) out += ',';
        first = false;
        out += change.dump(-1, ' ', false, Json::error_handler_t::replace);
      }
    }
    for (const std::string* property : nulled_) {
      if (!first) out += ',';
      first = false;
      out += R"({"field":)";
      AppendJsonString(*property, out);
      out += kNulledChangeMiddle;
    }
    out += "]}";
  }
  CloseText(column);
}

void RecordBatchBuilder::Impl::CloseText(ColumnData& column) {
  if (column.text.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw Error(ErrorKind::kInternal, "A record batch column grew past 4 GiB of text.",
                {.context = {{"stream", layout_->stream}}});
  }
  column.offsets.push_back(static_cast<std::uint32_t>(column.text.size()));
}

void RecordBatchBuilder::Impl::AppendNull(ColumnData& column) {
  column.valid.push_back(0);
  switch (column.type) {
    case SqlType::kDecimal: column.decimals.push_back({}); break;
    case SqlType::kDouble: column.doubles.push_back(0); break;
    case SqlType::kVarchar:
    case SqlType::kJson: column.offsets.push_back(static_cast<std::uint32_t>(column.text.size())); break;
    default: column.ints.push_back(0); break;
  }
}

bool RecordBatchBuilder::Impl::AppendConverted(ColumnData& column, const ValueRef& value) {
  const ValueKind kind = value.kind;
  const auto push_int = [&column](std::optional<std::int64_t> converted) {
    if (!converted) return false;
    column.valid.push_back(1);
    column.ints.push_back(*converted);
    return true;
  };
  switch (column.type) {
    case SqlType::kVarchar:
    case SqlType::kJson: {
      // The same text either way, except that a JSON column quotes strings and keeps nested
      // values compact, while VARCHAR stores strings bare and nested values as Python writes them.
      const bool json = column.type == SqlType::kJson;
      std::string& out = column.text;
      const std::size_t before = out.size();
      switch (kind) {
        case ValueKind::kString:
          if (json) {
            AppendJsonString(value.text, out);
          } else {
            out += value.text;
          }
          break;
        case ValueKind::kNumber: out += value.text; break;
        case ValueKind::kTrue: out += "true"; break;
        case ValueKind::kFalse: out += "false"; break;
        case ValueKind::kInt: AppendInt64(value.int_value, out); break;
        case ValueKind::kDouble: AppendJsonDouble(value.double_value, out); break;
        case ValueKind::kNested:
        case ValueKind::kRawJson:
          if (!AppendJsonText(value.text, json ? JsonStyle::kCompact : JsonStyle::kPython, out)) {
            out.resize(before);
            return false;
          }
          break;
        case ValueKind::kNull: return false;
      }
      column.valid.push_back(1);
      CloseText(column);
      return true;
    }
    case SqlType::kBigint:
      switch (kind) {
        case ValueKind::kNumber:
        case ValueKind::kString: return push_int(ParseInt64(value.text));
        case ValueKind::kInt: return push_int(value.int_value);
        case ValueKind::kDouble: {
          const double d = value.double_value;
          // 2^63 itself is not an int64; -2^63 is.
          if (d != std::trunc(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
            return false;
          }
          return push_int(static_cast<std::int64_t>(d));
        }
        default: return false;
      }
    case SqlType::kDecimal: {
      std::optional<Int128> converted;
      switch (kind) {
        case ValueKind::kNumber:
        case ValueKind::kString: converted = ParseDecimal(value.text); break;
        case ValueKind::kInt: converted = DecimalFromInt64(value.int_value); break;
        case ValueKind::kDouble: converted = DecimalFromDouble(value.double_value); break;
        default: break;
      }
      if (!converted) return false;
      column.valid.push_back(1);
      column.decimals.push_back(*converted);
      return true;
    }
    case SqlType::kDouble: {
      std::optional<double> converted;
      switch (kind) {
        case ValueKind::kNumber:
        case ValueKind::kString: converted = ParseDouble(value.text); break;
        case ValueKind::kInt: converted = static_cast<double>(value.int_value); break;
        case ValueKind::kDouble: converted = value.double_value; break;
        default: break;
      }
      if (!converted) return false;
      column.valid.push_back(1);
      column.doubles.push_back(*converted);
      return true;
    }
    case SqlType::kBoolean:
      switch (kind) {
        case ValueKind::kTrue: return push_int(1);
        case ValueKind::kFalse: return push_int(0);
        case ValueKind::kString: {
          const std::optional<bool> converted = ParseBool(value.text);
          return converted && push_int(*converted ? 1 : 0);
        }
        default: return false;
      }
    case SqlType::kDate:
      if (kind != ValueKind::kString) return false;
      if (const std::optional<std::int32_t> days = ParseDate(value.text)) return push_int(*days);
      return false;
    case SqlType::kTime:
      return kind == ValueKind::kString && push_int(ParseTime(value.text));
    case SqlType::kTimestamp:
    case SqlType::kTimestampTz: {
      if (kind != ValueKind::kString) return false;
      bool had_offset = false;
      return push_int(ParseTimestamp(value.text, had_offset));
    }
  }
  return false;
}

RecordBatch RecordBatchBuilder::Impl::Take() {
  RecordBatch batch;
  batch.layout = layout_;
  batch.rows = rows_;
  batch.input_bytes = bytes_;
  batch.columns = std::move(columns_);
  ResetColumns(&batch.columns);
  rows_ = 0;
  bytes_ = 0;
  return batch;
}

RecordBatchBuilder::RecordBatchBuilder(StreamLayoutPtr layout)
    : impl_(std::make_unique<Impl>(std::move(layout))) {}
RecordBatchBuilder::~RecordBatchBuilder() = default;
RecordBatchBuilder::RecordBatchBuilder(RecordBatchBuilder&&) noexcept = default;
RecordBatchBuilder& RecordBatchBuilder::operator=(RecordBatchBuilder&&) noexcept = default;

void RecordBatchBuilder::AddJson(std::string_view data_json, std::int64_t emitted_at_ms,
                                 const Json& meta) {
  impl_->AddJson(data_json, emitted_at_ms, meta);
}

void RecordBatchBuilder::AddTyped(const protocol::TypedRecord& record, std::int64_t emitted_at_ms,
                                  const Json& meta) {
  impl_->AddTyped(record, emitted_at_ms, meta);
}

void RecordBatchBuilder::Add(const protocol::RecordMessage& record) {
  if (record.typed) {
    AddTyped(*record.typed, record.emitted_at, record.meta);
  } else {
    AddJson(record.data, record.emitted_at, record.meta);
  }
}

void RecordBatchBuilder::BeginJsonRow(const protocol::RecordDataObject& data) {
  impl_->BeginJsonRow(data.object);
}

void RecordBatchBuilder::FinishJsonRow(std::size_t data_bytes, std::int64_t emitted_at_ms,
                                       const Json& meta) {
  impl_->FinishJsonRow(data_bytes, emitted_at_ms, meta);
}

std::size_t RecordBatchBuilder::rows() const { return impl_->rows(); }
std::size_t RecordBatchBuilder::bytes() const { return impl_->bytes(); }
RecordBatch RecordBatchBuilder::Take() { return impl_->Take(); }

}  // namespace airbyte::caches
