// SimulatedModem, generic personality: framing, errors, send, status reports, inbound,
// storage, faults, power. Pure: a FakeHost with a manual clock, no PTY.
#include <gtest/gtest.h>

#include <random>

#include "harness.hpp"

namespace smsgw::sim::test {
namespace {

struct Part {
  std::string pdu;
  std::size_t length;
};

Part submit_part(const std::string& to, const std::string& text, bool report = true) {
  pdu::SubmitOptions options;
  options.status_report = report;
  auto encoded = pdu::encode_submit(to, text, options);
  EXPECT_TRUE(encoded.ok());
  return {encoded->parts[0].pdu, encoded->parts[0].length};
}

// Sends one PDU through the two-phase +CMGS and returns what came after the prompt.
std::string send_pdu(Bench& bench, const Part& part, long long wait_ms = 200) {
  EXPECT_EQ(bench.at("AT+CMGS=" + std::to_string(part.length)), "\r\n> ");
  EXPECT_EQ(bench.send_raw(part.pdu + "\x1a"), "");
  return bench.wait(wait_ms);
}

TEST(SimulatedModem, EchoesCommandsUntilAte0) {
  ModemConfig config = quiet_config("generic");
  config.echo = true;
  Bench bench(config);
  EXPECT_EQ(bench.at("AT"), "AT\r\r\nOK\r\n");
  EXPECT_EQ(bench.at("ATE0"), "ATE0\r\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT"), "\r\nOK\r\n");
}

TEST(SimulatedModem, BootsWithBootUrcsAndIgnoresInputWhileBooting) {
  ModemConfig config = quiet_config("generic");
  FakeHost host;
  SimulatedModem modem(config, host);
  modem.power_on();
  modem.on_input("AT\r");
  EXPECT_EQ(host.take(), "");
  host.advance(config.boot_ms);
  EXPECT_EQ(host.take(), "\r\nRDY\r\n\r\n+CPIN: READY\r\n");
  modem.on_input("AT\r");
  EXPECT_EQ(host.take(), "\r\nOK\r\n");
}

TEST(SimulatedModem, UnknownCommandIsError) {
  Bench bench(quiet_config("generic"));
  EXPECT_EQ(bench.at("AT+NOSUCH"), "\r\nERROR\r\n");
  EXPECT_EQ(bench.at("garbage without prefix"), "");
  EXPECT_EQ(bench.at("xxAT"), "\r\nOK\r\n");  // V.250: the line starts at "AT"
}

TEST(SimulatedModem, ConcatenatedCommandsShareOneFinalResult) {
  Bench bench(quiet_config("generic"));
  EXPECT_EQ(bench.at("AT+CSQ;+CREG?"), "\r\n+CSQ: 20,99\r\n\r\n+CREG: 0,1\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CSQ;+NOSUCH;+CREG?"), "\r\n+CSQ: 20,99\r\n\r\nERROR\r\n");
}

TEST(SimulatedModem, IdentityCommands) {
  ModemConfig config = quiet_config("generic");
  Bench bench(config);
  EXPECT_EQ(bench.at("AT+CGSN"), "\r\n" + config.imei + "\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CIMI"), "\r\n" + config.imsi + "\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CGMI"), "\r\nSMSGW\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("ATI"), "\r\nSMSGW\r\nSIM-GENERIC\r\nRevision: 1.0.0\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+COPS?"), "\r\n+COPS: 0,0,\"Telekom.de\",7\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+COPS=3,2;+COPS?"), "\r\n+COPS: 0,2,\"26201\",7\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CSCA?"), "\r\n+CSCA: \"+491710760000\",145\r\n\r\nOK\r\n");
}

TEST(SimulatedModem, CmeeModesChangeHowErrorsPrint) {
  ModemConfig config = quiet_config("generic");
  config.pin = "1234";
  Bench bench(config);
  EXPECT_EQ(bench.at("AT+CIMI"), "\r\nERROR\r\n");
  EXPECT_EQ(bench.at("AT+CMEE=1"), "\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CIMI"), "\r\n+CME ERROR: 11\r\n");
  EXPECT_EQ(bench.at("AT+CMEE=2"), "\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CIMI"), "\r\n+CME ERROR: SIM PIN required\r\n");
}

TEST(SimulatedModem, PinUnlocksTheSimAndThreeWrongPinsNeedThePuk) {
  ModemConfig config = quiet_config("generic");
  config.pin = "1234";
  Bench bench(config);
  EXPECT_EQ(bench.boot_output, "\r\nRDY\r\n\r\n+CPIN: SIM PIN\r\n");
  EXPECT_EQ(bench.at("AT+CMEE=1"), "\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CPIN?"), "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CREG?"), "\r\n+CREG: 0,0\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CPIN=\"0000\""), "\r\n+CME ERROR: 16\r\n");
  EXPECT_EQ(bench.at("AT+CPIN=\"1234\""), "\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CPIN?"), "\r\n+CPIN: READY\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CREG?"), "\r\n+CREG: 0,1\r\n\r\nOK\r\n");

  Bench locked(config);
  locked.at("AT+CMEE=1");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(locked.at("AT+CPIN=\"9999\""), "\r\n+CME ERROR: 16\r\n");
  EXPECT_EQ(locked.at("AT+CPIN?"), "\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n");
  EXPECT_EQ(locked.at("AT+CPIN=\"12345678\",\"4321\""), "\r\nOK\r\n");
  EXPECT_EQ(locked.modem.config().pin, "4321");
}

TEST(SimulatedModem, SendRepliesWithMessageReferenceAfterLatency) {
  ModemConfig config = quiet_config("generic");
  config.send_latency_ms = 500;
  Bench bench(config);
  const Part part = submit_part("+4917612345678", "hello");
  EXPECT_EQ(bench.at("AT+CMGS=" + std::to_string(part.length)), "\r\n> ");
  EXPECT_EQ(bench.send_raw(part.pdu + "\x1a"), "");
  EXPECT_EQ(bench.wait(499), "");
  EXPECT_EQ(bench.wait(1), "\r\n+CMGS: 0\r\n\r\nOK\r\n");
  ASSERT_EQ(bench.host.sent.size(), 1u);
  const SentRecord& record = bench.host.sent[0];
  EXPECT_EQ(record.mr, 0);
  EXPECT_EQ(record.pdu, part.pdu);
  EXPECT_EQ(record.submit.to.text, "+4917612345678");
  EXPECT_EQ(record.submit.user_data.text, "hello");
  EXPECT_TRUE(record.submit.status_report_request);
  const auto line = to_json(record);
  EXPECT_EQ(line["to"], "+4917612345678");
  EXPECT_EQ(line["text"], "hello");
  EXPECT_EQ(line["encoding"], "gsm7");
  EXPECT_EQ(line["srr"], true);
  EXPECT_EQ(line["imei"], config.imei);
}

TEST(SimulatedModem, EchoedPromptAndPduWithEchoOn) {
  ModemConfig config = quiet_config("generic");
  config.echo = true;
  Bench bench(config);
  const Part part = submit_part("+4917612345678", "hi", false);
  const std::string command = "AT+CMGS=" + std::to_string(part.length);
  EXPECT_EQ(bench.at(command), command + "\r\r\n> ");
  EXPECT_EQ(bench.send_raw(part.pdu + "\x1a"), part.pdu);
  EXPECT_EQ(bench.wait(200), "\r\n+CMGS: 0\r\n\r\nOK\r\n");
}

TEST(SimulatedModem, MessageReferenceWrapsAfter255) {
  ModemConfig config = quiet_config("generic");
  config.send_latency_ms = 0;
  Bench bench(config);
  const Part part = submit_part("+4917612345678", "x", false);
  for (int i = 0; i < 256; ++i) send_pdu(bench, part, 0);
  EXPECT_EQ(send_pdu(bench, part, 0), "\r\n+CMGS: 0\r\n\r\nOK\r\n");
  EXPECT_EQ(send_pdu(bench, part, 0), "\r\n+CMGS: 1\r\n\r\nOK\r\n");
  ASSERT_EQ(bench.host.sent.size(), 258u);
  EXPECT_EQ(bench.host.sent[255].mr, 255);
  EXPECT_EQ(bench.host.sent[256].mr, 0);
}

TEST(SimulatedModem, RejectsWrongLengthAndUndecodablePdus) {
  Bench bench(quiet_config("generic"));
  const Part part = submit_part("+4917612345678", "hello");
  EXPECT_EQ(bench.at("AT+CMGS=" + std::to_string(part.length + 1)), "\r\n> ");
  EXPECT_EQ(bench.send_raw(part.pdu + "\x1a"), "\r\n+CMS ERROR: 304\r\n");
  EXPECT_EQ(bench.at("AT+CMGS=" + std::to_string(part.length)), "\r\n> ");
  EXPECT_EQ(bench.send_raw(part.pdu.substr(0, part.pdu.size() - 2) + "\x1a"),
            "\r\n+CMS ERROR: 304\r\n");
  EXPECT_EQ(bench.at("AT+CMGS=10"), "\r\n> ");
  EXPECT_EQ(bench.send_raw("00zz\x1a"), "\r\n+CMS ERROR: 304\r\n");
  EXPECT_TRUE(bench.host.sent.empty());
  EXPECT_EQ(bench.modem.counters().bad_pdus, 3u);
  EXPECT_EQ(bench.at("AT"), "\r\nOK\r\n");
}

TEST(SimulatedModem, EscapeAbortsThePrompt) {
  Bench bench(quiet_config("generic"));
  EXPECT_EQ(bench.at("AT+CMGS=20"), "\r\n> ");
  EXPECT_EQ(bench.send_raw("0011\x1b"), "\r\nOK\r\n");
  EXPECT_TRUE(bench.host.sent.empty());
  EXPECT_EQ(bench.at("AT"), "\r\nOK\r\n");
}

TEST(SimulatedModem, SendNeedsRegistrationAndSmsc) {
  ModemConfig config = quiet_config("generic");
  config.registration = 2;
  Bench searching(config);
  EXPECT_EQ(searching.at("AT+CMGS=20"), "\r\n+CMS ERROR: 331\r\n");

  config = quiet_config("generic");
  config.smsc = "";
  Bench no_smsc(config);
  const Part part = submit_part("+4917612345678", "hello");
  EXPECT_EQ(no_smsc.at("AT+CMGS=" + std::to_string(part.length)), "\r\n> ");
  EXPECT_EQ(no_smsc.send_raw(part.pdu + "\x1a"), "\r\n+CMS ERROR: 330\r\n");
}

TEST(SimulatedModem, StatusReportStoredInSrAndAnnouncedWithCdsi) {
  ModemConfig config = quiet_config("generic");
  config.status_report_latency_ms = 1000;
  Bench bench(config);
  EXPECT_EQ(send_pdu(bench, submit_part("+4917612345678", "hello")), "\r\n+CMGS: 0\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.wait(999), "");
  EXPECT_EQ(bench.wait(1), "\r\n+CDSI: \"SR\",1\r\n");
  EXPECT_EQ(bench.at("AT+CPMS=\"SR\""), "\r\n+CPMS: 1,30,0,30,0,30\r\n\r\nOK\r\n");
  const std::string reply = bench.at("AT+CMGR=1");
  const auto begin = reply.find("\r\n", 2) + 2;
  const std::string hex = reply.substr(begin, reply.find("\r\n", begin) - begin);
  auto decoded = pdu::decode(hex);
  ASSERT_TRUE(decoded.ok()) << reply;
  const auto& report = std::get<pdu::StatusReport>(decoded->tpdu);
  EXPECT_EQ(report.message_reference, 0);
  EXPECT_EQ(report.recipient.text, "+4917612345678");
  EXPECT_EQ(report.status, 0);
  EXPECT_EQ(decoded->smsc->text, config.smsc);
}

TEST(SimulatedModem, NoStatusReportWithoutSrr) {
  Bench bench(quiet_config("generic"));
  send_pdu(bench, submit_part("+4917612345678", "hello", false));
  EXPECT_EQ(bench.wait(10000), "");
  EXPECT_EQ(bench.modem.counters().status_reports, 0u);
}

TEST(SimulatedModem, DirectStatusReportWithCnmiDs1) {
  Bench bench(quiet_config("generic"));
  EXPECT_EQ(bench.at("AT+CNMI=2,1,0,1,0"), "\r\nOK\r\n");
  send_pdu(bench, submit_part("+4917612345678", "hello"));
  const std::string urc = bench.wait(1000);
  ASSERT_TRUE(urc.starts_with("\r\n+CDS: ")) << urc;
  const auto comma = urc.find("\r\n", 2);
  const std::string hex = urc.substr(comma + 2, urc.size() - comma - 4);
  auto decoded = pdu::decode(hex);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<pdu::StatusReport>(decoded->tpdu).recipient.text, "+4917612345678");
  EXPECT_EQ(urc.substr(8, comma - 8), std::to_string(hex.size() / 2 - 8));  // SMSC: 8 octets
}

TEST(SimulatedModem, FailedAndPendingThenDeliveredOutcomes) {
  for (const auto& [outcome, expected] : std::vector<std::pair<std::string, std::vector<int>>>{
           {"failed", {0x41}}, {"pending-then-delivered", {0x20, 0x00}}, {"none", {}}}) {
    ModemConfig config = quiet_config("generic");
    ASSERT_TRUE(apply_settings(config, {{"status_report_outcome", outcome}}).ok());
    Bench bench(config);
    EXPECT_EQ(bench.at("AT+CNMI=2,1,0,1,0"), "\r\nOK\r\n");
    send_pdu(bench, submit_part("+4917612345678", "hello"));
    const std::string urcs = bench.wait(5000);
    std::vector<int> statuses;
    for (std::size_t at = urcs.find("+CDS: "); at != std::string::npos;
         at = urcs.find("+CDS: ", at + 1)) {
      const auto begin = urcs.find("\r\n", at) + 2;
      auto decoded = pdu::decode(urcs.substr(begin, urcs.find("\r\n", begin) - begin));
      ASSERT_TRUE(decoded.ok());
      statuses.push_back(std::get<pdu::StatusReport>(decoded->tpdu).status);
    }
    EXPECT_EQ(statuses, expected) << outcome;
  }
}

TEST(SimulatedModem, InjectedMessageIsStoredAndAnnouncedWithCmti) {
  Bench bench(quiet_config("generic"));
  auto parts = bench.modem.inject_message({"+4915112345678", "Hi there", {}, {}, 0});
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(*parts, 1);
  EXPECT_EQ(bench.host.take(), "\r\n+CMTI: \"SM\",1\r\n");
  const std::string reply = bench.at("AT+CMGR=1");
  ASSERT_TRUE(reply.starts_with("\r\n+CMGR: 0,,")) << reply;
  const auto begin = reply.find("\r\n", 2) + 2;
  auto decoded = pdu::decode(reply.substr(begin, reply.find("\r\n", begin) - begin));
  ASSERT_TRUE(decoded.ok());
  const auto& deliver = std::get<pdu::Deliver>(decoded->tpdu);
  EXPECT_EQ(deliver.from.text, "+4915112345678");
  EXPECT_EQ(deliver.user_data.text, "Hi there");
  EXPECT_TRUE(bench.at("AT+CMGR=1").starts_with("\r\n+CMGR: 1,,"));  // now read
  EXPECT_EQ(bench.at("AT+CMGD=1"), "\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CMGR=1"), "\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CMGR=99"), "\r\n+CMS ERROR: 321\r\n");
}

TEST(SimulatedModem, MultipartInjectionGivesOneCmtiPerPart) {
  Bench bench(quiet_config("generic"));
  auto parts = bench.modem.inject_message({"+4915112345678", std::string(200, 'a'), {}, {}, 7});
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(*parts, 2);
  EXPECT_EQ(bench.host.take(), "\r\n+CMTI: \"SM\",1\r\n\r\n+CMTI: \"SM\",2\r\n");
  const std::string list = bench.at("AT+CMGL=4");
  EXPECT_NE(list.find("+CMGL: 1,0,,"), std::string::npos);
  EXPECT_NE(list.find("+CMGL: 2,0,,"), std::string::npos);
  EXPECT_EQ(bench.at("AT+CMGL=0"), "\r\nOK\r\n");  // all read now
}

// The concatenation part numbers (1-based) of the messages stored in SM, by slot.
std::vector<unsigned> stored_part_numbers(const SimulatedModem& modem) {
  std::vector<unsigned> parts;
  for (const auto& [index, stored] : modem.store().list("SM", std::nullopt)) {
    auto decoded = pdu::decode(stored->pdu);
    if (!decoded.ok()) return {};
    const auto& user_data = std::get<pdu::Deliver>(decoded->tpdu).user_data;
    parts.push_back(user_data.concat ? user_data.concat->part : 0);
  }
  return parts;
}

TEST(SimulatedModem, MultipartInjectionInAGivenOrderWithARepeatedPart) {
  Bench bench(quiet_config("generic"));
  auto parts = bench.modem.inject_message({"+4915112345678", std::string(400, 'b'), {}, {}, 9},
                                          InjectDelivery{{2, 0, 1}, 0});
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  EXPECT_EQ(*parts, 3);  // the message's parts, not the deliveries
  EXPECT_EQ(stored_part_numbers(bench.modem), (std::vector<unsigned>{3, 1, 1, 2}));
  EXPECT_EQ(bench.modem.counters().received, 4u);

  Bench repeated(quiet_config("generic"));
  ASSERT_TRUE(repeated.modem
                  .inject_message({"+4915112345678", std::string(200, 'c'), {}, {}, 10},
                                  InjectDelivery{{}, 1})
                  .ok());
  EXPECT_EQ(stored_part_numbers(repeated.modem), (std::vector<unsigned>{1, 2, 2}));
}

TEST(SimulatedModem, InjectionOrderMustBeAPermutationOfTheParts) {
  Bench bench(quiet_config("generic"));
  const InjectRequest request{"+4915112345678", std::string(200, 'd'), {}, {}, 11};  // 2 parts
  const auto error_of = [&](std::vector<int> order, std::optional<int> repeat) {
    auto parts = bench.modem.inject_message(request, InjectDelivery{std::move(order), repeat});
    return parts.ok() ? std::string("ok") : parts.error().message;
  };
  EXPECT_EQ(error_of({1, 0, 2}, std::nullopt),
            "\"order\" must list every part exactly once: the message has 2 parts (0-1), "
            "\"order\" has 3");
  EXPECT_EQ(error_of({1, 2}, std::nullopt),
            "\"order\" names part 2: the message has 2 parts (0-1)");
  EXPECT_EQ(error_of({1, 1}, std::nullopt),
            "\"order\" names part 1 twice (use \"repeat_part\" to repeat one)");
  EXPECT_EQ(error_of({}, 2), "\"repeat_part\" 2 is not a part: the message has 2 parts (0-1)");
  // Nothing was delivered by the refused requests.
  EXPECT_EQ(bench.modem.store().used("SM"), 0);
  EXPECT_EQ(bench.host.take(), "");
  EXPECT_EQ(error_of({1, 0}, std::nullopt), "ok");
  EXPECT_EQ(stored_part_numbers(bench.modem), (std::vector<unsigned>{2, 1}));
}

TEST(SimulatedModem, DirectDeliveryWithCnmiMt2) {
  Bench bench(quiet_config("generic"));
  EXPECT_EQ(bench.at("AT+CNMI=2,2,0,2,0"), "\r\nOK\r\n");
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "direct", {}, {}, 0}).ok());
  const std::string urc = bench.host.take();
  ASSERT_TRUE(urc.starts_with("\r\n+CMT: ,")) << urc;
  EXPECT_EQ(bench.modem.store().used("SM"), 0);
}

TEST(SimulatedModem, UnacknowledgedCmtWithCsms1TurnsRoutingOff) {
  ModemConfig config = quiet_config("generic");
  config.cnma_timeout_ms = 1000;
  Bench bench(config);
  EXPECT_EQ(bench.at("AT+CSMS=1"), "\r\n+CSMS: 1,1,1\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CNMA"), "\r\n+CMS ERROR: 340\r\n");
  EXPECT_EQ(bench.at("AT+CNMI=2,2,0,1,0"), "\r\nOK\r\n");
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "one", {}, {}, 0}).ok());
  bench.host.take();
  EXPECT_EQ(bench.at("AT+CNMA"), "\r\nOK\r\n");
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "two", {}, {}, 0}).ok());
  bench.host.take();
  bench.wait(1000);
  EXPECT_EQ(bench.at("AT+CNMI?"), "\r\n+CNMI: 2,0,0,0,0\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.modem.counters().unacknowledged, 1u);
  EXPECT_EQ(bench.modem.counters().acknowledged, 1u);
  // The network delivers the rejected one again; with <mt> 0 it is stored silently.
  EXPECT_EQ(bench.host.take(), "");
  EXPECT_EQ(bench.modem.store().used("SM"), 1);
}

// The +CMT line and its PDU line, as the modem printed them; "" when there is none.
std::string direct_pdu(const std::string& urc) {
  const auto first_end = urc.find("\r\n", 2);
  if (first_end == std::string::npos) return "";
  const auto pdu_end = urc.find("\r\n", first_end + 2);
  return urc.substr(first_end + 2, pdu_end - first_end - 2);
}

TEST(SimulatedModem, Csms1HoldsTheNextCmtUntilTheAcknowledgement) {
  Bench bench(quiet_config("generic"));
  bench.at("AT+CSMS=1");
  bench.at("AT+CNMI=2,2,0,1,0");
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "first", {}, {}, 0}).ok());
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "second", {}, {}, 0}).ok());
  const std::string first = bench.host.take();
  ASSERT_TRUE(first.starts_with("\r\n+CMT: ,")) << first;
  EXPECT_EQ(first.find("+CMT", 4), std::string::npos) << "TS 27.005 3.4.1: one at a time";
  const std::string acked = bench.at("AT+CNMA");
  ASSERT_TRUE(acked.starts_with("\r\nOK\r\n\r\n+CMT: ,")) << acked;
  auto second = pdu::decode(direct_pdu(acked.substr(6)));
  ASSERT_TRUE(second.ok()) << acked;
  EXPECT_EQ(std::get<pdu::Deliver>(second->tpdu).user_data.text, "second");
  EXPECT_EQ(bench.at("AT+CNMA"), "\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CNMA"), "\r\n+CMS ERROR: 340\r\n");
  EXPECT_EQ(bench.modem.counters().acknowledged, 2u);
}

TEST(SimulatedModem, DuplicateDirectDeliveryNeedsTwoAcknowledgements) {
  ModemConfig config = quiet_config("generic");
  config.faults.duplicate_direct_probability = 1.0;
  Bench bench(config);
  bench.at("AT+CSMS=1");
  bench.at("AT+CNMI=2,2,0,1,0");
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "twice", {}, {}, 0}).ok());
  const std::string first = bench.host.take();
  const std::string again = bench.at("AT+CNMA").substr(6);  // after "\r\nOK\r\n"
  EXPECT_EQ(again, first);
  EXPECT_EQ(bench.at("AT+CNMA"), "\r\nOK\r\n");
  EXPECT_EQ(bench.modem.counters().duplicates, 1u);
  EXPECT_EQ(bench.modem.counters().received, 1u);

  // A status report routed with ds=1 is duplicated the same way; without +CSMS=1 both
  // copies come at once.
  bench.at("AT+CSMS=0");
  send_pdu(bench, submit_part("+4917612345678", "hello"));
  const std::string reports = bench.wait(1000);
  ASSERT_TRUE(reports.starts_with("\r\n+CDS: ")) << reports;
  EXPECT_EQ(reports.substr(0, reports.size() / 2), reports.substr(reports.size() / 2));
}

TEST(SimulatedModem, UnpluggedWhileAwaitingTheAcknowledgementDeliversAgainLater) {
  Bench bench(quiet_config("generic"));
  bench.at("AT+CSMS=1");
  bench.at("AT+CNMI=2,2,0,1,0");
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "in flight", {}, {}, 0}).ok());
  bench.host.take();
  bench.modem.power_off();
  bench.modem.power_on();
  bench.wait(bench.config.boot_ms);
  // Power-on routing is the config's (mt=1): the network's second attempt is stored.
  EXPECT_EQ(bench.modem.store().used("SM"), 1);
}

TEST(SimulatedModem, CnmiSupportFromTheConfig) {
  ModemConfig config = quiet_config("generic");
  config.cnmi_supported = parse_cnmi_support("(2),(0,2),(0),(0,1),(0)").value();
  Bench bench(config);
  EXPECT_EQ(bench.at("AT+CNMI=?"), "\r\n+CNMI: (2),(0,2),(0),(0,1),(0)\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CNMI=2,1,0,2,0"), "\r\n+CMS ERROR: 303\r\n");
  EXPECT_EQ(bench.at("AT+CNMI=2,2,0,1,0"), "\r\nOK\r\n");
}

TEST(SimulatedModem, PresetMessagesAreThereAtStart) {
  ModemConfig config = quiet_config("generic");
  config.stored = {{"+4915100000001", "old one", true}, {"+4915100000002", "new one", false}};
  Bench bench(config);
  const std::string list = bench.at("AT+CMGL=4");
  EXPECT_NE(list.find("+CMGL: 1,1,,"), std::string::npos) << list;
  EXPECT_NE(list.find("+CMGL: 2,0,,"), std::string::npos) << list;
  EXPECT_EQ(bench.at("AT+CPMS?"), "\r\n+CPMS: \"SM\",2,30,\"SM\",2,30,\"SM\",2,30\r\n\r\nOK\r\n");
}

TEST(SimulatedModem, FullMemoryHoldsInboundUntilDeleted) {
  ModemConfig config = quiet_config("generic");
  config.sm_capacity = 1;
  Bench bench(config);
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "first", {}, {}, 0}).ok());
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "second", {}, {}, 0}).ok());
  EXPECT_EQ(bench.host.take(), "\r\n+CMTI: \"SM\",1\r\n");
  EXPECT_EQ(bench.at("AT+CMGD=1"), "\r\nOK\r\n\r\n+CMTI: \"SM\",1\r\n");
}

TEST(SimulatedModem, UrcsWaitWhileACommandRuns) {
  ModemConfig config = quiet_config("generic");
  config.send_latency_ms = 300;
  Bench bench(config);
  const Part part = submit_part("+4917612345678", "hello", false);
  bench.at("AT+CMGS=" + std::to_string(part.length));
  bench.send_raw(part.pdu + "\x1a");
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "meanwhile", {}, {}, 0}).ok());
  EXPECT_EQ(bench.host.take(), "");
  EXPECT_EQ(bench.wait(300), "\r\n+CMGS: 0\r\n\r\nOK\r\n\r\n+CMTI: \"SM\",1\r\n");
}

TEST(SimulatedModem, InputDuringASendIsAnsweredAfterIt) {
  ModemConfig config = quiet_config("generic");
  config.send_latency_ms = 300;
  Bench bench(config);
  const Part part = submit_part("+4917612345678", "hello", false);
  bench.at("AT+CMGS=" + std::to_string(part.length));
  bench.send_raw(part.pdu + "\x1a");
  EXPECT_EQ(bench.at("AT+CSQ"), "");
  EXPECT_EQ(bench.wait(300), "\r\n+CMGS: 0\r\n\r\nOK\r\n\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
}

TEST(SimulatedModem, UssdBalanceReplyAfterOk) {
  Bench bench(quiet_config("generic"));
  EXPECT_EQ(bench.at("AT+CUSD=1,\"*100#\",15"), "\r\nOK\r\n");
  EXPECT_EQ(bench.wait(300), "\r\n+CUSD: 0,\"Your balance is 12.34 EUR\",15\r\n");
  EXPECT_EQ(bench.at("AT+CUSD=1,\"*999#\",15"), "\r\nOK\r\n");
  EXPECT_EQ(bench.wait(300), "\r\n+CUSD: 4\r\n");
  EXPECT_EQ(bench.at("AT+CUSD=2"), "\r\nOK\r\n");
}

TEST(SimulatedModem, UssdReplyBeforeOkAndConfiguredCodes) {
  ModemConfig config = quiet_config("generic");
  ASSERT_TRUE(apply_settings(config, {{"ussd_reply_before_ok", true},
                                      {"ussd", {{"*101#", "Data left: 3 GB"}}}})
                  .ok());
  Bench bench(config);
  EXPECT_EQ(bench.at("AT+CUSD=1,\"*101#\",15"), "");
  EXPECT_EQ(bench.wait(300), "\r\n+CUSD: 0,\"Data left: 3 GB\",15\r\n\r\nOK\r\n");
}

TEST(SimulatedModem, CmsErrorFaultForTheNextSends) {
  ModemConfig config = quiet_config("generic");
  ASSERT_TRUE(
      apply_faults(config.faults, {{"cms_error_next", 2}, {"cms_error_codes", {38, 42}}}).ok());
  Bench bench(config);
  const Part part = submit_part("+4917612345678", "hello", false);
  EXPECT_EQ(send_pdu(bench, part), "\r\n+CMS ERROR: 38\r\n");
  EXPECT_EQ(send_pdu(bench, part), "\r\n+CMS ERROR: 42\r\n");
  EXPECT_EQ(send_pdu(bench, part), "\r\n+CMGS: 0\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.host.sent.size(), 1u);
  EXPECT_EQ(bench.modem.counters().send_errors, 2u);
}

TEST(SimulatedModem, LostAnswerLogsTheSendButNeverPrintsCmgs) {
  ModemConfig config = quiet_config("generic");
  config.faults.lost_answer_next = 1;
  Bench bench(config);
  const Part part = submit_part("+4917612345678", "hello", false);
  EXPECT_EQ(send_pdu(bench, part, 5000), "");
  ASSERT_EQ(bench.host.sent.size(), 1u);
  EXPECT_FALSE(bench.host.sent[0].answered);
  EXPECT_EQ(to_json(bench.host.sent[0])["answered"], false);
  EXPECT_EQ(bench.at("AT"), "\r\nOK\r\n");
  EXPECT_EQ(send_pdu(bench, part), "\r\n+CMGS: 1\r\n\r\nOK\r\n");
}

TEST(SimulatedModem, CmgsHangTakesThePduAndNeverAnswersButAtWorks) {
  ModemConfig config = quiet_config("generic");
  config.faults.hang = FaultConfig::Hang::cmgs;
  Bench bench(config);
  const Part part = submit_part("+4917612345678", "hello", false);
  EXPECT_EQ(send_pdu(bench, part, 60000), "");
  EXPECT_TRUE(bench.host.sent.empty());
  EXPECT_EQ(bench.at("AT"), "\r\nOK\r\n");
  EXPECT_EQ(bench.modem.counters().swallowed, 1u);
}

TEST(SimulatedModem, ASwallowedSendIsNeitherSentNorAnsweredAndTheNextOneIs) {
  ModemConfig config = quiet_config("generic");
  config.faults.swallow_probability = 1.0;
  Bench bench(config);
  const Part part = submit_part("+4917612345678", "hello", false);
  EXPECT_EQ(send_pdu(bench, part, 60000), "");
  EXPECT_TRUE(bench.host.sent.empty());
  EXPECT_EQ(bench.at("AT"), "\r\nOK\r\n");
  EXPECT_EQ(bench.modem.counters().swallowed, 1u);
  ASSERT_TRUE(bench.modem.set_faults({{"swallow_probability", 0}}).ok());
  EXPECT_EQ(send_pdu(bench, part), "\r\n+CMGS: 0\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.host.sent.size(), 1u);
}

TEST(SimulatedModem, TotalHangAnswersNothingUntilCfunOrReopen) {
  ModemConfig config = quiet_config("generic");
  config.faults.hang = FaultConfig::Hang::total;
  Bench bench(config);
  EXPECT_EQ(bench.at("AT"), "");
  EXPECT_EQ(bench.at("AT+CSQ"), "");
  EXPECT_EQ(bench.at("AT+CFUN=1,1"), "");  // silently resets
  EXPECT_EQ(bench.wait(config.reboot_ms), "\r\nRDY\r\n\r\n+CPIN: READY\r\n");
  EXPECT_EQ(bench.at("AT"), "\r\nOK\r\n");

  Bench reopened(config);
  EXPECT_EQ(reopened.at("AT"), "");
  reopened.modem.on_port_opened();
  EXPECT_EQ(reopened.at("AT"), "\r\nOK\r\n");
}

TEST(SimulatedModem, CfunResetRebootsWithBootUrcsAndDefaults) {
  ModemConfig config = quiet_config("generic");
  config.echo = true;
  Bench bench(config);
  bench.at("ATE0");
  bench.at("AT+CMEE=2");
  EXPECT_EQ(bench.at("AT+CFUN=1,1"), "\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT"), "");  // rebooting
  EXPECT_EQ(bench.wait(config.reboot_ms), "\r\nRDY\r\n\r\n+CPIN: READY\r\n");
  EXPECT_EQ(bench.at("AT+CMEE?"), "AT+CMEE?\r\r\n+CMEE: 0\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.modem.counters().reboots, 1u);
}

TEST(SimulatedModem, CfunZeroDeregisters) {
  Bench bench(quiet_config("generic"));
  EXPECT_EQ(bench.at("AT+CREG=1"), "\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CFUN=0"), "\r\nOK\r\n\r\n+CREG: 0\r\n");
  EXPECT_EQ(bench.at("AT+CMGS=20"), "\r\n+CMS ERROR: 331\r\n");
  EXPECT_EQ(bench.at("AT+CFUN=1"), "\r\nOK\r\n\r\n+CREG: 1\r\n");
}

TEST(SimulatedModem, PowerOffKeepsSimContentsAndMessageReference) {
  Bench bench(quiet_config("generic"));
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "kept", {}, {}, 0}).ok());
  bench.host.take();
  send_pdu(bench, submit_part("+4917612345678", "hello", false));
  bench.modem.power_off();
  EXPECT_EQ(bench.at("AT"), "");
  bench.modem.power_on();
  bench.wait(bench.config.boot_ms);
  EXPECT_EQ(bench.modem.store().used("SM"), 1);
  EXPECT_EQ(send_pdu(bench, submit_part("+4917612345678", "again", false)),
            "\r\n+CMGS: 1\r\n\r\nOK\r\n");
}

TEST(SimulatedModem, InboundWaitsWhileThePowerIsOff) {
  Bench bench(quiet_config("generic"));
  bench.modem.power_off();
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "later", {}, {}, 0}).ok());
  EXPECT_EQ(bench.modem.store().used("SM"), 0);
  bench.modem.power_on();
  EXPECT_EQ(bench.wait(bench.config.boot_ms),
            "\r\nRDY\r\n\r\n+CPIN: READY\r\n\r\n+CMTI: \"SM\",1\r\n");
}

TEST(SimulatedModem, GarbageFaultAddsNoiseBytesButKeepsLinesIntact) {
  ModemConfig config = quiet_config("generic");
  config.faults.garbage_probability = 1.0;
  Bench bench(config);
  const std::string reply = bench.at("AT+CSQ");
  EXPECT_NE(reply, "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
  EXPECT_NE(reply.find("\r\n+CSQ: 20,99\r\n"), std::string::npos) << reply;
  EXPECT_TRUE(reply.ends_with("\r\nOK\r\n"));
}

TEST(SimulatedModem, UrcInsideReplyAndFloods) {
  ModemConfig config = quiet_config("generic");
  config.faults.urc_in_reply_probability = 1.0;
  Bench bench(config);
  EXPECT_EQ(bench.at("AT+CSQ"), "\r\n+CSQ: 20,99\r\n\r\n+CREG: 1\r\n\r\nOK\r\n");
  bench.modem.urc_flood(4);
  EXPECT_EQ(bench.host.take(), "\r\n^RSSI:20\r\n\r\n+CREG: 1\r\n\r\n^RSSI:20\r\n\r\n+CREG: 1\r\n");
}

TEST(SimulatedModem, DuplicateCmti) {
  ModemConfig config = quiet_config("generic");
  config.faults.duplicate_cmti_probability = 1.0;
  Bench bench(config);
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "twice", {}, {}, 0}).ok());
  EXPECT_EQ(bench.host.take(), "\r\n+CMTI: \"SM\",1\r\n\r\n+CMTI: \"SM\",1\r\n");
}

TEST(SimulatedModem, RegistrationChangeAtRuntimeIsAnnounced) {
  Bench bench(quiet_config("generic"));
  EXPECT_EQ(bench.at("AT+CREG=2"), "\r\nOK\r\n");
  ASSERT_TRUE(bench.modem.set({{"registration", 5}}).ok());
  EXPECT_EQ(bench.host.take(), "\r\n+CREG: 5,\"1A2B\",\"00C3D4E5\"\r\n");
  EXPECT_EQ(bench.at("AT+CREG?"), "\r\n+CREG: 2,5,\"1A2B\",\"00C3D4E5\"\r\n\r\nOK\r\n");
  EXPECT_FALSE(bench.modem.set({{"no_such_setting", 1}}).ok());
}

TEST(SimulatedModem, IdleModemHasNoTimers) {
  Bench bench(quiet_config("generic"));
  EXPECT_EQ(bench.host.pending_timers(), 0u);
  bench.at("AT+CSQ");
  EXPECT_EQ(bench.host.pending_timers(), 0u);
}

}  // namespace
}  // namespace smsgw::sim::test

namespace smsgw::sim::test {
namespace {

TEST(SimulatedModem, RandomInputNeverBreaksAnyPersonality) {
  std::mt19937 rng(12345);
  const std::string alphabet = "AT+CMGSRDLNIEQ^=?,;\"0123456789\r\n\x1a\x1b\x08 xyz";
  for (const auto& personality : personalities()) {
    ModemConfig config = quiet_config(personality.name);
    config.send_latency_ms = 10;
    Bench bench(config);
    for (int round = 0; round < 300; ++round) {
      std::string bytes;
      const int length = std::uniform_int_distribution<int>(1, 40)(rng);
      for (int i = 0; i < length; ++i) {
        bytes +=
            std::uniform_int_distribution<int>(0, 9)(rng) == 0
                ? static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng))
                : alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
      }
      bench.send_raw(bytes);
      bench.wait(50);
    }
    // Whatever state it is in (prompt, rebooting, busy), ESC and time bring it back.
    bench.send_raw("\x1b");
    bench.wait(5000);
    bench.modem.clear_faults();
    EXPECT_TRUE(bench.at("ATE0;+CFUN=1").ends_with("\r\nOK\r\n")) << personality.name;
    EXPECT_EQ(bench.at("AT"), "\r\nOK\r\n") << personality.name;
  }
}

}  // namespace
}  // namespace smsgw::sim::test
