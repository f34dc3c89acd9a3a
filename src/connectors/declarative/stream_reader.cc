// The read loop of one declarative stream: the routers' partitions (substream parents read
// first), the cursor's windows, each slice's pages, records streamed out, state emitted.

#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/datetime_cursor.h"
#include "connectors/declarative/interpolation/value.h"
#include "connectors/declarative/json_decoder.h"
#include "connectors/declarative/partitioned_cursor.h"
#include "connectors/declarative/stream_parts.h"

namespace airbyte::declarative {
namespace {

Json DropTopLevelNulls(Json record) {
  if (!record.is_object()) return record;
  for (auto it = record.begin(); it != record.end();) {
    if (it->is_null()) {
      it = record.erase(it);
    } else {
      ++it;
    }
  }
  return record;
}

// Reads the slices of one stream; lives for one Read() call.
class StreamReader {
 public:
  StreamReader(DeclarativeStream& stream, DeclarativeStream::Parts& parts, Runtime& runtime,
               const std::filesystem::path& manifest_dir, const DeclarativeStream::Callbacks& callbacks,
               bool first_record_only)
      : stream_(stream),
        parts_(parts),
        runtime_(runtime),
        manifest_dir_(manifest_dir),
        callbacks_(callbacks),
        first_record_only_(first_record_only) {}

  void Run(const Json& state) {
    if (parts_.routers.empty()) {
      if (parts_.cursor_component.is_object()) {
        cursor_ = MakeCursor();
        cursor_->SetState(state);
        for (const Json& slice : cursor_->Slices()) {
          if (stopped_) break;
          if (ReadSlice(slice, Json::object())) cursor_->Close(slice);
          EmitState(cursor_->State());
        }
        if (!stopped_) EmitState(cursor_->State());
      } else {
        ReadSlice(Json::object(), Json::object());
        if (!stopped_) EmitState({{"__ab_no_cursor_state_message", true}});
      }
      ThrowFailure();
      return;
    }
    if (parts_.cursor_component.is_object()) {
      partitioned_ = std::make_unique<PartitionedCursor>([this] { return MakeCursor(); });
      partitioned_->SetState(state);
      if (partitioned_->parent_state().is_object()) parent_states_ = partitioned_->parent_state();
    }
    ForEachPartition(0, Json::object(), Json::object(), [this](const Json& partition,
                                                              const Json& extra) {
      if (partitioned_) {
        bool complete = true;
        for (const Json& slice : partitioned_->Slices(partition)) {
          if (stopped_) return;
          if (ReadSlice(slice, extra)) {
            partitioned_->Close(slice);
          } else {
            complete = false;
          }
          EmitState(partitioned_->State(ParentState()));
        }
        if (complete) partitioned_->ClosePartition(partition);
      } else {
        ReadSlice(partition, extra);
      }
    });
    if (stopped_) return;
    if (partitioned_) {
      partitioned_->Finish();
      EmitState(partitioned_->State(ParentState()));
    } else {
      EmitState({{"__ab_no_cursor_state_message", true}});
    }
    ThrowFailure();
  }

 private:
  std::unique_ptr<DatetimeBasedCursor> MakeCursor() {
    return std::make_unique<DatetimeBasedCursor>(parts_.cursor_component, runtime_.config,
                                                 runtime_.interpolator, runtime_.now_micros);
  }

  // Substreams report their parents' state: the state each incremental_dependency parent
  // ended with (empty when parents are read in full).
  Json ParentState() const {
    for (const Json& router : parts_.routers) {
      if (router.value("type", "") == "SubstreamPartitionRouter") return parent_states_;
    }
    return nullptr;
  }

  void EmitState(const Json& state) {
    if (callbacks_.on_state && !first_record_only_) callbacks_.on_state(state);
  }

  using PartitionFn = std::function<void(const Json& partition, const Json& extra_fields)>;

  // The cartesian product of the routers from `index` on, each combination merged into
  // `partition`.
  void ForEachPartition(std::size_t index, const Json& partition, const Json& extra,
                        const PartitionFn& fn) {
    if (stopped_) return;
    if (index == parts_.routers.size()) {
      fn(partition, extra);
      return;
    }
    const Json& router = parts_.routers[index];
    const Json context = {{"config", runtime_.config},
                          {"parameters", router.value("$parameters", Json::object())}};
    if (router.value("type", "") == "ListPartitionRouter") {
      Json values = router.value("values", Json::array());
      if (values.is_string()) values = runtime_.interpolator.Eval(values.get<std::string>(), context);
      if (!values.is_array()) {
        throw Error(ErrorKind::kInput,
                    "ListPartitionRouter of stream '" + stream_.name() +
                        "' has values that are not a list.",
                    {.guidance = "Check the config value the router's `values` refers to."});
      }
      std::string field = runtime_.interpolator.Render(router.value("cursor_field", ""), context);
      for (const Json& value : values) {
        Json next = partition;
        next[field] = value;
        ForEachPartition(index + 1, next, extra, fn);
        if (stopped_) return;
      }
      return;
    }
    for (const Json& parent : router.value("parent_stream_configs", Json::array())) {
      ReadParent(parent, context, [&](const Json& value, const Json& parent_partition,
                                      const Json& parent_extra) {
        Json next = partition;
        std::string field =
            runtime_.interpolator.Render(parent.value("partition_field", ""), context);
        next[field] = value;
        next["parent_slice"] = parent_partition;
        Json merged_extra = extra;
        for (const auto& [key, item] : parent_extra.items()) merged_extra[key] = item;
        ForEachPartition(index + 1, next, merged_extra, fn);
      });
      if (stopped_) return;
    }
  }

  void ReadParent(const Json& config, const Json& context,
                  const std::function<void(const Json&, const Json&, const Json&)>& fn) {
    DeclarativeStream parent(config.value("stream", Json::object()), runtime_, manifest_dir_,
                             /*cache_responses=*/stream_.top_level(), /*top_level=*/false);
    std::string key_text = runtime_.interpolator.Render(PyStr(config.value("parent_key", "")), context);
    std::vector<std::string> key_path;
    std::size_t start = 0;
    while (true) {
      std::size_t slash = key_text.find('/', start);
      key_path.push_back(key_text.substr(start, slash == std::string::npos ? slash : slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    Json extra_paths = config.value("extra_fields", Json::array());
    // The parent is read completely before its records become partitions: the reference
    // reads parent pages ahead of the child's requests.
    std::vector<std::pair<Json, Json>> parent_records;  // record, its partition
    DeclarativeStream::Callbacks callbacks;
    callbacks.on_record = [&](Json record) {
      parent_records.emplace_back(std::move(record), parent.current_partition());
      return true;
    };
    // incremental_dependency: the parent resumes from the state kept inside the child's state
    // and the child's state carries the parent's new state.
    DeclarativeStream::ReadOptions parent_options;
    const bool dependent = config.value("incremental_dependency", false) && parent.incremental();
    if (dependent) {
      auto stored = parent_states_.find(parent.name());
      if (stored != parent_states_.end()) parent_options.state = *stored;
      callbacks.on_state = [&](const Json& parent_state) {
        parent_states_[parent.name()] = parent_state;
      };
    }
    parent.Read(parent_options, callbacks);
    for (const auto& [record, parent_partition] : parent_records) {
      const Json* node = &record;
      bool found = true;
      for (const std::string& part : key_path) {
        if (!node->is_object() || !node->contains(part)) {
          found = false;
          break;
        }
        node = &(*node)[part];
      }
      if (!found) continue;
      Json extra = Json::object();
      for (const Json& path : extra_paths) {
        const Json* value = &record;
        std::string name;
        for (const Json& part : path) {
          const std::string segment = PyStr(part);
          name += (name.empty() ? "" : ".") + segment;
          value = value->is_object() && value->contains(segment) ? &(*value)[segment] : nullptr;
          if (value == nullptr) break;
        }
        if (value != nullptr) extra[name] = *value;
      }
      fn(*node, parent_partition, extra);
      if (stopped_) return;
    }
  }

  // Reads one slice; a failure is remembered and the next slices still run (the CDK fails the
  // partition, not the stream). Returns whether the slice completed.
  bool ReadSlice(const Json& slice, const Json& extra_fields) {
    try {
      ReadSliceOnce(slice, extra_fields);
      return true;
    } catch (const Error& error) {
      if (first_record_only_) throw;  // check: the first failure is the answer
      if (!failure_) failure_ = error;
      return false;
    }
  }

  // After the final state: the first failure, if any, fails the stream.
  void ThrowFailure() const {
    if (failure_) throw *failure_;
  }

  void ReadSliceOnce(const Json& slice, const Json& extra_fields) {
    parts_.current_partition = PartitionOf(slice);
    Paginator& paginator = *parts_.paginator;
    Json token = paginator.Reset();
    bool first_page = true;
    while (!stopped_) {
      HttpRequester::Input input;
      input.stream_slice = slice;
      if (!extra_fields.empty()) {
        input.stream_slice["extra_fields"] = extra_fields;
        input.extra_context = extra_fields;
      }
      input.next_page_token = token.is_null() ? Json() : Json{{"next_page_token", token}};
      paginator.AddOptions(token, input.extra);
      if (first_page || !parts_.ignore_slicer_on_pages) AddSlicerOptions(slice, input.extra);
      input.path_override = paginator.PathFor(token);
      parts_.requester->set_on_rate_limited(callbacks_.on_rate_limited);
      HttpRequester::Result result = parts_.requester->Send(input);
      if (result.ignored) return;

      Json context = {{"config", runtime_.config},
                      {"parameters", stream_.parameters()},
                      {"stream_slice", input.stream_slice},
                      {"next_page_token", input.next_page_token}};
      for (const auto& [key, value] : extra_fields.items()) context[key] = value;
      std::vector<Json> documents = DecodeBody(parts_.decoder, result.response.body);
      Paginator::Page page;
      page.response = &result.response;
      page.stream_slice = slice;
      Json empty = Json::object();
      page.document = documents.empty() ? &empty : &documents.front();
      bool data_feed_stop = false;
      for (const Json& document : documents) {
        std::size_t extracted = 0;
        bool keep_going = true;
        parts_.selector->SelectEach(document, context, &extracted, [&](Json record) {
          if (!KeepRecord(slice, record, data_feed_stop)) return true;
          Observe(slice, record);
          if (paginator.needs_last_record()) page.last_record = record;
          ++page.last_page_size;
          if (!callbacks_.on_record(DropTopLevelNulls(std::move(record))) || first_record_only_) {
            keep_going = false;
          }
          return keep_going;
        });
        page.extracted += extracted;
        if (!keep_going) {
          stopped_ = true;
          return;
        }
      }
      if (data_feed_stop) return;
      token = paginator.Next(page);
      if (token.is_null()) return;
      first_page = false;
    }
  }

  // The partition part of a slice (without the cursor's window keys).
  Json PartitionOf(const Json& slice) const {
    if (!parts_.cursor_component.is_object()) return slice;
    Json partition = slice;
    partition.erase(parts_.cursor_component.value("partition_field_start", "start_time"));
    partition.erase(parts_.cursor_component.value("partition_field_end", "end_time"));
    return partition;
  }

  bool KeepRecord(const Json& slice, const Json& record, bool& data_feed_stop) {
    const DatetimeBasedCursor* cursor = ActiveCursor(slice);
    if (cursor == nullptr) return true;
    if (cursor->is_data_feed() && cursor->IsOlderThanState(record)) {
      data_feed_stop = true;
      return false;
    }
    // Only an explicitly client-side incremental cursor filters records (README §4).
    return !cursor->is_client_side_incremental() || cursor->KeepRecord(slice, record);
  }

  void Observe(const Json& slice, const Json& record) {
    if (partitioned_) {
      partitioned_->Observe(slice, record);
    } else if (cursor_) {
      cursor_->Observe(slice, record);
    }
  }

  const DatetimeBasedCursor* ActiveCursor(const Json& slice) const {
    if (cursor_) return cursor_.get();
    if (partitioned_) return partitioned_->cursor(PartitionOf(slice));
    return nullptr;
  }

  void AddSlicerOptions(const Json& slice, RequestOptions& options) {
    const Json context = {{"config", runtime_.config}, {"parameters", stream_.parameters()}};
    for (const SlicerOption& option : parts_.slicer_options) {
      if (option.option.is_null()) continue;
      auto it = slice.find(option.slice_key);
      if (it == slice.end()) continue;
      InjectRequestOption(option.option, *it, runtime_.interpolator, context, options);
    }
  }

  DeclarativeStream& stream_;
  DeclarativeStream::Parts& parts_;
  Runtime& runtime_;
  const std::filesystem::path& manifest_dir_;
  const DeclarativeStream::Callbacks& callbacks_;
  bool first_record_only_;
  bool stopped_ = false;
  std::optional<Error> failure_;
  Json parent_states_ = Json::object();  // parent stream name -> its state
  std::unique_ptr<DatetimeBasedCursor> cursor_;
  std::unique_ptr<PartitionedCursor> partitioned_;
};


}  // namespace

void ReadStream(DeclarativeStream& stream, DeclarativeStream::Parts& parts, Runtime& runtime,
                const std::filesystem::path& manifest_dir,
                const DeclarativeStream::Callbacks& callbacks, bool first_record_only,
                const Json& state) {
  StreamReader reader(stream, parts, runtime, manifest_dir, callbacks, first_record_only);
  reader.Run(state);
}

}  // namespace airbyte::declarative
