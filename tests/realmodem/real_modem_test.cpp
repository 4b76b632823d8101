// Opt-in tests on a real modem (ctest label `realmodem`, excluded by tools/test.sh).
//
// SMSGW_TEST_MODEM_PORT names the AT port (/dev/ttyUSB2, /dev/serial/by-path/..., or an
// smsgw-sim pseudo-terminal); without it every test is skipped. Optional:
//   SMSGW_TEST_MODEM_PIN       the SIM PIN (a refused PIN is not retried)
//   SMSGW_TEST_MODEM_PROFILE   a profile name instead of detection ("huawei", ...)
//   SMSGW_TEST_USSD            a USSD code to run, e.g. *100#
//   SMSGW_TEST_SEND_TO         a number to send one SMS to, with a status report
//   SMSGW_TEST_REPORT_TIMEOUT  seconds to wait for that report (default 300)
//
// The tests leave the SIM as they found it: stored messages are offered to a listener
// that keeps them (the actor deletes nothing), and only the status report of the test's
// own message is taken off the SIM.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "actor_rig.hpp"
#include "smsgw/at/posix_stream.hpp"
#include "smsgw/serial/tty.hpp"

namespace smsgw::modem {
namespace {

using namespace std::chrono_literals;

constexpr const char* kHowToEnable =
    "set SMSGW_TEST_MODEM_PORT to a modem's AT port to run this test, e.g. "
    "SMSGW_TEST_MODEM_PORT=/dev/ttyUSB2 ctest --test-dir build -L realmodem "
    "--output-on-failure (see tests/realmodem/README.md)";

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool all_hex_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  });
}

// TS 23.003 6.2.2 / GSMA TS.06: the 15th IMEI digit is the Luhn check digit of the first 14.
bool luhn_valid(std::string_view digits) {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    int digit = digits[digits.size() - 1 - i] - '0';
    if (i % 2 == 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 == 0;
}

std::string describe(const ModemSnapshot& snap) {
  std::string text = "state " + std::string(to_string(snap.state)) + ", profile " + snap.profile;
  if (snap.last_error)
    text += ", last error " + snap.last_error->code + ": " + snap.last_error->message;
  return text;
}

// Settings for a real device: the production timeouts, except a shorter back-off so a
// failed attempt is retried within the test's patience.
ModemSettings real_settings(const std::string& port) {
  ModemSettings settings;
  settings.id = "realmodem";
  settings.port = port;
  settings.pin = env("SMSGW_TEST_MODEM_PIN");
  settings.profile = env("SMSGW_TEST_MODEM_PROFILE").value_or("auto");
  settings.backoff_initial = 1s;
  settings.backoff_max = 5s;
  return settings;
}

class RealModem : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto port = env("SMSGW_TEST_MODEM_PORT");
    if (!port) GTEST_SKIP() << kHowToEnable;
    spdlog::set_level(env("SMSGW_TEST_VERBOSE") ? spdlog::level::debug : spdlog::level::warn);

    // The real serial code first, so a port that cannot be opened fails with its reason
    // (missing, busy with the pid holding it, permission) instead of an actor in back-off.
    auto fd = serial::open_tty(*port);
    ASSERT_TRUE(fd) << fd.error().code << ": " << fd.error().message;
    at::PosixStream(rig.io.get_executor(), fd->release(), *port).close();

    rig.listener.store_inbound = false;  // keep the SIM's messages where they are
    rig.listener.store_reports = false;
    rig.create(real_settings(*port));
    rig.start();
    ASSERT_TRUE(rig.ready(120s)) << "the modem on " << *port
                                 << " did not become ready: " << describe(rig.actor->snapshot());
  }

  const ModemSnapshot& snapshot() const { return rig.actor->snapshot(); }

  testing::ActorRig rig;
};

TEST_F(RealModem, IdentityHasImeiImsiAndIccid) {
  const auto& snap = snapshot();
  RecordProperty("manufacturer", snap.manufacturer);
  RecordProperty("model", snap.model);
  RecordProperty("profile", snap.profile);
  EXPECT_FALSE(snap.manufacturer.empty() && snap.model.empty()) << "no AT+CGMI / AT+CGMM text";

  EXPECT_EQ(snap.imei.size(), 15u) << snap.imei;
  EXPECT_TRUE(all_digits(snap.imei)) << snap.imei;
  EXPECT_TRUE(luhn_valid(snap.imei)) << "IMEI check digit: " << snap.imei;

  // TS 23.003 2.2: MCC (3) + MNC (2-3) + MSIN, at most 15 digits.
  EXPECT_TRUE(all_digits(snap.imsi)) << snap.imsi;
  EXPECT_GE(snap.imsi.size(), 6u) << snap.imsi;
  EXPECT_LE(snap.imsi.size(), 15u) << snap.imsi;
  ASSERT_TRUE(snap.mccmnc.size() == 5 || snap.mccmnc.size() == 6) << snap.mccmnc;
  EXPECT_EQ(snap.imsi.substr(0, snap.mccmnc.size()), snap.mccmnc);

  // ITU-T E.118: "89" (telecom) + up to 18 more digits; some operators use A-F digits.
  EXPECT_GE(snap.iccid.size(), 18u) << snap.iccid;
  EXPECT_LE(snap.iccid.size(), 20u) << snap.iccid;
  EXPECT_TRUE(all_hex_digits(snap.iccid)) << snap.iccid;
  EXPECT_EQ(snap.iccid.substr(0, 2), "89") << snap.iccid;
}

TEST_F(RealModem, RegisteredWithSignal) {
  const auto& snap = snapshot();
  RecordProperty("operator", snap.operator_name);
  EXPECT_TRUE(snap.registration == "home" || snap.registration == "roaming")
      << "registration " << snap.registration << " (+CREG/+CEREG stat)";
  ASSERT_TRUE(snap.csq.has_value()) << "no +CSQ";
  EXPECT_TRUE((*snap.csq >= 0 && *snap.csq <= 31) || *snap.csq == 99) << *snap.csq;
  if (*snap.csq != 99) {
    // TS 27.007 8.5: dBm = -113 + 2 * rssi.
    ASSERT_TRUE(snap.dbm.has_value());
    EXPECT_EQ(*snap.dbm, -113 + 2 * *snap.csq);
  }
}

TEST_F(RealModem, StoredMessagesAreListedAndKept) {
  // The init sweep (AT+CMGL=4 over the primary memory and "SR") has offered every stored
  // message by the time the modem is ready; the listener kept them all on the SIM.
  for (const auto& sms : rig.listener.inbound) {
    EXPECT_FALSE(sms.storage.empty());
    EXPECT_GE(sms.index, 0);
    EXPECT_FALSE(sms.pdu_hex.empty());
    std::cout << "  " << sms.storage << " " << sms.index << ": from " << sms.deliver.from.text
              << " at " << sms.deliver.scts.iso8601() << ", " << sms.deliver.user_data.text.size()
              << " bytes\n";
  }
  for (const auto& report : rig.listener.reports) {
    std::cout << "  report MR " << int(report.report.message_reference) << " for "
              << report.report.recipient.text << ": " << pdu::to_string(report.report.status_class)
              << "\n";
  }
  RecordProperty("stored_messages", static_cast<int>(rig.listener.inbound.size()));
  RecordProperty("stored_reports", static_cast<int>(rig.listener.reports.size()));
  EXPECT_EQ(snapshot().received_total, 0u) << "a kept message must not count as received";
  EXPECT_TRUE(rig.actor->can_send());
}

TEST_F(RealModem, UssdCodeIsAnswered) {
  const auto code = env("SMSGW_TEST_USSD");
  if (!code) GTEST_SKIP() << "set SMSGW_TEST_USSD to a USSD code (e.g. *100#) to run this test";
  auto reply = rig.try_await(rig.actor->ussd(*code), 60s);
  ASSERT_TRUE(reply.has_value()) << "the USSD request did not complete";
  ASSERT_TRUE(*reply) << reply->error().code << ": " << reply->error().message;
  std::cout << "  " << *code << " -> [" << (*reply)->status << "] " << (*reply)->text << "\n";
  EXPECT_FALSE((*reply)->text.empty()) << "raw: " << (*reply)->raw;
}

TEST_F(RealModem, SendGetsMrAndStatusReport) {
  const auto to = env("SMSGW_TEST_SEND_TO");
  if (!to) GTEST_SKIP() << "set SMSGW_TEST_SEND_TO to a number to send one SMS to";
  const auto report_timeout =
      std::chrono::seconds(std::atoi(env("SMSGW_TEST_REPORT_TIMEOUT").value_or("300").c_str()));

  // Only this message's report is taken (and so deleted from the SIM); others stay.
  auto our_mr = std::make_shared<std::optional<std::uint8_t>>();
  const auto is_ours = [our_mr](const StatusReportEvent& event) {
    return our_mr->has_value() && event.report.message_reference == **our_mr;
  };
  rig.listener.store_report_if = is_ours;

  pdu::SubmitOptions options;
  options.status_report = true;
  auto encoded = pdu::encode_submit(*to, "smsgw realmodem test", options);
  ASSERT_TRUE(encoded) << encoded.error().message;
  ASSERT_EQ(encoded->parts.size(), 1u);
  auto result = rig.try_await(rig.actor->send(encoded->parts.front()), 180s);
  ASSERT_TRUE(result.has_value()) << "the send did not complete";
  const auto& part = *result;
  ASSERT_EQ(part.outcome, PartResult::Outcome::sent)
      << to_string(part.outcome) << ": " << (part.error ? part.error->message : "");
  *our_mr = part.mr;
  std::cout << "  sent to " << *to << ", MR " << int(part.mr) << "\n";

  // A report that came before the MR was known counts too (it was left on the SIM).
  const auto final_report = [&] {
    return std::any_of(rig.listener.reports.begin(), rig.listener.reports.end(),
                       [&](const StatusReportEvent& event) {
                         return is_ours(event) &&
                                event.report.status_class != pdu::StatusClass::pending;
                       });
  };
  ASSERT_TRUE(rig.run_until(final_report, report_timeout))
      << "no final status report for MR " << int(part.mr) << " within " << report_timeout.count()
      << " s (SMSGW_TEST_REPORT_TIMEOUT)";
  for (const auto& event : rig.listener.reports) {
    if (!is_ours(event)) continue;
    std::cout << "  report: TP-ST 0x" << std::hex << int(event.report.status) << std::dec << " ("
              << pdu::to_string(event.report.status_class) << ")\n";
  }
  const auto& last = *std::find_if(rig.listener.reports.rbegin(), rig.listener.reports.rend(),
                                   [&](const StatusReportEvent& event) { return is_ours(event); });
  EXPECT_EQ(last.report.status_class, pdu::StatusClass::delivered);
}

}  // namespace
}  // namespace smsgw::modem
