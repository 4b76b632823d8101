// The deliver_sm bodies the server sends: delivery receipts (SMPP 3.4 Appendix B, exact
// octets) and received messages (GSM 7-bit or UCS-2, message_payload when long).
#include "smsgw/smpp/deliveries.hpp"

#include <chrono>

#include "smsgw/smpp/submit_spec.hpp"
#include "test_support.hpp"

namespace smsgw::smpp {
namespace {

using namespace std::chrono;
using test::hex;
using test::text_bytes;

const TimePoint kNow = sys_days{year{2026} / 12 / 5} + hours(7) + minutes(50);

// The receipt of a message Kannel submitted from "12345" (TON 2) to +4915112345678.
ReceiptFacts kannel_receipt(std::string status) {
  ReceiptFacts facts;
  facts.message_id = "01JF3Z8W5Q4T9KXN2M7B6C1D0E";
  facts.status = std::move(status);
  facts.submitted_at = kNow + seconds(12);
  facts.done_at = kNow + minutes(1) + seconds(40);
  facts.text = "Only 5\u20AC today, thanks!";
  facts.source_addr = "12345";
  facts.source_ton = 2;
  facts.source_npi = 1;
  facts.dest_addr = "4915112345678";
  facts.dest_ton = 1;
  facts.dest_npi = 1;
  return facts;
}

std::string text_of(const MessageBody& body) {
  return std::string(body.short_message.begin(), body.short_message.end());
}

// encode() accepts the body as a deliver_sm and decode() gives it back.
void expect_encodes(const MessageBody& body) {
  test::expect_round_trip(Pdu{CommandId::deliver_sm, CommandStatus::esme_rok, 42, body});
}

TEST(SmppDeliveryReceipt, AppendixBTextExactly) {
  const MessageBody body = delivery_receipt(kannel_receipt("delivered"));
  EXPECT_EQ(text_of(body),
            "id:01JF3Z8W5Q4T9KXN2M7B6C1D0E sub:001 dlvrd:001 submit date:2612050750 "
            "done date:2612050751 stat:DELIVRD err:000 text:Only 5? today, thank");
  EXPECT_EQ(body.esm_class, 0x04);
  EXPECT_EQ(body.data_coding, 0);
  EXPECT_EQ(body.registered_delivery, 0);
  // From the original destination to the original source.
  EXPECT_EQ(body.source_addr, "4915112345678");
  EXPECT_EQ(body.source_addr_ton, 1);
  EXPECT_EQ(body.source_addr_npi, 1);
  EXPECT_EQ(body.destination_addr, "12345");
  EXPECT_EQ(body.dest_addr_ton, 2);
  EXPECT_EQ(body.dest_addr_npi, 1);
  EXPECT_EQ(body.tlvs.receipted_message_id(), "01JF3Z8W5Q4T9KXN2M7B6C1D0E");
  EXPECT_EQ(body.tlvs.message_state(), 2);
  expect_encodes(body);
}

TEST(SmppDeliveryReceipt, StatusesAndErrorCodes) {
  struct Case {
    const char* status;
    const char* stat;
    std::uint8_t state;
  };
  for (const Case& c : {Case{"failed", "UNDELIV", 5}, Case{"expired", "EXPIRED", 3},
                        Case{"cancelled", "DELETED", 4}, Case{"rejected", "REJECTD", 8},
                        Case{"unknown", "UNKNOWN", 7}, Case{"sending", "UNKNOWN", 7}}) {
    ReceiptFacts facts = kannel_receipt(c.status);
    facts.error_code = 38;
    const MessageBody body = delivery_receipt(facts);
    const std::string text = text_of(body);
    EXPECT_NE(text.find(" dlvrd:000 "), std::string::npos) << text;
    EXPECT_NE(text.find(std::string(" stat:") + c.stat + " err:038 text:"), std::string::npos)
        << text;
    EXPECT_EQ(body.tlvs.message_state(), c.state) << c.status;
  }
  ReceiptFacts facts = kannel_receipt("failed");
  facts.error_code = 1500;
  EXPECT_NE(text_of(delivery_receipt(facts)).find(" err:999 "), std::string::npos);
  facts.error_code = 0;
  EXPECT_NE(text_of(delivery_receipt(facts)).find(" err:000 "), std::string::npos);
}

TEST(SmppDeliveryReceipt, TextIsTheFirstTwentyCharactersSafeForGsmAndAscii) {
  ReceiptFacts facts = kannel_receipt("delivered");
  facts.text = "Mail a@b.de\nprice $5_ok";
  std::string text = text_of(delivery_receipt(facts));
  EXPECT_EQ(text.substr(text.find(" text:")), " text:Mail a?b.de price ?5");
  facts.text = "\U0001F600 ok";  // one character, not three octets
  text = text_of(delivery_receipt(facts));
  EXPECT_EQ(text.substr(text.find(" text:")), " text:? ok");
  facts.text = "";
  text = text_of(delivery_receipt(facts));
  EXPECT_EQ(text.substr(text.find(" text:")), " text:");
}

TEST(SmppInboundDeliver, GsmTextUnpacked) {
  const MessageBody body =
      inbound_deliver({"+4917612345678", "+4915112345678", "Meet @ home, 5 min?"});
  EXPECT_EQ(body.source_addr, "4917612345678");
  EXPECT_EQ(body.source_addr_ton, 1);
  EXPECT_EQ(body.source_addr_npi, 1);
  EXPECT_EQ(body.destination_addr, "4915112345678");
  EXPECT_EQ(body.dest_addr_ton, 1);
  EXPECT_EQ(body.dest_addr_npi, 1);
  EXPECT_EQ(body.esm_class, 0);
  EXPECT_EQ(body.data_coding, 0);
  EXPECT_EQ(body.short_message, hex("4D 65 65 74 20 00 20 68 6F 6D 65 2C 20 35 20 6D 69 6E 3F"));
  EXPECT_TRUE(body.tlvs.items.empty());
  expect_encodes(body);
}

TEST(SmppInboundDeliver, ExtensionCharactersAreEscaped) {
  const MessageBody body = inbound_deliver({"+4917612345678", "", "5\u20AC [ok] \u00E9"});
  EXPECT_EQ(body.data_coding, 0);
  EXPECT_EQ(body.short_message, hex("35 1B 65 20 1B 3C 6F 6B 1B 3E 20 05"));
  EXPECT_EQ(body.destination_addr, "");
  EXPECT_EQ(body.dest_addr_ton, 0);
  EXPECT_EQ(body.dest_addr_npi, 0);
}

TEST(SmppInboundDeliver, Ucs2WhenACharacterHasNoGsmCode) {
  const MessageBody body =
      inbound_deliver({"+4917612345678", "+4915112345678", "\u041F\u0440\u0438 \U0001F600"});
  EXPECT_EQ(body.data_coding, 8);
  EXPECT_EQ(body.short_message, hex("04 1F 04 40 04 38 00 20 D8 3D DE 00"));
  expect_encodes(body);
}

TEST(SmppInboundDeliver, InvalidUtf8ShowsAsReplacementCharacters) {
  const MessageBody body = inbound_deliver({"+4917612345678", "", "ok\xC3"});
  EXPECT_EQ(body.data_coding, 8);
  EXPECT_EQ(body.short_message, hex("00 6F 00 6B FF FD"));
}

TEST(SmppInboundDeliver, LongTextGoesInMessagePayload) {
  const std::string gsm(254, 'a');
  MessageBody body = inbound_deliver({"+4917612345678", "", gsm});
  EXPECT_EQ(body.short_message, text_bytes(gsm));
  EXPECT_FALSE(body.tlvs.message_payload().has_value());

  body = inbound_deliver({"+4917612345678", "", gsm + "\u20AC"});  // 256 octets
  EXPECT_TRUE(body.short_message.empty());
  EXPECT_EQ(body.data_coding, 0);
  ASSERT_TRUE(body.tlvs.message_payload().has_value());
  EXPECT_EQ(body.tlvs.message_payload()->size(), 256u);
  expect_encodes(body);

  std::string cyrillic;
  for (int i = 0; i < 127; ++i) cyrillic += "\u0436";
  body = inbound_deliver({"+4917612345678", "", cyrillic});  // 254 octets
  EXPECT_EQ(body.short_message.size(), 254u);
  body = inbound_deliver({"+4917612345678", "", cyrillic + "\u0436"});
  EXPECT_TRUE(body.short_message.empty());
  EXPECT_EQ(body.data_coding, 8);
  EXPECT_EQ(body.tlvs.message_payload()->size(), 256u);
  expect_encodes(body);
}

TEST(SmppInboundDeliver, TextOverTheTlvLimitIsCutBetweenCharacters) {
  std::string euros;
  for (int i = 0; i < 40000; ++i) euros += "\u20AC";  // 80000 octets as 1B 65 pairs
  MessageBody body = inbound_deliver({"+4917612345678", "", euros});
  EXPECT_EQ(body.tlvs.message_payload()->size(), 65534u);
  EXPECT_EQ(body.tlvs.message_payload()->back(), 0x65);
  expect_encodes(body);

  std::string emoji;
  for (int i = 0; i < 20000; ++i) emoji += "\U0001F600";  // 80000 octets as surrogate pairs
  body = inbound_deliver({"+4917612345678", "", emoji});
  EXPECT_EQ(body.tlvs.message_payload()->size(), 65532u);
  expect_encodes(body);
}

TEST(SmppInboundDeliver, SenderKinds) {
  MessageBody body = inbound_deliver({"Vodafone", "+4915112345678", "Hi"});
  EXPECT_EQ(body.source_addr, "Vodafone");
  EXPECT_EQ(body.source_addr_ton, 5);
  EXPECT_EQ(body.source_addr_npi, 0);
  body = inbound_deliver({"22222", "+4915112345678", "Hi"});
  EXPECT_EQ(body.source_addr, "22222");
  EXPECT_EQ(body.source_addr_ton, 0);
  EXPECT_EQ(body.source_addr_npi, 1);
  body = inbound_deliver({"+49 176", "", "Hi"});  // not digits after '+'
  EXPECT_EQ(body.source_addr, "+49 176");
  EXPECT_EQ(body.source_addr_ton, 5);
  // Cut to 20 octets, never inside a character, NULs dropped.
  body = inbound_deliver({std::string("Caf\0e", 5) + " M\u00FCller und S\u00F6hne GmbH", "", "x"});
  EXPECT_EQ(body.source_addr, "Cafe M\u00FCller und S\u00F6");
  expect_encodes(body);
  body = inbound_deliver({"abcdefghijklmnopqrs\u00FC", "", "x"});
  EXPECT_EQ(body.source_addr, "abcdefghijklmnopqrs");
}

TEST(SmppInboundDeliver, TextReadsBackThroughMapSubmit) {
  // What inbound_deliver writes, map_submit reads as the same text (same data_coding rules).
  std::string long_text;
  for (int i = 0; i < 30; ++i) long_text += "Grüße {ok} 20\u20AC; ";
  for (const std::string& text :
       {std::string("Meet @ home"), std::string("\u041F\u0440\u0438 \U0001F600"), long_text}) {
    const MessageBody body = inbound_deliver({"+4917612345678", "+4915112345678", text});
    auto spec = map_submit(body, kNow);
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    EXPECT_EQ(spec->text, text);
  }
}

}  // namespace
}  // namespace smsgw::smpp
