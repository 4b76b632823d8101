// https webhooks and per-message callbacks against the real `smsgw serve` on smsgw-sim:
// - events arrive over https when [http] ca_file names the receiver's CA (a throw-away CA,
//   tests/support/test_pki.hpp); a receiver whose certificate the gateway cannot verify is
//   refused, the failure is logged with its reason and retried, and delivered once the
//   receiver presents the right certificate;
// - a message's callback_url receives its message.status events with its reference, signed
//   with [http] callback_secret; hosts outside [http] callback_hosts are a 422 naming the
//   rule; lists filter by reference;
// - message.received names the SIM and the SMSC time; the inbox filters by modem, sender and
//   time.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <filesystem>
#include <thread>

#include "harness/webhook_receiver.hpp"
#include "serve_support.hpp"
#include "test_pki.hpp"

namespace smsgw::serve_test {
namespace {

// Computed here with OpenSSL, independently of the gateway's code.
bool signed_with(const harness::ReceivedRequest& r, const std::string& key) {
  const std::string text = r.header("x-smsgw-timestamp") + "." + r.body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 0x0f]);
  }
  return r.header("x-smsgw-signature") == hex;
}

int count_status(const std::vector<harness::ReceivedRequest>& requests, const std::string& status) {
  int n = 0;
  for (const auto& r : requests) {
    const auto body = r.json();
    if (body.is_object() && body.value("event", "") == "message.status" &&
        body.at("data").value("status", "") == status) {
      ++n;
    }
  }
  return n;
}

// Writes the test CA to <gateway dir>/tls/ca.pem and names it relative to the config.
void trust(Gateway& gw, const test::TestCa& ca) {
  std::filesystem::create_directories(gw.dir() / "tls");
  test::write_text_file((gw.dir() / "tls" / "ca.pem").string(), ca.certificate_pem());
  gw.config().tables["http"]["ca_file"] = harness::toml_string("tls/ca.pem");
}

TEST(ServeHttpsWebhook, SignedEventsAndCallbacksArriveOverHttpsWithTheCaFile) {
  const test::TestCa ca;
  const auto server = ca.issue({"localhost"}, {"127.0.0.1"});
  harness::WebhookReceiver hook(server.certificate, server.key);
  harness::WebhookReceiver callback(server.certificate, server.key);
  harness::HarnessOptions options;
  options.start_gateway = false;
  Gateway gw(options);
  trust(gw, ca);
  gw.config().tables["http"]["callback_hosts"] = harness::toml_string_array({"127.0.0.1"});
  gw.config().extra_toml =
      "[[webhook]]\nurl = " + harness::toml_string(hook.url("/events", "localhost")) +
      "\nsecret = \"hook-secret\"\n";
  gw.start_gateway();

  const auto id = gw.submit_ok("+491513000101", "over tls",
                               {{"callback_url", callback.url("/cb")}, {"reference", "tls-1"}});
  gw.wait_status(id, {"delivered"});
  gw.sim().inject(1, "+4917600000101", "incoming over tls");
  ASSERT_TRUE(hook.wait_until(
      [](const auto& r) {
        return count_status(r, "delivered") == 1 &&
               std::any_of(r.begin(), r.end(), [](const harness::ReceivedRequest& x) {
                 return x.json().value("event", "") == "message.received";
               });
      },
      20s))
      << gw.gateway_log_tail();
  ASSERT_TRUE(
      callback.wait_until([](const auto& r) { return count_status(r, "delivered") == 1; }, 20s))
      << gw.gateway_log_tail();
  EXPECT_EQ(hook.handshake_failures(), 0);
  EXPECT_EQ(callback.handshake_failures(), 0);

  for (const auto& r : hook.requests()) {
    EXPECT_EQ(r.target, "/events");
    EXPECT_TRUE(signed_with(r, "hook-secret")) << r.body;
    const auto body = r.json();
    if (body.value("event", "") != "message.received") continue;
    const auto& data = body.at("data");
    EXPECT_EQ(data.value("modem", ""), "modem1");
    EXPECT_EQ(data.value("from", ""), "+4917600000101");
    EXPECT_EQ(data.value("text", ""), "incoming over tls");
    EXPECT_EQ(data.value("parts", 0), 1);
    EXPECT_EQ(data.at("iccid"), gw.modems().at(1).at("iccid")) << data.dump();
    EXPECT_EQ(data.at("operator"), "Vodafone") << data.dump();
    EXPECT_TRUE(data.at("number").is_null());
    ASSERT_TRUE(data.at("sent_at").is_string()) << data.dump();  // the SMSC time stamp
    EXPECT_EQ(data.at("sent_at").get<std::string>().back(), 'Z');
  }
  // The callback: this message's events only, with its reference, signed with the first
  // [[webhook]] secret subscribed to message.status (no client, no callback_secret).
  for (const auto& r : callback.requests()) {
    EXPECT_EQ(r.target, "/cb");
    EXPECT_TRUE(signed_with(r, "hook-secret")) << r.body;
    const auto data = r.json().at("data");
    EXPECT_EQ(data.value("id", ""), id);
    EXPECT_EQ(data.value("reference", ""), "tls-1");
    EXPECT_TRUE(data.at("client").is_null());
  }
}

TEST(ServeHttpsWebhook, AnUntrustedCertificateIsRefusedAndRetriedUntilFixed) {
  const test::TestCa ca;
  const test::TestCa stranger("another CA");
  const auto wrong = stranger.issue({"localhost"}, {"127.0.0.1"});
  harness::WebhookReceiver hook(wrong.certificate, wrong.key);
  harness::HarnessOptions options;
  options.start_gateway = false;
  Gateway gw(options);
  trust(gw, ca);
  gw.config().extra_toml = "[[webhook]]\nurl = " + harness::toml_string(hook.url("/events")) +
                           "\nevents = [\"message.status\"]\n";
  gw.start_gateway();

  const auto id = gw.submit_ok("+491513000102", "who are you?");
  gw.wait_status(id, {"delivered"});
  harness::wait_until(
      [&] {
        return gw.gateway_log().find("TLS handshake with " + hook.url("/events") +
                                     " failed: certificate verify failed: unable to get local "
                                     "issuer certificate; will retry") != std::string::npos;
      },
      15s, "the refused certificate in the log");
  // Retried with the outbox's back-off (5 s, then 10 s), refused each time.
  harness::wait_until([&] { return hook.handshake_failures() >= 3; }, 20s,
                      "three refused handshakes");
  EXPECT_TRUE(hook.requests().empty());

  const auto right = ca.issue({"localhost"}, {"127.0.0.1"});
  hook.set_certificate(right.certificate, right.key);
  ASSERT_TRUE(hook.wait_until(
      [](const auto& r) {
        return count_status(r, "sent") == 1 && count_status(r, "delivered") == 1;
      },
      40s))
      << gw.gateway_log_tail();
}

TEST(ServeCallback, ACallbackUrlHearsItsMessageWithItsReference) {
  harness::WebhookReceiver callback;
  harness::HarnessOptions options;
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["http"]["callback_hosts"] = harness::toml_string_array({"127.0.0.1", "*"});
    config.tables["http"]["callback_secret"] = harness::toml_string("cb-secret");
  };
  Gateway gw(options);

  const auto id =
      gw.submit_ok("+491513000103", "call me back",
                   {{"callback_url", callback.url("/cb?m=1")}, {"reference", "order-1"}});
  const auto other = gw.submit_ok("+491513000104", "no callback", {{"reference", "order-2"}});
  gw.wait_status(id, {"delivered"});
  gw.wait_status(other, {"delivered"});
  ASSERT_TRUE(
      callback.wait_until([](const auto& r) { return count_status(r, "delivered") == 1; }, 20s))
      << gw.gateway_log_tail();
  std::this_thread::sleep_for(300ms);
  const auto requests = callback.requests();
  EXPECT_EQ(count_status(requests, "sent"), 1);
  EXPECT_EQ(requests.size(), 2u);  // sent and delivered of this message only
  for (const auto& r : requests) {
    EXPECT_EQ(r.target, "/cb?m=1");
    EXPECT_TRUE(signed_with(r, "cb-secret")) << r.body;
    const auto data = r.json().at("data");
    EXPECT_EQ(data.value("id", ""), id);
    EXPECT_EQ(data.value("reference", ""), "order-1");
    EXPECT_TRUE(data.at("client").is_null());
  }

  const auto message = gw.message(id);
  EXPECT_EQ(message.value("reference", ""), "order-1");
  EXPECT_EQ(message.value("callback_url", ""), callback.url("/cb?m=1"));
  EXPECT_TRUE(message.at("client").is_null());
  const auto listed = gw.client().get("/api/v1/messages?reference=order-2").json();
  ASSERT_EQ(listed.at("messages").size(), 1u) << listed.dump();
  EXPECT_EQ(listed.at("messages")[0].value("id", ""), other);
  EXPECT_TRUE(gw.client().get("/api/v1/messages?client=shop").json().at("messages").empty());

  // Refused hosts and long references are 422 naming the field and the rule.
  auto refused = gw.submit("+491513000105", "x", {{"callback_url", "http://10.0.0.5/cb"}});
  EXPECT_EQ(refused.status, 422) << refused.describe();
  EXPECT_EQ(refused.json().at("error").value("message", ""),
            "callback_url: host 10.0.0.5 is a private address; list it in [http] "
            "callback_hosts to allow it");
  refused = gw.client().post(
      "/api/v1/messages",
      {{"messages",
        {{{"to", "+491513000106"}, {"text", "a"}},
         {{"to", "+491513000107"}, {"text", "b"}, {"callback_url", "http://169.254.169.254/"}}}}});
  EXPECT_EQ(refused.status, 422) << refused.describe();
  EXPECT_EQ(refused.json().at("error").value("message", ""),
            "messages[1].callback_url: host 169.254.169.254 is a link-local address; list it "
            "in [http] callback_hosts to allow it");
  refused = gw.submit("+491513000108", "x", {{"reference", std::string(65, 'r')}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.json().at("error").value("message", ""),
            "reference: longer than 64 characters");

  // The reference is part of the Idempotency-Key fingerprint.
  const harness::HttpHeaders key{{"Idempotency-Key", "cb-key-1"}};
  json body{{"to", "+491513000109"}, {"text", "once"}, {"reference", "a"}};
  EXPECT_EQ(gw.client().post("/api/v1/messages", body, key).status, 202);
  EXPECT_EQ(gw.client().post("/api/v1/messages", body, key).status, 202);  // replay
  body["reference"] = "b";
  EXPECT_EQ(gw.client().post("/api/v1/messages", body, key).status, 409);
}

TEST(ServeInbox, FiltersByModemSenderAndTime) {
  Gateway gw;
  gw.sim().inject(0, "+4917600000201", "first");
  gw.sim().inject(1, "+4917600000202", "second");
  harness::wait_until(
      [&] { return gw.client().get("/api/v1/inbox").json().at("messages").size() == 2; }, 15s,
      "two inbox messages");
  std::this_thread::sleep_for(1100ms);  // RFC 3339 seconds: the third is later
  gw.sim().inject(0, "+4917600000201", "third");
  harness::wait_until(
      [&] { return gw.client().get("/api/v1/inbox").json().at("messages").size() == 3; }, 15s,
      "three inbox messages");
  auto texts = [&](const std::string& query) {
    std::vector<std::string> out;
    const auto page = gw.client().get("/api/v1/inbox?" + query).json();
    for (const auto& m : page.at("messages")) out.push_back(m.value("text", ""));
    return out;
  };
  EXPECT_EQ(texts("modem=modem0"), (std::vector<std::string>{"third", "first"}));
  EXPECT_EQ(texts("from=%2B4917600000202"), (std::vector<std::string>{"second"}));
  EXPECT_EQ(texts("from=%2B4917600000201&limit=1"), (std::vector<std::string>{"third"}));
  const auto third = gw.client().get("/api/v1/inbox?limit=1").json().at("messages")[0];
  EXPECT_EQ(texts("since=" + third.value("received_at", "")), (std::vector<std::string>{"third"}));
  EXPECT_EQ(gw.client().get("/api/v1/inbox?since=soon").status, 422);

  const auto cli = gw.run_cli({"inbox", "--modem", "modem1", "--json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const auto listed = json::parse(cli.out);
  ASSERT_EQ(listed.at("messages").size(), 1u);
  EXPECT_EQ(listed.at("messages")[0].value("text", ""), "second");
}

// A [[client]]'s secret signs the callbacks of the messages that client submitted (over
// [http] callback_secret), and its events name the client.
TEST(ServeCallback, AClientsSecretSignsItsCallbacks) {
  harness::WebhookReceiver callback;
  harness::HarnessOptions options;
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["http"]["tokens"] = harness::toml_string_array({"admin-token-0123456789"});
    config.tables["http"]["callback_hosts"] = harness::toml_string_array({"127.0.0.1"});
    config.tables["http"]["callback_secret"] = harness::toml_string("cb-secret");
    config.extra_toml =
        "[[client]]\nname = \"shop\"\ntoken = \"shop-token-0123456789\"\n"
        "secret = \"shop-secret\"\n";
  };
  Gateway gw(options);
  harness::HttpClient shop(gw.http_port(), "127.0.0.1", "shop-token-0123456789");
  const auto answer = shop.post("/api/v1/messages", json{{"to", "+491513000120"},
                                                         {"text", "signed by the shop"},
                                                         {"callback_url", callback.url("/shop")}});
  ASSERT_EQ(answer.status, 202) << answer.describe();
  const auto id = answer.json().value("id", "");
  gw.wait_status(id, {"delivered"});
  ASSERT_TRUE(
      callback.wait_until([](const auto& r) { return count_status(r, "delivered") == 1; }, 20s))
      << gw.gateway_log_tail();
  for (const auto& r : callback.requests()) {
    EXPECT_TRUE(signed_with(r, "shop-secret")) << r.body;
    EXPECT_FALSE(signed_with(r, "cb-secret"));
    EXPECT_EQ(r.json().at("data").value("client", ""), "shop");
  }
}

}  // namespace
}  // namespace smsgw::serve_test
