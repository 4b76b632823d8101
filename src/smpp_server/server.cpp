// The SMPP server's acceptor and shutdown (server.hpp); each connection is a Connection.
#include "smsgw/smpp_server/server.hpp"

#include <spdlog/spdlog.h>

#include <list>
#include <string>
#include <utility>

#include "connection.hpp"
#include "smsgw/common/connection_registration.hpp"
#include "smsgw/common/event.hpp"
#include "smsgw/common/listen_address.hpp"
#include "smsgw/common/tcp_listener.hpp"

namespace smsgw::smpp_server {

using tcp = asio::ip::tcp;

struct Server::State {
  State(asio::any_io_executor ex, smpp::Backend& backend_ref, ServerOptions opts)
      : executor(ex), backend(backend_ref), options(std::move(opts)), acceptor(ex), drained(ex) {}

  asio::any_io_executor executor;
  smpp::Backend& backend;
  ServerOptions options;
  tcp::acceptor acceptor;
  std::list<Connection*> connections;  // sessions that have started
  std::size_t open = 0;                // accepted and not yet closed
  bool stopping = false;
  Event drained;  // set once stopping and no connection is open

  void connection_closed() {
    --open;
    if (stopping && open == 0) drained.set();
  }
};

namespace {

using State = Server::State;

using Registration = ConnectionRegistration<State, Connection>;

awaitable<void> serve(std::shared_ptr<State> state, tcp::socket socket) {
  Connection connection(std::move(socket), state->backend, state->options);
  Registration registration(*state, connection);
  if (state->stopping) connection.stop();
  co_await connection.run();
}

void spawn_logged(asio::any_io_executor executor, awaitable<void> task) {
  asio::co_spawn(executor, std::move(task), [](const std::exception_ptr& failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      spdlog::critical("smpp: a connection stopped by a bug: {}", e.what());
    }
  });
}

}  // namespace

Result<std::unique_ptr<Server>> Server::create(asio::any_io_executor executor,
                                               smpp::Backend& backend, ServerOptions options) {
  auto address = parse_listen_address(options.listen);
  if (!address) {
    return Error{ErrorCode::config,
                 "smpp.listen = \"" + options.listen + "\": " + address.error().message};
  }
  if (options.max_binds == 0) {
    return Error{ErrorCode::config, "smpp.max_binds: must be at least 1"};
  }
  auto endpoint = resolve_listen_endpoint(executor, *address, "smpp.listen", options.listen);
  if (!endpoint) return std::move(endpoint).error();
  auto state = std::make_shared<State>(executor, backend, std::move(options));
  if (auto opened = open_listener(state->acceptor, *endpoint, "smpp.listen", state->options.listen);
      !opened) {
    return std::move(opened).error();
  }
  return std::unique_ptr<Server>(new Server(std::move(state)));
}

Server::Server(std::shared_ptr<State> state) : state_(std::move(state)) {}

Server::~Server() {
  error_code ignored;
  state_->acceptor.close(ignored);
}

tcp::endpoint Server::local_endpoint() const {
  error_code ignored;
  return state_->acceptor.local_endpoint(ignored);
}

std::size_t Server::connections() const { return state_->open; }

awaitable<void> Server::run() {
  const auto state = state_;
  while (!state->stopping) {
    auto accepted = co_await accept_connection(state->acceptor, "smpp");
    if (state->stopping) break;
    if (!accepted) continue;
    tcp::socket socket = std::move(*accepted);
    error_code ec;
    if (state->open >= state->options.max_binds) {
      const auto peer = socket.remote_endpoint(ec);
      spdlog::warn("smpp: refusing a connection from {}: {} connections are open (max_binds)",
                   ec ? std::string("an unknown peer") : peer.address().to_string(), state->open);
      socket.close(ec);
      continue;
    }
    ++state->open;
    spawn_logged(state->executor, serve(state, std::move(socket)));
  }
  if (state->open > 0) co_await state->drained.wait();
}

void Server::stop() {
  auto& state = *state_;
  if (state.stopping) return;
  state.stopping = true;
  error_code ignored;
  state.acceptor.close(ignored);
  for (auto* connection : state.connections) connection->stop();
  if (state.open == 0) state.drained.set();
}

}  // namespace smsgw::smpp_server
