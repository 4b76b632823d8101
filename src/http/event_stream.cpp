#include "event_stream.hpp"

#include <spdlog/spdlog.h>

#include <string>

namespace smsgw::http {

namespace {

// SSE's own reconnection delay for the browser (the `retry` field), in milliseconds.
constexpr std::string_view kPreamble = ": smsgw event stream\nretry: 3000\n\n";
// The kernel's send buffer of a stream: small, so a client that stops reading is noticed
// by its subscription's bound instead of hiding megabytes in the socket.
constexpr int kSendBuffer = 64 * 1024;

awaitable<bool> write_text(boost::beast::tcp_stream& stream, const std::string& text) {
  error_code ec;
  stream.expires_after(kWriteTimeout);
  co_await asio::async_write(stream, asio::buffer(text), asio::redirect_error(use_awaitable, ec));
  co_return !ec;
}

// Sends the journal's events after `after`; returns the last id sent (or `after`), or
// nothing when the stream must end (the store failed, or the client went).
awaitable<std::optional<std::int64_t>> replay(boost::beast::tcp_stream& stream, GatewayApi& gateway,
                                              const Caller& caller, std::int64_t after) {
  std::int64_t cursor = after;
  for (bool first = true;; first = false) {
    auto page = co_await gateway.events_after(cursor, kReplayPage);
    if (!page) {
      spdlog::warn("http: event stream: cannot replay after {}: {}", cursor, page.error().message);
      co_return std::nullopt;
    }
    std::string text;
    if (page->gap) {
      StreamEvent reset{std::nullopt, "reset", "", std::nullopt};
      reset.data = first ? R"({"reason":"the events after )" + std::to_string(after) +
                               R"( are no longer kept; reload"})"
                         : R"({"reason":"events were trimmed during the replay; reload"})";
      text = format_event(reset);
    }
    for (const auto& event : page->events) {
      if (visible_to(event, caller)) text += format_event(event);
      if (event.id) cursor = *event.id;
    }
    if (!text.empty() && !co_await write_text(stream, text)) co_return std::nullopt;
    if (page->gap || page->events.size() < static_cast<std::size_t>(kReplayPage)) break;
  }
  co_return cursor;
}

}  // namespace

awaitable<void> serve_event_stream(boost::beast::tcp_stream& stream, GatewayApi& gateway,
                                   EventStreamStart start,
                                   std::shared_ptr<EventSubscription> subscription,
                                   std::string date) {
  error_code ignored;
  stream.socket().set_option(asio::socket_base::send_buffer_size(kSendBuffer), ignored);
  std::string head =
      "HTTP/1.1 200 OK\r\nDate: " + date +
      "\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\n"
      "X-Accel-Buffering: no\r\nConnection: close\r\n\r\n";
  head += kPreamble;
  if (!co_await write_text(stream, head)) co_return;

  if (start.last_event_id) {
    auto sent = co_await replay(stream, gateway, start.caller, *start.last_event_id);
    if (!sent) co_return;
    subscription->skip_through(*sent);
  }
  for (;;) {
    const bool woke = co_await subscription->ready().wait(kKeepAlive);
    if (subscription->closed() || subscription->overflowed()) break;
    std::string text = woke ? subscription->take() : std::string(": keep-alive\n\n");
    if (text.empty()) continue;
    if (!co_await write_text(stream, text)) break;
  }
  if (subscription->overflowed()) {
    spdlog::info(
        "http: an event stream of {} fell behind by more than {} bytes; closed so "
        "that it reconnects and replays",
        start.caller.name, EventSubscription::kMaxPendingBytes);
  }
}

}  // namespace smsgw::http
