// ConnectionRegistration: keeps a connection in its server's list of open connections for
// exactly as long as the registration lives (the connection's coroutine frame), and tells
// the server when it is gone.
//
// Contract: `State` has `std::list<Connection*> connections` and `void connection_closed()`;
// the registration inserts at construction and erases, then calls connection_closed(), at
// destruction. Single-threaded, like the servers that use it (HTTP, SMPP).
#pragma once

#include <list>

namespace smsgw {

template <class State, class Connection>
class ConnectionRegistration {
 public:
  ConnectionRegistration(State& state, Connection& connection)
      : state_(state), position_(state.connections.insert(state.connections.end(), &connection)) {}
  ~ConnectionRegistration() {
    state_.connections.erase(position_);
    state_.connection_closed();
  }
  ConnectionRegistration(const ConnectionRegistration&) = delete;
  ConnectionRegistration& operator=(const ConnectionRegistration&) = delete;

 private:
  State& state_;
  typename std::list<Connection*>::iterator position_;
};

}  // namespace smsgw
