#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"

#include "protocol/message.h"
#include "util/line_ring.h"
#include "util/log_file.h"

namespace airbyte::protocol {
class RecordDataSink;
}  // namespace airbyte::protocol

namespace airbyte::executors {

/// The connector commands of the Airbyte protocol.
enum class Verb { kSpec, kCheck, kDiscover, kRead, kWrite };

std::string_view ToString(Verb verb);

/// Time limits for one connector operation; nullopt means none.
struct ExecutionLimits {
  /// Fail when the connector prints nothing on stdout for this long.
  std::optional<std::chrono::milliseconds> idle_timeout = std::nullopt;
  /// Fail when the whole operation takes longer than this.
  std::optional<std::chrono::milliseconds> total_timeout = std::nullopt;
  /// Time between SIGTERM and SIGKILL when the connector is stopped early.
  std::chrono::milliseconds terminate_grace{10'000};
};

/// One protocol operation to run: the verb and the inputs it takes.
struct Invocation {
  Verb verb = Verb::kSpec;
  /// The hydrated config (check, discover, read, write); null for spec.
  Json config = nullptr;
  /// ConfiguredAirbyteCatalog JSON text (read, write).
  std::string catalog_json = {};
  /// JSON array of AirbyteStateMessage (read); "[]" when there is no state.
  std::string state_json = "[]";
  ExecutionLimits limits = {};
  /// Where the connector's stderr, LOG messages and non-protocol lines also go (masked);
  /// errors name this file. Shared by the Source that owns it and the running stream.
  std::shared_ptr<util::LogFile> log = nullptr;
};

/// Hands every line `ring` keeps to `log` as well (no-op for a null log).
void TeeToLog(util::LineRing& ring, const std::shared_ptr<util::LogFile>& log);
/// The path of `log`, or empty.
inline std::string LogPath(const std::shared_ptr<util::LogFile>& log) {
  return log ? log->path().string() : std::string();
}

/// A running connector operation, read as a pull-based stream of messages.
///
/// Not thread-safe, except Cancel(), which may be called from another thread to stop the
/// connector. Destroying an unfinished stream stops the connector and cleans up (temp files,
/// process, threads).
class MessageStream {
 public:
  virtual ~MessageStream() = default;

  /// Fills `out` with the next message and returns true, or returns false at the end. At the
  /// end, throws Error if the operation failed (for example Error(kConnectorFailed) for a
  /// non-zero exit code, Error(kTimeout)), after every message before the failure was returned.
  virtual bool Next(protocol::Message& out) = 0;

  /// Stops the connector early (SIGTERM, grace period, SIGKILL). Next() then returns false.
  /// Idempotent; never throws.
  virtual void Cancel() noexcept = 0;

  /// The last lines the connector logged (stderr, LOG messages, non-protocol stdout lines),
  /// secrets masked, oldest first.
  virtual std::string LogTail() const = 0;

  /// Bytes of connector output read so far (stdout), for progress.
  virtual std::uint64_t bytes_read() const = 0;

  /// Offers RECORD `data` to `sink` while lines are parsed (protocol/record_data_sink.h);
  /// nullptr stops that. Streams that parse no lines (native connectors) ignore it.
  virtual void SetRecordDataSink(protocol::RecordDataSink* /*sink*/) {}
};

/// Knows how to run a connector: a local executable, a native in-process connector, ...
/// Implementations are thread-compatible: one operation at a time per Executor unless stated.
class Executor {
 public:
  virtual ~Executor() = default;

  /// Starts `invocation`. Throws Error(kExecutableNotFound) when the connector cannot start.
  virtual std::unique_ptr<MessageStream> Execute(const Invocation& invocation) = 0;

  /// Human-readable description for messages ("local executable /usr/bin/source-x").
  virtual std::string Describe() const = 0;
};

}  // namespace airbyte::executors
