// The live stream's fan-out: who sees what, the SSE text, a slow subscription's bound, and
// the replay's dedup (skip_through).
#include "smsgw/http/event_hub.hpp"

#include <gtest/gtest.h>

namespace smsgw::http {
namespace {

Caller with(std::uint8_t scopes, bool client = false, std::string name = "shop") {
  return Caller{std::move(name), scopes, client};
}
constexpr auto kRead = static_cast<std::uint8_t>(Scope::read);
constexpr auto kModems = static_cast<std::uint8_t>(Scope::modems);
constexpr auto kAdmin = static_cast<std::uint8_t>(Scope::admin);

StreamEvent message(std::int64_t id, std::optional<std::string> client = std::nullopt) {
  return StreamEvent{id, "message", R"({"id":")" + std::to_string(id) + R"("})", std::move(client)};
}

TEST(EventHub, VisibilityFollowsTheScopesAndAClientSeesOnlyItsOwnMessages) {
  const StreamEvent modem{std::nullopt, "modem", "{}", std::nullopt};
  const StreamEvent inbound{1, "inbound", "{}", std::nullopt};
  EXPECT_TRUE(visible_to(message(1, "shop"), with(kRead, true)));
  EXPECT_FALSE(visible_to(message(1, "other"), with(kRead, true)));
  EXPECT_FALSE(visible_to(message(1), with(kRead, true)));
  EXPECT_TRUE(visible_to(message(1, "other"), with(kRead)));  // an admin token
  EXPECT_FALSE(visible_to(message(1), with(kModems)));
  EXPECT_TRUE(visible_to(modem, with(kModems)));
  EXPECT_FALSE(visible_to(modem, with(kRead)));
  EXPECT_TRUE(visible_to(modem, with(kAdmin)));
  EXPECT_TRUE(visible_to(inbound, with(kRead)));
  EXPECT_TRUE(visible_to(StreamEvent{std::nullopt, "reset", "{}", std::nullopt}, with(0)));
}

TEST(EventHub, FormatsEventsAsTheSseFormatSays) {
  EXPECT_EQ(format_event(message(7)), "id: 7\nevent: message\ndata: {\"id\":\"7\"}\n\n");
  EXPECT_EQ(format_event(StreamEvent{std::nullopt, "stats", "a\nb", std::nullopt}),
            "event: stats\ndata: a\ndata: b\n\n");
}

TEST(EventHub, PublishesInOrderToEverySubscriberThatMaySee) {
  asio::io_context io;
  EventHub hub(io.get_executor());
  auto admin = hub.subscribe(with(kAdmin, false, "http.tokens[0]"));
  auto client = hub.subscribe(with(kRead, true));
  hub.publish(message(1, "shop"));
  hub.publish(message(2, "other"));
  EXPECT_TRUE(admin->ready().is_set());
  EXPECT_EQ(admin->take(), format_event(message(1, "shop")) + format_event(message(2, "other")));
  EXPECT_FALSE(admin->ready().is_set());
  EXPECT_EQ(client->take(), format_event(message(1, "shop")));
  EXPECT_EQ(hub.subscribers(), 2u);
  client.reset();
  EXPECT_EQ(hub.subscribers(), 1u);
}

TEST(EventHub, EventsAReplayAlreadySentAreSkipped) {
  asio::io_context io;
  EventHub hub(io.get_executor());
  auto subscription = hub.subscribe(with(kAdmin));
  hub.publish(message(4));
  hub.publish(message(5));
  hub.publish(StreamEvent{std::nullopt, "stats", "{}", std::nullopt});
  hub.publish(message(6));
  subscription->skip_through(5);  // the replay ended at 5
  EXPECT_EQ(subscription->take(),
            format_event(StreamEvent{std::nullopt, "stats", "{}", {}}) + format_event(message(6)));
}

TEST(EventHub, ASubscriptionThatFallsBehindIsCutOffNotGrown) {
  asio::io_context io;
  EventHub hub(io.get_executor());
  auto slow = hub.subscribe(with(kAdmin));
  auto fast = hub.subscribe(with(kAdmin));
  const std::string big(1000, 'x');
  for (std::int64_t i = 1; i <= 300; ++i) {
    hub.publish(StreamEvent{i, "inbound", big, std::nullopt});
    if (i % 10 == 0) (void)fast->take();
  }
  EXPECT_TRUE(slow->overflowed());
  EXPECT_TRUE(slow->ready().is_set());  // so that its stream wakes and ends
  EXPECT_TRUE(slow->take().empty());
  EXPECT_FALSE(fast->overflowed());
  EXPECT_EQ(hub.overflows(), 1u);
}

TEST(EventHub, CloseAllEndsEveryStream) {
  asio::io_context io;
  EventHub hub(io.get_executor());
  auto subscription = hub.subscribe(with(kAdmin));
  hub.close_all();
  EXPECT_TRUE(subscription->closed());
  EXPECT_TRUE(subscription->ready().is_set());
  hub.publish(message(1));
  EXPECT_TRUE(subscription->take().empty());
}

}  // namespace
}  // namespace smsgw::http
