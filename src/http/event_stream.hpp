// The answer to GET /api/v1/events once ApiHandler accepted it: Server-Sent Events (WHATWG
// HTML 9.2) on the connection until the client goes, the gateway stops, or the client falls
// behind.
//
// Contract:
// - The subscription is made by the caller before this starts, so nothing published from
//   then on is missed. With a Last-Event-ID, the journal's events after it are sent first
//   (GatewayApi::events_after, in pages), then the live ones, each exactly once and in id
//   order. When the journal cannot continue from that id (trimmed, or another database) a
//   `reset` event says so, then the live events follow.
// - A comment line every kKeepAlive keeps proxies from closing an idle stream and finds a
//   client that has gone. Each write must finish within kWriteTimeout.
// - The stream ends (the connection closes) when the subscription is closed or overflowed:
//   a client that cannot keep up reconnects and replays from its Last-Event-ID.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>

#include "smsgw/common/net.hpp"
#include "smsgw/http/api_handler.hpp"
#include "smsgw/http/event_hub.hpp"
#include "smsgw/http/gateway_api.hpp"
// Beast after net.hpp (the Asio include order, docs/architecture.md pitfall 1).
#include <boost/beast/core.hpp>

namespace smsgw::http {

inline constexpr std::chrono::seconds kKeepAlive{15};
inline constexpr std::chrono::seconds kWriteTimeout{30};
// Journal events read per replay step.
inline constexpr int kReplayPage = 500;

awaitable<void> serve_event_stream(boost::beast::tcp_stream& stream, GatewayApi& gateway,
                                   EventStreamStart start,
                                   std::shared_ptr<EventSubscription> subscription,
                                   std::string date);

}  // namespace smsgw::http
