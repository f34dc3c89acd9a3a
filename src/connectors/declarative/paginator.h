#pragma once

/// Pagination of a declarative stream (docs/declarative.md §6): DefaultPaginator with
/// CursorPagination, PageIncrement or OffsetIncrement, token injection through a RequestOption
/// or as a RequestPath, page-size injection; NoPagination.
///
/// Example:
///   Paginator paginator(component, runtime);
///   Json token = paginator.Reset();                       // initial token or null
///   ... send with paginator.AddOptions(token, options) ...
///   token = paginator.Next({.response = &response, .document = body, ...});

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/request_options.h"
#include "connectors/declarative/runtime.h"
#include "http/http_client.h"

namespace airbyte::declarative {

class Paginator {
 public:
  struct Page {
    const http::Response* response = nullptr;
    /// The decoded body; Next() may move from it (the page's records are already out).
    Json* document = nullptr;
    Json last_record = nullptr;
    std::size_t last_page_size = 0;  // records emitted (after filtering)
    std::size_t extracted = 0;       // records extracted (before filtering)
    Json stream_slice = Json::object();
  };

  /// `component`: the retriever's paginator (null or NoPagination: one page).
  Paginator(const Json& component, Runtime& runtime);

  /// Starts a slice; returns the initial token (inject_on_first_request) or null.
  Json Reset();
  /// The token of the next page, or null when pagination stops.
  Json Next(Page& page);
  /// The token's request options and the page size option.
  void AddOptions(const Json& token, RequestOptions& options);
  /// Whether Next() reads Page::last_record (only CursorPagination templates can).
  bool needs_last_record() const { return type_ == "CursorPagination"; }
  /// The request path for `token` when the token is a RequestPath; nullopt otherwise.
  std::optional<std::string> PathFor(const Json& token) const;

 private:
  Json PageSize(const Json& context) const;
  // The template context; moves the page's document into it.
  Json Context(Page* page) const;

  Json paginator_;
  Json strategy_;
  Runtime& runtime_;
  std::string type_;  // CursorPagination, PageIncrement, OffsetIncrement, or "" (none)
  bool token_is_path_ = false;
  Json current_ = nullptr;  // page number or offset
};

/// requests' Response.links: the Link header parsed to {rel: {"url": ..., "rel": ...}}.
Json ParseLinkHeader(const std::string& header);

}  // namespace airbyte::declarative
