// Connection: one SMPP client's TCP connection, the I/O around a Session (session.hpp).
//
// run() is the connection's life: it starts the writer, the link supervisor and (once
// bound as a receiver that may receive) the delivery loop as tasks of its own TaskGroup,
// reads and frames PDUs and carries out the Session's decisions (submits run as tasks
// too, up to the window), and returns after every task has ended and the socket is
// closed; deliveries still unanswered then are released to the Backend.
#pragma once

#include <memory>
#include <string>

#include "pdu_writer.hpp"
#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/task_group.hpp"
#include "smsgw/smpp/backend.hpp"
#include "smsgw/smpp/framer.hpp"
#include "smsgw/smpp_server/server.hpp"
#include "smsgw/smpp_server/session.hpp"

namespace smsgw::smpp_server {

class Connection {
 public:
  Connection(asio::ip::tcp::socket socket, smpp::Backend& backend, const ServerOptions& options);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  awaitable<void> run();
  // Server shutdown: unbind a bound client (after answering its submits), close the rest.
  void stop();

 private:
  void handle(Action action);
  void close(std::string reason);
  void after_submit_answered();
  awaitable<void> submit(std::uint32_t sequence, smpp::MessageBody message);
  awaitable<void> supervise();
  awaitable<void> deliver();
  awaitable<void> acknowledge(Action action);
  void log_bind(const smpp::BindRequest& request, const Action& answer);
  [[nodiscard]] std::string who() const;

  asio::any_io_executor executor_;
  asio::ip::tcp::socket socket_;
  std::string peer_;
  smpp::Backend& backend_;
  const ServerOptions& options_;
  Session session_;
  PduWriter writer_;
  TaskGroup tasks_;
  Event wake_supervisor_;                   // a new deadline, a close or a stop
  Event window_freed_;                      // a deliver_sm was answered, or the connection closes
  Event reader_done_;                       // the read loop has ended
  std::shared_ptr<Event> deliveries_wake_;  // the delivery loop's current wait
  Clock::time_point stop_deadline_{};
  bool closing_ = false;
  bool stopping_ = false;
  bool delivering_ = false;
  std::string close_reason_;
};

}  // namespace smsgw::smpp_server
