// Bulk submission in batches, where one refused message never sinks the others (pure: the
// HTTP call is passed in).
//
// Contract: submit_in_batches() sends the messages in order, at most `batch_size` per
// batch. When a batch is refused because of one message (the API's 422 naming
// `messages[i]`, contract.md: batches are all or nothing), that message is reported as
// rejected with the server's reason and the rest of the batch is sent again. Any other
// failure (the daemon is gone, the token is refused, 503) stops the run: what was not yet
// accepted is counted in `not_sent`.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/cli/csv_messages.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw::cli {

struct BulkItem {
  std::size_t line = 0;    // where it came from, for reports
  nlohmann::json message;  // one entry of {"messages": [...]}
};

// What one POST of a batch did.
struct BatchOutcome {
  std::vector<std::string> ids;  // accepted: one id per message, in order
  // Refused because of one message: its index in the batch and the server's reason.
  std::optional<std::size_t> rejected_index;
  std::string rejected_reason;
  std::optional<Error> failure;  // refused for any other reason
};

using SubmitBatch = std::function<BatchOutcome(const std::vector<nlohmann::json>& messages)>;

struct QueuedLine {
  std::size_t line = 0;
  std::string id;
};

struct BulkReport {
  std::vector<QueuedLine> queued;
  std::vector<CsvProblem> rejected;  // by the server, in the order found
  std::optional<Error> failure;      // the run stopped early
  std::size_t not_sent = 0;          // messages not submitted because of `failure`
};

BulkReport submit_in_batches(
    const std::vector<BulkItem>& items, std::size_t batch_size, const SubmitBatch& submit,
    const std::function<void(std::size_t done, std::size_t total)>& on_progress = {},
    const std::function<void(const CsvProblem&)>& on_rejected = {});

// The batch index a 422's field or message names: "messages[12].to" -> 12; none when it
// names no message of a batch.
std::optional<std::size_t> batch_index_of(std::string_view field_or_message);

// The reason without the "messages[i]." prefix: "messages[3].to: missing" -> "to: missing".
std::string without_batch_prefix(std::string_view message);

// "98 queued, 2 rejected (lines 4, 17)"; "100 queued"; more than 20 rejected lines end the
// list with ", ...". `rejected_lines` need not be sorted.
std::string bulk_summary(std::size_t queued, std::vector<std::size_t> rejected_lines);

}  // namespace smsgw::cli
