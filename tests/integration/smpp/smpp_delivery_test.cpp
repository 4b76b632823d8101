// Messages through the SMPP server of the real `smsgw serve` to the simulated modems and
// back: submit_sm -> SIM -> delivery receipt (SMPP 3.4 Appendix B), a client-split long
// message leaving whole through one SIM, inbound SMS as deliver_sm, and a receipt that waits
// in the outbox until a receiver binds.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "smpp_support.hpp"

namespace smsgw::smpp_test {
namespace {

void expect_receipt(const Pdu& deliver, const std::string& id, const std::string& stat) {
  ASSERT_EQ(deliver.command_id, CommandId::deliver_sm);
  const auto& body = std::get<smpp::MessageBody>(deliver.body);
  EXPECT_EQ(body.esm_class & 0x3C, 0x04) << "not a delivery receipt (5.2.12)";
  EXPECT_EQ(body.tlvs.receipted_message_id(), id);
  const std::string text = text_of(body);
  EXPECT_NE(text.find("id:" + id), std::string::npos) << text;
  EXPECT_NE(text.find("stat:" + stat), std::string::npos) << text;
}

TEST(SmppServeDelivery, SubmitReachesTheModemAndItsReceiptComesBack) {
  Gateway gw;
  auto client = gw.shop(CommandId::bind_transceiver);
  const std::string to = number(500);
  const std::string id = client->submit(
      to, "hello over smpp", [](smpp::MessageBody& body) { body.registered_delivery = 1; });
  EXPECT_EQ(id.size(), 26u) << id;  // the smsgw message id (a ULID)
  const auto receipt = client->wait_deliver();
  expect_receipt(receipt, id, "DELIVRD");
  const auto& body = std::get<smpp::MessageBody>(receipt.body);
  EXPECT_EQ(body.tlvs.message_state(), 2);  // DELIVERED (5.3.2.35)
  EXPECT_EQ(body.source_addr, to);          // the submit_sm's addresses, swapped
  const auto sent = sent_to(gw.sim(), "+" + to);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].value("text", ""), "hello over smpp");
  EXPECT_EQ(gw.message(id).value("status", ""), "delivered");
}

TEST(SmppServeDelivery, ClientSplitLongMessageLeavesWholeThroughOneSim) {
  Gateway gw;
  auto client = gw.shop(CommandId::bind_transceiver);
  const std::string to = number(501);
  const std::string first(150, 'a');
  const std::string second = "and the end of it";
  // Kannel's way: UDH 05 00 03 ref total seq, esm_class 0x43, registered_delivery on part 1.
  const auto part = [](std::uint8_t seq, int registered) {
    return [seq, registered](smpp::MessageBody& body) {
      const smpp::Bytes udh = {0x05, 0x00, 0x03, 0x2A, 0x02, seq};
      body.short_message.insert(body.short_message.begin(), udh.begin(), udh.end());
      body.esm_class = 0x43;
      body.registered_delivery = static_cast<std::uint8_t>(registered);
    };
  };
  const std::string id1 = client->submit(to, first, part(1, 1));
  const std::string id2 = client->submit(to, second, part(2, 0));
  EXPECT_EQ(id1, id2) << "every part of one message answers the same message_id";
  const auto receipt = client->wait_deliver();
  expect_receipt(receipt, id1, "DELIVRD");
  const auto message = gw.message(id1);
  EXPECT_EQ(message.value("text", ""), first + second);
  const auto sent = sent_to(gw.sim(), "+" + to);
  ASSERT_EQ(sent.size(), 2u);
  std::set<int> modems;
  std::string whole;
  for (const auto& record : sent) {
    modems.insert(record.value("modem", -1));
    whole += record.value("text", "");
  }
  EXPECT_EQ(modems.size(), 1u) << "the parts left through more than one SIM";
  EXPECT_EQ(whole, first + second);
  EXPECT_EQ(gw.all_messages().size(), 1u);
}

TEST(SmppServeDelivery, InboundSmsArrivesAsDeliverSm) {
  Gateway gw;
  auto client = gw.shop(CommandId::bind_receiver);
  gw.sim().inject(1, "+4917612345678", "a reply from a phone");
  const auto deliver = client->wait_deliver();
  ASSERT_EQ(deliver.command_id, CommandId::deliver_sm);
  const auto& body = std::get<smpp::MessageBody>(deliver.body);
  EXPECT_EQ(body.esm_class & 0x3C, 0);  // a short message, not a receipt
  EXPECT_EQ(body.source_addr, "4917612345678");
  EXPECT_EQ(body.source_addr_ton, 1);
  EXPECT_EQ(text_of(body), "a reply from a phone");
}

TEST(SmppServeDelivery, ReceiptWaitsInTheOutboxUntilAReceiverBinds) {
  Gateway gw;
  std::string id;
  {
    auto sender = gw.shop(CommandId::bind_transmitter);
    id = sender->submit(number(502), "receipt later",
                        [](smpp::MessageBody& body) { body.registered_delivery = 1; });
    sender->unbind();
  }
  gw.wait_status(id, {"delivered"});
  std::this_thread::sleep_for(300ms);  // nobody bound: the receipt waits
  auto receiver = gw.shop(CommandId::bind_receiver);
  expect_receipt(receiver->wait_deliver(), id, "DELIVRD");
}

TEST(SmppServeDelivery, UnansweredDeliverySentAgainToTheNextBind) {
  Gateway gw;
  std::string id;
  {
    auto client = gw.shop(CommandId::bind_transceiver);
    id = client->submit(number(503), "answer me",
                        [](smpp::MessageBody& body) { body.registered_delivery = 1; });
    // Received but never answered; the connection drops.
    expect_receipt(client->wait_deliver(std::nullopt), id, "DELIVRD");
  }
  auto again = gw.shop(CommandId::bind_receiver);
  expect_receipt(again->wait_deliver(), id, "DELIVRD");
}

TEST(SmppServeDelivery, InboundRuleByModemAndNoDeliveriesWithoutReadScope) {
  SmppOptions options;
  options.shop_inbound = "[\"modem0\"]";
  Gateway gw(options);
  auto shop = gw.shop(CommandId::bind_receiver);
  // "sender" has no scope "read": its transceiver binds but never gets a deliver_sm.
  auto sender = gw.connect();
  sender->bind(CommandId::bind_transceiver, "sender", "pw");
  gw.sim().inject(1, "+4917600000001", "to modem1: not for shop");
  gw.sim().inject(0, "+4917600000002", "to modem0: for shop");
  const auto deliver = shop->wait_deliver();
  EXPECT_EQ(text_of(std::get<smpp::MessageBody>(deliver.body)), "to modem0: for shop");
  EXPECT_FALSE(shop->read(500ms)) << "modem1's message reached shop";
  EXPECT_FALSE(sender->read(100ms)) << "a deliver_sm to a client without scope read";
}

TEST(SmppServeDelivery, SarTlvPartsAndMessagePayload) {
  Gateway gw;
  auto client = gw.shop(CommandId::bind_transmitter);
  const std::string to = number(504);
  const std::string first(100, 'x');
  const std::string second(80, 'y');
  const auto part = [](std::uint8_t seq) {
    return [seq](smpp::MessageBody& body) { body.tlvs.set_sar(0x1234, 2, seq); };
  };
  const std::string id = client->submit(to, first, part(1));
  EXPECT_EQ(client->submit(to, second, part(2)), id);
  // message_payload: sm_length 0 and the text in the TLV (5.3.2.32).
  const std::string long_text(300, 'z');
  const std::string payload_id = client->submit(number(505), "", [&](smpp::MessageBody& body) {
    body.tlvs.set_message_payload(smpp::Bytes(long_text.begin(), long_text.end()));
  });
  EXPECT_EQ(gw.wait_status(id, {"delivered"}).value("text", ""), first + second);
  EXPECT_EQ(gw.wait_status(payload_id, {"delivered"}).value("text", ""), long_text);
  EXPECT_EQ(sent_to(gw.sim(), "+" + number(505)).size(), 2u);  // 300 GSM characters: 2 parts
}

TEST(SmppServeDelivery, StopUnbindsABoundClientAndServeExitsCleanly) {
  Gateway gw;
  auto client = gw.shop(CommandId::bind_transceiver);
  int code = -1;
  std::thread stopping([&] { code = gw.stop_gateway(); });
  const auto unbind = client->read(5s);
  ASSERT_TRUE(unbind);
  EXPECT_EQ(unbind->command_id, CommandId::unbind);
  client->send(header_only(CommandId::unbind_resp, unbind->sequence_number));
  EXPECT_TRUE(client->wait_closed());
  client.reset();
  stopping.join();
  EXPECT_EQ(code, 0);
  EXPECT_NE(gw.gateway_log().find("unbound by the server, which is stopping"), std::string::npos)
      << gw.gateway_log_tail();
}

}  // namespace
}  // namespace smsgw::smpp_test
