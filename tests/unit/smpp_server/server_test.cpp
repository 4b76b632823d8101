// The server's I/O shell over loopback TCP against a FakeBackend: binds, submits through
// the window, unbind mid-window, deliveries and their answers, enquire_link, framing
// failures, stop().
#include "smsgw/smpp_server/server.hpp"

#include <gtest/gtest.h>

#include "test_client.hpp"

namespace smsgw::smpp_server::test {
namespace {

ServerOptions fast(std::uint32_t window = 10) {
  ServerOptions options;
  options.window = window;
  options.enquire_link_interval = 30s;
  options.enquire_link_timeout = 10s;
  options.stop_grace = 500ms;
  return options;
}

TEST(SmppServer, BindAndSubmitAnswersTheStoredMessageId) {
  run_server_test(fast(), [](Rig rig) -> awaitable<void> {
    TestClient client(rig.executor);
    co_await client.connect(rig.endpoint);
    const Pdu bound = co_await client.bind(CommandId::bind_transmitter);
    EXPECT_EQ(bound.command_id, CommandId::bind_transmitter_resp);
    EXPECT_EQ(bound.command_status, CommandStatus::esme_rok);
    const Pdu pdu9 = submit_sm(2);
    co_await client.send(pdu9);
    const auto resp = co_await client.read();
    EXPECT_TRUE(resp);
    if (!resp) co_return;
    EXPECT_EQ(resp->command_id, CommandId::submit_sm_resp);
    EXPECT_EQ(resp->command_status, CommandStatus::esme_rok);
    EXPECT_EQ(resp->sequence_number, 2u);
    EXPECT_EQ(std::get<smpp::MessageRespBody>(resp->body).message_id, "M1");
    EXPECT_EQ(rig.backend.submitted.size(), 1u);
    if (!rig.backend.submitted.empty()) {
      EXPECT_EQ(rig.backend.submitted[0].to, "+491511234567");
    }
  });
}

TEST(SmppServer, WrongPasswordIsRefusedAndTheBindCanBeRetried) {
  run_server_test(fast(), [](Rig rig) -> awaitable<void> {
    TestClient client(rig.executor);
    co_await client.connect(rig.endpoint);
    auto refusing = client.bind(CommandId::bind_transceiver, "alice", "wrong");
    const Pdu refused = co_await std::move(refusing);
    EXPECT_EQ(refused.command_status, CommandStatus::esme_rinvpaswd);
    auto binding = client.bind(CommandId::bind_transceiver, "alice", "secret", 2);
    const Pdu bound = co_await std::move(binding);
    EXPECT_EQ(bound.command_status, CommandStatus::esme_rok);
    EXPECT_EQ(bound.sequence_number, 2u);
  });
}

TEST(SmppServer, SubmitBeyondTheWindowIsThrottledAndUnbindAnswersEveryAcceptedOne) {
  run_server_test(
      fast(3),
      [](Rig rig) -> awaitable<void> {
        TestClient client(rig.executor);
        co_await client.connect_and_bind(rig.endpoint, CommandId::bind_transmitter);
        for (std::uint32_t sequence = 10; sequence < 14; ++sequence) {
          const Pdu pdu10 = submit_sm(sequence);
          co_await client.send(pdu10);
        }
        const auto throttled = co_await client.read();
        EXPECT_TRUE(throttled);
        if (!throttled) co_return;
        EXPECT_EQ(throttled->sequence_number, 13u);
        EXPECT_EQ(throttled->command_status, CommandStatus::esme_rthrottled);
        const Pdu pdu11 = make_pdu(CommandId::unbind, CommandStatus::esme_rok, 20);
        co_await client.send(pdu11);
        rig.backend.release();
        std::set<std::uint32_t> answered;
        for (int i = 0; i < 3; ++i) {
          const auto resp = co_await client.read();
          EXPECT_TRUE(resp);
          if (!resp) co_return;
          EXPECT_EQ(resp->command_id, CommandId::submit_sm_resp);
          EXPECT_EQ(resp->command_status, CommandStatus::esme_rok);
          answered.insert(resp->sequence_number);
        }
        EXPECT_EQ(answered, (std::set<std::uint32_t>{10, 11, 12}));
        const auto unbind_resp = co_await client.read();
        EXPECT_TRUE(unbind_resp);
        if (!unbind_resp) co_return;
        EXPECT_EQ(unbind_resp->command_id, CommandId::unbind_resp);
        EXPECT_EQ(unbind_resp->sequence_number, 20u);
        const auto none1 = co_await client.read();
        EXPECT_FALSE(none1);
        EXPECT_TRUE(client.closed());
        EXPECT_EQ(rig.backend.submitted.size(), 3u);
      },
      [](FakeBackend& backend) { backend.hold = true; });
}

TEST(SmppServer, BackendRefusalBecomesTheSubmitSmRespStatus) {
  run_server_test(
      fast(),
      [](Rig rig) -> awaitable<void> {
        TestClient client(rig.executor);
        co_await client.connect_and_bind(rig.endpoint, CommandId::bind_transceiver);
        const Pdu pdu12 = submit_sm(2);
        co_await client.send(pdu12);
        const auto resp = co_await client.read();
        EXPECT_TRUE(resp);
        if (resp) {
          EXPECT_EQ(resp->command_status, CommandStatus::esme_rthrottled);
        }
        // map_submit's refusal: an alphanumeric destination.
        Pdu bad = submit_sm(3, "shop");
        std::get<smpp::MessageBody>(bad.body).dest_addr_ton = 5;
        co_await client.send(bad);
        const auto refused = co_await client.read();
        EXPECT_TRUE(refused);
        if (refused) {
          EXPECT_EQ(refused->command_status, CommandStatus::esme_rinvdstadr);
        }
      },
      [](FakeBackend& backend) {
        backend.refuse = smpp::Failure{CommandStatus::esme_rthrottled, "", "per_minute limit"};
      });
}

TEST(SmppServer, DeliveriesAreSentAndTheirAnswersReported) {
  run_server_test(fast(2), [](Rig rig) -> awaitable<void> {
    for (std::int64_t id = 1; id <= 3; ++id) {
      smpp::MessageBody body;
      body.short_message = {'x'};
      rig.backend.add(smpp::Delivery{.id = id, .body = body});
    }
    TestClient client(rig.executor);
    co_await client.connect_and_bind(rig.endpoint, CommandId::bind_receiver);
    // Window 2: two deliver_sm, then nothing until one is answered.
    const auto first = co_await client.read();
    const auto second = co_await client.read();
    EXPECT_TRUE(first && second);
    if (!first || !second) co_return;
    EXPECT_EQ(first->command_id, CommandId::deliver_sm);
    const auto none2 = co_await client.read(200ms);
    EXPECT_FALSE(none2);
    const Pdu pdu14 =
        make_pdu(CommandId::deliver_sm_resp, CommandStatus::esme_rok, first->sequence_number);
    co_await client.send(pdu14);
    const auto third = co_await client.read();
    EXPECT_TRUE(third);
    if (!third) co_return;
    EXPECT_EQ(third->command_id, CommandId::deliver_sm);
    const Pdu pdu15 = make_pdu(CommandId::deliver_sm_resp, CommandStatus::esme_rx_t_appn,
                               second->sequence_number);
    co_await client.send(pdu15);
    const auto none3 = co_await client.read(100ms);
    EXPECT_FALSE(none3);
    client.close();
    asio::steady_timer pause(rig.executor, 300ms);
    co_await pause.async_wait(use_awaitable);
    EXPECT_EQ(rig.backend.delivered_ids, (std::vector<std::int64_t>{1}));
    EXPECT_EQ(
        rig.backend.refused_ids,
        (std::vector<std::pair<std::int64_t, CommandStatus>>{{2, CommandStatus::esme_rx_t_appn}}));
    EXPECT_EQ(rig.backend.released_ids, (std::vector<std::int64_t>{3}));
  });
}

TEST(SmppServer, DeliveryAddedWhileBoundArrives) {
  run_server_test(fast(), [](Rig rig) -> awaitable<void> {
    TestClient client(rig.executor);
    co_await client.connect_and_bind(rig.endpoint, CommandId::bind_transceiver);
    const auto none4 = co_await client.read(100ms);
    EXPECT_FALSE(none4);
    rig.backend.add(smpp::Delivery{.id = 9, .body = {}});
    const auto delivery = co_await client.read();
    EXPECT_TRUE(delivery);
    if (delivery) {
      EXPECT_EQ(delivery->command_id, CommandId::deliver_sm);
    }
  });
}

TEST(SmppServer, ServerSendsEnquireLinkAfterSilenceAndClosesWithoutAnswer) {
  ServerOptions options = fast();
  options.enquire_link_interval = 150ms;
  options.enquire_link_timeout = 150ms;
  run_server_test(options, [](Rig rig) -> awaitable<void> {
    TestClient client(rig.executor);
    co_await client.connect_and_bind(rig.endpoint, CommandId::bind_transmitter);
    const auto first = co_await client.read(1000ms);
    EXPECT_TRUE(first);
    if (!first) co_return;
    EXPECT_EQ(first->command_id, CommandId::enquire_link);
    const Pdu pdu16 =
        make_pdu(CommandId::enquire_link_resp, CommandStatus::esme_rok, first->sequence_number);
    co_await client.send(pdu16);
    const auto second = co_await client.read(1000ms);
    EXPECT_TRUE(second);
    if (!second) co_return;
    EXPECT_EQ(second->command_id, CommandId::enquire_link);
    const auto none5 = co_await client.read(2000ms);
    EXPECT_FALSE(none5);  // unanswered: closed
    EXPECT_TRUE(client.closed());
  });
}

TEST(SmppServer, GarbageCommandLengthIsGenericNackThenClose) {
  run_server_test(fast(), [](Rig rig) -> awaitable<void> {
    TestClient client(rig.executor);
    co_await client.connect_and_bind(rig.endpoint, CommandId::bind_transmitter);
    smpp::Bytes garbage = {0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1};
    co_await client.send_raw(std::move(garbage));
    const auto nack = co_await client.read();
    EXPECT_TRUE(nack);
    if (!nack) co_return;
    EXPECT_EQ(nack->command_id, CommandId::generic_nack);
    EXPECT_EQ(nack->command_status, CommandStatus::esme_rinvcmdlen);
    const auto none6 = co_await client.read();
    EXPECT_FALSE(none6);
    EXPECT_TRUE(client.closed());
  });
}

TEST(SmppServer, StopUnbindsBoundClientsAndReturns) {
  run_server_test(fast(), [](Rig rig) -> awaitable<void> {
    TestClient client(rig.executor);
    co_await client.connect_and_bind(rig.endpoint, CommandId::bind_transceiver);
    EXPECT_EQ(rig.server.connections(), 1u);
    rig.server.stop();
    const auto unbind = co_await client.read();
    EXPECT_TRUE(unbind);
    if (!unbind) co_return;
    EXPECT_EQ(unbind->command_id, CommandId::unbind);
    const Pdu pdu17 =
        make_pdu(CommandId::unbind_resp, CommandStatus::esme_rok, unbind->sequence_number);
    co_await client.send(pdu17);
    const auto none7 = co_await client.read();
    EXPECT_FALSE(none7);
    EXPECT_TRUE(client.closed());
  });
}

TEST(SmppServer, MaxBindsClosesTheExtraConnection) {
  ServerOptions options = fast();
  options.max_binds = 1;
  run_server_test(options, [](Rig rig) -> awaitable<void> {
    TestClient first(rig.executor);
    co_await first.connect(rig.endpoint);
    const Pdu bound8 = co_await first.bind(CommandId::bind_transmitter);
    EXPECT_EQ(bound8.command_status, CommandStatus::esme_rok);
    TestClient second(rig.executor);
    co_await second.connect(rig.endpoint);
    const auto none8 = co_await second.read();
    EXPECT_FALSE(none8);
    EXPECT_TRUE(second.closed());
  });
}

TEST(SmppServer, StopAnswersOutstandingSubmitsBeforeTheUnbind) {
  run_server_test(
      fast(),
      [](Rig rig) -> awaitable<void> {
        TestClient client(rig.executor);
        co_await client.connect_and_bind(rig.endpoint, CommandId::bind_transmitter);
        const Pdu first = submit_sm(2);
        co_await client.send(first);
        const Pdu second = submit_sm(3);
        co_await client.send(second);
        asio::steady_timer pause(rig.executor, 50ms);
        co_await pause.async_wait(use_awaitable);
        rig.server.stop();
        // A submit after the stop began is refused; the held ones are answered, then unbind.
        const Pdu late = submit_sm(4);
        co_await client.send(late);
        const auto refused = co_await client.read();
        EXPECT_TRUE(refused);
        if (!refused) co_return;
        EXPECT_EQ(refused->sequence_number, 4u);
        EXPECT_EQ(refused->command_status, CommandStatus::esme_rinvbndsts);
        rig.backend.release();
        std::set<std::uint32_t> answered;
        for (int i = 0; i < 2; ++i) {
          const auto resp = co_await client.read();
          EXPECT_TRUE(resp);
          if (!resp) co_return;
          EXPECT_EQ(resp->command_status, CommandStatus::esme_rok);
          answered.insert(resp->sequence_number);
        }
        EXPECT_EQ(answered, (std::set<std::uint32_t>{2, 3}));
        const auto unbind = co_await client.read();
        EXPECT_TRUE(unbind);
        if (!unbind) co_return;
        EXPECT_EQ(unbind->command_id, CommandId::unbind);
        // Not answered: closed after stop_grace anyway.
        const auto none = co_await client.read(2000ms);
        EXPECT_FALSE(none);
        EXPECT_TRUE(client.closed());
      },
      [](FakeBackend& backend) { backend.hold = true; });
}

TEST(SmppServer, AClientThatFloodsWithoutReadingStillGetsItsAnswersInOrder) {
  run_server_test(fast(), [](Rig rig) -> awaitable<void> {
    TestClient client(rig.executor);
    co_await client.connect_and_bind(rig.endpoint, CommandId::bind_transmitter);
    // 8 MiB of enquire_link (16 octets each) without reading a single answer: the server
    // stops reading while its answers back up (kMaxWriteBacklog) and goes on when they drain.
    smpp::Bytes flood;
    const smpp::Bytes one = {0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1};
    for (int i = 0; i < 512 * 1024; ++i) flood.insert(flood.end(), one.begin(), one.end());
    auto socket_write = client.send_raw(std::move(flood));
    asio::co_spawn(rig.executor, std::move(socket_write), asio::detached);
    asio::steady_timer pause(rig.executor, 300ms);
    co_await pause.async_wait(use_awaitable);
    // Reading now drains the answers in order: the first ones are enquire_link_resp.
    const auto first = co_await client.read();
    EXPECT_TRUE(first);
    if (first) {
      EXPECT_EQ(first->command_id, CommandId::enquire_link_resp);
    }
    client.close();
  });
}

}  // namespace
}  // namespace smsgw::smpp_server::test
