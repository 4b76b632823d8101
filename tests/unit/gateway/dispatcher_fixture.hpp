// The dispatcher tests' fixture: scripted modems (PartSender) and a real store on a
// temporary file behind a StoreWorker, on one io_context the test drives in short slices
// until a condition holds. Shared by dispatcher_test.cpp and dispatcher_pause_test.cpp.
#pragma once

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

#include "io_loop.hpp"
#include "smsgw/common/event.hpp"
#include "smsgw/gateway/dispatcher.hpp"
#include "smsgw/scheduler/retry_policy.hpp"
#include "smsgw/store/store.hpp"
#include "temp_dir.hpp"

namespace smsgw::gateway::testing {

using namespace std::chrono_literals;
using modem::PartResult;
using store::MessageStatus;
using store::PartStatus;
using Clock = std::chrono::system_clock;

inline PartResult sent(int mr) {
  PartResult r;
  r.outcome = PartResult::Outcome::sent;
  r.mr = static_cast<std::uint8_t>(mr);
  return r;
}
inline PartResult failed(const std::string& code) {
  PartResult r;
  r.outcome = PartResult::Outcome::failed;
  r.error = make_error(code, "scripted " + code);
  return r;
}
inline PartResult unknown(const std::string& code) {
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
  // The modem's snapshot as the dispatcher reads it (state, ICCID).
  modem::ModemSnapshot& state() { return snapshot_; }
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
    if (status == MessageStatus::sending) sending_order.push_back(id);
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
  std::vector<std::string> sending_order;  // ids, as each send began
  int parts_sent = 0;
  std::vector<std::string> part_errors;
};

inline std::string pdu_of(int part) { return "0041000B915121551532F4000" + std::to_string(part); }

inline DispatcherOptions quick_options() {
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
                     bool hand_over = true, std::optional<std::string> pinned_modem = std::nullopt,
                     std::string to = "+15125551234") {
    store::NewMessage m;
    m.pinned_modem = std::move(pinned_modem);
    m.to = std::move(to);
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
    return testing::run_until(io_, done, limit);
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

}  // namespace smsgw::gateway::testing
