// Helpers of the SMPP suites: a gateway with an [smpp] listener on a free port and two SMPP
// accounts, and the port it listens on (read from serve.log's start-up line).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "harness/serve_harness.hpp"
#include "harness/smpp_client.hpp"

namespace smsgw::smpp_test {

using nlohmann::json;
using namespace std::chrono_literals;
using smpp::CommandId;
using smpp::CommandStatus;
using smpp::Pdu;

constexpr const char* kAdmin = "admin-token-0123456789";

// Accounts: "shop" (password "secret", scopes send + read), "sender" ("pw", send only).
struct SmppOptions {
  std::uint32_t window = 10;
  std::string enquire_link_interval = "30s";
  std::string enquire_link_timeout = "10s";
  std::string shop_limits;  // e.g. "{ per_minute = 2 }"
  int modems = 2;
  std::string shop_inbound;  // e.g. "[\"modem0\"]"; "" = the key absent (every message)
};

inline harness::HarnessOptions smpp_harness(SmppOptions smpp = {}) {
  harness::HarnessOptions options;
  options.sim.modems = smpp.modems;
  options.configure = [smpp](harness::GatewayConfig& config) {
    config.tables["http"]["tokens"] = harness::toml_string_array({kAdmin});
    auto& table = config.tables["smpp"];
    table["listen"] = harness::toml_string("127.0.0.1:0");
    table["window"] = std::to_string(smpp.window);
    table["enquire_link_interval"] = harness::toml_string(smpp.enquire_link_interval);
    table["enquire_link_timeout"] = harness::toml_string(smpp.enquire_link_timeout);
    config.extra_toml +=
        "[[client]]\nname = \"shop\"\nsystem_id = \"shop\"\npassword = \"secret\"\n"
        "scopes = [\"send\", \"read\"]\n" +
        (smpp.shop_limits.empty() ? std::string() : "limits = " + smpp.shop_limits + "\n") +
        (smpp.shop_inbound.empty() ? std::string() : "inbound = " + smpp.shop_inbound + "\n") +
        "[[client]]\nname = \"sender\"\nsystem_id = \"sender\"\npassword = \"pw\"\n"
        "scopes = [\"send\"]\n";
  };
  return options;
}

// The harness, plus: serve must still stop cleanly (exit 0) at the end of every test.
class Gateway : public harness::ServeHarness {
 public:
  explicit Gateway(SmppOptions smpp = {}) : ServeHarness(smpp_harness(std::move(smpp))) {}
  ~Gateway() {
    if (gateway_running()) {
      const int code = stop_gateway();
      EXPECT_EQ(code, 0) << "smsgw serve did not stop cleanly\n" << gateway_log_tail();
    }
  }
  // The SMPP port from "listening on http://...:P and smpp://127.0.0.1:Q" in serve.log.
  [[nodiscard]] std::uint16_t smpp_port() const {
    const std::string log = gateway_log();
    static const std::regex kAddress(R"(smpp://127\.0\.0\.1:(\d+))");
    std::smatch match;
    std::string::const_iterator from = log.begin();
    std::uint16_t port = 0;
    while (std::regex_search(from, log.end(), match, kAddress)) {
      port = static_cast<std::uint16_t>(std::stoi(match[1].str()));
      from = match[0].second;
    }
    if (port == 0) throw std::runtime_error("no smpp:// address in serve.log\n" + log);
    return port;
  }
  // A client connected to the SMPP port (not bound).
  [[nodiscard]] std::unique_ptr<harness::SmppClient> connect() const {
    return std::make_unique<harness::SmppClient>(smpp_port());
  }
  // Bound as `id` with the "shop" account.
  [[nodiscard]] std::unique_ptr<harness::SmppClient> shop(
      CommandId id = CommandId::bind_transceiver) const {
    auto client = connect();
    client->bind(id, "shop", "secret");
    return client;
  }
};

// Records of the simulator's sent.jsonl addressed to `to` ("+49...").
inline std::vector<json> sent_to(const harness::Simulator& sim, const std::string& to) {
  std::vector<json> out;
  for (auto& record : sim.sent()) {
    if (record.value("to", "") == to) out.push_back(std::move(record));
  }
  return out;
}

// A distinct destination per test, digits only (TON 1): 49151 + 7 digits.
inline std::string number(int n) {
  std::string digits = std::to_string(n);
  return "49151" + std::string(7 - std::min<std::size_t>(7, digits.size()), '0') + digits;
}

inline Pdu header_only(CommandId id, std::uint32_t sequence) {
  Pdu pdu;
  pdu.command_id = id;
  pdu.sequence_number = sequence;
  pdu.body = smpp::EmptyBody{};
  return pdu;
}

inline smpp::Bytes encoded(const Pdu& pdu) {
  auto octets = smpp::encode(pdu);
  if (!octets) throw std::runtime_error("cannot encode: " + octets.error().message);
  return *octets;
}

inline std::string text_of(const smpp::MessageBody& body) {
  return std::string(body.short_message.begin(), body.short_message.end());
}

}  // namespace smsgw::smpp_test
