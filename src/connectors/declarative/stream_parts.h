#pragma once

/// Internal: the built components of a DeclarativeStream, shared by declarative_stream.cc
/// (which builds them) and stream_reader.cc (which reads with them).

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/declarative_stream.h"
#include "connectors/declarative/http_requester.h"
#include "connectors/declarative/paginator.h"
#include "connectors/declarative/record_selector.h"

namespace airbyte::declarative {

// A RequestOption that injects the slice's value under `slice_key`.
struct SlicerOption {
  Json option;
  std::string slice_key;
};

// The built components of one stream.
struct DeclarativeStream::Parts {
  Json retriever;
  std::unique_ptr<HttpRequester> requester;
  std::unique_ptr<Paginator> paginator;
  std::unique_ptr<RecordSelector> selector;
  Json decoder;
  Json cursor_component;  // DatetimeBasedCursor or null
  std::vector<Json> routers;
  std::vector<SlicerOption> slicer_options;
  Json schema;
  bool ignore_slicer_on_pages = false;
  // The partition whose records are being read (a parent's records carry it to children).
  Json current_partition = Json::object();
};

/// Reads every slice of `stream` with its built `parts` (declarative.md §3): partitions,
/// windows, pages, records, state. Throws the first slice failure after the final state.
void ReadStream(DeclarativeStream& stream, DeclarativeStream::Parts& parts, Runtime& runtime,
                const std::filesystem::path& manifest_dir,
                const DeclarativeStream::Callbacks& callbacks, bool first_record_only,
                const Json& state);

}  // namespace airbyte::declarative
