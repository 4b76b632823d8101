// The SMPP backend wired into a real Gateway (no modems, not run): submissions take the
// gateway's own path and limits, a status change writes the receipt and wakes its client,
// a received message is routed to the SMPP clients, /metrics counts the outbox.
#include <gtest/gtest.h>

#include <stdexcept>

#include "io_loop.hpp"
#include "smsgw/gateway/gateway.hpp"
#include "temp_dir.hpp"

namespace smsgw::gateway {
namespace {

using namespace std::chrono_literals;
using smpp::CommandStatus;

config::ClientConfig smpp_client(std::string name, std::string system_id) {
  config::ClientConfig c;
  c.name = std::move(name);
  c.system_id = std::move(system_id);
  c.password = "pw";
  return c;
}

class GatewaySmppTest : public ::testing::Test {
 protected:
  GatewaySmppTest() {
    config_.routing.default_country_code = "49";
    config_.smpp.listen = "127.0.0.1:2775";
    config_.smpp.listen_host = "127.0.0.1";
    auto shop = smpp_client("shop", "shop1");
    shop.limits.per_minute = 3;
    config_.clients = {shop, smpp_client("ops", "ops1")};
    config_.clients[1].inbound = std::vector<std::string>{"modem7"};
    auto opened = store::Store::open(dir_.path() / "smsgw.db");
    EXPECT_TRUE(opened.ok());
    worker_ = std::make_unique<store::StoreWorker>(io_.get_executor(), std::move(*opened));
    gateway_ = std::make_unique<Gateway>(io_.get_executor(), config_, *worker_, operators_,
                                         scheduler::LocalCalendar::fixed_offset(0min));
  }
  ~GatewaySmppTest() override {
    gateway_->stop();
    run_until([] { return false; }, 20ms);
  }

  template <class T>
  T run(awaitable<T> task) {
    return testing::run_task(io_, std::move(task));
  }
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
    return testing::run_until(io_, done, limit);
  }

  smpp::Account account(const std::string& client) {
    auto bound = gateway_->smpp_backend().authenticate(
        smpp::BindRequest{client + "1", "pw", smpp::BindMode::transceiver, "127.0.0.1:1"});
    EXPECT_TRUE(bound.ok());
    return bound.ok() ? *bound : smpp::Account{};
  }
  static smpp::SubmitSpec spec(std::string to, std::uint8_t rd = 1) {
    smpp::SubmitSpec s;
    s.to = std::move(to);
    s.text = "hello";
    s.registered_delivery = rd;
    s.source_addr = "SHOP";
    s.dest_addr = "4915112345678";
    s.dest_ton = 1;
    return s;
  }

  test_support::TempDir dir_;
  asio::io_context io_;
  config::Config config_;
  scheduler::OperatorTable operators_;
  std::unique_ptr<store::StoreWorker> worker_;
  std::unique_ptr<Gateway> gateway_;
};

TEST_F(GatewaySmppTest, SubmitTakesTheGatewaysPathAndACancelWritesAWakingReceipt) {
  auto& backend = gateway_->smpp_backend();
  auto id = run(backend.submit(account("shop"), spec("015112345678")));
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto stored = run(gateway_->get_message(*id));
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->to, "+4915112345678");
  EXPECT_EQ(stored->client, "shop");

  bool woke = false;
  auto waiter = [&]() -> awaitable<void> {
    co_await backend.wait_for_deliveries("shop", 10s);
    woke = true;
  };
  EXPECT_TRUE(run(backend.claim_deliveries("shop", 10)).empty());
  asio::co_spawn(io_, waiter(), asio::detached);
  run_until([] { return false; }, 20ms);
  ASSERT_TRUE(run(gateway_->cancel_message(*id)).ok());
  EXPECT_TRUE(run_until([&] { return woke; }, 1s));
  auto receipts = run(backend.claim_deliveries("shop", 10));
  ASSERT_EQ(receipts.size(), 1u);
  const std::string text(receipts[0].body.short_message.begin(),
                         receipts[0].body.short_message.end());
  EXPECT_NE(text.find("stat:DELETED"), std::string::npos) << text;
  auto metrics = run(gateway_->metrics());
  ASSERT_TRUE(metrics.ok());
  EXPECT_EQ(metrics->smpp_outbox_pending, 1u);
}

TEST_F(GatewaySmppTest, AClientsLimitsThrottleAndBadNumbersAreRefused) {
  auto& backend = gateway_->smpp_backend();
  EXPECT_EQ(run(backend.submit(account("shop"), spec("12"))).error().status,
            CommandStatus::esme_rinvdstadr);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(run(backend.submit(account("shop"), spec("+4915112345678"))).ok());
  }
  EXPECT_EQ(run(backend.submit(account("shop"), spec("+4915112345678"))).error().status,
            CommandStatus::esme_rthrottled);
  auto part = spec("+4915112345678");
  part.part = smpp::ClientPart{1, 2, 1};
  EXPECT_EQ(run(backend.submit(account("shop"), part)).error().status,
            CommandStatus::esme_rthrottled);
  EXPECT_TRUE(run(backend.submit(account("ops"), part)).ok());  // another client's limits
}

TEST_F(GatewaySmppTest, ClientSplitPartsBecomeOneQueuedMessage) {
  auto& backend = gateway_->smpp_backend();
  auto first = spec("+4915112345678");
  first.text = "Hello ";
  first.part = smpp::ClientPart{5, 2, 1};
  auto second = spec("+4915112345678", 0);
  second.text = "world";
  second.part = smpp::ClientPart{5, 2, 2};
  auto a = run(backend.submit(account("ops"), first));
  auto b = run(backend.submit(account("ops"), second));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  auto stored = run(gateway_->get_message(*a));
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->text, "Hello world");
  EXPECT_EQ(stored->status, "queued");
}

TEST_F(GatewaySmppTest, InboundMessagesAreRoutedByTheClientsRules) {
  auto& backend = gateway_->smpp_backend();
  for (const std::string modem : {"modem1", "modem7"}) {
    modem::InboundSms sms;
    sms.modem_id = modem;
    sms.deliver.from.text = "+4917099999999";
    sms.deliver.user_data.text = "from " + modem;
    sms.pdu_hex = "07" + modem;
    ASSERT_TRUE(run(gateway_->on_inbound(sms)));
  }
  EXPECT_EQ(run(backend.claim_deliveries("shop", 10)).size(), 2u);  // no rule: everything
  auto ops = run(backend.claim_deliveries("ops", 10));
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(std::string(ops[0].body.short_message.begin(), ops[0].body.short_message.end()),
            "from modem7");
}

}  // namespace
}  // namespace smsgw::gateway
