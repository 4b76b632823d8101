#include "smsgw/cli/bulk_submit.hpp"

#include <algorithm>
#include <charconv>

namespace smsgw::cli {

namespace {

constexpr std::string_view kBatchPrefix = "messages[";
constexpr std::size_t kMostLinesListed = 20;

}  // namespace

std::optional<std::size_t> batch_index_of(std::string_view text) {
  if (!text.starts_with(kBatchPrefix)) return std::nullopt;
  text.remove_prefix(kBatchPrefix.size());
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (error != std::errc{} || end == text.data() || end == text.data() + text.size() ||
      *end != ']') {
    return std::nullopt;
  }
  return index;
}

std::string without_batch_prefix(std::string_view message) {
  if (!batch_index_of(message)) return std::string(message);
  message.remove_prefix(message.find(']') + 1);
  if (message.starts_with('.')) message.remove_prefix(1);
  return std::string(message);
}

BulkReport submit_in_batches(const std::vector<BulkItem>& items, std::size_t batch_size,
                             const SubmitBatch& submit,
                             const std::function<void(std::size_t, std::size_t)>& on_progress,
                             const std::function<void(const CsvProblem&)>& on_rejected) {
  BulkReport report;
  batch_size = std::max<std::size_t>(batch_size, 1);
  std::size_t done = 0;  // accepted or rejected
  std::size_t next = 0;
  while (next < items.size()) {
    std::vector<const BulkItem*> batch;
    for (std::size_t i = next; i < items.size() && batch.size() < batch_size; ++i) {
      batch.push_back(&items[i]);
    }
    next += batch.size();
    while (!batch.empty()) {
      std::vector<nlohmann::json> messages;
      messages.reserve(batch.size());
      for (const BulkItem* item : batch) messages.push_back(item->message);
      BatchOutcome outcome = submit(messages);
      if (outcome.rejected_index && *outcome.rejected_index < batch.size()) {
        const auto position = static_cast<std::ptrdiff_t>(*outcome.rejected_index);
        CsvProblem problem{batch[*outcome.rejected_index]->line, outcome.rejected_reason};
        if (on_rejected) on_rejected(problem);
        report.rejected.push_back(std::move(problem));
        batch.erase(batch.begin() + position);
        ++done;
        if (on_progress) on_progress(done, items.size());
        continue;
      }
      if (outcome.failure || outcome.rejected_index || outcome.ids.size() != batch.size()) {
        report.failure = outcome.failure.value_or(Error{
            "transport", outcome.rejected_index
                             ? "the gateway refused message " +
                                   std::to_string(*outcome.rejected_index) + " of a batch of " +
                                   std::to_string(batch.size())
                             : "the gateway accepted " + std::to_string(outcome.ids.size()) +
                                   " messages of a batch of " + std::to_string(batch.size())});
        report.not_sent = batch.size() + (items.size() - next);
        return report;
      }
      for (std::size_t i = 0; i < batch.size(); ++i) {
        report.queued.push_back(QueuedLine{batch[i]->line, outcome.ids[i]});
      }
      done += batch.size();
      if (on_progress) on_progress(done, items.size());
      batch.clear();
    }
  }
  return report;
}

std::string bulk_summary(std::size_t queued, std::vector<std::size_t> rejected_lines) {
  std::string summary = std::to_string(queued) + " queued";
  if (rejected_lines.empty()) return summary;
  std::sort(rejected_lines.begin(), rejected_lines.end());
  summary += ", " + std::to_string(rejected_lines.size()) + " rejected (line";
  if (rejected_lines.size() > 1) summary += 's';
  summary += ' ';
  for (std::size_t i = 0; i < rejected_lines.size() && i < kMostLinesListed; ++i) {
    if (i > 0) summary += ", ";
    summary += std::to_string(rejected_lines[i]);
  }
  if (rejected_lines.size() > kMostLinesListed) summary += ", ...";
  summary += ')';
  return summary;
}

}  // namespace smsgw::cli
