// The pure session core: bind states (SMPP 3.4 2.3, 4.1), bad PDUs, windows, enquire_link.
#include "smsgw/smpp_server/session.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace smsgw::smpp_server {
namespace {

using namespace std::chrono_literals;
using smpp::CommandId;
using smpp::CommandStatus;
using smpp::Pdu;
using Kind = Action::Kind;

const Clock::time_point t0{};

SessionOptions options(std::uint32_t window = 2) {
  SessionOptions o;
  o.window = window;
  o.enquire_link_interval = 30s;
  o.enquire_link_timeout = 10s;
  return o;
}

smpp::Bytes wire(const Pdu& pdu) {
  auto octets = smpp::encode(pdu);
  EXPECT_TRUE(octets.ok());
  return octets.ok() ? *octets : smpp::Bytes{};
}

Pdu bind(CommandId id, std::uint32_t sequence) {
  Pdu pdu = make_pdu(id, CommandStatus::esme_rok, sequence);
  auto& body = std::get<smpp::BindBody>(pdu.body);
  body.system_id = "alice";
  body.password = "secret";
  return pdu;
}

Pdu submit(std::uint32_t sequence) {
  Pdu pdu = make_pdu(CommandId::submit_sm, CommandStatus::esme_rok, sequence);
  auto& body = std::get<smpp::MessageBody>(pdu.body);
  body.destination_addr = "491511234567";
  body.dest_addr_ton = 1;
  body.short_message = {'h', 'i'};
  return pdu;
}

smpp::Account account(bool may_receive = true) {
  return smpp::Account{
      .client = "alice", .system_id = "alice", .may_send = true, .may_receive = may_receive};
}

// A session bound with `id` (bind_transmitter / _receiver / _transceiver).
Session bound(CommandId id, std::uint32_t window = 2, bool may_receive = true) {
  Session session(options(window), t0);
  const auto asked = session.receive(wire(bind(id, 1)), t0);
  EXPECT_EQ(asked.kind, Kind::authenticate);
  const auto answer = session.bind_checked(1, asked.bind.mode, account(may_receive));
  EXPECT_EQ(answer.kind, Kind::reply);
  return session;
}

TEST(SmppSession, BindAsksForAuthenticationThenAnswersBindResp) {
  Session session(options(), t0);
  const auto asked = session.receive(wire(bind(CommandId::bind_transceiver, 7)), t0);
  ASSERT_EQ(asked.kind, Kind::authenticate);
  EXPECT_EQ(asked.sequence, 7u);
  EXPECT_EQ(asked.bind.system_id, "alice");
  EXPECT_EQ(asked.bind.password, "secret");
  EXPECT_EQ(asked.bind.mode, smpp::BindMode::transceiver);
  const auto answer = session.bind_checked(7, smpp::BindMode::transceiver, account());
  ASSERT_EQ(answer.kind, Kind::reply);
  EXPECT_EQ(answer.reply->command_id, CommandId::bind_transceiver_resp);
  EXPECT_EQ(answer.reply->command_status, CommandStatus::esme_rok);
  EXPECT_EQ(answer.reply->sequence_number, 7u);
  const auto& body = std::get<smpp::BindRespBody>(answer.reply->body);
  EXPECT_EQ(body.system_id, "smsgw");
  EXPECT_EQ(body.tlvs.sc_interface_version(), 0x34);
  EXPECT_EQ(session.state(), BindState::bound_trx);
}

TEST(SmppSession, ThreeThreeClientGetsNoTlvInItsBindResp) {
  Session session(options(), t0);
  Pdu old = bind(CommandId::bind_transmitter, 1);
  std::get<smpp::BindBody>(old.body).interface_version = 0x33;
  const auto asked = session.receive(wire(old), t0);
  ASSERT_EQ(asked.kind, Kind::authenticate);
  const auto answer = session.bind_checked(1, smpp::BindMode::transmitter, account());
  EXPECT_TRUE(std::get<smpp::BindRespBody>(answer.reply->body).tlvs.items.empty());
}

TEST(SmppSession, BindModesGiveTheirStates) {
  EXPECT_EQ(bound(CommandId::bind_transmitter).state(), BindState::bound_tx);
  EXPECT_EQ(bound(CommandId::bind_receiver).state(), BindState::bound_rx);
  EXPECT_EQ(bound(CommandId::bind_transceiver).state(), BindState::bound_trx);
}

TEST(SmppSession, RefusedBindKeepsTheSessionOpenAndTheThirdCloses) {
  Session session(options(), t0);
  const smpp::Outcome<smpp::Account> wrong =
      smpp::Failure{CommandStatus::esme_rinvpaswd, "password", "wrong password"};
  for (std::uint32_t sequence = 1; sequence <= 3; ++sequence) {
    const auto asked = session.receive(wire(bind(CommandId::bind_transmitter, sequence)), t0);
    ASSERT_EQ(asked.kind, Kind::authenticate);
    const auto answer = session.bind_checked(sequence, smpp::BindMode::transmitter, wrong);
    EXPECT_EQ(answer.kind, sequence < 3 ? Kind::reply : Kind::close);
    EXPECT_EQ(answer.reply->command_id, CommandId::bind_transmitter_resp);
    EXPECT_EQ(answer.reply->command_status, CommandStatus::esme_rinvpaswd);
    EXPECT_EQ(answer.reply->body, smpp::Body{smpp::BindRespBody{}});  // no body (4.1.2)
  }
  EXPECT_EQ(session.state(), BindState::closed);
}

TEST(SmppSession, SecondBindIsAlreadyBound) {
  Session session = bound(CommandId::bind_transmitter);
  const auto answer = session.receive(wire(bind(CommandId::bind_receiver, 2)), t0);
  ASSERT_EQ(answer.kind, Kind::reply);
  EXPECT_EQ(answer.reply->command_id, CommandId::bind_receiver_resp);
  EXPECT_EQ(answer.reply->command_status, CommandStatus::esme_ralybnd);
  EXPECT_EQ(session.state(), BindState::bound_tx);
}

struct WrongState {
  const char* name;
  CommandId bind;  // enquire_link_resp: stay open
  Pdu request;
};

TEST(SmppSession, RequestsInTheWrongStateGetInvalidBindStatus) {
  const std::vector<WrongState> cases = {
      {"submit before bind", CommandId::enquire_link_resp, submit(5)},
      {"submit on a receiver", CommandId::bind_receiver, submit(5)},
      {"unbind before bind", CommandId::enquire_link_resp,
       make_pdu(CommandId::unbind, CommandStatus::esme_rok, 5)},
      {"enquire_link before bind", CommandId::enquire_link_resp,
       make_pdu(CommandId::enquire_link, CommandStatus::esme_rok, 5)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Session session =
        c.bind == CommandId::enquire_link_resp ? Session(options(), t0) : bound(c.bind);
    const auto answer = session.receive(wire(c.request), t0);
    ASSERT_EQ(answer.kind, Kind::reply);
    EXPECT_EQ(answer.reply->command_id, smpp::response_to(c.request.command_id));
    EXPECT_EQ(answer.reply->command_status, CommandStatus::esme_rinvbndsts);
    EXPECT_EQ(answer.reply->sequence_number, 5u);
  }
}

TEST(SmppSession, EnquireLinkIsAnsweredWhenBound) {
  Session session = bound(CommandId::bind_receiver);
  const auto answer =
      session.receive(wire(make_pdu(CommandId::enquire_link, CommandStatus::esme_rok, 9)), t0);
  ASSERT_EQ(answer.kind, Kind::reply);
  EXPECT_EQ(answer.reply->command_id, CommandId::enquire_link_resp);
  EXPECT_EQ(answer.reply->command_status, CommandStatus::esme_rok);
  EXPECT_EQ(answer.reply->sequence_number, 9u);
}

TEST(SmppSession, UnknownCommandGetsGenericNackAndTheSessionGoesOn) {
  Session session = bound(CommandId::bind_transceiver);
  // query_sm (not handled by this server) and an id outside the spec.
  for (const std::uint32_t id : {0x00000003u, 0x00001234u}) {
    smpp::Bytes octets = {0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 42};
    octets[4] = static_cast<std::uint8_t>(id >> 24);
    octets[5] = static_cast<std::uint8_t>(id >> 16);
    octets[6] = static_cast<std::uint8_t>(id >> 8);
    octets[7] = static_cast<std::uint8_t>(id);
    const auto answer = session.receive(octets, t0);
    ASSERT_EQ(answer.kind, Kind::reply);
    EXPECT_EQ(answer.reply->command_id, CommandId::generic_nack);
    EXPECT_EQ(answer.reply->command_status, CommandStatus::esme_rinvcmdid);
    EXPECT_EQ(answer.reply->sequence_number, 42u);
  }
  EXPECT_EQ(session.state(), BindState::bound_trx);
  // A deliver_sm from the client is not accepted either.
  Pdu deliver = submit(43);
  deliver.command_id = CommandId::deliver_sm;
  const auto answer = session.receive(wire(deliver), t0);
  EXPECT_EQ(answer.reply->command_id, CommandId::generic_nack);
  EXPECT_EQ(answer.reply->command_status, CommandStatus::esme_rinvcmdid);
}

TEST(SmppSession, MalformedRequestGetsItsRespWithTheFailureStatus) {
  Session session = bound(CommandId::bind_transmitter);
  smpp::Bytes octets = wire(submit(11));
  // sm_length says 200 octets but only 2 follow: the body runs past command_length.
  const std::size_t sm_length_at = octets.size() - 3;
  ASSERT_EQ(octets[sm_length_at], 2);
  octets[sm_length_at] = 200;
  const auto answer = session.receive(octets, t0);
  ASSERT_EQ(answer.kind, Kind::reply);
  EXPECT_EQ(answer.reply->command_id, CommandId::submit_sm_resp);
  EXPECT_EQ(answer.reply->command_status, CommandStatus::esme_rinvcmdlen);
  EXPECT_EQ(answer.reply->sequence_number, 11u);
  EXPECT_FALSE(answer.reason.empty());
  EXPECT_EQ(session.submits_outstanding(), 0u);
  // The session goes on.
  EXPECT_EQ(session.receive(wire(submit(12)), t0).kind, Kind::submit);
}

TEST(SmppSession, FramingFailureIsGenericNackThenClose) {
  Session session = bound(CommandId::bind_transmitter);
  const auto answer = session.framing_failed(
      smpp::Failure{CommandStatus::esme_rinvcmdlen, "command_length", "command_length 3"});
  ASSERT_EQ(answer.kind, Kind::close);
  EXPECT_EQ(answer.reply->command_id, CommandId::generic_nack);
  EXPECT_EQ(answer.reply->command_status, CommandStatus::esme_rinvcmdlen);
  EXPECT_EQ(session.state(), BindState::closed);
}

TEST(SmppSession, SubmitWindowThrottlesBeyondItAndReopensOnAnswers) {
  Session session = bound(CommandId::bind_transmitter, 2);
  EXPECT_EQ(session.receive(wire(submit(1)), t0).kind, Kind::submit);
  EXPECT_EQ(session.receive(wire(submit(2)), t0).kind, Kind::submit);
  const auto third = session.receive(wire(submit(3)), t0);
  ASSERT_EQ(third.kind, Kind::reply);
  EXPECT_EQ(third.reply->command_id, CommandId::submit_sm_resp);
  EXPECT_EQ(third.reply->command_status, CommandStatus::esme_rthrottled);
  EXPECT_EQ(third.reply->sequence_number, 3u);
  const Pdu resp = session.submit_answered(1, std::string("01HZY"));
  EXPECT_EQ(resp.command_status, CommandStatus::esme_rok);
  EXPECT_EQ(std::get<smpp::MessageRespBody>(resp.body).message_id, "01HZY");
  EXPECT_EQ(session.receive(wire(submit(4)), t0).kind, Kind::submit);
  const Pdu refused = session.submit_answered(
      2, smpp::Failure{CommandStatus::esme_rinvdstadr, "destination_addr", "bad"});
  EXPECT_EQ(refused.command_status, CommandStatus::esme_rinvdstadr);
  EXPECT_EQ(refused.body, smpp::Body{smpp::MessageRespBody{}});
}

TEST(SmppSession, UnbindWaitsForOutstandingSubmits) {
  Session session = bound(CommandId::bind_transceiver);
  EXPECT_EQ(session.receive(wire(submit(1)), t0).kind, Kind::submit);
  EXPECT_EQ(session.receive(wire(make_pdu(CommandId::unbind, CommandStatus::esme_rok, 2)), t0).kind,
            Kind::none);
  EXPECT_EQ(session.state(), BindState::unbinding);
  EXPECT_FALSE(session.take_unbind_resp());
  // A submit after the unbind is refused.
  const auto late = session.receive(wire(submit(3)), t0);
  EXPECT_EQ(late.reply->command_status, CommandStatus::esme_rinvbndsts);
  (void)session.submit_answered(1, std::string("id"));
  const auto unbind_resp = session.take_unbind_resp();
  ASSERT_TRUE(unbind_resp);
  EXPECT_EQ(unbind_resp->command_id, CommandId::unbind_resp);
  EXPECT_EQ(unbind_resp->sequence_number, 2u);
  EXPECT_FALSE(session.take_unbind_resp());
  EXPECT_EQ(session.state(), BindState::closed);
}

TEST(SmppSession, DeliverWindowAndAnswers) {
  Session session = bound(CommandId::bind_receiver, 2);
  EXPECT_EQ(session.deliver_window_free(), 2u);
  const Pdu first = session.deliver(smpp::Delivery{.id = 100, .body = {}});
  const Pdu second = session.deliver(smpp::Delivery{.id = 101, .body = {}});
  EXPECT_EQ(first.command_id, CommandId::deliver_sm);
  EXPECT_NE(first.sequence_number, second.sequence_number);
  EXPECT_EQ(session.deliver_window_free(), 0u);
  const auto ok = session.receive(
      wire(make_pdu(CommandId::deliver_sm_resp, CommandStatus::esme_rok, first.sequence_number)),
      t0);
  EXPECT_EQ(ok.kind, Kind::delivered);
  EXPECT_EQ(ok.delivery, 100);
  EXPECT_EQ(session.deliver_window_free(), 1u);
  const auto nack =
      session.receive(wire(make_pdu(CommandId::generic_nack, CommandStatus::esme_rx_t_appn,
                                    second.sequence_number)),
                      t0);
  EXPECT_EQ(nack.kind, Kind::refused);
  EXPECT_EQ(nack.delivery, 101);
  EXPECT_EQ(nack.status, CommandStatus::esme_rx_t_appn);
  // An answer to nothing is ignored.
  EXPECT_EQ(session
                .receive(wire(make_pdu(CommandId::deliver_sm_resp, CommandStatus::esme_rok,
                                       second.sequence_number)),
                         t0)
                .kind,
            Kind::none);
  EXPECT_TRUE(session.unanswered_deliveries().empty());
}

TEST(SmppSession, UnansweredDeliveriesAreListedForRelease) {
  Session session = bound(CommandId::bind_transceiver, 5);
  (void)session.deliver(smpp::Delivery{.id = 7, .body = {}});
  (void)session.deliver(smpp::Delivery{.id = 8, .body = {}});
  EXPECT_EQ(session.unanswered_deliveries(), (std::vector<std::int64_t>{7, 8}));
}

TEST(SmppSession, NoDeliveriesWithoutReadScopeOrOnATransmitter) {
  EXPECT_EQ(bound(CommandId::bind_transceiver, 5, false).deliver_window_free(), 0u);
  EXPECT_EQ(bound(CommandId::bind_transmitter, 5, true).deliver_window_free(), 0u);
}

TEST(SmppSession, EnquireLinkAfterSilenceAndCloseWithoutAnswer) {
  Session session = bound(CommandId::bind_transmitter);
  EXPECT_EQ(session.next_deadline(), t0 + 30s);
  EXPECT_FALSE(session.tick(t0 + 29s).enquire_link);
  // Traffic moves the deadline.
  (void)session.receive(wire(make_pdu(CommandId::enquire_link, CommandStatus::esme_rok, 3)),
                        t0 + 20s);
  EXPECT_EQ(session.next_deadline(), t0 + 50s);
  const Tick first = session.tick(t0 + 50s);
  ASSERT_TRUE(first.enquire_link);
  EXPECT_FALSE(first.close);
  EXPECT_EQ(session.next_deadline(), t0 + 60s);
  // Answered: back to silence supervision.
  (void)session.receive(wire(make_pdu(CommandId::enquire_link_resp, CommandStatus::esme_rok,
                                      first.enquire_link->sequence_number)),
                        t0 + 51s);
  EXPECT_EQ(session.next_deadline(), t0 + 81s);
  const Tick second = session.tick(t0 + 81s);
  ASSERT_TRUE(second.enquire_link);
  EXPECT_NE(second.enquire_link->sequence_number, first.enquire_link->sequence_number);
  // Other traffic does not answer the enquire_link.
  (void)session.receive(wire(submit(4)), t0 + 85s);
  EXPECT_FALSE(session.tick(t0 + 90s).close);
  const Tick late = session.tick(t0 + 91s);
  ASSERT_TRUE(late.close);
  EXPECT_NE(late.close->find("enquire_link_resp"), std::string::npos);
}

TEST(SmppSession, ConnectionThatNeverBindsIsClosed) {
  Session session(options(), t0);
  EXPECT_EQ(session.next_deadline(), t0 + 40s);
  EXPECT_FALSE(session.tick(t0 + 39s).close);
  EXPECT_FALSE(session.tick(t0 + 39s).enquire_link);
  EXPECT_TRUE(session.tick(t0 + 40s).close);
}

TEST(SmppSession, ServerUnbindAfterOutstandingSubmits) {
  Session session = bound(CommandId::bind_transceiver);
  EXPECT_EQ(session.receive(wire(submit(1)), t0).kind, Kind::submit);
  session.begin_server_unbind();
  EXPECT_FALSE(session.unbind_request());
  EXPECT_EQ(session.receive(wire(submit(2)), t0).reply->command_status,
            CommandStatus::esme_rinvbndsts);
  EXPECT_EQ(session.deliver_window_free(), 0u);
  (void)session.submit_answered(1, std::string("id"));
  const auto unbind = session.unbind_request();
  ASSERT_TRUE(unbind);
  EXPECT_EQ(unbind->command_id, CommandId::unbind);
  EXPECT_FALSE(session.unbind_request());
  EXPECT_FALSE(session.unbind_answered());
  (void)session.receive(
      wire(make_pdu(CommandId::unbind_resp, CommandStatus::esme_rok, unbind->sequence_number)), t0);
  EXPECT_TRUE(session.unbind_answered());
}

TEST(SmppSession, MalformedResponseIsReadFromItsHeader) {
  Session session = bound(CommandId::bind_receiver);
  const Pdu sent = session.deliver(smpp::Delivery{.id = 5, .body = {}});
  // deliver_sm_resp with a message_id that is not NUL-terminated.
  smpp::Bytes octets = {0, 0, 0, 18, 0x80, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 'x', 'y'};
  octets[15] = static_cast<std::uint8_t>(sent.sequence_number);
  const auto answer = session.receive(octets, t0);
  EXPECT_EQ(answer.kind, Kind::delivered);
  EXPECT_EQ(answer.delivery, 5);
}

// Robustness: mutated PDUs in every state never throw, and every reply the session asks
// for encodes (the writer drops a PDU that does not, which would leave a request unanswered).
TEST(SmppSession, MutatedPdusAlwaysGetAnEncodableAnswerOrNone) {
  std::uint32_t seed = 12345;
  const auto random = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) & 0x7FFF;
  };
  Pdu long_submit = submit(9);
  std::get<smpp::MessageBody>(long_submit.body).tlvs.set_sar(7, 3, 1);
  const std::vector<smpp::Bytes> seeds = {
      wire(bind(CommandId::bind_transceiver, 1)),
      wire(submit(2)),
      wire(long_submit),
      wire(make_pdu(CommandId::unbind, CommandStatus::esme_rok, 3)),
      wire(make_pdu(CommandId::enquire_link, CommandStatus::esme_rok, 4)),
      wire(make_pdu(CommandId::deliver_sm_resp, CommandStatus::esme_rok, 1))};
  int answered = 0;
  for (int round = 0; round < 20000; ++round) {
    Session session =
        round % 2 == 0 ? bound(CommandId::bind_transceiver, 3) : Session(options(3), t0);
    smpp::Bytes octets = seeds[static_cast<std::size_t>(random()) % seeds.size()];
    const int flips = 1 + random() % 4;
    for (int i = 0; i < flips; ++i) {
      const std::size_t at = static_cast<std::size_t>(random()) % octets.size();
      octets[at] = static_cast<std::uint8_t>(random());
    }
    if (random() % 5 == 0) octets.resize(static_cast<std::size_t>(random()) % octets.size() + 1);
    // The Framer guarantees a whole PDU of command_length octets; keep the header honest.
    if (octets.size() < 16) continue;
    const auto length = static_cast<std::uint32_t>(octets.size());
    octets[0] = static_cast<std::uint8_t>(length >> 24);
    octets[1] = static_cast<std::uint8_t>(length >> 16);
    octets[2] = static_cast<std::uint8_t>(length >> 8);
    octets[3] = static_cast<std::uint8_t>(length);
    const Action action = session.receive(octets, t0);
    if (action.reply) {
      ++answered;
      const auto encoded = smpp::encode(*action.reply);
      ASSERT_TRUE(encoded.ok()) << encoded.error().message;
      const auto header = smpp::decode_header(octets);
      ASSERT_TRUE(header.ok());
      EXPECT_EQ(action.reply->sequence_number, header->sequence_number);
    }
  }
  EXPECT_GT(answered, 1000);
}

}  // namespace
}  // namespace smsgw::smpp_server
