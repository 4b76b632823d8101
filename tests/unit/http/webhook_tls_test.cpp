// post_webhook over https against a real TLS receiver (Asio SSL server) whose certificates
// come from a throw-away CA (tests/support/test_pki.hpp).
#include <gtest/gtest.h>

#include <optional>

#include "smsgw/common/net.hpp"
#include "smsgw/http/webhook.hpp"
#include "temp_dir.hpp"
#include "test_pki.hpp"
// Beast after net.hpp (the Asio include order, docs/architecture.md pitfall 1).
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace smsgw::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Accepts one TLS connection presenting `server`'s certificate, reads one request and
// answers `status`. A handshake the client aborts ends it quietly.
struct TlsReceiver {
  TlsReceiver(asio::io_context& io, const test::PemPair& server)
      : context(ssl::context::tls_server),
        acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    context.use_certificate_chain(asio::buffer(server.certificate));
    context.use_private_key(asio::buffer(server.key), ssl::context::pem);
  }

  awaitable<void> serve(unsigned status) {
    tcp::socket socket(acceptor.get_executor());
    co_await acceptor.async_accept(socket, use_awaitable);
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), context);
    error_code ec;
    co_await stream.async_handshake(ssl::stream_base::server,
                                    asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    if (const char* name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name)) {
      sni = name;
    }
    beast::flat_buffer buffer;
    bhttp::request<bhttp::string_body> incoming;
    co_await bhttp::async_read(stream, buffer, incoming, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    request = std::move(incoming);
    bhttp::response<bhttp::string_body> answer{static_cast<bhttp::status>(status), 11};
    if (status >= 300 && status < 400) answer.set(bhttp::field::location, "http://127.0.0.1/");
    if (status != 204) answer.body() = "ok";  // RFC 9110 15.3.5: 204 has no content
    answer.prepare_payload();
    co_await bhttp::async_write(stream, answer, asio::redirect_error(use_awaitable, ec));
  }

  std::string url(const std::string& host = "127.0.0.1") const {
    return "https://" + host + ":" + std::to_string(acceptor.local_endpoint().port()) + "/hook";
  }

  ssl::context context;
  tcp::acceptor acceptor;
  std::optional<bhttp::request<bhttp::string_body>> request;
  std::string sni;
};

awaitable<void> deliver(std::string url, WebhookPostOptions options,
                        std::optional<Result<void>>& out) {
  out = co_await post_webhook(std::move(url), R"({"event":"message.status"})", "whsec",
                              std::move(options));
}

struct Pki {
  Pki() {
    ca_file = (dir.path() / "ca.pem").string();
    test::write_text_file(ca_file, ca.certificate_pem());
  }
  std::shared_ptr<WebhookTls> tls() const {
    auto created = WebhookTls::create(ca_file);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? std::move(created).value() : nullptr;
  }
  test_support::TempDir dir;
  test::TestCa ca;
  std::string ca_file;
};

Result<void> post_tls(asio::io_context& io, TlsReceiver& receiver, unsigned status, std::string url,
                      WebhookPostOptions options) {
  asio::co_spawn(io, receiver.serve(status), asio::detached);
  std::optional<Result<void>> result;
  options.timeout = 5s;
  asio::co_spawn(io, deliver(std::move(url), std::move(options), result), asio::detached);
  io.run_for(10s);
  EXPECT_TRUE(result.has_value());
  return result.value_or(Error{"test", "no result"});
}

TEST(WebhookTls, SignedEventsArriveOverHttpsWithTheExtraCa) {
  Pki pki;
  asio::io_context io;
  TlsReceiver receiver(io, pki.ca.issue({"localhost"}, {"127.0.0.1"}));
  WebhookPostOptions options;
  options.tls = pki.tls();
  const auto result = post_tls(io, receiver, 200, receiver.url("localhost"), options);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_TRUE(receiver.request.has_value());
  const auto& request = *receiver.request;
  EXPECT_EQ(request.target(), "/hook");
  EXPECT_EQ(request.body(), R"({"event":"message.status"})");
  EXPECT_TRUE(verify_webhook_signature("whsec", request[kTimestampHeader], request.body(),
                                       request[kSignatureHeader]));
  EXPECT_EQ(receiver.sni, "localhost");  // RFC 6066 3: the name is sent
}

TEST(WebhookTls, AnIpLiteralIsVerifiedAgainstTheIpSubjectAltNameWithoutSni) {
  Pki pki;
  asio::io_context io;
  TlsReceiver receiver(io, pki.ca.issue({"localhost"}, {"127.0.0.1"}));
  WebhookPostOptions options;
  options.tls = pki.tls();
  const auto result = post_tls(io, receiver, 204, receiver.url(), options);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(receiver.request.has_value());
  EXPECT_EQ(receiver.sni, "");
}

TEST(WebhookTls, ACertificateFromAnotherCaIsARetryableFailureNamingTheReason) {
  Pki pki;
  test::TestCa stranger("another CA");
  asio::io_context io;
  TlsReceiver receiver(io, stranger.issue({"localhost"}, {"127.0.0.1"}));
  WebhookPostOptions options;
  options.tls = pki.tls();
  const auto url = receiver.url();
  const auto result = post_tls(io, receiver, 200, url, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "webhook.retry");
  EXPECT_EQ(result.error().message, "TLS handshake with " + url +
                                        " failed: certificate verify failed: unable to get "
                                        "local issuer certificate");
  EXPECT_FALSE(receiver.request.has_value());
}

TEST(WebhookTls, TheTestCaIsNotTrustedWithoutCaFile) {
  Pki pki;
  asio::io_context io;
  TlsReceiver receiver(io, pki.ca.issue({"localhost"}, {"127.0.0.1"}));
  const auto result = post_tls(io, receiver, 200, receiver.url(), WebhookPostOptions{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "webhook.retry");
  EXPECT_NE(result.error().message.find("certificate verify failed"), std::string::npos);
}

TEST(WebhookTls, AWrongHostNameIsRefused) {
  Pki pki;
  {
    asio::io_context io;
    TlsReceiver receiver(io, pki.ca.issue({"hooks.example.com"}, {"10.9.9.9"}));
    WebhookPostOptions options;
    options.tls = pki.tls();
    const auto by_name = post_tls(io, receiver, 200, receiver.url("localhost"), options);
    ASSERT_FALSE(by_name.ok());
    EXPECT_EQ(by_name.error().code, "webhook.retry");
    EXPECT_NE(by_name.error().message.find("certificate verify failed: hostname mismatch"),
              std::string::npos)
        << by_name.error().message;
  }
  asio::io_context io;
  TlsReceiver receiver(io, pki.ca.issue({"hooks.example.com"}, {"10.9.9.9"}));
  WebhookPostOptions options;
  options.tls = pki.tls();
  const auto by_ip = post_tls(io, receiver, 200, receiver.url(), options);
  ASSERT_FALSE(by_ip.ok());
  EXPECT_NE(by_ip.error().message.find("certificate verify failed: IP address mismatch"),
            std::string::npos)
      << by_ip.error().message;
}

TEST(WebhookTls, ARedirectIsARejectionNotFollowed) {
  Pki pki;
  asio::io_context io;
  TlsReceiver receiver(io, pki.ca.issue({"localhost"}, {"127.0.0.1"}));
  WebhookPostOptions options;
  options.tls = pki.tls();
  const auto url = receiver.url();
  const auto result = post_tls(io, receiver, 302, url, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "webhook.rejected");
  EXPECT_EQ(result.error().message, url + " answered 302 (redirects are not followed)");
}

TEST(WebhookTls, AnUnreadableCaFileIsNamed) {
  const auto created = WebhookTls::create("/nonexistent/ca.pem");
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, "webhook.tls");
  EXPECT_NE(created.error().message.find("/nonexistent/ca.pem"), std::string::npos);
}

TEST(WebhookAllowedHosts, ARefusedAddressIsNotConnectedTo) {
  Pki pki;
  asio::io_context io;
  TlsReceiver receiver(io, pki.ca.issue({"localhost"}, {"127.0.0.1"}));
  WebhookPostOptions options;
  options.tls = pki.tls();
  auto any = CallbackHosts::parse({"*"});
  ASSERT_TRUE(any.ok());
  options.allowed_hosts = std::make_shared<const CallbackHosts>(std::move(any).value());
  // The literal is refused before any connection; "localhost" after resolving.
  for (const auto& url : {receiver.url(), receiver.url("localhost")}) {
    std::optional<Result<void>> result;
    asio::co_spawn(io, deliver(url, options, result), asio::detached);
    io.restart();
    io.run_for(5s);
    ASSERT_TRUE(result.has_value());
    ASSERT_FALSE(result->ok());
    EXPECT_EQ(result->error().code, "webhook.rejected");
    EXPECT_NE(result->error().message.find("is a loopback address; list it in [http] "
                                           "callback_hosts to allow it"),
              std::string::npos)
        << result->error().message;
  }
  EXPECT_FALSE(receiver.request.has_value());

  // Listed by name, it is delivered.
  auto named = CallbackHosts::parse({"localhost"});
  ASSERT_TRUE(named.ok());
  options.allowed_hosts = std::make_shared<const CallbackHosts>(std::move(named).value());
  io.restart();
  const auto result = post_tls(io, receiver, 200, receiver.url("localhost"), options);
  EXPECT_TRUE(result.ok()) << result.error().message;
}

}  // namespace
}  // namespace smsgw::http
