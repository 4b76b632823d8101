#include "smsgw/at/channel.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "test_stream.hpp"

namespace smsgw::at {
namespace {

using namespace std::chrono_literals;
using testing::TestStream;
namespace beast_test = testing::beast_test;

constexpr auto kLong = 5s;  // a timeout that the tests never reach

// ASSERT_* returns from the function, which a coroutine cannot do: these co_return.
#define CO_ASSERT(condition)                               \
  do {                                                     \
    if (!(condition)) {                                    \
      ADD_FAILURE() << "assertion failed: " << #condition; \
      co_return;                                           \
    }                                                      \
  } while (false)
#define CO_ASSERT_OK(result)                                   \
  do {                                                         \
    if (!(result).ok()) {                                      \
      ADD_FAILURE() << "failed: " << (result).error().message; \
      co_return;                                               \
    }                                                          \
  } while (false)

// A channel whose far end ("the modem") the test drives by hand: modem.str() is what the
// channel wrote, send() is what the modem answers.
class ChannelTest : public ::testing::Test {
 protected:
  void make_channel(std::size_t read_size = 1024, TestStream::WriteHook on_write = {},
                    beast_test::fail_count* failures = nullptr) {
    beast_test::stream host =
        failures ? beast_test::stream(io_, *failures) : beast_test::stream(io_);
    host.connect(modem_);
    host.read_size(read_size);
    channel_ = std::make_unique<Channel>(
        std::make_unique<TestStream>(std::move(host), std::move(on_write)));
    channel_->on_urc([this](const Urc& urc) { urcs_.push_back(urc); });
  }

  // The modem sends `bytes` to the channel.
  void send(std::string_view bytes) {
    asio::write(modem_, asio::buffer(bytes.data(), bytes.size()));
  }

  // Waits (by yielding to the other coroutines) until the channel has written something
  // that contains one of `terminators`; returns and consumes everything written so far.
  // Returns "" once the channel is closed or failed.
  awaitable<std::string> written(std::string_view terminators = "\r") {
    for (int spin = 0; spin < 200000; ++spin) {
      const std::string pending(modem_.str());
      if (pending.find_first_of(terminators) != std::string::npos) {
        modem_.clear();
        co_return pending;
      }
      if (!channel_->is_open()) co_return std::string();
      co_await asio::post(io_.get_executor(), use_awaitable);
    }
    ADD_FAILURE() << "the channel wrote nothing ending in one of the expected bytes";
    co_return std::string(modem_.str());
  }

  // One exchange of the modem's side of a dialogue: wait until the channel wrote something
  // ending in one of `until`, check it against `expect` (unless empty), answer `reply`.
  struct Step {
    std::string expect{};
    std::string reply{};
    std::string_view until = "\r";
  };

  // Plays `steps` beside the scenario; stops early once the channel is closed or failed.
  void modem_answers(std::vector<Step> steps) {
    auto script = [this, steps = std::move(steps)]() -> awaitable<void> {
      for (const auto& step : steps) {
        const std::string got = co_await written(step.until);
        if (got.empty()) co_return;
        if (!step.expect.empty()) {
          EXPECT_EQ(got, step.expect);
        }
        send(step.reply);
      }
    };
    asio::co_spawn(io_, std::move(script), asio::detached);
  }

  // One command against a modem that answers `answer`: the command is written as is, and
  // its reply carries `expected_lines`. URCs are left in urcs_ for the test to check.
  void exchange(const std::string& command, const std::string& answer,
                const std::vector<std::string>& expected_lines, std::size_t read_size = 1024) {
    make_channel(read_size);
    run([&]() -> awaitable<void> {
      modem_answers({{.expect = command + "\r", .reply = answer}});
      auto reply = co_await channel_->command(command, kLong);
      CO_ASSERT_OK(reply);
      EXPECT_EQ(reply->lines, expected_lines);
    });
  }

  // Runs the reader loop and `scenario` to completion, then closes the channel.
  void run(std::function<awaitable<void>()> scenario, bool start_reader = true) {
    bool scenario_done = false;
    if (start_reader) {
      asio::co_spawn(
          io_,
          [this]() -> awaitable<void> {
            co_await channel_->run();
            reader_done_ = true;
          },
          asio::detached);
    }
    asio::co_spawn(
        io_,
        [&]() -> awaitable<void> {
          co_await scenario();
          channel_->close();
          scenario_done = true;
        },
        asio::detached);
    io_.run();
    EXPECT_TRUE(scenario_done);
    if (start_reader) {
      EXPECT_TRUE(reader_done_);
    }
  }

  asio::io_context io_;
  beast_test::stream modem_{io_};
  std::unique_ptr<Channel> channel_;
  std::vector<Urc> urcs_;
  bool reader_done_ = false;
};

TEST_F(ChannelTest, CommandReturnsTheInformationLines) {
  exchange("AT+CSQ", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n", {"+CSQ: 20,99"});
}

TEST_F(ChannelTest, OneBytePerReadWithEchoOn) {
  // gammu#523: echo, then the answer.
  exchange("AT+CGMR", "AT+CGMR\r\r\n21.263.03.00.141\r\n\r\nOK\r\n", {"21.263.03.00.141"}, 1);
}

TEST_F(ChannelTest, UrcInTheMiddleOfAReplyGoesToTheHandlerOnly) {
  exchange("AT+CSQ", "\r\n+CSQ: 20,99\r\n\r\n+CMTI: \"SM\",3\r\n\r\nOK\r\n", {"+CSQ: 20,99"}, 1);
  ASSERT_EQ(urcs_.size(), 1U);
  EXPECT_EQ(urcs_[0].name, "+CMTI");
  EXPECT_EQ(urcs_[0].line, "+CMTI: \"SM\",3");
  EXPECT_FALSE(urcs_[0].body.has_value());
}

TEST_F(ChannelTest, TwoLineUrcCarriesItsPduEvenInsideAReply) {
  // python-gsmmodem#44: a +CDS arriving with the next command's reply.
  exchange("AT+CSQ",
           "\r\n+CDS: 25\r\n079119890400202306400C91197909913764511090718384225110907183252200\r\n"
           "+CSQ: 17,99\r\n\r\nOK\r\n",
           {"+CSQ: 17,99"}, 3);
  ASSERT_EQ(urcs_.size(), 1U);
  EXPECT_EQ(urcs_[0].name, "+CDS");
  EXPECT_EQ(urcs_[0].line, "+CDS: 25");
  EXPECT_EQ(urcs_[0].body, "079119890400202306400C91197909913764511090718384225110907183252200");
}

TEST_F(ChannelTest, UrcsBetweenCommandsReachTheHandler) {
  make_channel();
  run([&]() -> awaitable<void> {
    send(
        "\r\n^RSSI:25\r\n\r\n+CMT: "
        ",23\r\n07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07\r\n");
    while (urcs_.size() < 2) co_await asio::post(io_, use_awaitable);
  });
  ASSERT_EQ(urcs_.size(), 2U);
  EXPECT_EQ(urcs_[0].name, "^RSSI");
  EXPECT_EQ(urcs_[1].name, "+CMT");
  ASSERT_TRUE(urcs_[1].body.has_value());
}

TEST_F(ChannelTest, MultiLineUssdMenuIsOneUrcAfterTheOk) {
  make_channel(2);
  run([&]() -> awaitable<void> {
    modem_answers({
        {.reply =
             "\r\nOK\r\n\r\n+CUSD: 1,\"Balance: 5.00 EUR\r\n1. Top up\r\n\r\n2. Offers\",15\r\n"},
    });
    auto reply = co_await channel_->command("AT+CUSD=1,\"*100#\",15", kLong);
    CO_ASSERT_OK(reply);
    EXPECT_TRUE(reply->lines.empty());
    while (urcs_.empty()) co_await asio::post(io_, use_awaitable);
    EXPECT_EQ(urcs_[0].name, "+CUSD");
    EXPECT_EQ(urcs_[0].line, "+CUSD: 1,\"Balance: 5.00 EUR\n1. Top up\n2. Offers\",15");
  });
}

TEST_F(ChannelTest, UnclosedUssdQuoteDoesNotSwallowTheFinalResult) {
  exchange("AT+CSQ", "\r\n+CUSD: 0,\"cut off\r\n+CSQ: 20,99\r\nOK\r\n", {"+CSQ: 20,99"});
  ASSERT_EQ(urcs_.size(), 1U);
  EXPECT_EQ(urcs_[0].line, "+CUSD: 0,\"cut off");
}

TEST_F(ChannelTest, ReplyArrivingBeforeTheWaitBeginsIsNotLost) {
  // The modem answers inside the write, before command() starts to wait.
  make_channel(1024, [this](std::string_view bytes) {
    if (bytes == "ATI\r") send("\r\nQuectel\r\nEC25\r\n\r\nOK\r\n");
  });
  run([&]() -> awaitable<void> {
    auto reply = co_await channel_->command("ATI", kLong);
    CO_ASSERT_OK(reply);
    EXPECT_EQ(reply->lines, (std::vector<std::string>{"Quectel", "EC25"}));
  });
}

TEST_F(ChannelTest, ReplyReadBeforeTheReaderStartsIsNotLost) {
  make_channel();
  std::optional<Result<Response>> result;
  asio::co_spawn(
      io_, [&]() -> awaitable<void> { result = co_await channel_->command("AT", kLong); },
      asio::detached);
  send("\r\nOK\r\n");
  io_.poll();  // the command is written and waits; nobody reads yet
  EXPECT_FALSE(result.has_value());
  run([&]() -> awaitable<void> {
    for (int spin = 0; spin < 1000 && !result; ++spin) co_await asio::post(io_, use_awaitable);
  });
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->ok());
}

TEST_F(ChannelTest, FinalErrorsBecomeErrorValues) {
  make_channel();
  run([&]() -> awaitable<void> {
    modem_answers({
        {.reply = "\r\n+CME ERROR: SIM not inserted\r\n"},
        {.reply = "\r\nCOMMAND NOT SUPPORT\r\n"},
        {.reply = "\r\nERROR\r\n"},
    });
    auto pin = co_await channel_->command("AT+CPIN?", kLong);
    CO_ASSERT(!pin.ok());
    EXPECT_EQ(pin.error().code, "cme.10");
    EXPECT_NE(pin.error().message.find("AT+CPIN?"), std::string::npos);
    auto huawei = co_await channel_->command("AT+CSCS=\"GSM\"", kLong);
    CO_ASSERT(!huawei.ok());
    EXPECT_EQ(huawei.error().code, "at.unsupported");
    auto plain = co_await channel_->command("AT+CNMI=2,1,0,2,0", kLong);
    CO_ASSERT(!plain.ok());
    EXPECT_EQ(plain.error().code, "at.error");
  });
}

TEST_F(ChannelTest, GarbageLinesDoNotEndACommand) {
  exchange("AT+CGSN",
           std::string("\r\n\xff\xfe\x00noise\r\n+CGSN: \"351234567890123\"\r\nOK\r\n", 42),
           {"\xff\xfenoise", "+CGSN: \"351234567890123\""}, 1);
}

TEST_F(ChannelTest, TimeoutThenTheNextCommandWorks) {
  make_channel();
  run([&]() -> awaitable<void> {
    auto silent = co_await channel_->command("AT+CFUN=1,1", 30ms);
    CO_ASSERT(!silent.ok());
    EXPECT_EQ(silent.error().code, "at.timeout");
    EXPECT_NE(silent.error().message.find("AT+CFUN=1,1"), std::string::npos);
    EXPECT_TRUE(channel_->is_open());
    modem_.clear();
    modem_answers({
        {.expect = "AT\r", .reply = "\r\nOK\r\n"},
    });
    auto next = co_await channel_->command("AT", kLong);
    EXPECT_TRUE(next.ok());
  });
}

TEST_F(ChannelTest, StrayFinalResultWithNoCommandIsIgnored) {
  make_channel();
  run([&]() -> awaitable<void> {
    send("\r\nOK\r\n\r\nERROR\r\n");
    for (int spin = 0; spin < 100; ++spin) co_await asio::post(io_, use_awaitable);
    modem_answers({
        {.reply = "\r\n+CSQ: 9,99\r\n\r\nOK\r\n"},
    });
    auto reply = co_await channel_->command("AT+CSQ", kLong);
    CO_ASSERT(reply.ok());
    EXPECT_EQ(reply->lines, std::vector<std::string>{"+CSQ: 9,99"});
  });
}

TEST_F(ChannelTest, SolicitedRegistrationLineIsPartOfTheReply) {
  make_channel();
  run([&]() -> awaitable<void> {
    modem_answers({
        {.reply = "\r\n+CREG: 2,1,8BE3,2BAF\r\n\r\nOK\r\n"},
        {.reply = "\r\n+CREG: 1,84CD,00D30156\r\n+CSQ: 20,99\r\n\r\nOK\r\n"},
    });
    auto query = co_await channel_->command("AT+CREG?", kLong);
    CO_ASSERT(query.ok());
    EXPECT_EQ(query->lines, std::vector<std::string>{"+CREG: 2,1,8BE3,2BAF"});
    EXPECT_TRUE(urcs_.empty());
    auto other = co_await channel_->command("AT+CSQ", kLong);
    CO_ASSERT(other.ok());
    EXPECT_EQ(other->lines, std::vector<std::string>{"+CSQ: 20,99"});
    CO_ASSERT(urcs_.size() == 1U);
    EXPECT_EQ(urcs_[0].name, "+CREG");
  });
}

TEST_F(ChannelTest, CommandWithBodySendsThePduAfterThePrompt) {
  make_channel(1);
  const std::string pdu = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37";
  run([&]() -> awaitable<void> {
    modem_answers({
        {.expect = "AT+CMGS=23\r", .reply = "\r\n> "},
        {.expect = pdu + "\x1a", .reply = "\r\n+CMGS: 64\r\n\r\nOK\r\n", .until = "\x1a"},
    });
    auto reply = co_await channel_->command_with_body("AT+CMGS=23", pdu, kLong, kLong);
    CO_ASSERT_OK(reply);
    EXPECT_EQ(reply->lines, std::vector<std::string>{"+CMGS: 64"});
  });
}

TEST_F(ChannelTest, CommandWithBodyWithEchoOfCommandAndBody) {
  make_channel(2);
  const std::string pdu = "0021000C911979099137640000036D3E6";
  run([&]() -> awaitable<void> {
    modem_answers({
        {.reply = "AT+CMGS=61\r\r\n> "},  // gammu#355 framing
        {.reply = pdu + "\x1a\r\n+CMGS: 7\r\n\r\nOK\r\n", .until = "\x1a"},
    });
    auto reply = co_await channel_->command_with_body("AT+CMGS=61", pdu, kLong, kLong);
    CO_ASSERT_OK(reply);
    EXPECT_EQ(reply->lines, std::vector<std::string>{"+CMGS: 7"});
  });
}

TEST_F(ChannelTest, ZteNoiseBeforePromptAndBeforeCmgs) {
  make_channel(1);
  run([&]() -> awaitable<void> {
    modem_answers({
        // python-gsmmodem test_modem.py: ZTE sends +ZDONR/+ZPASR before '>' and +CMGS.
        {.reply = "\r\n+ZDONR: \"01\",\"01\",1,1,1\r\n\r\n+ZPASR: \"UMTS\"\r\n\r\n> "},
        {.reply = "\r\n+ZDONR: \"01\",\"01\",1,1,1\r\n\r\n+CMGS: 200\r\n\r\nOK\r\n",
         .until = "\x1a"},
    });
    auto reply = co_await channel_->command_with_body("AT+CMGS=23", "00110000", kLong, kLong);
    CO_ASSERT_OK(reply);
    EXPECT_EQ(reply->lines, std::vector<std::string>{"+CMGS: 200"});
    CO_ASSERT(urcs_.size() == 3U);
    EXPECT_EQ(urcs_[0].name, "+ZDONR");
    EXPECT_EQ(urcs_[1].name, "+ZPASR");
    EXPECT_EQ(urcs_[2].name, "+ZDONR");
  });
}

TEST_F(ChannelTest, ErrorInsteadOfPromptWritesNoBody) {
  make_channel();
  run([&]() -> awaitable<void> {
    modem_answers({
        {.reply = "\r\n+CMS ERROR: 304\r\n"},
    });
    auto reply = co_await channel_->command_with_body("AT+CMGS=999", "00", kLong, kLong);
    CO_ASSERT(!reply.ok());
    EXPECT_EQ(reply.error().code, "cms.304");
    EXPECT_EQ(std::string(modem_.str()), "");
  });
}

TEST_F(ChannelTest, PromptTimeoutSendsEscAndNoBody) {
  make_channel();
  run([&]() -> awaitable<void> {
    auto reply = co_await channel_->command_with_body("AT+CMGS=23", "0011", 30ms, kLong);
    CO_ASSERT(!reply.ok());
    EXPECT_EQ(reply.error().code, "at.timeout");
    EXPECT_NE(reply.error().message.find("prompt"), std::string::npos);
    EXPECT_EQ(std::string(modem_.str()), "AT+CMGS=23\r\x1b");
  });
}

TEST_F(ChannelTest, FinalTimeoutAfterTheBodyIsATimeout) {
  make_channel();
  run([&]() -> awaitable<void> {
    modem_answers({
        {.reply = "> "},
    });
    auto reply = co_await channel_->command_with_body("AT+CMGS=23", "0011", kLong, 30ms);
    CO_ASSERT(!reply.ok());
    EXPECT_EQ(reply.error().code, "at.timeout");
    EXPECT_NE(reply.error().message.find("after the body"), std::string::npos);
  });
}

TEST_F(ChannelTest, ConcurrentCallersAreSerialisedInArrivalOrder) {
  make_channel();
  std::vector<std::string> order;
  run([&]() -> awaitable<void> {
    int finished = 0;
    for (int i = 0; i < 3; ++i) {
      asio::co_spawn(
          io_,
          [&, i]() -> awaitable<void> {
            const std::string command = "AT+TEST=" + std::to_string(i);
            auto reply = co_await channel_->command(command, kLong);
            EXPECT_TRUE(reply.ok());
            if (reply.ok()) {
              EXPECT_EQ(reply->lines, std::vector<std::string>{"reply " + std::to_string(i)});
            }
            ++finished;
          },
          asio::detached);
    }
    for (int i = 0; i < 3; ++i) {
      const std::string got = co_await written();
      order.push_back(got);
      // Only one command may be on the wire at a time.
      EXPECT_EQ(got, "AT+TEST=" + std::to_string(i) + "\r");
      for (int spin = 0; spin < 50; ++spin) co_await asio::post(io_, use_awaitable);
      EXPECT_EQ(std::string(modem_.str()), "") << "a second command was written too early";
      send("\r\nreply " + std::to_string(i) + "\r\n\r\nOK\r\n");
    }
    while (finished < 3) co_await asio::post(io_, use_awaitable);
  });
  EXPECT_EQ(order.size(), 3U);
}

TEST_F(ChannelTest, UnplugFailsThePendingAndLaterCommandsWithIo) {
  make_channel();
  run([&]() -> awaitable<void> {
    asio::co_spawn(
        io_,
        [&]() -> awaitable<void> {
          co_await written();
          send("\r\n+CSQ: 1");  // half a line, then the device disappears
          modem_.close();
        },
        asio::detached);
    auto pending = co_await channel_->command("AT+CSQ", kLong);
    CO_ASSERT(!pending.ok());
    EXPECT_EQ(pending.error().code, "at.io");
    EXPECT_FALSE(channel_->is_open());
    auto later = co_await channel_->command("AT", kLong);
    CO_ASSERT(!later.ok());
    EXPECT_EQ(later.error().code, "at.io");
    auto body = co_await channel_->command_with_body("AT+CMGS=2", "00", kLong, kLong);
    CO_ASSERT(!body.ok());
    EXPECT_EQ(body.error().code, "at.io");
  });
}

TEST_F(ChannelTest, QueuedCallersFailPromptlyWhenTheStreamFails) {
  make_channel();
  run([&]() -> awaitable<void> {
    std::vector<std::string> codes;
    for (int i = 0; i < 4; ++i) {
      asio::co_spawn(
          io_,
          [&]() -> awaitable<void> {
            auto reply = co_await channel_->command("AT", kLong);
            codes.push_back(reply.ok() ? "ok" : reply.error().code);
          },
          asio::detached);
    }
    co_await written();
    modem_.close();
    while (codes.size() < 4) co_await asio::post(io_, use_awaitable);
    EXPECT_EQ(codes, (std::vector<std::string>(4, "at.io")));
  });
}

TEST_F(ChannelTest, CloseFailsThePendingCommandAndStopsTheReader) {
  make_channel();
  run([&]() -> awaitable<void> {
    asio::co_spawn(
        io_,
        [&]() -> awaitable<void> {
          co_await written();
          channel_->close();
        },
        asio::detached);
    auto reply = co_await channel_->command("AT", kLong);
    CO_ASSERT(!reply.ok());
    EXPECT_EQ(reply.error().code, "at.closed");
    auto later = co_await channel_->write_raw("\x1b");
    CO_ASSERT(!later.ok());
    EXPECT_EQ(later.error().code, "at.closed");
  });
}

TEST_F(ChannelTest, WriteRawWritesTheBytesAsIs) {
  make_channel();
  run([&]() -> awaitable<void> {
    auto done = co_await channel_->write_raw("\x1b\r");
    EXPECT_TRUE(done.ok());
    EXPECT_EQ(std::string(modem_.str()), "\x1b\r");
  });
}

TEST_F(ChannelTest, LastActivityMovesWhenBytesArrive) {
  make_channel();
  const auto created = channel_->last_activity();
  run([&]() -> awaitable<void> {
    asio::steady_timer pause(io_, 2ms);
    co_await pause.async_wait(use_awaitable);
    send("\r\nRDY\r\n");
    while (urcs_.empty()) co_await asio::post(io_, use_awaitable);
  });
  EXPECT_GT(channel_->last_activity(), created);
}

// Walks every I/O failure point (beast fail_count fails the Nth read or write): whatever
// fails, each call ends with success or "at.io", nothing hangs, and after the first
// "at.io" every later call fails the same way.
TEST_F(ChannelTest, EveryIoFailurePointFailsCleanlyWithIo) {
  bool completed_without_failure = false;
  std::size_t failure_points = 0;
  for (std::size_t fail_at = 1; fail_at <= 64 && !completed_without_failure; ++fail_at) {
    SCOPED_TRACE("failing operation " + std::to_string(fail_at));
    io_.restart();
    modem_.clear();
    beast_test::stream fresh_modem(io_);
    std::swap(modem_, fresh_modem);
    urcs_.clear();
    reader_done_ = false;
    beast_test::fail_count failures(fail_at);
    make_channel(4, {}, &failures);
    std::vector<std::string> outcomes;
    run([&]() -> awaitable<void> {
      modem_answers({
          {.reply = "\r\n+CSQ: 20,99\r\n+CMTI: \"SM\",1\r\nOK\r\n"},
          {.reply = "\r\n> "},
          {.reply = "\r\n+CMGS: 5\r\n\r\nOK\r\n", .until = "\x1a"},
      });
      auto first = co_await channel_->command("AT+CSQ", kLong);
      outcomes.push_back(first.ok() ? "ok" : first.error().code);
      auto second = co_await channel_->command_with_body("AT+CMGS=2", "00", kLong, kLong);
      outcomes.push_back(second.ok() ? "ok" : second.error().code);
      auto third = co_await channel_->command("AT", 20ms);
      outcomes.push_back(third.ok() ? "ok" : third.error().code);
    });
    ASSERT_EQ(outcomes.size(), 3U);
    bool failed = false;
    for (const auto& outcome : outcomes) {
      if (failed) {
        EXPECT_EQ(outcome, "at.io");
      } else if (outcome != "ok" && outcome != "at.timeout") {
        EXPECT_EQ(outcome, "at.io");
        failed = true;
      }
    }
    // The third command gets no answer: a timeout means no failure was injected at all.
    completed_without_failure = !failed;
    if (failed) ++failure_points;
    if (completed_without_failure) {
      EXPECT_EQ(outcomes, (std::vector<std::string>{"ok", "ok", "at.timeout"}));
    }
  }
  EXPECT_TRUE(completed_without_failure) << "the scenario never ran past the failure points";
  // 3 writes and at least 3 reads (read_size 4 splits the answers further).
  EXPECT_GE(failure_points, 6U);
}

}  // namespace
}  // namespace smsgw::at
