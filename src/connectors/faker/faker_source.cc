#include "connectors/faker/faker_source.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <utility>

#include "airbyte/error.h"
#include "connectors/faker/faker_generator.h"

namespace airbyte::connectors {
namespace {

using protocol::Message;
using protocol::StreamStatus;

enum class FakerStream { kProducts, kUsers, kPurchases };

std::optional<FakerStream> StreamByName(std::string_view name) {
  if (name == "products") return FakerStream::kProducts;
  if (name == "users") return FakerStream::kUsers;
  if (name == "purchases") return FakerStream::kPurchases;
  return std::nullopt;
}

std::int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The incoming state blob of stream `name` (null when there is none). The last matching
// message wins, as in the CDK's state manager.
Json IncomingState(const std::vector<protocol::StateMessage>& states, const std::string& name) {
  Json found;
  for (const protocol::StateMessage& state : states) {
    if (state.type == protocol::StateType::kStream && state.stream &&
        state.stream->stream_descriptor.name == name &&
        !state.stream->stream_descriptor.namespace_) {
      found = state.stream->stream_state;
    } else if (state.type == protocol::StateType::kGlobal && state.global) {
      for (const protocol::StreamState& stream : state.global->stream_states) {
        if (stream.stream_descriptor.name == name && !stream.stream_descriptor.namespace_) {
          found = stream.stream_state;
        }
      }
    } else if (state.type == protocol::StateType::kLegacy && state.data.is_object() &&
               state.data.contains(name)) {
      found = state.data[name];
    }
  }
  return found;
}

// Emits one stream's messages and applies the CDK's checkpoint rule: a STATE every
// `interval` records carrying the stream's state as last set (skipped while none is set),
// and one at the end; sourceStats.recordCount counts the records since the previous STATE.
// Every method returns false once the sink asked to stop.
class StreamEmitter {
 public:
  StreamEmitter(MessageSink& sink, std::string name, std::int64_t interval)
      : sink_(sink), name_(std::move(name)), interval_(interval) {}

  bool Status(StreamStatus status) {
    protocol::TraceMessage trace;
    trace.type = protocol::TraceType::kStreamStatus;
    trace.emitted_at = static_cast<double>(NowMillis());
    trace.stream_status =
        protocol::StreamStatusTrace{.stream_descriptor = {.name = name_}, .status = status};
    return sink_.Emit(Message(std::move(trace)));
  }

  bool Estimate(std::int64_t rows, std::int64_t bytes) {
    protocol::TraceMessage trace;
    trace.type = protocol::TraceType::kEstimate;
    trace.emitted_at = static_cast<double>(NowMillis());
    trace.estimate =
        protocol::EstimateTrace{.name = name_, .row_estimate = rows, .byte_estimate = bytes};
    return sink_.Emit(Message(std::move(trace)));
  }

  bool Record(protocol::TypedRecord typed) {
    if (!running_) {
      running_ = true;
      if (!Status(StreamStatus::kRunning)) return false;
    }
    // The clock is read every 256 records (well under a millisecond apart at full speed):
    // a clock read per record cost ~3% of the read.
    if ((records_ & 255) == 0) emitted_at_ = NowMillis();
    protocol::RecordMessage record;
    record.stream = name_;
    record.data.clear();  // the values are in `typed`
    record.emitted_at = emitted_at_;
    record.typed = std::move(typed);
    if (!sink_.Emit(Message(std::move(record)))) return false;
    ++records_since_state_;
    ++records_;
    if (records_ % interval_ == 0 && !current_state_.is_null()) return State(current_state_);
    return true;
  }

  // The stream's state after a completed batch, picked up by the next checkpoint.
  void SetState(Json state) { current_state_ = std::move(state); }

  bool FinalState() { return State(current_state_); }

  bool State(const Json& blob) {
    protocol::StateMessage state;
    state.type = protocol::StateType::kStream;
    state.stream =
        protocol::StreamState{.stream_descriptor = {.name = name_}, .stream_state = blob};
    state.source_stats =
        protocol::StateStats{.record_count = static_cast<double>(records_since_state_)};
    records_since_state_ = 0;
    return sink_.Emit(Message(std::move(state)));
  }

 private:
  MessageSink& sink_;
  std::string name_;
  std::int64_t interval_;
  std::int64_t records_ = 0;
  std::int64_t emitted_at_ = 0;
  std::int64_t records_since_state_ = 0;
  bool running_ = false;
  Json current_state_;
};

// One Read() call: config, seed and generator shared by its streams.
class FakerRead {
 public:
  FakerRead(const FakerConfig& config, MessageSink& sink)
      : config_(config),
        sink_(sink),
        seed_json_(config.seed ? Json(*config.seed) : Json(nullptr)),
        generator_(config.seed ? static_cast<std::uint64_t>(*config.seed) : RandomSeed()) {}

  bool Stream(FakerStream kind, const std::string& name, const Json& incoming) {
    StreamEmitter emitter(sink_, name, config_.records_per_slice);
    if (!emitter.Status(StreamStatus::kStarted)) return false;
    // The Python streams only look at whether `updated_at` exists in their state.
    if (!config_.always_updated && incoming.is_object() && incoming.contains("updated_at")) {
      return emitter.State(incoming) && emitter.Status(StreamStatus::kComplete);
    }
    generator_.RefreshClock();
    bool ok = false;
    switch (kind) {
      case FakerStream::kProducts:
        ok = Products(emitter);
        break;
      case FakerStream::kUsers:
        ok = Users(emitter);
        break;
      case FakerStream::kPurchases:
        ok = Purchases(emitter);
        break;
    }
    return ok && emitter.FinalState() && emitter.Status(StreamStatus::kComplete);
  }

 private:
  static std::uint64_t RandomSeed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }

  Json BatchState(const std::string& updated_at, std::int64_t loop_offset) const {
    return {{"seed", seed_json_}, {"updated_at", updated_at}, {"loop_offset", loop_offset}};
  }

  bool Products(StreamEmitter& emitter) {
    if (!emitter.Estimate(kFakerProductCount, 18'000)) return false;
    const std::int64_t rows = std::min(config_.count, kFakerProductCount);
    for (std::int64_t i = 0; i < rows; ++i) {
      protocol::TypedRecord record = sink_.RecycledRecord();
      generator_.FillProduct(i, record);
      if (!emitter.Record(std::move(record))) return false;
    }
    emitter.SetState({{"seed", seed_json_}, {"updated_at", generator_.updated_at()}});
    return true;
  }

  bool Users(StreamEmitter& emitter) {
    if (!emitter.Estimate(config_.count, config_.count * 450)) return false;
    const std::int64_t slice = config_.records_per_slice;
    for (std::int64_t offset = 0; offset < config_.count; offset += slice) {
      const std::int64_t end = std::min(config_.count, offset + slice);
      generator_.RefreshClock();
      for (std::int64_t i = offset; i < end; ++i) {
        if (((i - offset) & 4095) == 4095) generator_.RefreshClock();  // huge slices
        protocol::TypedRecord record = sink_.RecycledRecord();
        generator_.FillUser(i, record);
        if (!emitter.Record(std::move(record))) return false;
      }
      emitter.SetState(BatchState(generator_.updated_at(), end));
    }
    return true;
  }

  bool Purchases(StreamEmitter& emitter) {
    // int(count * 1.3) in IEEE doubles, exactly as Python computes it.
    const auto rows = static_cast<std::int64_t>(static_cast<double>(config_.count) * 1.3);
    if (!emitter.Estimate(rows, rows * 230)) return false;
    const std::int64_t slice = config_.records_per_slice;
    std::string last_updated_at = generator_.updated_at();
    for (std::int64_t offset = 0; offset < config_.count; offset += slice) {
      const std::int64_t end = std::min(config_.count, offset + slice);
      generator_.RefreshClock();
      bool emitted = false;
      for (std::int64_t u = offset; u < end; ++u) {
        if (((u - offset) & 4095) == 4095) generator_.RefreshClock();
        for (int slot = 0; slot < FakerGenerator::PurchaseCountForUser(u); ++slot) {
          protocol::TypedRecord record = sink_.RecycledRecord();
          generator_.FillPurchase(u, slot, record);
          if (!emitter.Record(std::move(record))) return false;
          emitted = true;
        }
      }
      // A batch without purchases keeps the previous batch's updated_at.
      if (emitted) last_updated_at = generator_.updated_at();
      emitter.SetState(BatchState(last_updated_at, end));
    }
    return true;
  }

  const FakerConfig& config_;
  MessageSink& sink_;
  Json seed_json_;
  FakerGenerator generator_;
};

class FakerSource final : public NativeConnector {
 public:
  std::string_view name() const override { return "source-faker"; }

  protocol::ConnectorSpecification Spec() const override { return FakerSpec(); }

  protocol::ConnectionStatus Check(const Json& config) const override {
    // As the Python check: only `count` being an int or float matters.
    if (config.is_object() && config.contains("count") && config["count"].is_number()) {
      return {.status = protocol::ConnectionStatusValue::kSucceeded};
    }
    return {.status = protocol::ConnectionStatusValue::kFailed,
            .message = "Count option is missing"};
  }

  protocol::AirbyteCatalog Discover(const Json& /*config*/) const override {
    return FakerCatalog();
  }

  void Read(const Json& config, const protocol::ConfiguredAirbyteCatalog& catalog,
            const std::vector<protocol::StateMessage>& state, MessageSink& sink) const override {
    const FakerConfig parsed = ParseFakerConfig(config);
    std::vector<FakerStream> kinds;
    for (const protocol::ConfiguredAirbyteStream& stream : catalog.streams) {
      const std::optional<FakerStream> kind = StreamByName(stream.stream.name);
      if (!kind || stream.stream.namespace_) {
        throw Error(ErrorKind::kInput, "The configured catalog names a stream source-faker lacks.",
                    {.guidance = "source-faker has the streams products, users and purchases.",
                     .context = {{"stream", stream.stream.name}}});
      }
      kinds.push_back(*kind);
    }
    FakerRead read(parsed, sink);
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      const std::string& name = catalog.streams[i].stream.name;
      if (!read.Stream(kinds[i], name, IncomingState(state, name))) return;
    }
  }
};

}  // namespace

std::unique_ptr<NativeConnector> MakeFakerSource() { return std::make_unique<FakerSource>(); }

}  // namespace airbyte::connectors
