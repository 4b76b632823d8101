// store::QueueListener (PostgreSQL only, design decision 9): hears the queue's wake-ups.
// The PostgreSQL schema's triggers on `messages` run pg_notify('smsgw_queue', '') when rows
// come due; a listener on every node turns them into a callback so the dispatcher reloads
// its windows at once instead of at its next slow poll.
//
// Contract:
// - start() opens a connection of its own (as Connection::open: a libpq URI or conninfo,
//   optional password file), runs `LISTEN <channel>` (PostgreSQL docs, LISTEN) and starts a
//   thread; it fails ("unavailable") when the first connection or LISTEN fails.
// - on_notify runs ON THE LISTENER'S THREAD, once per batch of notifications read together
//   (one or more): it must be quick and thread-safe; the gateway posts to its io loop.
// - When the connection is lost, the thread retries every second; once it is back (and
//   listening again) it calls on_notify once, since notifications may have been missed.
// - The destructor stops and joins the thread (at most a connect_timeout of 3 s when a
//   reconnect is under way); on_notify is not called after it returns.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "smsgw/common/result.hpp"

namespace smsgw::store {

class QueueListener {
 public:
  static Result<std::unique_ptr<QueueListener>> start(const std::string& url,
                                                      const std::filesystem::path& password_file,
                                                      std::string channel,
                                                      std::function<void()> on_notify);
  ~QueueListener();
  QueueListener(const QueueListener&) = delete;
  QueueListener& operator=(const QueueListener&) = delete;

 private:
  struct State;  // the connection, the thread and the callback (queue_listener.cpp)
  explicit QueueListener(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace smsgw::store
