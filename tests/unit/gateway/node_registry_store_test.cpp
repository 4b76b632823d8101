// NodeRegistry rounds against a real store (SQLite, one file opened by two "nodes"): the
// heartbeat stores this node's modems, the other node reads them back, a node whose lease
// passed is taken over once, and changed modems bring the next round forward.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io_loop.hpp"
#include "smsgw/gateway/node_registry.hpp"
#include "smsgw/store/store.hpp"
#include "temp_dir.hpp"

namespace smsgw::gateway {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

class NodeRegistryStore : public ::testing::Test {
 protected:
  std::unique_ptr<store::StoreWorker> open(const std::string& node) {
    store::StoreOptions options;
    options.node = node;
    auto opened = store::Store::open(dir_.path() / "smsgw.db", options);
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return std::make_unique<store::StoreWorker>(io_.get_executor(), std::move(*opened));
  }

  std::unique_ptr<NodeRegistry> registry(store::StoreWorker& worker, const std::string& name,
                                         std::vector<std::string> modems) {
    NodeRegistryOptions options;
    options.name = name;
    options.url = "http://" + name + ":8080";
    options.lease = 30s;
    options.started_at = Clock::now();
    auto rows = [this, name, modems] {
      ++renders_[name];
      std::vector<store::NodeModemRecord> out;
      for (const auto& id : modems) {
        store::NodeModemRecord row;
        row.modem = id;
        row.snapshot_json = nlohmann::json{{"id", id}, {"state", "ready"}, {"node", name}}.dump();
        out.push_back(std::move(row));
      }
      return out;
    };
    return std::make_unique<NodeRegistry>(
        io_.get_executor(), worker, std::move(options), rows,
        [this, name](const RemoteModems& remote) { seen_[name] = modem_ids(remote); },
        [this, name] { ++recoveries_[name]; });
  }

  void round(NodeRegistry& registry, Clock::time_point at) {
    bool done = false;
    auto runner = [&]() -> awaitable<void> {
      co_await registry.round(at);
      done = true;
    };
    asio::co_spawn(io_, runner(), asio::detached);
    ASSERT_TRUE(testing::run_until(
        io_, [&] { return done; }, 5s));
  }

  asio::io_context io_;
  test_support::TempDir dir_;
  std::map<std::string, std::set<std::string>> seen_;
  std::map<std::string, int> recoveries_;
  std::map<std::string, int> renders_;  // local modems rendered (each heartbeat and read)
};

TEST_F(NodeRegistryStore, EachNodeSeesTheOthersModemsAndTakesOverADeadOne) {
  auto worker_a = open("site-a");
  auto worker_b = open("site-b");
  auto a = registry(*worker_a, "site-a", {"m1", "m2"});
  auto b = registry(*worker_b, "site-b", {"m7"});
  const auto now = Clock::now();
  round(*a, now);
  round(*b, now);
  round(*a, now + 1s);
  EXPECT_EQ(seen_["site-a"], (std::set<std::string>{"m7"}));
  EXPECT_EQ(seen_["site-b"], (std::set<std::string>{"m1", "m2"}));
  ASSERT_NE(a->find("m7"), nullptr);
  EXPECT_EQ(a->find("m7")->node, "site-b");
  EXPECT_EQ(a->find("m7")->url, "http://site-b:8080");
  EXPECT_EQ(a->find("m1"), nullptr);  // its own
  EXPECT_TRUE(recoveries_.empty());

  // site-b stops beating: after its lease site-a takes it over, once.
  round(*a, now + 31s);
  EXPECT_EQ(recoveries_["site-a"], 1);
  EXPECT_TRUE(a->find("m7")->node_down);
  round(*a, now + 40s);
  EXPECT_EQ(recoveries_["site-a"], 1);

  // site-b comes back: alive again for site-a.
  round(*b, now + 41s);
  round(*a, now + 42s);
  EXPECT_FALSE(a->find("m7")->node_down);
  EXPECT_EQ(recoveries_["site-a"], 1);
}

// A modem coming into service or leaving it brings the next round forward (lease 30 s:
// rounds every 10 s otherwise; the early one comes a second after the last began).
TEST_F(NodeRegistryStore, ChangedModemsBringTheNextRoundForward) {
  auto worker = open("site-a");
  auto a = registry(*worker, "site-a", {"m1"});
  bool ended = false;
  auto runner = [&]() -> awaitable<void> {
    co_await a->run();
    ended = true;
  };
  asio::co_spawn(io_, std::move(runner), asio::detached);
  ASSERT_TRUE(testing::run_until(
      io_, [&] { return seen_.contains("site-a"); }, 5s));
  const int after_first = renders_["site-a"];
  testing::run_until(
      io_, [] { return false; }, 300ms);
  EXPECT_EQ(renders_["site-a"], after_first);  // nothing more for 10 s
  const auto asked = std::chrono::steady_clock::now();
  a->modems_changed();
  ASSERT_TRUE(testing::run_until(
      io_, [&] { return renders_["site-a"] > after_first; }, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 3s);
  a->stop();
  EXPECT_TRUE(testing::run_until(
      io_, [&] { return ended; }, 5s));
}

}  // namespace
}  // namespace smsgw::gateway
