#include "http_connection.hpp"

#include "smsgw/common/net.hpp"
// Beast after net.hpp (the Asio include order, docs/architecture.md pitfall 1).
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace smsgw::bench {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::string post_request(std::string_view target, std::string_view json_body) {
  std::string request;
  request.reserve(160 + target.size() + json_body.size());
  request += "POST ";
  request += target;
  request += " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ";
  request += std::to_string(json_body.size());
  request += "\r\n\r\n";
  request += json_body;
  return request;
}

std::string get_request(std::string_view target) {
  std::string request = "GET ";
  request += target;
  request += " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  return request;
}

struct HttpConnection::State {
  State(asio::any_io_executor executor, tcp::endpoint ep) : socket(executor), endpoint(ep) {}
  tcp::socket socket;
  tcp::endpoint endpoint;
  beast::flat_buffer buffer;
  bool connected = false;

  void close() {
    error_code ignored;
    socket.close(ignored);
    buffer.clear();
    connected = false;
  }
};

HttpConnection::HttpConnection(asio::any_io_executor executor, tcp::endpoint endpoint)
    : state_(std::make_unique<State>(executor, endpoint)) {}

HttpConnection::~HttpConnection() = default;

awaitable<HttpReply> HttpConnection::exchange(std::string request) {
  auto& s = *state_;
  HttpReply reply;
  if (!s.connected) {
    s.socket = tcp::socket(s.socket.get_executor());
    co_await s.socket.async_connect(s.endpoint, asio::redirect_error(use_awaitable, reply.error));
    if (reply.error) {
      s.close();
      co_return reply;
    }
    ++connects_;
    s.socket.set_option(tcp::no_delay(true), reply.error);
    s.connected = true;
  }
  co_await asio::async_write(s.socket, asio::buffer(request),
                             asio::redirect_error(use_awaitable, reply.error));
  if (reply.error) {
    s.close();
    co_return reply;
  }
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  co_await bhttp::async_read(s.socket, s.buffer, parser,
                             asio::redirect_error(use_awaitable, reply.error));
  if (reply.error) {
    s.close();
    co_return reply;
  }
  auto& response = parser.get();
  reply.status = static_cast<int>(response.result_int());
  reply.body = std::move(response.body());
  if (!response.keep_alive()) s.close();
  co_return reply;
}

HttpReply http_once(const tcp::endpoint& endpoint, const std::string& request,
                    std::chrono::milliseconds timeout) {
  asio::io_context io;
  HttpConnection connection(io.get_executor(), endpoint);
  HttpReply result;
  result.error = asio::error::timed_out;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        auto reply = co_await connection.exchange(request);
        result = std::move(reply);
      },
      asio::detached);
  io.run_for(timeout);
  return result;
}

}  // namespace smsgw::bench
