#include "smsgw/store/ulid.hpp"
#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

using StoreSubmission = StoreTest;

IdempotencyRecord key(std::string k, std::string fingerprint, std::string body = "{\"id\":1}") {
  return IdempotencyRecord{std::move(k), std::move(fingerprint), 202, std::move(body), {}};
}

TEST_P(StoreSubmission, StoresMessageWithPartsAndQueuedEvent) {
  NewMessage m = message_to("+491511234567", 3, 5);
  m.send_at = at(100);
  m.expires_at = at(1000);
  m.flash = true;
  m.status_report = false;
  m.pinned_modem = "modem1";
  m.pinned_operator = "Telekom";
  m.destination_operator = "Telekom";
  const auto id = add(m, at(1));
  ASSERT_EQ(id.size(), 26u);
  auto stored = store_->get_message(id);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->to, "+491511234567");
  EXPECT_EQ(stored->text, "hello");
  EXPECT_EQ(stored->encoding, "gsm7");
  EXPECT_EQ(stored->part_count, 3);
  EXPECT_EQ(stored->priority, 5);
  EXPECT_EQ(stored->send_at, at(100));
  EXPECT_EQ(stored->expires_at, at(1000));
  EXPECT_TRUE(stored->flash);
  EXPECT_FALSE(stored->status_report);
  EXPECT_EQ(stored->pinned_modem, "modem1");
  EXPECT_EQ(stored->pinned_operator, "Telekom");
  EXPECT_EQ(stored->destination_operator, "Telekom");
  EXPECT_EQ(stored->status, MessageStatus::queued);
  EXPECT_EQ(stored->attempts, 0);
  EXPECT_EQ(stored->created_at, at(1));
  ASSERT_EQ(stored->parts.size(), 3u);
  EXPECT_EQ(stored->parts[2].index, 3);
  EXPECT_EQ(stored->parts[2].pdu_hex, m.parts[2].pdu_hex);
  EXPECT_EQ(stored->parts[2].tpdu_length, 22);
  EXPECT_EQ(stored->parts[2].status, PartStatus::queued);
  ASSERT_EQ(stored->events.size(), 1u);
  EXPECT_EQ(stored->events[0].kind, "queued");
  EXPECT_EQ(stored->events[0].detail_json,
            R"({"to":"+491511234567","parts":3,"encoding":"gsm7","priority":5})");
}

TEST_P(StoreSubmission, BatchIsOneTransaction) {
  std::vector<NewMessage> batch;
  for (int i = 0; i < 50; ++i) batch.push_back(message_to("+4915100000" + std::to_string(i)));
  const auto commits = store_->commit_count();
  auto result = store_->insert_messages(batch);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->ids.size(), 50u);
  EXPECT_EQ(store_->commit_count(), commits + 1);
  // Ids are generated in order, so they sort like the request.
  EXPECT_TRUE(std::is_sorted(result->ids.begin(), result->ids.end()));
}

TEST_P(StoreSubmission, BatchIsAllOrNothing) {
  std::vector<NewMessage> batch = {message_to("+491"), message_to("+492"), message_to("+493")};
  batch[2].parts.clear();  // invalid: the whole batch must be refused
  auto result = store_->insert_messages(batch);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "invalid");
  auto counts = store_->count_by_status();
  ASSERT_TRUE(counts.ok());
  for (const auto& [status, count] : *counts) EXPECT_EQ(count, 0) << to_string(status);
}

TEST_P(StoreSubmission, DuplicateIdIsAConflict) {
  NewMessage m = message_to("+491");
  m.id = "01HZZZZZZZZZZZZZZZZZZZZZZZ";
  add(m);
  auto again = store_->insert_messages(std::span<const NewMessage>(&m, 1));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "conflict");
  EXPECT_EQ(again.error().message, "message id 01HZZZZZZZZZZZZZZZZZZZZZZZ already exists");
}

TEST_P(StoreSubmission, IdempotentReplayReturnsTheFirstAnswerAndStoresNothing) {
  NewMessage m = message_to("+491");
  auto first = store_->insert_messages(std::span<const NewMessage>(&m, 1), key("k1", "fp", "B1"));
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->replay);
  ASSERT_EQ(first->ids.size(), 1u);
  auto replay = store_->insert_messages(std::span<const NewMessage>(&m, 1), key("k1", "fp", "B2"));
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  ASSERT_TRUE(replay->replay);
  EXPECT_TRUE(replay->ids.empty());
  EXPECT_EQ(replay->replay->response_body, "B1");
  EXPECT_EQ(replay->replay->response_status, 202);
  auto page = store_->list_messages({});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->messages.size(), 1u);
}

TEST_P(StoreSubmission, SameKeyWithAnotherFingerprintIsAConflict) {
  NewMessage m = message_to("+491");
  ASSERT_TRUE(store_->insert_messages(std::span<const NewMessage>(&m, 1), key("k1", "A")).ok());
  auto conflict = store_->insert_messages(std::span<const NewMessage>(&m, 1), key("k1", "B"));
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, "conflict");
  EXPECT_EQ(conflict.error().message,
            "Idempotency-Key \"k1\" was already used with another request");
}

TEST_P(StoreSubmission, FindAndPurgeIdempotencyKeys) {
  NewMessage m = message_to("+491");
  auto record = key("old", "fp");
  record.created_at = at(0);
  ASSERT_TRUE(store_->insert_messages(std::span<const NewMessage>(&m, 1), record).ok());
  record = key("new", "fp");
  record.created_at = at(100);
  ASSERT_TRUE(store_->insert_messages(std::span<const NewMessage>(&m, 1), record).ok());
  auto found = store_->find_idempotency("old");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->fingerprint, "fp");
  EXPECT_EQ((*found)->created_at, at(0));
  EXPECT_FALSE(*store_->find_idempotency("absent"));
  auto purged = store_->purge_idempotency(at(50));
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  EXPECT_FALSE(*store_->find_idempotency("old"));
  EXPECT_TRUE(*store_->find_idempotency("new"));
}

// The store worker's batch: one transaction, each job in a savepoint of its own.
TEST_P(StoreSubmission, BatchOfSubmissionsIsOneTransactionAndIsolatesFailures) {
  struct Request {
    std::vector<NewMessage> messages;
    std::optional<IdempotencyRecord> idempotency;
  };
  std::vector<Request> group(5);
  group[0].messages = {message_to("+491")};
  group[0].idempotency = key("a", "fp-a", "first");
  group[1].messages = {message_to("+492"), message_to("+493")};
  group[2].messages = {message_to("+494")};
  group[2].messages[0].parts.clear();  // invalid: fails alone
  group[3].messages = {message_to("+495")};
  group[3].idempotency = key("a", "fp-a", "second");  // same key, same request: replay
  group[4].messages = {message_to("+496")};
  group[4].idempotency = key("a", "fp-other");  // same key, other request: conflict
  const auto commits = store_->commit_count();
  ASSERT_TRUE(store_->begin_batch().ok());
  std::vector<Result<SubmissionResult>> results;
  for (const auto& submission : group) {
    ASSERT_TRUE(store_->begin_job().ok());
    results.push_back(store_->insert_messages(submission.messages, submission.idempotency));
    ASSERT_TRUE(store_->end_job(results.back().ok()).ok());
  }
  ASSERT_TRUE(store_->commit_batch().ok());
  EXPECT_EQ(store_->commit_count(), commits + 1);
  ASSERT_EQ(results.size(), 5u);
  ASSERT_TRUE(results[0].ok());
  EXPECT_EQ(results[0]->ids.size(), 1u);
  ASSERT_TRUE(results[1].ok());
  EXPECT_EQ(results[1]->ids.size(), 2u);
  ASSERT_FALSE(results[2].ok());
  EXPECT_EQ(results[2].error().code, "invalid");
  ASSERT_TRUE(results[3].ok());
  ASSERT_TRUE(results[3]->replay);
  EXPECT_EQ(results[3]->replay->response_body, "first");
  ASSERT_FALSE(results[4].ok());
  EXPECT_EQ(results[4].error().code, "conflict");
  auto page = store_->list_messages({});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->messages.size(), 3u);  // +491, +492, +493
}

// A job's first call runs in the job's own savepoint: when it fails after writing, its
// writes are undone all the same, and the job's next call stands.
TEST_P(StoreSubmission, AFailedFirstCallOfAJobLeavesNothingAndTheNextCallStands) {
  std::vector<NewMessage> clash{message_to("+491"), message_to("+492")};
  clash[0].id = clash[1].id = store_->new_id(std::chrono::system_clock::now());
  ASSERT_TRUE(store_->begin_batch().ok());
  ASSERT_TRUE(store_->begin_job().ok());
  auto failed = store_->insert_messages(clash);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "conflict") << failed.error().message;
  auto stood = store_->insert_messages(std::vector<NewMessage>{message_to("+493")});
  ASSERT_TRUE(stood.ok()) << stood.error().message;
  ASSERT_TRUE(store_->end_job(true).ok());
  ASSERT_TRUE(store_->commit_batch().ok());
  auto page = store_->list_messages({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->messages.size(), 1u);
  EXPECT_EQ(page->messages[0].to, "+493");
}

TEST_P(StoreSubmission, UlidsSortByTimeAndNeverRepeat) {
  std::vector<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.push_back(store_->new_id(at(i / 100)));
  // The clock going back keeps ids increasing.
  ids.push_back(store_->new_id(at(-5)));
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

}  // namespace
}  // namespace smsgw::store::testing

namespace smsgw::store::testing {
namespace {

TEST(Ulid, EncodesTheTimeInTheFirstTenCharacters) {
  UlidGenerator ids;
  const auto now = TimePoint(std::chrono::milliseconds(1'469'918'176'385));
  const auto id = ids.next(now);
  ASSERT_EQ(id.size(), 26u);
  // 1469918176385 ms is "01ARYZ6S41" in Crockford base32 (the ULID specification's example).
  EXPECT_EQ(id.substr(0, 10), "01ARYZ6S41");
  EXPECT_EQ(ulid_time(id), now);
  EXPECT_EQ(id.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ"), std::string::npos);
  EXPECT_FALSE(ulid_time("not-a-ulid"));
  EXPECT_FALSE(ulid_time("81ARYZ6S41TSV4RRFFQ69G5FAV"));  // first character above 7
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreSubmission, STORE_ENGINES);

}  // namespace
}  // namespace smsgw::store::testing
