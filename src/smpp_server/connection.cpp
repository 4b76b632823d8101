// One SMPP connection: reading, the Session's decisions, submits, deliveries, supervision.
#include "connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <utility>
#include <vector>

#include "smsgw/smpp/submit_spec.hpp"

namespace smsgw::smpp_server {

namespace {

using tcp = asio::ip::tcp;

// Answers queued for a client that does not read them, beyond which reading pauses.
constexpr std::size_t kMaxWriteBacklog = 256 * 1024;

std::string peer_of(const tcp::socket& socket) {
  error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown peer";
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

SessionOptions session_options(const ServerOptions& options) {
  SessionOptions session;
  session.window = std::max<std::uint32_t>(1, options.window);
  session.enquire_link_interval = options.enquire_link_interval;
  session.enquire_link_timeout = options.enquire_link_timeout;
  session.system_id = options.system_id;
  return session;
}

// Waits for the Backend's signal on behalf of a delivery loop, which must not block in
// it: the connection may close meanwhile (the loop then stops waiting on `wake` at once;
// this coroutine ends after at most `timeout`).
awaitable<void> wait_for_deliveries(smpp::Backend* backend, std::string client,
                                    Clock::duration timeout, std::shared_ptr<Event> wake) {
  co_await backend->wait_for_deliveries(std::move(client), timeout);
  wake->set();
}

}  // namespace

Connection::Connection(tcp::socket socket, smpp::Backend& backend, const ServerOptions& options)
    : executor_(socket.get_executor()),
      socket_(std::move(socket)),
      peer_(peer_of(socket_)),
      backend_(backend),
      options_(options),
      session_(session_options(options), Clock::now()),
      writer_(socket_, peer_),
      tasks_(executor_),
      wake_supervisor_(executor_),
      window_freed_(executor_),
      reader_done_(executor_) {}

std::string Connection::who() const {
  if (!session_.account()) return peer_;
  return peer_ + " (system_id \"" + session_.account()->system_id + "\")";
}

awaitable<void> Connection::run() {
  spdlog::debug("smpp: {} connected", peer_);
  tasks_.spawn("smpp writer " + peer_, writer_.run());
  tasks_.spawn("smpp link supervisor " + peer_, supervise());
  smpp::Framer framer;
  std::array<std::uint8_t, 16 * 1024> buffer{};
  for (;;) {
    error_code ec;
    const std::size_t received = co_await socket_.async_read_some(
        asio::buffer(buffer), asio::redirect_error(use_awaitable, ec));
    if (ec) {
      close(ec == asio::error::eof ? "the client closed the connection"
                                   : "reading failed: " + ec.message());
      break;
    }
    if (closing_) continue;  // closing: drop what the client still sends until it closes
    framer.feed(std::span<const std::uint8_t>(buffer.data(), received));
    // A client that sends without reading our answers: stop reading (TCP then slows it
    // down) until the writer has handed most of them to the socket.
    while (writer_.backlog() > kMaxWriteBacklog && !closing_ && !writer_.done().is_set()) {
      writer_.progressed().reset();
      co_await writer_.progressed().wait(options_.stop_grace);
    }
    while (!closing_) {
      auto next = framer.next();
      if (!next) {
        handle(session_.framing_failed(next.error()));
        break;
      }
      if (!next->has_value()) break;
      handle(session_.receive(**next, Clock::now()));
    }
  }
  reader_done_.set();
  co_await tasks_.join();
  error_code ignored;
  socket_.close(ignored);
  const auto unanswered = session_.unanswered_deliveries();
  if (!unanswered.empty()) backend_.released(unanswered);
  spdlog::info("smpp: {} closed: {}{}", who(), close_reason_,
               unanswered.empty() ? std::string()
                                  : "; " + std::to_string(unanswered.size()) +
                                        " deliver_sm unanswered, kept in the outbox");
}

void Connection::handle(Action action) {
  switch (action.kind) {
    case Action::Kind::none:
      break;
    case Action::Kind::reply:
      // A full window is the client's own pacing, not a fault: debug only.
      if (!action.reason.empty()) {
        const bool throttled = action.reply->command_status == smpp::CommandStatus::esme_rthrottled;
        spdlog::log(throttled ? spdlog::level::debug : spdlog::level::warn, "smpp: {}: {}", who(),
                    action.reason);
      }
      writer_.send(*action.reply);
      break;
    case Action::Kind::authenticate: {
      smpp::BindRequest request = std::move(action.bind);
      request.peer = peer_;
      const auto account = backend_.authenticate(request);
      Action answer = session_.bind_checked(action.sequence, request.mode, account);
      log_bind(request, answer);
      writer_.send(*answer.reply);
      if (answer.kind == Action::Kind::close) {
        close(answer.reason);
        break;
      }
      if (session_.bound()) {
        wake_supervisor_.set();  // the link's deadline is now the bound one
        if (session_.receives() && session_.account()->may_receive && !delivering_) {
          delivering_ = true;
          tasks_.spawn("smpp deliveries " + peer_, deliver());
        }
      }
      break;
    }
    case Action::Kind::submit:
      tasks_.spawn("smpp submit_sm " + peer_, submit(action.sequence, std::move(action.message)));
      break;
    case Action::Kind::delivered:
    case Action::Kind::refused:
      window_freed_.set();
      tasks_.spawn("smpp deliver_sm_resp " + peer_, acknowledge(std::move(action)));
      break;
    case Action::Kind::close:
      if (action.reply) writer_.send(*action.reply);
      close(action.reason);
      break;
  }
  if (auto unbind_resp = session_.take_unbind_resp()) {
    writer_.send(*unbind_resp);
    close("the client unbound");
  }
  if (stopping_ && session_.unbind_answered()) close("unbound by the server, which is stopping");
}

void Connection::log_bind(const smpp::BindRequest& request, const Action& answer) {
  if (answer.kind == Action::Kind::reply && answer.reason.empty() && session_.account()) {
    const auto& account = *session_.account();
    const bool gets_deliveries = session_.receives() && account.may_receive;
    spdlog::info("smpp: {} bound as {}: system_id \"{}\", client \"{}\"{}", peer_,
                 to_string(request.mode), request.system_id, account.client,
                 request.mode == smpp::BindMode::transceiver && !gets_deliveries
                     ? " (no deliver_sm: the client lacks scope \"read\")"
                     : "");
    return;
  }
  // The Backend logs every refusal it makes (warn, with peer and system_id); this line adds
  // the bind mode and the status answered.
  spdlog::debug("smpp: {} bind as system_id \"{}\": {}", peer_, request.system_id, answer.reason);
}

void Connection::close(std::string reason) {
  if (closing_) return;
  closing_ = true;
  close_reason_ = std::move(reason);
  session_.close();
  // Every accepted submit_sm is answered before the writer finishes (its message is
  // stored either way; the answer tells the client so).
  if (session_.submits_outstanding() == 0) writer_.finish();
  wake_supervisor_.set();
  window_freed_.set();
  if (deliveries_wake_) deliveries_wake_->set();
}

void Connection::stop() {
  if (stopping_ || closing_) return;
  stopping_ = true;
  stop_deadline_ = Clock::now() + options_.stop_grace;
  if (!session_.bound()) {
    close("the server is stopping");
    return;
  }
  session_.begin_server_unbind();
  if (auto unbind = session_.unbind_request()) writer_.send(*unbind);
  wake_supervisor_.set();
  window_freed_.set();
  if (deliveries_wake_) deliveries_wake_->set();
}

void Connection::after_submit_answered() {
  if (auto unbind_resp = session_.take_unbind_resp()) {
    writer_.send(*unbind_resp);
    close("the client unbound");
  }
  if (auto unbind = session_.unbind_request()) writer_.send(*unbind);
  if (closing_ && session_.submits_outstanding() == 0) writer_.finish();
}

awaitable<void> Connection::submit(std::uint32_t sequence, smpp::MessageBody message) {
  auto spec = smpp::map_submit(message, std::chrono::system_clock::now());
  std::optional<smpp::Outcome<std::string>> result;
  if (!spec) {
    result.emplace(spec.error());
  } else {
    auto storing = backend_.submit(*session_.account(), std::move(*spec));
    auto stored = co_await std::move(storing);
    result.emplace(std::move(stored));
  }
  if (!*result) {
    spdlog::info("smpp: {}: submit_sm {} refused {}: {}", who(), sequence,
                 smpp::to_string(result->error().status), result->error().message);
  }
  writer_.send(session_.submit_answered(sequence, *result));
  after_submit_answered();
}

awaitable<void> Connection::acknowledge(Action action) {
  if (action.kind == Action::Kind::delivered) {
    co_await backend_.delivered(action.delivery);
    co_return;
  }
  spdlog::info("smpp: {}: deliver_sm {} (outbox row {}) refused {}", who(), action.sequence,
               action.delivery, smpp::to_string(action.status));
  co_await backend_.refused(action.delivery, action.status);
}

awaitable<void> Connection::deliver() {
  const std::string client = session_.account()->client;
  while (!closing_) {
    const std::size_t free = session_.deliver_window_free();
    if (free == 0) {
      window_freed_.reset();
      co_await window_freed_.wait(options_.deliveries_poll);
      continue;
    }
    auto claiming = backend_.claim_deliveries(client, free);
    auto batch = co_await std::move(claiming);
    if (closing_ || session_.deliver_window_free() < batch.size()) {
      // Closed or stopping while claiming: another bind (or this client's next) sends them.
      std::vector<std::int64_t> ids;
      for (const auto& delivery : batch) ids.push_back(delivery.id);
      if (!ids.empty()) backend_.released(ids);
      continue;
    }
    for (const auto& delivery : batch) writer_.send(session_.deliver(delivery));
    if (batch.empty()) {
      auto wake = std::make_shared<Event>(executor_);
      deliveries_wake_ = wake;
      asio::co_spawn(executor_,
                     wait_for_deliveries(&backend_, client, options_.deliveries_poll, wake),
                     asio::detached);
      const Clock::duration longest = options_.deliveries_poll + std::chrono::seconds(1);
      co_await wake->wait(longest);
      deliveries_wake_.reset();
    }
  }
}

awaitable<void> Connection::supervise() {
  while (!closing_) {
    const Tick tick = session_.tick(Clock::now());
    if (tick.enquire_link) writer_.send(*tick.enquire_link);
    if (tick.close) {
      close(*tick.close);
      break;
    }
    Clock::time_point deadline = session_.next_deadline();
    if (stopping_) deadline = std::min(deadline, stop_deadline_);
    wake_supervisor_.reset();
    const Clock::duration sleep = deadline - Clock::now();
    co_await wake_supervisor_.wait(sleep);
    if (!closing_ && stopping_ && Clock::now() >= stop_deadline_) {
      close("the server is stopping; no unbind_resp within the grace period");
    }
  }
  // Closing: let the writer send what is queued and the client close its end, each within
  // the grace period; then close the socket, which also ends the read.
  co_await writer_.done().wait(options_.stop_grace);
  co_await reader_done_.wait(options_.stop_grace);
  error_code ignored;
  socket_.close(ignored);
}

}  // namespace smsgw::smpp_server
