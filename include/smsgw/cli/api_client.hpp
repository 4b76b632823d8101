// A small synchronous HTTP/1.1 client for the gateway's API (contract.md "HTTP API v1").
//
// Contract:
// - One request at a time; the connection is kept alive and reused (bulk submissions send
//   many requests over one connection). Each request must finish within `timeout` (connect,
//   write and read together), else it fails with code "timeout".
// - request() returns the answer for any HTTP status; only transport failures are errors:
//     "unreachable"  cannot connect: "cannot reach smsgw at http://127.0.0.1:8080:
//                    connection refused; is `smsgw serve` running?"
//     "timeout"      no complete answer in time
//     "transport"    the connection broke or the answer is not HTTP
//   A request on a reused connection that the server had already closed is sent again on
//   a new connection when it is safe: GET and DELETE always, POST only with an
//   Idempotency-Key (the server then answers a replay with the first answer).
// - call() also turns error statuses into Errors: 401 into "unauthorized" with "the token
//   was refused (401); pass --token or set SMSGW_TOKEN", any other non-2xx into the body's
//   {"error": {"code", "message"}} (or "http.<status>" when the body has none), and a
//   2xx body that is not JSON into "transport".
// - While waiting, the `on_wait` callback (if set) runs about every 100 ms (progress lines).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "smsgw/common/result.hpp"

namespace smsgw::cli {

// Where the daemon listens, parsed from "http://host:port" (an optional path prefix is kept;
// https is refused: the daemon speaks plain HTTP on a trusted network).
struct Endpoint {
  std::string host;         // name or address, IPv6 without brackets
  std::string port;         // digits
  std::string path_prefix;  // "" or "/prefix" without a trailing slash
  std::string url;          // as shown to the user, "http://127.0.0.1:8080"
};

Result<Endpoint> parse_endpoint(std::string_view url);

// The base URL for a `[http] listen` value ("127.0.0.1:8080", "[::1]:8080",
// "0.0.0.0:8080"): an unspecified address (0.0.0.0, ::) is reached over loopback.
Result<std::string> url_for_listen(std::string_view listen);

struct HttpReply {
  unsigned status = 0;
  std::string body;
  std::string location;  // Location header, if any
};

// A successful answer: its parsed JSON and the body exactly as received (--json prints
// the body, so the output is byte for byte what the API returned).
struct ApiAnswer {
  nlohmann::json json;
  std::string body;
  unsigned status = 0;
};

// An answer with an error status, kept whole for callers that look deeper (bulk send
// reads the 422's "field").
struct ApiFailure {
  unsigned status = 0;
  Error error;        // code and message from the body
  std::string field;  // error.field when present
};

class ApiClient {
 public:
  ApiClient(Endpoint endpoint, std::optional<std::string> token,
            std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;
  ApiClient(ApiClient&&) noexcept;
  ApiClient& operator=(ApiClient&&) noexcept;

  const Endpoint& endpoint() const;
  void set_timeout(std::chrono::milliseconds timeout);
  void set_on_wait(std::function<void()> on_wait);

  // `target` is the path and query ("/api/v1/messages?limit=5"), prefixed with the
  // endpoint's path prefix. A non-null `body` is sent as application/json.
  Result<HttpReply> request(std::string_view method, std::string_view target,
                            const nlohmann::json* body = nullptr,
                            std::string_view idempotency_key = {});

  // request() plus the status and JSON checks described above.
  Result<ApiAnswer> call(std::string_view method, std::string_view target,
                         const nlohmann::json* body = nullptr,
                         std::string_view idempotency_key = {});

 private:
  class Connection;
  Endpoint endpoint_;
  std::optional<std::string> token_;
  std::chrono::milliseconds timeout_;
  std::function<void()> on_wait_;
  std::unique_ptr<Connection> connection_;
};

// The failure an error answer describes (any status >= 300). 401 has a fixed message: "the
// token was refused (401); ..." when `token_sent`, else "the gateway needs a token (401);
// ...". Pure, for tests and for call().
ApiFailure failure_of(const HttpReply& reply, bool token_sent);

// `segment` percent-encoded for one path segment (RFC 3986 unreserved kept).
std::string encode_path_segment(std::string_view segment);
// `value` percent-encoded for a query parameter value.
std::string encode_query_value(std::string_view value);

}  // namespace smsgw::cli
