// The SMPP server of the real `smsgw serve`: binds, enquire_link, bad PDUs, the window, the
// client's limits and unbind mid-window (SMPP 3.4 2.3, 4.1, 4.2, 4.11, 5.1.3).
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "smpp_support.hpp"

namespace smsgw::smpp_test {
namespace {

// A submit_sm PDU ready to be sent raw, with its sequence_number.
Pdu submit_pdu(std::uint32_t sequence, const std::string& to, const std::string& text) {
  Pdu pdu;
  pdu.command_id = CommandId::submit_sm;
  pdu.sequence_number = sequence;
  pdu.body = harness::submit_body(to, text);
  return pdu;
}

TEST(SmppServeSession, BindWithGoodAndBadCredentials) {
  Gateway gw;
  auto client = gw.connect();
  EXPECT_EQ(client->try_bind(CommandId::bind_transmitter, "shop", "wrong").command_status,
            CommandStatus::esme_rinvpaswd);
  EXPECT_EQ(client->try_bind(CommandId::bind_transmitter, "nobody", "secret").command_status,
            CommandStatus::esme_rinvsysid);
  const Pdu bound = client->try_bind(CommandId::bind_transmitter, "shop", "secret");
  EXPECT_EQ(bound.command_id, CommandId::bind_transmitter_resp);
  EXPECT_EQ(bound.command_status, CommandStatus::esme_rok);
  EXPECT_EQ(std::get<smpp::BindRespBody>(bound.body).system_id, "smsgw");
  // Bound already.
  EXPECT_EQ(client->try_bind(CommandId::bind_receiver, "shop", "secret").command_status,
            CommandStatus::esme_ralybnd);
  client->unbind();
  EXPECT_TRUE(client->wait_closed());
  const auto log = gw.gateway_log();
  EXPECT_NE(log.find("bound as transmitter: system_id \"shop\", client \"shop\""),
            std::string::npos)
      << gw.gateway_log_tail();
  EXPECT_EQ(log.find("\"wrong\""), std::string::npos) << "a password in the log";
}

TEST(SmppServeSession, BindReceiverWithoutReadScopeIsRefused) {
  Gateway gw;
  auto client = gw.connect();
  EXPECT_EQ(client->try_bind(CommandId::bind_receiver, "sender", "pw").command_status,
            CommandStatus::esme_rbindfail);
  EXPECT_EQ(client->try_bind(CommandId::bind_transmitter, "sender", "pw").command_status,
            CommandStatus::esme_rok);
}

TEST(SmppServeSession, EnquireLinkBothDirectionsAndCloseWhenUnanswered) {
  SmppOptions options;
  options.enquire_link_interval = "300ms";
  options.enquire_link_timeout = "300ms";
  options.modems = 1;
  Gateway gw(options);
  auto client = gw.shop(CommandId::bind_transmitter);
  const Pdu answer = client->request(header_only(CommandId::enquire_link, 0));
  EXPECT_EQ(answer.command_id, CommandId::enquire_link_resp);
  EXPECT_EQ(answer.command_status, CommandStatus::esme_rok);
  // Silent: the server asks.
  const auto asked = client->read(2s);
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->command_id, CommandId::enquire_link);
  client->send(header_only(CommandId::enquire_link_resp, asked->sequence_number));
  const auto again = client->read(2s);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->command_id, CommandId::enquire_link);
  // Not answered: the bind is closed.
  EXPECT_TRUE(client->wait_closed(3s));
  client.reset();  // the server logs the close once the client has closed its end too
  harness::wait_until(
      [&] {
        return gw.gateway_log().find("closed: no enquire_link_resp within 300 ms") !=
               std::string::npos;
      },
      5s, "the close to be logged with its reason");
}

TEST(SmppServeSession, UnknownCommandGetsGenericNackAndTheSessionGoesOn) {
  Gateway gw;
  auto client = gw.shop(CommandId::bind_transmitter);
  // query_sm (not served) and a command_id outside the spec.
  smpp::Bytes query = {0, 0, 0, 16, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 77};
  client->send_raw(query);
  smpp::Bytes unknown = {0, 0, 0, 16, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 0, 0, 0, 78};
  client->send_raw(unknown);
  for (const std::uint32_t sequence : {77u, 78u}) {
    const auto nack = client->read();
    ASSERT_TRUE(nack);
    EXPECT_EQ(nack->command_id, CommandId::generic_nack);
    EXPECT_EQ(nack->command_status, CommandStatus::esme_rinvcmdid);
    EXPECT_EQ(nack->sequence_number, sequence);
  }
  EXPECT_FALSE(client->submit(number(100), "still bound").empty());
}

TEST(SmppServeSession, MalformedPduIsAnsweredWithItsStatusWithoutDesynchronising) {
  Gateway gw;
  auto client = gw.shop(CommandId::bind_transmitter);
  // sm_length 200 but 5 octets follow: the body runs past command_length.
  smpp::Bytes broken = encoded(submit_pdu(40, number(101), "hello"));
  const auto sm_length_at = broken.size() - 6;
  ASSERT_EQ(broken[sm_length_at], 5);
  broken[sm_length_at] = 200;
  // A bind-sized string field over its maximum: service_type of 7 characters (max 5).
  Pdu long_service = submit_pdu(41, number(101), "hello");
  std::get<smpp::MessageBody>(long_service.body).service_type = "ABCDE";
  smpp::Bytes overlong = encoded(long_service);
  overlong.insert(overlong.begin() + 16 + 5, {'F', 'G'});
  overlong[3] = static_cast<std::uint8_t>(overlong.size());
  // Both in one write, then a good submit_sm: three answers, in order, none lost.
  smpp::Bytes stream = broken;
  stream.insert(stream.end(), overlong.begin(), overlong.end());
  const smpp::Bytes good = encoded(submit_pdu(42, number(101), "good"));
  stream.insert(stream.end(), good.begin(), good.end());
  client->send_raw(stream);
  const auto first = client->read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->command_id, CommandId::submit_sm_resp);
  EXPECT_EQ(first->sequence_number, 40u);
  EXPECT_EQ(first->command_status, CommandStatus::esme_rinvcmdlen);
  const auto second = client->read();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->sequence_number, 41u);
  EXPECT_EQ(second->command_status, CommandStatus::esme_rinvparlen);
  const auto third = client->read();
  ASSERT_TRUE(third);
  EXPECT_EQ(third->sequence_number, 42u);
  EXPECT_EQ(third->command_status, CommandStatus::esme_rok);
  EXPECT_EQ(gw.message(std::get<smpp::MessageRespBody>(third->body).message_id).value("text", ""),
            "good");
}

TEST(SmppServeSession, GarbageCommandLengthIsGenericNackThenClose) {
  Gateway gw;
  auto client = gw.shop(CommandId::bind_transmitter);
  const smpp::Bytes garbage = {0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 9};
  client->send_raw(garbage);
  const auto nack = client->read();
  ASSERT_TRUE(nack);
  EXPECT_EQ(nack->command_id, CommandId::generic_nack);
  EXPECT_EQ(nack->command_status, CommandStatus::esme_rinvcmdlen);
  EXPECT_TRUE(client->wait_closed());
  // The server goes on serving others.
  auto other = gw.shop(CommandId::bind_transmitter);
  EXPECT_FALSE(other->submit(number(102), "after the garbage").empty());
}

TEST(SmppServeSession, WindowOfTenAcceptsTenOutstandingAndThrottlesTheEleventh) {
  Gateway gw;
  auto client = gw.shop(CommandId::bind_transmitter);
  // Eleven submit_sm in one write: the server reads them before any is stored.
  smpp::Bytes burst;
  for (std::uint32_t sequence = 1; sequence <= 11; ++sequence) {
    const auto octets =
        encoded(submit_pdu(100 + sequence, number(200 + static_cast<int>(sequence)), "window"));
    burst.insert(burst.end(), octets.begin(), octets.end());
  }
  client->send_raw(burst);
  std::set<std::uint32_t> accepted;
  std::set<std::uint32_t> throttled;
  for (int i = 0; i < 11; ++i) {
    const auto resp = client->read();
    ASSERT_TRUE(resp) << "answer " << i;
    ASSERT_EQ(resp->command_id, CommandId::submit_sm_resp);
    if (resp->command_status == CommandStatus::esme_rok) {
      accepted.insert(resp->sequence_number);
    } else {
      EXPECT_EQ(resp->command_status, CommandStatus::esme_rthrottled);
      throttled.insert(resp->sequence_number);
    }
  }
  EXPECT_EQ(accepted.size(), 10u);
  EXPECT_EQ(throttled, (std::set<std::uint32_t>{111}));
  EXPECT_EQ(gw.all_messages().size(), 10u);
}

TEST(SmppServeSession, ClientLimitsAnswerThrottled) {
  SmppOptions options;
  options.shop_limits = "{ per_minute = 2 }";
  options.modems = 1;
  Gateway gw(options);
  auto client = gw.shop(CommandId::bind_transmitter);
  EXPECT_FALSE(client->submit(number(300), "one").empty());
  EXPECT_FALSE(client->submit(number(301), "two").empty());
  EXPECT_EQ(client->try_submit(number(302), "three").command_status,
            CommandStatus::esme_rthrottled);
}

TEST(SmppServeSession, UnbindMidWindowAnswersEveryAcceptedSubmit) {
  Gateway gw;
  auto client = gw.shop(CommandId::bind_transmitter);
  smpp::Bytes burst;
  for (std::uint32_t sequence = 1; sequence <= 8; ++sequence) {
    const auto octets =
        encoded(submit_pdu(sequence, number(400 + static_cast<int>(sequence)), "unbinding"));
    burst.insert(burst.end(), octets.begin(), octets.end());
  }
  const auto unbind = encoded(header_only(CommandId::unbind, 9));
  burst.insert(burst.end(), unbind.begin(), unbind.end());
  client->send_raw(burst);
  std::vector<std::string> ids;
  for (int i = 0; i < 8; ++i) {
    const auto resp = client->read();
    ASSERT_TRUE(resp) << "answer " << i;
    ASSERT_EQ(resp->command_id, CommandId::submit_sm_resp) << "answer " << i;
    ASSERT_EQ(resp->command_status, CommandStatus::esme_rok);
    ids.push_back(std::get<smpp::MessageRespBody>(resp->body).message_id);
  }
  const auto unbind_resp = client->read();
  ASSERT_TRUE(unbind_resp);
  EXPECT_EQ(unbind_resp->command_id, CommandId::unbind_resp);
  EXPECT_EQ(unbind_resp->sequence_number, 9u);
  EXPECT_TRUE(client->wait_closed());
  for (const auto& id : ids) EXPECT_EQ(gw.message(id).value("text", ""), "unbinding");
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 8u);
}

}  // namespace
}  // namespace smsgw::smpp_test
