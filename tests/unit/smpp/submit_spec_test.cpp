// map_submit(): submit_sm PDUs as Kannel 1.4.5 and other ESMEs send them, mapped to what
// the gateway stores, and every refusal with its command_status, field and reason.
#include "smsgw/smpp/submit_spec.hpp"

#include <chrono>

#include "smsgw/pdu/alphabets.hpp"
#include "smsgw/pdu/unicode.hpp"
#include "submit_test_support.hpp"
#include "test_support.hpp"

namespace smsgw::smpp {
namespace {

using namespace std::chrono;
using test::hex;
using test::text_bytes;

using test::expect_refused;
using test::kNow;
using test::mapped;

// A whole submit_sm PDU: header (sequence 7) and `body_hex`, command_length filled in.
Bytes wire_submit(const std::string& body_hex) {
  Bytes pdu = hex("00 00 00 00 00 00 00 04 00 00 00 00 00 00 00 07" + body_hex);
  const auto length = static_cast<std::uint32_t>(pdu.size());
  for (int i = 0; i < 4; ++i) pdu[i] = static_cast<std::uint8_t>(length >> (24 - 8 * i));
  return pdu;
}

MessageBody decoded_body(const Bytes& pdu) {
  auto decoded = decode(pdu);
  EXPECT_TRUE(decoded.ok()) << decoded.error().message;
  if (!decoded.ok()) return {};
  return std::get<MessageBody>(decoded->body);
}

// What Kannel 1.4.5 sends for a single GSM message from a numeric sender (TON 2 NPI 1) to
// an international number (TON 1 NPI 1), store-and-forward mode, receipt asked.
MessageBody kannel_single(Bytes short_message) {
  MessageBody body;
  body.source_addr_ton = 2;
  body.source_addr_npi = 1;
  body.source_addr = "12345";
  body.dest_addr_ton = 1;
  body.dest_addr_npi = 1;
  body.destination_addr = "4915112345678";
  body.esm_class = 0x03;
  body.registered_delivery = 1;
  body.data_coding = 0;
  body.short_message = std::move(short_message);
  return body;
}

TEST(SmppMapSubmit, KannelSingleMessageFromTheWire) {
  // "Only 5" then the euro sign as the extension escape 0x1B 0x65 (TS 23.038 6.2.1.1).
  const Bytes pdu = wire_submit(
      "00 02 01 31 32 33 34 35 00 01 01 34 39 31 35 31 31 32 33 34 35 36 37 38 00"
      " 03 00 00 00 00 01 00 00 00 08 4F 6E 6C 79 20 35 1B 65");
  const SubmitSpec spec = mapped(decoded_body(pdu));
  EXPECT_EQ(spec.to, "+4915112345678");
  EXPECT_EQ(spec.text, "Only 5\u20AC");
  EXPECT_FALSE(spec.part.has_value());
  EXPECT_EQ(spec.priority, 0);
  EXPECT_FALSE(spec.send_at.has_value());
  EXPECT_FALSE(spec.validity.has_value());
  EXPECT_EQ(spec.registered_delivery, 1);
  EXPECT_FALSE(spec.flash);
  EXPECT_EQ(spec.source_addr, "12345");
  EXPECT_EQ(spec.source_ton, 2);
  EXPECT_EQ(spec.source_npi, 1);
  EXPECT_EQ(spec.dest_addr, "4915112345678");
  EXPECT_EQ(spec.dest_ton, 1);
  EXPECT_EQ(spec.dest_npi, 1);
}

TEST(SmppMapSubmit, KannelLongMessagePartsCarryTheConcatenationIe) {
  // esm_class 0x43 (UDHI + store and forward), UDH 05 00 03 <ref> <total> <seq>.
  MessageBody first = kannel_single(hex("05 00 03 A7 03 01 48 65 6C 6C 6F"));
  first.esm_class = 0x43;
  SubmitSpec spec = mapped(first);
  ASSERT_TRUE(spec.part.has_value());
  EXPECT_EQ(*spec.part, (ClientPart{0xA7, 3, 1}));
  EXPECT_EQ(spec.text, "Hello");
  EXPECT_EQ(spec.to, "+4915112345678");

  MessageBody last = kannel_single(hex("05 00 03 A7 03 03 21"));
  last.esm_class = 0x43;
  last.registered_delivery = 0;  // Kannel asks for the receipt on part 1 only
  spec = mapped(last);
  EXPECT_EQ(*spec.part, (ClientPart{0xA7, 3, 3}));
  EXPECT_EQ(spec.text, "!");
  EXPECT_EQ(spec.registered_delivery, 0);
}

TEST(SmppMapSubmit, SixteenBitConcatenationReference) {
  MessageBody body = kannel_single(hex("06 08 04 12 34 02 02 4F 4B"));
  body.esm_class = 0x40;
  const SubmitSpec spec = mapped(body);
  EXPECT_EQ(*spec.part, (ClientPart{0x1234, 2, 2}));
  EXPECT_EQ(spec.text, "OK");
}

TEST(SmppMapSubmit, OtherInformationElementsAreSkipped) {
  // Application port addressing (IEI 0x05, 4 octets) before the concatenation IE, and an
  // unknown IEI 0x70 of length 0 after it.
  MessageBody body = kannel_single(hex("0D 05 04 0B 84 23 F0 00 03 09 02 01 70 00 48 69"));
  body.esm_class = 0x40;
  SubmitSpec spec = mapped(body);
  EXPECT_EQ(*spec.part, (ClientPart{9, 2, 1}));
  EXPECT_EQ(spec.text, "Hi");

  body.short_message = hex("04 05 02 AB CD 48 69");  // no concatenation IE: a whole message
  spec = mapped(body);
  EXPECT_FALSE(spec.part.has_value());
  EXPECT_EQ(spec.text, "Hi");
}

TEST(SmppMapSubmit, RepeatedConcatenationIeTheLastCounts) {
  MessageBody body = kannel_single(hex("0A 00 03 01 02 01 00 03 05 04 02 41"));
  body.esm_class = 0x40;
  EXPECT_EQ(*mapped(body).part, (ClientPart{5, 4, 2}));
}

TEST(SmppMapSubmit, ConcatenationOfOnePartIsAWholeMessage) {
  MessageBody body = kannel_single(hex("05 00 03 11 01 01 48 69"));
  body.esm_class = 0x43;
  const SubmitSpec spec = mapped(body);
  EXPECT_FALSE(spec.part.has_value());
  EXPECT_EQ(spec.text, "Hi");
}

TEST(SmppMapSubmit, BadUserDataHeaders) {
  MessageBody body = kannel_single({});
  body.esm_class = 0x43;
  expect_refused(body, CommandStatus::esme_rinvmsglen, "short_message", "message is empty");
  body.short_message = hex("05 00 03 A7 03");  // UDHL 5 but 4 octets follow
  expect_refused(body, CommandStatus::esme_rinvmsglen, "short_message", "runs past");
  body.short_message = hex("FF 00 03 A7 03 01 41");
  expect_refused(body, CommandStatus::esme_rinvmsglen, "short_message", "UDHL) 255");
  body.short_message = hex("05 00 05 A7 03 01 41");  // the IE claims 5 octets of 4 left
  expect_refused(body, CommandStatus::esme_rinvmsglen, "short_message",
                 "information element 0x00 of length 5");
  body.short_message = hex("06 00 04 A7 03 01 00 41");  // the IE fits, but 0x00 has 3 octets
  expect_refused(body, CommandStatus::esme_rinvmsglen, "short_message", "not 3");
  body.short_message = hex("05 08 03 A7 03 01 41");
  expect_refused(body, CommandStatus::esme_rinvmsglen, "short_message", "not 4");
  body.short_message = hex("03 00 03 A7 41 41");  // UDHL ends inside the IE
  expect_refused(body, CommandStatus::esme_rinvmsglen, "short_message", "runs past the UDHL 3");
  body.short_message = hex("01 00 41");  // an IEI without its length
  expect_refused(body, CommandStatus::esme_rinvmsglen, "short_message", "IEI without");
  body.short_message = hex("05 00 03 A7 03 00 41");
  expect_refused(body, CommandStatus::esme_rsubmitfail, "short_message", "part 0 of 3");
  body.short_message = hex("05 00 03 A7 03 04 41");
  expect_refused(body, CommandStatus::esme_rsubmitfail, "short_message", "part 4 of 3");
  body.short_message = hex("05 00 03 A7 00 00 41");
  expect_refused(body, CommandStatus::esme_rsubmitfail, "short_message", "part 0 of 0");
}

TEST(SmppMapSubmit, WithoutUdhiTheUdhOctetsAreText) {
  MessageBody body = kannel_single(text_bytes("05 is text"));
  body.esm_class = 0x03;
  EXPECT_EQ(mapped(body).text, "05 is text");
}

TEST(SmppMapSubmit, SarTlvsDescribeThePart) {
  MessageBody body = kannel_single(text_bytes("part two"));
  body.tlvs.set_sar(0xBEEF, 2, 2);
  SubmitSpec spec = mapped(body);
  EXPECT_EQ(*spec.part, (ClientPart{0xBEEF, 2, 2}));
  EXPECT_EQ(spec.text, "part two");

  body.tlvs = {};
  body.tlvs.set_sar(7, 1, 1);  // one segment: a whole message
  EXPECT_FALSE(mapped(body).part.has_value());
}

TEST(SmppMapSubmit, SarTlvsAndUdhAgreeOrAreRefused) {
  MessageBody body = kannel_single(hex("05 00 03 07 02 01 41"));
  body.esm_class = 0x43;
  body.tlvs.set_sar(7, 2, 1);
  EXPECT_EQ(*mapped(body).part, (ClientPart{7, 2, 1}));
  body.tlvs = {};
  body.tlvs.set_sar(8, 2, 1);
  expect_refused(body, CommandStatus::esme_rinvoptparamval, "sar_msg_ref_num",
                 "describe different parts");
}

TEST(SmppMapSubmit, BadSarTlvs) {
  MessageBody body = kannel_single(text_bytes("x"));
  body.tlvs.set(TlvTag::sar_msg_ref_num, {0, 1});
  body.tlvs.set(TlvTag::sar_total_segments, {2});
  expect_refused(body, CommandStatus::esme_rmissingoptparam, "sar_segment_seqnum", "missing");
  body.tlvs = {};
  body.tlvs.set(TlvTag::sar_segment_seqnum, {1});
  expect_refused(body, CommandStatus::esme_rmissingoptparam, "sar_msg_ref_num", "missing");
  body.tlvs.set_sar(1, 2, 3);
  expect_refused(body, CommandStatus::esme_rinvoptparamval, "sar_segment_seqnum",
                 "sar_segment_seqnum 3 of sar_total_segments 2");
  body.tlvs.set_sar(1, 2, 0);
  expect_refused(body, CommandStatus::esme_rinvoptparamval, "sar_segment_seqnum", "numbered 1");
  body.tlvs.set_sar(1, 0, 0);
  expect_refused(body, CommandStatus::esme_rinvoptparamval, "sar_total_segments", "numbered 1");
  body.tlvs.set(TlvTag::sar_total_segments, {0, 2});  // built by hand: decode refuses it
  expect_refused(body, CommandStatus::esme_rinvparlen, "sar_total_segments", "2 octets");
}

TEST(SmppMapSubmit, MessagePayloadCarriesTheText) {
  std::string long_text(400, 'a');
  MessageBody body = kannel_single({});
  body.tlvs.set_message_payload(text_bytes(long_text));
  EXPECT_EQ(mapped(body).text, long_text);

  body.esm_class = 0x40;  // a UDH at the start of the payload
  body.tlvs.set_message_payload(hex("05 00 03 33 02 02 5A"));
  const SubmitSpec spec = mapped(body);
  EXPECT_EQ(*spec.part, (ClientPart{0x33, 2, 2}));
  EXPECT_EQ(spec.text, "Z");

  body.tlvs.set_message_payload(hex("09 00 03 33 02 02"));
  expect_refused(body, CommandStatus::esme_rinvmsglen, "message_payload", "runs past");
}

TEST(SmppMapSubmit, MessagePayloadAndShortMessageBothSetIsRefused) {
  MessageBody body = kannel_single(text_bytes("short"));
  body.tlvs.set_message_payload(text_bytes("payload"));
  expect_refused(body, CommandStatus::esme_rinvoptparamval, "message_payload",
                 "sm_length must be 0");
}

TEST(SmppMapSubmit, GsmDefaultAlphabetAndExtensionTable) {
  // '@' is 0x00, '$' 0x02, '_' 0x11, 'Ä' 0x5B, 'ü' 0x7E; LF 0x0A.
  EXPECT_EQ(mapped(kannel_single(hex("00 02 11 5B 7E 0A"))).text, "@$_\u00C4\u00FC\n");
  // Extension table (TS 23.038 6.2.1.1): ^ { } \ [ ~ ] | and the euro sign.
  EXPECT_EQ(
      mapped(kannel_single(hex("1B 14 1B 28 1B 29 1B 2F 1B 3C 1B 3D 1B 3E 1B 40 1B 65"))).text,
      "^{}\\[~]|\u20AC");
  // An escape before an unassigned code shows the main table's character; two escapes a
  // space (the code is reserved for a further extension table).
  EXPECT_EQ(mapped(kannel_single(hex("1B 41 1B 1B 42"))).text, "A B");
}

TEST(SmppMapSubmit, GsmTextThatDoesNotDecodeIsRefused) {
  expect_refused(kannel_single(hex("48 69 80")), CommandStatus::esme_rsubmitfail, "short_message",
                 "octet 2 of short_message: 0x80 is not a GSM 7-bit code");
  expect_refused(kannel_single(hex("48 69 1B")), CommandStatus::esme_rsubmitfail, "short_message",
                 "octet 2 of short_message: the escape 0x1B ends the text");
  expect_refused(kannel_single(hex("1B E5")), CommandStatus::esme_rsubmitfail, "short_message",
                 "octet 1");
  // Offsets count from the start of the field, the UDH included.
  MessageBody body = kannel_single(hex("05 00 03 01 02 01 41 C3"));
  body.esm_class = 0x43;
  expect_refused(body, CommandStatus::esme_rsubmitfail, "short_message", "octet 7 ");
}

TEST(SmppMapSubmit, NationalLanguageShiftIesSelectTheTables) {
  // Turkish locking shift (IEI 0x25, language 1) and single shift (IEI 0x24): the PDU
  // module's tables read the septets.
  const auto locking = pdu::locking_shift_code_points(pdu::NationalLanguage::turkish);
  const auto single = pdu::single_shift_code_points(pdu::NationalLanguage::turkish);
  ASSERT_TRUE(locking.has_value());
  std::uint8_t shifted = 0;
  for (std::uint8_t code = 0; code < 0x80; ++code) {
    if ((*locking)[code] != (*pdu::locking_shift_code_points(std::nullopt))[code]) {
      shifted = code;
      break;
    }
  }
  ASSERT_NE(shifted, 0);
  MessageBody body = kannel_single({0x06, 0x25, 0x01, 0x01, 0x24, 0x01, 0x01, shifted, 0x1B, 0x47});
  body.esm_class = 0x40;
  std::string expected;
  pdu::append_utf8(expected, (*locking)[shifted]);
  pdu::append_utf8(expected, single[0x47] != 0 ? single[0x47] : (*locking)[0x47]);
  EXPECT_EQ(mapped(body).text, expected);
}

}  // namespace
}  // namespace smsgw::smpp
