#include "sources/stream_record.h"

#include <algorithm>

#include "airbyte/error.h"
#include "util/name_normalizer.h"
#include "util/uuid.h"

namespace airbyte::sources {
namespace {

constexpr const char* kInternalColumns[] = {"_airbyte_raw_id", "_airbyte_extracted_at",
                                            "_airbyte_meta"};

bool IsInternalColumn(std::string_view key) {
  return std::find(std::begin(kInternalColumns), std::end(kInternalColumns), key) !=
         std::end(kInternalColumns);
}

}  // namespace

// Sorted (order-insensitive) copy of an object with every key lower-cased, for comparisons.
nlohmann::json LowerKeysForCompare(const Json& object) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : object.items()) {
    std::string lower = key;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out[lower] = value;
  }
  return out;
}

// --- StreamRecordHandler --------------------------------------------------------------------

StreamRecordHandler::StreamRecordHandler(const Json& json_schema, bool normalize_keys,
                                         bool prune_extra_fields)
    : normalize_(normalize_keys), prune_(prune_extra_fields) {
  if (auto props = json_schema.find("properties");
      props != json_schema.end() && props->is_object()) {
    for (const auto& [name, schema] : props->items()) properties_.push_back(name);
  }
  for (const std::string& property : properties_) {
    std::optional<std::string> normalized = util::TryNormalizeName(property);
    if (normalized) pretty_case_.emplace(*normalized, property);
    index_keys_.push_back(normalize_ ? util::NormalizeName(property) : property);
  }
}

std::string StreamRecordHandler::ToIndexCase(std::string_view key) const {
  std::string normalized = util::NormalizeName(key);
  if (normalize_) return normalized;
  if (auto it = pretty_case_.find(normalized); it != pretty_case_.end()) return it->second;
  return std::string(key);
}

bool StreamRecordHandler::IsKnownKey(std::string_view index_key) const {
  return IsInternalColumn(index_key) ||
         std::find(index_keys_.begin(), index_keys_.end(), index_key) != index_keys_.end();
}

Json StreamRecordHandler::BuildRecord(const Json& data, std::int64_t emitted_at_ms) const {
  Json record = Json::object();
  for (const std::string& key : index_keys_) record[key] = nullptr;
  if (data.is_object()) {
    for (const auto& [key, value] : data.items()) {
      std::string index_key = ToIndexCase(key);
      if (prune_ && !IsKnownKey(index_key)) continue;
      record[index_key] = value;
    }
  }
  record["_airbyte_raw_id"] = util::NewUuidV7();
  record["_airbyte_extracted_at"] = util::FormatUtcMillis(emitted_at_ms);
  record["_airbyte_meta"] = Json::object();
  return record;
}

// --- RecordProducer -------------------------------------------------------------------------

RecordProducer::RecordProducer(std::string stream_name,
                               std::shared_ptr<const StreamRecordHandler> handler,
                               std::unique_ptr<executors::MessageStream> messages,
                               std::function<void(const protocol::ControlMessage&)> on_control,
                               std::optional<std::size_t> limit)
    : stream_name_(std::move(stream_name)),
      handler_(std::move(handler)),
      messages_(std::move(messages)),
      on_control_(std::move(on_control)),
      limit_(limit) {}

RecordProducer::~RecordProducer() = default;

std::optional<StreamRecord> RecordProducer::Next() {
  if (!messages_) return std::nullopt;
  if (limit_ && produced_ >= *limit_) {
    Close();
    return std::nullopt;
  }
  protocol::Message message;
  while (messages_->Next(message)) {
    if (message.type() == protocol::MessageType::kControl) {
      if (on_control_) on_control_(message.control());
      continue;
    }
    if (message.type() != protocol::MessageType::kRecord) continue;
    const protocol::RecordMessage& record = message.record();
    if (record.stream != stream_name_) continue;
    ++produced_;
    return StreamRecord(handler_,
                        handler_->BuildRecord(protocol::RecordDataJson(record), record.emitted_at));
  }
  messages_.reset();  // finished: process reaped, temp files gone
  return std::nullopt;
}

void RecordProducer::Close() {
  if (!messages_) return;
  messages_->Cancel();
  messages_.reset();
}

}  // namespace airbyte::sources

// --- StreamRecord ---------------------------------------------------------------------------

namespace airbyte {

StreamRecord::StreamRecord(std::shared_ptr<const sources::StreamRecordHandler> handler,
                           const Json& data)
    : handler_(std::move(handler)), data_(std::make_unique<Json>(data)) {}
StreamRecord::StreamRecord(const StreamRecord& other)
    : handler_(other.handler_), data_(std::make_unique<Json>(*other.data_)) {}
StreamRecord::StreamRecord(StreamRecord&& other) noexcept = default;
StreamRecord& StreamRecord::operator=(const StreamRecord& other) {
  if (this != &other) {
    handler_ = other.handler_;
    data_ = std::make_unique<Json>(*other.data_);
  }
  return *this;
}
StreamRecord& StreamRecord::operator=(StreamRecord&& other) noexcept = default;
StreamRecord::~StreamRecord() = default;

namespace {

// The stored key for `key`: exact match first, else its index-case form; nullopt if absent.
std::optional<std::string> FindKey(const Json& data, const sources::StreamRecordHandler& handler,
                                   std::string_view key) {
  if (data.contains(key)) return std::string(key);
  std::optional<std::string> index_key = util::TryNormalizeName(key).has_value()
                                             ? std::optional(handler.ToIndexCase(key))
                                             : std::nullopt;
  if (index_key && data.contains(*index_key)) return index_key;
  return std::nullopt;
}

}  // namespace

const Json& StreamRecord::at(std::string_view key) const {
  std::optional<std::string> found = FindKey(*data_, *handler_, key);
  if (!found) {
    throw Error(ErrorKind::kInput, "The record has no such key.",
                {.context = {{"key", std::string(key)}}});
  }
  return (*data_)[*found];
}

bool StreamRecord::contains(std::string_view key) const {
  return FindKey(*data_, *handler_, key).has_value();
}

void StreamRecord::Set(std::string_view key, const Json& value) {
  const std::string index_key = handler_->ToIndexCase(key);
  if (handler_->prune() && !handler_->IsKnownKey(index_key)) return;
  (*data_)[index_key] = value;
}

void StreamRecord::Erase(std::string_view key) {
  std::optional<std::string> found = FindKey(*data_, *handler_, key);
  if (!found) {
    throw Error(ErrorKind::kInput, "The record has no such key.",
                {.context = {{"key", std::string(key)}}});
  }
  data_->erase(*found);
}

const Json& StreamRecord::ToJson() const { return *data_; }
std::size_t StreamRecord::size() const { return data_->size(); }

bool StreamRecord::operator==(const Json& other) const {
  return other.is_object() && sources::LowerKeysForCompare(*data_) ==
                                  sources::LowerKeysForCompare(other);
}

bool StreamRecord::operator==(const StreamRecord& other) const {
  return nlohmann::json(*data_) == nlohmann::json(*other.data_);
}

}  // namespace airbyte
