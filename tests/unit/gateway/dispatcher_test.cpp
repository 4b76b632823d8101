// Dispatcher with scripted modems (PartSender) and a real store on a temporary file behind a
// StoreWorker, on one io_context the test drives in short slices until a condition holds.
#include "smsgw/gateway/dispatcher.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/scheduler/retry_policy.hpp"
#include "smsgw/store/store.hpp"
#include "temp_dir.hpp"

namespace smsgw::gateway {
namespace {

using namespace std::chrono_literals;
using modem::PartResult;
using store::MessageStatus;
using store::PartStatus;
using Clock = std::chrono::system_clock;

PartResult sent(int mr) {
  PartResult r;
  r.outcome = PartResult::Outcome::sent;
  r.mr = static_cast<std::uint8_t>(mr);
  return r;
}
PartResult failed(const std::string& code) {
  PartResult r;
  r.outcome = PartResult::Outcome::failed;
  r.error = make_error(code, "scripted " + code);
  return r;
}
PartResult unknown(const std::string& code) {
  PartResult r;
  r.outcome = PartResult::Outcome::unknown;
  r.error = make_error(code, "scripted " + code);
  return r;
}

// What every fake modem answers, in call order whichever modem is called; once the script
// is used up, every send succeeds with the next MR.
struct Network {
  std::deque<PartResult> script;
  int next_mr = 100;

  PartResult next() {
    if (script.empty()) return sent(next_mr++);
    PartResult r = std::move(script.front());
    script.pop_front();
    return r;
  }
};

// A modem that is ready and answers each send from the Network's script. With `hold`, a
// send waits for release() before it answers.
class FakeModem final : public modem::PartSender {
 public:
  struct Call {
    std::string pdu;
    std::size_t length = 0;
    Clock::time_point at;
    PartResult result;
  };

  FakeModem(asio::any_io_executor executor, std::string id, Network& network)
      : network_(network), gate_(std::move(executor)) {
    snapshot_.id = std::move(id);
    snapshot_.state = modem::ModemState::ready;
    gate_.set();
  }

  const modem::ModemSnapshot& snapshot() const override { return snapshot_; }

  awaitable<PartResult> send(pdu::SubmitPart part) override {
    Call call{part.pdu, part.length, Clock::now(), network_.next()};
    const PartResult result = call.result;
    calls.push_back(std::move(call));
    if (absent_after_send) snapshot_.state = modem::ModemState::absent;
    ++in_flight;
    co_await gate_.wait();
    --in_flight;
    co_return result;
  }

  void hold() { gate_.reset(); }
  void release() { gate_.set(); }

  std::vector<Call> calls;
  int in_flight = 0;
  bool absent_after_send = false;  // the modem goes away while it sends

 private:
  Network& network_;
  Event gate_;
  modem::ModemSnapshot snapshot_;
};

class RecordingObserver final : public DispatchObserver {
 public:
  void on_message_status(const std::string& id, MessageStatus status,
                         const std::string& /*modem*/) override {
    statuses[id].push_back(status);
  }
  void on_part_sent(const std::string& /*modem*/, double /*seconds*/) override { ++parts_sent; }
  void on_part_failed(const std::string& /*modem*/, const Error& error) override {
    part_errors.push_back(error.code);
  }

  bool saw(const std::string& id, MessageStatus status) const {
    auto it = statuses.find(id);
    return it != statuses.end() &&
           std::find(it->second.begin(), it->second.end(), status) != it->second.end();
  }

  std::map<std::string, std::vector<MessageStatus>> statuses;
  int parts_sent = 0;
  std::vector<std::string> part_errors;
};

std::string pdu_of(int part) { return "0041000B915121551532F4000" + std::to_string(part); }

DispatcherOptions quick_options() {
  DispatcherOptions options;
  options.routing.fallback = scheduler::Fallback::any;
  options.routing.fallback_wait = 0s;
  options.retry.backoff_initial = 100ms;
  options.retry.backoff_max = 1s;
  options.retry.jitter = 0.0;
  options.retry.max_attempts = 5;
  options.health.failures_to_bench = 0;  // never bench: the tests choose the modem
  options.expiry_sweep = 50ms;
  options.recheck = 20ms;
  return options;
}

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::Store::open(dir_.path() / "smsgw.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    worker_ = std::make_unique<store::StoreWorker>(io_.get_executor(), std::move(*opened));
  }

  void TearDown() override {
    if (dispatcher_) {
      for (auto& m : modems_) m->release();
      dispatcher_->stop();
      EXPECT_TRUE(run_until([&] { return run_done_; })) << "run() did not return after stop()";
    }
  }

  FakeModem& add_modem(const std::string& id) {
    modems_.push_back(std::make_unique<FakeModem>(io_.get_executor(), id, network_));
    return *modems_.back();
  }

  void start(DispatcherOptions options = quick_options()) {
    dispatcher_ = std::make_unique<Dispatcher>(io_.get_executor(), *worker_, operators_,
                                               std::move(options), observer_);
    for (auto& m : modems_) dispatcher_->attach(*m, scheduler::Limits{});
    auto runner = [this]() -> awaitable<void> {
      co_await dispatcher_->run();
      run_done_ = true;
    };
    asio::co_spawn(io_, std::move(runner), asio::detached);
  }

  // Stores a message of `parts` parts and hands it to the dispatcher, as the API does
  // (unless `hand_over` is false: then it is only in the store, as after a restart).
  std::string submit(int parts = 1, std::optional<Clock::time_point> expires_at = std::nullopt,
                     bool hand_over = true) {
    store::NewMessage m;
    m.to = "+15125551234";
    m.text = "hello";
    m.encoding = "gsm7";
    m.expires_at = expires_at;
    m.created_at = Clock::now();
    for (int i = 1; i <= parts; ++i) m.parts.push_back(store::NewPart{pdu_of(i), 20 + i});
    auto job = [m](store::Store& s) mutable -> Result<std::string> {
      m.id = s.new_id(m.created_at);
      const std::vector<store::NewMessage> one{m};
      auto stored = s.insert_messages(one);
      if (!stored) return stored.error();
      return stored->ids.at(0);
    };
    auto id = call(job);
    EXPECT_TRUE(id.ok()) << id.error().message;
    if (!id.ok()) return {};
    if (hand_over) dispatcher_->enqueue(queued_from(message(*id)));
    return *id;
  }

  store::StoredMessage message(const std::string& id) {
    auto job = [id](store::Store& s) { return s.get_message(id); };
    auto read = call(job);
    EXPECT_TRUE(read.ok()) << read.error().message;
    return read.ok() ? *read : store::StoredMessage{};
  }

  // Runs one store job through the worker and returns its result.
  template <class F>
  std::invoke_result_t<F&, store::Store&> call(F& job) {
    using R = std::invoke_result_t<F&, store::Store&>;
    std::optional<R> result;
    auto runner = [&]() -> awaitable<void> { result.emplace(co_await worker_->call(job)); };
    asio::co_spawn(io_, std::move(runner), asio::detached);
    run_until([&] { return result.has_value(); });
    if (!result) return R(make_error("test.timeout", "the store job did not complete"));
    return std::move(*result);
  }

  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      if (io_.stopped()) io_.restart();
      io_.run_for(2ms);
    }
    return done();
  }

  // The message reached `status` (the dispatcher said so after the store's commit).
  bool reaches(const std::string& id, MessageStatus status) {
    return run_until([&] { return observer_.saw(id, status); });
  }

  // Runs the loop for a while to show that nothing more happens.
  void settle(std::chrono::milliseconds duration = 300ms) {
    run_until([] { return false; }, duration);
  }

  std::size_t total_calls() const {
    std::size_t n = 0;
    for (const auto& m : modems_) n += m->calls.size();
    return n;
  }

  // After one send and nothing more, the single-part message `id` is `status`; returns its
  // stored part (empty when the message has no part).
  store::StoredPart one_send_ended(const std::string& id, MessageStatus status) {
    settle();
    EXPECT_EQ(total_calls(), 1u);
    const auto stored = message(id);
    EXPECT_EQ(stored.status, status);
    EXPECT_EQ(stored.parts.size(), 1u);
    return stored.parts.empty() ? store::StoredPart{} : stored.parts[0];
  }

  // ... expired, and its part is not left `sending`.
  void expect_expired_after_one_send(const std::string& id) {
    EXPECT_NE(one_send_ended(id, MessageStatus::expired).status, PartStatus::sending);
  }

  asio::io_context io_;
  test_support::TempDir dir_;
  std::unique_ptr<store::StoreWorker> worker_;
  scheduler::OperatorTable operators_;
  Network network_;
  std::vector<std::unique_ptr<FakeModem>> modems_;  // outlive the dispatcher
  RecordingObserver observer_;
  std::unique_ptr<Dispatcher> dispatcher_;
  bool run_done_ = false;
};

TEST_F(DispatcherTest, SinglePartIsClaimedSentAndRecordedWithItsMr) {
  auto& m1 = add_modem("m1");
  network_.script = {sent(42)};
  start();
  const auto id = submit();

  ASSERT_TRUE(reaches(id, MessageStatus::sent));
  ASSERT_EQ(m1.calls.size(), 1u);
  EXPECT_EQ(m1.calls[0].pdu, pdu_of(1));
  EXPECT_EQ(m1.calls[0].length, 21u);
  const auto stored = message(id);
  EXPECT_EQ(stored.status, MessageStatus::sent);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_EQ(stored.assigned_modem.value_or(""), "m1");
  ASSERT_EQ(stored.parts.size(), 1u);
  EXPECT_EQ(stored.parts[0].status, PartStatus::sent);
  EXPECT_EQ(stored.parts[0].mr, 42);
  EXPECT_EQ(stored.parts[0].modem.value_or(""), "m1");
  EXPECT_EQ(observer_.parts_sent, 1);
}

TEST_F(DispatcherTest, MultipartLeavesPartByPartThroughOneModem) {
  auto& m1 = add_modem("m1");
  auto& m2 = add_modem("m2");
  start();
  const auto id = submit(3);

  ASSERT_TRUE(reaches(id, MessageStatus::sent));
  auto& used = m1.calls.empty() ? m2 : m1;
  auto& idle = m1.calls.empty() ? m1 : m2;
  EXPECT_TRUE(idle.calls.empty());
  ASSERT_EQ(used.calls.size(), 3u);
  const auto stored = message(id);
  EXPECT_EQ(stored.status, MessageStatus::sent);
  ASSERT_EQ(stored.parts.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(used.calls[k].pdu, pdu_of(k + 1));
    EXPECT_EQ(stored.parts[k].status, PartStatus::sent);
    EXPECT_EQ(stored.parts[k].mr, static_cast<int>(used.calls[k].result.mr));
    EXPECT_EQ(stored.parts[k].modem.value_or(""), used.snapshot().id);
  }
}

TEST_F(DispatcherTest, RetryOtherSimRequeuesWithBackOffOnTheOtherModem) {
  ASSERT_EQ(scheduler::classify_send_error(make_error("cms.38", "")),
            scheduler::FailureClass::retry_other_sim);
  auto& m1 = add_modem("m1");
  auto& m2 = add_modem("m2");
  network_.script = {failed("cms.38")};
  start();
  const auto id = submit();

  ASSERT_TRUE(reaches(id, MessageStatus::queued));
  ASSERT_TRUE(reaches(id, MessageStatus::sent));
  ASSERT_EQ(m1.calls.size(), 1u);
  ASSERT_EQ(m2.calls.size(), 1u);
  auto& first = m1.calls[0].at < m2.calls[0].at ? m1 : m2;
  auto& second = &first == &m1 ? m2 : m1;
  EXPECT_FALSE(first.calls[0].result.outcome == PartResult::Outcome::sent);
  EXPECT_GE(second.calls[0].at - first.calls[0].at, 100ms) << "the retry waited its back-off";
  const auto stored = message(id);
  EXPECT_EQ(stored.status, MessageStatus::sent);
  EXPECT_EQ(stored.attempts, 2);
  EXPECT_EQ(stored.parts[0].modem.value_or(""), second.snapshot().id);
  EXPECT_EQ(stored.parts[0].mr, static_cast<int>(second.calls[0].result.mr));
}

TEST_F(DispatcherTest, PermanentErrorFailsTheMessage) {
  ASSERT_EQ(scheduler::classify_send_error(make_error("cms.1", "")),
            scheduler::FailureClass::permanent);
  add_modem("m1");
  add_modem("m2");
  network_.script = {failed("cms.1")};
  start();
  const auto id = submit();

  ASSERT_TRUE(reaches(id, MessageStatus::failed));
  const auto part = one_send_ended(id, MessageStatus::failed);
  EXPECT_EQ(part.status, PartStatus::failed);
  EXPECT_NE(part.error.value_or("").find("cms.1"), std::string::npos);
}

TEST_F(DispatcherTest, FailureOnALaterPartPinsTheRetryToTheSameModem) {
  auto& m1 = add_modem("m1");
  auto& m2 = add_modem("m2");
  network_.script = {sent(7), failed("cms.38")};
  start();
  const auto id = submit(3);

  ASSERT_TRUE(reaches(id, MessageStatus::sent));
  auto& used = m1.calls.empty() ? m2 : m1;
  auto& idle = m1.calls.empty() ? m1 : m2;
  EXPECT_TRUE(idle.calls.empty()) << "a part left through the other modem";
  ASSERT_EQ(used.calls.size(), 4u);
  EXPECT_EQ(used.calls[0].pdu, pdu_of(1));
  EXPECT_EQ(used.calls[1].pdu, pdu_of(2));
  EXPECT_EQ(used.calls[2].pdu, pdu_of(2));
  EXPECT_EQ(used.calls[3].pdu, pdu_of(3));
  const auto stored = message(id);
  EXPECT_EQ(stored.status, MessageStatus::sent);
  EXPECT_EQ(stored.pinned_modem.value_or(""), used.snapshot().id);
  ASSERT_EQ(stored.parts.size(), 3u);
  EXPECT_EQ(stored.parts[0].mr, 7);
  EXPECT_EQ(stored.parts[1].mr, static_cast<int>(used.calls[2].result.mr));
  EXPECT_EQ(stored.parts[2].mr, static_cast<int>(used.calls[3].result.mr));
  for (const auto& part : stored.parts) {
    EXPECT_EQ(part.status, PartStatus::sent);
    EXPECT_EQ(part.modem.value_or(""), used.snapshot().id);
  }
}

TEST_F(DispatcherTest, UnknownOutcomeLeavesThePartUnknownAndIsNotResent) {
  add_modem("m1");
  add_modem("m2");
  network_.script = {unknown("at.timeout")};
  auto options = quick_options();
  options.retry.resend_unknown_outcome = false;  // store.at_least_once off
  start(options);
  const auto id = submit();

  ASSERT_TRUE(reaches(id, MessageStatus::unknown));
  EXPECT_EQ(one_send_ended(id, MessageStatus::unknown).status, PartStatus::unknown);
}

TEST_F(DispatcherTest, NotReadyRequeuesWithoutChargingAnAttempt) {
  ASSERT_EQ(scheduler::classify_send_error(make_error("cms.17", "")),
            scheduler::FailureClass::retry_soon);
  add_modem("m1");
  network_.script = {failed("modem.not_ready"), failed("modem.not_ready"), failed("cms.17")};
  auto options = quick_options();
  options.retry.max_attempts = 2;  // one real failure may be retried once
  start(options);
  const auto id = submit();

  ASSERT_TRUE(run_until([&] {
    return observer_.saw(id, MessageStatus::sent) || observer_.saw(id, MessageStatus::failed);
  }));
  EXPECT_FALSE(observer_.saw(id, MessageStatus::failed))
      << "the not-ready sends were charged as attempts: " << message(id).last_error.value_or("");
  EXPECT_TRUE(observer_.saw(id, MessageStatus::sent));
  EXPECT_EQ(total_calls(), 4u);
  EXPECT_EQ(message(id).status, MessageStatus::sent);
}

TEST_F(DispatcherTest, ValidityEndingDuringBackOffExpiresTheMessage) {
  add_modem("m1");
  network_.script = {failed("cms.17")};
  auto options = quick_options();
  options.retry.backoff_initial = 10s;
  options.retry.backoff_max = 10s;
  start(options);
  const auto id = submit(1, Clock::now() + 1s);

  ASSERT_TRUE(reaches(id, MessageStatus::expired));
  expect_expired_after_one_send(id);
}

TEST_F(DispatcherTest, ValidityEndingWhileQueuedForRetryExpiresTheMessage) {
  auto& m1 = add_modem("m1");
  m1.absent_after_send = true;  // no modem can take the retry before the validity ends
  network_.script = {failed("cms.17")};
  start();  // back-off 100 ms
  const auto id = submit(1, Clock::now() + 1s);

  ASSERT_TRUE(reaches(id, MessageStatus::queued));
  ASSERT_TRUE(reaches(id, MessageStatus::expired));
  expect_expired_after_one_send(id);
}

// A backlog at one priority goes out the most parts first (then oldest first), so the
// last round is not one long message on one SIM while the others idle.
TEST_F(DispatcherTest, ABacklogGoesOutLongestFirst) {
  auto& m1 = add_modem("m1");
  m1.hold();
  start();
  const auto first = submit(1);
  ASSERT_TRUE(run_until([&] { return m1.in_flight == 1; }));
  const auto one = submit(1);
  const auto three = submit(3);
  const auto two = submit(2);
  m1.release();
  for (const auto& id : {first, one, three, two}) ASSERT_TRUE(reaches(id, MessageStatus::sent));
  std::vector<std::size_t> lengths;  // tpdu length 20 + part index (submit)
  for (const auto& c : m1.calls) lengths.push_back(c.length);
  EXPECT_EQ(lengths, (std::vector<std::size_t>{21, 21, 22, 23, 21, 22, 21}));
}

// Memory holds a bounded window of each queue group, its first messages in order; the rest
// wait in the store and are read by index as the window drains. They leave in order.
TEST_F(DispatcherTest, ABacklogBeyondTheWindowWaitsInTheStoreAndLeavesInOrder) {
  auto& m1 = add_modem("m1");
  m1.hold();
  auto options = quick_options();
  options.group_window = 4;
  start(options);
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(submit(1));
  ASSERT_TRUE(run_until([&] { return m1.in_flight == 1; }));
  std::size_t most = dispatcher_->messages_in_memory();
  m1.release();
  ASSERT_TRUE(run_until([&] {
    most = std::max(most, dispatcher_->messages_in_memory());
    return observer_.saw(ids.back(), MessageStatus::sent);
  }));
  EXPECT_LE(most, 4u);
  std::vector<int> order;  // the network's MR of each message, in submission order
  for (const auto& id : ids) {
    ASSERT_TRUE(reaches(id, MessageStatus::sent)) << id;
    order.push_back(message(id).parts.at(0).mr.value_or(-1));
  }
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
  EXPECT_EQ(m1.calls.size(), 20u);
}

// After a restart the queue is read group by group, a window each, not whole.
TEST_F(DispatcherTest, ARestartReadsAWindowOfEachGroup) {
  auto& m1 = add_modem("m1");
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(submit(1 + i % 2, std::nullopt, false));
  m1.hold();
  auto options = quick_options();
  options.group_window = 3;
  start(options);
  ASSERT_TRUE(run_until([&] { return m1.in_flight == 1; }));
  settle(50ms);
  EXPECT_LE(dispatcher_->messages_in_memory(), 3u);
  m1.release();
  for (const auto& id : ids) {
    ASSERT_TRUE(reaches(id, MessageStatus::sent))
        << id << " " << m1.calls.size() << " " << store::to_string(message(id).status) << " "
        << dispatcher_->messages_in_memory();
  }
  // Longest first: the six two-part messages, then the six single ones.
  std::vector<std::size_t> lengths;
  for (const auto& c : m1.calls) lengths.push_back(c.length);
  EXPECT_EQ(std::count(lengths.begin(), lengths.begin() + 12, 22u), 6);
  EXPECT_EQ(lengths.size(), 18u);
}

TEST_F(DispatcherTest, StopLetsTheSendInFlightFinish) {
  auto& m1 = add_modem("m1");
  m1.hold();
  network_.script = {sent(9)};
  start();
  const auto id = submit();

  ASSERT_TRUE(run_until([&] { return m1.in_flight == 1; }));
  dispatcher_->stop();
  settle(100ms);
  EXPECT_FALSE(run_done_) << "run() returned with a send in flight";
  m1.release();
  ASSERT_TRUE(run_until([&] { return run_done_; }));
  const auto stored = message(id);
  EXPECT_EQ(stored.status, MessageStatus::sent);
  EXPECT_EQ(stored.parts.at(0).mr, 9);
  EXPECT_EQ(total_calls(), 1u);
}

}  // namespace
}  // namespace smsgw::gateway
