// The listening socket of a server ([http] listen, [smpp] listen): resolve the configured
// address, then open, bind and listen, each failure an Error naming the config key.
//
// Contract: resolve_listen_endpoint() answers the first endpoint of a passive resolution of
// `address` (ErrorCode::config "<key> = \"<listen>\": cannot resolve the host: ...");
// open_listener() opens `acceptor` on `endpoint` with SO_REUSEADDR and the system's
// backlog, or answers Error{"<key>", "cannot bind <listen>: Address already in use"}.
#pragma once

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

}  // namespace smsgw
