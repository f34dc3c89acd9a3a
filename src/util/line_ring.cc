#include "util/line_ring.h"

#include "util/redactor.h"

namespace airbyte::util {

void LineRing::Append(std::string_view line) {
  // Mask the whole line before cutting it, so a secret that straddles the cut is masked too.
  std::string kept = Redactor::Global().Mask(line);
  if (sink_) sink_(kept);
  if (kept.size() > kMaxLineLength) {
    kept.resize(kMaxLineLength);
    kept += " ...(truncated)";
  }
  std::lock_guard lock(mu_);
  lines_.push_back(std::move(kept));
  ++total_lines_;
  while (lines_.size() > max_lines_) lines_.pop_front();
}

std::string LineRing::Text(std::size_t count) const {
  std::lock_guard lock(mu_);
  const std::size_t skip = count >= lines_.size() ? 0 : lines_.size() - count;
  std::string out;
  for (std::size_t i = skip; i < lines_.size(); ++i) {
    if (!out.empty()) out += '\n';
    out += lines_[i];
  }
  return out;
}

std::vector<std::string> LineRing::Lines() const {
  std::lock_guard lock(mu_);
  return {lines_.begin(), lines_.end()};
}

std::size_t LineRing::total_lines() const {
  std::lock_guard lock(mu_);
  return total_lines_;
}

}  // namespace airbyte::util
