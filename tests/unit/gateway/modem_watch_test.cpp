// ModemWatch: modem.down once per outage longer than down_after, modem.up when it is back,
// nothing for a short outage; the payload names the modem, port, SIM, operator, state,
// since and last error.
#include "smsgw/gateway/modem_watch.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "io_loop.hpp"
#include "smsgw/scheduler/policy.hpp"

namespace smsgw::gateway {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class ModemWatchTest : public ::testing::Test {
 protected:
  ModemWatchTest()
      : watch_(io_.get_executor(), 150ms, [this](const std::string& event, const std::string& p) {
          events_.emplace_back(event, json::parse(p));
        }) {
    asio::co_spawn(
        io_,
        [this]() -> awaitable<void> {
          co_await watch_.run();
          done_ = true;
        },
        asio::detached);
  }
  ~ModemWatchTest() override {
    watch_.stop();
    run_until([&] { return done_; }, 1s);
  }

  bool run_until(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
    return testing::run_until(io_, condition, limit);
  }
  void run_for(std::chrono::milliseconds duration) {
    run_until([] { return false; }, duration);
  }

  static modem::ModemSnapshot snapshot(modem::ModemState state) {
    modem::ModemSnapshot s;
    s.id = "modem0";
    s.port = "/dev/smsgw/modem0";
    s.iccid = "8949010000000000016";
    s.state = state;
    return s;
  }

  asio::io_context io_;
  std::vector<std::pair<std::string, json>> events_;
  ModemWatch watch_;
  bool done_ = false;
};

TEST_F(ModemWatchTest, DownOncePerOutageThenUp) {
  watch_.observe(snapshot(modem::ModemState::ready), "Telekom");
  auto down = snapshot(modem::ModemState::absent);
  down.last_error = make_error(ErrorCode::at_io, "lost /dev/smsgw/modem0");
  const auto left_at = std::chrono::system_clock::now();
  watch_.observe(down, std::nullopt);
  ASSERT_TRUE(run_until([&] { return !events_.empty(); }, 2s));
  // Later states of the same outage raise nothing more.
  watch_.observe(snapshot(modem::ModemState::opening), std::nullopt);
  watch_.observe(snapshot(modem::ModemState::backoff), std::nullopt);
  run_for(400ms);
  ASSERT_EQ(events_.size(), 1u);
  const auto [name, payload] = events_.front();  // a copy: events_ grows below
  EXPECT_EQ(name, "modem.down");
  EXPECT_EQ(payload["modem"], "modem0");
  EXPECT_EQ(payload["port"], "/dev/smsgw/modem0");
  EXPECT_EQ(payload["iccid"], "8949010000000000016");
  EXPECT_EQ(payload["operator"], "Telekom");
  EXPECT_EQ(payload["state"], "absent");
  EXPECT_EQ(payload["last_error"], "lost /dev/smsgw/modem0");
  EXPECT_EQ(payload["since"].get<std::string>().substr(0, 16),
            scheduler::format_utc(left_at).substr(0, 16));

  watch_.observe(snapshot(modem::ModemState::ready), std::nullopt);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(events_[1].first, "modem.up");
  EXPECT_EQ(events_[1].second["state"], "ready");
  EXPECT_EQ(events_[1].second["down_since"], payload["since"]);
  EXPECT_TRUE(events_[1].second["last_error"].is_null());

  // A second outage is a second modem.down.
  watch_.observe(snapshot(modem::ModemState::backoff), std::nullopt);
  ASSERT_TRUE(run_until([&] { return events_.size() == 3; }, 2s));
  EXPECT_EQ(events_[2].first, "modem.down");
  EXPECT_EQ(events_[2].second["state"], "backoff");
}

TEST_F(ModemWatchTest, ShortOutageRaisesNothing) {
  watch_.observe(snapshot(modem::ModemState::ready), std::nullopt);
  watch_.observe(snapshot(modem::ModemState::initialising), std::nullopt);
  run_for(50ms);
  watch_.observe(snapshot(modem::ModemState::sending), std::nullopt);
  run_for(300ms);
  EXPECT_TRUE(events_.empty());
}

// A modem watched from its attachment is reported even when it never was ready; a
// forgotten (retired) one is not.
TEST_F(ModemWatchTest, AbsentFromTheStartIsDownAndForgottenIsNot) {
  watch_.observe(snapshot(modem::ModemState::absent), std::nullopt);
  auto other = snapshot(modem::ModemState::absent);
  other.id = "modem1";
  watch_.observe(other, std::nullopt);
  watch_.forget("modem1");
  ASSERT_TRUE(run_until([&] { return !events_.empty(); }, 2s));
  run_for(200ms);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].second["modem"], "modem0");
  EXPECT_TRUE(events_[0].second["operator"].is_null());
}

}  // namespace
}  // namespace smsgw::gateway
