#include <algorithm>

#include "connectors/e2e_test/e2e_test_source.h"
#include "connectors/faker/faker_source.h"
#include "connectors/native_connector.h"
#include "connectors/smoke_test/smoke_test_source.h"

namespace airbyte::connectors {
namespace {

struct Entry {
  std::string_view name;
  std::unique_ptr<NativeConnector> (*make)();
};

constexpr Entry kConnectors[] = {
    {"source-e2e-test", &MakeE2eTestSource},
    {"source-faker", &MakeFakerSource},
    {"source-smoke-test", &MakeSmokeTestSource},
};

}  // namespace

std::unique_ptr<NativeConnector> MakeNativeConnector(std::string_view name) {
  for (const Entry& entry : kConnectors) {
    if (entry.name == name) return entry.make();
  }
  return nullptr;
}

std::vector<std::string> NativeConnectorNames() {
  std::vector<std::string> names;
  for (const Entry& entry : kConnectors) names.emplace_back(entry.name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace airbyte::connectors
