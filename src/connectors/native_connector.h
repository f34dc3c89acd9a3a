#pragma once

/// Connectors implemented in C++ that run in-process (no subprocess, no JSON text on the hot
/// path): records travel as protocol::TypedRecord values. The same objects also run as
/// standard Airbyte connector processes (`airbyte run-connector NAME ...`), which serialize
/// every message as a JSON line.
///
/// Example:
///   std::unique_ptr<NativeConnector> faker = MakeNativeConnector("source-faker");
///   protocol::AirbyteCatalog catalog = faker->Discover(config);
///   faker->Read(config, configured_catalog, /*state=*/{}, sink);

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "protocol/message.h"

namespace airbyte::connectors {

/// Receives the messages a native connector emits during Read(), in protocol order.
class MessageSink {
 public:
  virtual ~MessageSink() = default;
  /// Takes one message. Returns false when the consumer wants the read to stop; the connector
  /// then returns from Read() promptly without emitting more.
  virtual bool Emit(protocol::Message message) = 0;
  /// A TypedRecord to fill for the next record: possibly one whose message the consumer is
  /// done with, so its strings keep their capacity and filling it allocates nothing (fields
  /// and values hold stale content: overwrite them). Default: an empty one.
  virtual protocol::TypedRecord RecycledRecord() { return {}; }
};

/// A source connector implemented in C++.
///
/// Stateless between calls: each call gets its config, so one object may serve concurrent
/// calls from several threads. Read() emits exactly what the connector process would print
/// (TRACE STREAM_STATUS, ESTIMATE, RECORD, STATE, LOG), in the same order.
class NativeConnector {
 public:
  virtual ~NativeConnector() = default;

  /// The connector's name, e.g. "source-faker".
  virtual std::string_view name() const = 0;
  virtual protocol::ConnectorSpecification Spec() const = 0;
  /// A config the connector cannot use is a FAILED status with the reason, not an exception.
  virtual protocol::ConnectionStatus Check(const Json& config) const = 0;
  /// Check() for connectors that emit messages while checking (a CONTROL message with a
  /// rotated OAuth refresh token); the default ignores `sink`.
  virtual protocol::ConnectionStatus CheckWithMessages(const Json& config,
                                                       MessageSink& sink) const {
    (void)sink;
    return Check(config);
  }
  /// Throws Error(kInput) naming the config field it cannot use.
  virtual protocol::AirbyteCatalog Discover(const Json& config) const = 0;
  /// Reads the streams of `catalog` in order, resuming from `state` where the stream supports
  /// it. Throws Error(kInput) for an unusable config.
  virtual void Read(const Json& config, const protocol::ConfiguredAirbyteCatalog& catalog,
                    const std::vector<protocol::StateMessage>& state, MessageSink& sink) const = 0;
};

/// The built-in connector `name` ("source-faker", "source-smoke-test", "source-e2e-test"), or
/// nullptr when there is none.
std::unique_ptr<NativeConnector> MakeNativeConnector(std::string_view name);
/// Names of the built-in connectors, sorted.
std::vector<std::string> NativeConnectorNames();

}  // namespace airbyte::connectors
