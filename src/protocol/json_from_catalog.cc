// JSON -> model for specs and catalogs (json_convert.h); messages are in json_from.cc.
#include <utility>

#include "protocol/json_convert.h"
#include "protocol/json_reader.h"

namespace airbyte::protocol {
namespace internal {
namespace {

ConnectorSpecification SpecAt(const Json& json, const Path& path) {
  static constexpr std::string_view kKnown[] = {"connectionSpecification",
                                                "documentationUrl",
                                                "changelogUrl",
                                                "supportsIncremental",
                                                "supportsNormalization",
                                                "supportsDBT",
                                                "supported_destination_sync_modes",
                                                "authSpecification",
                                                "advanced_auth",
                                                "protocol_version"};
  ExpectObject(json, path);
  ConnectorSpecification out;
  out.connection_specification = RequireObjectMember(json, "connectionSpecification", path);
  out.documentation_url = OptString(json, "documentationUrl", path);
  out.changelog_url = OptString(json, "changelogUrl", path);
  out.supports_incremental = OptBool(json, "supportsIncremental", path);
  out.supports_normalization = OptBool(json, "supportsNormalization", path);
  out.supports_dbt = OptBool(json, "supportsDBT", path);
  if (const Json* modes = Find(json, "supported_destination_sync_modes")) {
    out.supported_destination_sync_modes = TolerantEnumList<DestinationSyncMode>(
        *modes, path.Field("supported_destination_sync_modes"));
  }
  out.auth_specification = OptObjectBlob(json, "authSpecification", path);
  out.advanced_auth = OptObjectBlob(json, "advanced_auth", path);
  out.protocol_version = OptString(json, "protocol_version", path);
  out.additional_properties = Extras(json, kKnown);
  return out;
}

AirbyteStream StreamAt(const Json& json, const Path& path) {
  static constexpr std::string_view kKnown[] = {"name",
                                                "json_schema",
                                                "supported_sync_modes",
                                                "source_defined_cursor",
                                                "default_cursor_field",
                                                "source_defined_primary_key",
                                                "namespace",
                                                "is_resumable",
                                                "is_file_based"};
  ExpectObject(json, path);
  AirbyteStream out;
  out.name = String(Require(json, "name", path.Field("name")), path.Field("name"));
  out.json_schema = RequireObjectMember(json, "json_schema", path);
  const Path modes = path.Field("supported_sync_modes");
  out.supported_sync_modes =
      TolerantEnumList<SyncMode>(Require(json, "supported_sync_modes", modes), modes);
  out.source_defined_cursor = OptBool(json, "source_defined_cursor", path);
  out.default_cursor_field = OptFieldPath(json, "default_cursor_field", path);
  out.source_defined_primary_key = OptFieldPaths(json, "source_defined_primary_key", path);
  out.namespace_ = OptString(json, "namespace", path);
  out.is_resumable = OptBool(json, "is_resumable", path);
  out.is_file_based = OptBool(json, "is_file_based", path);
  out.additional_properties = Extras(json, kKnown);
  return out;
}

AirbyteCatalog CatalogAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  AirbyteCatalog out;
  out.streams = RequiredList(json, "streams", path, StreamAt);
  return out;
}

ConfiguredAirbyteStream ConfiguredStreamAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  ConfiguredAirbyteStream out;
  out.stream = StreamAt(Require(json, "stream", path.Field("stream")), path.Field("stream"));
  out.sync_mode = RequiredEnum<SyncMode>(Require(json, "sync_mode", path.Field("sync_mode")),
                                         path.Field("sync_mode"));
  const Path destination_mode = path.Field("destination_sync_mode");
  out.destination_sync_mode = RequiredEnum<DestinationSyncMode>(
      Require(json, "destination_sync_mode", destination_mode), destination_mode);
  out.cursor_field = OptFieldPath(json, "cursor_field", path);
  out.primary_key = OptFieldPaths(json, "primary_key", path);
  out.generation_id = OptInt64(json, "generation_id", path);
  out.minimum_generation_id = OptInt64(json, "minimum_generation_id", path);
  out.sync_id = OptInt64(json, "sync_id", path);
  out.destination_object_name = OptString(json, "destination_object_name", path);
  out.include_files = OptBool(json, "include_files", path);
  return out;
}

ConfiguredAirbyteCatalog ConfiguredCatalogAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  ConfiguredAirbyteCatalog out;
  out.streams = RequiredList(json, "streams", path, ConfiguredStreamAt);
  return out;
}

DestinationOperation DestinationOperationAt(const Json& json, const Path& path) {
  const Json& operation = ExpectObject(json, path);
  DestinationOperation out;
  out.object_name = String(Require(operation, "object_name", path.Field("object_name")),
                           path.Field("object_name"));
  out.sync_mode = RequiredEnum<DestinationSyncMode>(
      Require(operation, "sync_mode", path.Field("sync_mode")), path.Field("sync_mode"));
  out.json_schema = RequireObjectMember(operation, "json_schema", path);
  out.matching_keys = OptFieldPaths(operation, "matching_keys", path);
  return out;
}

DestinationCatalog DestinationCatalogAt(const Json& json, const Path& path) {
  ExpectObject(json, path);
  DestinationCatalog out;
  out.operations = RequiredList(json, "operations", path, DestinationOperationAt);
  return out;
}

}  // namespace
}  // namespace internal


ConnectorSpecification SpecFromJson(const Json& json, std::string_view path) {
  return internal::SpecAt(json, internal::Root(path));
}
AirbyteStream StreamFromJson(const Json& json, std::string_view path) {
  return internal::StreamAt(json, internal::Root(path));
}
AirbyteCatalog CatalogFromJson(const Json& json, std::string_view path) {
  return internal::CatalogAt(json, internal::Root(path));
}
ConfiguredAirbyteStream ConfiguredStreamFromJson(const Json& json, std::string_view path) {
  return internal::ConfiguredStreamAt(json, internal::Root(path));
}
ConfiguredAirbyteCatalog ConfiguredCatalogFromJson(const Json& json, std::string_view path) {
  return internal::ConfiguredCatalogAt(json, internal::Root(path));
}
DestinationCatalog DestinationCatalogFromJson(const Json& json, std::string_view path) {
  return internal::DestinationCatalogAt(json, internal::Root(path));
}

}  // namespace airbyte::protocol
