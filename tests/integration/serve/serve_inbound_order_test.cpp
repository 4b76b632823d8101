// Inbound long messages whose parts the network delivers out of order or more than once
// (simulator inject "order" / "repeat_part"): reassembled into one inbox message with the
// right text, and one message.received webhook for it.
#include <gtest/gtest.h>

#include <thread>

#include "harness/webhook_receiver.hpp"
#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

// A GSM 7-bit text of exactly 3 parts (153 septets each) whose every word is numbered, so a
// misplaced part shows in the text.
std::string three_part_text(const std::string& tag) {
  std::string text;
  for (int i = 0; text.size() < 400; ++i) text += tag + std::to_string(i) + " ";
  return text;
}

// A gateway whose only webhook takes message.received.
struct InboundGateway {
  harness::WebhookReceiver receiver;
  std::unique_ptr<Gateway> gw;

  InboundGateway() {
    harness::HarnessOptions options;
    options.configure = [this](harness::GatewayConfig& config) {
      config.extra_toml = "[[webhook]]\nurl = " + harness::toml_string(receiver.url()) +
                          "\nevents = [\"message.received\"]\n";
    };
    gw = std::make_unique<Gateway>(options);
  }

  [[nodiscard]] json inbox() const {
    const auto response = gw->client().get("/api/v1/inbox");
    EXPECT_EQ(response.status, 200) << response.describe();
    return response.json().at("messages");
  }

  // Waits until every sender in `senders` has a complete inbox message.
  void wait_complete_from(const std::set<std::string>& senders) const {
    harness::wait_until(
        [&] {
          std::set<std::string> complete;
          for (const auto& m : inbox()) {
            if (senders.contains(m.value("from", "")) && m.value("complete", false))
              complete.insert(m.value("from", ""));
          }
          return complete.size() == senders.size();
        },
        10s, "a complete inbox message from every sender");
  }

  // The message.received webhooks, by sender.
  [[nodiscard]] std::map<std::string, std::vector<json>> received_hooks() const {
    std::map<std::string, std::vector<json>> hooks;
    for (const auto& request : receiver.accepted()) {
      const auto body = request.json();
      if (body.value("event", "") != "message.received") continue;
      hooks[body.at("data").value("from", "")].push_back(body.at("data"));
    }
    return hooks;
  }

  // Waits until the simulator's SIM `modem` holds nothing, then a little longer so a late
  // duplicate would have shown up.
  void wait_settled(int modem) const {
    harness::wait_until([&] { return gw->sim().stored_messages(modem).empty(); }, 5s,
                        "the SIM to be emptied");
    std::this_thread::sleep_for(500ms);
  }
};

// Every sender in `texts` has exactly one inbox entry, complete, with its text, and exactly
// one message.received webhook with the same text.
void expect_each_once(const InboundGateway& ctx, const std::map<std::string, std::string>& texts,
                      const std::string& modem) {
  std::map<std::string, std::vector<json>> by_sender;
  for (const auto& m : ctx.inbox()) by_sender[m.value("from", "")].push_back(m);
  for (const auto& [from, text] : texts) {
    const auto& entries = by_sender[from];
    ASSERT_EQ(entries.size(), 1u) << from << ": " << json(entries).dump();
    const auto& m = entries.front();
    EXPECT_EQ(m.value("text", ""), text) << from;
    EXPECT_EQ(m.value("parts", 0), 3) << m.dump();
    EXPECT_EQ(m.value("parts_received", 0), 3) << m.dump();
    EXPECT_TRUE(m.value("complete", false)) << m.dump();
    EXPECT_EQ(m.value("modem", ""), modem);
  }
  ASSERT_TRUE(ctx.receiver.wait_until(
      [&](const std::vector<harness::ReceivedRequest>& requests) {
        return requests.size() >= texts.size();
      },
      10s))
      << ctx.gw->gateway_log_tail();
  std::this_thread::sleep_for(300ms);  // a second webhook for one of them would come now
  auto hooks = ctx.received_hooks();
  for (const auto& [from, text] : texts) {
    const auto& sent = hooks[from];
    ASSERT_EQ(sent.size(), 1u) << from << ": " << json(sent).dump();
    EXPECT_EQ(sent.front().value("text", ""), text) << from;
    EXPECT_EQ(sent.front().value("modem", ""), modem);
  }
  EXPECT_EQ(ctx.receiver.requests().size(), texts.size());
}

TEST(ServeInboundOrder, PartsDeliveredOutOfOrderAreReassembledOnce) {
  InboundGateway ctx;
  const std::string text = three_part_text("late");
  const int parts =
      ctx.gw->sim().inject(0, "+4917033300001", text, {{"ref", 31}, {"order", {2, 0, 1}}});
  ASSERT_EQ(parts, 3);
  EXPECT_EQ(ctx.gw->sim().stats(0).value("received", 0), 3);
  ctx.wait_complete_from({"+4917033300001"});
  ctx.wait_settled(0);
  expect_each_once(ctx, {{"+4917033300001", text}}, "modem0");
}

TEST(ServeInboundOrder, RepeatedPartsAreReassembledOnce) {
  InboundGateway ctx;
  // The repeat inside the message, first of all, and after the message was already whole.
  const std::map<std::string, std::string> texts{{"+4917033300002", three_part_text("mid")},
                                                 {"+4917033300003", three_part_text("first")},
                                                 {"+4917033300004", three_part_text("after")}};
  auto& sim = ctx.gw->sim();
  EXPECT_EQ(sim.inject(1, "+4917033300002", texts.at("+4917033300002"),
                       {{"ref", 41}, {"repeat_part", 1}}),
            3);
  EXPECT_EQ(sim.inject(1, "+4917033300003", texts.at("+4917033300003"),
                       {{"ref", 42}, {"order", {2, 1, 0}}, {"repeat_part", 2}}),
            3);
  EXPECT_EQ(sim.inject(1, "+4917033300004", texts.at("+4917033300004"),
                       {{"ref", 43}, {"repeat_part", 2}}),
            3);
  EXPECT_EQ(sim.stats(1).value("received", 0), 12);
  ctx.wait_complete_from({"+4917033300002", "+4917033300003", "+4917033300004"});
  ctx.wait_settled(1);
  expect_each_once(ctx, texts, "modem1");
}

}  // namespace
}  // namespace smsgw::serve_test
