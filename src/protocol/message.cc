#include "protocol/message.h"

#include "airbyte/error.h"
#include "protocol/serializer.h"

namespace airbyte::protocol {

Json RecordDataJson(const RecordMessage& record) {
  std::string rendered;
  if (record.typed) AppendRecordDataJson(record, rendered);
  Json data = Json::parse(record.typed ? rendered : record.data, nullptr,
                          /*allow_exceptions=*/false);
  if (data.is_discarded() || !data.is_object()) {
    // Name the stream, never the content: record data may hold personal data.
    std::vector<ErrorContextItem> context = {{"stream", record.stream}};
    if (record.namespace_) context.emplace_back("namespace", *record.namespace_);
    throw Error(ErrorKind::kProtocol,
                data.is_discarded() ? "A record's data is not valid JSON."
                                    : "A record's data is not a JSON object.",
                {.context = std::move(context)});
  }
  return data;
}

std::string_view ToString(MessageType value) {
  switch (value) {
    case MessageType::kRecord:
      return "RECORD";
    case MessageType::kState:
      return "STATE";
    case MessageType::kLog:
      return "LOG";
    case MessageType::kSpec:
      return "SPEC";
    case MessageType::kConnectionStatus:
      return "CONNECTION_STATUS";
    case MessageType::kCatalog:
      return "CATALOG";
    case MessageType::kTrace:
      return "TRACE";
    case MessageType::kControl:
      return "CONTROL";
    case MessageType::kDestinationCatalog:
      return "DESTINATION_CATALOG";
  }
  return "UNKNOWN";
}

std::string_view ToString(SyncMode value) {
  switch (value) {
    case SyncMode::kFullRefresh:
      return "full_refresh";
    case SyncMode::kIncremental:
      return "incremental";
  }
  return "unknown";
}

std::string_view ToString(DestinationSyncMode value) {
  switch (value) {
    case DestinationSyncMode::kAppend:
      return "append";
    case DestinationSyncMode::kOverwrite:
      return "overwrite";
    case DestinationSyncMode::kAppendDedup:
      return "append_dedup";
    case DestinationSyncMode::kUpdate:
      return "update";
    case DestinationSyncMode::kSoftDelete:
      return "soft_delete";
  }
  return "unknown";
}

std::string_view ToString(StateType value) {
  switch (value) {
    case StateType::kStream:
      return "STREAM";
    case StateType::kGlobal:
      return "GLOBAL";
    case StateType::kLegacy:
      return "LEGACY";
  }
  return "UNKNOWN";
}

std::string_view ToString(LogLevel value) {
  switch (value) {
    case LogLevel::kFatal:
      return "FATAL";
    case LogLevel::kError:
      return "ERROR";
    case LogLevel::kWarn:
      return "WARN";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kTrace:
      return "TRACE";
  }
  return "UNKNOWN";
}

std::string_view ToString(ConnectionStatusValue value) {
  switch (value) {
    case ConnectionStatusValue::kSucceeded:
      return "SUCCEEDED";
    case ConnectionStatusValue::kFailed:
      return "FAILED";
  }
  return "UNKNOWN";
}

std::string_view ToString(TraceType value) {
  switch (value) {
    case TraceType::kError:
      return "ERROR";
    case TraceType::kEstimate:
      return "ESTIMATE";
    case TraceType::kStreamStatus:
      return "STREAM_STATUS";
    case TraceType::kAnalytics:
      return "ANALYTICS";
  }
  return "UNKNOWN";
}

std::string_view ToString(FailureType value) {
  switch (value) {
    case FailureType::kSystemError:
      return "system_error";
    case FailureType::kConfigError:
      return "config_error";
    case FailureType::kTransientError:
      return "transient_error";
  }
  return "unknown";
}

std::string_view ToString(EstimateType value) {
  switch (value) {
    case EstimateType::kStream:
      return "STREAM";
    case EstimateType::kSync:
      return "SYNC";
  }
  return "UNKNOWN";
}

std::string_view ToString(StreamStatus value) {
  switch (value) {
    case StreamStatus::kStarted:
      return "STARTED";
    case StreamStatus::kRunning:
      return "RUNNING";
    case StreamStatus::kComplete:
      return "COMPLETE";
    case StreamStatus::kIncomplete:
      return "INCOMPLETE";
  }
  return "UNKNOWN";
}

}  // namespace airbyte::protocol
