// The real I/O path: open_tty() on a pseudo-terminal, PosixStream, Channel. The test plays
// the modem on the master side.
#include <gtest/gtest.h>
#include <pty.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "smsgw/at/channel.hpp"
#include "smsgw/at/posix_stream.hpp"
#include "smsgw/serial/tty.hpp"

namespace smsgw::serial {
namespace {

using namespace std::chrono_literals;

class PtyChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[256] = {};
    int master = -1;
    int slave = -1;
    ASSERT_EQ(::openpty(&master, &slave, name, nullptr, nullptr), 0);
    ::close(slave);
    modem_.emplace(io_, master);
    auto fd = open_tty(name);
    ASSERT_TRUE(fd.ok()) << fd.error().message;
    channel_.emplace(std::make_unique<at::PosixStream>(io_.get_executor(), fd->release(), name));
  }

  // Reads what the channel wrote until `terminator`.
  awaitable<std::string> read_command(char terminator = '\r') {
    std::string got;
    char byte = 0;
    while (got.empty() || got.back() != terminator) {
      error_code ec;
      co_await modem_->async_read_some(asio::buffer(&byte, 1),
                                       asio::redirect_error(use_awaitable, ec));
      if (ec) co_return got;
      got.push_back(byte);
    }
    co_return got;
  }

  awaitable<void> answer(std::string text) {
    co_await asio::async_write(*modem_, asio::buffer(text), use_awaitable);
  }

  asio::io_context io_;
  std::optional<asio::posix::stream_descriptor> modem_;
  std::optional<at::Channel> channel_;
};

TEST_F(PtyChannelTest, CommandsRoundTripThroughARealTerminal) {
  std::optional<Result<at::Response>> ident;
  std::optional<Result<at::Response>> sent;
  asio::co_spawn(io_, channel_->run(), asio::detached);
  asio::co_spawn(
      io_,
      [&]() -> awaitable<void> {
        EXPECT_EQ(co_await read_command(), "ATI\r");
        co_await answer("ATI\r\r\nSIMCOM_Ltd\r\nSIMCOM_SIM800L\r\n\r\nOK\r\n");
        EXPECT_EQ(co_await read_command(), "AT+CMGS=13\r");
        co_await answer("\r\n> ");
        EXPECT_EQ(co_await read_command('\x1a'), "0011000A8100\x1a");
        co_await answer("\r\n+CMTI: \"SM\",1\r\n+CMGS: 12\r\n\r\nOK\r\n");
      },
      asio::detached);
  asio::co_spawn(
      io_,
      [&]() -> awaitable<void> {
        ident = co_await channel_->command("ATI", 5s);
        sent = co_await channel_->command_with_body("AT+CMGS=13", "0011000A8100", 5s, 5s);
        channel_->close();
      },
      asio::detached);
  io_.run();
  ASSERT_TRUE(ident.has_value() && ident->ok());
  EXPECT_EQ((*ident)->lines, (std::vector<std::string>{"SIMCOM_Ltd", "SIMCOM_SIM800L"}));
  ASSERT_TRUE(sent.has_value() && sent->ok());
  EXPECT_EQ((*sent)->lines, std::vector<std::string>{"+CMGS: 12"});
}

TEST_F(PtyChannelTest, HangupOfTheFarEndFailsThePendingCommandWithIo) {
  std::optional<Result<at::Response>> pending;
  std::optional<Result<at::Response>> later;
  bool reader_returned = false;
  asio::co_spawn(
      io_,
      [&]() -> awaitable<void> {
        co_await channel_->run();
        reader_returned = true;
      },
      asio::detached);
  asio::co_spawn(
      io_,
      [&]() -> awaitable<void> {
        co_await read_command();
        modem_->close();  // the modem is unplugged: the slave side reads EIO
      },
      asio::detached);
  asio::co_spawn(
      io_,
      [&]() -> awaitable<void> {
        pending = co_await channel_->command("AT+CSQ", 60s);
        later = co_await channel_->command("AT", 60s);
      },
      asio::detached);
  io_.run();
  EXPECT_TRUE(reader_returned);
  ASSERT_TRUE(pending.has_value());
  ASSERT_FALSE(pending->ok());
  EXPECT_EQ(pending->error().code, "at.io");
  ASSERT_TRUE(later.has_value());
  ASSERT_FALSE(later->ok());
  EXPECT_EQ(later->error().code, "at.io");
}

}  // namespace
}  // namespace smsgw::serial
