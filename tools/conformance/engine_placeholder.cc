// Stands in for the declarative engine (airbyte_declarative) until it is merged, so that
// airbyte-conformance builds; selected by AIRBYTE_CONFORMANCE_PLACEHOLDER=ON. Every case then
// fails with "engine not merged yet".

#include "airbyte/error.h"
#include "connectors/declarative/declarative_source.h"

namespace airbyte::declarative {

std::unique_ptr<connectors::NativeConnector> MakeDeclarativeConnector(Json /*manifest*/,
                                                                      DeclarativeOptions /*options*/) {
  throw Error(ErrorKind::kInternal, "engine not merged yet");
}

Json ReadManifestFile(const std::filesystem::path& /*path*/) {
  throw Error(ErrorKind::kInternal, "engine not merged yet");
}

}  // namespace airbyte::declarative
