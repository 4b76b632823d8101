// TestClient: an SMPP client as coroutines on the test's io_context (the server's too), and
// run_server_test(), which runs one test body against a Server over a FakeBackend.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "fake_backend.hpp"
#include "smsgw/smpp/framer.hpp"
#include "smsgw/smpp/pdu.hpp"
#include "smsgw/smpp_server/server.hpp"
#include "smsgw/smpp_server/session.hpp"

namespace smsgw::smpp_server::test {

using namespace std::chrono_literals;
using smpp::CommandId;
using smpp::CommandStatus;
using smpp::Pdu;
using tcp = asio::ip::tcp;

class TestClient {
 public:
  explicit TestClient(asio::any_io_executor executor) : socket_(executor), timer_(executor) {}

  awaitable<void> connect(tcp::endpoint endpoint) {
    co_await socket_.async_connect(endpoint, use_awaitable);
  }
  awaitable<void> send_raw(smpp::Bytes octets) {
    co_await asio::async_write(socket_, asio::buffer(octets), use_awaitable);
  }
  awaitable<void> send(Pdu pdu) {
    auto octets = smpp::encode(pdu);
    EXPECT_TRUE(octets.ok());
    smpp::Bytes bytes = octets.ok() ? *octets : smpp::Bytes{};
    co_await send_raw(std::move(bytes));
  }
  // The next PDU, or nullopt when the server closed or nothing came within `timeout`
  // (closed() tells which).
  awaitable<std::optional<Pdu>> read(std::chrono::milliseconds timeout = 3000ms) {
    for (;;) {
      auto next = framer_.next();
      if (!next.ok()) co_return std::nullopt;
      if (next->has_value()) {
        auto pdu = smpp::decode(**next);
        EXPECT_TRUE(pdu.ok());
        if (!pdu.ok()) co_return std::nullopt;
        co_return *pdu;
      }
      timer_.expires_after(timeout);
      timer_.async_wait([this](const error_code& ec) {
        if (!ec) socket_.cancel();
      });
      std::array<std::uint8_t, 4096> buffer{};
      error_code ec;
      const std::size_t n = co_await socket_.async_read_some(
          asio::buffer(buffer), asio::redirect_error(use_awaitable, ec));
      timer_.cancel();
      if (ec) {
        closed_ = ec != asio::error::operation_aborted;
        co_return std::nullopt;
      }
      framer_.feed(std::span<const std::uint8_t>(buffer.data(), n));
    }
  }
  // Binds as `id` with system_id / password; the bind_*_resp.
  // (const char*: no temporaries with destructors in a co_await expression, GCC 12.)
  awaitable<Pdu> bind(CommandId id, const char* system_id = "alice",
                      const char* password = "secret", std::uint32_t sequence = 1) {
    Pdu pdu = make_pdu(id, CommandStatus::esme_rok, sequence);
    auto& body = std::get<smpp::BindBody>(pdu.body);
    body.system_id = system_id;
    body.password = password;
    co_await send(pdu);
    auto answer = co_await read();
    EXPECT_TRUE(answer);
    co_return answer ? *answer : Pdu{};
  }
  // Connects and binds as alice with `id`; the bind must succeed.
  awaitable<void> connect_and_bind(tcp::endpoint endpoint, CommandId id) {
    co_await connect(endpoint);
    const Pdu bound = co_await bind(id);
    EXPECT_EQ(bound.command_status, CommandStatus::esme_rok);
  }
  [[nodiscard]] bool closed() const { return closed_; }
  void close() {
    error_code ignored;
    socket_.close(ignored);
  }

 private:
  tcp::socket socket_;
  asio::steady_timer timer_;
  smpp::Framer framer_;
  bool closed_ = false;
};

inline Pdu submit_sm(std::uint32_t sequence, std::string to = "491511234567") {
  Pdu pdu = make_pdu(CommandId::submit_sm, CommandStatus::esme_rok, sequence);
  auto& body = std::get<smpp::MessageBody>(pdu.body);
  body.dest_addr_ton = 1;
  body.dest_addr_npi = 1;
  body.destination_addr = std::move(to);
  body.short_message = {'h', 'e', 'l', 'l', 'o'};
  return pdu;
}

struct Rig {
  FakeBackend& backend;
  Server& server;
  asio::any_io_executor executor;
  tcp::endpoint endpoint;
};

// Runs `body` (a coroutine over the Rig) against a fresh Server on 127.0.0.1:0, then stops
// the server; fails when it all takes longer than 10 s.
inline void run_server_test(ServerOptions options, std::function<awaitable<void>(Rig)> body,
                            std::function<void(FakeBackend&)> setup = {}) {
  asio::io_context io;
  FakeBackend backend(io.get_executor());
  if (setup) setup(backend);
  options.listen = "127.0.0.1:0";
  if (options.deliveries_poll > 100ms) options.deliveries_poll = 50ms;
  auto server = Server::create(io.get_executor(), backend, options);
  ASSERT_TRUE(server.ok()) << server.error().message;
  Rig rig{backend, **server, io.get_executor(), (*server)->local_endpoint()};
  bool server_done = false;
  bool body_done = false;
  asio::co_spawn(io, (*server)->run(), [&](std::exception_ptr) { server_done = true; });
  asio::co_spawn(io, body(rig), [&](std::exception_ptr e) {
    body_done = true;
    EXPECT_FALSE(e) << "the test body threw";
    (*server)->stop();
  });
  io.run_for(10s);
  EXPECT_TRUE(body_done);
  EXPECT_TRUE(server_done);
}

}  // namespace smsgw::smpp_server::test
