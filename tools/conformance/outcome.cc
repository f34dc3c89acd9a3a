#include "outcome.h"

#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "protocol/json_convert.h"

namespace airbyte::conformance {
namespace {

std::vector<std::string> ReadLines(const std::filesystem::path& file) {
  std::vector<std::string> lines;
  if (!std::filesystem::exists(file)) return lines;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, "Could not read a conformance file.",
                       {.context = {{"file", file.string()}}});
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<Json> ReadJsonLines(const std::filesystem::path& file) {
  std::vector<Json> out;
  std::size_t number = 0;
  for (const std::string& line : ReadLines(file)) {
    ++number;
    Json value = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
      throw Error(ErrorKind::kInput, "A conformance file has a line that is not JSON.",
                  {.context = {{"file", file.string()}, {"line", std::to_string(number)}}});
    }
    out.push_back(std::move(value));
  }
  return out;
}

void WriteLines(const std::filesystem::path& file, const std::vector<std::string>& lines) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  for (const std::string& line : lines) out << line << '\n';
  if (!out) throw Error(ErrorKind::kIo, "Could not write a conformance file.",
                        {.context = {{"file", file.string()}}});
}

std::vector<std::string> Dump(const std::vector<Json>& values) {
  std::vector<std::string> lines;
  lines.reserve(values.size());
  for (const Json& value : values) {
    lines.push_back(value.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  return lines;
}

// Stable grouping by key, groups in order of each key's first item.
std::vector<Json> GroupBy(std::vector<std::pair<std::string, Json>> items) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<Json>> groups;
  for (auto& [key, value] : items) {
    auto [it, inserted] = groups.try_emplace(key);
    if (inserted) order.push_back(key);
    it->second.push_back(std::move(value));
  }
  std::vector<Json> out;
  for (const std::string& key : order) {
    for (Json& value : groups[key]) out.push_back(std::move(value));
  }
  return out;
}

std::string CountKey(const protocol::Message& message) {
  using protocol::MessageType;
  switch (message.type()) {
    case MessageType::kTrace:
      return "TRACE " + std::string(protocol::ToString(message.trace().type));
    case MessageType::kControl:
      return "CONTROL CONNECTOR_CONFIG";
    default:
      return std::string(protocol::ToString(message.type()));
  }
}

}  // namespace

std::string CollapseWhitespace(const std::string& text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::string StateStreamName(const Json& state) {
  if (state.is_object() && state.contains("stream") && state["stream"].is_object()) {
    const Json& stream = state["stream"];
    if (stream.contains("stream_descriptor") && stream["stream_descriptor"].is_object() &&
        stream["stream_descriptor"].contains("name") &&
        stream["stream_descriptor"]["name"].is_string()) {
      return stream["stream_descriptor"]["name"].get<std::string>();
    }
  }
  return "";
}

Outcome LoadOutcome(const std::filesystem::path& dir) {
  Outcome outcome;
  outcome.records = ReadJsonLines(dir / "records.jsonl");
  outcome.states = ReadJsonLines(dir / "state.jsonl");
  outcome.requests = ReadJsonLines(dir / "requests.jsonl");
  outcome.messages = ReadLines(dir / "messages.txt");
  const std::filesystem::path catalog = dir / "catalog.json";
  if (std::filesystem::exists(catalog)) {
    std::ifstream in(catalog, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    Json value = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
      throw Error(ErrorKind::kInput, "catalog.json is not JSON.",
                  {.context = {{"file", catalog.string()}}});
    }
    outcome.catalog = std::move(value);
  }
  return outcome;
}

void WriteOutcome(const Outcome& outcome, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  WriteLines(dir / "records.jsonl", Dump(outcome.records));
  WriteLines(dir / "state.jsonl", Dump(outcome.states));
  WriteLines(dir / "requests.jsonl", Dump(outcome.requests));
  WriteLines(dir / "messages.txt", outcome.messages);
  if (outcome.catalog) WriteLines(dir / "catalog.json", {outcome.catalog->dump(2)});
}

std::vector<std::string> SummarizeMessages(int exit_code,
                                           const std::vector<protocol::Message>& messages) {
  using protocol::MessageType;
  std::vector<std::string> lines;
  lines.push_back("exit_code " + std::to_string(exit_code));

  std::map<std::string, std::size_t> counts;  // sorted by type, as the grammar wants
  std::map<std::string, std::vector<std::string>> statuses;  // sorted by stream name
  std::vector<std::string> connection;
  std::vector<std::string> controls;
  std::vector<std::string> errors;
  for (const protocol::Message& message : messages) {
    ++counts[CountKey(message)];
    if (message.type() == MessageType::kConnectionStatus) {
      const protocol::ConnectionStatus& status = message.connection_status();
      connection.push_back("connection_status " + std::string(protocol::ToString(status.status)));
      if (status.message) {
        connection.push_back("connection_message " + CollapseWhitespace(*status.message));
      }
    } else if (message.type() == MessageType::kControl) {
      controls.push_back("control_config " +
                         message.control().config.dump(-1, ' ', false,
                                                       Json::error_handler_t::replace));
    } else if (message.type() == MessageType::kTrace) {
      const protocol::TraceMessage& trace = message.trace();
      if (trace.type == protocol::TraceType::kStreamStatus && trace.stream_status) {
        statuses[trace.stream_status->stream_descriptor.name].push_back(
            std::string(protocol::ToString(trace.stream_status->status)));
      } else if (trace.type == protocol::TraceType::kError && trace.error) {
        const protocol::ErrorTrace& error = *trace.error;
        std::string line = "error ";
        line += error.failure_type ? std::string(protocol::ToString(*error.failure_type)) : "-";
        line += ' ';
        line += error.stream_descriptor ? error.stream_descriptor->name : "-";
        const std::string text = CollapseWhitespace(error.message);
        if (!text.empty()) line += ' ' + text;
        errors.push_back(std::move(line));
      }
    }
  }
  for (const auto& [type, n] : counts) lines.push_back("count " + type + " " + std::to_string(n));
  for (const auto& [stream, list] : statuses) {
    std::string joined;
    for (const std::string& status : list) {
      if (!joined.empty()) joined += ',';
      joined += status;
    }
    lines.push_back("stream_status " + stream + " " + joined);
  }
  for (std::string& line : connection) lines.push_back(std::move(line));
  for (std::string& line : controls) lines.push_back(std::move(line));
  for (std::string& line : errors) lines.push_back(std::move(line));
  return lines;
}

Outcome OutcomeFromRun(int exit_code, const std::vector<protocol::Message>& messages,
                       std::vector<Json> requests) {
  Outcome outcome;
  std::vector<std::pair<std::string, Json>> records;
  std::vector<std::pair<std::string, Json>> states;
  for (const protocol::Message& message : messages) {
    if (message.type() == protocol::MessageType::kRecord) {
      const protocol::RecordMessage& record = message.record();
      Json line = Json::object();
      line["stream"] = record.stream;
      line["data"] = protocol::RecordDataJson(record);
      records.emplace_back(record.stream, std::move(line));
    } else if (message.type() == protocol::MessageType::kState) {
      Json state = protocol::ToJson(message.state());
      std::string stream = StateStreamName(state);
      states.emplace_back(std::move(stream), std::move(state));
    } else if (message.type() == protocol::MessageType::kCatalog) {
      outcome.catalog = protocol::ToJson(message.catalog());
    }
  }
  outcome.records = GroupBy(std::move(records));
  outcome.states = GroupBy(std::move(states));
  outcome.requests = std::move(requests);
  outcome.messages = SummarizeMessages(exit_code, messages);
  return outcome;
}

}  // namespace airbyte::conformance
