// The event journal behind GET /api/v1/events' replay: ids ascend and are never reused,
// reads page after an id, and the journal keeps only its newest kEventsKept entries.
#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

TEST_P(StoreTest, JournalEventsAreReadBackInIdOrderAfterAnId) {
  auto bounds = store_->journal_bounds();
  ASSERT_TRUE(bounds.ok()) << bounds.error().message;
  EXPECT_EQ(bounds->last, 0);
  EXPECT_EQ(bounds->first, 1);

  const NewJournalEvent first{"message", std::string("shop"), R"({"n":1})"};
  const auto a = store_->append_journal({&first, 1}, at(1));
  const std::vector<NewJournalEvent> two{{"inbound", std::nullopt, R"({"n":2})"},
                                         {"balance", std::nullopt, R"({"n":3})"}};
  const auto b = store_->append_journal(two, at(2));
  ASSERT_TRUE(b.ok());
  const auto c = std::optional<std::int64_t>(*b + 1);  // consecutive ids in one append
  ASSERT_TRUE(a.ok());
  EXPECT_LT(*a, *b);
  EXPECT_LT(*b, *c);

  auto after_a = store_->journal_after(*a, 10);
  ASSERT_TRUE(after_a.ok());
  ASSERT_EQ(after_a->size(), 2u);
  EXPECT_EQ((*after_a)[0].id, *b);
  EXPECT_EQ((*after_a)[0].type, "inbound");
  EXPECT_FALSE((*after_a)[0].client.has_value());
  EXPECT_EQ((*after_a)[1].data, R"({"n":3})");
  EXPECT_EQ((*after_a)[1].at, at(2));

  auto oldest = store_->journal_after(0, 1);
  ASSERT_EQ(oldest->size(), 1u);
  EXPECT_EQ(oldest->front().client, std::optional<std::string>("shop"));
  EXPECT_EQ(store_->journal_bounds()->first, *a);
  EXPECT_EQ(store_->journal_bounds()->last, *c);
}

TEST_P(StoreTest, JournalKeepsItsNewestEntriesAndNeverReusesAnId) {
  std::int64_t last = 0;
  const std::int64_t total = Store::kEventsKept + 2048;
  ASSERT_TRUE(store_->begin_batch().ok());  // one commit, as the store worker would
  const NewJournalEvent event{"message", std::nullopt, "{}"};
  for (std::int64_t i = 0; i < total; ++i) {
    auto id = store_->append_journal({&event, 1}, at(1));
    ASSERT_TRUE(id.ok());
    last = *id;
  }
  ASSERT_TRUE(store_->commit_batch().ok());
  const auto bounds = store_->journal_bounds();
  ASSERT_TRUE(bounds.ok());
  EXPECT_EQ(bounds->last, total);
  // Trimmed in steps of 1024: at most kEventsKept + 1023 remain, at least kEventsKept.
  EXPECT_GT(bounds->first, 1);
  EXPECT_LE(bounds->last - bounds->first + 1, Store::kEventsKept + 1023);
  EXPECT_GE(bounds->last - bounds->first + 1, Store::kEventsKept);

  // Trimming never takes the newest, so the next id continues after the last one given.
  database_->rows("DELETE FROM events WHERE id < " + std::to_string(bounds->last));
  const auto next = store_->append_journal({&event, 1}, at(2));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, last + 1);
}

}  // namespace
}  // namespace smsgw::store::testing
