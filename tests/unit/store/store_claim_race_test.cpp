// Two Store objects on one database, as two nodes: writers are serialised (PostgreSQL: the
// advisory lock of begin_write; SQLite: its write lock), so of two claims of one queued
// message exactly one wins and the other answers "conflict", even when they race.
#include <latch>
#include <thread>

#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

using StoreClaimRace = StoreTest;

TEST_P(StoreClaimRace, TwoNodesClaimingOneMessageOneWinsTheOtherGetsConflict) {
  StoreOptions a_options;
  a_options.node = "a";
  StoreOptions b_options;
  b_options.node = "b";
  auto a = reopen(a_options);
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto b = reopen(b_options);
  ASSERT_TRUE(b.ok()) << b.error().message;
  for (int round = 0; round < 20; ++round) {
    const auto id = add(message_to("+49151" + std::to_string(round)));
    std::latch start(2);
    Result<StoredMessage> by_a = make_error("store.error", "not run");
    Result<StoredMessage> by_b = make_error("store.error", "not run");
    std::thread first([&] {
      start.arrive_and_wait();
      by_a = (*a)->claim_message(id, "modem-a", at(1));
    });
    std::thread second([&] {
      start.arrive_and_wait();
      by_b = (*b)->claim_message(id, "modem-b", at(1));
    });
    first.join();
    second.join();
    ASSERT_NE(by_a.ok(), by_b.ok()) << "round " << round << ": exactly one claim wins";
    const auto& lost = by_a.ok() ? by_b : by_a;
    EXPECT_EQ(lost.error().kind, ErrorCode::conflict) << lost.error().message;
    const auto stored = store_->get_message(id);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->status, MessageStatus::sending);
    EXPECT_EQ(stored->attempts, 1);
    EXPECT_EQ(stored->assigned_modem, by_a.ok() ? "modem-a" : "modem-b");
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreClaimRace, STORE_ENGINES);

}  // namespace
}  // namespace smsgw::store::testing
