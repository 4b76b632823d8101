#include "smsgw/scheduler/policy.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace smsgw::scheduler {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kNow =
    TimePoint{} +
    std::chrono::sys_days{std::chrono::year{2024} / std::chrono::March / 5}.time_since_epoch() +
    std::chrono::hours(8);

SimView sim(std::string id, std::string op) {
  SimView s;
  s.id = std::move(id);
  s.operator_name = std::move(op);
  s.ready = true;
  return s;
}

MessageView to_operator(std::string op, std::uint32_t parts = 1) {
  MessageView m;
  m.destination_operator = std::move(op);
  m.parts = parts;
  m.eligible_since = kNow;
  return m;
}

// The SIM id a decision sends through, or a description of what else it is.
std::string sent_via(const Decision& d, std::span<const SimView> sims) {
  if (const auto* send = std::get_if<SendVia>(&d)) return sims[send->sim].id;
  if (const auto* wait = std::get_if<WaitUntil>(&d)) return "wait: " + wait->reason;
  return "fail: " + std::get<FailNow>(d).error.code;
}

WaitUntil as_wait(const Decision& d) {
  if (const auto* wait = std::get_if<WaitUntil>(&d)) return *wait;
  ADD_FAILURE() << "expected a WaitUntil decision";
  return {};
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(SelectionPolicy, PrefersOnNetSim) {
  std::vector<SimView> sims{sim("v1", "Vodafone"), sim("t1", "Telekom"), sim("o1", "O2")};
  SelectionPolicy policy;
  const auto d = policy.choose_sim(to_operator("Telekom"), sims, kNow);
  ASSERT_EQ(sent_via(d, sims), "t1");
  EXPECT_FALSE(std::get<SendVia>(d).off_net);
}

TEST(SelectionPolicy, RoundRobinsEquallyLoadedSimsOfAnOperator) {
  std::vector<SimView> sims{sim("t2", "Telekom"), sim("v1", "Vodafone"), sim("t3", "Telekom"),
                            sim("t1", "Telekom")};
  SelectionPolicy policy;
  std::vector<std::string> order;
  for (int i = 0; i < 6; ++i) {
    order.push_back(sent_via(policy.choose_sim(to_operator("Telekom"), sims, kNow), sims));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"t1", "t2", "t3", "t1", "t2", "t3"}));
  // Another operator's cursor is separate.
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("Vodafone"), sims, kNow), sims), "v1");
}

TEST(SelectionPolicy, RoundRobinSurvivesASimLeaving) {
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("t2", "Telekom"), sim("t3", "Telekom")};
  SelectionPolicy policy;
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("Telekom"), sims, kNow), sims), "t1");
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("Telekom"), sims, kNow), sims), "t2");
  sims.erase(sims.begin() + 1);  // t2 unplugged
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("Telekom"), sims, kNow), sims), "t3");
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("Telekom"), sims, kNow), sims), "t1");
}

TEST(SelectionPolicy, PicksLeastLoadedByQueueThenDailyHeadroom) {
  RateLimiter fuller(Limits{std::nullopt, 100});
  RateLimiter emptier(Limits{std::nullopt, 100});
  fuller.record(kNow - minutes(5), 40);
  emptier.record(kNow - minutes(5), 10);
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("t2", "Telekom"), sim("t3", "Telekom")};
  sims[0].limiter = &fuller;
  sims[1].limiter = &emptier;
  sims[2].queue = 3;
  SelectionPolicy policy;
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("Telekom"), sims, kNow), sims), "t2");
  sims[1].queue = 5;
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("Telekom"), sims, kNow), sims), "t1");
}

TEST(SelectionPolicy, FallsBackOffNetOnlyAfterTheWait) {
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("v1", "Vodafone")};
  sims[0].busy = true;
  SelectionPolicy policy(RoutingOptions{Fallback::any, seconds(5)});
  const auto message = to_operator("Telekom");

  const auto early = policy.choose_sim(message, sims, kNow + seconds(2));
  const auto wait = as_wait(early);
  EXPECT_EQ(wait.until, kNow + seconds(5));
  EXPECT_TRUE(has(wait.reason, "no on-net SIM for operator Telekom can send now (1 busy)"))
      << wait.reason;
  EXPECT_TRUE(has(wait.reason, "other SIMs may take it from 2024-03-05T08:00:05Z")) << wait.reason;

  const auto late = policy.choose_sim(message, sims, kNow + seconds(5));
  ASSERT_EQ(sent_via(late, sims), "v1");
  EXPECT_TRUE(std::get<SendVia>(late).off_net);

  // Once the on-net SIM is free again it has the message back.
  sims[0].busy = false;
  EXPECT_EQ(sent_via(policy.choose_sim(message, sims, kNow + seconds(9)), sims), "t1");
}

TEST(SelectionPolicy, FallbackNoneWaitsWithAReason) {
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("v1", "Vodafone")};
  sims[0].ready = false;
  SelectionPolicy policy(RoutingOptions{Fallback::none, seconds(5)});
  const auto d = policy.choose_sim(to_operator("Telekom"), sims, kNow + minutes(10));
  const auto wait = as_wait(d);
  EXPECT_EQ(wait.until, std::nullopt);  // only a SIM event can help
  EXPECT_EQ(wait.reason,
            "no on-net SIM for operator Telekom is ready and routing.fallback is \"none\"");
}

TEST(SelectionPolicy, OperatorWithoutSimsWaitsForFallback) {
  std::vector<SimView> sims{sim("v1", "Vodafone")};
  SelectionPolicy policy;
  const auto wait = as_wait(policy.choose_sim(to_operator("O2"), sims, kNow));
  EXPECT_TRUE(has(wait.reason, "no on-net SIM for operator O2 is present")) << wait.reason;
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("O2"), sims, kNow + seconds(5)), sims), "v1");
}

TEST(SelectionPolicy, UnknownDestinationOperatorUsesAnySim) {
  std::vector<SimView> sims{sim("v1", "Vodafone"), sim("t1", "Telekom")};
  SelectionPolicy policy;
  const auto first = policy.choose_sim(to_operator(""), sims, kNow);
  const auto second = policy.choose_sim(to_operator(""), sims, kNow);
  EXPECT_EQ(sent_via(first, sims), "t1");
  EXPECT_EQ(sent_via(second, sims), "v1");
  EXPECT_FALSE(std::get<SendVia>(second).off_net);
}

TEST(SelectionPolicy, NoSimAtAllWaits) {
  SelectionPolicy policy;
  const auto wait = as_wait(policy.choose_sim(to_operator(""), {}, kNow));
  EXPECT_EQ(wait.reason, "no SIM is present");
}

TEST(SelectionPolicy, PinnedModemOnlyThatModem) {
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("v1", "Vodafone")};
  SelectionPolicy policy(RoutingOptions{Fallback::none, seconds(5)});
  auto message = to_operator("Telekom");
  message.pinned_modem = "v1";
  const auto d = policy.choose_sim(message, sims, kNow);
  ASSERT_EQ(sent_via(d, sims), "v1");  // pins override routing, even fallback none
  EXPECT_TRUE(std::get<SendVia>(d).off_net);

  sims[1].busy = true;
  EXPECT_EQ(sent_via(policy.choose_sim(message, sims, kNow), sims),
            "wait: pinned modem v1 is busy");
  sims[1].busy = false;
  sims[1].ready = false;
  EXPECT_EQ(sent_via(policy.choose_sim(message, sims, kNow), sims),
            "wait: pinned modem v1 is not ready");
  sims[1].ready = true;
  sims[1].benched_until = kNow + minutes(10);
  const auto wait = as_wait(policy.choose_sim(message, sims, kNow));
  EXPECT_EQ(wait.until, kNow + minutes(10));
  EXPECT_EQ(wait.reason,
            "pinned modem v1 is benched after repeated failures until 2024-03-05T08:10:00Z");
}

TEST(SelectionPolicy, PinnedModemUnknownFailsPermanently) {
  std::vector<SimView> sims{sim("t1", "Telekom")};
  SelectionPolicy policy;
  auto message = to_operator("Telekom");
  message.pinned_modem = "nope";
  const auto d = policy.choose_sim(message, sims, kNow);
  ASSERT_TRUE(std::holds_alternative<FailNow>(d));
  EXPECT_EQ(std::get<FailNow>(d).error.code, "route.unknown_modem");
  EXPECT_EQ(std::get<FailNow>(d).error.message, "pinned modem \"nope\" is not known");
}

TEST(SelectionPolicy, PinnedModemAndOperatorThatDisagreeFail) {
  std::vector<SimView> sims{sim("t1", "Telekom")};
  SelectionPolicy policy;
  auto message = to_operator("");
  message.pinned_modem = "t1";
  message.pinned_operator = "Vodafone";
  const auto d = policy.choose_sim(message, sims, kNow);
  ASSERT_TRUE(std::holds_alternative<FailNow>(d));
  EXPECT_EQ(std::get<FailNow>(d).error.code, "route.pin_conflict");
}

TEST(SelectionPolicy, PinnedOperatorOnlyItsSims) {
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("v1", "Vodafone"), sim("v2", "Vodafone")};
  SelectionPolicy policy;
  auto message = to_operator("Telekom");
  message.pinned_operator = "Vodafone";
  const auto d = policy.choose_sim(message, sims, kNow);
  EXPECT_EQ(sent_via(d, sims), "v1");
  EXPECT_TRUE(std::get<SendVia>(d).off_net);
  sims[1].busy = sims[2].busy = true;
  // Waits even after the fallback time: the pin forbids the free Telekom SIM.
  const auto wait = as_wait(policy.choose_sim(message, sims, kNow + minutes(1)));
  EXPECT_EQ(wait.reason, "no SIM of the pinned operator Vodafone can send now (2 busy)");
  message.pinned_operator = "O2";
  EXPECT_EQ(sent_via(policy.choose_sim(message, sims, kNow), sims),
            "wait: no SIM of the pinned operator O2 is present");
}

TEST(SelectionPolicy, RateLimitedSimsWaitUntilTheirLimitAllows) {
  RateLimiter limiter(Limits{6, std::nullopt});
  limiter.record(kNow, 1);
  std::vector<SimView> sims{sim("t1", "Telekom")};
  sims[0].limiter = &limiter;
  SelectionPolicy policy;
  const auto wait = as_wait(policy.choose_sim(to_operator("Telekom"), sims, kNow + seconds(1)));
  EXPECT_EQ(wait.until, kNow + seconds(10));
  EXPECT_EQ(wait.reason,
            "no on-net SIM for operator Telekom can send now (1 rate-limited until "
            "2024-03-05T08:00:10Z) and there is no other SIM");
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("Telekom"), sims, kNow + seconds(10)), sims),
            "t1");
}

TEST(SelectionPolicy, DayLimitChecksAllParts) {
  RateLimiter limiter(Limits{std::nullopt, 10});
  limiter.record(kNow, 8);
  std::vector<SimView> sims{sim("t1", "Telekom")};
  sims[0].limiter = &limiter;
  SelectionPolicy policy(RoutingOptions{Fallback::none, seconds(5)});
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("Telekom", 2), sims, kNow), sims), "t1");
  const auto wait = as_wait(policy.choose_sim(to_operator("Telekom", 3), sims, kNow));
  EXPECT_EQ(wait.until, kNow + std::chrono::hours(16));  // UTC midnight
  EXPECT_TRUE(has(wait.reason, "1 at a daily or monthly limit until 2024-03-06T00:00:00Z"))
      << wait.reason;
}

TEST(SelectionPolicy, MoreThanEveryPerDayLimitFails) {
  RateLimiter small(Limits{std::nullopt, 3});
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("v1", "Vodafone")};
  sims[0].limiter = sims[1].limiter = &small;
  SelectionPolicy policy;
  const auto d = policy.choose_sim(to_operator("Telekom", 4), sims, kNow);
  ASSERT_TRUE(std::holds_alternative<FailNow>(d)) << sent_via(d, sims);
  EXPECT_EQ(std::get<FailNow>(d).error.code, "route.too_many_parts");
  // One SIM without limits can take it (after the fallback wait): not a failure.
  sims[1].limiter = nullptr;
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("Telekom", 4), sims, kNow + seconds(5)), sims),
            "v1");
}

TEST(SelectionPolicy, BenchedAndPausedSimsAreSkipped) {
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("t2", "Telekom"), sim("t3", "Telekom")};
  sims[0].benched_until = kNow + minutes(10);
  sims[1].paused = true;
  SelectionPolicy policy;
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("Telekom"), sims, kNow), sims), "t3");
  sims[2].busy = true;
  const auto wait = as_wait(policy.choose_sim(to_operator("Telekom"), sims, kNow));
  EXPECT_EQ(wait.until, kNow + minutes(10));
  EXPECT_TRUE(has(wait.reason, "1 busy, 1 benched until 2024-03-05T08:10:00Z, 1 paused"))
      << wait.reason;
  // After the bench the SIM is back.
  EXPECT_EQ(sent_via(policy.choose_sim(to_operator("Telekom"), sims, kNow + minutes(10)), sims),
            "t1");
}

TEST(SelectionPolicy, AvoidsSimsTheMessageFailedOnWhileOthersLive) {
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("t2", "Telekom"), sim("v1", "Vodafone")};
  SelectionPolicy policy;
  auto message = to_operator("Telekom");
  message.avoid_sims = {"t1"};
  EXPECT_EQ(sent_via(policy.choose_sim(message, sims, kNow), sims), "t2");
  EXPECT_EQ(sent_via(policy.choose_sim(message, sims, kNow), sims), "t2");
  // t2 busy: t1 stays avoided; after the fallback wait the Vodafone SIM takes it.
  sims[1].busy = true;
  EXPECT_TRUE(std::holds_alternative<WaitUntil>(policy.choose_sim(message, sims, kNow)));
  EXPECT_EQ(sent_via(policy.choose_sim(message, sims, kNow + seconds(5)), sims), "v1");
  // Every other SIM dead: the avoided SIM is used again rather than stalling.
  message.avoid_sims = {"t1", "t2"};
  sims[2].ready = false;
  EXPECT_EQ(sent_via(policy.choose_sim(message, sims, kNow), sims), "t1");
}

TEST(SelectionPolicy, BackOffWaitsUntilNotBefore) {
  std::vector<SimView> sims{sim("t1", "Telekom")};
  SelectionPolicy policy;
  auto message = to_operator("Telekom");
  message.not_before = kNow + seconds(30);
  const auto wait = as_wait(policy.choose_sim(message, sims, kNow));
  EXPECT_EQ(wait.until, kNow + seconds(30));
  EXPECT_EQ(wait.reason, "waiting to retry until 2024-03-05T08:00:30Z");
}

// --- the inverse query: a free SIM picks a message ---

TEST(ChooseMessage, OnNetSimTakesTheFirstItMayCarry) {
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("v1", "Vodafone")};
  std::vector<MessageView> queue{to_operator("Vodafone"), to_operator("Telekom"), to_operator("")};
  SelectionPolicy policy;
  EXPECT_EQ(policy.choose_message(0, sims, queue, kNow), 1U);
  EXPECT_EQ(policy.choose_message(1, sims, queue, kNow), 0U);
}

TEST(ChooseMessage, OffNetSimWaitsForFallbackAndOnNetClaim) {
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("v1", "Vodafone")};
  std::vector<MessageView> queue{to_operator("Telekom"), to_operator("")};
  SelectionPolicy policy(RoutingOptions{Fallback::any, seconds(5)});
  // Before the wait: the unknown-operator message is the Vodafone SIM's.
  EXPECT_EQ(policy.choose_message(1, sims, queue, kNow), 1U);
  // After the wait, but the Telekom SIM can take it now: still left to Telekom.
  EXPECT_EQ(policy.choose_message(1, sims, queue, kNow + seconds(5)), 1U);
  // Telekom SIM busy and the wait passed: the Vodafone SIM takes it.
  sims[0].busy = true;
  EXPECT_EQ(policy.choose_message(1, sims, queue, kNow + seconds(5)), 0U);
  EXPECT_EQ(policy.choose_message(1, sims, queue, kNow + seconds(4)), 1U);
}

TEST(ChooseMessage, FallbackNoneNeverCarriesOffNet) {
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("v1", "Vodafone")};
  sims[0].ready = false;
  std::vector<MessageView> queue{to_operator("Telekom")};
  SelectionPolicy policy(RoutingOptions{Fallback::none, seconds(5)});
  EXPECT_EQ(policy.choose_message(1, sims, queue, kNow + minutes(60)), std::nullopt);
}

TEST(ChooseMessage, BusyOrLimitedSimTakesNothing) {
  RateLimiter limiter(Limits{1, std::nullopt});
  limiter.record(kNow, 1);
  std::vector<SimView> sims{sim("t1", "Telekom")};
  std::vector<MessageView> queue{to_operator("Telekom")};
  SelectionPolicy policy;
  sims[0].busy = true;
  EXPECT_EQ(policy.choose_message(0, sims, queue, kNow), std::nullopt);
  sims[0].busy = false;
  sims[0].limiter = &limiter;
  EXPECT_EQ(policy.choose_message(0, sims, queue, kNow + seconds(30)), std::nullopt);
  EXPECT_EQ(policy.choose_message(0, sims, queue, kNow + seconds(60)), 0U);
  EXPECT_EQ(policy.choose_message(5, sims, queue, kNow + seconds(60)), std::nullopt);
}

TEST(ChooseMessage, SkipsMessagesWhosePartsDoNotFitToday) {
  RateLimiter limiter(Limits{std::nullopt, 10});
  limiter.record(kNow, 8);
  std::vector<SimView> sims{sim("t1", "Telekom")};
  sims[0].limiter = &limiter;
  std::vector<MessageView> queue{to_operator("Telekom", 3), to_operator("Telekom", 2)};
  SelectionPolicy policy;
  EXPECT_EQ(policy.choose_message(0, sims, queue, kNow), 1U);
}

TEST(ChooseMessage, RespectsPinsAndBackOff) {
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("t2", "Telekom"), sim("v1", "Vodafone")};
  std::vector<MessageView> queue(4, to_operator("Telekom"));
  queue[0].pinned_modem = "t2";
  queue[1].pinned_operator = "Vodafone";
  queue[2].not_before = kNow + seconds(10);
  SelectionPolicy policy;
  EXPECT_EQ(policy.choose_message(0, sims, queue, kNow), 3U);
  EXPECT_EQ(policy.choose_message(1, sims, queue, kNow), 0U);
  EXPECT_EQ(policy.choose_message(2, sims, queue, kNow), 1U);  // pinned off-net, no wait
  EXPECT_EQ(policy.choose_message(0, sims, queue, kNow + seconds(10)), 2U);
}

TEST(ChooseMessage, AvoidedSimLeavesTheMessageToOthers) {
  std::vector<SimView> sims{sim("t1", "Telekom"), sim("t2", "Telekom"), sim("v1", "Vodafone")};
  std::vector<MessageView> queue{to_operator("Telekom"), to_operator("Telekom")};
  queue[0].avoid_sims = {"t1"};
  SelectionPolicy policy;
  EXPECT_EQ(policy.choose_message(0, sims, queue, kNow), 1U);
  EXPECT_EQ(policy.choose_message(1, sims, queue, kNow), 0U);
  // After the wait, with t2 busy, the off-net SIM may take it: t1 is avoided, so it does
  // not count as an on-net SIM that could take it now.
  sims[1].busy = true;
  EXPECT_EQ(policy.choose_message(2, sims, queue, kNow + seconds(5)), 0U);
  // With every other SIM gone, t1 takes it back.
  sims[1].ready = false;
  sims[2].ready = false;
  queue[1].avoid_sims = {"t1"};
  EXPECT_EQ(policy.choose_message(0, sims, queue, kNow), 0U);
}

TEST(ChooseMessage, AgreesWithChooseSimAcrossAFleet) {
  // 200 SIMs of four operators in mixed states; every message's choose_sim answer must be
  // a SIM whose choose_message picks that message from a queue holding only it.
  std::deque<RateLimiter> limiters;
  std::vector<SimView> sims;
  const std::array<std::string, 4> operators{"A", "B", "C", "D"};
  for (int i = 0; i < 200; ++i) {
    auto s = sim("s" + std::to_string(1000 + i), operators[static_cast<std::size_t>(i) % 4]);
    s.busy = i % 3 == 0;
    s.ready = i % 7 != 0;
    s.paused = i % 11 == 0;
    if (i % 5 == 0) {
      limiters.emplace_back(Limits{6, 50});
      limiters.back().record(kNow - seconds(i % 20), static_cast<std::uint32_t>(i % 3));
      s.limiter = &limiters.back();
    }
    sims.push_back(std::move(s));
  }
  SelectionPolicy policy;
  int sent = 0;
  for (int i = 0; i < 400; ++i) {
    auto m = to_operator(i % 5 == 4 ? "" : operators[static_cast<std::size_t>(i) % 4],
                         static_cast<std::uint32_t>(1 + i % 3));
    m.eligible_since = kNow - seconds(i % 10);
    if (i % 13 == 0) m.avoid_sims = {"s1001", "s1002"};
    const auto d = policy.choose_sim(m, sims, kNow);
    if (const auto* send = std::get_if<SendVia>(&d)) {
      ++sent;
      const std::vector<MessageView> single{m};
      EXPECT_EQ(policy.choose_message(send->sim, sims, single, kNow), 0U) << "message " << i;
    }
  }
  EXPECT_GT(sent, 300);
}

}  // namespace
}  // namespace smsgw::scheduler
