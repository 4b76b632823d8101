// EventHub: the fan-out of the live event stream (GET /api/v1/events, Server-Sent Events,
// WHATWG HTML "9.2 Server-sent events") to every connected client.
//
// Contract:
// - publish() hands an event to every subscription whose caller may see it (visible_to), as
//   the text of one SSE event (format_event), in publication order. It never blocks and
//   never waits for a client: each subscription buffers up to kMaxPendingBytes; a
//   subscription that would go over is marked overflowed and gets nothing more (its stream
//   is closed; the client reconnects with Last-Event-ID and the journal replays what it
//   missed), so a slow client cannot slow the gateway or grow its memory.
// - A subscription lives as long as its shared_ptr; the hub holds weak references.
// - Events with an id are journaled by the gateway before they are published, so that a
//   replay after a reconnect (GatewayApi::events_after) finds them; events without an id
//   are state (a modem's snapshot, the queue's statistics) and are not replayed.
// Single-threaded: the gateway's io_context.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/http/bearer_auth.hpp"

namespace smsgw::http {

struct StreamEvent {
  std::optional<std::int64_t> id;     // journaled events: the stream's event id
  std::string type;                   // message|inbound|balance|modem|stats|reset
  std::string data;                   // one JSON object, on one line
  std::optional<std::string> client;  // a message event: the API client it belongs to
};

// Who sees what: `message` needs scope read, and an API client sees only its own messages;
// `inbound` and `stats` need read; `modem` and `balance` need modems; `reset` goes to all.
bool visible_to(const StreamEvent& event, const Caller& caller);

// "id: <id>\nevent: <type>\ndata: <data>\n\n" (no id line without an id). A line break in
// `data` starts another data line, as the format requires.
std::string format_event(const StreamEvent& event);

class EventSubscription {
 public:
  static constexpr std::size_t kMaxPendingBytes = 256 * 1024;

  EventSubscription(asio::any_io_executor executor, Caller caller);

  [[nodiscard]] const Caller& caller() const { return caller_; }
  [[nodiscard]] bool overflowed() const { return overflowed_; }
  // The formatted events waiting to be written, but those with an id at or below
  // skip_through(); takes them all.
  std::string take();
  // Set when something waits in take() or the stream should end (close()).
  Event& ready() { return ready_; }
  void close();
  [[nodiscard]] bool closed() const { return closed_; }

  // For the hub: buffers the event if the caller may see it.
  void deliver(const StreamEvent& event);
  // Events with an id at or below `id` are dropped (a replay from the journal sent them).
  void skip_through(std::int64_t id) { skip_through_ = id; }

 private:
  struct Pending {
    std::optional<std::int64_t> id;
    std::string text;
  };
  Caller caller_;
  std::deque<Pending> pending_;
  std::size_t pending_bytes_ = 0;
  std::int64_t skip_through_ = 0;
  bool overflowed_ = false;
  bool closed_ = false;
  Event ready_;
};

class EventHub {
 public:
  explicit EventHub(asio::any_io_executor executor) : executor_(std::move(executor)) {}
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  std::shared_ptr<EventSubscription> subscribe(Caller caller);
  void publish(const StreamEvent& event);
  // Ends every stream (the gateway stops).
  void close_all();

  // Subscriptions still open; expired ones are dropped as a side effect.
  [[nodiscard]] std::size_t subscribers();
  // Whether anyone listens (state events are not even built otherwise).
  [[nodiscard]] bool has_subscribers() { return subscribers() > 0; }
  // Subscriptions dropped because they fell behind, since start (/metrics).
  [[nodiscard]] std::uint64_t overflows() const { return overflows_; }

 private:
  asio::any_io_executor executor_;
  std::vector<std::weak_ptr<EventSubscription>> subscriptions_;
  std::uint64_t overflows_ = 0;
};

}  // namespace smsgw::http
