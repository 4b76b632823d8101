// Batches: a message the server refuses is reported and the rest of its batch resent.
#include "smsgw/cli/bulk_submit.hpp"

#include <gtest/gtest.h>

namespace smsgw::cli {
namespace {

using nlohmann::json;

std::vector<BulkItem> items_to(const std::vector<std::string>& numbers) {
  std::vector<BulkItem> items;
  std::size_t line = 2;
  for (const auto& number : numbers)
    items.push_back(BulkItem{line++, json{{"to", number}, {"text", "x"}}});
  return items;
}

// A fake API: refuses a batch naming the first message whose number starts with "bad",
// else accepts all with ids "id-<number>".
struct FakeApi {
  std::vector<std::size_t> batch_sizes;
  BatchOutcome operator()(const std::vector<json>& messages) {
    batch_sizes.push_back(messages.size());
    BatchOutcome outcome;
    for (std::size_t i = 0; i < messages.size(); ++i) {
      const auto to = messages[i]["to"].get<std::string>();
      if (to.starts_with("bad")) {
        outcome.rejected_index = i;
        outcome.rejected_reason = "to: not a phone number";
        return outcome;
      }
    }
    for (const auto& message : messages)
      outcome.ids.push_back("id-" + message["to"].get<std::string>());
    return outcome;
  }
};

TEST(BulkSubmit, SendsInBatchesOfTheGivenSize) {
  FakeApi api;
  const auto report = submit_in_batches(items_to({"1", "2", "3", "4", "5"}), 2,
                                        [&](const auto& m) { return api(m); });
  EXPECT_EQ(api.batch_sizes, (std::vector<std::size_t>{2, 2, 1}));
  ASSERT_EQ(report.queued.size(), 5u);
  EXPECT_EQ(report.queued[0].line, 2u);
  EXPECT_EQ(report.queued[4].id, "id-5");
  EXPECT_TRUE(report.rejected.empty());
  EXPECT_FALSE(report.failure);
}

TEST(BulkSubmit, ARefusedMessageIsReportedAndTheRestResent) {
  FakeApi api;
  std::vector<std::size_t> reported;
  std::vector<std::pair<std::size_t, std::size_t>> progress;
  const auto report = submit_in_batches(
      items_to({"1", "bad-a", "3", "bad-b", "5"}), 10, [&](const auto& m) { return api(m); },
      [&](std::size_t done, std::size_t total) { progress.emplace_back(done, total); },
      [&](const CsvProblem& problem) { reported.push_back(problem.line); });
  EXPECT_EQ(api.batch_sizes, (std::vector<std::size_t>{5, 4, 3}));
  ASSERT_EQ(report.queued.size(), 3u);
  EXPECT_EQ(report.queued[1].line, 4u);
  EXPECT_EQ(report.queued[1].id, "id-3");
  ASSERT_EQ(report.rejected.size(), 2u);
  EXPECT_EQ(report.rejected[0].line, 3u);
  EXPECT_EQ(report.rejected[0].reason, "to: not a phone number");
  EXPECT_EQ(reported, (std::vector<std::size_t>{3, 5}));
  EXPECT_EQ(progress.back(), (std::pair<std::size_t, std::size_t>{5, 5}));
}

TEST(BulkSubmit, AnotherFailureStopsAndCountsWhatWasNotSent) {
  int calls = 0;
  const auto report = submit_in_batches(items_to({"1", "2", "3", "4", "5"}), 2,
                                        [&](const std::vector<json>& messages) {
                                          BatchOutcome outcome;
                                          if (++calls == 2) {
                                            outcome.failure = Error{"unavailable", "store busy"};
                                            return outcome;
                                          }
                                          for (std::size_t i = 0; i < messages.size(); ++i) {
                                            outcome.ids.push_back("id");
                                          }
                                          return outcome;
                                        });
  EXPECT_EQ(report.queued.size(), 2u);
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->message, "store busy");
  EXPECT_EQ(report.not_sent, 3u);
}

TEST(BulkSubmit, AnIndexOutsideTheBatchIsAFailureNotALoop) {
  const auto report = submit_in_batches(items_to({"1", "2"}), 10, [](const std::vector<json>&) {
    BatchOutcome outcome;
    outcome.rejected_index = 7;
    return outcome;
  });
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.not_sent, 2u);
}

TEST(BulkSubmit, BatchIndexFromTheServersField) {
  EXPECT_EQ(batch_index_of("messages[12].to"), 12u);
  EXPECT_EQ(batch_index_of("messages[0].text: must not be empty"), 0u);
  EXPECT_EQ(batch_index_of("messages: must be a list"), std::nullopt);
  EXPECT_EQ(batch_index_of("messages[x].to"), std::nullopt);
  EXPECT_EQ(batch_index_of("to"), std::nullopt);
  EXPECT_EQ(without_batch_prefix("messages[3].to: no country code"), "to: no country code");
  EXPECT_EQ(without_batch_prefix("to: missing"), "to: missing");
}

TEST(BulkSubmit, Summary) {
  EXPECT_EQ(bulk_summary(100, {}), "100 queued");
  EXPECT_EQ(bulk_summary(98, {17, 4}), "98 queued, 2 rejected (lines 4, 17)");
  EXPECT_EQ(bulk_summary(0, {3}), "0 queued, 1 rejected (line 3)");
  std::vector<std::size_t> many;
  for (std::size_t i = 1; i <= 25; ++i) many.push_back(i);
  const auto summary = bulk_summary(0, many);
  EXPECT_TRUE(summary.ends_with("19, 20, ...)")) << summary;
}

}  // namespace
}  // namespace smsgw::cli
