#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <set>

#include "smsgw/store/store_worker.hpp"
#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

using StoreRecovery = StoreTest;

TEST_P(StoreRecovery, PartsLeftSendingBecomeUnknownAndAreNotResent) {
  const auto id = add(message_to("+491", 3));
  ASSERT_TRUE(store_->claim_message(id, "m1", at(1)).ok());
  ASSERT_TRUE(store_->part_sending(id, 1, at(1)).ok());
  ASSERT_TRUE(store_->part_sent(id, 1, 9, at(2)).ok());
  ASSERT_TRUE(store_->part_sending(id, 2, at(2)).ok());
  const auto waiting = add(message_to("+492"));
  // The process dies here. The next start:
  auto reopened = reopen();
  ASSERT_TRUE(reopened.ok());
  store_.reset();
  auto report = (*reopened)->recover_after_restart(/*at_least_once=*/false, at(100));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->unknown, std::vector<std::string>{id});
  EXPECT_TRUE(report->requeued.empty());
  auto message = (*reopened)->get_message(id);
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->status, MessageStatus::unknown);  // it may have arrived: not failed
  EXPECT_EQ(message->parts[0].status, PartStatus::sent);
  EXPECT_EQ(message->parts[1].status, PartStatus::unknown);
  EXPECT_EQ(message->parts[2].status, PartStatus::queued);
  EXPECT_EQ(message->last_error,
            "unknown outcome: the process stopped while part(s) 2 were being sent; not resent "
            "because at_least_once is off");
  EXPECT_EQ(message->events.back().kind, "recovered");
  // Not resent: only the untouched queued message is due.
  const auto due = due_at(**reopened, at(100));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, waiting);
  // A second recovery finds nothing to do.
  report = (*reopened)->recover_after_restart(false, at(101));
  EXPECT_TRUE(report->unknown.empty());
  EXPECT_TRUE(report->requeued.empty());
}

// The process died mid-send; the part's report arrived (unmatched: no MR was recorded)
// before the restart. Recovery settles the part with it: the message is what the network
// reported, not unknown.
TEST_P(StoreRecovery, APartLeftSendingIsSettledByAReportThatArrivedMeanwhile) {
  const auto id = add(message_to("+491511234567"));
  ASSERT_TRUE(store_->claim_message(id, "m1", at(1)).ok());
  ASSERT_TRUE(store_->part_sending(id, 1, at(1)).ok());
  const DeliveryReport report{"m1", 17, "+491511234567", 0x00, {}, {}, "", at(3)};
  EXPECT_FALSE(store_->settle_report(report)->message_id);
  auto reopened = reopen();
  ASSERT_TRUE(reopened.ok());
  store_.reset();
  auto recovered = (*reopened)->recover_after_restart(/*at_least_once=*/false, at(100));
  ASSERT_TRUE(recovered.ok()) << recovered.error().message;
  EXPECT_EQ(recovered->settled, std::vector<std::string>{id});
  EXPECT_TRUE(recovered->unknown.empty());
  EXPECT_EQ((*reopened)->get_message(id)->status, MessageStatus::delivered);
}

TEST_P(StoreRecovery, AtLeastOnceRequeuesThePartsLeftSending) {
  const auto id = add(message_to("+491", 2));
  ASSERT_TRUE(store_->claim_message(id, "m1", at(1)).ok());
  ASSERT_TRUE(store_->part_sending(id, 1, at(1)).ok());
  auto report = store_->recover_after_restart(/*at_least_once=*/true, at(100));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->requeued, std::vector<std::string>{id});
  auto message = store_->get_message(id);
  EXPECT_EQ(message->status, MessageStatus::queued);
  EXPECT_FALSE(message->assigned_modem);
  EXPECT_EQ(message->parts[0].status, PartStatus::queued);
  EXPECT_NE(message->events.back().detail_json.find("may arrive twice"), std::string::npos)
      << message->events.back().detail_json;
  EXPECT_EQ(due_at(*store_, at(100)).size(), 1u);
}

TEST_P(StoreRecovery, AClaimWithNoPartWrittenIsRequeuedInBothModes) {
  const auto id = add(message_to("+491", 2));
  ASSERT_TRUE(store_->claim_message(id, "m1", at(1)).ok());
  auto report = store_->recover_after_restart(false, at(100));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->requeued, std::vector<std::string>{id});
  EXPECT_EQ(store_->get_message(id)->status, MessageStatus::queued);
}

// Writes every acknowledged id to `fd`, one per line, after the store said it is stored.
[[noreturn]] void child_submits(const std::filesystem::path& path, int fd, bool grouped) {
  auto opened = Store::open(path);
  if (!opened) _exit(3);
  Store& store = **opened;
  if (!grouped) {
    for (int i = 0;; ++i) {
      NewMessage m = message_to("+4915100" + std::to_string(i));
      auto stored = store.insert_messages(std::span<const NewMessage>(&m, 1));
      if (!stored) _exit(4);
      const std::string line = stored->ids[0] + "\n";
      if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(5);
    }
  }
  // The live path: many coroutines hand insert jobs to the store worker, which commits
  // every job queued meanwhile in one transaction (one fsync).
  asio::io_context io;
  StoreWorker worker(io.get_executor(), std::move(*opened));
  for (int submitter = 0; submitter < 32; ++submitter) {
    asio::co_spawn(
        io,
        [&worker, fd, submitter]() -> awaitable<void> {
          for (int i = 0;; ++i) {
            auto insert = [to = "+49" + std::to_string(submitter * 100000 + i)](Store& s) {
              const NewMessage m = message_to(to);
              return s.insert_messages(std::span<const NewMessage>(&m, 1));
            };
            auto stored = co_await worker.call(insert);
            if (!stored) _exit(4);
            const std::string line = stored->ids[0] + "\n";
            if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(5);
          }
        },
        asio::detached);
  }
  io.run();
  _exit(0);
}

void kill_after_acknowledgements(bool grouped) {
  TempDir dir;
  const auto path = dir.path() / "crash.db";
  ASSERT_TRUE(Store::open(path).ok());  // create the schema before forking
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    child_submits(path, fds[1], grouped);
  }
  close(fds[1]);
  std::set<std::string> acknowledged;
  std::string buffer;
  char chunk[4096];
  bool killed = false;
  while (true) {
    const ssize_t n = read(fds[0], chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<std::size_t>(n));
    std::size_t newline;
    while ((newline = buffer.find('\n')) != std::string::npos) {
      acknowledged.insert(buffer.substr(0, newline));
      buffer.erase(0, newline + 1);
    }
    if (!killed && acknowledged.size() >= 150) {
      kill(child, SIGKILL);  // mid-transaction, most likely
      killed = true;
    }
  }
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  ASSERT_GE(acknowledged.size(), 150u);

  auto reopened = Store::open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  std::size_t found = 0;
  for (const auto& id : acknowledged) {
    auto message = (*reopened)->get_message(id);
    EXPECT_TRUE(message.ok()) << "acknowledged message " << id << " is missing";
    if (message.ok()) {
      ++found;
      EXPECT_EQ(message->status, MessageStatus::queued);
      EXPECT_EQ(message->parts.size(), 1u);
      EXPECT_EQ(message->events.size(), 1u);
    }
  }
  EXPECT_EQ(found, acknowledged.size());
}

TEST(StoreCrashSafety, EveryAcknowledgedInsertSurvivesSigkill) {
  kill_after_acknowledgements(/*grouped=*/false);
}

TEST(StoreCrashSafety, EveryAcknowledgedStoreWorkerBatchSurvivesSigkill) {
  kill_after_acknowledgements(/*grouped=*/true);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreRecovery, STORE_ENGINES);

}  // namespace
}  // namespace smsgw::store::testing
