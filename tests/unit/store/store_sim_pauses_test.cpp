// Manual SIM pauses (sim_pauses): kept by ICCID, the first pause's who and when stay,
// resume removes it, and a pause survives closing and reopening the database file.
#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

TEST_P(StoreTest, PauseIsKeptWithWhoAndWhenUntilResumed) {
  auto first = store_->pause_sim(SimPause{"8949010000000000016", "api", at(10), "modem0"});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->paused_by, "api");
  EXPECT_EQ(first->paused_at, at(10));
  EXPECT_EQ(first->modem, "modem0");

  // Paused again (by someone else, later): the first pause stays in force.
  auto again = store_->pause_sim(SimPause{"8949010000000000016", "token", at(20), "modem1"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first);

  ASSERT_TRUE(store_->pause_sim(SimPause{"8949020000000000014", "token", at(30), {}}).ok());
  auto all = store_->sim_pauses();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(0).iccid, "8949010000000000016");
  EXPECT_EQ(all->at(1).paused_by, "token");
  EXPECT_FALSE(all->at(1).modem.has_value());

  auto resumed = store_->resume_sim("8949010000000000016");
  ASSERT_TRUE(resumed.ok());
  EXPECT_TRUE(*resumed);
  auto resumed_twice = store_->resume_sim("8949010000000000016");
  ASSERT_TRUE(resumed_twice.ok());
  EXPECT_FALSE(*resumed_twice);  // nothing left to resume
  ASSERT_EQ(store_->sim_pauses()->size(), 1u);
}

TEST(StoreSimPauses, PauseSurvivesReopeningTheFile) {
  TempDir dir;
  const auto path = dir.path() / "smsgw.db";
  {
    auto store = Store::open(path);
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_TRUE((*store)->pause_sim(SimPause{"894901", "api", at(5), "modem2"}).ok());
  }
  auto reopened = Store::open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  auto pauses = (*reopened)->sim_pauses();
  ASSERT_TRUE(pauses.ok());
  ASSERT_EQ(pauses->size(), 1u);
  EXPECT_EQ(pauses->front(), (SimPause{"894901", "api", at(5), "modem2"}));
}

TEST(StoreSimPauses, UpgradingAnOlderFileAddsTheTable) {
  TempDir dir;
  const auto path = dir.path() / "old.db";
  ASSERT_TRUE(Store::open(path, StoreOptions{.schema_version = 3}).ok());
  auto upgraded = Store::open(path);
  ASSERT_TRUE(upgraded.ok()) << upgraded.error().message;
  EXPECT_TRUE((*upgraded)->sim_pauses()->empty());
  EXPECT_TRUE((*upgraded)->pause_sim(SimPause{"894901", "api", at(1), {}}).ok());
}

}  // namespace
}  // namespace smsgw::store::testing
