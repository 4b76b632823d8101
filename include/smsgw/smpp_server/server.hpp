// Server: the SMPP 3.4 server's I/O shell (Asio coroutines on the gateway's one thread).
//
// Contract:
// - create() binds `listen` ("127.0.0.1:2775", "[::1]:2775", port 0 = any free port);
//   Error "config" for an address that does not parse or resolve, "smpp.listen" when it
//   cannot be bound. (That a non-loopback listener needs an account is checked by the
//   config loader.)
// - run() accepts connections until stop(); at `max_binds` open connections a new one is
//   closed at once (logged). Each connection is one coroutine reading with smpp::Framer
//   and deciding with Session (session.hpp); all its PDUs go out through one writer.
//   submit_sm are handled concurrently up to the window: smpp::map_submit, then
//   Backend::submit, whose answer (after the message is durable) becomes the
//   submit_sm_resp. Receivers and transceivers whose account may receive get deliver_sm
//   from Backend::claim_deliveries, up to the free outbound window; deliver_sm_resp ->
//   delivered() / refused(); deliveries unanswered when the connection closes ->
//   released(). An unbind is answered after every earlier submit_sm is.
// - stop() (on the io_context's thread): stops accepting, closes unbound connections,
//   answers the outstanding submit_sm of bound ones, sends them unbind and closes them on
//   unbind_resp or after `stop_grace`. run() returns once every connection has closed.
// - Logs binds, refused binds and closes with the peer, system_id and reason (never a
//   password).
// - The Backend must outlive the io_context's run().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/smpp/backend.hpp"

namespace smsgw::smpp_server {

struct ServerOptions {
  std::string listen = "127.0.0.1:2775";
  std::uint32_t window = 10;
  std::chrono::steady_clock::duration enquire_link_interval = std::chrono::seconds(30);
  std::chrono::steady_clock::duration enquire_link_timeout = std::chrono::seconds(10);
  std::size_t max_binds = 256;
  // How long stop() waits for a bound client's unbind_resp, and how long a closing
  // connection waits for its last PDUs to be written and the client to close.
  std::chrono::steady_clock::duration stop_grace = std::chrono::seconds(2);
  // The longest a receiver waits between two claims of deliveries. Backend::
  // wait_for_deliveries returns as soon as deliveries may be there, so this only bounds
  // how late a delivery the Backend was not told about is found (e.g. the receipt of a
  // message submitted before a restart).
  std::chrono::steady_clock::duration deliveries_poll = std::chrono::seconds(5);
  std::string system_id = "smsgw";  // the server's, in bind_*_resp
};

class Server {
 public:
  static Result<std::unique_ptr<Server>> create(asio::any_io_executor executor,
                                                smpp::Backend& backend, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  [[nodiscard]] asio::ip::tcp::endpoint local_endpoint() const;
  // Connections open now (bound or not).
  [[nodiscard]] std::size_t connections() const;

  awaitable<void> run();
  void stop();

  struct State;

 private:
  explicit Server(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace smsgw::smpp_server
