// Several nodes, one queue (issue 14): `smsgw serve` processes on one PostgreSQL database,
// each with its own simulated modems. Every message submitted to any node is sent once,
// by a node whose SIM may carry it; a node killed is taken over after its lease; the
// database restarted under load loses nothing acknowledged.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "node_cluster.hpp"

namespace smsgw::nodes_test {
namespace {

class NodesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!harness::postgres_installed()) GTEST_SKIP() << harness::postgres_missing_reason();
  }
};

// Final statuses of `ids`, read from `node`'s API (any node answers for every message).
std::map<std::string, int> wait_final(harness::ServeHarness& node,
                                      const std::vector<std::string>& ids,
                                      const std::set<std::string>& finals,
                                      std::chrono::milliseconds timeout) {
  std::map<std::string, int> statuses;
  for (const auto& id : ids) {
    json message;
    try {
      message = node.wait_status(id, finals, timeout);
    } catch (const std::exception&) {
      message = node.message(id);
    }
    ++statuses[message.value("status", "")];
  }
  return statuses;
}

// Polls until none of `ids` is queued or sending and their statuses have not changed for
// `quiet` (a `sent` message whose status report went to a dead node's SIM stays `sent`);
// returns how many are in each status.
std::map<std::string, int> wait_settled(harness::ServeHarness& node,
                                        const std::vector<std::string>& ids,
                                        std::chrono::milliseconds timeout,
                                        std::chrono::milliseconds quiet = 3s) {
  std::map<std::string, int> last;
  auto changed_at = std::chrono::steady_clock::now();
  const auto deadline = changed_at + timeout;
  for (;;) {
    std::map<std::string, int> counts;
    for (const auto& id : ids) ++counts[node.message(id).value("status", "")];
    const auto now = std::chrono::steady_clock::now();
    if (counts != last) {
      last = counts;
      changed_at = now;
    }
    const bool moving = counts.count("queued") + counts.count("sending") > 0;
    if ((!moving && now - changed_at >= quiet) || now > deadline) return counts;
    std::this_thread::sleep_for(200ms);
  }
}

// Every node's log lines that name `text` (a message id), for a failure's message.
std::string log_lines_naming(const NodeCluster& cluster, const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < cluster.size(); ++i) {
    std::istringstream log(cluster.node(i).gateway_log());
    for (std::string line; std::getline(log, line);) {
      if (line.find(text) != std::string::npos) out += cluster.name(i) + ": " + line + "\n";
    }
  }
  return out;
}

std::string describe(const std::map<std::string, int>& counts) {
  std::string out;
  for (const auto& [key, n] : counts) out += key + "=" + std::to_string(n) + " ";
  return out;
}

TEST_F(NodesTest, MessageForAnOperatorOfAnotherNodeLeavesThere) {
  NodeCluster cluster;
  auto& a = cluster.add({.name = "site-a", .mccmnc = {"26201"}});  // Telekom
  auto& b = cluster.add({.name = "site-b", .mccmnc = {"26202"}});  // Vodafone
  for (std::size_t i = 0; i < 2; ++i) {
    cluster.node(i).config().tables["routing"]["fallback"] = harness::toml_string("none");
  }
  cluster.start_all();

  // Submitted on site-a, for a Vodafone number: only site-b has a Vodafone SIM.
  const std::string to = number("+49152", 1);
  const auto id = a.submit_ok(to, "to the other node");
  const auto message = a.wait_status(id, {"delivered"}, 20s);
  EXPECT_EQ(message.value("modem", ""), "site-b-m0");
  EXPECT_TRUE(a.sim().sent().empty());
  EXPECT_EQ(cluster.sent_to(to).size(), 1u);
  // Either node answers for it.
  EXPECT_EQ(b.message(id).value("status", ""), "delivered");

  // Every node lists the modems of every node, each with its node.
  for (auto* node : {&a, &b}) {
    std::map<std::string, std::string> node_of;
    for (const auto& modem : node->modems()) {
      node_of[modem.value("id", "")] = modem.value("node", "");
    }
    EXPECT_EQ(node_of["site-a-m0"], "site-a");
    EXPECT_EQ(node_of["site-b-m0"], "site-b");
  }

  // A modem of another node: refused with the node named, not run here.
  const auto ussd = a.client().post("/api/v1/modems/site-b-m0/ussd", json{{"code", "*100#"}});
  EXPECT_EQ(ussd.status, 409) << ussd.body;
  EXPECT_NE(ussd.body.find("site-b"), std::string::npos) << ussd.body;
  const auto pause = a.client().post("/api/v1/modems/site-b-m0/pause", json::object());
  EXPECT_EQ(pause.status, 409) << pause.body;
}

// Two hosts whose ports have the same names give two modems one id. Both nodes see the
// conflict and log it; site-b (its name sorts after site-a's) sends nothing through its m0
// and lists it paused "id_conflict", site-a keeps sending through its own.
TEST_F(NodesTest, AModemIdOfTwoNodesIsKeptByOneAndTheOtherSaysWhy) {
  NodeCluster cluster;
  auto& a = cluster.add({.name = "site-a", .mccmnc = {"26201"}});
  auto& b = cluster.add({.name = "site-b",
                         .mccmnc = {"26201"},
                         .sim_defaults = {{"imei", "356938035643809"}}});  // another modem
  for (std::size_t i = 0; i < 2; ++i) {
    cluster.node(i).config().modems.at(0)["id"] = harness::toml_string("m0");
  }
  cluster.start_all();

  // Why the node's own m0 takes no message, as its modems list says ("none": it sends).
  const auto paused_here = [](const harness::ServeHarness& node, const std::string& name) {
    for (const auto& modem : node.modems()) {
      if (modem.value("node", "") != name) continue;
      const auto paused = modem.value("paused", nlohmann::json());
      return paused.is_string() ? paused.get<std::string>() : std::string("none");
    }
    return std::string("missing");
  };
  harness::wait_until([&] { return paused_here(b, "site-b") == "id_conflict"; }, 10s,
                      "site-b pauses its m0 for the id conflict");
  EXPECT_EQ(paused_here(a, "site-a"), "none");
  const std::string line = "modem id m0 is also node site-a's (IMEI ";
  EXPECT_NE(b.gateway_log().find(line), std::string::npos) << b.gateway_log_tail();
  harness::wait_until(
      [&] {
        return a.gateway_log().find("modem id m0 is also node site-b's") != std::string::npos;
      },
      10s, "site-a logs the conflict");

  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(b.submit_ok(number("+49151", 500 + i), "id conflict"));
  // Pinned to "m0": the m0 that keeps the id carries it.
  ids.push_back(b.submit_ok(number("+49151", 510), "pinned", {{"modem", "m0"}}));
  for (const auto& id : ids) (void)a.wait_status(id, {"delivered"}, 20s);
  EXPECT_EQ(a.sim().sent().size(), 5u);
  EXPECT_TRUE(b.sim().sent().empty());
}

TEST_F(NodesTest, ThreeNodesShareOneQueueAndSendEachMessageOnce) {
  NodeCluster cluster;
  for (const char* name : {"n1", "n2", "n3"})
    cluster.add({.name = name, .mccmnc = {"26201", "26202"}});
  cluster.start_all();

  std::vector<std::string> ids;
  std::vector<std::string> recipients;
  for (int i = 0; i < 90; ++i) {
    recipients.push_back(number(i % 2 == 0 ? "+49151" : "+49152", 100 + i));
    ids.push_back(
        cluster.node(static_cast<std::size_t>(i) % 3).submit_ok(recipients.back(), "shared queue"));
  }
  const auto statuses = wait_final(cluster.node(0), ids, {"delivered"}, 60s);
  EXPECT_EQ(statuses.at("delivered"), 90) << describe(statuses);
  const auto counts = cluster.sent_counts();
  for (const auto& to : recipients) EXPECT_EQ(counts.count(to) ? counts.at(to) : 0, 1) << to;
  // The work was shared: every node's modems sent some.
  for (std::size_t i = 0; i < 3; ++i) EXPECT_GT(cluster.node(i).sim().sent().size(), 0u) << i;
}

TEST_F(NodesTest, KilledNodesMessagesAreTakenOverAndNothingIsSentTwice) {
  NodeCluster cluster;
  const json slow = {{"send_latency_ms", 150}, {"status_report_latency_ms", 200}};
  auto& a = cluster.add({.name = "site-a", .mccmnc = {"26201", "26202"}, .sim_defaults = slow});
  auto& b = cluster.add({.name = "site-b", .mccmnc = {"26201", "26202"}, .sim_defaults = slow});
  cluster.start_all();

  std::vector<std::string> ids;
  std::vector<std::string> recipients;
  for (int i = 0; i < 120; ++i) {
    recipients.push_back(number(i % 2 == 0 ? "+49151" : "+49152", 300 + i));
    auto& node = i % 2 == 0 ? a : b;
    ids.push_back(node.submit_ok(recipients.back(), "under load"));
  }
  // site-b dies while both nodes work through the backlog.
  std::this_thread::sleep_for(600ms);
  b.kill_gateway();

  // site-a takes over after site-b's lease (3 s): everything queued is sent by site-a;
  // what site-b had in flight is `unknown` (only site-b's SIM can hear its report).
  const auto statuses = wait_settled(a, ids, 60s);
  EXPECT_EQ(statuses.count("queued"), 0u) << describe(statuses);
  EXPECT_EQ(statuses.count("sending"), 0u) << describe(statuses);
  EXPECT_LE(statuses.count("unknown") ? statuses.at("unknown") : 0, 2) << describe(statuses);
  const auto counts = cluster.sent_counts();
  int sent_once = 0;
  for (const auto& to : recipients) {
    const int n = counts.count(to) ? counts.at(to) : 0;
    EXPECT_LE(n, 1) << to << " sent " << n << " times";
    sent_once += n == 1;
  }
  // Every delivered or sent message left exactly once; an unknown one at most once.
  auto count_of = [&](const char* status) {
    return statuses.count(status) ? statuses.at(status) : 0;
  };
  EXPECT_EQ(count_of("delivered") + count_of("sent") + count_of("unknown"), 120)
      << describe(statuses);
  EXPECT_GE(sent_once, count_of("delivered") + count_of("sent"));
  EXPECT_NE(a.gateway_log().find("site-b"), std::string::npos);

  // site-b comes back: it heartbeats again, carries messages again, and settles its own.
  b.start_gateway(4, 30s);
  const std::string to = number("+49152", 999);
  const auto id = b.submit_ok(to, "after the restart");
  EXPECT_EQ(b.wait_status(id, {"delivered"}, 20s).value("status", ""), "delivered");
  // Its SIMs kept the status reports that came while it was down: read at its start, they
  // settle its `unknown` parts and finish its `sent` ones.
  const auto after = wait_settled(a, ids, 30s);
  EXPECT_EQ(after.count("delivered") ? after.at("delivered") : 0, 120) << describe(after);
  std::printf(
      "[ figures ] kill -9 of one of two nodes, 120 messages: %s; sent once %d; "
      "after site-b came back: %s\n",
      describe(statuses).c_str(), sent_once, describe(after).c_str());
}

TEST_F(NodesTest, RestartedNodeFinishesItsSendsAndServesAgain) {
  NodeCluster cluster;
  auto& a = cluster.add({.name = "site-a", .mccmnc = {"26201"}});
  auto& b = cluster.add({.name = "site-b", .mccmnc = {"26201"}});
  cluster.start_all();
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(b.submit_ok(number("+49151", 500 + i), "restart"));
  EXPECT_EQ(b.stop_gateway(), 0) << b.gateway_log_tail();
  // While site-b is down, its messages still leave through site-a.
  for (int i = 20; i < 30; ++i) ids.push_back(a.submit_ok(number("+49151", 500 + i), "restart"));
  b.start_gateway(2, 30s);
  for (int i = 30; i < 40; ++i) ids.push_back(b.submit_ok(number("+49151", 500 + i), "restart"));
  const auto statuses = wait_final(a, ids, {"delivered"}, 60s);
  EXPECT_EQ(statuses.at("delivered"), 40) << describe(statuses);
  for (const auto& [to, n] : cluster.sent_counts()) EXPECT_EQ(n, 1) << to;
}

TEST_F(NodesTest, DatabaseRestartUnderLoadLosesNothingAcknowledged) {
  NodeCluster cluster;
  auto& a = cluster.add({.name = "site-a", .mccmnc = {"26201", "26202"}});
  cluster.add({.name = "site-b", .mccmnc = {"26201", "26202"}});
  cluster.start_all();

  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> accepted;  // (id, recipient)
  std::map<int, int> answers;
  std::atomic<bool> stop{false};
  auto load = [&](std::size_t node, int first) {
    const auto client = cluster.node(node).client();
    for (int i = first; !stop; i += 2) {
      const std::string to = number(i % 4 < 2 ? "+49151" : "+49152", 1000 + i);
      const auto response =
          client.post("/api/v1/messages", json{{"to", to}, {"text", "db restart"}});
      std::lock_guard lock(mutex);
      ++answers[response.status];
      if (response.status == 202) accepted.emplace_back(response.json().value("id", ""), to);
      if (response.status != 202) std::this_thread::sleep_for(50ms);
    }
  };
  std::thread load_a(load, 0, 0);
  std::thread load_b(load, 1, 1);
  std::this_thread::sleep_for(1500ms);
  const int code = cluster.database().stop();
  std::this_thread::sleep_for(1500ms);
  cluster.database().start();
  std::this_thread::sleep_for(1500ms);
  stop = true;
  load_a.join();
  load_b.join();
  EXPECT_EQ(code, 0);
  EXPECT_GT(answers[202], 20);
  EXPECT_GT(answers[503], 0) << "no submission met the database down";
  for (const auto& [status, n] : answers) EXPECT_TRUE(status == 202 || status == 503) << status;

  std::vector<std::string> ids;
  for (const auto& [id, to] : accepted) ids.push_back(id);
  const auto statuses = wait_final(a, ids, {"delivered"}, 90s);
  EXPECT_EQ(statuses.at("delivered"), static_cast<int>(ids.size())) << describe(statuses);
  const auto counts = cluster.sent_counts();
  for (const auto& [id, to] : accepted) {
    EXPECT_EQ(counts.count(to) ? counts.at(to) : 0, 1) << to << " (" << id << ")\n"
                                                       << a.message(id).dump() << "\n"
                                                       << log_lines_naming(cluster, id);
  }
  std::printf(
      "[ figures ] database down 1.5 s under load: %d accepted, %d answered 503; "
      "delivered %d\n",
      answers[202], answers[503], statuses.count("delivered") ? statuses.at("delivered") : 0);
}

}  // namespace
}  // namespace smsgw::nodes_test
