#include "smsgw/http/webhook.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <array>
#include <charconv>
#include <memory>

#include "smsgw/common/net.hpp"
// Beast after net.hpp (the Asio include order, docs/architecture.md pitfall 1).
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace smsgw::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kMaxAnswerBody = 64 * 1024;

Error retry(std::string message) { return Error{ErrorCode::webhook_retry, std::move(message)}; }

bool retryable_status(unsigned status) {
  return status == 408 || status == 425 || status == 429 || status >= 500;
}

std::string describe(const error_code& ec) {
  if (ec == beast::error::timeout || ec == asio::error::operation_aborted) return "timed out";
  return ec.message();
}

}  // namespace

std::string webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body) {
  std::string signed_text;
  signed_text.reserve(timestamp.size() + 1 + body.size());
  signed_text.append(timestamp).append(".").append(body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac.data(),
       &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string signature = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    signature.push_back(kHex[mac[i] >> 4]);
    signature.push_back(kHex[mac[i] & 0x0f]);
  }
  return signature;
}

bool verify_webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body, std::string_view signature) {
  const std::string expected = webhook_signature(secret, timestamp, body);
  return signature.size() == expected.size() &&
         CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) == 0;
}

Result<WebhookUrl> parse_webhook_url(std::string_view url) {
  const auto invalid = [&](std::string_view reason) {
    return Error{"webhook.url", "webhook URL \"" + std::string(url) + "\": " + std::string(reason)};
  };
  WebhookUrl result;
  std::string_view rest;
  if (url.size() >= 7 && beast::iequals(url.substr(0, 7), "http://")) {
    rest = url.substr(7);
  } else if (url.size() >= 8 && beast::iequals(url.substr(0, 8), "https://")) {
    rest = url.substr(8);
    result.tls = true;
    result.port = 443;
  } else {
    return invalid("must start with http:// or https://");
  }
  const auto authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  auto authority = rest.substr(0, authority_end);
  auto target = rest.substr(authority_end);
  if (const auto hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  if (authority.find('@') != std::string_view::npos) {
    return invalid("user information in the URL is not supported");
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return invalid("unterminated IPv6 address");
    result.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid("expected ':' after the IPv6 address");
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    result.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (result.host.empty()) return invalid("the host is missing");
  if (!port.empty()) {
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), result.port);
    if (error != std::errc{} || end != port.data() + port.size() || result.port == 0) {
      return invalid("the port must be a number from 1 to 65535");
    }
  }
  for (char c : target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return invalid("the path holds a space or control character");
    }
  }
  result.target = target.empty() ? std::string("/") : std::string(target);
  if (result.target.front() == '?') result.target.insert(0, "/");
  return result;
}

bool webhook_error_is_retryable(const Error& error) {
  return error.kind == ErrorCode::webhook_retry;
}

struct WebhookTls::Impl {
  asio::ssl::context context{asio::ssl::context::tls_client};
};

WebhookTls::WebhookTls(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebhookTls::~WebhookTls() = default;

Result<std::shared_ptr<WebhookTls>> WebhookTls::create(const std::filesystem::path& ca_file) {
  auto impl = std::make_unique<Impl>();
  auto& context = impl->context;
  error_code ec;
  // TLS 1.2 or later (RFC 8996 deprecates 1.0 and 1.1).
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1);
  context.set_verify_mode(asio::ssl::verify_peer);
  context.set_default_verify_paths(ec);
  if (ec) return Error{"webhook.tls", "cannot load the system's CA store: " + ec.message()};
  if (!ca_file.empty()) {
    context.load_verify_file(ca_file.string(), ec);
    if (ec) {
      return Error{"webhook.tls",
                   "cannot load CA certificates from " + ca_file.string() + ": " + ec.message()};
    }
  }
  return std::shared_ptr<WebhookTls>(new WebhookTls(std::move(impl)));
}

namespace {

Error rejected(std::string message) { return Error{"webhook.rejected", std::move(message)}; }

// Sends the request on a connected (and, for https, handshaken) stream and reads the answer.
template <class Stream>
awaitable<Result<void>> exchange(Stream* stream, bhttp::request<bhttp::string_body> request,
                                 std::string url) {
  error_code ec;
  co_await bhttp::async_write(*stream, request, asio::redirect_error(use_awaitable, ec));
  if (ec) co_return retry("cannot send to " + url + ": " + describe(ec));
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kMaxAnswerBody);
  co_await bhttp::async_read(*stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
  if (ec) co_return retry("no valid answer from " + url + ": " + describe(ec));
  const unsigned status = parser.get().result_int();
  if (status >= 200 && status < 300) co_return Result<void>{};
  std::string message = url + " answered " + std::to_string(status);
  if (status >= 300 && status < 400) message += " (redirects are not followed)";
  if (retryable_status(status)) co_return retry(std::move(message));
  co_return rejected(std::move(message));
}

// Why a TLS handshake failed, naming the certificate's fault when verification failed.
std::string handshake_failure(SSL* ssl, const error_code& ec) {
  const long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) {
    return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify);
  }
  return describe(ec);
}

}  // namespace

awaitable<Result<void>> post_webhook(std::string url, std::string body, std::string secret,
                                     std::chrono::milliseconds timeout) {
  WebhookPostOptions options;
  options.timeout = timeout;
  co_return co_await post_webhook(std::move(url), std::move(body), std::move(secret),
                                  std::move(options));
}

awaitable<Result<void>> post_webhook(std::string url, std::string body, std::string secret,
                                     WebhookPostOptions options) {
  auto parsed = parse_webhook_url(url);
  if (!parsed) co_return std::move(parsed).error();
  if (options.allowed_hosts) {
    if (auto allowed = options.allowed_hosts->check_host(parsed->host); !allowed) {
      co_return rejected(url + ": " + allowed.error().message);
    }
  }
  std::shared_ptr<WebhookTls> tls = options.tls;
  if (parsed->tls && !tls) {
    auto created = WebhookTls::create();
    if (!created) co_return retry(created.error().message);
    tls = std::move(created).value();
  }
  const auto executor = co_await asio::this_coro::executor;
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  error_code ec;

  // The deadline timer shares the resolver, so an expiry that races the resolver's completion
  // never touches a destroyed resolver.
  const auto resolver = std::make_shared<tcp::resolver>(executor);
  asio::steady_timer resolve_deadline(executor, deadline);
  resolve_deadline.async_wait([resolver](const error_code& wait_error) {
    if (!wait_error) resolver->cancel();
  });
  const auto resolved = co_await resolver->async_resolve(parsed->host, std::to_string(parsed->port),
                                                         asio::redirect_error(use_awaitable, ec));
  resolve_deadline.cancel();
  if (ec) co_return retry("cannot resolve " + parsed->host + ": " + describe(ec));
  // Every address must pass before any is tried: connect only to checked addresses.
  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : resolved) {
    if (options.allowed_hosts) {
      auto allowed = options.allowed_hosts->check_address(parsed->host, entry.endpoint().address());
      if (!allowed) co_return rejected(url + ": " + allowed.error().message);
    }
    endpoints.push_back(entry.endpoint());
  }

  bhttp::request<bhttp::string_body> request{options.get ? bhttp::verb::get : bhttp::verb::post,
                                             parsed->target, 11};
  const bool default_port = parsed->port == (parsed->tls ? 443 : 80);
  const bool ipv6 = parsed->host.find(':') != std::string::npos;
  std::string host = ipv6 ? "[" + parsed->host + "]" : parsed->host;
  if (!default_port) host += ":" + std::to_string(parsed->port);
  request.set(bhttp::field::host, host);
  request.set(bhttp::field::user_agent, "smsgw");
  if (!options.get) {
    request.set(bhttp::field::content_type, "application/json");
    const auto timestamp = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
    request.set(kTimestampHeader, timestamp);
    if (!secret.empty()) request.set(kSignatureHeader, webhook_signature(secret, timestamp, body));
    request.body() = std::move(body);
  }
  request.keep_alive(false);
  request.prepare_payload();

  if (!parsed->tls) {
    beast::tcp_stream stream(executor);
    stream.expires_at(deadline);
    co_await stream.async_connect(endpoints, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return retry("cannot connect to " + url + ": " + describe(ec));
    auto answer = co_await exchange(&stream, std::move(request), url);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream.close();
    co_return answer;
  }

  beast::ssl_stream<beast::tcp_stream> stream(executor, tls->impl().context);
  auto& tcp_layer = beast::get_lowest_layer(stream);
  tcp_layer.expires_at(deadline);
  SSL* ssl = stream.native_handle();
  error_code literal_error;
  (void)asio::ip::make_address(parsed->host, literal_error);
  const bool literal = !literal_error;
  // RFC 6066 3: SNI carries a DNS name only, never an IP literal.
  if (!literal && SSL_set_tlsext_host_name(ssl, parsed->host.c_str()) != 1) {
    co_return Error{"webhook.url", url + ": the host name cannot be sent as SNI"};
  }
  const int name_set =
      literal ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), parsed->host.c_str())
              : SSL_set1_host(ssl, parsed->host.c_str());
  if (name_set != 1) co_return Error{"webhook.url", url + ": the host cannot be verified"};
  co_await tcp_layer.async_connect(endpoints, asio::redirect_error(use_awaitable, ec));
  if (ec) co_return retry("cannot connect to " + url + ": " + describe(ec));
  co_await stream.async_handshake(asio::ssl::stream_base::client,
                                  asio::redirect_error(use_awaitable, ec));
  if (ec) co_return retry("TLS handshake with " + url + " failed: " + handshake_failure(ssl, ec));
  auto answer = co_await exchange(&stream, std::move(request), url);
  tcp_layer.socket().shutdown(tcp::socket::shutdown_both, ec);
  tcp_layer.close();
  co_return answer;
}

}  // namespace smsgw::http
