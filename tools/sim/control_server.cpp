#include "control_server.hpp"

#include <spdlog/spdlog.h>

namespace smsgw::sim {

namespace {
constexpr std::size_t kMaxLine = 1 << 20;
}

ControlServer::ControlServer(asio::io_context& io, std::filesystem::path socket_path,
                             ControlTarget& target)
    : io_(io), path_(std::move(socket_path)), target_(target), acceptor_(io) {}

ControlServer::~ControlServer() { stop(); }

void ControlServer::start() {
  std::error_code ec;
  std::filesystem::remove(path_, ec);
  const asio::local::stream_protocol::endpoint endpoint(path_.string());
  acceptor_.open(endpoint.protocol());
  acceptor_.bind(endpoint);
  acceptor_.listen();
  asio::co_spawn(io_, accept_loop(), asio::detached);
}

void ControlServer::stop() {
  if (!acceptor_.is_open()) return;
  error_code ignored;
  acceptor_.close(ignored);
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

awaitable<void> ControlServer::accept_loop() {
  for (;;) {
    error_code ec;
    auto socket = co_await acceptor_.async_accept(asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;  // closed
    asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
  }
}

awaitable<void> ControlServer::serve(asio::local::stream_protocol::socket socket) {
  std::string buffer;
  for (;;) {
    error_code ec;
    const std::size_t n =
        co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer, kMaxLine), '\n',
                                        asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    std::string line = buffer.substr(0, n - 1);
    buffer.erase(0, n);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::string answer = handle_control_line(target_, line).dump() + "\n";
    co_await asio::async_write(socket, asio::buffer(answer),
                               asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
  }
}

}  // namespace smsgw::sim
