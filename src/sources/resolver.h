#pragma once

#include <memory>
#include <string>

#include "airbyte/source.h"
#include "executors/executor.h"

namespace airbyte::sources {

/// The one place that decides how a connector runs (behavior doc 2.1), for GetSource() and,
/// later, GetDestination(). Order: an explicit install method (at most one); otherwise a
/// native built-in connector of that name (source-faker, ...); otherwise an executable named
/// `name` on PATH. Declarative manifests and the registry plug in here. Throws Error(kInput) for conflicting options,
/// Error(kExecutableNotFound) for a missing executable, Error(kConnectorNotRegistered) when
/// nothing can run `name`.
std::unique_ptr<executors::Executor> ResolveExecutor(const std::string& name,
                                                     const SourceOptions& options);

}  // namespace airbyte::sources
