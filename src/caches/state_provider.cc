#include "airbyte/state.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"

namespace airbyte {
namespace {

const Json* StreamName(const Json& message) {
  if (message.value("type", "") != "STREAM") return nullptr;
  const auto stream = message.find("stream");
  if (stream == message.end() || !stream->is_object()) return nullptr;
  const auto descriptor = stream->find("stream_descriptor");
  if (descriptor == stream->end() || !descriptor->is_object()) return nullptr;
  const auto name = descriptor->find("name");
  return name == descriptor->end() || !name->is_string() ? nullptr : &*name;
}

}  // namespace

StateProvider::StateProvider(std::vector<Json> state_messages)
    : messages_(std::move(state_messages)) {}

std::vector<Json> StateProvider::StreamStateArtifacts() const {
  std::vector<Json> streams;
  for (const Json& message : messages_) {
    if (StreamName(message) != nullptr) streams.push_back(message.at("stream"));
  }
  return streams;
}

std::vector<std::string> StateProvider::KnownStreamNames() const {
  std::vector<std::string> names;
  for (const Json& message : messages_) {
    if (const Json* name = StreamName(message)) names.push_back(name->get<std::string>());
  }
  return names;
}

std::optional<Json> StateProvider::GetStreamState(std::string_view stream) const {
  for (const Json& message : messages_) {
    const Json* name = StreamName(message);
    if (name != nullptr && name->get<std::string>() == stream) return message;
  }
  return std::nullopt;
}

Json StateProvider::RequireStreamState(std::string_view stream) const {
  if (std::optional<Json> state = GetStreamState(stream)) return *std::move(state);
  std::string available;
  for (const std::string& name : KnownStreamNames()) {
    available += (available.empty() ? "" : ", ") + name;
  }
  throw Error(ErrorKind::kStateNotFound, "State message not found.",
              {.context = {{"stream_name", std::string(stream)},
                           {"available_streams", available}}});
}

std::string StateProvider::ToStateInputFileText() const {
  std::string text = "[";
  for (std::size_t i = 0; i < messages_.size(); ++i) {
    if (i > 0) text += "\n, ";
    text += messages_[i].dump();
  }
  return text + "]";
}

}  // namespace airbyte
