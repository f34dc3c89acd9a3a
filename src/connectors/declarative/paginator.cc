#include "connectors/declarative/paginator.h"

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/interpolation/value.h"
#include "util/strings.h"

namespace airbyte::declarative {
namespace {

bool Falsy(const Json& value) {
  if (value.is_null()) return true;
  if (value.is_boolean()) return !value.get<bool>();
  if (value.is_number()) return value.get<double>() == 0;
  if (value.is_string()) return value.get<std::string>().empty();
  return value.empty();
}

std::string Trim(const std::string& text) {
  std::size_t begin = text.find_first_not_of(" \t'\"");
  std::size_t end = text.find_last_not_of(" \t'\"");
  return begin == std::string::npos ? std::string() : text.substr(begin, end - begin + 1);
}

}  // namespace

Json ParseLinkHeader(const std::string& header) {
  Json links = Json::object();
  std::size_t pos = 0;
  while (true) {
    std::size_t open = header.find('<', pos);
    if (open == std::string::npos) break;
    std::size_t close = header.find('>', open);
    if (close == std::string::npos) break;
    Json link = {{"url", header.substr(open + 1, close - open - 1)}};
    // Parameters run to the next link ("," then "<") or the end.
    std::size_t next = header.find('<', close);
    std::size_t params_end = next == std::string::npos ? header.size() : header.rfind(',', next);
    if (params_end == std::string::npos || params_end < close) params_end = header.size();
    std::string params = header.substr(close + 1, params_end - close - 1);
    std::size_t p = 0;
    while (p <= params.size()) {
      std::size_t semi = params.find(';', p);
      std::string part = params.substr(p, semi == std::string::npos ? std::string::npos : semi - p);
      std::size_t eq = part.find('=');
      if (eq != std::string::npos) link[Trim(part.substr(0, eq))] = Trim(part.substr(eq + 1));
      if (semi == std::string::npos) break;
      p = semi + 1;
    }
    std::string key = link.contains("rel") ? link["rel"].get<std::string>()
                                           : link["url"].get<std::string>();
    links[key] = link;
    if (next == std::string::npos) break;
    pos = next;
  }
  return links;
}

Paginator::Paginator(const Json& component, Runtime& runtime) : runtime_(runtime) {
  if (!component.is_object() || component.value("type", "") != "DefaultPaginator") return;
  paginator_ = component;
  strategy_ = component.value("pagination_strategy", Json::object());
  type_ = strategy_.value("type", "");
  if (type_ != "CursorPagination" && type_ != "PageIncrement" && type_ != "OffsetIncrement") {
    throw Error(ErrorKind::kInput, "Unsupported pagination strategy '" + type_ + "'.",
                {.guidance = "Custom pagination strategies need the Python CDK."});
  }
  const Json option = component.value("page_token_option", Json());
  token_is_path_ = option.is_object() && option.value("type", "") == "RequestPath";
}

Json Paginator::Context(Page* page) const {
  Json context = {{"config", runtime_.config},
                  {"parameters", strategy_.value("$parameters", Json::object())}};
  if (page != nullptr) {
    context["response"] = page->document ? std::move(*page->document) : Json::object();
    Json headers = Json::object();
    if (page->response) {
      for (const auto& [name, value] : page->response->headers) headers[name] = value;
      for (const auto& [name, value] : page->response->headers) {
        headers[util::AsciiLower(name)] = value;
      }
      std::optional<std::string> link = http::FindHeader(page->response->headers, "link");
      headers["link"] = link ? ParseLinkHeader(*link) : Json::object();
    }
    context["headers"] = headers;
    context["last_record"] = page->last_record;
    context["last_page_size"] = page->last_page_size;
    context["stream_slice"] = page->stream_slice;
  }
  return context;
}

Json Paginator::PageSize(const Json& context) const {
  auto it = strategy_.find("page_size");
  if (it == strategy_.end() || it->is_null()) return nullptr;
  if (it->is_string()) {
    Json value = runtime_.interpolator.Eval(it->get<std::string>(), context);
    if (value.is_string()) {
      try {
        return Json(std::stoll(value.get<std::string>()));
      } catch (const std::exception&) {
        return nullptr;
      }
    }
    return value;
  }
  return *it;
}

Json Paginator::Reset() {
  current_ = nullptr;
  if (type_ == "PageIncrement") {
    Json start = strategy_.value("start_from_page", Json(0));
    current_ = start;
    if (strategy_.value("inject_on_first_request", false)) return start;
  } else if (type_ == "OffsetIncrement") {
    current_ = 0;
    if (strategy_.value("inject_on_first_request", false)) return Json(0);
  }
  return nullptr;
}

Json Paginator::Next(Page& page) {
  if (type_.empty()) return nullptr;
  if (type_ == "CursorPagination") {
    Json context = Context(&page);
    std::string stop = strategy_.value("stop_condition", "");
    if (!stop.empty() && runtime_.interpolator.EvalBoolean(stop, context)) return nullptr;
    std::string cursor = strategy_.value("cursor_value", "");
    Json token = runtime_.interpolator.Eval(cursor, context);
    if (Falsy(token)) return nullptr;
    return token;
  }
  // Increment strategies only need the response for an interpolated page size.
  auto size_field = strategy_.find("page_size");
  const bool templated = size_field != strategy_.end() && size_field->is_string();
  Json page_size = PageSize(templated ? Context(&page) : Context(nullptr));
  std::size_t size = page_size.is_number() ? page_size.get<std::size_t>() : 0;
  if ((size > 0 && page.extracted < size) || page.extracted == 0) return nullptr;
  if (type_ == "PageIncrement") {
    if (!current_.is_number_integer()) {
      throw Error(ErrorKind::kInput, "PageIncrement's start_from_page is not an integer.");
    }
    current_ = current_.get<std::int64_t>() + 1;
    return current_;
  }
  current_ = current_.get<std::int64_t>() + static_cast<std::int64_t>(page.extracted);
  return current_;
}

void Paginator::AddOptions(const Json& token, RequestOptions& options) {
  if (type_.empty()) return;
  Json context = Context(nullptr);
  if (!token.is_null() && !token_is_path_) {
    InjectRequestOption(paginator_.value("page_token_option", Json()), token,
                        runtime_.interpolator, context, options);
  }
  Json size = PageSize(context);
  if (!size.is_null()) {
    InjectRequestOption(paginator_.value("page_size_option", Json()), size, runtime_.interpolator,
                        context, options);
  }
}

std::optional<std::string> Paginator::PathFor(const Json& token) const {
  if (!token_is_path_ || token.is_null()) return std::nullopt;
  return PyStr(token);
}

}  // namespace airbyte::declarative
