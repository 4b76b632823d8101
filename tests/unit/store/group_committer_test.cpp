#include "smsgw/store/group_committer.hpp"

#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

using GroupCommit = StoreTest;

TEST_F(GroupCommit, ConcurrentSubmissionsShareOneTransaction) {
  asio::io_context io;
  GroupCommitter committer(io.get_executor(), *store_);
  constexpr int kSubmitters = 200;
  std::vector<std::optional<Result<SubmissionResult>>> results(kSubmitters);
  const auto commits_before = store_->commit_count();
  for (int i = 0; i < kSubmitters; ++i) {
    asio::co_spawn(
        io,
        [&, i]() -> awaitable<void> {
          Submission s;
          s.messages.push_back(message_to("+49151" + std::to_string(i)));
          results[static_cast<std::size_t>(i)] = co_await committer.submit(std::move(s));
        },
        asio::detached);
  }
  io.run();
  EXPECT_EQ(store_->commit_count(), commits_before + 1);
  EXPECT_EQ(committer.flushes(), 1u);
  EXPECT_EQ(committer.largest_batch(), static_cast<std::size_t>(kSubmitters));
  std::set<std::string> ids;
  for (int i = 0; i < kSubmitters; ++i) {
    const auto& result = results[static_cast<std::size_t>(i)];
    ASSERT_TRUE(result.has_value()) << i;
    ASSERT_TRUE(result->ok()) << result->error().message;
    ASSERT_EQ((*result)->ids.size(), 1u);
    auto message = store_->get_message((*result)->ids[0]);
    ASSERT_TRUE(message.ok());
    EXPECT_EQ(message->to, "+49151" + std::to_string(i));  // each waiter got its own id
    ids.insert((*result)->ids[0]);
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kSubmitters));
}

TEST_F(GroupCommit, SubmissionsArrivingDuringACommitJoinTheNextOne) {
  asio::io_context io;
  GroupCommitter committer(io.get_executor(), *store_);
  int done = 0;
  // Each submitter submits three times in a row: the second round can only start once the
  // first commit resumed it, so the rounds form separate batches.
  for (int i = 0; i < 50; ++i) {
    asio::co_spawn(
        io,
        [&, i]() -> awaitable<void> {
          for (int round = 0; round < 3; ++round) {
            Submission s;
            s.messages.push_back(message_to("+49" + std::to_string(i * 10 + round)));
            auto result = co_await committer.submit(std::move(s));
            EXPECT_TRUE(result.ok());
            ++done;
          }
        },
        asio::detached);
  }
  io.run();
  EXPECT_EQ(done, 150);
  EXPECT_EQ(committer.submissions(), 150u);
  EXPECT_EQ(committer.flushes(), 3u);
  EXPECT_EQ(committer.largest_batch(), 50u);
}

TEST_F(GroupCommit, AFailingSubmissionDoesNotFailTheOthers) {
  asio::io_context io;
  GroupCommitter committer(io.get_executor(), *store_);
  std::vector<std::optional<Result<SubmissionResult>>> results(4);
  auto submit = [&](int slot, Submission s) {
    asio::co_spawn(
        io,
        [&, slot, s = std::move(s)]() mutable -> awaitable<void> {
          results[static_cast<std::size_t>(slot)] = co_await committer.submit(std::move(s));
        },
        asio::detached);
  };
  Submission good;
  good.messages = {message_to("+491")};
  good.idempotency = IdempotencyRecord{"key", "fp1", 202, "{}", {}};
  Submission race = good;  // same key, other request, same turn: conflict
  race.idempotency->fingerprint = "fp2";
  Submission bad;
  bad.messages = {message_to("+492")};
  bad.messages[0].parts.clear();
  Submission other;
  other.messages = {message_to("+493")};
  submit(0, good);
  submit(1, race);
  submit(2, bad);
  submit(3, other);
  io.run();
  EXPECT_EQ(committer.flushes(), 1u);
  ASSERT_TRUE(results[0]->ok());
  ASSERT_FALSE(results[1]->ok());
  EXPECT_EQ(results[1]->error().code, "conflict");
  ASSERT_FALSE(results[2]->ok());
  EXPECT_EQ(results[2]->error().code, "invalid");
  ASSERT_TRUE(results[3]->ok());
  EXPECT_EQ(store_->list_messages({})->messages.size(), 2u);
}

TEST_F(GroupCommit, BatchSizeIsCapped) {
  asio::io_context io;
  GroupCommitter committer(io.get_executor(), *store_, /*max_batch=*/16);
  int ok = 0;
  for (int i = 0; i < 40; ++i) {
    asio::co_spawn(
        io,
        [&, i]() -> awaitable<void> {
          Submission s;
          s.messages.push_back(message_to("+49" + std::to_string(i)));
          if ((co_await committer.submit(std::move(s))).ok()) ++ok;
        },
        asio::detached);
  }
  io.run();
  EXPECT_EQ(ok, 40);
  EXPECT_EQ(committer.flushes(), 3u);  // 16 + 16 + 8
  EXPECT_EQ(committer.largest_batch(), 16u);
}

}  // namespace
}  // namespace smsgw::store::testing
