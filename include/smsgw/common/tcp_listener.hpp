// The listening socket of a server ([http] listen, [smpp] listen): resolve the configured
// address, then open, bind and listen, each failure an Error naming the config key.
//
// Contract: resolve_listen_endpoint() answers the first endpoint of a passive resolution of
// `address` (ErrorCode::config "<key> = \"<listen>\": cannot resolve the host: ...");
// open_listener() opens `acceptor` on `endpoint` with SO_REUSEADDR and the system's
// backlog, or answers Error{"<key>", "cannot bind <listen>: Address already in use"}.
// accept_connection() answers the next accepted socket (TCP_NODELAY set), or none when the
// accept failed (the acceptor closed, or the process ran out of descriptors or memory:
// then it waits 100 ms first, so that connections can close, instead of spinning).
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "smsgw/common/listen_address.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw {

inline Result<asio::ip::tcp::endpoint> resolve_listen_endpoint(asio::any_io_executor executor,
                                                               const ListenAddress& address,
                                                               std::string_view key,
                                                               const std::string& listen) {
  error_code ec;
  asio::ip::tcp::resolver resolver(executor);
  const auto endpoints = resolver.resolve(address.host, std::to_string(address.port),
                                          asio::ip::tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) {
    return Error{ErrorCode::config, std::string(key) + " = \"" + listen +
                                        "\": cannot resolve the host: " + ec.message()};
  }
  return endpoints.begin()->endpoint();
}

inline Result<void> open_listener(asio::ip::tcp::acceptor& acceptor,
                                  const asio::ip::tcp::endpoint& endpoint, std::string_view key,
                                  const std::string& listen) {
  error_code ec;
  const auto failed = [&](const char* step) {
    return Error{std::string(key),
                 "cannot " + std::string(step) + " " + listen + ": " + ec.message()};
  };
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return failed("open a socket for");
  acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (ec) return failed("configure");
  acceptor.bind(endpoint, ec);
  if (ec) return failed("bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return failed("listen on");
  return {};
}

// `server` names the listener in the log line ("http", "smpp").
inline awaitable<std::optional<asio::ip::tcp::socket>> accept_connection(
    asio::ip::tcp::acceptor& acceptor, std::string server) {
  asio::ip::tcp::socket socket(acceptor.get_executor());
  error_code ec;
  co_await acceptor.async_accept(socket, asio::redirect_error(use_awaitable, ec));
  if (ec) {
    if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
        ec == asio::error::no_memory) {
      spdlog::warn("{}: accept failed: {}", server, ec.message());
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    co_return std::nullopt;
  }
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  co_return std::optional<asio::ip::tcp::socket>(std::move(socket));
}

}  // namespace smsgw
