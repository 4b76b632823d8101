// A message's client, reference and callback URL (schema v4): stored, read back, filtered
// by in lists (newest first, paginated), and carried into callback rows of the outbox.
// The inbox's since / from / modem filters.
#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

using StoreTags = StoreTest;

NewMessage tagged(std::string to, std::optional<std::string> client,
                  std::optional<std::string> reference) {
  NewMessage m = message_to(std::move(to));
  m.client = std::move(client);
  m.reference = std::move(reference);
  return m;
}

std::vector<std::string> ids_of(const MessagePage& page) {
  std::vector<std::string> ids;
  for (const auto& m : page.messages) ids.push_back(m.id);
  return ids;
}

TEST_P(StoreTags, AreStoredAndReadBack) {
  NewMessage m = tagged("+491", "shop", "order-17");
  m.callback_url = "https://hooks.example.com/sms";
  const auto id = add(m);
  auto stored = store_->get_message(id);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->client, "shop");
  EXPECT_EQ(stored->reference, "order-17");
  EXPECT_EQ(stored->callback_url, "https://hooks.example.com/sms");
  auto tags = store_->message_tags(id);
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(tags->client, "shop");
  EXPECT_EQ(tags->reference, "order-17");
  EXPECT_EQ(tags->callback_url, "https://hooks.example.com/sms");
  EXPECT_EQ(store_->message_tags("01HXNOPE").error().kind, ErrorCode::not_found);

  const auto plain = add(message_to("+492"), at(1));
  tags = store_->message_tags(plain);
  ASSERT_TRUE(tags.ok());
  EXPECT_FALSE(tags->client || tags->reference || tags->callback_url);
}

TEST_P(StoreTags, TheOriginOfAnSmppOrSendsmsSubmissionIsKeptWithTheMessage) {
  NewMessage m = tagged("+4915112345678", "legacy", std::nullopt);
  MessageOrigin origin;
  origin.protocol = "smpp";
  origin.registered_delivery = 1;
  origin.source_addr = "12345";
  origin.source_ton = 2;
  origin.source_npi = 1;
  origin.dest_addr = "4915112345678";
  origin.dest_ton = 1;
  origin.dest_npi = 1;
  m.origin = origin;
  const auto id = add(m);
  auto read = store_->message_origin(id);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(*read, origin);

  NewMessage kannel = message_to("+492");
  kannel.origin = MessageOrigin{};
  kannel.origin->protocol = "sendsms";
  kannel.origin->dlr_url = "http://127.0.0.1/dlr?s=%d&p=%p";
  kannel.origin->dlr_mask = 31;
  const auto kannel_id = add(kannel, at(1));
  EXPECT_EQ(store_->message_origin(kannel_id)->value(), *kannel.origin);

  const auto rest = add(message_to("+493"), at(2));
  read = store_->message_origin(rest);
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->has_value());
  EXPECT_EQ(store_->message_origin("01HXNOPE").error().kind, ErrorCode::not_found);
}

TEST_P(StoreTags, ListsFilterByReferenceAndClientNewestFirstWithPages) {
  std::vector<std::string> ref_a;  // in creation order
  for (int i = 0; i < 5; ++i) {
    ref_a.push_back(add(tagged("+491", i % 2 == 0 ? "shop" : "crm", "A"), at(10 * i)));
    add(tagged("+492", "shop", "B"), at(10 * i + 1));
    add(message_to("+493"), at(10 * i + 2));
  }
  ListQuery q;
  q.reference = "A";
  q.limit = 2;
  auto page = store_->list_messages(q);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(ids_of(*page), (std::vector<std::string>{ref_a[4], ref_a[3]}));
  ASSERT_TRUE(page->next_before.has_value());
  q.before = page->next_before;
  page = store_->list_messages(q);
  EXPECT_EQ(ids_of(*page), (std::vector<std::string>{ref_a[2], ref_a[1]}));
  q.before = page->next_before;
  page = store_->list_messages(q);
  EXPECT_EQ(ids_of(*page), (std::vector<std::string>{ref_a[0]}));
  EXPECT_FALSE(page->next_before.has_value());

  ListQuery both;
  both.reference = "A";
  both.client = "shop";
  page = store_->list_messages(both);
  EXPECT_EQ(ids_of(*page), (std::vector<std::string>{ref_a[4], ref_a[2], ref_a[0]}));

  ListQuery by_client;
  by_client.client = "crm";
  page = store_->list_messages(by_client);
  EXPECT_EQ(ids_of(*page), (std::vector<std::string>{ref_a[3], ref_a[1]}));
  by_client.client = "shop";
  by_client.status = MessageStatus::queued;
  page = store_->list_messages(by_client);
  EXPECT_EQ(page->messages.size(), 8u);
  by_client.status = MessageStatus::sent;
  EXPECT_TRUE(store_->list_messages(by_client)->messages.empty());

  ListQuery none;
  none.reference = "nope";
  EXPECT_TRUE(store_->list_messages(none)->messages.empty());
  EXPECT_EQ(store_->list_messages(ListQuery{})->messages.size(), 15u);
}

// `recipient` walks the index messages_by_recipient; `modem` (the assigned modem) is checked
// on the rows of whichever walk the other filters chose.
TEST_P(StoreTags, ListsFilterByRecipientAndModemNewestFirstWithPages) {
  std::vector<std::string> to_a;  // in creation order
  std::vector<std::string> via_m1;
  for (int i = 0; i < 4; ++i) {
    to_a.push_back(add(tagged("+4915100000001", "shop", std::nullopt), at(10 * i)));
    add(tagged("+4915100000002", "shop", std::nullopt), at(10 * i + 1));
  }
  for (std::size_t i = 0; i < to_a.size(); i += 2) {
    ASSERT_TRUE(store_->claim_message(to_a[i], "m1", at(100 + static_cast<int>(i))).ok());
    via_m1.push_back(to_a[i]);
  }
  const auto other = add(message_to("+4915100000003"), at(50));
  ASSERT_TRUE(store_->claim_message(other, "m1", at(101)).ok());

  ListQuery q;
  q.recipient = "+4915100000001";
  q.limit = 3;
  auto page = store_->list_messages(q);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(ids_of(*page), (std::vector<std::string>{to_a[3], to_a[2], to_a[1]}));
  ASSERT_TRUE(page->next_before.has_value());
  q.before = page->next_before;
  page = store_->list_messages(q);
  EXPECT_EQ(ids_of(*page), (std::vector<std::string>{to_a[0]}));
  EXPECT_FALSE(page->next_before.has_value());

  ListQuery recipient_and_modem;
  recipient_and_modem.recipient = "+4915100000001";
  recipient_and_modem.modem = "m1";
  page = store_->list_messages(recipient_and_modem);
  EXPECT_EQ(ids_of(*page), (std::vector<std::string>{via_m1[1], via_m1[0]}));
  recipient_and_modem.status = MessageStatus::queued;
  EXPECT_TRUE(store_->list_messages(recipient_and_modem)->messages.empty());

  ListQuery by_modem;
  by_modem.modem = "m1";
  by_modem.limit = 2;
  page = store_->list_messages(by_modem);
  EXPECT_EQ(ids_of(*page), (std::vector<std::string>{other, via_m1[1]}));
  by_modem.before = page->next_before;
  page = store_->list_messages(by_modem);
  EXPECT_EQ(ids_of(*page), (std::vector<std::string>{via_m1[0]}));
  EXPECT_FALSE(page->next_before.has_value());
  by_modem = ListQuery{};
  by_modem.modem = "m1";
  by_modem.client = "shop";
  EXPECT_EQ(store_->list_messages(by_modem)->messages.size(), 2u);

  ListQuery none;
  none.recipient = "+4915100000009";
  EXPECT_TRUE(store_->list_messages(none)->messages.empty());
  none = ListQuery{};
  none.modem = "m2";
  EXPECT_TRUE(store_->list_messages(none)->messages.empty());
}

TEST_P(StoreTags, CallbackRowsCarryTheirKindAndClient) {
  const auto now = std::chrono::system_clock::now();
  ASSERT_TRUE(store_->enqueue_webhook("message.status", "{}", "http://a/", now).ok());
  ASSERT_TRUE(store_
                  ->enqueue_webhook("message.status", "{}", "https://b/", now,
                                    WebhookKind::callback, std::string("shop"))
                  .ok());
  ASSERT_TRUE(
      store_->enqueue_webhook("message.status", "{}", "https://c/", now, WebhookKind::callback)
          .ok());
  auto due = store_->due_webhooks(now, 10);
  ASSERT_TRUE(due.ok()) << due.error().message;
  ASSERT_EQ(due->size(), 3u);
  EXPECT_EQ(due->at(0).kind, WebhookKind::webhook);
  EXPECT_EQ(due->at(1).kind, WebhookKind::callback);
  EXPECT_EQ(due->at(1).client, "shop");
  EXPECT_EQ(due->at(2).kind, WebhookKind::callback);
  EXPECT_FALSE(due->at(2).client.has_value());
}

// A sendsms dlr-url row is stored as a callback with the event "sendsms.dlr" (no schema
// change) and read back as its own kind.
TEST_P(StoreTags, DlrUrlRowsComeBackAsTheirKind) {
  const auto now = std::chrono::system_clock::now();
  ASSERT_TRUE(store_
                  ->enqueue_webhook("anything", "", "http://h/dlr?type=8", now,
                                    WebhookKind::dlr_url, std::string("shop"))
                  .ok());
  auto due = store_->due_webhooks(now, 10);
  ASSERT_TRUE(due.ok()) << due.error().message;
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->at(0).kind, WebhookKind::dlr_url);
  EXPECT_EQ(due->at(0).event, kDlrUrlEvent);
  EXPECT_EQ(due->at(0).url, "http://h/dlr?type=8");
  EXPECT_EQ(due->at(0).client, "shop");
}

InboundPart received(std::string modem, std::string sender, TimePoint when,
                     std::string text = "hi") {
  InboundPart p;
  p.modem = std::move(modem);
  p.sender = std::move(sender);
  p.smsc_time = when - 3s;
  p.text = text;
  p.pdu_hex = "07" + text + std::to_string(when.time_since_epoch().count());
  p.received_at = when;
  return p;
}

std::vector<std::string> texts_of(const InboxPage& page) {
  std::vector<std::string> texts;
  for (const auto& m : page.messages) texts.push_back(m.text);
  return texts;
}

TEST_P(StoreTags, InboxFiltersBySinceSenderAndModem) {
  const std::tuple<const char*, const char*, int> rows[] = {
      {"m1", "+4917000001", 0},  {"m2", "+4917000001", 10}, {"m1", "+4917000002", 20},
      {"m2", "+4917000002", 30}, {"m1", "+4917000001", 40},
  };
  for (const auto& [modem, sender, second] : rows) {
    auto stored = store_->store_inbound(
        received(modem, sender, at(second), std::string(modem) + "@" + std::to_string(second)));
    ASSERT_TRUE(stored.ok()) << stored.error().message;
    EXPECT_EQ(stored->smsc_time, at(second) - 3s);
  }
  InboxQuery q;
  q.since = at(20);
  EXPECT_EQ(texts_of(*store_->list_inbox(q)),
            (std::vector<std::string>{"m1@40", "m2@30", "m1@20"}));
  q.since = at(20) + 1ms;  // after the third
  EXPECT_EQ(texts_of(*store_->list_inbox(q)), (std::vector<std::string>{"m1@40", "m2@30"}));
  InboxQuery from;
  from.from = "+4917000001";
  EXPECT_EQ(texts_of(*store_->list_inbox(from)),
            (std::vector<std::string>{"m1@40", "m2@10", "m1@0"}));
  from.modem = "m1";
  EXPECT_EQ(texts_of(*store_->list_inbox(from)), (std::vector<std::string>{"m1@40", "m1@0"}));
  from.since = at(1);
  EXPECT_EQ(texts_of(*store_->list_inbox(from)), (std::vector<std::string>{"m1@40"}));
  InboxQuery modem;
  modem.modem = "m2";
  modem.limit = 1;
  auto page = store_->list_inbox(modem);
  EXPECT_EQ(texts_of(*page), (std::vector<std::string>{"m2@30"}));
  ASSERT_TRUE(page->next_before.has_value());
  modem.before = page->next_before;
  page = store_->list_inbox(modem);
  EXPECT_EQ(texts_of(*page), (std::vector<std::string>{"m2@10"}));
  EXPECT_FALSE(page->next_before.has_value());
  // The old form still lists everything.
  EXPECT_EQ(store_->list_inbox(50, std::nullopt)->messages.size(), 5u);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreTags, STORE_ENGINES);

}  // namespace
}  // namespace smsgw::store::testing
