// Kannel-compatible sendsms against the real `smsgw serve` on smsgw-sim: a message submitted
// through GET /cgi-bin/sendsms with a [[client]]'s system_id/password reaches the simulated
// modem, and its dlr-url is fetched (GET) with Kannel's escapes, first %d=8 (accepted by the
// network), then %d=1 (delivered); wrong credentials, a dlr-url outside [http]
// callback_hosts and unsupported parameters get Kannel-style answers; the password never
// appears in the gateway's log; a dlr-url call survives a SIGKILL right after the status
// change.
#include <gtest/gtest.h>

#include <algorithm>

#include "harness/webhook_receiver.hpp"
#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

constexpr const char* kSystemId = "kshop";
constexpr const char* kPassword = "Pw7secre";

// RFC 3986 percent-encoding of a whole value, as a Kannel client's URL library does.
std::string encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    }
  }
  return out;
}

// The value of `name` in a request target's query ("" when absent), '+' and %XX decoded.
std::string query_value(const std::string& target, const std::string& name) {
  const auto query = target.substr(std::min(target.find('?') + 1, target.size()));
  std::size_t pos = 0;
  while (pos <= query.size()) {
    const auto end = std::min(query.find('&', pos), query.size());
    const auto pair = query.substr(pos, end - pos);
    const auto equals = pair.find('=');
    if (pair.substr(0, equals) == name && equals != std::string::npos) {
      std::string value;
      for (std::size_t i = equals + 1; i < pair.size(); ++i) {
        if (pair[i] == '+') {
          value.push_back(' ');
        } else if (pair[i] == '%' && i + 2 < pair.size()) {
          value.push_back(static_cast<char>(std::stoi(pair.substr(i + 1, 2), nullptr, 16)));
          i += 2;
        } else {
          value.push_back(pair[i]);
        }
      }
      return value;
    }
    pos = end + 1;
  }
  return {};
}

harness::HarnessOptions with_sendsms_account() {
  harness::HarnessOptions options;
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["http"]["callback_hosts"] = harness::toml_string_array({"127.0.0.1"});
    config.extra_toml = std::string("[[client]]\nname = \"kannel-shop\"\nsystem_id = \"") +
                        kSystemId + "\"\npassword = \"" + kPassword + "\"\n";
  };
  return options;
}

std::string sendsms_target(const std::string& to, const std::string& text,
                           const std::string& extra = "") {
  return std::string("/cgi-bin/sendsms?username=") + kSystemId + "&password=" + kPassword +
         "&to=" + encode(to) + "&text=" + encode(text) + extra;
}

TEST(ServeSendsms, AcceptedMessageArrivesAndItsDlrUrlIsCalledWith8Then1) {
  harness::WebhookReceiver receiver;
  Gateway gw(with_sendsms_account());
  harness::HttpClient http(gw.http_port());
  const std::string to = number("+49151", 1301);
  const std::string dlr_url =
      receiver.url("/dlr") + "?type=%d&id=%I&to=%p&from=%P&answer=%A&at=%T&smsc=%i";
  const auto answer = http.get(sendsms_target(to, "Hello from a Kannel client",
                                              "&from=ACME&dlr-mask=31&dlr-url=" + encode(dlr_url)));
  ASSERT_EQ(answer.status, 202) << answer.describe() << gw.gateway_log_tail();
  EXPECT_EQ(answer.body, "0: Accepted for delivery");
  EXPECT_EQ(answer.header("content-type"), "text/html");

  // Stored as the client's message, then sent through a simulated modem.
  const auto listed = http.get("/api/v1/messages?to=" + encode(to));
  ASSERT_EQ(listed.status, 200) << listed.describe();
  ASSERT_EQ(listed.json().at("messages").size(), 1u) << listed.body;
  const auto id = listed.json().at("messages").at(0).at("id").get<std::string>();
  gw.wait_status(id, {"delivered"});
  const auto sent = sent_to(gw.sim(), to);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].value("text", ""), "Hello from a Kannel client");

  ASSERT_TRUE(receiver.wait_until([](const auto& r) { return r.size() >= 2; }, 20s))
      << gw.gateway_log_tail();
  const auto calls = receiver.requests();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].method, "GET");
  EXPECT_EQ(calls[0].body, "");
  EXPECT_EQ(query_value(calls[0].target, "type"), "8") << calls[0].target;
  EXPECT_EQ(query_value(calls[1].target, "type"), "1") << calls[1].target;
  for (const auto& call : calls) {
    EXPECT_EQ(call.target.rfind("/dlr?", 0), 0u) << call.target;
    EXPECT_EQ(query_value(call.target, "id"), id);
    EXPECT_EQ(query_value(call.target, "to"), to);
    EXPECT_EQ(query_value(call.target, "from"), "ACME");
    EXPECT_FALSE(query_value(call.target, "smsc").empty()) << call.target;
    EXPECT_FALSE(query_value(call.target, "at").empty());
  }
  EXPECT_EQ(query_value(calls[0].target, "answer"), "ACK/");
  EXPECT_EQ(query_value(calls[1].target, "answer"), "DELIVRD");
  // Whatever was logged, the password was not.
  EXPECT_EQ(gw.gateway_log().find(kPassword), std::string::npos);
}

TEST(ServeSendsms, KannelAnswersForCredentialsHostsAndUnsupportedParameters) {
  harness::WebhookReceiver receiver;
  Gateway gw(with_sendsms_account());
  harness::HttpClient http(gw.http_port());
  const std::string to = number("+49151", 1302);

  const auto wrong =
      http.get("/cgi-bin/sendsms?username=kshop&password=wrong&to=" + encode(to) + "&text=x");
  EXPECT_EQ(wrong.status, 403) << wrong.describe();
  EXPECT_EQ(wrong.body, "Authorization failed for sendsms");

  const auto outside =
      http.get(sendsms_target(to, "x", "&dlr-mask=1&dlr-url=" + encode("http://10.1.2.3/dlr")));
  EXPECT_EQ(outside.status, 400) << outside.describe();
  EXPECT_EQ(outside.body.rfind("dlr-url: ", 0), 0u) << outside.body;
  EXPECT_NE(outside.body.find("callback_hosts"), std::string::npos) << outside.body;

  const auto udh = http.get(sendsms_target(to, "x", "&udh=%05%00%03%01%02%01"));
  EXPECT_EQ(udh.status, 400);
  EXPECT_EQ(udh.body.rfind("udh: not supported: let smsgw split long messages", 0), 0u);

  const auto missing = http.get(std::string("/cgi-bin/sendsms?username=") + kSystemId +
                                "&password=" + kPassword + "&text=x");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body, "Missing receiver number, rejected");

  // POST with a form body; a UCS-2 text in Kannel's default charset for coding 2.
  const auto posted =
      http.request("POST", "/cgi-bin/sendsms",
                   std::string("username=") + kSystemId + "&password=" + kPassword +
                       "&to=" + encode(to) + "&coding=2&text=%04%1F%04%40%04%38%04%32%04%35%04%42",
                   {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(posted.status, 202) << posted.describe();
  const auto listed = http.get("/api/v1/messages?to=" + encode(to));
  ASSERT_EQ(listed.json().at("messages").size(), 1u) << listed.body;
  gw.wait_status(listed.json().at("messages").at(0).at("id").get<std::string>(), {"delivered"});
  const auto sent = sent_to(gw.sim(), to);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].value("text", ""), "Привет");
  EXPECT_EQ(gw.gateway_log().find(kPassword), std::string::npos);
  EXPECT_TRUE(receiver.requests().empty());
}

// Kannel's own POST form: the parameters in X-Kannel-* headers, the text as the body.
TEST(ServeSendsms, KannelsHeaderPostIsAccepted) {
  Gateway gw(with_sendsms_account());
  harness::HttpClient http(gw.http_port());
  const std::string to = number("+49151", 1303);
  const auto posted = http.request("POST", "/cgi-bin/sendsms", "Gr\xFC\xDF" "e aus Kannel",
                                   {{"Content-Type", "text/plain; charset=ISO-8859-1"},
                                    {"X-Kannel-Username", kSystemId},
                                    {"X-Kannel-Password", kPassword},
                                    {"X-Kannel-To", to}});
  ASSERT_EQ(posted.status, 202) << posted.describe() << gw.gateway_log_tail();
  EXPECT_EQ(posted.body, "0: Accepted for delivery");
  const auto listed = http.get("/api/v1/messages?to=" + encode(to));
  ASSERT_EQ(listed.json().at("messages").size(), 1u) << listed.body;
  gw.wait_status(listed.json().at("messages").at(0).at("id").get<std::string>(), {"delivered"});
  const auto sent = sent_to(gw.sim(), to);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].value("text", ""), "Grüße aus Kannel");
}

// A report of failure: 8 when the network took it, then 2 (not delivered) with its answer.
TEST(ServeSendsms, AFailedReportIsType2AfterType8) {
  harness::WebhookReceiver receiver;
  Gateway gw(with_sendsms_account());
  for (int modem = 0; modem < 2; ++modem) {
    gw.sim().set(modem, {{"status_report_outcome", "failed"}});
  }
  harness::HttpClient http(gw.http_port());
  const std::string to = number("+49151", 1306);
  const std::string dlr_url = receiver.url("/dlr") + "?type=%d&answer=%A&to=%q";
  const auto answer =
      http.get(sendsms_target(to, "will fail", "&dlr-mask=10&dlr-url=" + encode(dlr_url)));
  ASSERT_EQ(answer.status, 202) << answer.describe();
  ASSERT_TRUE(receiver.wait_until([](const auto& r) { return r.size() >= 2; }, 20s))
      << gw.gateway_log_tail();
  const auto calls = receiver.requests();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(query_value(calls[0].target, "type"), "8");
  EXPECT_EQ(query_value(calls[1].target, "type"), "2");
  EXPECT_EQ(query_value(calls[1].target, "answer").rfind("UNDELIV", 0), 0u) << calls[1].target;
  EXPECT_EQ(query_value(calls[1].target, "to"), to);
}

// Killed (SIGKILL) right after the status change committed: the dlr-url call was written
// with the change (store trigger sendsms_dlr), so it arrives after the restart, expanded the
// same way by every attempt (the first one is answered 500 here, so it is retried whether it
// was made before the kill or after the restart).
TEST(ServeSendsms, ADlrUrlCallSurvivesAKillRightAfterTheStatusChange) {
  harness::WebhookReceiver receiver(1);
  Gateway gw(with_sendsms_account());
  harness::HttpClient http(gw.http_port());
  const std::string to = number("+49151", 1307);
  const std::string dlr_url = receiver.url("/dlr") + "?type=%d&id=%I&answer=%A&at=%T&smsc=%i";
  const auto answer =
      http.get(sendsms_target(to, "survives a crash", "&dlr-mask=1&dlr-url=" + encode(dlr_url)));
  ASSERT_EQ(answer.status, 202) << answer.describe();
  const auto listed = http.get("/api/v1/messages?to=" + encode(to));
  ASSERT_EQ(listed.status, 200) << listed.describe();
  ASSERT_EQ(listed.json().at("messages").size(), 1u) << listed.body;
  const auto id = listed.json().at("messages").at(0).at("id").get<std::string>();
  gw.wait_status(id, {"delivered"});
  gw.kill_gateway();

  gw.start_gateway();
  ASSERT_TRUE(receiver.wait_until(
      [](const auto& r) {
        return std::any_of(r.begin(), r.end(), [](const auto& c) { return c.answered == 200; });
      },
      30s))
      << gw.gateway_log_tail();
  const auto calls = receiver.requests();
  ASSERT_GE(calls.size(), 2u);  // the one answered 500, then the one accepted
  for (const auto& call : calls) {
    EXPECT_EQ(call.target, calls[0].target);  // the same call each time
    EXPECT_EQ(call.method, "GET");
  }
  EXPECT_EQ(query_value(calls[0].target, "type"), "1") << calls[0].target;
  EXPECT_EQ(query_value(calls[0].target, "id"), id);
  EXPECT_EQ(query_value(calls[0].target, "answer"), "DELIVRD");
  EXPECT_FALSE(query_value(calls[0].target, "smsc").empty()) << calls[0].target;
  EXPECT_FALSE(query_value(calls[0].target, "at").empty());
}

// The client's limits apply: over them, Kannel's "try again later" with Retry-After.
TEST(ServeSendsms, OverItsLimitAClientGets503WithRetryAfter) {
  harness::HarnessOptions options;
  options.configure = [](harness::GatewayConfig& config) {
    config.extra_toml = std::string("[[client]]\nname = \"kannel-shop\"\nsystem_id = \"") +
                        kSystemId + "\"\npassword = \"" + kPassword +
                        "\"\nlimits = { per_minute = 1 }\n";
  };
  Gateway gw(options);
  harness::HttpClient http(gw.http_port());
  const auto first = http.get(sendsms_target(number("+49151", 1304), "one"));
  ASSERT_EQ(first.status, 202) << first.describe() << gw.gateway_log_tail();
  const auto second = http.get(sendsms_target(number("+49151", 1305), "two"));
  EXPECT_EQ(second.status, 503) << second.describe();
  EXPECT_EQ(second.body, "Temporal failure, try again later.");
  EXPECT_FALSE(second.header("retry-after").empty());
}

}  // namespace
}  // namespace smsgw::serve_test
