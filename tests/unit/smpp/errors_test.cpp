// Every decode failure is a value with the command_status to answer and the field named
// (SMPP 3.4 section 5.1.3); encode refuses what decode would refuse.
#include "test_support.hpp"

namespace smsgw::smpp {
namespace {

using test::decode_failure;
using test::hex;

// A PDU of `command_id` with `body` after the header, command_length filled in.
Bytes with_body(std::uint32_t command_id, const Bytes& body) {
  Bytes pdu = hex("00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01");
  for (int i = 0; i < 4; ++i) pdu[4 + i] = static_cast<std::uint8_t>(command_id >> (24 - 8 * i));
  pdu.insert(pdu.end(), body.begin(), body.end());
  const auto length = static_cast<std::uint32_t>(pdu.size());
  for (int i = 0; i < 4; ++i) pdu[i] = static_cast<std::uint8_t>(length >> (24 - 8 * i));
  return pdu;
}

// submit_sm body up to and including sm_length, then `rest`.
Bytes submit(const std::string& schedule_hex, const std::string& validity_hex,
             const std::string& rest) {
  return with_body(0x04, hex("00 01 01 31 00 01 01 32 00 00 00 00" + schedule_hex + validity_hex +
                             "00 00 00 00" + rest));
}

void expect_failure(const Bytes& pdu, CommandStatus status, const std::string& field) {
  Failure failure = decode_failure(pdu);
  EXPECT_EQ(to_string(failure.status), to_string(status)) << failure.message;
  EXPECT_EQ(failure.field, field) << failure.message;
  EXPECT_NE(failure.message.find(field), std::string::npos) << failure.message;
  EXPECT_EQ(failure.message.rfind("octet ", 0), 0u) << failure.message;
}

TEST(SmppErrors, CommandLengthDisagreesWithThePdu) {
  expect_failure(hex("00 00 00 11 00 00 00 15 00 00 00 00 00 00 00 01"),
                 CommandStatus::esme_rinvcmdlen, "command_length");
  expect_failure(hex("00 00 00 11 00 00 00 15 00 00 00 00 00 00 00 01 00"),
                 CommandStatus::esme_rinvcmdlen, "command_length");  // enquire_link has no body
  expect_failure(hex("00 00 00 10 00 00 00 15 00 00 00"), CommandStatus::esme_rinvcmdlen, "header");
}

TEST(SmppErrors, UnhandledCommandIds) {
  expect_failure(hex("00 00 00 10 00 00 00 03 00 00 00 00 00 00 00 01"),
                 CommandStatus::esme_rinvcmdid, "command_id");  // query_sm
  expect_failure(hex("00 00 00 10 12 34 56 78 00 00 00 00 00 00 00 01"),
                 CommandStatus::esme_rinvcmdid, "command_id");
}

TEST(SmppErrors, CStringOverItsMaximumIsInvalidParameterLength) {
  // system_id: 16 characters and no NUL within its 16 octets.
  expect_failure(with_body(0x02, test::text_bytes("ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
                 CommandStatus::esme_rinvparlen, "system_id");
  // password: 9 characters (Kannel cuts to 8).
  expect_failure(with_body(0x09, hex("61 00 31 32 33 34 35 36 37 38 39 00 00 34 00 00 00")),
                 CommandStatus::esme_rinvparlen, "password");
  expect_failure(with_body(0x80000004, Bytes(70, 0x31)), CommandStatus::esme_rinvparlen,
                 "message_id");
}

TEST(SmppErrors, BodyEndingInsideAFieldIsInvalidCommandLength) {
  expect_failure(with_body(0x02, hex("61 62")), CommandStatus::esme_rinvcmdlen, "system_id");
  expect_failure(with_body(0x02, hex("61 00 62 00 00 34 01")), CommandStatus::esme_rinvcmdlen,
                 "addr_npi");
  expect_failure(submit("00", "00", "05 41 42"), CommandStatus::esme_rinvcmdlen, "short_message");
}

TEST(SmppErrors, SmLengthOver254) {
  expect_failure(submit("00", "00", "FF"), CommandStatus::esme_rinvmsglen, "sm_length");
}

TEST(SmppErrors, TimesNotInTheSpecFormat) {
  const std::string bad = "32 36 31 32 30 35 31 30 33 30 30 30 30 30 34 58 00";  // ...4X
  expect_failure(submit(bad, "00", "00"), CommandStatus::esme_rinvsched, "schedule_delivery_time");
  expect_failure(submit("00", "31 32 00", "00"), CommandStatus::esme_rinvexpiry, "validity_period");
}

TEST(SmppErrors, BrokenTlvStream) {
  expect_failure(submit("00", "00", "00 04 24 00"), CommandStatus::esme_rinvoptparstream, "tlv");
  expect_failure(submit("00", "00", "00 04 24 00 05 41"), CommandStatus::esme_rinvoptparstream,
                 "tlv 0x0424");
  expect_failure(submit("00", "00", "00 02 0C 00 01 07"), CommandStatus::esme_rinvparlen,
                 "tlv 0x020C");
  expect_failure(submit("00", "00", "00 04 27 00 02 00 01"), CommandStatus::esme_rinvparlen,
                 "tlv 0x0427");
  expect_failure(submit("00", "00", "00 00 1E 00 02 41 42"), CommandStatus::esme_rinvparlen,
                 "tlv 0x001E");
}

TEST(SmppErrors, EncodeRefusesWhatDecodeWouldRefuse) {
  Pdu bind{CommandId::bind_transmitter, CommandStatus::esme_rok, 1, BindBody{}};
  std::get<BindBody>(bind.body).password = "123456789";
  auto encoded = encode(bind);
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.error().status, CommandStatus::esme_rinvparlen);
  EXPECT_EQ(encoded.error().field, "password");

  Pdu submit_sm{CommandId::submit_sm, CommandStatus::esme_rok, 2, MessageBody{}};
  std::get<MessageBody>(submit_sm.body).short_message.assign(255, 0x41);
  EXPECT_EQ(encode(submit_sm).error().status, CommandStatus::esme_rinvmsglen);
  std::get<MessageBody>(submit_sm.body).short_message.clear();
  std::get<MessageBody>(submit_sm.body).destination_addr = std::string("49\0", 3);
  EXPECT_EQ(encode(submit_sm).error().field, "destination_addr");
  std::get<MessageBody>(submit_sm.body).destination_addr = "49";
  std::get<MessageBody>(submit_sm.body).validity_period = "tomorrow";
  EXPECT_EQ(encode(submit_sm).error().status, CommandStatus::esme_rinvexpiry);
  std::get<MessageBody>(submit_sm.body).validity_period.clear();
  std::get<MessageBody>(submit_sm.body).tlvs.set(TlvTag::sar_total_segments, {1, 2});
  EXPECT_EQ(encode(submit_sm).error().status, CommandStatus::esme_rinvparlen);

  Pdu mismatched{CommandId::enquire_link, CommandStatus::esme_rok, 3, BindBody{}};
  EXPECT_EQ(encode(mismatched).error().field, "body");
  Pdu unknown{static_cast<CommandId>(0x103), CommandStatus::esme_rok, 3, EmptyBody{}};
  EXPECT_EQ(encode(unknown).error().status, CommandStatus::esme_rinvcmdid);
}

}  // namespace
}  // namespace smsgw::smpp
