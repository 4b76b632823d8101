// Server: the HTTP/1.1 API server (Boost.Beast over Asio coroutines, one io_context thread).
//
// Contract:
// - create() resolves and binds `listen` ("127.0.0.1:8080", "[::1]:8080", "localhost:0");
//   it refuses, as an Error with code "config", to serve without tokens on an address that
//   is not loopback, and fails with "http.listen" when the address cannot be bound.
// - run() accepts connections until stop(); each connection is a session that reads
//   requests one after another (keep-alive, also HTTP/1.0 "Connection: keep-alive") and
//   answers each through ApiHandler. It returns once every connection has closed, or
//   `stop_grace` after stop() (then the remaining connections are closed).
// - Limits: a request must arrive completely within `request_timeout` (this also bounds how
//   long an idle keep-alive connection stays open), else the connection is closed; a header
//   block above `header_limit` is answered 431, a body above `body_limit` 413 and broken
//   HTTP 400, each followed by closing; at `max_connections` open connections a new one is
//   answered 503 and closed. Error answers close in stages (shut down sending, drain what
//   the client still sends, then close) so a reset cannot destroy the answer.
//   "Expect: 100-continue" is answered before the body is read.
// - stop() (call it on the io_context's thread, e.g. from a signal_set handler): stops
//   accepting, closes idle connections at once, lets requests in flight finish (their
//   answers carry "Connection: close").
// - The GatewayApi must outlive every session (keep it alive until io_context::run returns).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "smsgw/common/listen_address.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/http/bearer_auth.hpp"
#include "smsgw/http/gateway_api.hpp"
#include "smsgw/http/sendsms_auth.hpp"

namespace smsgw::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";
  std::vector<std::string> tokens;        // admin bearer tokens; with clients empty = no auth
  std::vector<BearerCredential> clients;  // [[client]] credentials (loopback only without)
  // /cgi-bin/sendsms accounts ([[client]] system_id/password). With none, sendsms is open
  // only when the listener is loopback and there are no tokens or clients either.
  std::vector<SendsmsAccount> sendsms_accounts;
  std::size_t body_limit = 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::milliseconds request_timeout{30'000};
  std::size_t max_connections = 1024;
  std::chrono::milliseconds stop_grace{10'000};
};

// `listen` parsed by the one listen-address parser (common/listen_address.hpp); Error
// "config" naming the address and the problem.
Result<ListenAddress> parse_listen(std::string_view listen);

class Server {
 public:
  static Result<std::unique_ptr<Server>> create(asio::any_io_executor executor, GatewayApi& gateway,
                                                ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  [[nodiscard]] asio::ip::tcp::endpoint local_endpoint() const;

  awaitable<void> run();
  void stop();

  // New credentials (a config reload), for the requests that follow. Refused (Error
  // "config") when they would leave a non-loopback listener without authentication.
  Result<void> set_credentials(std::vector<std::string> tokens,
                               std::vector<BearerCredential> clients,
                               std::vector<SendsmsAccount> sendsms_accounts = {});

  struct State;

 private:
  explicit Server(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace smsgw::http
