// Kannel 1.4.5 as a real SMPP client of smsgw (issue 13, "Tests with real peers"): texts
// submitted to Kannel's own sendsms leave through smsgw-sim's modems whole and exactly once,
// each through one SIM; their delivery receipts come back through Kannel to the dlr-url; an
// inbound SMS reaches Kannel's sms-service. Skipped only when the Kannel package is missing.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness/serve_harness.hpp"
#include "harness/webhook_receiver.hpp"
#include "kannel_box.hpp"

namespace smsgw::kannel_test {
namespace {

using nlohmann::json;

constexpr const char* kSystemId = "kannel";
constexpr const char* kPassword = "kan-pw1";  // SMPP 3.4: at most 8 characters
constexpr const char* kAdminToken = "kannel-test-admin-token";

struct Outbound {
  std::string tag;  // names the message in its dlr-url
  std::string to;
  std::string text;
  std::vector<std::pair<std::string, std::string>> extra;  // more sendsms parameters
  int parts = 1;                                           // as smsgw-sim records them
};

// The text Kannel's sms-service got: %b is the message's octets as Kannel holds them, so
// UTF-16BE when %c (coding) is 2 (UCS-2), else the text itself.
std::string service_text(const std::string& target) {
  const std::string raw = query_value(target, "text");
  if (query_value(target, "coding") != "2") return raw;
  std::string out;
  for (std::size_t i = 0; i + 1 < raw.size(); i += 2) {
    unsigned unit =
        (static_cast<unsigned char>(raw[i]) << 8) | static_cast<unsigned char>(raw[i + 1]);
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < raw.size()) {
      const unsigned low =
          (static_cast<unsigned char>(raw[i + 2]) << 8) | static_cast<unsigned char>(raw[i + 3]);
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    }
    if (unit < 0x80) {
      out += static_cast<char>(unit);
    } else if (unit < 0x800) {
      out += static_cast<char>(0xC0 | (unit >> 6));
      out += static_cast<char>(0x80 | (unit & 0x3F));
    } else if (unit < 0x10000) {
      out += static_cast<char>(0xE0 | (unit >> 12));
      out += static_cast<char>(0x80 | ((unit >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (unit & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (unit >> 18));
      out += static_cast<char>(0x80 | ((unit >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((unit >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (unit & 0x3F));
    }
  }
  return out;
}

// smsgw serve on two simulated modems (26201 Telekom +49151..., 26202 Vodafone +49152...)
// with an SMPP listener on 127.0.0.1 and one [[client]] whose SMPP account Kannel binds with;
// then Kannel pointing at it.
class KannelSmpp : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!kannel_installed()) {
      GTEST_SKIP() << "Kannel is not installed (" << kBearerbox
                   << " missing): apt-get install kannel, or run tools/setup.sh";
    }
  }

  void TearDown() override {
    if (kannel_) {
      const int code = kannel_->stop();
      EXPECT_EQ(code, 0) << "bearerbox did not stop cleanly" << kannel_->log_tails();
      if (HasFailure()) kannel_->keep_files();
    }
    if (gateway_ && gateway_->gateway_running()) {
      const int code = gateway_->stop_gateway();
      EXPECT_EQ(code, 0) << "smsgw serve did not stop cleanly\n" << gateway_->gateway_log_tail();
    }
    if (gateway_ && HasFailure()) gateway_->temp_dir().keep();
  }

  // `configure`: more of smsgw.toml (e.g. [[sim]] tables, [smpp] keys); `sim`: the
  // simulator's options.
  void start(KannelOptions options = {},
             const std::function<void(harness::GatewayConfig&)>& configure = {},
             harness::SimOptions sim = {}) {
    smpp_port_ = harness::free_tcp_port();
    harness::HarnessOptions gateway_options;
    gateway_options.sim = std::move(sim);
    const auto port = smpp_port_;
    gateway_options.configure = [port, configure](harness::GatewayConfig& config) {
      config.tables["http"]["tokens"] = harness::toml_string_array({kAdminToken});
      config.tables["smpp"]["listen"] = harness::toml_string("127.0.0.1:" + std::to_string(port));
      config.extra_toml +=
          "[[client]]\nname = \"kannel\"\nsystem_id = " + harness::toml_string(kSystemId) +
          "\npassword = " + harness::toml_string(kPassword) + "\nscopes = [\"send\", \"read\"]\n";
      if (configure) configure(config);
    };
    gateway_ = std::make_unique<harness::ServeHarness>(std::move(gateway_options));
    options.smpp_port = smpp_port_;
    options.system_id = kSystemId;
    options.password = kPassword;
    kannel_ = std::make_unique<Kannel>(std::move(options));
    kannel_->wait_smsc_online();
  }

  // Submits `message` to Kannel's sendsms asking for every delivery report (dlr-mask 31) at
  // the receiver's /dlr?tag=...&type=%d&msgid=%F (%F: the message id smsgw returned).
  // Kannel answers "3: Queued for later delivery" while its SMSC connection is down.
  void submit(const Outbound& message, const harness::WebhookReceiver& receiver,
              const std::string& answer = "0: Accepted for delivery") const {
    std::vector<std::pair<std::string, std::string>> parameters{
        {"to", message.to},
        {"from", "4930123456"},
        {"text", message.text},
        {"dlr-mask", "31"},
        {"dlr-url", receiver.url("/dlr") + "?tag=" + message.tag + "&type=%d&msgid=%F"}};
    parameters.insert(parameters.end(), message.extra.begin(), message.extra.end());
    const auto response = kannel_->sendsms(parameters);
    ASSERT_EQ(response.status, 202)
        << message.tag << ": " << response.describe() << kannel_->log_tails();
    EXPECT_EQ(response.body, answer) << message.tag;
  }

  // The delivery reports Kannel called the dlr-url with, by tag, in arrival order.
  static std::map<std::string, std::vector<harness::ReceivedRequest>> reports(
      const harness::WebhookReceiver& receiver) {
    std::map<std::string, std::vector<harness::ReceivedRequest>> out;
    for (auto& request : receiver.requests()) {
      if (request.target.rfind("/dlr", 0) == 0) {
        out[query_value(request.target, "tag")].push_back(std::move(request));
      }
    }
    return out;
  }

  // Waits until every message has its "delivered" report (type 1), or its report of
  // `type`.
  void wait_delivered(const harness::WebhookReceiver& receiver,
                      const std::vector<Outbound>& messages, const std::string& type = "1") const {
    const bool done = receiver.wait_until(
        [&messages, &type](const std::vector<harness::ReceivedRequest>& requests) {
          std::set<std::string> waiting;
          for (const auto& message : messages) waiting.insert(message.tag);
          for (const auto& request : requests) {
            if (request.target.rfind("/dlr", 0) == 0 &&
                query_value(request.target, "type") == type) {
              waiting.erase(query_value(request.target, "tag"));
            }
          }
          return waiting.empty();
        },
        25s);
    if (!done) {
      std::string seen;
      for (const auto& request : receiver.requests()) seen += "\n  " + request.target;
      FAIL() << "not every message got its delivery report (type " << type
             << "); the dlr-url saw:" << seen << "\n--- serve.log (tail) ---\n"
             << gateway_->gateway_log_tail(40) << kannel_->log_tails();
    }
  }

  // The message arrived whole at the simulated network exactly once, through one SIM.
  void expect_sent_once(const Outbound& message) const {
    std::vector<json> records;
    for (auto& record : gateway_->sim().sent()) {
      if (record.value("to", "") == message.to) records.push_back(std::move(record));
    }
    ASSERT_EQ(records.size(), static_cast<std::size_t>(message.parts))
        << message.tag << ": parts at the simulated network: " << json(records).dump();
    std::string text;
    std::set<int> modems;
    for (std::size_t k = 0; k < records.size(); ++k) {
      modems.insert(records[k].at("modem").get<int>());
      if (message.parts > 1) {
        EXPECT_EQ(records[k].at("concat").at("part").get<int>(), static_cast<int>(k + 1))
            << message.tag;
        EXPECT_EQ(records[k].at("concat").at("total").get<int>(), message.parts) << message.tag;
      }
      text += records[k].value("text", "");
    }
    EXPECT_EQ(modems.size(), 1u) << message.tag << " left through more than one SIM";
    EXPECT_EQ(text, message.text) << message.tag;
  }

  // Kannel reported type 8 (SMSC accepted, on submit_sm_resp) at most once and before
  // type 1, exactly one type 1, nothing else; the id it reports is smsgw's message id, and
  // smsgw has that message delivered with the whole text.
  void expect_reports(const Outbound& message,
                      const std::vector<harness::ReceivedRequest>& requests) const {
    std::vector<std::string> types;
    std::set<std::string> ids;
    for (const auto& request : requests) {
      types.push_back(query_value(request.target, "type"));
      ids.insert(query_value(request.target, "msgid"));
    }
    const std::vector<std::string> with_ack{"8", "1"};
    const std::vector<std::string> without_ack{"1"};
    EXPECT_TRUE(types == with_ack || types == without_ack)
        << message.tag << ": dlr types " << json(types).dump();
    ASSERT_EQ(ids.size(), 1u) << message.tag << ": ids " << json(ids).dump();
    const std::string id = *ids.begin();
    EXPECT_EQ(id.size(), 26u) << message.tag << ": " << id << " is not an smsgw message id";
    const auto stored = gateway_->message(id);
    EXPECT_EQ(stored.value("status", ""), "delivered") << stored.dump();
    EXPECT_EQ(stored.value("to", ""), message.to) << stored.dump();
    EXPECT_EQ(stored.value("text", ""), message.text) << stored.dump();
  }

  // Every message left once (expect_sent_once) and Kannel reported it (expect_reports).
  void expect_each_sent_once_and_reported(const harness::WebhookReceiver& receiver,
                                          const std::vector<Outbound>& messages) const {
    const auto by_tag = reports(receiver);
    for (const auto& message : messages) {
      expect_sent_once(message);
      ASSERT_TRUE(by_tag.contains(message.tag)) << message.tag;
      expect_reports(message, by_tag.at(message.tag));
    }
  }

  // The sms-service calls (Kannel's GETs of the mo_url) once there is one; fails the test
  // with the logs when none comes.
  std::vector<harness::ReceivedRequest> wait_service_called(
      const harness::WebhookReceiver& receiver) const {
    receiver.wait_until(
        [](const std::vector<harness::ReceivedRequest>& requests) {
          for (const auto& request : requests) {
            if (request.target.rfind("/mo", 0) == 0) return true;
          }
          return false;
        },
        20s);
    std::vector<harness::ReceivedRequest> calls;
    for (const auto& request : receiver.requests()) {
      if (request.target.rfind("/mo", 0) == 0) calls.push_back(request);
    }
    if (calls.empty()) {
      ADD_FAILURE() << "Kannel's sms-service was never called\n--- serve.log (tail) ---\n"
                    << gateway_->gateway_log_tail(40) << kannel_->log_tails();
    }
    return calls;
  }

  std::uint16_t smpp_port_ = 0;
  std::unique_ptr<harness::ServeHarness> gateway_;
  std::unique_ptr<Kannel> kannel_;
};

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string long_text() {
  std::string text;
  for (int i = 0; text.size() < 380; ++i) {
    text += "Kannel splits this long text itself, part of sentence " + std::to_string(i) + ". ";
  }
  return text;
}

// 66 Cyrillic letters, an emoji (two UTF-16 units: the 67th and 68th), then more.
std::string long_ucs2_text() {
  std::string text;
  for (int i = 0; i < 66; ++i) text += "ж";
  text += "👋";
  for (int i = 0; i < 20; ++i) text += "я";
  return text;
}

TEST_F(KannelSmpp, TextsFromSendsmsArriveOnceAndTheirReceiptsComeBack) {
  start();
  harness::WebhookReceiver receiver;
  const std::vector<Outbound> messages{
      {"gsm", "+491511000001", "Hello from Kannel", {}, 1},
      // GSM 03.38 extension characters: Kannel sends each as 0x1B + code.
      {"extension", "+491511000002", "Price: 5€ [ok] {x} ~^|\\", {}, 1},
      // UCS-2 (data_coding 8) with a character outside the BMP (a surrogate pair).
      {"ucs2", "+491521000003", "Привет, мир! 👋", {{"coding", "2"}, {"charset", "UTF-8"}}, 1},
      // Kannel splits it into 153-character parts with a UDH (05 00 03 ref total seq).
      {"long", "+491511000004", long_text(), {}, 3},
      {"long-escape", "+491511000006", std::string(152, 'a') + "€ and more text after it", {}, 2},
      // UCS-2 parts of 67 UTF-16 units: the emoji's surrogate pair straddles parts 1 and 2.
      {"long-ucs2", "+491521000005", long_ucs2_text(), {{"coding", "2"}, {"charset", "UTF-8"}}, 2},
  };
  for (const auto& message : messages) submit(message, receiver);
  if (HasFatalFailure()) return;
  wait_delivered(receiver, messages);
  if (HasFatalFailure()) return;
  expect_each_sent_once_and_reported(receiver, messages);
}

TEST_F(KannelSmpp, SeparateTransmitterAndReceiverBinds) {
  KannelOptions options;
  options.transceiver = false;
  start(options);
  harness::WebhookReceiver receiver;
  const std::vector<Outbound> messages{
      {"separate", "+491521000005", "Sent on the transmitter, receipt on the receiver", {}, 1}};
  submit(messages[0], receiver);
  if (HasFatalFailure()) return;
  wait_delivered(receiver, messages);
  if (HasFatalFailure()) return;
  expect_sent_once(messages[0]);
  expect_reports(messages[0], reports(receiver).at("separate"));
}

// A message the network reports undelivered comes back through Kannel as type 2 (after
// the SMSC's 8); one smsgw refuses at submit_sm comes back as type 16 (SMSC rejected).
TEST_F(KannelSmpp, UndeliveredAndRefusedMessagesAreReportedSo) {
  harness::SimOptions sim;
  sim.modem[1] = json{{"status_report_outcome", "failed"}};  // Vodafone: +49152...
  start({}, {}, sim);
  harness::WebhookReceiver receiver;
  const Outbound undelivered{
      "undelivered", "+491521000008", "The network will not deliver this", {}, 1};
  submit(undelivered, receiver);
  // The country code alone: map_submit takes it, the gateway's number check does not.
  const Outbound refused{"refused", "+49", "No such number", {}, 0};
  submit(refused, receiver);
  if (HasFatalFailure()) return;
  wait_delivered(receiver, {undelivered}, "2");
  wait_delivered(receiver, {refused}, "16");
  if (HasFatalFailure()) return;
  const auto by_tag = reports(receiver);
  std::vector<std::string> types;
  for (const auto& request : by_tag.at("undelivered")) {
    types.push_back(query_value(request.target, "type"));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"8", "2"})) << json(types).dump();
  const std::string id = query_value(by_tag.at("undelivered").back().target, "msgid");
  EXPECT_EQ(gateway_->message(id).value("status", ""), "failed");
  ASSERT_EQ(by_tag.at("refused").size(), 1u);
  EXPECT_TRUE(gateway_->sim().sent().size() >= 1u);
  for (const auto& record : gateway_->sim().sent()) {
    EXPECT_NE(record.value("text", ""), refused.text) << record.dump();
  }
}

// Both sides keep the bind alive: smsgw sends enquire_link after 1 s of silence and Kannel
// answers it; Kannel sends its own every second and smsgw answers. One bind all along.
TEST_F(KannelSmpp, EnquireLinkBothWays) {
  KannelOptions options;
  options.enquire_link_interval = 1;
  start(options, [](harness::GatewayConfig& config) {
    config.tables["smpp"]["enquire_link_interval"] = harness::toml_string("1s");
    config.tables["smpp"]["enquire_link_timeout"] = harness::toml_string("1s");
  });
  std::this_thread::sleep_for(3500ms);
  kannel_->wait_smsc_online(1s);
  std::map<std::string, int> seen;
  for (const auto& [direction, type] : logged_pdus(kannel_->bearerbox_log())) {
    ++seen[direction + " " + type];
  }
  EXPECT_GE(seen["sent enquire_link"], 1) << json(seen).dump();
  EXPECT_GE(seen["got enquire_link_resp"], 1) << json(seen).dump();
  EXPECT_GE(seen["got enquire_link"], 1) << json(seen).dump();
  EXPECT_GE(seen["sent enquire_link_resp"], 1) << json(seen).dump();
  EXPECT_EQ(seen["sent bind_transceiver"], 1) << json(seen).dump();
  EXPECT_EQ(count(gateway_->gateway_log(), "bound as transceiver"), 1u);
}

// sendsms's validity and deferred (minutes) become Kannel's absolute SMPP times in UTC
// ("YYMMDDhhmmss000+"): the message with a validity leaves with about that much TP-VP left;
// the deferred one is accepted (type 8) and waits.
TEST_F(KannelSmpp, ValidityAndDeferredInKannelsTimeFormat) {
  start();
  harness::WebhookReceiver receiver;
  const Outbound valid{"validity", "+491511000010", "Valid for an hour", {{"validity", "60"}}, 1};
  const Outbound later{
      "deferred", "+491511000011", "Not before ten minutes", {{"deferred", "10"}}, 0};
  submit(valid, receiver);
  submit(later, receiver);
  if (HasFatalFailure()) return;
  wait_delivered(receiver, {valid});
  wait_delivered(receiver, {later}, "8");
  if (HasFatalFailure()) return;
  expect_sent_once(valid);
  std::optional<int> validity;
  for (const auto& record : gateway_->sim().sent()) {
    if (record.value("to", "") == valid.to && record.at("validity").is_number_integer()) {
      validity = record.at("validity").get<int>();
    }
  }
  ASSERT_TRUE(validity.has_value()) << "the message left without a validity";
  EXPECT_GE(*validity, 55 * 60);
  EXPECT_LE(*validity, 60 * 60);
  const std::string id = query_value(reports(receiver).at("deferred").front().target, "msgid");
  EXPECT_EQ(gateway_->message(id).value("status", ""), "queued");
  for (const auto& record : gateway_->sim().sent()) {
    EXPECT_NE(record.value("to", ""), later.to) << "the deferred message left at once";
  }
}

// smsgw restarts under Kannel: Kannel binds again by itself and sends what it queued
// meanwhile in one burst, more submit_sm in flight (its max-pending-submits, 10) than
// smsgw's window (1 here). Those beyond the window are answered ESME_RTHROTTLED, which Kannel
// sends again later (a part of a long message alone, with its UDH); every message still
// arrives whole and once, with its receipt.
TEST_F(KannelSmpp, AfterARestartKannelsBurstIsThrottledAndSentAgain) {
  start({}, [](harness::GatewayConfig& config) { config.tables["smpp"]["window"] = "1"; });
  ASSERT_EQ(gateway_->stop_gateway(), 0) << gateway_->gateway_log_tail();
  harness::WebhookReceiver receiver;
  const std::vector<Outbound> messages{
      {"queued0", "+491512000000", "Queued while smsgw was away 0", {}, 1},
      {"queued1", "+491522000001", "Queued while smsgw was away 1", {}, 1},
      {"queued-long", "+491512000002", long_text(), {}, 3},
  };
  for (const auto& message : messages) submit(message, receiver, "3: Queued for later delivery");
  if (HasFatalFailure()) return;
  gateway_->start_gateway();
  kannel_->wait_smsc_online();
  wait_delivered(receiver, messages);
  if (HasFatalFailure()) return;
  expect_each_sent_once_and_reported(receiver, messages);
  EXPECT_GE(count(gateway_->gateway_log(), "refused ESME_RTHROTTLED"), 1u)
      << "Kannel's burst never met smsgw's window";
}

// GSM 7-bit text with extension characters (0x1B escapes in data_coding 0). The receiving
// SIM has no [[sim]] number: the deliver_sm names the modem instead (Kannel refuses an empty
// destination_addr).
TEST_F(KannelSmpp, InboundSmsReachesKannelsSmsService) {
  harness::WebhookReceiver receiver;
  KannelOptions options;
  options.mo_url = receiver.url("/mo");
  start(options);
  const std::string text = "Hello Kannel, 5€ {ok} came from the network";
  gateway_->sim().inject(0, "+491701234567", text);
  const auto calls = wait_service_called(receiver);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(service_text(calls[0].target), text) << calls[0].target;
  EXPECT_EQ(query_value(calls[0].target, "from"), "+491701234567") << calls[0].target;
  EXPECT_EQ(query_value(calls[0].target, "to"), "modem0") << calls[0].target;
}

// With a [[sim]] number the deliver_sm goes to it; a long UCS-2 text the network delivered
// in three parts reaches Kannel whole (smsgw assembles it; one deliver_sm, its 300 octets in
// message_payload, which Kannel reads when sm_length is 0).
TEST_F(KannelSmpp, InboundToTheSimsNumberAndLongUcs2Text) {
  harness::WebhookReceiver receiver;
  KannelOptions options;
  options.mo_url = receiver.url("/mo");
  harness::SimOptions sim;
  sim.modem[0] = json{{"iccid", "8949015200000000009"}};
  const auto sim_number = [](harness::GatewayConfig& config) {
    config.extra_toml += "[[sim]]\niccid = \"8949015200000000009\"\nnumber = \"+4915100000001\"\n";
  };
  start(options, sim_number, sim);
  std::string text = "Ответ из сети: ";
  while (text.size() < 280) text += "длинный текст ";  // about 150 characters
  ASSERT_EQ(gateway_->sim().inject(0, "+491701234567", text), 3);
  const auto calls = wait_service_called(receiver);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(query_value(calls[0].target, "to"), "+4915100000001") << calls[0].target;
  EXPECT_EQ(query_value(calls[0].target, "from"), "+491701234567") << calls[0].target;
  EXPECT_EQ(service_text(calls[0].target), text) << calls[0].target;
}

}  // namespace
}  // namespace smsgw::kannel_test
