#include "smsgw/store/queue_listener.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "postgres.hpp"

namespace smsgw::store {

struct QueueListener::State {
  std::string url;
  std::filesystem::path password_file;
  std::string channel;
  std::function<void()> on_notify;
  postgres::PgConnection connection;
  int stop_fd = -1;  // eventfd: readable once the destructor asks the thread to stop
  std::thread thread;

  ~State() {
    if (stop_fd >= 0) ::close(stop_fd);
  }

  // Connects and runs LISTEN; the Error when either fails (the connection is then dropped).
  Result<void> listen() {
    connection = postgres::connect(url, password_file, "smsgw/queue-listener");
    PGconn* pg = connection.get();
    if (PQstatus(pg) != CONNECTION_OK) {
      Error error = postgres::connection_error(pg, "queue listener");
      connection.reset();
      return error;
    }
    char* quoted = PQescapeIdentifier(pg, channel.c_str(), channel.size());
    if (quoted == nullptr) {
      Error error = make_error("store.error", "queue listener: bad channel name " + channel);
      connection.reset();
      return error;
    }
    const std::string sql = std::string("LISTEN ") + quoted;
    PQfreemem(quoted);
    PGresult* result = PQexec(pg, sql.c_str());
    const bool ok = result != nullptr && PQresultStatus(result) == PGRES_COMMAND_OK;
    Error error = ok ? Error() : postgres::make_postgres_error(pg, result, sql);
    PQclear(result);
    if (!ok) {
      connection.reset();
      return error;
    }
    return {};
  }

  // Waits up to `timeout_ms` for the socket (when >= 0) or the stop signal; false on stop.
  bool wait(int socket, int timeout_ms) {
    pollfd fds[2] = {{.fd = stop_fd, .events = POLLIN, .revents = 0},
                     {.fd = socket, .events = POLLIN, .revents = 0}};
    while (true) {
      const int ready = ::poll(fds, socket >= 0 ? 2 : 1, timeout_ms);
      if (ready < 0 && errno == EINTR) continue;
      return (fds[0].revents & POLLIN) == 0;
    }
  }

  // The thread: reads notifications (libpq 34.9) until stopped, reconnecting every second.
  void run() {
    while (true) {
      if (!connection) {
        if (!wait(-1, 1000)) return;
        if (!listen()) continue;
        on_notify();  // back: what was notified meanwhile is lost
        continue;
      }
      PGconn* pg = connection.get();
      if (!wait(PQsocket(pg), -1)) return;
      if (PQconsumeInput(pg) == 0 || PQstatus(pg) == CONNECTION_BAD) {
        connection.reset();
        continue;
      }
      bool heard = false;
      while (PGnotify* notify = PQnotifies(pg)) {
        heard = true;
        PQfreemem(notify);
      }
      if (heard) on_notify();
    }
  }
};

QueueListener::QueueListener(std::unique_ptr<State> state) : state_(std::move(state)) {}

Result<std::unique_ptr<QueueListener>> QueueListener::start(
    const std::string& url, const std::filesystem::path& password_file, std::string channel,
    std::function<void()> on_notify) {
  auto state = std::make_unique<State>();
  state->url = url;
  state->password_file = password_file;
  state->channel = std::move(channel);
  state->on_notify = std::move(on_notify);
  state->stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (state->stop_fd < 0) {
    return make_error("store.error",
                      std::string("queue listener: eventfd: ") + std::strerror(errno));
  }
  if (auto listening = state->listen(); !listening) return listening.error();
  State* raw = state.get();
  state->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<QueueListener>(new QueueListener(std::move(state)));
}

QueueListener::~QueueListener() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(state_->stop_fd, &one, sizeof one);
  if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace smsgw::store
