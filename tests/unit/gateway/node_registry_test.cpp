// NodeRegistry's pure parts: the heartbeat interval, the other nodes' modems from the
// registry's rows, this node's share of the queue, modem id conflicts, and the 409 for a
// request about another node's modem.
#include "smsgw/gateway/node_registry.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace smsgw::gateway {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

store::NodeRecord node(std::string name, std::string url, TimePoint heartbeat_at,
                       std::chrono::milliseconds lease = 30s) {
  store::NodeRecord record;
  record.name = std::move(name);
  record.url = std::move(url);
  record.started_at = heartbeat_at - 1h;
  record.heartbeat_at = heartbeat_at;
  record.lease = lease;
  return record;
}

store::NodeModemRecord modem_row(std::string node_name, std::string id, std::string state) {
  store::NodeModemRecord row;
  row.node = std::move(node_name);
  row.modem = id;
  row.snapshot_json = nlohmann::json{{"id", id}, {"state", state}, {"sent_today", 3}}.dump();
  return row;
}

TEST(NodeRegistry, HeartbeatsGoEveryThirdOfTheLease) {
  EXPECT_EQ(heartbeat_interval(30s), 10s);
  EXPECT_EQ(heartbeat_interval(3s), 1s);
  EXPECT_EQ(heartbeat_interval(3001ms), 1000ms);
}

TEST(NodeRegistry, RemoteViewHoldsTheOtherNodesModemsAsStored) {
  const auto now = Clock::now();
  const std::vector<store::NodeRecord> nodes{node("site-a", "http://10.0.0.1:8080", now),
                                             node("site-b", "http://10.0.0.2:8080", now - 5s)};
  const std::vector<store::NodeModemRecord> modems{modem_row("site-a", "m1", "ready"),
                                                   modem_row("site-b", "m7", "sending"),
                                                   modem_row("site-c", "m9", "ready")};
  const auto view = remote_view("site-a", nodes, modems, now);
  ASSERT_EQ(view.size(), 1u);  // its own modem and a node without a row are left out
  const auto& m7 = view.at("m7");
  EXPECT_EQ(m7.node, "site-b");
  EXPECT_EQ(m7.url, "http://10.0.0.2:8080");
  EXPECT_FALSE(m7.node_down);
  EXPECT_EQ(m7.snapshot_json, modems[1].snapshot_json);
  EXPECT_EQ(modem_ids(view), std::set<std::string>{"m7"});
}

TEST(NodeRegistry, ADeadNodesModemsShowAbsent) {
  const auto now = Clock::now();
  const std::vector<store::NodeRecord> nodes{node("site-b", "http://b:8080", now - 31s, 30s)};
  const std::vector<store::NodeModemRecord> modems{modem_row("site-b", "m7", "ready")};
  const auto view = remote_view("site-a", nodes, modems, now);
  ASSERT_EQ(view.size(), 1u);
  EXPECT_TRUE(view.at("m7").node_down);
  const auto item = nlohmann::json::parse(view.at("m7").snapshot_json);
  EXPECT_EQ(item.at("state"), "absent");
  EXPECT_EQ(item.at("sent_today"), 3);  // the rest as stored

  // A snapshot that does not parse still names its modem.
  auto broken = modems;
  broken[0].snapshot_json = "{not json";
  const auto fallback =
      nlohmann::json::parse(remote_view("site-a", nodes, broken, now).at("m7").snapshot_json);
  EXPECT_EQ(fallback.at("id"), "m7");
  EXPECT_EQ(fallback.at("state"), "absent");
}

TEST(NodeRegistry, TheQueueIsSharedAmongTheNodesWhoseLeaseHoldsByTheirSims) {
  const auto now = Clock::now();
  const std::vector<store::NodeRecord> nodes{node("site-a", "", now - 1s),
                                             node("site-b", "", now - 40s),  // lease passed
                                             node("site-c", "", now)};
  // site-a: two SIMs that can take messages (one ready, one sending), one paused, one
  // absent; site-b's do not count (its lease passed); site-c: one ready.
  auto paused = modem_row("site-a", "a3", "ready");
  paused.snapshot_json = R"({"id":"a3","state":"ready","paused":"manual"})";
  const std::vector<store::NodeModemRecord> modems{modem_row("site-a", "a1", "ready"),
                                                   modem_row("site-a", "a2", "sending"),
                                                   paused,
                                                   modem_row("site-a", "a4", "absent"),
                                                   modem_row("site-b", "b1", "ready"),
                                                   modem_row("site-c", "c1", "ready")};
  const auto share = queue_share("site-c", nodes, modems, now);
  EXPECT_EQ(share.from, 2u);
  EXPECT_EQ(share.to, 3u);
  EXPECT_EQ(share.total, 3u);
  // A node whose own row is not stored yet counts itself, with nothing to carry.
  const auto fresh = queue_share("site-0", nodes, modems, now);
  EXPECT_EQ(fresh.to - fresh.from, 0u);
  EXPECT_EQ(fresh.total, 3u);
  // With no SIM reported anywhere, every live node weighs one.
  const auto none = queue_share("site-c", nodes, {}, now);
  EXPECT_EQ(none.from, 1u);
  EXPECT_EQ(none.total, 2u);
}

store::NodeModemRecord modem_with_imei(std::string node_name, std::string id, std::string imei) {
  auto row = modem_row(std::move(node_name), std::move(id), "ready");
  auto item = nlohmann::json::parse(row.snapshot_json);
  if (!imei.empty()) item["imei"] = imei;
  row.snapshot_json = item.dump();
  return row;
}

// Same id, another IMEI, on a live node: a conflict, and the node whose name sorts first
// keeps the id. The same IMEI is one modem moved; an unknown IMEI or a dead node is none.
TEST(NodeRegistry, AModemIdOfAnotherLiveNodesOtherModemIsAConflict) {
  const auto now = Clock::now();
  const std::vector<store::NodeRecord> nodes{node("site-a", "", now), node("site-b", "", now),
                                             node("site-c", "", now - 31s, 30s)};
  const std::vector<store::NodeModemRecord> rows{
      modem_with_imei("site-a", "ttyUSB0", "350000000000001"),
      modem_with_imei("site-a", "ttyUSB1", "350000000000002"),
      modem_with_imei("site-a", "ttyUSB2", ""),
      modem_with_imei("site-b", "ttyUSB0", "350000000000009"),  // another modem
      modem_with_imei("site-b", "ttyUSB1", "350000000000002"),  // moved: the same modem
      modem_with_imei("site-b", "ttyUSB2", "350000000000007"),  // site-a's not identified yet
      modem_with_imei("site-b", "ttyUSB3", "350000000000003"),
      modem_with_imei("site-c", "ttyUSB3", "350000000000008")};  // its node is down
  const auto seen_by_b = modem_id_conflicts("site-b", nodes, rows, now);
  ASSERT_EQ(seen_by_b.size(), 1u);
  EXPECT_EQ(seen_by_b[0], (ModemIdConflict{"ttyUSB0", "site-a", "350000000000009",
                                           "350000000000001", /*yields=*/true}));
  EXPECT_EQ(describe_conflict(seen_by_b[0]),
            "modem id ttyUSB0 is also node site-a's (IMEI 350000000000001; ours has IMEI "
            "350000000000009): modem ids must be unique across nodes (set [[modem]] id, or "
            "[[modem]] id_prefix for a glob); this node sends nothing through it until then");

  const auto seen_by_a = modem_id_conflicts("site-a", nodes, rows, now);
  ASSERT_EQ(seen_by_a.size(), 1u);
  EXPECT_FALSE(seen_by_a[0].yields);  // site-a sorts first: it keeps ttyUSB0
  EXPECT_EQ(seen_by_a[0].node, "site-b");
  EXPECT_TRUE(describe_conflict(seen_by_a[0])
                  .ends_with("; node site-b sends nothing through its own until then"));

  // Three nodes with one id: only the first keeps it, whichever pair is looked at.
  const std::vector<store::NodeRecord> three{node("n1", "", now), node("n2", "", now),
                                             node("n3", "", now)};
  const std::vector<store::NodeModemRecord> all{modem_with_imei("n1", "m", "1"),
                                                modem_with_imei("n2", "m", "2"),
                                                modem_with_imei("n3", "m", "3")};
  const auto seen_by_n3 = modem_id_conflicts("n3", three, all, now);
  ASSERT_EQ(seen_by_n3.size(), 2u);
  EXPECT_TRUE(seen_by_n3[0].yields && seen_by_n3[1].yields);
  const auto seen_by_n2 = modem_id_conflicts("n2", three, all, now);
  ASSERT_EQ(seen_by_n2.size(), 2u);
  EXPECT_TRUE(seen_by_n2[0].yields && seen_by_n2[1].yields);  // n1 keeps it from n2 too
  const auto seen_by_n1 = modem_id_conflicts("n1", three, all, now);
  EXPECT_FALSE(seen_by_n1.at(0).yields || seen_by_n1.at(1).yields);
}

TEST(NodeRegistry, OnOtherNodeNamesTheNodeAndWhereToAsk) {
  RemoteModem where;
  where.node = "site-b";
  where.url = "http://10.0.0.2:8080";
  const auto error = on_other_node("m7", where);
  EXPECT_EQ(error.code, "modem.on_other_node");
  EXPECT_EQ(error.message,
            "modem m7 is on node site-b (http://10.0.0.2:8080): send the request there");
  where.node_down = true;
  EXPECT_NE(on_other_node("m7", where).message.find("not answering its heartbeat"),
            std::string::npos);
}

TEST(NodeRegistry, TakeOverIsDescribedInOneLine) {
  store::RecoveryReport report;
  report.requeued = {"a", "b"};
  report.unknown = {"c"};
  const auto line = describe_take_over("site-b", report);
  EXPECT_NE(line.find("node site-b"), std::string::npos);
  EXPECT_NE(line.find("2 message(s) queued again"), std::string::npos);
  EXPECT_NE(line.find("1 left unknown"), std::string::npos);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace smsgw::gateway
