// WebhookOutbox against real receivers on 127.0.0.1 (plain and TLS, Beast in the test) and
// a real store: message.status reaches [[webhook]]s and the message's callback_url, each
// signed per the callback rule; set_client_secrets and reconfigure apply live; a sendsms
// message's dlr-url row, written with its status change, is expanded and fetched.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "smsgw/gateway/webhook_outbox.hpp"
#include "smsgw/http/webhook.hpp"
#include "temp_dir.hpp"
#include "test_pki.hpp"
// Beast after net.hpp (the Asio include order, docs/architecture.md pitfall 1).
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace smsgw::gateway {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using json = nlohmann::json;
using namespace std::chrono_literals;

// Accepts connections until closed, records each request and answers 200. With a
// certificate it speaks TLS; set_certificate() swaps it for the next connections.
class Receiver {
 public:
  explicit Receiver(asio::io_context& io)
      : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io, serve(), asio::detached);
  }
  void set_certificate(const test::PemPair& pem) {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    context->use_certificate_chain(asio::buffer(pem.certificate));
    context->use_private_key(asio::buffer(pem.key), ssl::context::pem);
    tls_ = std::move(context);
  }
  void close() {
    error_code ignored;
    acceptor_.close(ignored);
  }
  std::string url(const std::string& path) const {
    return std::string(tls_ ? "https" : "http") +
           "://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + path;
  }

  std::vector<bhttp::request<bhttp::string_body>> requests;
  int handshake_failures = 0;

 private:
  awaitable<void> serve() {
    while (acceptor_.is_open()) {
      error_code ec;
      tcp::socket socket(acceptor_.get_executor());
      co_await acceptor_.async_accept(socket, asio::redirect_error(use_awaitable, ec));
      if (ec) co_return;
      if (tls_) {
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls_);
        co_await stream.async_handshake(ssl::stream_base::server,
                                        asio::redirect_error(use_awaitable, ec));
        if (ec) {
          ++handshake_failures;
          continue;
        }
        co_await answer(stream);
      } else {
        beast::tcp_stream stream(std::move(socket));
        co_await answer(stream);
      }
    }
  }
  template <class Stream>
  awaitable<void> answer(Stream& stream) {
    error_code ec;
    beast::flat_buffer buffer;
    bhttp::request<bhttp::string_body> request;
    co_await bhttp::async_read(stream, buffer, request, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    requests.push_back(request);
    bhttp::response<bhttp::string_body> response{bhttp::status::ok, 11};
    response.prepare_payload();
    co_await bhttp::async_write(stream, response, asio::redirect_error(use_awaitable, ec));
  }

  tcp::acceptor acceptor_;
  std::shared_ptr<ssl::context> tls_;
};

bool signed_with(const bhttp::request<bhttp::string_body>& r, const std::string& secret) {
  return http::verify_webhook_signature(secret, r[http::kTimestampHeader], r.body(),
                                        r[http::kSignatureHeader]);
}

struct Rig {
  Rig() {
    auto opened = store::Store::open(dir.path() / "smsgw.db");
    EXPECT_TRUE(opened.ok());
    store = opened.ok() ? std::move(opened).value() : nullptr;
  }
  // A stored message with these tags; returns its id.
  std::string message(std::optional<std::string> client, std::optional<std::string> reference,
                      std::optional<std::string> callback_url) {
    store::NewMessage m;
    m.to = "+491";
    m.text = "x";
    m.encoding = "gsm7";
    m.parts.push_back({"0041", 20});
    m.client = std::move(client);
    m.reference = std::move(reference);
    m.callback_url = std::move(callback_url);
    m.created_at = std::chrono::system_clock::now();
    m.id = store->new_id(m.created_at);
    EXPECT_TRUE(store->insert_messages(std::span<const store::NewMessage>(&m, 1)).ok());
    return m.id;
  }
  void start() {
    worker = std::make_unique<store::StoreWorker>(io.get_executor(), std::move(store));
    outbox = std::make_unique<WebhookOutbox>(io.get_executor(),
                                             std::vector<config::WebhookConfig>{}, *worker);
    asio::co_spawn(io, outbox->run(), asio::detached);
  }
  // Runs the loop until `done` or `limit`.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < end) io.run_for(20ms);
    return done();
  }
  ~Rig() {
    if (outbox) outbox->stop();
    io.run_for(200ms);
    if (worker) worker->stop();
  }

  test_support::TempDir dir;
  asio::io_context io;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::StoreWorker> worker;
  std::unique_ptr<WebhookOutbox> outbox;
};

TEST(CallbackSecret, ClientThenCallbackSecretThenStatusWebhookThenNone) {
  const std::vector<config::WebhookConfig> hooks{
      {"http://a/", {"message.received"}, "received-only"},
      {"http://b/", {}, ""},
      {"http://c/", {"message.status"}, "status-secret"},
  };
  const std::map<std::string, std::string> clients{{"shop", "shop-secret"}, {"crm", ""}};
  EXPECT_EQ(callback_secret_for("shop", clients, "cb", hooks), "shop-secret");
  EXPECT_EQ(callback_secret_for("crm", clients, "cb", hooks), "cb");  // no secret of its own
  EXPECT_EQ(callback_secret_for(std::nullopt, clients, "cb", hooks), "cb");
  EXPECT_EQ(callback_secret_for("other", clients, "", hooks), "status-secret");
  EXPECT_EQ(callback_secret_for(std::nullopt, {}, "", {hooks[0], hooks[1]}), "");
}

TEST(WebhookOutboxLive, StatusReachesWebhookAndCallbackSignedAndTagged) {
  Rig rig;
  Receiver hook(rig.io);
  Receiver callback(rig.io);
  const auto id = rig.message("shop", "order-17", callback.url("/cb"));
  const auto plain = rig.message(std::nullopt, std::nullopt, std::nullopt);
  rig.start();
  WebhookSettings settings;
  settings.webhooks = {{hook.url("/hook"), {"message.status"}, "hook-secret"}};
  settings.callback_hosts = {"127.0.0.1"};
  ASSERT_TRUE(rig.outbox->reconfigure(settings).ok());
  rig.outbox->set_client_secrets({{"shop", "shop-secret"}});
  rig.outbox->emit_message_status({id, "sent", std::chrono::system_clock::now(), "modem1", {}, {}});
  rig.outbox->emit_message_status(
      {plain, "failed", std::chrono::system_clock::now(), std::nullopt, {}, {}});
  ASSERT_TRUE(
      rig.run_until([&] { return hook.requests.size() == 2 && callback.requests.size() == 1; }));
  rig.io.run_for(300ms);
  EXPECT_EQ(callback.requests.size(), 1u);  // the plain message has no callback

  const auto& cb = callback.requests[0];
  EXPECT_EQ(cb.target(), "/cb");
  EXPECT_TRUE(signed_with(cb, "shop-secret"));
  const auto body = json::parse(cb.body());
  EXPECT_EQ(body["event"], "message.status");
  EXPECT_EQ(body["data"]["id"], id);
  EXPECT_EQ(body["data"]["status"], "sent");
  EXPECT_EQ(body["data"]["modem"], "modem1");
  EXPECT_EQ(body["data"]["client"], "shop");
  EXPECT_EQ(body["data"]["reference"], "order-17");
  EXPECT_EQ(hook.requests[0].body(), cb.body());  // the same event for both
  EXPECT_TRUE(signed_with(hook.requests[0], "hook-secret"));
  const auto second = json::parse(hook.requests[1].body());
  EXPECT_EQ(second["data"]["id"], plain);
  EXPECT_TRUE(second["data"]["client"].is_null());
  EXPECT_TRUE(second["data"]["reference"].is_null());
}

TEST(WebhookOutboxLive, ClientSecretsAndCallbackHostsApplyToQueuedRows) {
  Rig rig;
  Receiver callback(rig.io);
  const auto id = rig.message("crm", std::nullopt, callback.url("/cb"));
  rig.start();
  WebhookSettings settings;
  settings.callback_hosts = {"127.0.0.0/8"};
  settings.callback_secret = "fallback";
  ASSERT_TRUE(rig.outbox->reconfigure(settings).ok());
  EXPECT_TRUE(rig.outbox->check_callback_url(callback.url("/cb")).ok());
  EXPECT_EQ(rig.outbox->check_callback_url("http://10.0.0.5/x").error().message,
            "host 10.0.0.5 is a private address; list it in [http] callback_hosts to allow it");

  rig.outbox->emit_message_status({id, "sent", std::chrono::system_clock::now(), {}, {}, {}});
  ASSERT_TRUE(rig.run_until([&] { return callback.requests.size() == 1; }));
  EXPECT_TRUE(signed_with(callback.requests[0], "fallback"));  // crm has no secret yet

  rig.outbox->set_client_secrets({{"crm", "crm-secret"}});
  rig.outbox->emit_message_status({id, "delivered", std::chrono::system_clock::now(), {}, {}, {}});
  ASSERT_TRUE(rig.run_until([&] { return callback.requests.size() == 2; }));
  EXPECT_TRUE(signed_with(callback.requests[1], "crm-secret"));

  // Loopback no longer listed: the queued callback is refused at delivery, not sent.
  settings.callback_hosts = {"*"};
  ASSERT_TRUE(rig.outbox->reconfigure(settings).ok());
  EXPECT_FALSE(rig.outbox->check_callback_url(callback.url("/cb")).ok());
  auto job = [&](store::Store& s) {
    return s.enqueue_webhook("message.status", "{}", callback.url("/cb"),
                             std::chrono::system_clock::now(), store::WebhookKind::callback);
  };
  std::optional<Result<std::int64_t>> queued;
  asio::co_spawn(
      rig.io, [&]() -> awaitable<void> { queued = co_await rig.worker->call(job); },
      asio::detached);
  ASSERT_TRUE(rig.run_until([&] { return queued.has_value(); }));
  rig.io.run_for(1500ms);
  EXPECT_EQ(callback.requests.size(), 2u);
}

TEST(WebhookOutboxLive, ReconfigureAddsWebhooksAndTheCaFile) {
  Rig rig;
  test::TestCa ca;
  const auto ca_file = rig.dir.path() / "ca.pem";
  test::write_text_file(ca_file.string(), ca.certificate_pem());
  Receiver receiver(rig.io);
  receiver.set_certificate(ca.issue({"localhost"}, {"127.0.0.1"}));
  rig.start();
  rig.outbox->emit("message.received", R"({"id":"in1"})");  // no webhook yet: nothing queued

  WebhookSettings settings;
  settings.webhooks = {{receiver.url("/tls"), {}, "s"}};
  ASSERT_TRUE(rig.outbox->reconfigure(settings).ok());
  rig.outbox->emit("message.received", R"({"id":"in2"})");
  // The system's CA store does not know the test CA: refused, retried with back-off.
  ASSERT_TRUE(rig.run_until([&] { return receiver.handshake_failures >= 1; }));
  EXPECT_TRUE(receiver.requests.empty());

  settings.ca_file = ca_file;
  ASSERT_TRUE(rig.outbox->reconfigure(settings).ok());
  ASSERT_TRUE(rig.run_until([&] { return !receiver.requests.empty(); }, 15s));  // 5 s back-off
  ASSERT_EQ(receiver.requests.size(), 1u);
  EXPECT_EQ(json::parse(receiver.requests[0].body())["data"]["id"], "in2");
  EXPECT_TRUE(signed_with(receiver.requests[0], "s"));

  // A bad setting changes nothing.
  auto bad = settings;
  bad.callback_hosts = {"10.0.0.0/99"};
  const auto refused = rig.outbox->reconfigure(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(
      refused.error().message,
      "http.callback_hosts: \"10.0.0.0/99\": the prefix length must be a number from 0 to 32");
  bad = settings;
  bad.ca_file = rig.dir.path() / "missing.pem";
  EXPECT_NE(rig.outbox->reconfigure(bad).error().message.find("http.ca_file: "), std::string::npos);
  rig.outbox->emit("message.received", R"({"id":"in3"})");
  ASSERT_TRUE(rig.run_until([&] { return receiver.requests.size() == 2; }));
}

// A sendsms message's status changed and the process died before anything else ran: the
// dlr-url row written with the change (store trigger sendsms_dlr) is fetched by the next
// outbox, its escapes expanded from the change and the message; emit_message_status adds no
// second call. A row queued expanded by an older version is fetched as it is.
TEST(WebhookOutboxLive, SendsmsDlrRowOfTheStatusChangeIsExpandedAtDelivery) {
  Rig rig;
  Receiver receiver(rig.io);
  store::NewMessage m;
  m.to = "+491701234567";
  m.text = "x";
  m.encoding = "gsm7";
  m.parts.push_back({"0041", 20});
  m.client = "kshop";
  m.origin = MessageOrigin{};
  m.origin->protocol = "sendsms";
  m.origin->source_addr = "ACME";
  m.origin->dest_addr = "00491701234567";
  m.origin->dlr_url = receiver.url("/dlr") + "?type=%d&id=%I&to=%q&from=%P&answer=%A&smsc=%i&at=%T";
  m.origin->dlr_mask = 31;
  const auto now = std::chrono::system_clock::now();
  m.created_at = now;
  m.id = rig.store->new_id(now);
  ASSERT_TRUE(rig.store->insert_messages(std::span<const store::NewMessage>(&m, 1)).ok());
  ASSERT_TRUE(rig.store->begin_send(m.id, "m1", now).ok());
  ASSERT_TRUE(rig.store->part_sent(m.id, 1, 42, now).ok());  // -> sent: type 8
  ASSERT_TRUE(rig.store
                  ->enqueue_webhook("", "", receiver.url("/legacy?type=8"), now,
                                    store::WebhookKind::dlr_url, std::string("kshop"))
                  .ok());

  rig.start();
  WebhookSettings settings;
  settings.callback_hosts = {"127.0.0.1"};
  ASSERT_TRUE(rig.outbox->reconfigure(settings).ok());
  ASSERT_TRUE(rig.run_until([&] { return receiver.requests.size() == 2; }));
  // Both are due at about the same millisecond: in either order.
  const bool legacy_first = receiver.requests[0].target().starts_with("/legacy");
  EXPECT_EQ(receiver.requests[legacy_first ? 0 : 1].target(), "/legacy?type=8");
  const auto& dlr = receiver.requests[legacy_first ? 1 : 0];
  EXPECT_EQ(dlr.method(), bhttp::verb::get);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
  const std::string target(dlr.target());
  EXPECT_EQ(target.substr(0, target.find("&at=")),
            "/dlr?type=8&id=" + m.id + "&to=%2B491701234567&from=ACME&answer=ACK%2F&smsc=m1");
  const auto at = std::stoll(target.substr(target.find("&at=") + 4));
  EXPECT_NEAR(static_cast<double>(at), static_cast<double>(seconds.count()), 60.0);

  rig.outbox->emit_message_status({m.id, "sent", std::chrono::system_clock::now(), "m1", {}, {}});
  rig.io.run_for(1500ms);
  EXPECT_EQ(receiver.requests.size(), 2u);
}

}  // namespace
}  // namespace smsgw::gateway
