// LazyDataset, Source::GetRecords, Source::GetSamples and Source::PrintSamples.
#include <algorithm>
#include <iostream>

#include "airbyte/error.h"
#include "airbyte/source.h"
#include "sources/source_impl.h"
#include "sources/stream_record.h"

namespace airbyte {

// --- LazyDataset ----------------------------------------------------------------------------

LazyDataset::LazyDataset(std::unique_ptr<sources::RecordProducer> producer)
    : producer_(std::move(producer)) {}
LazyDataset::LazyDataset(LazyDataset&& other) noexcept = default;
LazyDataset& LazyDataset::operator=(LazyDataset&& other) noexcept = default;
LazyDataset::~LazyDataset() = default;

LazyDataset::Iterator LazyDataset::begin() {
  if (!started_) {
    started_ = true;
    Advance();
  }
  return Iterator(this);
}

void LazyDataset::Advance() { current_ = producer_ ? producer_->Next() : std::nullopt; }

std::vector<StreamRecord> LazyDataset::FetchAll() {
  std::vector<StreamRecord> records;
  for (Iterator it = begin(); it != end(); ++it) records.push_back(*it);
  return records;
}

void LazyDataset::Close() {
  if (producer_) producer_->Close();
  current_.reset();
  started_ = true;
}

std::vector<std::string> LazyDataset::column_names() const {
  return producer_->handler().properties();
}

const std::string& LazyDataset::stream_name() const { return producer_->stream_name(); }

// --- Source::GetRecords ---------------------------------------------------------------------

LazyDataset Source::GetRecords(std::string_view stream, GetRecordsOptions options) {
  protocol::ConfiguredAirbyteCatalog catalog =
      impl_->BuildConfiguredCatalog({std::string(stream)}, /*force_full_refresh=*/false);
  if (catalog.streams.empty()) {
    std::string available;
    for (const std::string& name : GetAvailableStreams()) {
      available += (available.empty() ? "" : ", ") + name;
    }
    throw Error(ErrorKind::kInput, "Requested stream does not exist.",
                {.context = {{"stream", std::string(stream)},
                             {"available_streams", available},
                             {"connector_name", name()}}});
  }
  auto handler = std::make_shared<const sources::StreamRecordHandler>(
      catalog.streams[0].stream.json_schema, options.normalize_field_names,
      options.prune_undeclared_fields);
  Impl* impl = impl_.get();
  return LazyDataset(std::make_unique<sources::RecordProducer>(
      std::string(stream), std::move(handler), impl_->StartRead(catalog, "[]"),
      [impl](const protocol::ControlMessage& control) { impl->HandleControl(control); },
      options.limit));
}

// --- Samples --------------------------------------------------------------------------------

std::map<std::string, std::optional<std::vector<StreamRecord>>> Source::GetSamples(
    const std::vector<std::string>& streams, std::size_t limit, OnSampleError on_error) {
  std::vector<std::string> names;
  if (streams.size() == 1 && streams[0] == "*") {
    names = GetAvailableStreams();
  } else if (streams.empty()) {
    names = GetSelectedStreams();
  } else {
    names = streams;
  }
  std::map<std::string, std::optional<std::vector<StreamRecord>>> samples;
  for (const std::string& stream : names) {
    try {
      samples[stream] = GetRecords(stream, {.limit = limit}).FetchAll();
    } catch (const Error& e) {
      if (on_error == OnSampleError::kRaise) throw;
      samples[stream] = std::nullopt;
      if (on_error == OnSampleError::kLog) {
        std::cout << "Error fetching sample for stream '" << stream << "': " << e.message()
                  << "\n";
      }
    }
  }
  return samples;
}

namespace {

constexpr std::size_t kMaxCellWidth = 40;
constexpr std::size_t kPivotAboveColumns = 10;

std::string Cell(const Json& value) {
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.size() > kMaxCellWidth) text = text.substr(0, kMaxCellWidth - 3) + "...";
  return text;
}

// A Markdown table: header row, separator, rows; columns padded to their widest cell.
void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths(header.size(), 3);
  for (std::size_t c = 0; c < header.size(); ++c) widths[c] = std::max(widths[c], header[c].size());
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    out << "|";
    for (std::size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      out << " " << cell << std::string(widths[c] - cell.size(), ' ') << " |";
    }
    out << "\n";
  };
  line(header);
  out << "|";
  for (std::size_t w : widths) out << std::string(w + 2, '-') << "|";
  out << "\n";
  for (const auto& row : rows) line(row);
}

}  // namespace

void Source::PrintSamples(std::ostream& out, const std::vector<std::string>& streams,
                          std::size_t limit, OnSampleError on_error) {
  auto samples = GetSamples(streams, limit, on_error);
  out << "# Sample Records from `" << name() << "` (" << samples.size()
      << " selected streams)\n\n";
  for (const auto& [stream, records] : samples) {
    out << "## `" << stream << "` Stream Sample\n\n";
    if (!records) {
      out << "**Error fetching sample records.**\n\n";
      continue;
    }
    std::vector<std::string> columns;
    if (!records->empty()) {
      for (const auto& [key, value] : records->front().ToJson().items()) {
        if (key.rfind("_airbyte_", 0) != 0) columns.push_back(key);
      }
    }
    if (columns.size() > kPivotAboveColumns) {  // one row per column, one column per record
      std::vector<std::string> header = {"column"};
      for (std::size_t i = 0; i < records->size(); ++i) header.push_back("record " + std::to_string(i + 1));
      std::vector<std::vector<std::string>> rows;
      for (const std::string& column : columns) {
        std::vector<std::string> row = {column};
        for (const StreamRecord& record : *records) row.push_back(Cell(record.at(column)));
        rows.push_back(std::move(row));
      }
      PrintTable(out, header, rows);
    } else {
      std::vector<std::vector<std::string>> rows;
      for (const StreamRecord& record : *records) {
        std::vector<std::string> row;
        for (const std::string& column : columns) row.push_back(Cell(record.at(column)));
        rows.push_back(std::move(row));
      }
      PrintTable(out, columns, rows);
    }
    out << "\n";
  }
  out << "--------------\n";
}

}  // namespace airbyte
