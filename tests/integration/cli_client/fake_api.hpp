// A loopback HTTP/1.1 server answering canned JSON, for running the real `smsgw` client
// subcommands against. It runs on its own thread (the test's, not the gateway's model);
// `handler` runs on that thread, one request at a time, and every request is recorded.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "smsgw/common/net.hpp"
// Beast after net.hpp (the Asio include order, docs/architecture.md pitfall 1).
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace smsgw::test {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::string authorization;
  std::string idempotency_key;
  std::string content_type;
  std::string body;
  int connection = 0;  // 1 for the first accepted connection, 2 for the next, ...
};

struct CannedReply {
  unsigned status = 200;
  std::string body;
};

class FakeApi {
 public:
  using Handler = std::function<CannedReply(const RecordedRequest&)>;

  // `close_after_reply`: answer as if keeping the connection alive, then close it anyway
  // (what a server does when its idle timeout strikes between two requests).
  explicit FakeApi(Handler handler, bool close_after_reply = false)
      : handler_(std::move(handler)), close_after_reply_(close_after_reply) {
    namespace ip = asio::ip;
    acceptor_.open(ip::tcp::v4());
    acceptor_.set_option(ip::tcp::acceptor::reuse_address(true));
    acceptor_.bind(ip::tcp::endpoint(ip::make_address("127.0.0.1"), 0));
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }

  ~FakeApi() {
    io_.stop();
    thread_.join();
  }

  FakeApi(const FakeApi&) = delete;
  FakeApi& operator=(const FakeApi&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  unsigned short port() const { return port_; }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  awaitable<void> accept_loop() {
    for (;;) {
      error_code ec;
      asio::ip::tcp::socket socket(io_);
      co_await acceptor_.async_accept(socket, asio::redirect_error(use_awaitable, ec));
      if (ec) co_return;
      asio::co_spawn(io_, session(std::move(socket), ++connections_), asio::detached);
    }
  }

  awaitable<void> session(asio::ip::tcp::socket socket, int connection) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    for (;;) {
      error_code ec;
      http::request<http::string_body> request;
      co_await http::async_read(socket, buffer, request, asio::redirect_error(use_awaitable, ec));
      if (ec) co_return;
      RecordedRequest recorded{std::string(request.method_string()),
                               std::string(request.target()),
                               std::string(request[http::field::authorization]),
                               std::string(request["Idempotency-Key"]),
                               std::string(request[http::field::content_type]),
                               request.body(),
                               connection};
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(recorded);
      }
      const CannedReply canned = handler_(recorded);
      http::response<http::string_body> response{static_cast<http::status>(canned.status),
                                                 request.version()};
      response.set(http::field::content_type, "application/json");
      response.body() = canned.body;
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      co_await http::async_write(socket, response, asio::redirect_error(use_awaitable, ec));
      if (ec || !request.keep_alive() || close_after_reply_) co_return;
    }
  }

  Handler handler_;
  bool close_after_reply_ = false;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_{io_};
  unsigned short port_ = 0;
  int connections_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
};

}  // namespace smsgw::test
