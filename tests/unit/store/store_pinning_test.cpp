// A message queued again after some of its parts left is pinned to the modem they left
// through (all parts of one message leave through one SIM, contract.md); a requeue also
// makes parts of unknown outcome sendable again (store.at_least_once).
#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

using StorePinning = StoreTest;

TEST_P(StorePinning, RequeueAfterAPartLeftPinsTheMessageToItsModem) {
  const auto id = add(message_to("+491", 3));
  ASSERT_TRUE(store_->claim_message(id, "m1", at(1)).ok());
  ASSERT_TRUE(store_->part_sending(id, 1, at(1)).ok());
  ASSERT_TRUE(store_->part_sent(id, 1, 7, at(2)).ok());
  ASSERT_TRUE(store_->part_sending(id, 2, at(2)).ok());
  ASSERT_TRUE(store_->part_failed(id, 2, "cms.38", at(3)).ok());
  ASSERT_TRUE(store_->requeue(id, at(10), "cms.38", at(3)).ok());
  const auto message = store_->get_message(id);
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->status, MessageStatus::queued);
  EXPECT_EQ(message->pinned_modem, std::optional<std::string>("m1"));
  EXPECT_EQ(message->parts[0].status, PartStatus::sent);
  EXPECT_EQ(message->parts[1].status, PartStatus::queued);
  const auto due = due_at(*store_, at(10));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].pinned_modem, std::optional<std::string>("m1"));
}

TEST_P(StorePinning, RequeueBeforeAnyPartLeftKeepsTheMessageFree) {
  const auto id = add(message_to("+491", 2));
  ASSERT_TRUE(store_->claim_message(id, "m1", at(1)).ok());
  ASSERT_TRUE(store_->part_sending(id, 1, at(1)).ok());
  ASSERT_TRUE(store_->part_failed(id, 1, "cms.38", at(2)).ok());
  ASSERT_TRUE(store_->requeue(id, at(10), "cms.38", at(2)).ok());
  EXPECT_FALSE(store_->get_message(id)->pinned_modem);
}

TEST_P(StorePinning, RequeueMakesAPartOfUnknownOutcomeSendableAgain) {
  const auto id = add(message_to("+491", 1));
  ASSERT_TRUE(store_->claim_message(id, "m1", at(1)).ok());
  ASSERT_TRUE(store_->part_sending(id, 1, at(1)).ok());
  ASSERT_TRUE(store_->part_unknown(id, 1, "at.timeout", at(2)).ok());
  ASSERT_TRUE(store_->requeue(id, at(3), "at.timeout", at(2)).ok());
  const auto message = store_->get_message(id);
  EXPECT_EQ(message->parts[0].status, PartStatus::queued);
  EXPECT_FALSE(message->pinned_modem);
  ASSERT_TRUE(store_->claim_message(id, "m2", at(4)).ok());
  EXPECT_TRUE(store_->part_sending(id, 1, at(4)).ok());
}

TEST_P(StorePinning, AtLeastOnceRecoveryPinsToTheModemOfTheSentParts) {
  const auto id = add(message_to("+491", 3));
  ASSERT_TRUE(store_->claim_message(id, "m2", at(1)).ok());
  ASSERT_TRUE(store_->part_sending(id, 1, at(1)).ok());
  ASSERT_TRUE(store_->part_sent(id, 1, 3, at(2)).ok());
  ASSERT_TRUE(store_->part_sending(id, 2, at(2)).ok());
  auto report = store_->recover_after_restart(/*at_least_once=*/true, at(100));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->requeued, std::vector<std::string>{id});
  const auto message = store_->get_message(id);
  EXPECT_EQ(message->status, MessageStatus::queued);
  EXPECT_EQ(message->pinned_modem, std::optional<std::string>("m2"));
  EXPECT_EQ(message->parts[1].status, PartStatus::queued);
}

INSTANTIATE_TEST_SUITE_P(Engines, StorePinning, STORE_ENGINES);

}  // namespace
}  // namespace smsgw::store::testing
