// Webhooks: signing (pure) and delivery of one JSON event over HTTP/1.1 (Beast, coroutine).
//
// Signature: HMAC-SHA256 with the webhook's secret over "<timestamp>.<body>", where
// <timestamp> is the X-Smsgw-Timestamp header (Unix seconds) and <body> the exact request
// body; sent as "X-Smsgw-Signature: sha256=<64 lowercase hex digits>". A receiver recomputes
// it (verify_webhook_signature, constant time) and rejects old timestamps to stop replays.
//
// Delivery: post_webhook() POSTs `body` (application/json) to an http:// URL and succeeds on
// any 2xx answer. Failures are values with these codes:
//   "webhook.retry"     try again later: name resolution, connect, I/O, timeout, or an
//                       answer 408, 425, 429 or 5xx
//   "webhook.rejected"  the receiver refused it (another 3xx/4xx): retrying will not help
//   "webhook.url"       the URL is not an http:// URL this client can reach (https is not
//                       supported: put a TLS proxy in front)
// The durable outbox and its retries are gateway::WebhookOutbox; this is one attempt.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw::http {

inline constexpr std::string_view kSignatureHeader = "X-Smsgw-Signature";
inline constexpr std::string_view kTimestampHeader = "X-Smsgw-Timestamp";

// "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)).
std::string webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body);

// True when `signature` (the header value) is the signature of (timestamp, body) under
// `secret`; compared in constant time.
bool verify_webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body, std::string_view signature);

struct WebhookUrl {
  std::string host;  // without brackets for IPv6
  std::uint16_t port = 80;
  std::string target;  // path and query, "/" when the URL has none
};

// "http://host[:port][/path][?query]"; "webhook.url" for anything else.
Result<WebhookUrl> parse_webhook_url(std::string_view url);

bool webhook_error_is_retryable(const Error& error);

// One delivery attempt, within `timeout` from start to the end of the answer. An empty
// `secret` sends the timestamp but no signature.
awaitable<Result<void>> post_webhook(std::string url, std::string body, std::string secret,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace smsgw::http
