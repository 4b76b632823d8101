// ActorRig: one ModemActor on its own io_context, driven from a test's thread, with a
// listener that records what the actor hands over. Shared by the actor's unit tests
// (fake modem), its integration tests (smsgw-sim) and the opt-in real-modem tests.
//
// The test thread runs the io_context in short slices (run_until) until a condition holds
// or a limit passes; nothing runs in the background between calls.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "smsgw/common/net.hpp"
#include "smsgw/modem/modem.hpp"

namespace smsgw::modem::testing {

// Records states and offers; answers each offer as the test tells it to.
class RecordingListener final : public ModemListener {
 public:
  void on_state_changed(const ModemSnapshot& snapshot) override {
    if (states.empty() || states.back() != snapshot.state) states.push_back(snapshot.state);
  }
  awaitable<bool> on_inbound(InboundSms sms) override {
    inbound.push_back(std::move(sms));
    co_return store_inbound;
  }
  awaitable<bool> on_status_report(StatusReportEvent report) override {
    const bool store = store_report_if ? store_report_if(report) : store_reports;
    reports.push_back(std::move(report));
    co_return store;
  }

  std::vector<ModemState> states;
  std::vector<InboundSms> inbound;
  std::vector<StatusReportEvent> reports;
  bool store_inbound = true;
  bool store_reports = true;
  // When set, decides per report instead of `store_reports`.
  std::function<bool(const StatusReportEvent&)> store_report_if;
};

class ActorRig {
 public:
  ActorRig() = default;
  ActorRig(const ActorRig&) = delete;
  ActorRig& operator=(const ActorRig&) = delete;
  virtual ~ActorRig() { shutdown(); }

  // Builds the actor (once); derived rigs call it when their port exists.
  void create(ModemSettings settings, std::shared_ptr<PortOpener> opener = make_tty_port_opener()) {
    actor = std::make_unique<ModemActor>(io.get_executor(), std::move(settings), listener,
                                         std::move(opener));
  }

  void start() {
    asio::co_spawn(
        io,
        [this]() -> awaitable<void> {
          co_await actor->run();
          run_done = true;
        },
        asio::detached);
    started = true;
  }

  // Stops the actor and lets run() return. Idempotent.
  void shutdown(std::chrono::milliseconds limit = std::chrono::seconds(3)) {
    if (!actor) return;
    actor->stop();
    if (started) run_until([&] { return run_done; }, limit);
    started = false;
  }

  bool run_until(const std::function<bool()>& done,
                 std::chrono::milliseconds limit = std::chrono::seconds(3)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      if (io.stopped()) io.restart();
      io.run_for(std::chrono::milliseconds(2));
    }
    return done();
  }

  // Runs the loop for `duration` whatever happens (lets late events arrive).
  void run_for(std::chrono::milliseconds duration) {
    run_until([] { return false; }, duration);
  }

  bool ready(std::chrono::milliseconds limit = std::chrono::seconds(3)) {
    return run_until([&] { return actor->can_send(); }, limit);
  }

  // The task's result, or nothing when it did not complete within `limit` (the task then
  // finishes later into a result nobody reads).
  template <class T>
  std::optional<T> try_await(awaitable<T> task, std::chrono::milliseconds limit) {
    auto result = std::make_shared<std::optional<T>>();
    auto runner = [result, task = std::move(task)]() mutable -> awaitable<void> {
      result->emplace(co_await std::move(task));
    };
    asio::co_spawn(io, std::move(runner), asio::detached);
    run_until([&] { return result->has_value(); }, limit);
    return std::move(*result);
  }

  asio::io_context io;
  RecordingListener listener;
  std::unique_ptr<ModemActor> actor;
  bool run_done = false;
  bool started = false;
};

}  // namespace smsgw::modem::testing
