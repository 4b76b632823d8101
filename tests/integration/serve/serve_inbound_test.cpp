// Inbound messages (simulator inject): stored, reassembled, shown in GET /api/v1/inbox, and
// deleted from the SIM once stored.
#include <gtest/gtest.h>

#include <thread>

#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

json inbox(const harness::ServeHarness& gw) {
  const auto response = gw.client().get("/api/v1/inbox");
  EXPECT_EQ(response.status, 200) << response.describe();
  return response.json().at("messages");
}

json wait_inbox(const harness::ServeHarness& gw, std::size_t count) {
  json messages;
  harness::wait_until(
      [&] {
        messages = inbox(gw);
        std::size_t complete = 0;
        for (const auto& m : messages) complete += m.value("complete", false);
        return complete >= count;
      },
      10s, std::to_string(count) + " complete inbox message(s)");
  return messages;
}

TEST(ServeInbound, SingleMessageIsStoredThenDeletedFromTheSim) {
  Gateway gw;
  gw.sim().inject(1, "+4917612345678", "Hallo, wie geht's?");
  const auto messages = wait_inbox(gw, 1);
  ASSERT_EQ(messages.size(), 1u) << messages.dump();
  const auto& m = messages.at(0);
  EXPECT_EQ(m.value("from", ""), "+4917612345678");
  EXPECT_EQ(m.value("text", ""), "Hallo, wie geht's?");
  EXPECT_EQ(m.value("modem", ""), "modem1");
  EXPECT_EQ(m.value("parts", 0), 1);
  EXPECT_EQ(m.value("parts_received", 0), 1);
  EXPECT_TRUE(m.at("sent_at").is_string());
  EXPECT_TRUE(m.at("received_at").is_string());
  harness::wait_until([&] { return gw.sim().stored_messages(1).empty(); }, 5s,
                      "the SIM to be emptied");
  EXPECT_EQ(gw.sim().stats(1).value("received", 0), 1);
}

TEST(ServeInbound, MultipartMessageIsReassembled) {
  Gateway gw;
  // Cyrillic forces UCS-2: 67 characters a part, so this is 3 parts.
  std::string text;
  for (int i = 0; i < 15; ++i) text += "Привет мир ";
  gw.sim().inject(0, "+4915799999999", text, {{"ref", 77}});
  gw.sim().inject(0, "+4915788888888", "a short one in between");
  const auto messages = wait_inbox(gw, 2);
  ASSERT_EQ(messages.size(), 2u) << messages.dump();
  bool found = false;
  for (const auto& m : messages) {
    if (m.value("from", "") != "+4915799999999") continue;
    found = true;
    EXPECT_EQ(m.value("text", ""), text);
    EXPECT_EQ(m.value("parts", 0), 3);
    EXPECT_EQ(m.value("parts_received", 0), 3);
  }
  EXPECT_TRUE(found) << messages.dump();
  harness::wait_until([&] { return gw.sim().stored_messages(0).empty(); }, 5s,
                      "the SIM to be emptied");
  // Counted per message, once whole: three parts and one single message make 2.
  const auto metrics = gw.client().get("/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.describe();
  EXPECT_NE(metrics.body.find("\nsmsgw_inbound_messages_total{modem=\"modem0\"} 2\n"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("\nsmsgw_inbound_messages_total{modem=\"modem1\"} 0\n"),
            std::string::npos)
      << metrics.body;
}

TEST(ServeInbound, MessagesWaitingOnTheSimWhileTheGatewayIsDownAreCollectedAtStart) {
  harness::HarnessOptions options;
  options.start_gateway = false;
  // Two slots: a five-part message is split between the SIM (parts 1-2, found by the
  // start-up sweep) and the network (parts 3-5, each delivered into a slot just freed by
  // AT+CMGD and announced by +CMTI).
  options.sim.modem[0] = {{"sm_capacity", 2}};
  Gateway gw(options);
  std::string text;
  for (int i = 0; i < 40; ++i) text += "long inbound " + std::to_string(i) + " ";
  const int parts = gw.sim().inject(0, "+4916012345678", text, {{"ref", 200}});
  ASSERT_GE(parts, 3);
  EXPECT_EQ(gw.sim().stored_messages(0).size(), 2u);
  EXPECT_EQ(gw.sim().stats(0).value("pending_inbound", -1), parts - 2);

  gw.start_gateway();
  const auto messages = wait_inbox(gw, 1);
  ASSERT_EQ(messages.size(), 1u) << messages.dump();
  EXPECT_EQ(messages.at(0).value("text", ""), text);
  EXPECT_EQ(messages.at(0).value("parts", 0), parts);
  harness::wait_until([&] { return gw.sim().stored_messages(0).empty(); }, 5s,
                      "the SIM to be emptied");
  EXPECT_EQ(gw.sim().stats(0).value("pending_inbound", -1), 0);
}

TEST(ServeInbound, PartialMessageSurvivesARestart) {
  harness::HarnessOptions options;
  options.sim.modem[0] = {{"sm_capacity", 1}};
  Gateway gw(options);
  std::string text;
  for (int i = 0; i < 30; ++i) text += "across restart " + std::to_string(i) + " ";
  // With the gateway down, part 1 waits on the SIM and parts 2.. wait in the network.
  gw.stop_gateway();
  gw.sim().inject(0, "+4917011111111", text, {{"ref", 9}});
  gw.start_gateway();
  const auto messages = wait_inbox(gw, 1);
  ASSERT_EQ(messages.size(), 1u) << messages.dump();
  EXPECT_EQ(messages.at(0).value("text", ""), text);
  EXPECT_EQ(gw.stop_gateway(), 0);
  gw.start_gateway();
  EXPECT_EQ(inbox(gw).size(), 1u);  // no duplicate after the restart
}

TEST(ServeInbound, RepeatedAnnouncementsStoreTheMessageOnce) {
  harness::HarnessOptions options;
  options.sim.modem[0] = {{"faults", {{"duplicate_cmti_probability", 1.0}}}};
  Gateway gw(options);
  gw.sim().inject(0, "+4917022222222", "announced twice");
  std::string text;
  for (int i = 0; i < 20; ++i) text += "twice again " + std::to_string(i) + " ";
  gw.sim().inject(0, "+4917022222223", text, {{"ref", 5}});
  wait_inbox(gw, 2);
  std::this_thread::sleep_for(300ms);
  const auto messages = inbox(gw);
  EXPECT_EQ(messages.size(), 2u) << messages.dump();
  harness::wait_until([&] { return gw.sim().stored_messages(0).empty(); }, 5s,
                      "the SIM to be emptied");
}

}  // namespace
}  // namespace smsgw::serve_test
