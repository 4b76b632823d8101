// What the dashboard needs of the real `smsgw serve`: the message list's `to` and `modem`
// filters (dashboard-contract.md).
#include <gtest/gtest.h>

#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

TEST(ServeDashboard, MessagesFilterByRecipientAsWrittenAndByModem) {
  Gateway gw;
  const auto first = gw.submit_ok("+4915123000001", "one");
  const auto second = gw.submit_ok("+4915123000002", "two");
  const auto third = gw.submit_ok("+4915123000001", "three");
  gw.wait_status(first, {"delivered"});
  gw.wait_status(second, {"delivered"});
  const auto sent = gw.wait_status(third, {"delivered"});

  // The national form finds the normalised number, newest first.
  auto page = gw.client().get("/api/v1/messages?to=0151%2023000001");
  ASSERT_EQ(page.status, 200) << page.describe();
  auto messages = page.json()["messages"];
  ASSERT_EQ(messages.size(), 2u) << page.body;
  EXPECT_EQ(messages[0]["id"], third);
  EXPECT_EQ(messages[1]["id"], first);

  const auto refused = gw.client().get("/api/v1/messages?to=not-a-number");
  EXPECT_EQ(refused.status, 422) << refused.describe();
  EXPECT_EQ(refused.json()["error"]["field"], "to");

  const std::string modem = sent.value("modem", "");
  ASSERT_FALSE(modem.empty()) << sent.dump();
  page = gw.client().get("/api/v1/messages?to=%2B4915123000001&modem=" + modem);
  ASSERT_EQ(page.status, 200) << page.describe();
  for (const auto& message : page.json()["messages"]) EXPECT_EQ(message["modem"], modem);
  page = gw.client().get("/api/v1/messages?modem=no-such-modem");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(page.json()["messages"].empty());
}

}  // namespace
}  // namespace smsgw::serve_test
