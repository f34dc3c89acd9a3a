#include "connectors/declarative/declarative_stream.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/datetime_cursor.h"
#include "connectors/declarative/schema_loader.h"
#include "connectors/declarative/stream_parts.h"

namespace airbyte::declarative {
namespace {

std::vector<std::vector<std::string>> PrimaryKeyPaths(const Json& key) {
  std::vector<std::vector<std::string>> paths;
  if (key.is_string()) {
    if (!key.get<std::string>().empty()) paths.push_back({key.get<std::string>()});
  } else if (key.is_array()) {
    for (const Json& part : key) {
      if (part.is_string()) {
        paths.push_back({part.get<std::string>()});
      } else if (part.is_array()) {
        std::vector<std::string> path;
        for (const Json& segment : part) path.push_back(segment.get<std::string>());
        paths.push_back(std::move(path));
      }
    }
  }
  return paths;
}


}  // namespace

DeclarativeStream::DeclarativeStream(const Json& component, Runtime& runtime,
                                     std::filesystem::path manifest_dir, bool cache_responses,
                                     bool top_level)
    : component_(component),
      runtime_(runtime),
      manifest_dir_(std::move(manifest_dir)),
      cache_responses_(cache_responses),
      top_level_(top_level),
      parts_(std::make_unique<Parts>()) {
  name_ = component.value("name", "");
  parameters_ = component.value("$parameters", Json::object());
  const Json context = {{"config", runtime.config},
                        {"parameters", component.value("$parameters", Json::object())}};
  Parts& parts = *parts_;
  parts.retriever = component.value("retriever", Json::object());
  const std::string retriever_type = parts.retriever.value("type", "SimpleRetriever");
  if (retriever_type != "SimpleRetriever") {
    throw Error(ErrorKind::kInput,
                "Stream '" + name_ + "' uses a " + retriever_type +
                    ", which the native engine does not run.",
                {.guidance = "Run this connector with the Python CDK."});
  }
  parts.requester = std::make_unique<HttpRequester>(parts.retriever.value("requester", Json::object()),
                                                    runtime, cache_responses);
  parts.paginator = std::make_unique<Paginator>(parts.retriever.value("paginator", Json()), runtime);
  parts.schema = LoadSchema(component.value("schema_loader", Json()), manifest_dir_, name_,
                            runtime.interpolator, runtime.config);
  parts.selector = std::make_unique<RecordSelector>(
      parts.retriever.value("record_selector", Json::object()),
      component.value("transformations", Json()), parts.schema, runtime.interpolator);
  const Json& selector = parts.retriever.value("record_selector", Json::object());
  parts.decoder = parts.retriever.value("decoder", Json());
  if (parts.decoder.is_null() && selector.contains("extractor")) {
    parts.decoder = selector["extractor"].value("decoder", Json());
  }
  parts.ignore_slicer_on_pages =
      parts.retriever.value("ignore_stream_slicer_parameters_on_paginated_requests", false);

  Json routers = parts.retriever.value("partition_router", Json());
  if (routers.is_object()) parts.routers.push_back(routers);
  if (routers.is_array()) {
    for (const Json& router : routers) parts.routers.push_back(router);
  }
  for (const Json& router : parts.routers) {
    const std::string type = router.value("type", "");
    if (type == "ListPartitionRouter") {
      std::string field = runtime.interpolator.Render(router.value("cursor_field", ""), context);
      parts.slicer_options.push_back({router.value("request_option", Json()), field});
    } else if (type == "SubstreamPartitionRouter") {
      for (const Json& parent : router.value("parent_stream_configs", Json::array())) {
        std::string field =
            runtime.interpolator.Render(parent.value("partition_field", ""), context);
        parts.slicer_options.push_back({parent.value("request_option", Json()), field});
      }
    } else {
      throw Error(ErrorKind::kInput,
                  "Stream '" + name_ + "' uses the partition router '" + type +
                      "', which the native engine does not run.",
                  {.guidance = "Custom partition routers need the Python CDK."});
    }
  }
  Json cursor = component.value("incremental_sync", Json());
  if (cursor.is_object()) {
    const std::string type = cursor.value("type", "");
    if (type != "DatetimeBasedCursor") {
      throw Error(ErrorKind::kInput,
                  "Stream '" + name_ + "' uses the incremental sync '" + type +
                      "', which the native engine does not run.");
    }
    parts.cursor_component = cursor;
    std::string start = cursor.value("partition_field_start", "start_time");
    std::string end = cursor.value("partition_field_end", "end_time");
    parts.slicer_options.push_back({cursor.value("start_time_option", Json()), start});
    parts.slicer_options.push_back({cursor.value("end_time_option", Json()), end});
  }
}

DeclarativeStream::~DeclarativeStream() = default;

const Json& DeclarativeStream::current_partition() const { return parts_->current_partition; }

bool DeclarativeStream::incremental() const { return parts_->cursor_component.is_object(); }

protocol::AirbyteStream DeclarativeStream::Describe() const {
  protocol::AirbyteStream stream;
  stream.name = name_;
  stream.json_schema = parts_->schema;
  stream.supported_sync_modes = {protocol::SyncMode::kFullRefresh};
  if (incremental()) {
    stream.supported_sync_modes.push_back(protocol::SyncMode::kIncremental);
    stream.source_defined_cursor = true;
    std::string field = runtime_.interpolator.Render(
        parts_->cursor_component.value("cursor_field", ""),
        {{"config", runtime_.config},
         {"parameters", parts_->cursor_component.value("$parameters", Json::object())}});
    stream.default_cursor_field = protocol::FieldPath{field};
  }
  auto keys = PrimaryKeyPaths(component_.value("primary_key", Json()));
  if (!keys.empty()) {
    std::vector<protocol::FieldPath> paths;
    for (auto& key : keys) paths.push_back(protocol::FieldPath(key.begin(), key.end()));
    stream.source_defined_primary_key = std::move(paths);
  }
  stream.is_resumable = incremental();
  stream.is_file_based = false;
  return stream;
}


void DeclarativeStream::Prepare() {
  if (!parts_->cursor_component.is_object()) return;
  DatetimeBasedCursor cursor(parts_->cursor_component, runtime_.config, runtime_.interpolator,
                             runtime_.now_micros);
  cursor.Slices();
}

void DeclarativeStream::Read(const ReadOptions& options, const Callbacks& callbacks) {
  ReadStream(*this, *parts_, runtime_, manifest_dir_, callbacks, options.first_record_only,
             options.state);
}

}  // namespace airbyte::declarative
