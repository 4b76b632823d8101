// The modem actor over an in-memory fake modem (fake_modem.hpp): init with fallbacks and
// profiles, send with MR capture and every failure outcome, inbound and status reports,
// USSD in every encoding, recovery ladder, unplug and replug.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>

#include "actor_rig.hpp"
#include "fake_modem.hpp"
#include "smsgw/modem/modem.hpp"

namespace smsgw::modem {
namespace {

using namespace std::chrono_literals;
using testing::FakeModem;
using testing::FakeOpener;

ModemSettings fast_settings() {
  ModemSettings settings;
  settings.id = "m1";
  settings.port = "/dev/fake0";
  settings.send_timeout = 300ms;
  settings.poll_interval = 60s;
  settings.ussd_timeout = 400ms;
  settings.ussd_release_grace = 100ms;
  settings.command_timeout = 300ms;
  settings.long_command_timeout = 300ms;
  settings.prompt_timeout = 300ms;
  settings.probe_timeout = 100ms;
  settings.backoff_initial = 20ms;
  settings.backoff_max = 100ms;
  settings.absent_poll = 20ms;
  settings.reboot_wait = 20ms;
  settings.sim_ready_wait = 300ms;
  return settings;
}

std::string deliver_pdu(std::string_view from, std::string_view text) {
  return pdu::encode_deliver(from, text).value().front();
}

std::string report_pdu(std::uint8_t mr, std::uint8_t status = 0) {
  const pdu::Timestamp ts{2015, 1, 9, 17, 38, 48, 22};
  return pdu::encode_status_report(
      mr, pdu::Address{"+919790197346", pdu::Address::Type::international}, ts, ts, status);
}

// The actor over a FakeModem: ActorRig with the fake's opener and the command log.
class Harness : public testing::ActorRig {
 public:
  explicit Harness(ModemSettings settings = fast_settings())
      : modem(std::make_shared<FakeModem>(io.get_executor())),
        opener(std::make_shared<FakeOpener>(modem)) {
    spdlog::set_level(spdlog::level::off);
    create(std::move(settings), opener);
  }
  ~Harness() override { shutdown(2s); }

  // The modem takes AT+CSMS=1 (TS 27.005 3.2.1): +CMT/+CDS then wait for +CNMA.
  void accept_service_one() {
    auto* fake = modem.get();
    modem->hook = [fake](const std::string& command) -> std::optional<std::string> {
      if (command == "AT+CSMS=1") fake->csms_service = 1;
      return std::nullopt;
    };
  }

  template <class T>
  T await(awaitable<T> task, std::chrono::milliseconds limit = 3s) {
    auto result = try_await(std::move(task), limit);
    EXPECT_TRUE(result.has_value()) << "the operation did not complete";
    return std::move(*result);
  }

  // A text of one part.
  PartResult send_text(std::string_view text) {
    auto encoded = pdu::encode_submit("+4917012345678", text);
    EXPECT_TRUE(encoded);
    EXPECT_EQ(encoded->parts.size(), 1u);
    return await(actor->send(encoded->parts.front()));
  }

  bool saw(std::string_view command) const {
    return std::find(modem->commands.begin(), modem->commands.end(), command) !=
           modem->commands.end();
  }
  std::ptrdiff_t position(std::string_view command) const {
    const auto it = std::find(modem->commands.begin(), modem->commands.end(), command);
    return it == modem->commands.end() ? -1 : it - modem->commands.begin();
  }

  std::shared_ptr<FakeModem> modem;
  std::shared_ptr<FakeOpener> opener;
};

// ------------------------------------------------------------------ init

TEST(ModemActorInit, GenericModemBecomesReadyWithIdentity) {
  Harness h;
  h.start();
  ASSERT_TRUE(h.ready());
  const auto& snap = h.actor->snapshot();
  EXPECT_EQ(snap.state, ModemState::ready);
  EXPECT_EQ(snap.imei, "490154203237518");
  EXPECT_EQ(snap.imsi, "262011234567890");
  EXPECT_EQ(snap.mccmnc, "26201");
  EXPECT_EQ(snap.iccid, "8944200053671052499");
  EXPECT_EQ(snap.csq, 20);
  EXPECT_EQ(snap.dbm, -73);
  EXPECT_EQ(snap.registration, "home");
  EXPECT_EQ(snap.operator_name, "Fake Net");
  EXPECT_EQ(snap.smsc, "+491710760000");
  EXPECT_EQ(snap.profile, "generic");
  EXPECT_EQ(snap.manufacturer, "Fake Inc.");
  // The init order: error codes, SIM, PDU mode, storage, indications.
  EXPECT_LT(h.position("AT+CMEE=1"), h.position("AT+CPIN?"));
  EXPECT_LT(h.position("AT+CPIN?"), h.position("AT+CMGF=0"));
  EXPECT_LT(h.position("AT+CMGF=0"), h.position(R"(AT+CPMS="SM","SM","SM")"));
  EXPECT_TRUE(h.saw("AT+CNMI=2,1,0,2,0"));
  EXPECT_FALSE(h.saw("AT+CNMI=2,1,0,1,0"));
  EXPECT_EQ(h.listener.states.front(), ModemState::opening);
  EXPECT_EQ(h.listener.states.back(), ModemState::ready);
}

TEST(ModemActorInit, FallsBackThroughCmeeAndCnmiVariants) {
  Harness h;
  h.modem->refused = {"AT+CMEE=1", "AT+CNMI=2,1,0,2,0", "AT+CNMI=2,1,0,1,0"};
  h.start();
  ASSERT_TRUE(h.ready());
  EXPECT_TRUE(h.saw("AT+CMEE=2"));
  EXPECT_TRUE(h.saw("AT+CNMI=2,1,2,1,0"));
}

TEST(ModemActorInit, RequiredStepRefusedMeansBackoffAndRetry) {
  Harness h;
  h.modem->refused = {"AT+CMGF=0"};
  h.start();
  ASSERT_TRUE(h.run_until([&] { return h.modem->opens >= 2; }));
  EXPECT_FALSE(h.actor->can_send());
  EXPECT_EQ(h.actor->snapshot().last_error->code, "modem.init");
  EXPECT_NE(std::find(h.listener.states.begin(), h.listener.states.end(), ModemState::backoff),
            h.listener.states.end());
  h.modem->refused.clear();
  EXPECT_TRUE(h.ready());
}

TEST(ModemActorInit, HuaweiProfileDetectedWithVendorCommandsAndIccid) {
  Harness h;
  h.modem->manufacturer = "huawei";
  h.modem->replies["AT^ICCID?"] = "\r\n^ICCID: 98680010325476980A21\r\n\r\nOK\r\n";
  h.start();
  ASSERT_TRUE(h.ready());
  EXPECT_EQ(h.actor->snapshot().profile, "huawei");
  EXPECT_EQ(h.actor->profile().name, "huawei");
  EXPECT_TRUE(h.saw("AT^CURC=0"));
  EXPECT_TRUE(h.saw("AT^USSDMODE=0"));
  EXPECT_EQ(h.actor->snapshot().iccid, "8986000123456789A012");
  EXPECT_FALSE(h.saw("AT+CRSM=176,12258,0,0,10"));
}

TEST(ModemActorInit, ConfiguredProfileOverridesDetection) {
  auto settings = fast_settings();
  settings.profile = "zte";
  Harness h(settings);
  h.start();
  ASSERT_TRUE(h.ready());
  EXPECT_EQ(h.actor->snapshot().profile, "zte");
  EXPECT_TRUE(h.saw("AT+ZCDRUN=8"));
  EXPECT_TRUE(h.saw("AT+ZOPRT=5"));
}

TEST(ModemActorInit, EntersTheConfiguredPin) {
  auto settings = fast_settings();
  settings.pin = "1234";
  Harness h(settings);
  h.modem->pin = "1234";
  h.start();
  ASSERT_TRUE(h.ready());
  EXPECT_EQ(h.modem->count(R"(AT+CPIN="1234")"), 1u);
}

TEST(ModemActorInit, RefusedPinIsNeverTriedTwice) {
  auto settings = fast_settings();
  settings.pin = "0000";
  Harness h(settings);
  h.modem->pin = "1234";
  h.start();
  ASSERT_TRUE(h.run_until([&] { return h.modem->opens >= 3; }));
  EXPECT_EQ(h.modem->count(R"(AT+CPIN="0000")"), 1u);
  EXPECT_EQ(h.actor->snapshot().last_error->code, "modem.sim_pin");
  EXPECT_FALSE(h.actor->can_send());
}

TEST(ModemActorInit, MissingPortIsAbsentUntilItAppears) {
  Harness h;
  h.modem->present = false;
  h.start();
  ASSERT_TRUE(h.run_until([&] { return h.actor->snapshot().state == ModemState::absent; }));
  h.run_for(60ms);
  EXPECT_EQ(h.modem->opens, 0);
  h.modem->replug();
  EXPECT_TRUE(h.ready());
}

TEST(ModemActorInit, ThreeDigitMncFromEfAd) {
  Harness h;
  h.modem->imsi = "310260123456789";
  h.start();
  ASSERT_TRUE(h.ready());
  // EF_AD says 2 digits (the fake's default "00000002") and wins over the MCC table.
  EXPECT_EQ(h.actor->snapshot().mccmnc, "31026");
}

// ------------------------------------------------------------------ send

TEST(ModemActorSend, PartsBackToBackWithMessageReferences) {
  Harness h;
  h.modem->next_mr = 254;
  h.start();
  ASSERT_TRUE(h.ready());
  auto encoded = pdu::encode_submit("+4917012345678", std::string(200, 'a')).value();
  ASSERT_EQ(encoded.parts.size(), 2u);
  const auto first = h.await(h.actor->send(encoded.parts[0]));
  const auto second = h.await(h.actor->send(encoded.parts[1]));
  EXPECT_EQ(first.outcome, PartResult::Outcome::sent);
  EXPECT_EQ(first.mr, 254);
  EXPECT_EQ(second.outcome, PartResult::Outcome::sent);
  EXPECT_EQ(second.mr, 255);
  ASSERT_EQ(h.modem->bodies.size(), 2u);
  EXPECT_EQ(h.modem->bodies[0], encoded.parts[0].pdu);
  EXPECT_TRUE(h.saw("AT+CMGS=" + std::to_string(encoded.parts[0].length)));
  EXPECT_EQ(h.actor->snapshot().sent_total, 2u);
  EXPECT_TRUE(h.actor->can_send());
  EXPECT_NE(std::find(h.listener.states.begin(), h.listener.states.end(), ModemState::sending),
            h.listener.states.end());
}

TEST(ModemActorSend, NoiseAroundThePromptAndInsideTheReply) {
  Harness h;
  h.modem->before_prompt = "\r\n+ZDONR: \"01\",\"01\"\r\n";  // ZTE
  h.modem->inside_cmgs_reply = "\r\n^RSSI:25\r\n\r\n+CREG: 1\r\n";
  h.start();
  ASSERT_TRUE(h.ready());
  const auto result = h.send_text("hello");
  EXPECT_EQ(result.outcome, PartResult::Outcome::sent);
  EXPECT_EQ(result.mr, 0);
}

TEST(ModemActorSend, CmsErrorFailsThePart) {
  Harness h;
  h.modem->cmgs_errors = {"+CMS ERROR: 38"};
  h.start();
  ASSERT_TRUE(h.ready());
  const auto result = h.send_text("b");
  EXPECT_EQ(result.outcome, PartResult::Outcome::failed);
  EXPECT_EQ(result.error->code, "cms.38");
  EXPECT_TRUE(h.actor->can_send());
}

TEST(ModemActorSend, EachCmsErrorFailsItsPart) {
  Harness h;
  h.modem->cmgs_errors = {"+CMS ERROR: 304", "+CMS ERROR: 42"};
  h.start();
  ASSERT_TRUE(h.ready());
  auto first = h.send_text("x");
  EXPECT_EQ(first.outcome, PartResult::Outcome::failed);
  EXPECT_EQ(first.error->code, "cms.304");
  auto second = h.send_text("y");
  EXPECT_EQ(second.outcome, PartResult::Outcome::failed);
  EXPECT_EQ(second.error->code, "cms.42");
  EXPECT_EQ(h.actor->snapshot().errors_total, 2u);
}

TEST(ModemActorSend, NotReadyRefusesAtOnce) {
  Harness h;
  const auto result = h.send_text("x");
  EXPECT_EQ(result.outcome, PartResult::Outcome::failed);
  EXPECT_EQ(result.error->code, "modem.not_ready");
  EXPECT_TRUE(h.modem->bodies.empty());
}

TEST(ModemActorSend, LostAnswerIsUnknownAndTriggersRecovery) {
  Harness h;
  h.modem->cmgs_hang = true;
  h.start();
  ASSERT_TRUE(h.ready());
  const auto result = h.send_text("maybe");
  EXPECT_EQ(result.outcome, PartResult::Outcome::unknown);
  EXPECT_EQ(result.error->code, "at.timeout");
  // Rung 1: ESC + AT probe and a fresh init; then ready again.
  ASSERT_TRUE(h.run_until([&] { return h.actor->snapshot().recoveries_total == 1; }));
  EXPECT_TRUE(h.ready());
  EXPECT_EQ(h.modem->count("AT+CMGF=0"), 2u);
}

TEST(ModemActorSend, RecoveryLadderClimbsWhileSendsKeepHanging) {
  Harness h;
  h.modem->cmgs_hang = true;
  h.start();
  ASSERT_TRUE(h.ready());
  h.send_text("1");
  ASSERT_TRUE(h.ready());
  h.send_text("2");
  ASSERT_TRUE(h.ready());
  EXPECT_TRUE(h.saw("AT+CFUN=0;+CFUN=1"));
  EXPECT_FALSE(h.saw("AT+CFUN=1,1"));
  const int opens = h.modem->opens;
  h.send_text("3");
  ASSERT_TRUE(h.ready());
  EXPECT_TRUE(h.saw("AT+CFUN=1,1"));
  EXPECT_EQ(h.modem->opens, opens + 1);  // reopened after the reboot
  // A successful send resets the ladder.
  h.modem->cmgs_hang = false;
  EXPECT_EQ(h.send_text("4").outcome, PartResult::Outcome::sent);
}

TEST(ModemActorSend, UnplugBeforeThePduIsFailedThenRecovers) {
  Harness h;
  h.modem->unplug_on_cmgs = true;
  h.start();
  ASSERT_TRUE(h.ready());
  const auto result = h.send_text("x");
  EXPECT_EQ(result.outcome, PartResult::Outcome::failed);
  EXPECT_EQ(result.error->code, "at.io");
  ASSERT_TRUE(h.run_until([&] { return h.actor->snapshot().state == ModemState::absent; }));
  h.modem->unplug_on_cmgs = false;
  h.modem->replug();
  ASSERT_TRUE(h.ready());
  EXPECT_EQ(h.actor->snapshot().identity_changes, 0u);
  EXPECT_EQ(h.send_text("y").outcome, PartResult::Outcome::sent);
}

TEST(ModemActorSend, UnplugAfterThePduIsUnknown) {
  Harness h;
  h.modem->unplug_on_body = true;
  h.start();
  ASSERT_TRUE(h.ready());
  const auto result = h.send_text("x");
  EXPECT_EQ(result.outcome, PartResult::Outcome::unknown);
  EXPECT_EQ(result.error->code, "at.io");
}

TEST(ModemActorSend, AnotherModemOnTheSamePortIsReported) {
  Harness h;
  h.start();
  ASSERT_TRUE(h.ready());
  h.modem->unplug();
  ASSERT_TRUE(h.run_until([&] { return h.actor->snapshot().state == ModemState::absent; }));
  h.modem->imei = "356938035643809";
  h.modem->replug();
  ASSERT_TRUE(h.ready());
  EXPECT_EQ(h.actor->snapshot().identity_changes, 1u);
  EXPECT_EQ(h.actor->snapshot().last_error->code, "modem.identity_changed");
  EXPECT_EQ(h.actor->snapshot().imei, "356938035643809");
}

TEST(ModemActorSend, TotalHangIsRecoveredByReopening) {
  Harness h;
  h.start();
  ASSERT_TRUE(h.ready());
  h.modem->hung = true;  // answers nothing until the port is reopened
  const int opens = h.modem->opens;
  const auto result = h.send_text("x");
  EXPECT_EQ(result.outcome, PartResult::Outcome::failed);  // no prompt: PDU not written
  EXPECT_EQ(result.error->code, "at.timeout");
  ASSERT_TRUE(h.run_until([&] { return h.modem->opens > opens && h.actor->can_send(); }));
}

// ------------------------------------------------------------------ inbound

TEST(ModemActorInbound, StartupSweepHandsOverAndDeletes) {
  Harness h;
  h.modem->storage["SM"][0] = deliver_pdu("+4915112345678", "stored before start");
  h.modem->storage["SR"][1] = report_pdu(64);
  h.start();
  ASSERT_TRUE(h.ready());
  ASSERT_EQ(h.listener.inbound.size(), 1u);
  EXPECT_EQ(h.listener.inbound[0].deliver.user_data.text, "stored before start");
  EXPECT_EQ(h.listener.inbound[0].storage, "SM");
  EXPECT_EQ(h.listener.inbound[0].index, 0);
  EXPECT_EQ(h.listener.inbound[0].modem_id, "m1");
  ASSERT_EQ(h.listener.reports.size(), 1u);
  EXPECT_EQ(h.listener.reports[0].report.message_reference, 64);
  EXPECT_TRUE(h.modem->storage["SM"].empty());
  EXPECT_TRUE(h.modem->storage["SR"].empty());
}

TEST(ModemActorInbound, CmtiReadsHandsOverDeletesAndDropsDuplicates) {
  Harness h;
  h.start();
  ASSERT_TRUE(h.ready());
  h.modem->storage["SM"][3] = deliver_pdu("+4915112345678", "hi there");
  h.modem->urc(R"(+CMTI: "SM",3)");
  h.modem->urc(R"(+CMTI: "SM",3)");  // real modems repeat it
  ASSERT_TRUE(h.run_until([&] { return h.modem->storage["SM"].empty(); }));
  h.run_for(50ms);
  ASSERT_EQ(h.listener.inbound.size(), 1u);
  EXPECT_EQ(h.listener.inbound[0].deliver.user_data.text, "hi there");
  EXPECT_EQ(h.listener.inbound[0].deliver.from.text, "+4915112345678");
  EXPECT_EQ(h.modem->count("AT+CMGD=3"), 1u);
  EXPECT_EQ(h.actor->snapshot().received_total, 1u);
  // A late duplicate after the delete finds an empty slot and is dropped.
  h.modem->urc(R"(+CMTI: "SM",3)");
  h.run_until([&] { return h.modem->count("AT+CMGR=3") >= 2; });
  h.run_for(30ms);
  EXPECT_EQ(h.listener.inbound.size(), 1u);
}

TEST(ModemActorInbound, NotStoredStaysOnTheSimAndIsOfferedAgain) {
  auto settings = fast_settings();
  settings.poll_interval = 100ms;
  Harness h(settings);
  h.listener.store_inbound = false;
  h.start();
  ASSERT_TRUE(h.ready());
  h.modem->storage["SM"][5] = deliver_pdu("+4915112345678", "retry me");
  h.modem->urc(R"(+CMTI: "SM",5)");
  ASSERT_TRUE(h.run_until([&] { return h.listener.inbound.size() == 1; }));
  EXPECT_FALSE(h.saw("AT+CMGD=5"));
  h.listener.store_inbound = true;
  ASSERT_TRUE(h.run_until([&] { return h.modem->storage["SM"].empty(); }));
  EXPECT_EQ(h.listener.inbound.size(), 2u);
}

TEST(ModemActorInbound, DirectDeliveryWithoutAndWithAcknowledgement) {
  Harness h;
  h.start();
  ASSERT_TRUE(h.ready());
  const auto pdu_hex = deliver_pdu("+4915112345678", "direct");
  h.modem->urc("+CMT: ,24\r\n" + pdu_hex);
  ASSERT_TRUE(h.run_until([&] { return h.listener.inbound.size() == 1; }));
  EXPECT_EQ(h.listener.inbound[0].index, -1);
  EXPECT_EQ(h.listener.inbound[0].pdu_hex, pdu_hex);
  h.run_for(30ms);
  EXPECT_FALSE(h.saw("AT+CNMA"));  // +CSMS=0: the modem acknowledges by itself
}

TEST(ModemActorInbound, DirectDeliveryIsAcknowledgedWhenServiceIsPhase2Plus) {
  Harness h;
  h.modem->csms_service = 1;
  h.start();
  ASSERT_TRUE(h.ready());
  h.modem->urc("+CMT: ,24\r\n" + deliver_pdu("+4915112345678", "ack me"));
  ASSERT_TRUE(h.run_until([&] { return h.saw("AT+CNMA"); }));
  EXPECT_EQ(h.listener.inbound.size(), 1u);
}

TEST(ModemActorInbound, DirectDeliveryFallbackAsksForAcknowledgementAndDropsRepeats) {
  Harness h;
  h.modem->refused = {"AT+CNMI=2,1,0,2,0", "AT+CNMI=2,1,0,1,0", "AT+CNMI=2,1,2,1,0",
                      "AT+CNMI=2,1,0,0,0"};
  h.accept_service_one();
  h.start();
  ASSERT_TRUE(h.ready());
  ASSERT_GE(h.position("AT+CSMS=1"), 0);
  EXPECT_LT(h.position("AT+CSMS=1"), h.position("AT+CNMI=2,2,0,1,0"));
  EXPECT_LT(h.position("AT+CNMI=2,2,0,1,0"), h.position("AT+CSMS?"));
  const auto pdu_hex = deliver_pdu("+4915112345678", "once only");
  h.modem->urc("+CMT: ,24\r\n" + pdu_hex);
  ASSERT_TRUE(h.run_until([&] { return h.modem->count("AT+CNMA") == 1; }));
  h.modem->urc("+CMT: ,24\r\n" + pdu_hex);  // the network missed the acknowledgement
  ASSERT_TRUE(h.run_until([&] { return h.modem->count("AT+CNMA") == 2; }));
  h.run_for(30ms);
  EXPECT_EQ(h.listener.inbound.size(), 1u);
  EXPECT_EQ(h.actor->snapshot().received_total, 1u);
}

TEST(ModemActorInbound, RoutingTurnedOffByAMissedAcknowledgementIsRestoredAndSwept) {
  std::string cnmi_now = "+CNMI: 2,1,0,2,0";  // outlives the harness and its hook
  auto settings = fast_settings();
  settings.poll_interval = 100ms;
  Harness h(settings);
  h.modem->csms_service = 1;
  h.modem->hook = [&cnmi_now](const std::string& command) -> std::optional<std::string> {
    if (command == "AT+CNMI?") return "\r\n" + cnmi_now + "\r\n\r\nOK\r\n";
    if (command.rfind("AT+CNMI=", 0) == 0) cnmi_now = "+CNMI: " + command.substr(8);
    return std::nullopt;
  };
  h.listener.store_inbound = false;
  h.start();
  ASSERT_TRUE(h.ready());
  const auto pdu_hex = deliver_pdu("+4915112345678", "store me later");
  h.modem->urc("+CMT: ,24\r\n" + pdu_hex);
  ASSERT_TRUE(h.run_until([&] { return h.listener.inbound.size() == 1; }));
  h.run_for(30ms);
  EXPECT_FALSE(h.saw("AT+CNMA"));  // refused: the network must send it again
  // TS 27.005 3.4.4: the modem timed out, turned routing off, and the network's second
  // attempt was stored without indication.
  cnmi_now = "+CNMI: 2,0,0,0,0";
  h.modem->storage["SM"][4] = pdu_hex;
  h.listener.store_inbound = true;
  ASSERT_TRUE(h.run_until([&] { return h.modem->storage["SM"].empty(); }));
  EXPECT_EQ(h.modem->count("AT+CNMI=2,1,0,2,0"), 2u);
  EXPECT_EQ(cnmi_now, "+CNMI: 2,1,0,2,0");
  ASSERT_EQ(h.listener.inbound.size(), 2u);
  EXPECT_EQ(h.listener.inbound[1].storage, "SM");
  EXPECT_EQ(h.listener.inbound[1].index, 4);
}

TEST(ModemActorInbound, StatusReportsDirectAndStoredInSr) {
  Harness h;
  h.start();
  ASSERT_TRUE(h.ready());
  h.modem->urc("+CDS: 25\r\n" + report_pdu(64));
  ASSERT_TRUE(h.run_until([&] { return h.listener.reports.size() == 1; }));
  EXPECT_EQ(h.listener.reports[0].report.message_reference, 64);
  EXPECT_EQ(h.listener.reports[0].report.recipient.text, "+919790197346");
  h.modem->storage["SR"][0] = report_pdu(65, 0x46);
  h.modem->urc(R"(+CDSI: "SR",0)");
  ASSERT_TRUE(h.run_until([&] { return h.listener.reports.size() == 2; }));
  EXPECT_EQ(h.listener.reports[1].report.message_reference, 65);
  EXPECT_EQ(h.listener.reports[1].report.status_class, pdu::StatusClass::failed);
  ASSERT_TRUE(h.run_until([&] { return h.modem->storage["SR"].empty(); }));
  EXPECT_EQ(h.actor->snapshot().reports_total, 2u);
}

// SIMCom routes reports only directly (+CDS, ds=1): the actor runs it under +CSMS=1 so a
// report is acknowledged only after the listener stored it; one the gateway misses goes
// back to the network and arrives again, stored (TS 27.005 3.4.4).
TEST(ModemActorInbound, DirectReportsRunUnderServiceOneAndAreAcknowledged) {
  Harness h;
  h.modem->manufacturer = "SIMCOM_Ltd";
  h.accept_service_one();
  h.start();
  ASSERT_TRUE(h.ready());
  ASSERT_GE(h.position("AT+CSMS=1"), 0);
  EXPECT_LT(h.position("AT+CSMS=1"), h.position("AT+CNMI=2,1,0,1,0"));
  h.modem->urc("+CDS: 25\r\n" + report_pdu(64));
  ASSERT_TRUE(h.run_until([&] { return h.modem->count("AT+CNMA") == 1; }));
  ASSERT_EQ(h.listener.reports.size(), 1u);
  EXPECT_EQ(h.listener.reports[0].report.message_reference, 64);
}

TEST(ModemActorInbound, QuectelAnnouncesSmButStoresInSr) {
  Harness h;
  h.modem->manufacturer = "Quectel";
  h.modem->replies["AT+QCCID"] = "\r\n+QCCID: 89882390000000012345\r\n\r\nOK\r\n";
  h.start();
  ASSERT_TRUE(h.ready());
  EXPECT_EQ(h.actor->snapshot().iccid, "89882390000000012345");
  h.modem->storage["SR"][0] = report_pdu(7);
  h.modem->urc(R"(+CDSI: "SM",0)");
  ASSERT_TRUE(h.run_until([&] { return h.listener.reports.size() == 1; }));
  EXPECT_EQ(h.listener.reports[0].report.message_reference, 7);
  ASSERT_TRUE(h.run_until([&] { return h.modem->storage["SR"].empty(); }));
}

TEST(ModemActorInbound, UndecodablePduIsKeptAndReported) {
  Harness h;
  h.modem->storage["SM"][2] = "0791FFFF";
  h.start();
  ASSERT_TRUE(h.ready());
  EXPECT_TRUE(h.listener.inbound.empty());
  EXPECT_EQ(h.modem->storage["SM"].size(), 1u);
  EXPECT_EQ(h.actor->snapshot().last_error->code, "modem.bad_pdu");
}

TEST(ModemActorInbound, RegistrationUrcAndRestartAreNoticed) {
  Harness h;
  h.start();
  ASSERT_TRUE(h.ready());
  h.modem->urc("+CREG: 5");
  ASSERT_TRUE(h.run_until([&] { return h.actor->snapshot().registration == "roaming"; }));
  h.modem->urc("RDY");  // the modem rebooted by itself
  ASSERT_TRUE(h.run_until([&] { return h.modem->count("AT+CMGF=0") == 2; }));
  EXPECT_TRUE(h.ready());
}

// ------------------------------------------------------------------ USSD

TEST(ModemActorUssd, PlainReplyAfterOk) {
  Harness h;
  h.start();
  ASSERT_TRUE(h.ready());
  auto reply = h.await(h.actor->ussd("*100#"));
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 0);
  EXPECT_EQ(reply->text, "Your balance is 12.34 EUR");
  EXPECT_EQ(reply->dcs, 15);
  EXPECT_TRUE(h.saw(R"(AT+CUSD=1,"*100#",15)"));
}

TEST(ModemActorUssd, ReplyBeforeOkAndInitiatingReleaseFirst) {
  Harness h;
  h.modem->ussd_before_ok = true;
  h.modem->ussd_lines = {R"(+CUSD: 2,"Initiating Release",15)", R"(+CUSD: 0,"Balance 5.00",15)"};
  h.start();
  ASSERT_TRUE(h.ready());
  auto reply = h.await(h.actor->ussd("*101#"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->text, "Balance 5.00");
}

TEST(ModemActorUssd, BareTerminationIsAnAnswer) {
  Harness h;
  h.modem->ussd_lines = {"+CUSD: 2"};
  h.start();
  ASSERT_TRUE(h.ready());
  auto reply = h.await(h.actor->ussd("*102#"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 2);
  EXPECT_EQ(reply->text, "");
}

TEST(ModemActorUssd, HuaweiPackedHexBothWays) {
  Harness h;
  h.modem->manufacturer = "huawei";
  h.modem->ussd_lines = {R"(+CUSD: 0,"49B41C74ACD3D1",15)"};
  h.start();
  ASSERT_TRUE(h.ready());
  auto reply = h.await(h.actor->ussd("*100#"));
  ASSERT_TRUE(reply);
  EXPECT_TRUE(h.saw(R"(AT+CUSD=1,"AA180C3602",15)"));
  EXPECT_EQ(reply->text, "Ihr Guth");
  EXPECT_EQ(reply->raw, "49B41C74ACD3D1");
}

TEST(ModemActorUssd, Ucs2ReplyAndMenuSessionClosed) {
  Harness h;
  h.modem->ussd_lines = {R"(+CUSD: 1,"00420061006C0061006E00630065003A00200035",72)"};
  h.start();
  ASSERT_TRUE(h.ready());
  auto reply = h.await(h.actor->ussd("*100#"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->text, "Balance: 5");
  EXPECT_EQ(reply->status, 1);
  EXPECT_TRUE(h.saw("AT+CUSD=2"));
}

TEST(ModemActorUssd, TimeoutCancelsTheSession) {
  Harness h;
  h.modem->ussd_lines.clear();
  h.start();
  ASSERT_TRUE(h.ready());
  auto reply = h.await(h.actor->ussd("*100#"));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, "modem.ussd_timeout");
  EXPECT_TRUE(h.saw("AT+CUSD=2"));
  EXPECT_TRUE(h.actor->can_send());
}

TEST(ModemActorUssd, RefusedAndUnsupported) {
  Harness h;
  h.modem->ussd_lines = {"+CUSD: 4"};
  h.start();
  ASSERT_TRUE(h.ready());
  auto unsupported = h.await(h.actor->ussd("*100#"));
  ASSERT_FALSE(unsupported);
  EXPECT_EQ(unsupported.error().code, "modem.ussd_unsupported");
  h.modem->refused = {R"(AT+CUSD=1,"*100#",15)"};
  auto refused = h.await(h.actor->ussd("*100#"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "at.error");
  auto bad = h.await(h.actor->ussd("*1\"#"));
  EXPECT_EQ(bad.error().code, "modem.ussd_code");
}

TEST(ModemActorUssd, WaitingForTheAnswerDoesNotBlockSends) {
  auto settings = fast_settings();
  settings.ussd_timeout = 2s;
  Harness h(settings);
  h.modem->ussd_delay = 300ms;
  h.start();
  ASSERT_TRUE(h.ready());
  std::optional<Result<UssdReply>> ussd;
  std::optional<PartResult> sent;
  std::vector<std::string> order;
  asio::co_spawn(
      h.io,
      [&]() -> awaitable<void> {
        ussd.emplace(co_await h.actor->ussd("*100#"));
        order.push_back("ussd");
      },
      asio::detached);
  asio::co_spawn(
      h.io,
      [&]() -> awaitable<void> {
        auto encoded = pdu::encode_submit("+4917012345678", "during ussd").value();
        sent.emplace(co_await h.actor->send(encoded.parts.front()));
        order.push_back("send");
      },
      asio::detached);
  ASSERT_TRUE(h.run_until([&] { return ussd && sent; }));
  EXPECT_EQ(order, (std::vector<std::string>{"send", "ussd"}));
  EXPECT_EQ(sent->outcome, PartResult::Outcome::sent);
  ASSERT_TRUE(*ussd);
  EXPECT_EQ((*ussd)->text, "Your balance is 12.34 EUR");
}

// ------------------------------------------------------------------ lifecycle

TEST(ModemActorLifecycle, StopEndsRunPromptly) {
  Harness h;
  h.start();
  ASSERT_TRUE(h.ready());
  h.actor->stop();
  EXPECT_TRUE(h.run_until([&] { return h.run_done; }, 500ms));
  EXPECT_EQ(h.actor->snapshot().state, ModemState::absent);
}

TEST(ModemActorLifecycle, PollsSignalAtTheInterval) {
  auto settings = fast_settings();
  settings.poll_interval = 50ms;
  Harness h(settings);
  h.start();
  ASSERT_TRUE(h.ready());
  const auto before = h.modem->count("AT+CSQ");
  ASSERT_TRUE(h.run_until([&] { return h.modem->count("AT+CSQ") >= before + 2; }));
}

TEST(ModemActorLifecycle, LateAnswerOfATimedOutCommandIsAbsorbed) {
  auto settings = fast_settings();
  settings.poll_interval = 50ms;
  Harness h(settings);
  h.start();
  ASSERT_TRUE(h.ready());
  bool delayed = false;
  std::size_t delayed_at = 0;
  h.modem->hook = [&](const std::string& command) -> std::optional<std::string> {
    if (command != "AT+CSQ" || delayed) return std::nullopt;
    delayed = true;  // this answer comes after the command timed out
    delayed_at = h.modem->commands.size() - 1;
    h.modem->emit_later(400ms, "\r\n+CSQ: 5,99\r\n\r\nOK\r\n");
    return std::string();
  };
  ASSERT_TRUE(h.run_until([&] { return delayed && h.modem->commands.size() > delayed_at + 1; }));
  EXPECT_EQ(h.modem->commands[delayed_at + 1], "AT");
}

TEST(ModemActorLifecycle, PollTimeoutsTriggerRecovery) {
  auto settings = fast_settings();
  settings.poll_interval = 50ms;
  Harness h(settings);
  h.start();
  ASSERT_TRUE(h.ready());
  const int opens = h.modem->opens;
  h.modem->hung = true;
  ASSERT_TRUE(h.run_until([&] { return h.modem->opens > opens && h.actor->can_send(); }));
  EXPECT_GE(h.actor->snapshot().recoveries_total, 1u);
}

}  // namespace
}  // namespace smsgw::modem
