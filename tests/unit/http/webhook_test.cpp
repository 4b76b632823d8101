#include "smsgw/http/webhook.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "smsgw/common/net.hpp"
// Beast after net.hpp (the Asio include order, docs/architecture.md pitfall 1).
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace smsgw::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

TEST(WebhookSignature, IsHmacSha256OverTimestampDotBody) {
  // Independent value: Python's hmac.new(b"whsec", b'1700000000.{"event":"delivered"}',
  // hashlib.sha256).hexdigest().
  EXPECT_EQ(webhook_signature("whsec", "1700000000", R"({"event":"delivered"})"),
            "sha256=710895d434e7e3be1123207f3809a73888ddf254c53206cf7f64d4f10e9a4a16");
}

TEST(WebhookSignature, VerifiesOnlyTheExactSignature) {
  const auto signature = webhook_signature("whsec", "1700000000", "{}");
  EXPECT_TRUE(verify_webhook_signature("whsec", "1700000000", "{}", signature));
  EXPECT_FALSE(verify_webhook_signature("whsec", "1700000001", "{}", signature));
  EXPECT_FALSE(verify_webhook_signature("whsec", "1700000000", "{ }", signature));
  EXPECT_FALSE(verify_webhook_signature("other", "1700000000", "{}", signature));
  EXPECT_FALSE(verify_webhook_signature("whsec", "1700000000", "{}", signature.substr(1)));
  EXPECT_FALSE(verify_webhook_signature("whsec", "1700000000", "{}", ""));
}

TEST(WebhookUrl, ParsesHttpUrls) {
  auto url = parse_webhook_url("http://example.org/hooks/sms?x=1");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "example.org");
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->target, "/hooks/sms?x=1");
  url = parse_webhook_url("HTTP://127.0.0.1:8081");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 8081);
  EXPECT_EQ(url->target, "/");
  url = parse_webhook_url("http://[::1]:9000/h#frag");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->target, "/h");
  url = parse_webhook_url("http://host?q=1");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->target, "/?q=1");
  EXPECT_FALSE(url->tls);
  url = parse_webhook_url("HTTPS://hooks.example.com/in");
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/in");
  url = parse_webhook_url("https://[::1]:8443");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8443);
}

TEST(WebhookUrl, RejectsWhatItCannotReach) {
  const std::pair<const char*, const char*> bad[] = {
      {"ftp://example.org/", "must start with http:// or https://"},
      {"example.org/hook", "must start with http:// or https://"},
      {"http:///path", "the host is missing"},
      {"http://user:pw@host/", "user information in the URL is not supported"},
      {"http://host:0/", "the port must be a number from 1 to 65535"},
      {"http://host:99999/", "the port must be a number from 1 to 65535"},
      {"http://host:8x/", "the port must be a number from 1 to 65535"},
      {"http://[::1/", "unterminated IPv6 address"},
      {"http://host/a b", "the path holds a space or control character"},
  };
  for (const auto& [url, reason] : bad) {
    const auto parsed = parse_webhook_url(url);
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_EQ(parsed.error().code, "webhook.url");
    EXPECT_EQ(parsed.error().message, "webhook URL \"" + std::string(url) + "\": " + reason);
  }
}

// A one-shot receiver: accepts one connection, reads one request, and answers `status`
// (or never answers when status is 0, until the client closes).
struct Receiver {
  explicit Receiver(asio::io_context& io)
      : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

  awaitable<void> serve(unsigned status) {
    tcp::socket socket(acceptor.get_executor());
    co_await acceptor.async_accept(socket, use_awaitable);
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    bhttp::request<bhttp::string_body> incoming;
    co_await bhttp::async_read(stream, buffer, incoming, use_awaitable);
    request = std::move(incoming);
    if (status == 0) {  // stay silent until the client gives up and closes
      std::array<char, 64> sink{};
      error_code closed;
      while (!closed) {
        co_await stream.async_read_some(asio::buffer(sink),
                                        asio::redirect_error(use_awaitable, closed));
      }
      co_return;
    }
    bhttp::response<bhttp::string_body> answer{static_cast<bhttp::status>(status), 11};
    if (status != 204) answer.body() = "ok";  // RFC 9110 15.3.5: 204 has no content
    answer.prepare_payload();
    co_await bhttp::async_write(stream, answer, use_awaitable);
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/hooks/sms";
  }

  tcp::acceptor acceptor;
  std::optional<bhttp::request<bhttp::string_body>> request;
};

awaitable<void> deliver(std::string url, std::string body, std::string secret,
                        std::chrono::milliseconds timeout, std::optional<Result<void>>& out) {
  out = co_await post_webhook(std::move(url), std::move(body), std::move(secret), timeout);
}

Result<void> post_to(asio::io_context& io, Receiver* receiver, unsigned status, std::string url,
                     std::string secret = "whsec",
                     std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  if (receiver != nullptr) asio::co_spawn(io, receiver->serve(status), asio::detached);
  std::optional<Result<void>> result;
  asio::co_spawn(io,
                 deliver(std::move(url), R"({"event":"delivered","id":"01HX1"})", std::move(secret),
                         timeout, result),
                 asio::detached);
  io.run_for(20s);
  EXPECT_TRUE(result.has_value());
  return result.value_or(Error{"test", "no result"});
}

TEST(WebhookClient, PostsSignedJsonAndSucceedsOn2xx) {
  asio::io_context io;
  Receiver receiver(io);
  const auto result = post_to(io, &receiver, 204, receiver.url());
  EXPECT_TRUE(result.ok()) << result.error().message;
  ASSERT_TRUE(receiver.request.has_value());
  const auto& request = *receiver.request;
  EXPECT_EQ(request.method(), bhttp::verb::post);
  EXPECT_EQ(request.target(), "/hooks/sms");
  EXPECT_EQ(request[bhttp::field::content_type], "application/json");
  EXPECT_EQ(request[bhttp::field::host],
            "127.0.0.1:" + std::to_string(receiver.acceptor.local_endpoint().port()));
  EXPECT_EQ(request.body(), R"({"event":"delivered","id":"01HX1"})");
  const std::string timestamp(request[kTimestampHeader]);
  ASSERT_FALSE(timestamp.empty());
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EXPECT_LE(std::abs(std::stoll(timestamp) - now), 60);
  EXPECT_TRUE(
      verify_webhook_signature("whsec", timestamp, request.body(), request[kSignatureHeader]));
}

TEST(WebhookClient, WithoutSecretSendsNoSignature) {
  asio::io_context io;
  Receiver receiver(io);
  EXPECT_TRUE(post_to(io, &receiver, 200, receiver.url(), "").ok());
  ASSERT_TRUE(receiver.request.has_value());
  EXPECT_TRUE((*receiver.request)[kSignatureHeader].empty());
  EXPECT_FALSE((*receiver.request)[kTimestampHeader].empty());
}

TEST(WebhookClient, ServerErrorsAndThrottlingAreRetryable) {
  for (unsigned status : {500u, 503u, 429u, 408u}) {
    asio::io_context io;
    Receiver receiver(io);
    const auto result = post_to(io, &receiver, status, receiver.url());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, "webhook.retry") << status;
    EXPECT_TRUE(webhook_error_is_retryable(result.error()));
    EXPECT_EQ(result.error().message, receiver.url() + " answered " + std::to_string(status));
  }
}

TEST(WebhookClient, ClientErrorsAreRejectedForGood) {
  for (unsigned status : {400u, 404u, 410u}) {
    asio::io_context io;
    Receiver receiver(io);
    const auto result = post_to(io, &receiver, status, receiver.url());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, "webhook.rejected") << status;
    EXPECT_FALSE(webhook_error_is_retryable(result.error()));
  }
}

TEST(WebhookClient, ASilentReceiverTimesOutAsRetryable) {
  asio::io_context io;
  Receiver receiver(io);
  const auto result = post_to(io, &receiver, 0, receiver.url(), "whsec", 200ms);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "webhook.retry");
  EXPECT_EQ(result.error().message, "no valid answer from " + receiver.url() + ": timed out");
}

TEST(WebhookClient, ARefusedConnectionIsRetryable) {
  asio::io_context io;
  std::string url;
  {
    Receiver closed(io);  // take a free port, then close it
    url = closed.url();
  }
  const auto result = post_to(io, nullptr, 0, url);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "webhook.retry");
  EXPECT_NE(result.error().message.find("cannot connect to " + url), std::string::npos);
}

TEST(WebhookClient, AnUnsupportedSchemeIsRefusedWithoutAnAttempt) {
  asio::io_context io;
  const auto result = post_to(io, nullptr, 0, "ftp://example.org/hook");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "webhook.url");
  EXPECT_FALSE(webhook_error_is_retryable(result.error()));
}

}  // namespace
}  // namespace smsgw::http
