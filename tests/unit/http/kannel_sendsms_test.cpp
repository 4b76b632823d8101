// Kannel's sendsms parameters and answers (kannel_sendsms.hpp), pure.
#include "smsgw/http/kannel_sendsms.hpp"

#include <gtest/gtest.h>

namespace smsgw::http {
namespace {

std::vector<FormField> form(std::string_view query) {
  std::vector<FormField> fields;
  EXPECT_TRUE(parse_form(query, fields).ok());
  return fields;
}

SendsmsSubmission parsed(std::string_view query, bool post = false) {
  auto result = parse_sendsms(form(query), post);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().text);
  return result.ok() ? std::move(result).value() : SendsmsSubmission{};
}

SendsmsAnswer refused(std::string_view query, bool post = false) {
  auto result = parse_sendsms(form(query), post);
  EXPECT_FALSE(result.ok());
  return result.ok() ? SendsmsAnswer{} : result.error();
}

TEST(KannelForm, DecodesPlusAndEscapesAndTakesTheFirstOfARepeatedName) {
  const auto fields = form("to=%2B4917+0151&text=Hello+world%21&to=9&empty&x=");
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(*form_value(fields, "to"), "+4917 0151");
  EXPECT_EQ(*form_value(fields, "text"), "Hello world!");
  EXPECT_EQ(*form_value(fields, "empty"), "");
  EXPECT_EQ(form_value(fields, "absent"), nullptr);
  std::vector<FormField> bad;
  EXPECT_FALSE(parse_form("text=%zz", bad).ok());
}

TEST(KannelSendsms, CredentialsTakeKannelsAliases) {
  auto both = sendsms_credentials(form("user=shop&pass=secret"));
  EXPECT_EQ(both.username, "shop");
  EXPECT_EQ(both.password, "secret");
  auto first = sendsms_credentials(form("username=a&user=b&password=c"));
  EXPECT_EQ(first.username, "a");
  EXPECT_EQ(first.password, "c");
  EXPECT_FALSE(sendsms_credentials(form("to=1")).username);
}

TEST(KannelSendsms, AMinimalRequest) {
  const auto s = parsed("to=%2B491701234567&text=Hi");
  EXPECT_EQ(s.receivers, std::vector<std::string>{"+491701234567"});
  EXPECT_EQ(s.text, "Hi");
  EXPECT_EQ(s.coding, 0);
  EXPECT_EQ(s.dlr_mask, 0u);
  EXPECT_FALSE(s.flash);
  EXPECT_FALSE(s.validity);
}

TEST(KannelSendsms, ReceiversAreSplitOnSpaceDeduplicatedAndFiltered) {
  const auto s = parsed("to=0049170111+%2B49170222++0049170111+0170-333+abc&text=x");
  EXPECT_EQ(s.receivers, (std::vector<std::string>{"0049170111", "+49170222", "0170-333"}));
  EXPECT_EQ(s.denied, std::vector<std::string>{"abc"});
  EXPECT_EQ(refused("to=abc+def&text=x"),
            (SendsmsAnswer{400, "Number(s) has/have been denied by white- and/or black-lists.",
                           std::nullopt}));
}

TEST(KannelSendsms, KannelsAnswersForAMissingReceiver) {
  EXPECT_EQ(refused("text=x").text, "Missing receiver number, rejected");
  EXPECT_EQ(refused("text=x", true).text, "Missing receiver(s) number(s), rejected");
  EXPECT_EQ(refused("to=&text=x"),
            (SendsmsAnswer{400, "Empty receiver number not allowed, rejected", std::nullopt}));
}

TEST(KannelSendsms, NumbersOutOfRangeAreKannelsMisformedAnswers) {
  EXPECT_EQ(refused("to=1&text=x&dlr-mask=64").text, "DLR-Mask field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&dlr-mask=abc").text, "DLR-Mask field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&mclass=4").text, "MClass field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&coding=3").text, "Coding field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&priority=4").text, "Priority field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&pid=256").text, "PID field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&rpi=3").text, "RPI field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&alt-dcs=2").text, "Alt-DCS field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&mwi=8").text, "MWI field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&compress=2").text, "Compress field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&deferred=-5").text, "Deferred field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&dlr-url=ftp://x").text, "DLR-URL field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&account=a%5Bb").text,
            "Account field misformed or too long, rejected");
  // -1 and an empty value are Kannel's "undefined".
  EXPECT_EQ(parsed("to=1&text=x&dlr-mask=-1&priority=").dlr_mask, 0u);
}

TEST(KannelSendsms, DlrMaskAndUrlAlsoUnderTheirDeprecatedNames) {
  const auto s = parsed("to=1&text=x&dlr-mask=31&dlr-url=http%3A%2F%2Fh%2Fd%3Ftype%3D%25d");
  EXPECT_EQ(s.dlr_mask, 31u);
  EXPECT_EQ(s.dlr_url, "http://h/d?type=%d");
  const auto old = parsed("to=1&text=x&dlrmask=9&dlrurl=https%3A%2F%2Fh%2F");
  EXPECT_EQ(old.dlr_mask, 9u);
  EXPECT_EQ(old.dlr_url, "https://h/");
}

TEST(KannelSendsms, WhatSmsgwCannotHonourIsRefusedNamingTheParameter) {
  EXPECT_EQ(refused("to=1&text=x&udh=%05%00%03%01%02%01").text,
            "udh: not supported: let smsgw split long messages: send the whole text in one "
            "request");
  EXPECT_EQ(refused("to=1&text=x&udh=%06%05%04%0B%84%23%F0").text,
            "udh: not supported: let smsgw split long messages; other headers (ports, "
            "indications) cannot be sent");
  EXPECT_EQ(refused("to=1&text=x&udh=%09%05").text, "UDH field misformed, rejected");
  EXPECT_EQ(refused("to=1&text=x&coding=1").status, 400u);
  EXPECT_EQ(refused("to=1&text=x&coding=1").text.rfind("coding: not supported: ", 0), 0u);
  EXPECT_EQ(refused("to=1&text=x&mclass=2").text.rfind("mclass: not supported: ", 0), 0u);
  EXPECT_EQ(refused("to=1&text=x&mwi=0").text.rfind("mwi: not supported: ", 0), 0u);
  EXPECT_EQ(refused("to=1&text=x&compress=1").text.rfind("compress: not supported: ", 0), 0u);
  EXPECT_EQ(refused("to=1&text=x&pid=64").text.rfind("pid: not supported: ", 0), 0u);
  EXPECT_EQ(refused("to=1&text=x&rpi=1").text.rfind("rpi: not supported: ", 0), 0u);
}

TEST(KannelSendsms, HarmlessParametersAreAcceptedAndIgnored) {
  const auto s = parsed(
      "to=1&text=x&smsc=link1&account=acme&binfo=b&pid=0&alt-dcs=1&rpi=0&boxc-id=box&"
      "meta-data=%3Fsmpp%3Fa%3Db&compress=0&mclass=1&from=ACME&unknown=1");
  EXPECT_EQ(s.from, "ACME");
  EXPECT_FALSE(s.flash);
  EXPECT_TRUE(parsed("to=1&text=x&mclass=0").flash);
}

TEST(KannelSendsms, ValidityDeferredAndPriority) {
  const auto s = parsed("to=1&text=x&validity=60&deferred=15&priority=3");
  EXPECT_EQ(s.validity, std::chrono::minutes(60));
  EXPECT_EQ(s.deferred, std::chrono::minutes(15));
  EXPECT_EQ(s.priority, 3);
  EXPECT_EQ(refused("to=1&text=x&validity=0").text.rfind("Validity field misformed, rejected", 0),
            0u);
  EXPECT_EQ(
      refused("to=1&text=x&validity=10&deferred=10").text.rfind("Validity field misformed", 0), 0u);
}

TEST(KannelSendsms, CharsetsOfTheText) {
  EXPECT_EQ(parsed("to=1&text=Gr%C3%BC%C3%9Fe").text, "Grüße");  // UTF-8 by default
  EXPECT_EQ(parsed("to=1&text=Gr%FC%DFe&charset=ISO-8859-1").text, "Grüße");
  EXPECT_EQ(parsed("to=1&text=Gr%FC%DFe&charset=latin1").text, "Grüße");
  EXPECT_EQ(parsed("to=1&text=%80&charset=windows-1252").text, "€");
  // coding=2 defaults to UTF-16BE, as Kannel's user guide says.
  const auto ucs2 = parsed("to=1&coding=2&text=%04%1F%04%40%04%38");
  EXPECT_EQ(ucs2.text, "При");
  EXPECT_EQ(ucs2.coding, 2);
  EXPECT_EQ(parsed("to=1&coding=2&charset=UCS-2&text=%00H%00i").text, "Hi");
  EXPECT_EQ(parsed("to=1&coding=2&charset=UTF-8&text=%E2%82%AC").text, "€");
  EXPECT_EQ(refused("to=1&text=%FF%FE").text.rfind("Charset or body misformed, rejected: ", 0), 0u);
  EXPECT_EQ(refused("to=1&text=x&charset=klingon").text,
            "Charset or body misformed, rejected: unknown charset \"klingon\"");
  EXPECT_EQ(refused("to=1&coding=2&text=%00").text.rfind("Charset or body misformed", 0), 0u);
  EXPECT_EQ(refused("to=1").text.rfind("text: missing or empty, rejected", 0), 0u);
}

TEST(KannelSendsms, OneRequestPerReceiverWithItsOrigin) {
  const auto now = std::chrono::system_clock::time_point{} + std::chrono::hours(1000);
  const auto s = parsed(
      "to=0170111+0170222&text=Hi&from=ACME&dlr-mask=3&dlr-url=http%3A%2F%2Fh%2F%25d&"
      "validity=60&deferred=15&priority=2&mclass=0");
  const auto requests = sendsms_requests(s, std::string("shop"), now);
  ASSERT_EQ(requests.size(), 2u);
  const auto& first = requests[0];
  EXPECT_EQ(first.to, "0170111");
  EXPECT_EQ(first.text, "Hi");
  EXPECT_EQ(first.priority, 2);
  EXPECT_EQ(first.send_at, now + std::chrono::minutes(15));
  EXPECT_EQ(first.validity, std::chrono::minutes(45));  // Kannel's validity counts from now
  EXPECT_TRUE(first.flash);
  EXPECT_EQ(first.status_report, true);
  EXPECT_EQ(first.client, "shop");
  ASSERT_TRUE(first.origin);
  EXPECT_EQ(first.origin->protocol, "sendsms");
  EXPECT_EQ(first.origin->source_addr, "ACME");
  EXPECT_EQ(first.origin->dest_addr, "0170111");
  EXPECT_EQ(first.origin->dlr_url, "http://h/%d");
  EXPECT_EQ(first.origin->dlr_mask, 3u);
  EXPECT_EQ(requests[1].to, "0170222");
  // Only 8/16 asked: no status report needed (the [sms] default stays).
  const auto smsc_only =
      sendsms_requests(parsed("to=1&text=x&dlr-mask=24&dlr-url=http%3A%2F%2Fh"), std::nullopt, now);
  EXPECT_FALSE(smsc_only[0].status_report);
}

TEST(KannelSendsms, GatewayErrorsBecomeKannelsAnswers) {
  EXPECT_EQ(sendsms_accepted(), (SendsmsAnswer{202, "0: Accepted for delivery", std::nullopt}));
  EXPECT_EQ(sendsms_unauthorized(),
            (SendsmsAnswer{403, "Authorization failed for sendsms", std::nullopt}));
  Error limited("rate_limited", "client shop is over its limit");
  limited.retry_after = std::chrono::seconds(30);
  EXPECT_EQ(sendsms_answer_for(limited),
            (SendsmsAnswer{503, "Temporal failure, try again later.", std::chrono::seconds(30)}));
  EXPECT_EQ(sendsms_answer_for(Error("unavailable", "busy")).status, 503u);
  EXPECT_EQ(sendsms_answer_for(Error("validation", "to: no country code")),
            (SendsmsAnswer{400, "to: no country code, rejected", std::nullopt}));
  EXPECT_EQ(sendsms_answer_for(Error("internal", "x")),
            (SendsmsAnswer{500, "Sending failed.", std::nullopt}));
}

}  // namespace
}  // namespace smsgw::http
