#include "compare.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

namespace airbyte::conformance {
namespace {

constexpr std::size_t kMaxShown = 600;

std::string Show(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
  return text;
}

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

bool NumbersEqual(const Json& a, const Json& b) {
  if (a.is_number_float() || b.is_number_float()) {
    return a.get<double>() == b.get<double>();
  }
  if (a.is_number_unsigned() && b.is_number_unsigned()) {
    return a.get<std::uint64_t>() == b.get<std::uint64_t>();
  }
  if (a.is_number_unsigned() && a.get<std::uint64_t>() > INT64_MAX) return false;
  if (b.is_number_unsigned() && b.get<std::uint64_t>() > INT64_MAX) return false;
  return a.get<std::int64_t>() == b.get<std::int64_t>();
}

std::string PathKey(const std::string& path, const std::string& key) { return path + "." + key; }

std::optional<std::string> Differ(const Json& expected, const Json& actual,
                                  const std::string& path) {
  auto mismatch = [&] {
    return path + ": expected " + Show(expected) + ", got " + Show(actual);
  };
  if (expected.is_number() && actual.is_number()) {
    if (NumbersEqual(expected, actual)) return std::nullopt;
    return mismatch();
  }
  if (expected.type() != actual.type()) return mismatch();
  if (expected.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      auto it = actual.find(key);
      if (it == actual.end()) return PathKey(path, key) + ": missing (expected " + Show(value) + ")";
      if (auto diff = Differ(value, *it, PathKey(path, key))) return diff;
    }
    for (const auto& [key, value] : actual.items()) {
      if (!expected.contains(key)) {
        return PathKey(path, key) + ": unexpected (got " + Show(value) + ")";
      }
    }
    return std::nullopt;
  }
  if (expected.is_array()) {
    const std::size_t n = std::min(expected.size(), actual.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (auto diff = Differ(expected[i], actual[i], path + "[" + std::to_string(i) + "]")) {
        return diff;
      }
    }
    if (expected.size() != actual.size()) {
      return path + ": expected " + std::to_string(expected.size()) + " items, got " +
             std::to_string(actual.size());
    }
    return std::nullopt;
  }
  if (expected == actual) return std::nullopt;
  return mismatch();
}

// Items of `lines` per key, keys in order of first appearance.
std::vector<std::pair<std::string, std::vector<Json>>> Group(
    const std::vector<Json>& lines, const std::function<std::string(const Json&)>& key_of) {
  std::vector<std::pair<std::string, std::vector<Json>>> groups;
  for (const Json& line : lines) {
    const std::string key = key_of(line);
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& group) { return group.first == key; });
    if (it == groups.end()) {
      groups.emplace_back(key, std::vector<Json>{});
      it = std::prev(groups.end());
    }
    it->second.push_back(line);
  }
  return groups;
}

const std::vector<Json>* FindGroup(const std::vector<std::pair<std::string, std::vector<Json>>>& groups,
                                   const std::string& key) {
  for (const auto& [name, items] : groups) {
    if (name == key) return &items;
  }
  return nullptr;
}

std::vector<std::string> Keys(const std::vector<std::pair<std::string, std::vector<Json>>>& a,
                              const std::vector<std::pair<std::string, std::vector<Json>>>& b) {
  std::vector<std::string> keys;
  for (const auto* groups : {&a, &b}) {
    for (const auto& [key, items] : *groups) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
  }
  return keys;
}

void CompareRecords(const Outcome& expected, const Outcome& actual, Comparison& out) {
  auto stream_of = [](const Json& line) {
    return line.contains("stream") && line["stream"].is_string()
               ? line["stream"].get<std::string>()
               : std::string();
  };
  const auto want = Group(expected.records, stream_of);
  const auto got = Group(actual.records, stream_of);
  static const std::vector<Json> kNone;
  for (const std::string& stream : Keys(want, got)) {
    const std::vector<Json>* e = FindGroup(want, stream);
    const std::vector<Json>* a = FindGroup(got, stream);
    if (e == nullptr) e = &kNone;
    if (a == nullptr) a = &kNone;
    const std::size_t n = std::min(e->size(), a->size());
    std::string failure;
    for (std::size_t i = 0; i < n && failure.empty(); ++i) {
      const Json& e_data = (*e)[i].contains("data") ? (*e)[i]["data"] : (*e)[i];
      const Json& a_data = (*a)[i].contains("data") ? (*a)[i]["data"] : (*a)[i];
      if (auto diff = Differ(e_data, a_data, "$")) {
        failure = "records of stream '" + stream + "': record #" + std::to_string(i + 1) +
                  " differs at " + *diff + "\n    expected: " + Show(e_data) +
                  "\n    actual:   " + Show(a_data);
      }
    }
    if (failure.empty() && e->size() != a->size()) {
      failure = "records of stream '" + stream + "': expected " + std::to_string(e->size()) +
                ", got " + std::to_string(a->size());
      if (e->size() > n) {
        failure += "\n    first missing: " + Show((*e)[n]);
      } else {
        failure += "\n    first extra:   " + Show((*a)[n]);
      }
    } else if (!failure.empty()) {
      failure += "\n    (" + std::to_string(e->size()) + " expected, " +
                 std::to_string(a->size()) + " actual records in this stream)";
    }
    if (!failure.empty()) out.failures.push_back(std::move(failure));
  }
}

std::optional<std::string> RequestDifference(const Json& expected, const Json& actual) {
  for (const char* field : {"method", "path", "query", "body"}) {
    const Json e = expected.contains(field) ? expected[field] : Json();
    const Json a = actual.contains(field) ? actual[field] : Json();
    if (auto diff = Differ(e, a, std::string("$.") + field)) return diff;
  }
  const Json e_headers = expected.contains("headers") && expected["headers"].is_object()
                             ? expected["headers"]
                             : Json::object();
  const Json a_headers = actual.contains("headers") && actual["headers"].is_object()
                             ? actual["headers"]
                             : Json::object();
  auto find = [&](const std::string& name) -> const Json* {
    for (const auto& [key, value] : a_headers.items()) {
      if (Lower(key) == Lower(name)) return &value;
    }
    return nullptr;
  };
  bool expects_authorization = false;
  for (const auto& [name, value] : e_headers.items()) {
    if (Lower(name) == "authorization") expects_authorization = true;
    const Json* got = find(name);
    if (got == nullptr) return "header " + name + ": missing (expected " + Show(value) + ")";
    if (!JsonEquivalent(value, *got)) {
      return "header " + name + ": expected " + Show(value) + ", got " + Show(*got);
    }
  }
  if (!expects_authorization) {
    if (const Json* got = find("Authorization")) {
      return "header Authorization: not expected, got " + Show(*got);
    }
  }
  return std::nullopt;
}

void CompareRequests(const Outcome& expected, const Outcome& actual, Comparison& out) {
  const std::size_t n = std::min(expected.requests.size(), actual.requests.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (auto diff = RequestDifference(expected.requests[i], actual.requests[i])) {
      out.failures.push_back("requests: request #" + std::to_string(i + 1) + " differs: " +
                             *diff + "\n    expected: " + Show(expected.requests[i]) +
                             "\n    actual:   " + Show(actual.requests[i]) + "\n    (" +
                             std::to_string(expected.requests.size()) + " expected, " +
                             std::to_string(actual.requests.size()) + " actual requests)");
      return;
    }
  }
  if (expected.requests.size() != actual.requests.size()) {
    std::string failure = "requests: expected " + std::to_string(expected.requests.size()) +
                          ", got " + std::to_string(actual.requests.size());
    if (expected.requests.size() > n) {
      failure += "\n    first missing: " + Show(expected.requests[n]);
    } else {
      failure += "\n    first extra:   " + Show(actual.requests[n]);
    }
    out.failures.push_back(std::move(failure));
  }
}

Json WithoutStats(Json state) {
  if (state.is_object()) state.erase("sourceStats");
  return state;
}

void CompareStates(const Outcome& expected, const Outcome& actual, Comparison& out) {
  const auto want = Group(expected.states, StateStreamName);
  const auto got = Group(actual.states, StateStreamName);
  for (const std::string& stream : Keys(want, got)) {
    const std::vector<Json>* e = FindGroup(want, stream);
    const std::vector<Json>* a = FindGroup(got, stream);
    const std::string label = stream.empty() ? "(global)" : "'" + stream + "'";
    if (e == nullptr) {
      out.failures.push_back("state of stream " + label + ": none expected, got " +
                             std::to_string(a->size()) + "\n    last actual: " + Show(a->back()));
      continue;
    }
    if (a == nullptr) {
      out.failures.push_back("state of stream " + label + ": expected " +
                             std::to_string(e->size()) + ", got none\n    last expected: " +
                             Show(e->back()));
      continue;
    }
    const Json e_last = WithoutStats(e->back());
    const Json a_last = WithoutStats(a->back());
    if (auto diff = Differ(e_last, a_last, "$")) {
      out.failures.push_back("state of stream " + label + ": last STATE differs at " + *diff +
                             "\n    expected: " + Show(e_last) + "\n    actual:   " +
                             Show(a_last));
    }
    if (e->size() != a->size()) {
      out.notes.push_back("state of stream " + label + ": " + std::to_string(e->size()) +
                          " STATE messages expected, " + std::to_string(a->size()) +
                          " emitted (optional strict check)");
    }
  }
}

std::map<std::string, std::string> FinalStatuses(const MessagesSummary& summary) {
  std::map<std::string, std::string> out;
  for (const auto& [stream, statuses] : summary.stream_statuses) {
    for (const std::string& status : statuses) {
      if (status == "COMPLETE" || status == "INCOMPLETE") out[stream] = status;
    }
  }
  return out;
}

std::string OrNone(const std::optional<std::string>& text) { return text ? *text : "(none)"; }

void CompareMessages(const Outcome& expected, const Outcome& actual, Comparison& out) {
  const MessagesSummary e = ParseMessagesSummary(expected.messages);
  const MessagesSummary a = ParseMessagesSummary(actual.messages);
  if (e.exit_code != a.exit_code) {
    out.failures.push_back("messages: exit_code expected " +
                           (e.exit_code ? std::to_string(*e.exit_code) : "(none)") + ", got " +
                           (a.exit_code ? std::to_string(*a.exit_code) : "(none)"));
  }
  if (e.connection_status != a.connection_status) {
    out.failures.push_back("messages: connection_status expected " + OrNone(e.connection_status) +
                           ", got " + OrNone(a.connection_status) +
                           "\n    actual message: " + OrNone(a.connection_message));
  } else if (e.connection_message != a.connection_message) {
    out.notes.push_back("connection_message differs (informative)\n    expected: " +
                        OrNone(e.connection_message) + "\n    actual:   " +
                        OrNone(a.connection_message));
  }
  const auto e_final = FinalStatuses(e);
  const auto a_final = FinalStatuses(a);
  if (e_final != a_final) {
    std::string failure = "messages: final stream statuses differ";
    std::set<std::string> streams;
    for (const auto& [stream, status] : e_final) streams.insert(stream);
    for (const auto& [stream, status] : a_final) streams.insert(stream);
    for (const std::string& stream : streams) {
      auto ei = e_final.find(stream);
      auto ai = a_final.find(stream);
      const std::string es = ei == e_final.end() ? "(none)" : ei->second;
      const std::string as = ai == a_final.end() ? "(none)" : ai->second;
      if (es != as) failure += "\n    " + stream + ": expected " + es + ", got " + as;
    }
    out.failures.push_back(std::move(failure));
  }
  if (e.control_configs.size() != a.control_configs.size()) {
    out.failures.push_back("messages: expected " + std::to_string(e.control_configs.size()) +
                           " control_config lines, got " +
                           std::to_string(a.control_configs.size()));
  } else {
    for (std::size_t i = 0; i < e.control_configs.size(); ++i) {
      if (auto diff = Differ(e.control_configs[i], a.control_configs[i], "$")) {
        out.failures.push_back("messages: control_config #" + std::to_string(i + 1) +
                               " differs at " + *diff);
        break;
      }
    }
  }
  auto show_errors = [](const std::vector<MessagesSummary::ErrorLine>& errors) {
    std::string text;
    for (const auto& error : errors) {
      text += "\n      " + error.failure_type + " " + error.stream + " " + error.text;
    }
    return text.empty() ? std::string("\n      (none)") : text;
  };
  bool errors_match = e.errors.size() == a.errors.size();
  for (std::size_t i = 0; errors_match && i < e.errors.size(); ++i) {
    errors_match = e.errors[i].failure_type == a.errors[i].failure_type &&
                   e.errors[i].stream == a.errors[i].stream;
  }
  if (!errors_match) {
    out.failures.push_back("messages: error traces differ (failure_type, stream)\n    expected:" +
                           show_errors(e.errors) + "\n    actual:" + show_errors(a.errors));
  } else {
    for (std::size_t i = 0; i < e.errors.size(); ++i) {
      if (e.errors[i].text != a.errors[i].text) {
        out.notes.push_back("error #" + std::to_string(i + 1) +
                            " text differs (must match when the manifest wrote it)\n"
                            "    expected: " + e.errors[i].text +
                            "\n    actual:   " + a.errors[i].text);
      }
    }
  }
  for (const auto& [stream, statuses] : e.stream_statuses) {
    for (const auto& [a_stream, a_statuses] : a.stream_statuses) {
      if (a_stream == stream && a_statuses != statuses) {
        out.notes.push_back("stream statuses of '" + stream + "' differ in sequence (informative)");
      }
    }
  }
  std::map<std::string, long> e_counts(e.counts.begin(), e.counts.end());
  std::map<std::string, long> a_counts(a.counts.begin(), a.counts.end());
  std::set<std::string> types;
  for (const auto& [type, n] : e_counts) types.insert(type);
  for (const auto& [type, n] : a_counts) types.insert(type);
  for (const std::string& type : types) {
    const long en = e_counts.count(type) ? e_counts[type] : 0;
    const long an = a_counts.count(type) ? a_counts[type] : 0;
    if (en != an) {
      out.notes.push_back("count " + type + ": expected " + std::to_string(en) + ", got " +
                          std::to_string(an) + " (informative)");
    }
  }
}

void CompareCatalog(const Outcome& expected, const Outcome& actual, Comparison& out) {
  if (!expected.catalog) return;
  if (!actual.catalog) {
    out.failures.push_back("catalog: expected a CATALOG, got none");
    return;
  }
  if (auto diff = Differ(*expected.catalog, *actual.catalog, "$")) {
    out.failures.push_back("catalog differs at " + *diff);
  }
}

}  // namespace

bool JsonEquivalent(const Json& a, const Json& b) { return !Differ(a, b, "$").has_value(); }

std::optional<std::string> FirstDifference(const Json& expected, const Json& actual) {
  return Differ(expected, actual, "$");
}

MessagesSummary ParseMessagesSummary(const std::vector<std::string>& lines) {
  MessagesSummary summary;
  auto rest_after = [](const std::string& line, std::string_view prefix) {
    return line.substr(prefix.size());
  };
  for (const std::string& line : lines) {
    if (line.starts_with("exit_code ")) {
      summary.exit_code = std::stoi(rest_after(line, "exit_code "));
    } else if (line.starts_with("count ")) {
      const std::string rest = rest_after(line, "count ");
      const std::size_t space = rest.rfind(' ');
      if (space == std::string::npos) continue;
      summary.counts.emplace_back(rest.substr(0, space), std::stol(rest.substr(space + 1)));
    } else if (line.starts_with("stream_status ")) {
      const std::string rest = rest_after(line, "stream_status ");
      const std::size_t space = rest.rfind(' ');
      if (space == std::string::npos) continue;
      std::vector<std::string> statuses;
      std::string list = rest.substr(space + 1);
      std::size_t start = 0;
      while (start <= list.size()) {
        const std::size_t comma = list.find(',', start);
        statuses.push_back(list.substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      summary.stream_statuses.emplace_back(rest.substr(0, space), std::move(statuses));
    } else if (line.starts_with("connection_status ")) {
      summary.connection_status = rest_after(line, "connection_status ");
    } else if (line.starts_with("connection_message ")) {
      summary.connection_message = rest_after(line, "connection_message ");
    } else if (line.starts_with("control_config ")) {
      Json config = Json::parse(rest_after(line, "control_config "), nullptr, false);
      summary.control_configs.push_back(config.is_discarded()
                                            ? Json(rest_after(line, "control_config "))
                                            : std::move(config));
    } else if (line.starts_with("error ")) {
      const std::string rest = rest_after(line, "error ");
      MessagesSummary::ErrorLine error;
      const std::size_t first = rest.find(' ');
      error.failure_type = rest.substr(0, first);
      if (first != std::string::npos) {
        const std::size_t second = rest.find(' ', first + 1);
        error.stream = rest.substr(first + 1, second == std::string::npos
                                                  ? std::string::npos
                                                  : second - first - 1);
        if (second != std::string::npos) error.text = rest.substr(second + 1);
      }
      summary.errors.push_back(std::move(error));
    }
  }
  return summary;
}

Comparison Compare(const Outcome& expected, const Outcome& actual) {
  Comparison out;
  CompareMessages(expected, actual, out);
  CompareRecords(expected, actual, out);
  CompareStates(expected, actual, out);
  CompareRequests(expected, actual, out);
  CompareCatalog(expected, actual, out);
  return out;
}

}  // namespace airbyte::conformance
