// A running Gateway as one node of a shared store (the store itself is SQLite here; the
// registry's rows are the same on both engines): it heartbeats, lists another node's modem
// with that node, refuses per-modem requests for it with "modem.on_other_node", and
// POST /api/v1/balance lists the other node's SIM as not checked.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io_loop.hpp"
#include "smsgw/gateway/gateway.hpp"
#include "smsgw/http/json.hpp"
#include "smsgw/store/store.hpp"
#include "temp_dir.hpp"

namespace smsgw::gateway {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

constexpr const char* kElsewhere =
    "modem m7 is on node site-b (http://10.0.0.2:8080): send the request there";

class GatewayNodesTest : public ::testing::Test {
 protected:
  GatewayNodesTest() {
    config_.store.url = "postgresql://unused/smsgw";  // shared: the gateway runs its registry
    config_.node.name = "site-a";
    config_.node.url = "http://10.0.0.1:8080";
    store::StoreOptions options;
    options.node = "site-a";
    auto opened = store::Store::open(dir_.path() / "smsgw.db", options);
    EXPECT_TRUE(opened.ok());
    worker_ = std::make_unique<store::StoreWorker>(io_.get_executor(), std::move(*opened));
    // site-b heartbeat a moment ago with its modem m7.
    store::NodeRecord b;
    b.name = "site-b";
    b.url = "http://10.0.0.2:8080";
    b.started_at = Clock::now() - 1h;
    b.heartbeat_at = Clock::now();
    store::NodeModemRecord m7;
    m7.node = "site-b";
    m7.modem = "m7";
    m7.snapshot_json = R"({"id":"m7","state":"ready","sent_today":4,"node":"site-b"})";
    m7.updated_at = b.heartbeat_at;
    auto beat = [b, m7](store::Store& s) {
      return s.node_heartbeat(b, std::vector<store::NodeModemRecord>{m7}, b.heartbeat_at);
    };
    EXPECT_TRUE(run(worker_->call(beat)).ok());
    gateway_ = std::make_unique<Gateway>(io_.get_executor(), config_, *worker_, operators_,
                                         scheduler::LocalCalendar::fixed_offset(0min));
    auto runner = [this]() -> awaitable<void> {
      co_await gateway_->run();
      stopped_ = true;
    };
    asio::co_spawn(io_, std::move(runner), asio::detached);  // the closure lives on
    EXPECT_TRUE(run_until(
        [&] { return gateway_->nodes() != nullptr && gateway_->nodes()->find("m7") != nullptr; }));
  }
  ~GatewayNodesTest() override {
    // The end of run() is not what these tests check (no unit test waits for a whole
    // Gateway's run(); serve's tests do): stop it and let it wind down for a moment.
    gateway_->stop();
    run_until([&] { return stopped_; }, 200ms);
  }

  template <class T>
  T run(awaitable<T> task) {
    return testing::run_task(io_, std::move(task));
  }
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
    return testing::run_until(io_, done, limit);
  }

  test_support::TempDir dir_;
  asio::io_context io_;
  config::Config config_;
  scheduler::OperatorTable operators_;
  std::unique_ptr<store::StoreWorker> worker_;
  std::unique_ptr<Gateway> gateway_;
  bool stopped_ = false;
};

TEST_F(GatewayNodesTest, HeartbeatsAndListsTheOtherNodesModemWithItsNode) {
  auto nodes = [](store::Store& s) { return s.list_nodes(); };
  auto listed = run(worker_->call(nodes));
  ASSERT_TRUE(listed.ok());
  std::set<std::string> names;
  for (const auto& n : *listed) names.insert(n.name);
  EXPECT_TRUE(names.contains("site-a"));  // this node's heartbeat

  auto modems = run(gateway_->list_modems());
  ASSERT_TRUE(modems.ok());
  ASSERT_EQ(modems->size(), 1u);  // no modem here, m7 there
  const auto item = http::json_of(modems->at(0));
  EXPECT_EQ(item.at("id"), "m7");
  EXPECT_EQ(item.at("node"), "site-b");
  EXPECT_EQ(item.at("sent_today"), 4);
}

TEST_F(GatewayNodesTest, PerModemRequestsForItAreRefusedNamingTheNode) {
  std::vector<Error> errors;
  auto ussd = run(gateway_->ussd("m7", "*100#"));
  ASSERT_FALSE(ussd.ok());
  errors.push_back(ussd.error());
  auto balance = run(gateway_->check_balance(std::string("m7")));
  ASSERT_FALSE(balance.ok());
  errors.push_back(balance.error());
  auto paused = run(gateway_->pause_modem("m7", "ops"));
  ASSERT_FALSE(paused.ok());
  errors.push_back(paused.error());
  auto resumed = run(gateway_->resume_modem("m7"));
  ASSERT_FALSE(resumed.ok());
  errors.push_back(resumed.error());
  auto reset = run(gateway_->reset_modem("m7"));
  ASSERT_FALSE(reset.ok());
  errors.push_back(reset.error());
  for (const auto& error : errors) {
    EXPECT_EQ(error.code, "modem.on_other_node");
    EXPECT_EQ(error.message, kElsewhere);
  }
  // A modem nobody has stays "not found".
  auto unknown = run(gateway_->ussd("m99", "*100#"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorCode::not_found);
}

TEST_F(GatewayNodesTest, BalanceOfAllSimsSaysWhichWereNotChecked) {
  auto balances = run(gateway_->check_balance(std::nullopt));
  ASSERT_TRUE(balances.ok());
  ASSERT_EQ(balances->size(), 1u);
  EXPECT_EQ(balances->at(0).modem, "m7");
  EXPECT_FALSE(balances->at(0).amount.has_value());
  ASSERT_TRUE(balances->at(0).error.has_value());
  EXPECT_EQ(*balances->at(0).error, std::string("not checked: ") + kElsewhere);
}

}  // namespace
}  // namespace smsgw::gateway
