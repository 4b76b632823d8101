// Webhooks: signing (pure) and delivery of one JSON event over HTTP/1.1 or HTTPS (Beast,
// coroutine).
//
// Signature: HMAC-SHA256 with the webhook's secret over "<timestamp>.<body>", where
// <timestamp> is the X-Smsgw-Timestamp header (Unix seconds) and <body> the exact request
// body; sent as "X-Smsgw-Signature: sha256=<64 lowercase hex digits>". A receiver recomputes
// it (verify_webhook_signature, constant time) and rejects old timestamps to stop replays.
//
// Delivery: post_webhook() POSTs `body` (application/json) to an http:// or https:// URL and
// succeeds on any 2xx answer. https (RFC 9110 4.2.2) runs TLS 1.2 or later (OpenSSL through
// Boost.Asio SSL): the server's certificate chain is verified against the system's CA store
// plus the PEM file `[http] ca_file` (WebhookTls), and its name against the URL's host
// (RFC 6125: DNS names in subjectAltName; an IP literal must be an IP subjectAltName); SNI
// (RFC 6066 3) carries the host when it is a name. Redirects are not followed: a 3xx is a
// rejection. Failures are values with these codes:
//   "webhook.retry"     try again later: name resolution, connect, TLS handshake (a bad or
//                       expired certificate, a wrong host name: the operator may fix it;
//                       the message names the reason, e.g. "certificate verify failed:
//                       self-signed certificate in chain"), I/O, timeout, or an answer
//                       408, 425, 429 or 5xx
//   "webhook.rejected"  the receiver refused it (another 3xx/4xx), or the URL's host or an
//                       address it resolved to is not allowed (WebhookPostOptions::
//                       allowed_hosts): retrying will not help
//   "webhook.url"       not an http:// or https:// URL this client can reach
// The durable outbox and its retries are gateway::WebhookOutbox; this is one attempt.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/http/callback_hosts.hpp"

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
  bool tls = false;    // https (default port 443)
};

// "http[s]://host[:port][/path][?query]"; "webhook.url" for anything else.
Result<WebhookUrl> parse_webhook_url(std::string_view url);

bool webhook_error_is_retryable(const Error& error);

// The TLS client settings of webhook deliveries: peer verification against the system's CA
// store (OpenSSL's default paths) and, when `ca_file` is not empty, the extra CA
// certificates of that PEM file. Build it once and share it between deliveries.
class WebhookTls {
 public:
  // "webhook.tls" when `ca_file` cannot be read or holds no PEM certificate.
  static Result<std::shared_ptr<WebhookTls>> create(const std::filesystem::path& ca_file = {});
  ~WebhookTls();
  WebhookTls(const WebhookTls&) = delete;
  WebhookTls& operator=(const WebhookTls&) = delete;

  struct Impl;  // the asio::ssl::context (src/http/webhook.cpp)
  Impl& impl() { return *impl_; }

 private:
  explicit WebhookTls(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct WebhookPostOptions {
  // From start to the end of the answer.
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
  // For https URLs; none: the system's CA store only (a context is built for this call).
  std::shared_ptr<WebhookTls> tls;
  // When set (per-message callback URLs), the URL's host and every address it resolves to
  // must pass (callback_hosts.hpp), and only checked addresses are connected to.
  std::shared_ptr<const CallbackHosts> allowed_hosts;
  // GET the URL instead (a Kannel dlr-url): no body, no Content-Type, no timestamp or
  // signature headers; the answer is judged as a POST's.
  bool get = false;
};

// One delivery attempt. An empty `secret` sends the timestamp but no signature.
awaitable<Result<void>> post_webhook(std::string url, std::string body, std::string secret,
                                     WebhookPostOptions options);
awaitable<Result<void>> post_webhook(std::string url, std::string body, std::string secret,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace smsgw::http
