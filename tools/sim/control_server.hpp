// ControlServer: DIR/control.sock, a Unix stream socket taking one JSON object per line
// and answering one JSON line each (control_commands.hpp).
#pragma once

#include <filesystem>
#include <memory>

#include "control_commands.hpp"
#include "smsgw/common/net.hpp"

namespace smsgw::sim {

class ControlServer {
 public:
  ControlServer(asio::io_context& io, std::filesystem::path socket_path, ControlTarget& target);
  ~ControlServer();
  // Binds and starts accepting; throws on failure (start-up error).
  void start();
  void stop();

 private:
  awaitable<void> accept_loop();
  awaitable<void> serve(asio::local::stream_protocol::socket socket);

  asio::io_context& io_;
  std::filesystem::path path_;
  ControlTarget& target_;
  asio::local::stream_protocol::acceptor acceptor_;
};

}  // namespace smsgw::sim
