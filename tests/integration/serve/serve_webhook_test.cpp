// Webhooks: every event (message.status, message.received) reaches a receiver that fails at
// first, each exactly once accepted, signed with HMAC-SHA256 over "<timestamp>.<body>"
// (X-Smsgw-Timestamp, X-Smsgw-Signature: sha256=<hex>; src/http/webhook.hpp).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <thread>

#include "harness/webhook_receiver.hpp"
#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

// Computed here with OpenSSL, independently of the gateway's code.
std::string hmac_sha256_hex(const std::string& key, const std::string& text) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 0x0f]);
  }
  return hex;
}

TEST(ServeWebhook, EveryEventArrivesSignedDespiteFailures) {
  harness::WebhookReceiver receiver(/*fail_first=*/2);
  const std::string secret = "webhook-secret";
  harness::HarnessOptions options;
  options.configure = [&](harness::GatewayConfig& config) {
    config.extra_toml = "[[webhook]]\nurl = " + harness::toml_string(receiver.url("/events")) +
                        "\nsecret = " + harness::toml_string(secret) + "\n";
  };
  Gateway gw(options);

  const auto id = gw.submit_ok("+491513000001", "hook me");
  gw.wait_status(id, {"delivered"});
  gw.sim().inject(1, "+4917600000001", "incoming for the hook");

  // sent + delivered for the message, and the received one: three events, accepted once each.
  auto key_of = [](const harness::ReceivedRequest& r) {
    const auto body = r.json();
    return body.value("event", "") + "/" + body.at("data").value("status", "") + "/" +
           body.at("data").value("id", "");
  };
  const bool all = receiver.wait_until(
      [&](const std::vector<harness::ReceivedRequest>& requests) {
        int accepted = 0;
        for (const auto& r : requests) accepted += r.answered == 200;
        return accepted >= 3;
      },
      30s);
  ASSERT_TRUE(all) << receiver.requests().size() << " requests\n" << gw.gateway_log_tail();
  std::this_thread::sleep_for(300ms);  // nothing more should come

  const auto requests = receiver.requests();
  int failed = 0;
  for (const auto& r : requests) failed += r.answered == 500;
  EXPECT_EQ(failed, 2);
  std::map<std::string, int> accepted;
  for (const auto& r : receiver.accepted()) ++accepted[key_of(r)];
  EXPECT_EQ(accepted.size(), 3u);
  for (const auto& [key, count] : accepted) EXPECT_EQ(count, 1) << key << " accepted twice";
  EXPECT_EQ(accepted.count("message.status/sent/" + id), 1u);
  EXPECT_EQ(accepted.count("message.status/delivered/" + id), 1u);

  bool received = false;
  for (const auto& r : requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/events");
    EXPECT_EQ(r.header("content-type").rfind("application/json", 0), 0u);
    const std::string timestamp = r.header("x-smsgw-timestamp");
    const std::string signature = r.header("x-smsgw-signature");
    ASSERT_FALSE(timestamp.empty());
    EXPECT_EQ(signature, "sha256=" + hmac_sha256_hex(secret, timestamp + "." + r.body)) << r.body;
    EXPECT_NE(signature, "sha256=" + hmac_sha256_hex("another secret", timestamp + "." + r.body));
    const auto body = r.json();
    ASSERT_TRUE(body.is_object()) << r.body;
    if (body.value("event", "") == "message.received") {
      received = true;
      EXPECT_EQ(body.at("data").value("from", ""), "+4917600000001");
      EXPECT_EQ(body.at("data").value("text", ""), "incoming for the hook");
      EXPECT_EQ(body.at("data").value("modem", ""), "modem1");
    }
  }
  EXPECT_TRUE(received);
}

// A lost +CMGS answer: the hook hears `unknown` first, then, when the network's status
// report settles the part, `delivered`; each once.
TEST(ServeWebhook, AnUnknownOutcomeIsToldAndAgainWhenItSettles) {
  harness::WebhookReceiver receiver;
  harness::HarnessOptions options;
  options.sim.modems = 1;
  options.sim.defaults = {{"status_report_latency_ms", 2500}};
  options.configure = [&](harness::GatewayConfig& config) {
    config.extra_toml =
        "[[webhook]]\nurl = " + harness::toml_string(receiver.url("/events")) + "\n";
    config.modems.at(0)["send_timeout"] = harness::toml_string("1s");
  };
  Gateway gw(options);
  gw.sim().fault(0, {{"lost_answer_next", 1}});
  const auto id = gw.submit_ok("+491513000009", "did it leave?");
  EXPECT_EQ(gw.wait_status(id, {"unknown", "delivered", "failed"}).value("status", ""), "unknown");
  EXPECT_EQ(gw.wait_status(id, {"delivered", "failed"}, 20s).value("status", ""), "delivered");
  const bool both = receiver.wait_until(
      [&](const std::vector<harness::ReceivedRequest>& requests) {
        return std::any_of(requests.begin(), requests.end(), [](const auto& r) {
          return r.json().at("data").value("status", "") == "delivered";
        });
      },
      10s);
  ASSERT_TRUE(both) << gw.gateway_log_tail();
  std::this_thread::sleep_for(300ms);  // nothing more should come
  std::vector<std::string> statuses;
  for (const auto& r : receiver.accepted()) {
    const auto body = r.json();
    EXPECT_EQ(body.at("data").value("id", ""), id);
    statuses.push_back(body.at("data").value("status", ""));
  }
  ASSERT_FALSE(statuses.empty());
  EXPECT_EQ(statuses.front(), "unknown");
  EXPECT_EQ(statuses.back(), "delivered");
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), "unknown"), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), "delivered"), 1);
}

TEST(ServeWebhook, EventFilterAndUnsignedHook) {
  harness::WebhookReceiver receiver;
  harness::HarnessOptions options;
  options.configure = [&](harness::GatewayConfig& config) {
    config.extra_toml = "[[webhook]]\nurl = " + harness::toml_string(receiver.url()) +
                        "\nevents = [\"message.received\"]\n";
  };
  Gateway gw(options);
  const auto id = gw.submit_ok("+491513000002", "no hook for this");
  gw.wait_status(id, {"delivered"});
  gw.sim().inject(0, "+4917600000002", "only this one");
  ASSERT_TRUE(receiver.wait_until([](const auto& r) { return !r.empty(); }, 10s));
  std::this_thread::sleep_for(500ms);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].json().value("event", ""), "message.received");
  EXPECT_TRUE(requests[0].header("x-smsgw-signature").empty());
  EXPECT_FALSE(requests[0].header("x-smsgw-timestamp").empty());
}

}  // namespace
}  // namespace smsgw::serve_test
