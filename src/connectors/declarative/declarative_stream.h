#pragma once

/// One DeclarativeStream at run time (docs/declarative.md §3, §9, §10): partitions from the
/// partition routers (cartesian product; substream parents read lazily), datetime windows from
/// the cursor, each slice paginated through the requester, records selected and transformed,
/// cursor state kept per slice or per partition.
///
/// Example:
///   DeclarativeStream stream(component, runtime, manifest_dir);
///   stream.Read({.incremental = true, .state = state},
///               {.on_record = [](Json record) { ...; return true; },
///                .on_state = [](const Json& state) { ... }});

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/json.h"
#include "connectors/declarative/runtime.h"
#include "protocol/message.h"

namespace airbyte::declarative {

class DeclarativeStream {
 public:
  struct ReadOptions {
    /// The input stream state (null: none).
    Json state = nullptr;
    /// Stop after the first record (check).
    bool first_record_only = false;
  };
  struct Callbacks {
    /// A record (top-level nulls dropped). Return false to stop the read.
    std::function<bool(Json record)> on_record = {};
    /// A state to emit (the stream_state object).
    std::function<void(const Json& state)> on_state = {};
    /// Called before a rate-limit retry.
    std::function<void()> on_rate_limited = {};
  };

  /// `cache_responses`: identical requests in the run are answered once (substream parents).
  /// `top_level`: a stream of the manifest's `streams`, not a parent copy; only the direct
  /// parents of top-level streams cache their responses, as the CDK marks them.
  DeclarativeStream(const Json& component, Runtime& runtime, std::filesystem::path manifest_dir,
                    bool cache_responses = false, bool top_level = true);
  ~DeclarativeStream();
  DeclarativeStream(const DeclarativeStream&) = delete;
  DeclarativeStream& operator=(const DeclarativeStream&) = delete;

  const std::string& name() const { return name_; }
  bool incremental() const;
  /// The stream's $parameters.
  const Json& parameters() const { return parameters_; }
  /// During Read(): the partition (slice without its datetime window) being read.
  const Json& current_partition() const;
  bool top_level() const { return top_level_; }
  /// The stream as discover reports it.
  protocol::AirbyteStream Describe() const;

  /// Evaluates what the CDK evaluates when it builds the stream (the cursor's start and end),
  /// so template errors there fail before any request. Throws Error(kInput).
  void Prepare();

  /// Reads every slice. Throws Error (kConnectorFailed with context failure_type, or kInput
  /// for template and definition errors) when the stream fails.
  void Read(const ReadOptions& options, const Callbacks& callbacks);

  /// The stream's built components (defined in the .cc; the reader of one Read() uses them).
  struct Parts;

 private:
  Json component_;
  Runtime& runtime_;
  std::filesystem::path manifest_dir_;
  bool cache_responses_;
  bool top_level_;
  std::string name_;
  Json parameters_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace airbyte::declarative
