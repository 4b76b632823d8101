#include "smsgw/cli/api_client.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "smsgw/common/listen_address.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/version.hpp"
// Beast after net.hpp (the Asio include order, docs/architecture.md pitfall 1).
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace smsgw::cli {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::milliseconds kWaitTick{100};
// Message lists and inboxes can be long; anything beyond this is not the gateway talking.
constexpr std::uint64_t kMaxReplyBody = 64ull * 1024 * 1024;

bool is_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool valid_port(std::string_view port) {
  if (!is_digits(port) || port.size() > 5) return false;
  unsigned value = 0;
  std::from_chars(port.data(), port.data() + port.size(), value);
  return value >= 1 && value <= 65535;
}

// "host:port" or "[v6]:port" into its parts; the port may be missing.
struct HostPort {
  std::string host;
  std::string port;
  bool bracketed = false;
};

std::optional<HostPort> split_host_port(std::string_view authority) {
  HostPort result;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    result.host = std::string(authority.substr(1, close - 1));
    result.bracketed = true;
    authority.remove_prefix(close + 1);
    if (authority.empty()) return result;
    if (authority.front() != ':') return std::nullopt;
    result.port = std::string(authority.substr(1));
    return result;
  }
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos) {
    result.host = std::string(authority);
    return result;
  }
  if (authority.find(':') != colon) return std::nullopt;  // a bare IPv6 address needs brackets
  result.host = std::string(authority.substr(0, colon));
  result.port = std::string(authority.substr(colon + 1));
  return result;
}

std::string url_of(const std::string& host, const std::string& port, bool ipv6,
                   std::string_view prefix) {
  std::string url = "http://";
  url += ipv6 ? "[" + host + "]" : host;
  url += ":" + port;
  url += prefix;
  return url;
}

// Error text as a sentence fragment: "Connection refused" -> "connection refused".
std::string lowercase_first(std::string text) {
  if (!text.empty() && std::isupper(static_cast<unsigned char>(text.front())) != 0 &&
      (text.size() < 2 || std::islower(static_cast<unsigned char>(text[1])) != 0)) {
    text.front() = static_cast<char>(std::tolower(static_cast<unsigned char>(text.front())));
  }
  return text;
}

std::string seconds_text(std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

bool is_hex_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (is_hex_unreserved(c)) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

}  // namespace

Result<Endpoint> parse_endpoint(std::string_view url) {
  const std::string shown(url);
  std::string_view rest = url;
  if (const auto scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    std::string scheme(rest.substr(0, scheme_end));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (scheme == "https") {
      return Error{"usage", "--url " + shown +
                                ": https is not supported; the daemon speaks plain HTTP (put a "
                                "TLS proxy in front and use http:// to reach the daemon)"};
    }
    if (scheme != "http") {
      return Error{"usage", "--url " + shown + ": only http:// URLs are supported"};
    }
    rest.remove_prefix(scheme_end + 3);
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.find_first_of("?#") != std::string_view::npos) {
    return Error{"usage", "--url " + shown + ": must not have a query or fragment"};
  }
  auto host_port = split_host_port(authority);
  if (!host_port || host_port->host.empty()) {
    return Error{"usage", "--url " + shown + ": expected http://HOST:PORT"};
  }
  if (host_port->port.empty()) host_port->port = "80";
  if (!valid_port(host_port->port)) {
    return Error{"usage", "--url " + shown + ": the port must be a number from 1 to 65535"};
  }
  Endpoint endpoint;
  endpoint.host = host_port->host;
  endpoint.port = host_port->port;
  endpoint.path_prefix = std::string(path);
  endpoint.url = url_of(endpoint.host, endpoint.port, host_port->bracketed, endpoint.path_prefix);
  return endpoint;
}

Result<std::string> url_for_listen(std::string_view listen) {
  auto address = parse_listen_address(listen);
  if (!address) {
    return Error{"usage",
                 "[http] listen \"" + std::string(listen) + "\": " + address.error().message};
  }
  if (address->port == 0) {
    return Error{"usage", "[http] listen \"" + std::string(listen) +
                              "\" has no fixed port to connect to; pass --url"};
  }
  std::string host = address->host;
  // An unspecified listen address accepts loopback connections too.
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  return url_of(host, std::to_string(address->port), address->ipv6, "");
}

std::string encode_path_segment(std::string_view segment) { return percent_encode(segment); }

std::string encode_query_value(std::string_view value) { return percent_encode(value); }

ApiFailure failure_of(const HttpReply& reply, bool token_sent) {
  ApiFailure failure;
  failure.status = reply.status;
  if (reply.status == 401) {
    failure.error = Error{"unauthorized", token_sent ? "the token was refused (401); pass --token "
                                                       "or set SMSGW_TOKEN"
                                                     : "the gateway needs a token (401); pass "
                                                       "--token or set SMSGW_TOKEN"};
    return failure;
  }
  const auto body = nlohmann::json::parse(reply.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const auto& error = body["error"];
    std::string code;
    std::string message;
    if (error.contains("code") && error["code"].is_string()) {
      code = error["code"].get<std::string>();
    }
    if (error.contains("message") && error["message"].is_string()) {
      message = error["message"].get<std::string>();
    }
    failure.error = Error{std::move(code), std::move(message)};
    if (error.contains("field") && error["field"].is_string()) {
      failure.field = error["field"].get<std::string>();
    }
  }
  if (failure.error.code.empty()) {
    failure.error = Error{"http." + std::to_string(reply.status), failure.error.message};
  }
  if (failure.error.message.empty()) {
    failure.error.message = "the gateway answered HTTP " + std::to_string(reply.status);
    const auto reason = http::obsolete_reason(static_cast<http::status>(reply.status));
    if (!reason.empty()) failure.error.message += " " + std::string(reason);
  }
  return failure;
}

// One kept-alive connection and the event loop its operations run on.
class ApiClient::Connection {
 public:
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  bool open = false;

  void close() {
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.clear();
    open = false;
  }

  // Runs the event loop until `done`, calling on_wait about every kWaitTick.
  void run_until(const bool& done, const std::function<void()>& on_wait) {
    io.restart();
    while (!done) {
      io.run_one_for(kWaitTick);
      if (!done && on_wait) on_wait();
    }
  }
};

ApiClient::ApiClient(Endpoint endpoint, std::optional<std::string> token,
                     std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)),
      token_(std::move(token)),
      timeout_(timeout),
      connection_(std::make_unique<Connection>()) {}

ApiClient::~ApiClient() {
  if (connection_ && connection_->open) connection_->close();
}

ApiClient::ApiClient(ApiClient&&) noexcept = default;
ApiClient& ApiClient::operator=(ApiClient&&) noexcept = default;

const Endpoint& ApiClient::endpoint() const { return endpoint_; }

void ApiClient::set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

void ApiClient::set_on_wait(std::function<void()> on_wait) { on_wait_ = std::move(on_wait); }

Result<HttpReply> ApiClient::request(std::string_view method, std::string_view target,
                                     const nlohmann::json* body, std::string_view idempotency_key) {
  const http::verb verb = http::string_to_verb(method);
  if (verb == http::verb::unknown) {
    return Error{"usage", "unknown HTTP method " + std::string(method)};
  }
  const bool retry_safe =
      verb == http::verb::get || verb == http::verb::delete_ || !idempotency_key.empty();

  http::request<http::string_body> request{verb, endpoint_.path_prefix + std::string(target), 11};
  request.set(http::field::host, endpoint_.host + ":" + endpoint_.port);
  request.set(http::field::user_agent, "smsgw-cli/" + std::string(kVersion));
  request.set(http::field::accept, "application/json");
  if (token_ && !token_->empty()) request.set(http::field::authorization, "Bearer " + *token_);
  if (!idempotency_key.empty()) request.set("Idempotency-Key", idempotency_key);
  if (body != nullptr) {
    request.set(http::field::content_type, "application/json");
    request.body() = body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  request.keep_alive(true);
  request.prepare_payload();

  Connection& connection = *connection_;
  for (int attempt = 0;; ++attempt) {
    const bool reused = connection.open;
    connection.stream.expires_after(timeout_);
    error_code ec;
    bool done = false;

    if (!connection.open) {
      tcp::resolver resolver(connection.io);
      tcp::resolver::results_type endpoints;
      resolver.async_resolve(endpoint_.host, endpoint_.port,
                             [&](error_code error, tcp::resolver::results_type results) {
                               ec = error;
                               endpoints = std::move(results);
                               done = true;
                             });
      connection.run_until(done, on_wait_);
      if (!ec) {
        done = false;
        connection.stream.async_connect(endpoints, [&](error_code error, const tcp::endpoint&) {
          ec = error;
          done = true;
        });
        connection.run_until(done, on_wait_);
      }
      if (ec) {
        connection.close();
        const std::string why = ec == beast::error::timeout
                                    ? "no answer within " + seconds_text(timeout_)
                                    : lowercase_first(ec.message());
        return Error{"unreachable", "cannot reach smsgw at " + endpoint_.url + ": " + why +
                                        "; is `smsgw serve` running?"};
      }
      connection.open = true;
    }

    done = false;
    http::async_write(connection.stream, request, [&](error_code error, std::size_t) {
      ec = error;
      done = true;
    });
    connection.run_until(done, on_wait_);

    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxReplyBody);
    std::size_t bytes_read = 0;
    if (!ec) {
      done = false;
      http::async_read(connection.stream, connection.buffer, parser,
                       [&](error_code error, std::size_t bytes) {
                         ec = error;
                         bytes_read = bytes;
                         done = true;
                       });
      connection.run_until(done, on_wait_);
    }
    if (ec) {
      connection.close();
      const bool stale = reused && bytes_read == 0 && ec != beast::error::timeout;
      if (stale && retry_safe && attempt == 0) continue;  // the server closed an idle connection
      if (ec == beast::error::timeout) {
        return Error{"timeout", "smsgw at " + endpoint_.url + " did not answer within " +
                                    seconds_text(timeout_) + " (--timeout sets how long to wait)"};
      }
      return Error{"transport", "the connection to smsgw at " + endpoint_.url +
                                    " broke: " + lowercase_first(ec.message())};
    }
    auto response = parser.release();
    if (!response.keep_alive()) connection.close();
    connection.stream.expires_never();
    HttpReply reply;
    reply.status = response.result_int();
    reply.body = std::move(response.body());
    if (auto location = response.find(http::field::location); location != response.end()) {
      reply.location = std::string(location->value());
    }
    return reply;
  }
}

Result<ApiAnswer> ApiClient::call(std::string_view method, std::string_view target,
                                  const nlohmann::json* body, std::string_view idempotency_key) {
  auto reply = request(method, target, body, idempotency_key);
  if (!reply) return std::move(reply).error();
  if (reply->status < 200 || reply->status >= 300) {
    return failure_of(*reply, token_ && !token_->empty()).error;
  }
  ApiAnswer answer;
  answer.status = reply->status;
  answer.json = nlohmann::json::parse(reply->body, nullptr, false);
  if (answer.json.is_discarded()) {
    return Error{"transport", "smsgw at " + endpoint_.url + " answered " + std::string(method) +
                                  " " + std::string(target) + " with something that is not JSON"};
  }
  answer.body = std::move(reply->body);
  return answer;
}

}  // namespace smsgw::cli
