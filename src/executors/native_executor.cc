#include "executors/native_executor.h"

#include <atomic>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "airbyte/error.h"
#include "protocol/json_convert.h"
#include "util/bounded_queue.h"
#include "util/line_ring.h"

namespace airbyte::executors {
namespace {

using Batch = std::vector<protocol::Message>;

// Messages per queue hand-off: amortizes the queue's locking over many records.
constexpr std::size_t kBatchSize = 512;
// Batches in flight: bounds memory to a few thousand messages.
constexpr std::size_t kQueueCapacity = 8;

// Batches the consumer is done with, handed back to the producer thread: the connector
// refills their records (MessageSink::RecycledRecord) instead of allocating new strings, and
// what is freed is freed on the thread that allocated it. Allocating and freeing each record's
// strings across threads was ~10% of a native faker read's CPU.
class Recycler {
 public:
  void Give(Batch batch) {
    const std::lock_guard lock(mu_);
    if (batches_.size() < kQueueCapacity + 2) batches_.push_back(std::move(batch));
  }

  std::optional<Batch> Take() {
    const std::lock_guard lock(mu_);
    if (batches_.empty()) return std::nullopt;
    Batch batch = std::move(batches_.back());
    batches_.pop_back();
    return batch;
  }

 private:
  std::mutex mu_;
  std::vector<Batch> batches_;  // Guarded by mu_.
};

// Collects a connector's messages into batches and pushes them to the queue.
class QueueSink : public connectors::MessageSink {
 public:
  QueueSink(util::BoundedQueue<Batch>& queue, Recycler& recycler,
            const std::atomic<bool>& cancelled)
      : queue_(queue), recycler_(recycler), cancelled_(cancelled) {
    batch_.reserve(kBatchSize);
  }

  protocol::TypedRecord RecycledRecord() override {
    while (true) {
      while (spare_next_ < spare_.size()) {
        auto* record = std::get_if<protocol::RecordMessage>(&spare_[spare_next_++].payload());
        if (record != nullptr && record->typed) return std::move(*record->typed);
      }
      std::optional<Batch> batch = recycler_.Take();
      if (!batch) return {};
      spare_ = std::move(*batch);
      spare_next_ = 0;
    }
  }

  bool Emit(protocol::Message message) override {
    if (cancelled_.load(std::memory_order_relaxed)) return false;
    const bool is_record = message.type() == protocol::MessageType::kRecord;
    batch_.push_back(std::move(message));
    // Non-record messages (state, traces) go out at once so progress shows promptly.
    if (batch_.size() >= kBatchSize || !is_record) return Flush();
    return true;
  }

  bool Flush() {
    if (batch_.empty()) return !cancelled_.load();
    Batch full;
    full.reserve(kBatchSize);
    std::swap(full, batch_);
    return queue_.Push(std::move(full)) && !cancelled_.load();
  }

 private:
  util::BoundedQueue<Batch>& queue_;
  Recycler& recycler_;
  const std::atomic<bool>& cancelled_;
  Batch batch_;
  Batch spare_;  // a recycled batch whose records RecycledRecord() hands out
  std::size_t spare_next_ = 0;
};

class NativeMessageStream : public MessageStream {
 public:
  // spec/check/discover: the result is computed before the stream exists.
  explicit NativeMessageStream(std::deque<protocol::Message> ready) : ready_(std::move(ready)) {
    producer_done_ = true;
  }

  // read: the connector runs on a producer thread.
  NativeMessageStream(std::shared_ptr<const connectors::NativeConnector> connector, Json config,
                      protocol::ConfiguredAirbyteCatalog catalog,
                      std::vector<protocol::StateMessage> state)
      : queue_(kQueueCapacity) {
    producer_ = std::jthread([this, connector = std::move(connector), config = std::move(config),
                              catalog = std::move(catalog), state = std::move(state)] {
      QueueSink sink(queue_, recycler_, cancelled_);
      try {
        connector->Read(config, catalog, state, sink);
      } catch (...) {
        error_ = std::current_exception();  // rethrown by Next() after the queued messages
      }
      sink.Flush();  // what the connector emitted before a failure is delivered too
      queue_.Close();
    });
  }

  ~NativeMessageStream() override {
    Cancel();
    queue_.Close();  // wakes a producer blocked on a full queue
  }

  bool Next(protocol::Message& out) override {
    while (true) {
      if (!ready_.empty()) {
        out = std::move(ready_.front());
        ready_.pop_front();
        Observe(out);
        return true;
      }
      if (next_ < current_.size()) {
        // `out`'s previous message goes back with the batch, to be refilled.
        std::swap(out, current_[next_++]);
        Observe(out);
        return true;
      }
      if (!current_.empty()) {
        recycler_.Give(std::exchange(current_, {}));
        next_ = 0;
      }
      if (producer_done_) break;
      std::optional<Batch> batch = queue_.Pop();
      if (!batch) {
        producer_done_ = true;
        if (producer_.joinable()) producer_.join();
        continue;
      }
      current_ = std::move(*batch);
      next_ = 0;
    }
    if (error_ && !cancelled_.load()) {
      std::exception_ptr error = std::exchange(error_, nullptr);
      try {
        std::rethrow_exception(error);
      } catch (const Error&) {
        throw;
      } catch (const std::exception& e) {
        throw Error(ErrorKind::kConnectorFailed, "The native connector failed.",
                    {.log_tail = ring_.Text(20), .log_file = LogPath(log_), .cause = e.what()});
      }
    }
    return false;
  }

  void Cancel() noexcept override { cancelled_.store(true); }
  // Before the first Next(): LOG lines are observed on the consumer's thread.
  void AttachLog(std::shared_ptr<util::LogFile> log) {
    log_ = std::move(log);
    TeeToLog(ring_, log_);
  }
  std::string LogTail() const override { return ring_.Text(); }
  std::uint64_t bytes_read() const override { return 0; }

 private:
  void Observe(const protocol::Message& message) {
    if (message.type() == protocol::MessageType::kLog) {
      ring_.Append(std::string(protocol::ToString(message.log().level)) + " " +
                   message.log().message);
    } else if (message.type() == protocol::MessageType::kTrace && message.trace().error) {
      ring_.Append("TRACE ERROR " + message.trace().error->message);
    }
  }

  std::deque<protocol::Message> ready_;  // spec/check/discover results
  Batch current_;                        // the batch Next() is handing out
  std::size_t next_ = 0;
  Recycler recycler_;
  util::BoundedQueue<Batch> queue_{1};
  std::atomic<bool> cancelled_ = false;
  std::exception_ptr error_;  // written by the producer before queue_.Close(), read after
  bool producer_done_ = false;
  util::LineRing ring_;
  std::shared_ptr<util::LogFile> log_;
  std::jthread producer_;  // last: joined first on destruction, while the rest still exists
};

// spec/check/discover run here; read starts the producer thread.
std::unique_ptr<NativeMessageStream> StartStream(
    const std::shared_ptr<const connectors::NativeConnector>& connector,
    const Invocation& invocation) {
  const Json config = invocation.config.is_null() ? Json::object() : invocation.config;
  std::deque<protocol::Message> ready;
  switch (invocation.verb) {
    case Verb::kSpec:
      ready.emplace_back(connector->Spec());
      break;
    case Verb::kCheck:
      ready.emplace_back(connector->Check(config));
      break;
    case Verb::kDiscover:
      ready.emplace_back(connector->Discover(config));
      break;
    case Verb::kRead:
      return std::make_unique<NativeMessageStream>(
          connector, config,
          protocol::ConfiguredCatalogFromJson(Json::parse(invocation.catalog_json)),
          protocol::StateArrayFromJson(Json::parse(invocation.state_json)));
    case Verb::kWrite:
      throw Error(ErrorKind::kInput, "Native connectors are sources; they have no `write`.",
                  {.context = {{"connectorname", std::string(connector->name())}}});
  }
  return std::make_unique<NativeMessageStream>(std::move(ready));
}

}  // namespace

NativeExecutor::NativeExecutor(std::unique_ptr<connectors::NativeConnector> connector)
    : connector_(std::move(connector)) {}

std::string NativeExecutor::Describe() const {
  return "native built-in connector " + std::string(connector_->name());
}

std::unique_ptr<MessageStream> NativeExecutor::Execute(const Invocation& invocation) {
  std::unique_ptr<NativeMessageStream> stream = StartStream(connector_, invocation);
  stream->AttachLog(invocation.log);
  return stream;
}

}  // namespace airbyte::executors
