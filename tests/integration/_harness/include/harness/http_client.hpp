// A tiny blocking HTTP/1.1 client for tests: one connection per request ("Connection:
// close"), plain TCP to 127.0.0.1 (or any IPv4 host), no redirects, no TLS.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace smsgw::harness {

using namespace std::chrono_literals;

struct HttpResponse {
  int status = 0;                              // 0: no answer (see `error`)
  std::map<std::string, std::string> headers;  // names lower-case; repeated names joined ", "
  std::string body;                            // de-chunked
  std::string error;                           // why there is no answer (connect, timeout...)

  // The body as JSON; a JSON null when it does not parse.
  [[nodiscard]] nlohmann::json json() const;
  // A header's value ("" when absent); `name` in any case.
  [[nodiscard]] std::string header(const std::string& name) const;
  // "503 {body}" style summary for assertion messages.
  [[nodiscard]] std::string describe() const;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  // `token` non-empty: every request carries "Authorization: Bearer <token>".
  explicit HttpClient(std::uint16_t port, std::string host = "127.0.0.1", std::string token = {});

  // Any request. A non-empty `body` is sent with Content-Length and, unless `headers` names
  // a Content-Type, "Content-Type: application/json". Never throws for network failures:
  // they come back as status 0 with `error` set.
  HttpResponse request(const std::string& method, const std::string& target,
                       const std::string& body = {}, const HttpHeaders& headers = {},
                       std::chrono::milliseconds timeout = 10s) const;

  HttpResponse get(const std::string& target) const { return request("GET", target); }
  HttpResponse post(const std::string& target, const nlohmann::json& body,
                    const HttpHeaders& headers = {}) const {
    return request("POST", target, body.dump(), headers);
  }
  HttpResponse del(const std::string& target) const { return request("DELETE", target); }

  // Sends `raw` bytes as they are (a whole request, possibly malformed) and reads the answer.
  HttpResponse raw(const std::string& raw, std::chrono::milliseconds timeout = 10s) const;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  void set_token(std::string token) { token_ = std::move(token); }

 private:
  std::uint16_t port_;
  std::string host_;
  std::string token_;
};

// Parses a whole HTTP/1.1 response as read until the server closed the connection (exposed
// for the webhook receiver's tests; returns status 0 with `error` when it is malformed).
HttpResponse parse_http_response(const std::string& bytes);

// A TCP port on 127.0.0.1 that was free a moment ago (bound, then closed), below the
// kernel's range for outgoing connections so that none of those takes it meanwhile.
std::uint16_t free_tcp_port();

}  // namespace smsgw::harness
