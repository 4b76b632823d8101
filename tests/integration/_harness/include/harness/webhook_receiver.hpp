// A tiny HTTP server on 127.0.0.1 that receives webhook POSTs on a background thread. It
// records every request (method, target, headers, body) and answers 500 to the first
// `fail_first` requests, 200 afterwards, so tests can check retries. With a certificate
// (PEM chain and key) it speaks HTTPS (OpenSSL); set_certificate() swaps it for the next
// connections, and handshakes the client aborted are counted.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace smsgw::harness {

using namespace std::chrono_literals;

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  int answered = 0;  // the status this receiver answered

  [[nodiscard]] std::string header(const std::string& lower_case_name) const;
  [[nodiscard]] nlohmann::json json() const;  // the body; JSON null when it does not parse
};

class WebhookReceiver {
 public:
  // Listens on a free port at once; throws std::runtime_error when it cannot.
  explicit WebhookReceiver(int fail_first = 0);
  // HTTPS with this certificate chain and key (PEM).
  WebhookReceiver(const std::string& certificate_pem, const std::string& key_pem,
                  int fail_first = 0);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // "http://127.0.0.1:<port><path>" ("https://" with a certificate); `host` may be
  // "localhost".
  [[nodiscard]] std::string url(const std::string& path = "/hook",
                                const std::string& host = "127.0.0.1") const;

  // HTTPS only: presents this certificate from the next connection on.
  void set_certificate(const std::string& certificate_pem, const std::string& key_pem);
  // HTTPS only: TLS handshakes that failed (the client refused the certificate).
  [[nodiscard]] int handshake_failures() const;

  struct Tls;  // OpenSSL context (webhook_receiver.cpp)

  // From now on answer 500 to the next `count` requests.
  void fail_next(int count);

  // Every request so far, in arrival order.
  [[nodiscard]] std::vector<ReceivedRequest> requests() const;
  // Those answered 2xx.
  [[nodiscard]] std::vector<ReceivedRequest> accepted() const;

  // Blocks until `done(requests())` is true (checked on every arrival) or `timeout` passes;
  // returns the last result of `done`.
  bool wait_until(const std::function<bool(const std::vector<ReceivedRequest>&)>& done,
                  std::chrono::milliseconds timeout = 20s) const;

 private:
  void serve();
  void handle(int fd);
  void start();

  std::shared_ptr<Tls> tls_;  // none: plain HTTP
  int handshake_failures_ = 0;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<ReceivedRequest> requests_;
  int fail_remaining_ = 0;
  std::thread thread_;
};

}  // namespace smsgw::harness
