#include "smsgw/http/server.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <ctime>
#include <list>
#include <string>
#include <vector>

#include "event_stream.hpp"
#include "smsgw/common/connection_registration.hpp"
#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/tcp_listener.hpp"
#include "smsgw/http/api_handler.hpp"
#include "smsgw/http/errors.hpp"
// Beast after net.hpp (the Asio include order, docs/architecture.md pitfall 1).
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace smsgw::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Connections refused at the cap that are still being answered; beyond this many, new ones
// are closed without an answer.
constexpr std::size_t kMaxRejecting = 64;
constexpr std::chrono::seconds kRejectTimeout{1};
// How long and how much an error answer's connection is drained before closing.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::size_t kMaxLingerBytes = 1024 * 1024;

// RFC 9110 5.6.7 IMF-fixdate for the Date header, formatted once per second.
class HttpDate {
 public:
  std::string_view now() {
    const std::time_t second = std::time(nullptr);
    if (second != second_) {
      second_ = second;
      std::tm utc{};
      gmtime_r(&second, &utc);
      static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed",
                                                        "Thu", "Fri", "Sat"};
      static constexpr std::array<const char*, 12> kMonths{
          "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
      const int length =
          std::snprintf(text_.data(), text_.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                        kDays[utc.tm_wday], utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900,
                        utc.tm_hour, utc.tm_min, utc.tm_sec);
      length_ = length > 0 ? static_cast<std::size_t>(length) : 0;
    }
    return {text_.data(), length_};
  }

 private:
  std::array<char, 40> text_{};
  std::size_t length_ = 0;
  std::time_t second_ = -1;
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && beast::iequals(a, b);
}

}  // namespace

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = true;  // waiting for a request of which no byte has arrived
  std::shared_ptr<EventSubscription> events;  // while it streams GET /api/v1/events
};

namespace {

BearerAuth auth_of(const ServerOptions& options) {
  std::vector<BearerCredential> credentials;
  for (std::size_t i = 0; i < options.tokens.size(); ++i) {
    credentials.push_back(BearerCredential::admin_token(i, options.tokens[i]));
  }
  credentials.insert(credentials.end(), options.clients.begin(), options.clients.end());
  return BearerAuth::of(std::move(credentials));
}

// sendsms_auth.hpp: without accounts, sendsms is open only where the API itself is.
SendsmsAuth sendsms_auth_of(const ServerOptions& options, bool loopback) {
  const bool open = loopback && options.tokens.empty() && options.clients.empty();
  return SendsmsAuth(options.sendsms_accounts, open);
}

}  // namespace

struct Server::State {
  State(asio::any_io_executor ex, GatewayApi& gateway, ServerOptions opts)
      : executor(ex),
        options(std::move(opts)),
        acceptor(ex),
        handler(gateway, auth_of(options)),
        drained(ex) {}

  asio::any_io_executor executor;
  ServerOptions options;
  tcp::acceptor acceptor;
  ApiHandler handler;
  std::list<Connection*> connections;  // sessions that have started
  std::size_t open = 0;                // accepted and not yet closed
  std::size_t rejecting = 0;
  bool stopping = false;
  Event drained;  // set once stopping and no connection is open
  HttpDate date;

  void connection_closed() {
    --open;
    handler.counters().connections_open = open;
    if (stopping && open == 0) drained.set();
  }
};

namespace {

using State = Server::State;

using Registration = ConnectionRegistration<State, Connection>;

awaitable<void> write_response(State& state, beast::tcp_stream& stream, ApiResponse& response,
                               unsigned version, bool keep_alive, error_code& ec) {
  bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), version};
  message.set(bhttp::field::date, state.date.now());
  if (!response.content_type.empty()) {
    message.set(bhttp::field::content_type, response.content_type);
  }
  if (!response.location.empty()) message.set(bhttp::field::location, response.location);
  if (!response.allow.empty()) message.set(bhttp::field::allow, response.allow);
  if (!response.www_authenticate.empty()) {
    message.set(bhttp::field::www_authenticate, response.www_authenticate);
  }
  if (response.replayed) message.set("Idempotent-Replayed", "true");
  if (response.retry_after) {
    message.set(bhttp::field::retry_after,
                std::to_string(std::max<std::int64_t>(1, response.retry_after->count())));
  }
  for (const auto& header : response.headers) message.set(header.name, header.value);
  message.body() = std::move(response.body);
  message.keep_alive(keep_alive);
  message.prepare_payload();
  // RFC 9110 8.6: a 304's Content-Length could only be that of the 200 it stands for; send
  // none rather than Beast's 0.
  if (response.status == 304) message.erase(bhttp::field::content_length);
  const unsigned status_class = response.status / 100;
  if (status_class < state.handler.counters().responses_by_class.size()) {
    ++state.handler.counters().responses_by_class[status_class];
  }
  stream.expires_after(state.options.request_timeout);
  co_await bhttp::async_write(stream, message, asio::redirect_error(use_awaitable, ec));
}

// The answer to a request that could not be read, or nothing (std::nullopt) when the
// connection is gone or timed out and there is no one to answer.
std::optional<ApiResponse> answer_for_read_error(const error_code& ec) {
  if (ec == bhttp::error::body_limit) {
    return error_response("too_large", "the request body is larger than the server's limit");
  }
  if (ec == bhttp::error::header_limit) {
    return error_response("headers_too_large",
                          "the request header block is larger than the server's limit");
  }
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return {};
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return error_response("invalid", "malformed HTTP request: " + ec.message());
  }
  return {};
}

// RFC 9112 6.1, 6.3: the only transfer coding the server decodes is "chunked", alone. A
// request with any other is refused before its body is read: when chunked is not last
// its body's length is unknown (reading on would take the next request's bytes as body,
// the request-smuggling case), and a coding before it would leave the body undecoded.
std::optional<ApiResponse> answer_for_framing(const bhttp::fields& header) {
  std::vector<std::string_view> codings;
  const auto [first, last] = header.equal_range(bhttp::field::transfer_encoding);
  for (auto field = first; field != last; ++field) {
    std::string_view list = field->value();
    while (!list.empty()) {
      const auto comma = list.find(',');
      std::string_view coding = list.substr(0, comma);
      while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t')) {
        coding.remove_prefix(1);
      }
      while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t')) {
        coding.remove_suffix(1);
      }
      if (!coding.empty()) codings.push_back(coding);
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    }
  }
  if (codings.empty() || (codings.size() == 1 && iequals(codings[0], "chunked"))) {
    return std::nullopt;
  }
  if (!iequals(codings.back(), "chunked")) {
    return error_response("invalid", "malformed HTTP request: Transfer-Encoding \"" +
                                         std::string(codings.back()) +
                                         "\" does not end in chunked, so the body's length is "
                                         "unknown (RFC 9112 6.3)");
  }
  return error_response("invalid", "malformed HTTP request: transfer coding \"" +
                                       std::string(codings.front()) +
                                       "\" is not supported; send the body chunked alone or "
                                       "with a Content-Length");
}

// Closes after an error answer without losing it (RFC 9112 9.6, staged tear-down): a close
// with unread request bytes in the socket makes the kernel send a reset, which can destroy
// the answer before the client reads it. So shut down sending, then read and drop what the
// client still sends until it closes, kMaxLingerBytes are dropped, or kLingerTimeout passes.
awaitable<void> linger_close(beast::tcp_stream& stream) {
  error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(kLingerTimeout);
  std::array<char, 4096> sink{};
  std::size_t dropped = 0;
  while (!ec && dropped < kMaxLingerBytes) {
    dropped += co_await stream.async_read_some(asio::buffer(sink),
                                               asio::redirect_error(use_awaitable, ec));
  }
  stream.close();
}

// The X-Kannel-* headers of a request (Kannel's POST form of sendsms); views into it.
std::vector<std::pair<std::string_view, std::string_view>> kannel_headers_of(
    const bhttp::fields& header) {
  constexpr std::string_view kPrefix = "x-kannel-";
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (const auto& field : header) {
    const std::string_view name = field.name_string();
    if (name.size() > kPrefix.size() && beast::iequals(name.substr(0, kPrefix.size()), kPrefix)) {
      out.emplace_back(name, field.value());
    }
  }
  return out;
}

awaitable<void> serve(std::shared_ptr<State> state, tcp::socket socket) {
  Connection connection(std::move(socket));
  Registration registration(*state, connection);
  const auto& options = state->options;
  beast::flat_buffer buffer;
  error_code ec;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(options.header_limit, std::numeric_limits<std::uint32_t>::max())));
    parser.body_limit(options.body_limit);
    connection.idle = buffer.size() == 0;
    if (state->stopping && connection.idle) break;

    connection.stream.expires_after(options.request_timeout);
    co_await bhttp::async_read_header(connection.stream, buffer, parser,
                                      asio::redirect_error(use_awaitable, ec));
    connection.idle = false;
    if (!ec) {
      if (auto refused = answer_for_framing(parser.get())) {
        co_await write_response(*state, connection.stream, *refused, 11, false, ec);
        if (!ec) co_await linger_close(connection.stream);
        break;
      }
    }
    if (!ec && !parser.is_done()) {
      // RFC 9110 10.1.1: a client waiting for "100 Continue" gets it before the body.
      if (iequals(parser.get()[bhttp::field::expect], "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await asio::async_write(connection.stream, asio::buffer(kContinue),
                                   asio::redirect_error(use_awaitable, ec));
      }
      if (!ec) {
        co_await bhttp::async_read(connection.stream, buffer, parser,
                                   asio::redirect_error(use_awaitable, ec));
      }
    }
    if (ec) {
      if (auto answer = answer_for_read_error(ec)) {
        co_await write_response(*state, connection.stream, *answer, 11, false, ec);
        if (!ec) co_await linger_close(connection.stream);
      }
      break;
    }

    auto& request = parser.get();
    const ApiRequest api_request{
        .method = request.method_string(),
        .target = request.target(),
        .content_type = request[bhttp::field::content_type],
        .authorization = request[bhttp::field::authorization],
        .idempotency_key = request["Idempotency-Key"],
        .body = request.body(),
        .last_event_id = request["Last-Event-ID"],
        .if_none_match = request[bhttp::field::if_none_match],
        .kannel_headers = kannel_headers_of(request),
    };
    connection.stream.expires_never();
    ApiResponse response = co_await state->handler.handle(api_request);
    if (response.stream && !state->stopping) {
      ++state->handler.counters().responses_by_class[2];
      auto& gateway = state->handler.gateway();
      connection.events = gateway.event_hub().subscribe(response.stream->caller);
      std::string date(state->date.now());
      co_await serve_event_stream(connection.stream, gateway, std::move(*response.stream),
                                  connection.events, std::move(date));
      connection.events.reset();
      break;
    }
    if (response.stream) response = error_response("unavailable", "the gateway is stopping");
    const bool keep_alive = request.keep_alive() && !state->stopping;
    co_await write_response(*state, connection.stream, response, request.version(), keep_alive, ec);
    if (ec || !keep_alive) break;
  }
  error_code ignored;
  connection.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  connection.stream.close();
}

// Answers 503 to a connection over the cap within kRejectTimeout, then closes it
// (lingering, as above).
awaitable<void> reject(std::shared_ptr<State> state, tcp::socket socket) {
  static const std::string kAnswer = [] {
    const std::string body = error_body("unavailable", "too many connections; retry later");
    return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
           "Connection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }();
  beast::tcp_stream stream(std::move(socket));
  stream.expires_after(kRejectTimeout);
  error_code ec;
  co_await asio::async_write(stream, asio::buffer(kAnswer),
                             asio::redirect_error(use_awaitable, ec));
  if (!ec) co_await linger_close(stream);
  stream.close();
  --state->rejecting;
}

void spawn_logged(asio::any_io_executor executor, awaitable<void> task, const char* what) {
  asio::co_spawn(executor, std::move(task), [what](const std::exception_ptr& failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      spdlog::error("http: {} failed: {}", what, e.what());
    }
  });
}

}  // namespace

Result<ListenAddress> parse_listen(std::string_view listen) {
  auto address = parse_listen_address(listen);
  if (!address) {
    return Error{ErrorCode::config,
                 "http.listen = \"" + std::string(listen) + "\": " + address.error().message};
  }
  return address;
}

Result<void> Server::set_credentials(std::vector<std::string> tokens,
                                     std::vector<BearerCredential> clients,
                                     std::vector<SendsmsAccount> sendsms_accounts) {
  if (tokens.empty() && clients.empty() && !local_endpoint().address().is_loopback()) {
    return Error{ErrorCode::config,
                 "http.tokens: the API listens on " + state_->options.listen +
                     " and would be left without authentication; keeping the current tokens"};
  }
  state_->options.tokens = std::move(tokens);
  state_->options.clients = std::move(clients);
  state_->options.sendsms_accounts = std::move(sendsms_accounts);
  state_->handler.set_auth(auth_of(state_->options));
  state_->handler.set_sendsms_auth(
      sendsms_auth_of(state_->options, local_endpoint().address().is_loopback()));
  return {};
}

Result<std::unique_ptr<Server>> Server::create(asio::any_io_executor executor, GatewayApi& gateway,
                                               ServerOptions options) {
  auto address = parse_listen(options.listen);
  if (!address) return std::move(address).error();
  for (std::size_t i = 0; i < options.tokens.size(); ++i) {
    if (options.tokens[i].empty()) {
      return Error{ErrorCode::config, "http.tokens[" + std::to_string(i) + "]: must not be empty"};
    }
  }
  if (options.max_connections == 0) {
    return Error{ErrorCode::config, "http.max_connections: must be at least 1"};
  }

  auto resolved = resolve_listen_endpoint(executor, *address, "http.listen", options.listen);
  if (!resolved) return std::move(resolved).error();
  const tcp::endpoint endpoint = *resolved;
  if (options.tokens.empty() && options.clients.empty() && !endpoint.address().is_loopback()) {
    return Error{ErrorCode::config,
                 "http.listen = \"" + options.listen +
                     "\" is not a loopback address and http.tokens is empty: refusing "
                     "to serve the API without authentication (add a token to "
                     "http.tokens or a [[client]], or listen on 127.0.0.1)"};
  }

  auto state = std::make_shared<State>(executor, gateway, std::move(options));
  state->handler.set_sendsms_auth(
      sendsms_auth_of(state->options, endpoint.address().is_loopback()));
  if (auto opened = open_listener(state->acceptor, endpoint, "http.listen", state->options.listen);
      !opened) {
    return std::move(opened).error();
  }
  return std::unique_ptr<Server>(new Server(std::move(state)));
}

Server::Server(std::shared_ptr<State> state) : state_(std::move(state)) {}

Server::~Server() {
  error_code ignored;
  state_->acceptor.close(ignored);
}

asio::ip::tcp::endpoint Server::local_endpoint() const {
  error_code ignored;
  return state_->acceptor.local_endpoint(ignored);
}

awaitable<void> Server::run() {
  const auto state = state_;
  while (!state->stopping) {
    auto accepted = co_await accept_connection(state->acceptor, "http");
    if (state->stopping) break;
    if (!accepted) continue;
    tcp::socket socket = std::move(*accepted);
    if (state->open >= state->options.max_connections) {
      ++state->handler.counters().connections_rejected;
      if (state->rejecting < kMaxRejecting) {
        ++state->rejecting;
        spawn_logged(state->executor, reject(state, std::move(socket)), "rejecting a connection");
      }
      continue;
    }
    ++state->open;
    state->handler.counters().connections_open = state->open;
    spawn_logged(state->executor, serve(state, std::move(socket)), "an HTTP session");
  }

  if (state->open > 0 && !co_await state->drained.wait(state->options.stop_grace)) {
    spdlog::warn("http: closing {} connections still busy after the stop grace period",
                 state->open);
    for (auto* connection : state->connections) connection->stream.close();
  }
}

void Server::stop() {
  auto& state = *state_;
  if (state.stopping) return;
  state.stopping = true;
  error_code ignored;
  state.acceptor.close(ignored);
  for (auto* connection : state.connections) {
    if (connection->idle) connection->stream.socket().cancel(ignored);
    if (connection->events) connection->events->close();
  }
  if (state.open == 0) state.drained.set();
}

}  // namespace smsgw::http
