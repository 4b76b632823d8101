// ModemActor::reset over the in-memory fake modem (fake_modem.hpp): the port is reopened and
// the radio switched off and on at once, a hung modem sends again, a second reset while
// one runs is refused, an absent modem has nothing to reset.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "actor_rig.hpp"
#include "fake_modem.hpp"
#include "smsgw/modem/modem.hpp"

namespace smsgw::modem {
namespace {

using namespace std::chrono_literals;
using testing::FakeModem;
using testing::FakeOpener;

class ResetHarness : public testing::ActorRig {
 public:
  ResetHarness()
      : modem(std::make_shared<FakeModem>(io.get_executor())),
        opener(std::make_shared<FakeOpener>(modem)) {
    spdlog::set_level(spdlog::level::off);
    ModemSettings settings;
    settings.id = "m1";
    settings.port = "/dev/fake0";
    settings.poll_interval = 60s;  // the actor does not find the hang by itself
    settings.send_timeout = 300ms;
    settings.command_timeout = 300ms;
    settings.long_command_timeout = 300ms;
    settings.prompt_timeout = 300ms;
    settings.probe_timeout = 100ms;
    settings.backoff_initial = 20ms;
    settings.backoff_max = 100ms;
    settings.absent_poll = 20ms;
    settings.reboot_wait = 20ms;
    settings.sim_ready_wait = 300ms;
    create(std::move(settings), opener);
  }
  ~ResetHarness() override { shutdown(2s); }

  PartResult send_text(std::string_view text) {
    auto encoded = pdu::encode_submit("+4917012345678", text);
    EXPECT_TRUE(encoded);
    auto result = try_await(actor->send(encoded->parts.front()), 3s);
    EXPECT_TRUE(result.has_value());
    return result.value_or(PartResult{});
  }

  std::size_t count(std::string_view command) const {
    return static_cast<std::size_t>(
        std::count(modem->commands.begin(), modem->commands.end(), command));
  }

  std::shared_ptr<FakeModem> modem;
  std::shared_ptr<FakeOpener> opener;
};

TEST(ModemActorReset, HungModemIsReopenedRadioCycledAndSendsAgain) {
  ResetHarness h;
  h.start();
  ASSERT_TRUE(h.ready());
  h.modem->hung = true;  // answers nothing until the port is reopened
  const int opens = h.modem->opens;
  const auto recoveries = h.actor->snapshot().recoveries_total;

  ASSERT_TRUE(h.actor->reset().ok());
  EXPECT_TRUE(h.actor->resetting());
  EXPECT_FALSE(h.actor->can_send());  // no new send while the reset runs
  ASSERT_TRUE(h.ready());
  EXPECT_FALSE(h.actor->resetting());
  EXPECT_EQ(h.modem->opens, opens + 1);
  EXPECT_EQ(h.count("AT+CFUN=0;+CFUN=1"), 1u);
  EXPECT_EQ(h.actor->snapshot().recoveries_total, recoveries + 1);
  EXPECT_EQ(h.send_text("after the reset").outcome, PartResult::Outcome::sent);
}

TEST(ModemActorReset, SecondResetWhileOneRunsIsAConflict) {
  ResetHarness h;
  h.start();
  ASSERT_TRUE(h.ready());
  ASSERT_TRUE(h.actor->reset().ok());
  const auto again = h.actor->reset();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorCode::conflict);
  EXPECT_NE(again.error().message.find("already running"), std::string::npos);
  ASSERT_TRUE(h.ready());
  EXPECT_TRUE(h.actor->reset().ok());  // once it has ended, another may start
  ASSERT_TRUE(h.ready());
}

TEST(ModemActorReset, AbsentModemHasNothingToReset) {
  ResetHarness h;
  h.start();
  ASSERT_TRUE(h.ready());
  h.modem->unplug();
  ASSERT_TRUE(h.run_until([&] { return h.actor->snapshot().state == ModemState::absent; }));
  const auto refused = h.actor->reset();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorCode::modem_not_ready);
  EXPECT_NE(refused.error().message.find("absent"), std::string::npos);
}

// A reset cuts a back-off short: the modem is reopened at once, not after the back-off.
TEST(ModemActorReset, CutsABackOffShort) {
  ResetHarness h;
  h.start();
  ASSERT_TRUE(h.ready());
  h.modem->hung = true;
  // A send with no prompt: the ladder's first rung finds no answer and backs off.
  (void)h.send_text("lost");
  ASSERT_TRUE(h.run_until([&] { return h.actor->snapshot().state == ModemState::backoff; }));
  ASSERT_TRUE(h.actor->reset().ok());
  ASSERT_TRUE(h.ready(1s));
  EXPECT_EQ(h.count("AT+CFUN=0;+CFUN=1"), 1u);
}

}  // namespace
}  // namespace smsgw::modem
