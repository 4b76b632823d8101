// Submit -> queued -> sent -> delivered through the real gateway and the simulated modems;
// a long message leaves as several parts through one modem, back to back.
#include <gtest/gtest.h>

#include <thread>

#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

TEST(ServeDelivery, SubmitIsQueuedThenSentThenDelivered) {
  Gateway gw;
  const std::string to = "+491511000001";
  const auto response = gw.submit(to, "hello from the test");
  ASSERT_EQ(response.status, 202) << response.describe();
  const auto accepted = response.json();
  ASSERT_TRUE(accepted.is_object()) << response.body;
  EXPECT_EQ(accepted.value("status", ""), "queued");
  EXPECT_EQ(accepted.value("parts", 0), 1);
  EXPECT_EQ(accepted.value("encoding", ""), "gsm7");
  const std::string id = accepted.at("id");
  EXPECT_EQ(response.header("Location"), "/api/v1/messages/" + id);

  const auto message = gw.wait_status(id, {"delivered", "failed", "expired"});
  ASSERT_EQ(message.value("status", ""), "delivered") << message.dump();
  EXPECT_EQ(message.value("to", ""), to);
  EXPECT_EQ(message.value("text", ""), "hello from the test");
  EXPECT_EQ(message.value("operator", ""), "Telekom");
  EXPECT_EQ(message.value("modem", ""), "modem0");  // the only Telekom SIM
  EXPECT_EQ(message.value("attempts", 0), 1);
  EXPECT_TRUE(message.at("sent_at").is_string());
  EXPECT_TRUE(message.at("delivered_at").is_string());
  EXPECT_TRUE(message.at("error").is_null());
  ASSERT_EQ(message.at("parts").size(), 1u);
  const auto& part = message.at("parts").at(0);
  EXPECT_EQ(part.value("status", ""), "delivered");
  EXPECT_EQ(part.value("modem", ""), "modem0");
  EXPECT_TRUE(part.at("mr").is_number_integer());
  EXPECT_TRUE(part.at("sent_at").is_string());
  EXPECT_TRUE(part.at("delivered_at").is_string());

  std::vector<std::string> kinds;
  for (const auto& event : message.at("events")) kinds.push_back(event.value("kind", ""));
  for (const char* kind : {"queued", "part_sending", "part_sent", "sent", "report", "delivered"}) {
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), kind), kinds.end())
        << "no event " << kind << " in " << message.at("events").dump();
  }

  const auto sent = sent_to(gw.sim(), to);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].value("text", ""), "hello from the test");
  EXPECT_EQ(sent[0].value("modem", -1), 0);
  EXPECT_EQ(sent[0].value("mr", -1), part.value("mr", -2));
  EXPECT_TRUE(sent[0].value("srr", false));  // status_report defaults to true
}

TEST(ServeDelivery, ListShowsTheMessageWithItsStatus) {
  Gateway gw;
  const auto id = gw.submit_ok("+491521000002", "listed");
  gw.wait_status(id, {"delivered"});
  const auto response = gw.client().get("/api/v1/messages?status=delivered&limit=10");
  ASSERT_EQ(response.status, 200) << response.describe();
  const auto page = response.json();
  ASSERT_EQ(page.at("messages").size(), 1u) << response.body;
  EXPECT_EQ(page.at("messages").at(0).value("id", ""), id);
  EXPECT_EQ(page.at("messages").at(0).value("operator", ""), "Vodafone");
  EXPECT_EQ(page.at("messages").at(0).value("modem", ""), "modem1");
  const auto queued = gw.client().get("/api/v1/messages?status=queued").json();
  EXPECT_TRUE(queued.at("messages").empty()) << queued.dump();
}

TEST(ServeDelivery, LongMessageLeavesThroughOneModemPartsBackToBack) {
  // Four Telekom SIMs, so the parts could spread if the gateway let them.
  harness::HarnessOptions options;
  options.sim.modems = 4;
  options.sim.mccmnc = {"26201", "26201", "26201", "26201"};
  Gateway gw(options);

  std::string long_text;
  for (int i = 0; long_text.size() < 400; ++i)
    long_text += "part of a long text " + std::to_string(i) + ". ";
  std::vector<std::string> ids;
  std::vector<std::string> numbers;
  for (int i = 0; i < 4; ++i) {
    numbers.push_back(number("+49151", 100 + i));
    const auto response = gw.submit(numbers.back(), long_text);
    ASSERT_EQ(response.status, 202) << response.describe();
    EXPECT_EQ(response.json().value("parts", 0), 3);
    ids.push_back(response.json().at("id"));
  }
  for (const auto& id : ids) {
    const auto message = gw.wait_status(id, {"delivered", "failed"});
    ASSERT_EQ(message.value("status", ""), "delivered") << message.dump();
    ASSERT_EQ(message.at("parts").size(), 3u);
    for (const auto& part : message.at("parts")) {
      EXPECT_EQ(part.value("modem", ""), message.value("modem", "")) << message.dump();
      EXPECT_EQ(part.value("status", ""), "delivered");
    }
  }

  const auto all = gw.sim().sent();
  for (const auto& to : numbers) {
    const auto sent = sent_to(gw.sim(), to);
    ASSERT_EQ(sent.size(), 3u) << to;
    const int modem = sent[0].at("modem");
    std::string reassembled;
    for (std::size_t k = 0; k < sent.size(); ++k) {
      EXPECT_EQ(sent[k].at("modem").get<int>(), modem)
          << "parts of " << to << " left through two modems";
      EXPECT_EQ(sent[k].at("concat").at("part").get<int>(), static_cast<int>(k + 1));
      EXPECT_EQ(sent[k].at("concat").at("total").get<int>(), 3);
      EXPECT_EQ(sent[k].at("concat").at("ref"), sent[0].at("concat").at("ref"));
      reassembled += sent[k].value("text", "");
    }
    EXPECT_EQ(reassembled, long_text);
    // Back to back: on that modem nothing else was sent between the first and last part.
    std::vector<std::string> on_modem;
    for (const auto& record : all) {
      if (record.at("modem").get<int>() == modem) on_modem.push_back(record.value("to", ""));
    }
    const auto first = std::find(on_modem.begin(), on_modem.end(), to);
    ASSERT_NE(first, on_modem.end());
    ASSERT_LE(std::distance(first, on_modem.end()), static_cast<long>(on_modem.size()));
    ASSERT_GE(on_modem.end() - first, 3);
    for (int k = 0; k < 3; ++k) EXPECT_EQ(*(first + k), to) << "interleaved on modem " << modem;
  }
}

TEST(ServeDelivery, FailedAndPendingStatusReports) {
  harness::HarnessOptions options;
  options.sim.modem[0] = {{"status_report_outcome", "failed"}};
  options.sim.modem[1] = {{"status_report_outcome", "pending-then-delivered"}};
  Gateway gw(options);
  const auto failed = gw.submit_ok("+491511400001", "will not arrive");
  const auto pending = gw.submit_ok("+491521400001", "arrives later");

  const auto f = gw.wait_status(failed, {"delivered", "failed"});
  EXPECT_EQ(f.value("status", ""), "failed") << f.dump();
  EXPECT_EQ(f.at("parts").at(0).value("status", ""), "failed") << f.dump();
  // TP-ST 0x20 (pending) keeps the part `sent`; the later report (0) delivers it.
  const auto p = gw.wait_status(pending, {"delivered", "failed"});
  EXPECT_EQ(p.value("status", ""), "delivered") << p.dump();
  int reports = 0;
  for (const auto& event : p.at("events")) reports += event.value("kind", "") == "report";
  EXPECT_EQ(reports, 2) << p.dump();
}

TEST(ServeDelivery, WithoutStatusReportTheMessageStaysSent) {
  Gateway gw;
  const std::string to = "+491511400002";
  const auto id = gw.submit_ok(to, "no report please", {{"status_report", false}});
  const auto message = gw.wait_status(id, {"sent", "delivered", "failed"});
  EXPECT_EQ(message.value("status", ""), "sent");
  const auto sent = sent_to(gw.sim(), to);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_FALSE(sent[0].value("srr", true));
  std::this_thread::sleep_for(500ms);  // several report latencies: nothing changes it
  EXPECT_EQ(gw.message(id).value("status", ""), "sent");
}

TEST(ServeDelivery, HigherPriorityLeavesFirst) {
  harness::HarnessOptions options;
  options.sim.modems = 1;
  Gateway gw(options);
  gw.sim().unplug(0);  // hold everything until all are queued
  harness::wait_until([&] { return gw.modems().at(0).value("state", "") != "ready"; }, 10s,
                      "modem0 to leave `ready`");
  const auto low = gw.submit_ok("+491511400010", "low", {{"priority", 0}});
  const auto high = gw.submit_ok("+491511400011", "high", {{"priority", 10}});
  const auto mid = gw.submit_ok("+491511400012", "mid", {{"priority", 5}});
  gw.sim().replug(0);
  for (const auto& id : {low, high, mid}) gw.wait_status(id, {"delivered"});
  std::vector<std::string> order;
  for (const auto& record : gw.sim().sent()) order.push_back(record.value("text", ""));
  EXPECT_EQ(order, (std::vector<std::string>{"high", "mid", "low"}));
}

TEST(ServeDelivery, MessageNotSentWithinItsValidityExpires) {
  Gateway gw(with_fallback_none());
  gw.sim().unplug(1);  // Vodafone's only SIM
  const std::string to = "+491521400020";
  const auto id = gw.submit_ok(to, "too late", {{"validity", 1}});
  const auto message = gw.wait_status(id, {"expired", "delivered", "failed"});
  EXPECT_EQ(message.value("status", ""), "expired") << message.dump();
  gw.sim().replug(1);
  gw.wait_modems_ready(2);
  const auto probe = gw.submit_ok("+491521400021", "after the expiry");
  gw.wait_status(probe, {"delivered"});
  EXPECT_TRUE(sent_to(gw.sim(), to).empty());
}

}  // namespace
}  // namespace smsgw::serve_test
