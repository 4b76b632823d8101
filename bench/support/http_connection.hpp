// A keep-alive HTTP/1.1 client connection for the load generators (Boost.Beast), and a
// blocking one-shot request for set-up and polling.
//
// Contract:
// - exchange() writes one whole request (bytes as given) and reads one response on the
//   same connection; it connects first when not connected, and after any failure the next
//   exchange() reconnects. A response saying "Connection: close" closes it afterwards.
// - Never throws for network failures: they come back in HttpReply::error.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "smsgw/common/net.hpp"

namespace smsgw::bench {

struct HttpReply {
  int status = 0;  // 0: no answer, see `error`
  std::string body;
  error_code error;
};

// A whole request, ready to be written: "POST <target> HTTP/1.1" with Host, Content-Type
// application/json and Content-Length; GET without a body.
std::string post_request(std::string_view target, std::string_view json_body);
std::string get_request(std::string_view target);

class HttpConnection {
 public:
  HttpConnection(asio::any_io_executor executor, asio::ip::tcp::endpoint endpoint);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // The request is taken by value (a coroutine parameter, see the GCC 12 notes).
  awaitable<HttpReply> exchange(std::string request);

  std::uint64_t connects() const { return connects_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::uint64_t connects_ = 0;
};

// Connects, sends `request`, reads the answer, closes; gives up after `timeout`.
HttpReply http_once(const asio::ip::tcp::endpoint& endpoint, const std::string& request,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace smsgw::bench
