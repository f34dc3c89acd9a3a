#include "connectors/declarative/json_decoder.h"

#include <string>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"

namespace airbyte::declarative {
namespace {

std::string DecoderType(const Json& decoder) {
  if (decoder.is_null()) return "JsonDecoder";
  if (!decoder.is_object()) {
    throw Error(ErrorKind::kInput, "A decoder must be a mapping.",
                {.context = {{"decoder", decoder.dump()}}});
  }
  auto it = decoder.find("type");
  if (it == decoder.end()) return "JsonDecoder";
  if (!it->is_string()) {
    throw Error(ErrorKind::kInput, "The decoder's type must be a string.",
                {.context = {{"type", it->dump()}}});
  }
  return it->get<std::string>();
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

std::vector<Json> DecodeJson(std::string_view body) {
  std::vector<Json> docs;
  if (IsBlank(body)) {
    docs.emplace_back(Json::object());
    return docs;
  }
  Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || parsed.is_null()) {
    docs.emplace_back(Json::object());
    return docs;
  }
  if (parsed.is_array()) {
    docs.reserve(parsed.size());
    for (Json& element : parsed) docs.push_back(std::move(element));
  } else {
    docs.push_back(std::move(parsed));
  }
  if (docs.empty()) docs.emplace_back(Json::object());
  return docs;
}

std::vector<Json> DecodeJsonl(std::string_view body) {
  std::vector<Json> docs;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    if (!IsBlank(line)) {
      Json parsed = Json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!parsed.is_discarded()) docs.push_back(std::move(parsed));
    }
    start = end + 1;
  }
  return docs;
}

void CheckDecoderSupported(const Json& decoder_component_or_null) {
  std::string type = DecoderType(decoder_component_or_null);
  if (type != "JsonDecoder" && type != "JsonlDecoder") {
    throw Error(ErrorKind::kInput, "Unsupported decoder type: " + type + ".",
                {.guidance = "Only JsonDecoder and JsonlDecoder are implemented natively."});
  }
}

std::vector<Json> DecodeBody(const Json& decoder_component_or_null, std::string_view body) {
  CheckDecoderSupported(decoder_component_or_null);
  if (DecoderType(decoder_component_or_null) == "JsonlDecoder") return DecodeJsonl(body);
  return DecodeJson(body);
}

}  // namespace airbyte::declarative
