// Several nodes on one database: two Store objects on the same SQLite file, each with its
// own StoreOptions.node, stand for two `smsgw serve` processes (SQLite serialises their
// writers). The node registry, take-over of a dead node's claims, the restart rule per
// node and the outbox claims.
#include <sqlite3.h>

#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

class StoreNodes : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = open_as("a");
    b_ = open_as("b");
  }

  std::unique_ptr<Store> open_as(const std::string& node) {
    StoreOptions options;
    options.node = node;
    auto opened = Store::open(path(), options);
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return opened.ok() ? std::move(*opened) : nullptr;
  }

  std::filesystem::path path() const { return dir_.path() / "smsgw.db"; }

  std::string add(Store& store, NewMessage m) {
    m.created_at = at(0);
    m.id = store.new_id(at(0));
    auto result = store.insert_messages(std::span<const NewMessage>(&m, 1));
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    return result.ok() ? result->ids.at(0) : "";
  }

  void heartbeat(Store& store, const std::string& name, TimePoint now,
                 std::vector<NodeModemRecord> modems = {}) {
    NodeRecord self;
    self.name = name;
    self.url = "http://" + name + ":8080";
    self.started_at = at(0);
    self.lease = 30s;
    auto done = store.node_heartbeat(self, modems, now);
    ASSERT_TRUE(done.ok()) << done.error().message;
  }

  // messages.claimed_by, read through sqlite3 directly ("NULL" for none).
  std::string claimed_by(const std::string& id) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT claimed_by FROM messages WHERE id = ?", -1, &statement,
                                 nullptr),
              SQLITE_OK);
    sqlite3_bind_text(statement, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    std::string out = "missing";
    if (sqlite3_step(statement) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(statement, 0);
      out = text ? reinterpret_cast<const char*>(text) : "NULL";
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return out;
  }

  MessageStatus status_of(Store& store, const std::string& id) {
    auto m = store.get_message(id);
    EXPECT_TRUE(m.ok());
    return m.ok() ? m->status : MessageStatus::failed;
  }

  TempDir dir_;
  std::unique_ptr<Store> a_;
  std::unique_ptr<Store> b_;
};

NodeModemRecord modem(const std::string& id) {
  NodeModemRecord m;
  m.modem = id;
  m.snapshot_json = R"({"id":")" + id + R"("})";
  return m;
}

TEST_F(StoreNodes, HeartbeatUpsertsTheNodeAndReplacesItsModems) {
  heartbeat(*a_, "a", at(1), {modem("m1"), modem("m2")});
  heartbeat(*b_, "b", at(1), {modem("m9")});
  heartbeat(*a_, "a", at(5), {modem("m3")});
  auto nodes = b_->list_nodes();
  ASSERT_TRUE(nodes.ok()) << nodes.error().message;
  ASSERT_EQ(nodes->size(), 2u);
  EXPECT_EQ(nodes->at(0).name, "a");
  EXPECT_EQ(nodes->at(0).url, "http://a:8080");
  EXPECT_EQ(nodes->at(0).started_at, at(0));
  EXPECT_EQ(nodes->at(0).heartbeat_at, at(5));
  EXPECT_EQ(nodes->at(0).lease, 30s);
  EXPECT_FALSE(nodes->at(0).recovered_at);
  EXPECT_EQ(nodes->at(1).name, "b");
  auto modems = b_->node_modems();
  ASSERT_TRUE(modems.ok()) << modems.error().message;
  ASSERT_EQ(modems->size(), 2u);
  EXPECT_EQ(modems->at(0).node, "a");
  EXPECT_EQ(modems->at(0).modem, "m3");
  EXPECT_EQ(modems->at(0).snapshot_json, R"({"id":"m3"})");
  EXPECT_EQ(modems->at(0).updated_at, at(5));
  EXPECT_EQ(modems->at(1).node, "b");
  EXPECT_EQ(modems->at(1).modem, "m9");
}

TEST_F(StoreNodes, ExpiredNodesAreOthersWhoseLeasePassed) {
  heartbeat(*a_, "a", at(0));
  heartbeat(*b_, "b", at(20));
  auto none = b_->expired_nodes(at(30));  // 0 + 30 s is not before 30 s
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->empty());
  auto expired = b_->expired_nodes(at(31));
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, std::vector<std::string>{"a"});
  auto seen_by_a = a_->expired_nodes(at(51));  // never itself
  ASSERT_TRUE(seen_by_a.ok());
  EXPECT_EQ(*seen_by_a, std::vector<std::string>{"b"});
  ASSERT_TRUE(b_->take_over("a", false, at(31)).ok());
  auto after = b_->expired_nodes(at(31));
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
}

TEST_F(StoreNodes, ClaimsRecordTheNodeAndRequeueClearsIt) {
  const auto id = add(*a_, message_to("+4917000000001"));
  EXPECT_EQ(claimed_by(id), "NULL");
  ASSERT_TRUE(a_->begin_send(id, "modemA", at(1)).ok());
  EXPECT_EQ(claimed_by(id), "a");
  ASSERT_TRUE(a_->requeue(id, at(10), "busy", at(2), PartFailure{1, false, "busy"}).ok());
  EXPECT_EQ(claimed_by(id), "NULL");
  ASSERT_TRUE(b_->claim_message(id, "modemB", at(10)).ok());
  EXPECT_EQ(claimed_by(id), "b");
}

TEST_F(StoreNodes, TakeOverAppliesTheRestartRuleToTheDeadNodesClaimsOnly) {
  const auto in_flight = add(*a_, message_to("+4917000000001"));
  const auto claimed = add(*a_, message_to("+4917000000002"));
  const auto own = add(*b_, message_to("+4917000000003"));
  ASSERT_TRUE(a_->begin_send(in_flight, "modemA", at(1)).ok());
  ASSERT_TRUE(a_->claim_message(claimed, "modemA", at(1)).ok());
  ASSERT_TRUE(b_->begin_send(own, "modemB", at(1)).ok());
  heartbeat(*a_, "a", at(1));

  auto early = b_->take_over("a", false, at(31));  // the lease has not passed
  ASSERT_TRUE(early.ok()) << early.error().message;
  EXPECT_TRUE(early->unknown.empty() && early->requeued.empty());
  EXPECT_EQ(status_of(*b_, in_flight), MessageStatus::sending);

  auto report = b_->take_over("a", false, at(40));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->unknown, std::vector<std::string>{in_flight});
  EXPECT_EQ(report->requeued, std::vector<std::string>{claimed});
  EXPECT_EQ(status_of(*b_, in_flight), MessageStatus::unknown);
  EXPECT_EQ(claimed_by(in_flight), "a");  // only a's SIM can receive its report
  EXPECT_EQ(status_of(*b_, claimed), MessageStatus::queued);
  EXPECT_EQ(claimed_by(claimed), "NULL");
  EXPECT_EQ(status_of(*b_, own), MessageStatus::sending);
  EXPECT_EQ(claimed_by(own), "b");

  auto nodes = b_->list_nodes();
  ASSERT_TRUE(nodes.ok());
  ASSERT_EQ(nodes->size(), 1u);
  EXPECT_EQ(nodes->at(0).recovered_at, at(40));

  auto again = b_->take_over("a", false, at(50));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->unknown.empty() && again->requeued.empty() && again->settled.empty());

  heartbeat(*a_, "a", at(60));
  nodes = b_->list_nodes();
  ASSERT_TRUE(nodes.ok());
  EXPECT_FALSE(nodes->at(0).recovered_at);

  EXPECT_FALSE(b_->take_over("b", false, at(100)).ok());  // never itself
}

TEST_F(StoreNodes, TakeOverAtLeastOnceRequeuesAndKeepsTheMessageOnTheDeadNodesSim) {
  const auto id = add(*a_, message_to("+4917000000001", 2));
  ASSERT_TRUE(a_->begin_send(id, "modemA", at(1)).ok());
  ASSERT_TRUE(a_->part_sent(id, 1, 7, at(2), 2).ok());  // part 2 is in flight
  heartbeat(*a_, "a", at(2));
  auto report = b_->take_over("a", true, at(40));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->requeued, std::vector<std::string>{id});
  auto message = b_->get_message(id);
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->status, MessageStatus::queued);
  EXPECT_EQ(message->pinned_modem, "modemA");  // part 1 left there: so must part 2
  EXPECT_EQ(message->parts.at(0).status, PartStatus::sent);
  EXPECT_EQ(message->parts.at(1).status, PartStatus::queued);
}

TEST_F(StoreNodes, RecoverAfterRestartLeavesOtherNodesClaimsAlone) {
  auto single = open_as("");  // a store of one process: its claims are nobody's
  const auto of_a = add(*a_, message_to("+4917000000001"));
  const auto of_b = add(*b_, message_to("+4917000000002"));
  const auto of_nobody = add(*a_, message_to("+4917000000003"));
  ASSERT_TRUE(a_->begin_send(of_a, "modemA", at(1)).ok());
  ASSERT_TRUE(b_->begin_send(of_b, "modemB", at(1)).ok());
  ASSERT_TRUE(single->begin_send(of_nobody, "modemX", at(1)).ok());
  EXPECT_EQ(claimed_by(of_nobody), "");

  auto report = a_->recover_after_restart(false, at(5));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->unknown.size(), 2u);
  EXPECT_EQ(status_of(*a_, of_a), MessageStatus::unknown);
  EXPECT_EQ(status_of(*a_, of_nobody), MessageStatus::unknown);
  EXPECT_EQ(status_of(*a_, of_b), MessageStatus::sending);
}

// ---- Outbox claims ----------------------------------------------------------------------

std::vector<std::int64_t> ids_of(const auto& rows) {
  std::vector<std::int64_t> out;
  for (const auto& row : rows) out.push_back(row.id);
  return out;
}

std::vector<std::int64_t> claim_webhooks(Store& store, TimePoint now, TimePoint until) {
  auto rows = store.claim_due_webhooks(now, until, 10);
  EXPECT_TRUE(rows.ok()) << rows.error().message;
  return rows.ok() ? ids_of(*rows) : std::vector<std::int64_t>{};
}

TEST_F(StoreNodes, AWebhookIsClaimedByOneNodeUntilItsClaimRunsOut) {
  std::vector<std::int64_t> ids;
  for (const auto* event : {"message.sent", "message.delivered"}) {
    auto id = a_->enqueue_webhook(event, "{}", "http://hook", at(0));
    ASSERT_TRUE(id.ok()) << id.error().message;
    ids.push_back(*id);
  }
  EXPECT_EQ(claim_webhooks(*a_, at(1), at(61)), ids);
  EXPECT_TRUE(claim_webhooks(*b_, at(30), at(90)).empty());
  EXPECT_EQ(claim_webhooks(*a_, at(31), at(61)), ids);   // its own rows again
  EXPECT_EQ(claim_webhooks(*b_, at(62), at(122)), ids);  // a's claim ran out
  EXPECT_TRUE(claim_webhooks(*a_, at(63), at(123)).empty());

  ASSERT_TRUE(b_->webhook_delivered(ids[0], at(64)).ok());
  ASSERT_TRUE(b_->webhook_failed(ids[1], "HTTP 500", at(70)).ok());
  EXPECT_EQ(claim_webhooks(*a_, at(70), at(130)), std::vector<std::int64_t>{ids[1]});
  ASSERT_TRUE(a_->webhook_failed(ids[1], "HTTP 500", std::nullopt).ok());  // given up
  EXPECT_TRUE(claim_webhooks(*b_, at(200), at(260)).empty());
}

NewMessage with_receipt(const std::string& to) {
  auto m = message_to(to);
  MessageOrigin origin;
  origin.protocol = "smpp";
  origin.registered_delivery = 1;
  origin.source_addr = "SHOP";
  origin.dest_addr = to.substr(1);
  m.origin = origin;
  m.client = "c";
  return m;
}

std::vector<std::int64_t> due_smpp(Store& store, TimePoint now, TimePoint until,
                                   std::vector<std::int64_t> excluding = {}) {
  auto rows = store.due_smpp_deliveries("c", now, 10, excluding, until);
  EXPECT_TRUE(rows.ok()) << rows.error().message;
  return rows.ok() ? ids_of(*rows) : std::vector<std::int64_t>{};
}

TEST_F(StoreNodes, AnSmppDeliveryIsClaimedByOneNodeUntilItsClaimRunsOut) {
  ASSERT_TRUE(a_->fail(add(*a_, with_receipt("+4917000000001")), "x", at(0)).ok());
  ASSERT_TRUE(a_->fail(add(*a_, with_receipt("+4917000000002")), "x", at(0)).ok());
  const auto ids = due_smpp(*a_, at(1), at(61));
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_TRUE(due_smpp(*b_, at(30), at(90)).empty());
  // A bind of a holds the first: the second is returned, both claims are renewed.
  EXPECT_EQ(due_smpp(*a_, at(40), at(100), {ids[0]}), std::vector<std::int64_t>{ids[1]});
  EXPECT_TRUE(due_smpp(*b_, at(62), at(122)).empty());
  EXPECT_EQ(due_smpp(*b_, at(101), at(161)), ids);  // a's claims ran out

  ASSERT_TRUE(b_->smpp_delivery_failed(ids[1], "ESME_RSYSERR", at(105)).ok());
  EXPECT_EQ(due_smpp(*a_, at(105), at(165)), std::vector<std::int64_t>{ids[1]});
  ASSERT_TRUE(b_->smpp_delivery_done(ids[0]).ok());
  EXPECT_TRUE(due_smpp(*b_, at(106), at(166)).empty());  // a holds the other
  EXPECT_EQ(due_smpp(*b_, at(166), at(226)), std::vector<std::int64_t>{ids[1]});
}

}  // namespace
}  // namespace smsgw::store::testing
