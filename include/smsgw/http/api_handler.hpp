// ApiHandler: one HTTP request in, one response out, through the GatewayApi facade.
// Transport-free (the server feeds it parsed requests), so tests can drive every answer
// without a socket.
//
// Contract:
// - Order of checks: route (404, 405 + Allow), bearer token unless the route is open
//   (401 + WWW-Authenticate), the caller's scope for the route (403), content type of a POST body
//   (415), JSON syntax (400), fields (422), then the facade, whose Error.code selects the status
//   (errors.hpp).
// - Every error answer is {"error": {"code", "message"[, "field"]}} as application/json.
// - POST /api/v1/messages answers 202 with Location /api/v1/messages/<id> for one message, or
//   202 with a JSON list (no Location) for a batch; a replayed idempotent answer is the same
//   and carries `Idempotent-Replayed: true`.
// - Live control: POST /api/v1/modems/{id}/pause and /resume answer 200 with the modem,
//   /reset 202 with the modem once the reset has started; the body is empty or {}. The
//   pause records who paused: "token" when the request carries a bearer token, else "api".
// - GET /api/v1/events takes its token also as ?access_token= (an EventSource cannot send
//   headers; the target is never logged) and its Last-Event-ID also as ?last_event_id=.
// - Open routes (no token needed even when tokens are configured): GET /healthz,
//   GET /api/v1/openapi.json, and the dashboard's files GET / and GET /assets/{name}
//   (web_assets.hpp: ETag, 304 for a matching If-None-Match, the page's security headers; a
//   query string on them is ignored; an unknown name is 404 like any unknown path).
//   /metrics needs a token when tokens are configured (it shows operators, modems and
//   balances).
// - GET /api/v1/info answers any authenticated caller (no scope needed): the gateway's
//   version and encoding tables (GatewayApi::info) with the caller's name and scopes and
//   whether authentication is on.
// - An exception escaping the facade is a bug: answered 500 "internal", logged at error level.
//   Nothing is logged per request at info level.
// - GET|POST /cgi-bin/sendsms (api_sendsms.cpp) is Kannel's sendsms: its own credentials
//   (username/password, sendsms_auth.hpp), Kannel's text/html answers (kannel_sendsms.hpp),
//   202 only after the gateway stored every message. The password is never logged.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/common/net.hpp"
#include "smsgw/http/bearer_auth.hpp"
#include "smsgw/http/gateway_api.hpp"
#include "smsgw/http/prometheus.hpp"
#include "smsgw/http/router.hpp"
#include "smsgw/http/sendsms_auth.hpp"

namespace smsgw::http {

inline constexpr std::string_view kJsonContentType = "application/json";

// A header that is absent is empty.
struct ApiRequest {
  std::string_view method{};  // "GET"
  std::string_view target{};  // "/api/v1/messages?limit=5"
  std::string_view content_type{};
  std::string_view authorization{};
  std::string_view idempotency_key{};
  std::string_view body{};
  std::string_view last_event_id{};  // the Last-Event-ID header
  std::string_view if_none_match{};  // the page's files: 304 when it names their ETag
  // The X-Kannel-* headers (name as sent, value): Kannel's POST form of /cgi-bin/sendsms.
  std::vector<std::pair<std::string_view, std::string_view>> kannel_headers{};
};

// GET /api/v1/events was accepted: the server answers with the event stream
// (event_stream.hpp) instead of a body.
struct EventStreamStart {
  Caller caller;
  std::optional<std::int64_t> last_event_id;  // replay the journal after this id
};

// A header of an answer beyond those ApiResponse names; `name` is a literal.
struct ResponseHeader {
  std::string_view name;  // "ETag"
  std::string value;
};

struct ApiResponse {
  unsigned status = 200;
  std::string body;
  std::string_view content_type = kJsonContentType;  // empty: no Content-Type (a 304)
  std::vector<ResponseHeader> headers;               // written in this order
  std::string location;               // 202 for one message
  std::string allow;                  // 405
  std::string_view www_authenticate;  // 401
  bool replayed = false;              // Idempotent-Replayed: true
  std::optional<std::chrono::seconds> retry_after;  // 429, 503: Retry-After
  std::optional<EventStreamStart> stream;           // 200: stream events, no body
};

// An error answer: status from `code`, JSON body naming the field when `message` starts
// with one ("to: missing").
ApiResponse error_response(std::string_view code, std::string_view message);

class ApiHandler {
 public:
  ApiHandler(GatewayApi& gateway, const std::vector<std::string>& tokens);
  ApiHandler(GatewayApi& gateway, BearerAuth auth);

  // New credentials (a config reload); requests in progress keep their caller.
  void set_auth(BearerAuth auth) { auth_ = std::move(auth); }
  // The /cgi-bin/sendsms accounts (nobody until set).
  void set_sendsms_auth(SendsmsAuth auth) { sendsms_auth_ = std::move(auth); }

  awaitable<ApiResponse> handle(const ApiRequest& request);

  [[nodiscard]] bool auth_enabled() const noexcept { return auth_.enabled(); }
  GatewayApi& gateway() noexcept { return gateway_; }
  // Counted by the server for every response it writes; shown on /metrics.
  HttpCounters& counters() noexcept { return counters_; }

 private:
  awaitable<ApiResponse> dispatch(const ApiRequest& request, const RouteMatch& match,
                                  std::string_view query, Caller caller);
  awaitable<ApiResponse> submit(const ApiRequest& request, Caller caller);
  // GET /api/v1/events and GET /api/v1/stats (api_events.cpp).
  ApiResponse event_stream(const ApiRequest& request, std::string_view query, Caller caller);
  awaitable<ApiResponse> stats();
  // GET|POST /cgi-bin/sendsms (api_sendsms.cpp).
  awaitable<ApiResponse> sendsms(const ApiRequest& request, std::string_view query);
  // POST /api/v1/modems/{id}/pause|resume|reset (api_live_control.cpp).
  awaitable<ApiResponse> live_control(const ApiRequest& request, RouteId route,
                                      std::string modem_id, Caller caller);

  GatewayApi& gateway_;
  BearerAuth auth_;
  SendsmsAuth sendsms_auth_;
  HttpCounters counters_;
};

}  // namespace smsgw::http
