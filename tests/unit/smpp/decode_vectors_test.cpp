// Exact PDUs written out by hand from the layouts of SMPP 3.4 chapter 4, decoded field by
// field and re-encoded to the same octets.
#include "test_support.hpp"

namespace smsgw::smpp {
namespace {

using test::hex;
using test::text_bytes;

Pdu decode_ok(const Bytes& octets) {
  auto decoded = decode(octets);
  EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().message);
  if (!decoded.ok()) return {};
  auto encoded = encode(*decoded);
  EXPECT_TRUE(encoded.ok());
  if (encoded.ok()) {
    EXPECT_EQ(*encoded, octets);
  }
  return *decoded;
}

TEST(SmppDecode, EnquireLinkHeaderOnly) {  // 4.11.1
  const Bytes octets = hex("00 00 00 10 00 00 00 15 00 00 00 00 00 00 00 01");
  auto header = decode_header(octets);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(*header, (Header{16, 0x15, 0, 1}));
  Pdu pdu = decode_ok(octets);
  EXPECT_EQ(pdu.command_id, CommandId::enquire_link);
  EXPECT_EQ(pdu.command_status, CommandStatus::esme_rok);
  EXPECT_EQ(pdu.sequence_number, 1u);
  EXPECT_TRUE(std::holds_alternative<EmptyBody>(pdu.body));
}

TEST(SmppDecode, GenericNackCarriesItsStatus) {  // 4.3.1
  Pdu pdu = decode_ok(hex("00 00 00 10 80 00 00 00 00 00 00 03 00 00 00 07"));
  EXPECT_EQ(pdu.command_id, CommandId::generic_nack);
  EXPECT_EQ(pdu.command_status, CommandStatus::esme_rinvcmdid);
  EXPECT_EQ(pdu.sequence_number, 7u);
}

TEST(SmppDecode, BindTransmitter) {  // 4.1.1
  Pdu pdu = decode_ok(
      hex("00 00 00 31 00 00 00 02 00 00 00 00 00 00 00 01"
          "73 6D 70 70 63 6C 69 65 6E 74 31 00"  // system_id "smppclient1"
          "73 65 63 72 65 74 30 38 00"           // password "secret08"
          "53 55 42 4D 49 54 31 00"              // system_type "SUBMIT1"
          "34 01 01 00"));  // interface_version 3.4, addr_ton 1, addr_npi 1, address_range ""
  EXPECT_EQ(pdu.command_id, CommandId::bind_transmitter);
  const auto& bind = std::get<BindBody>(pdu.body);
  EXPECT_EQ(bind.system_id, "smppclient1");
  EXPECT_EQ(bind.password, "secret08");
  EXPECT_EQ(bind.system_type, "SUBMIT1");
  EXPECT_EQ(bind.interface_version, 0x34);
  EXPECT_EQ(bind.addr_ton, 1);
  EXPECT_EQ(bind.addr_npi, 1);
  EXPECT_EQ(bind.address_range, "");
}

TEST(SmppDecode, BindTransceiverRespWithScInterfaceVersion) {  // 4.1.6, 5.3.2.25
  Pdu pdu =
      decode_ok(hex("00 00 00 1B 80 00 00 09 00 00 00 00 00 00 00 01"
                    "73 6D 73 67 77 00"  // system_id "smsgw"
                    "02 10 00 01 34"));  // sc_interface_version 0x34
  const auto& resp = std::get<BindRespBody>(pdu.body);
  EXPECT_EQ(resp.system_id, "smsgw");
  EXPECT_EQ(resp.tlvs.sc_interface_version(), 0x34);
}

TEST(SmppDecode, ErrorResponsesMayOmitTheirBody) {  // 4.1.2, 4.4.2
  Pdu bind = decode_ok(hex("00 00 00 10 80 00 00 02 00 00 00 0E 00 00 00 01"));
  EXPECT_EQ(bind.command_status, CommandStatus::esme_rinvpaswd);
  EXPECT_EQ(std::get<BindRespBody>(bind.body), BindRespBody{});
  Pdu submit = decode_ok(hex("00 00 00 10 80 00 00 04 00 00 00 58 00 00 00 09"));
  EXPECT_EQ(submit.command_status, CommandStatus::esme_rthrottled);
  EXPECT_EQ(std::get<MessageRespBody>(submit.body), MessageRespBody{});
}

// What Kannel 1.4.5 sends for part 1 of 2 of a long message it split itself: esm_class
// 0x43 (UDHI + store and forward), data_coding 0, registered_delivery 1, a numeric sender
// as TON 2, the destination +4915112345678 as TON 1 / NPI 1 without '+', and the UDH
// 05 00 03 ref total seq at the start of short_message.
TEST(SmppDecode, SubmitSmAsKannelSendsIt) {  // 4.4.1
  Pdu pdu = decode_ok(
      hex("00 00 00 3E 00 00 00 04 00 00 00 00 00 00 00 2A"
          "00"                                               // service_type ""
          "02 01 31 32 33 34 35 00"                          // source 2/1 "12345"
          "01 01 34 39 31 35 31 31 32 33 34 35 36 37 38 00"  // dest 1/1 "4915112345678"
          "43 00 00"                                         // esm_class, protocol_id, priority
          "00 00"                                            // schedule, validity: NULL
          "01 00 00 00"  // registered_delivery, replace_if_present, data_coding, default id
          "0B 05 00 03 7F 02 01 48 65 6C 6C 6F"));  // sm_length 11, UDH, "Hello"
  EXPECT_EQ(pdu.command_id, CommandId::submit_sm);
  EXPECT_EQ(pdu.sequence_number, 42u);
  const auto& m = std::get<MessageBody>(pdu.body);
  EXPECT_EQ(m.service_type, "");
  EXPECT_EQ(m.source_addr_ton, 2);
  EXPECT_EQ(m.source_addr, "12345");
  EXPECT_EQ(m.dest_addr_ton, 1);
  EXPECT_EQ(m.dest_addr_npi, 1);
  EXPECT_EQ(m.destination_addr, "4915112345678");
  EXPECT_EQ(m.esm_class, 0x43);
  EXPECT_TRUE(m.udhi());
  EXPECT_EQ(m.data_coding, 0);
  EXPECT_EQ(m.registered_delivery, 1);
  EXPECT_EQ(m.short_message, hex("05 00 03 7F 02 01 48 65 6C 6C 6F"));
  EXPECT_TRUE(m.tlvs.items.empty());
}

TEST(SmppDecode, SubmitSmWithSarTlvsAndTimes) {  // 4.4.1, 5.3.2.22-24, 7.1.1
  Pdu pdu =
      decode_ok(hex("00 00 00 58 00 00 00 04 00 00 00 00 00 00 00 03"
                    "00 05 00 41 00 01 01 34 39 00"
                    "03 00 01"
                    "32 36 31 32 30 35 31 30 33 30 30 30 30 30 34 2B 00"  // "261205103000004+"
                    "30 30 30 30 30 31 30 30 30 30 30 30 30 30 30 52 00"  // "000001000000000R"
                    "00 00 08 00"
                    "04 00 48 00 69"  // "Hi" in UCS-2
                    "02 0C 00 02 12 34  02 0E 00 01 03  02 0F 00 01 02"));
  const auto& m = std::get<MessageBody>(pdu.body);
  EXPECT_EQ(m.source_addr, "A");
  EXPECT_EQ(m.source_addr_ton, 5);
  EXPECT_EQ(m.schedule_delivery_time, "261205103000004+");
  EXPECT_EQ(m.validity_period, "000001000000000R");
  EXPECT_EQ(m.data_coding, 8);
  EXPECT_EQ(m.tlvs.sar_msg_ref_num(), 0x1234);
  EXPECT_EQ(m.tlvs.sar_total_segments(), 3);
  EXPECT_EQ(m.tlvs.sar_segment_seqnum(), 2);
}

TEST(SmppDecode, DeliverSmReceiptWithReceiptTlvs) {  // 4.6.1, 5.3.2.12, 5.3.2.35
  Pdu pdu =
      decode_ok(hex("00 00 00 3E 00 00 00 05 00 00 00 00 00 00 00 05"
                    "00 01 01 34 39 00 00 00 31 00"     // source 1/1 "49", dest 0/0 "1"
                    "04 00 00 00 00 00 00 00 00"        // esm_class 0x04: delivery receipt
                    "04 69 64 3A 37"                    // "id:7"
                    "00 1E 00 07 61 62 63 31 32 33 00"  // receipted_message_id "abc123"
                    "04 27 00 01 02"                    // message_state DELIVERED
                    "04 24 00 02 6F 6B"));              // message_payload "ok"
  EXPECT_EQ(pdu.command_id, CommandId::deliver_sm);
  const auto& m = std::get<MessageBody>(pdu.body);
  EXPECT_EQ(m.esm_class, 0x04);
  EXPECT_EQ(m.short_message, text_bytes("id:7"));
  EXPECT_EQ(m.tlvs.receipted_message_id(), "abc123");
  EXPECT_EQ(m.tlvs.message_state(), 2);
  EXPECT_EQ(m.tlvs.message_payload(), text_bytes("ok"));
  EXPECT_EQ(m.tlvs.items.size(), 3u);
}

TEST(SmppDecode, SubmitSmRespAndDeliverSmResp) {  // 4.4.2, 4.6.2
  Pdu submit = decode_ok(hex("00 00 00 14 80 00 00 04 00 00 00 00 00 00 00 2A 31 32 33 00"));
  EXPECT_EQ(std::get<MessageRespBody>(submit.body).message_id, "123");
  Pdu deliver = decode_ok(hex("00 00 00 11 80 00 00 05 00 00 00 00 00 00 00 05 00"));
  EXPECT_EQ(std::get<MessageRespBody>(deliver.body).message_id, "");
}

TEST(SmppDecode, UnknownTlvsAreKeptInOrder) {  // 5.3: unknown tags are not an error
  Pdu pdu =
      decode_ok(hex("00 00 00 23 80 00 00 04 00 00 00 00 00 00 00 01 31 00"
                    "14 01 00 03 61 62 63  00 05 00 00  02 0C 00 02 00 09"));
  const auto& tlvs = std::get<MessageRespBody>(pdu.body).tlvs;
  ASSERT_EQ(tlvs.items.size(), 3u);
  EXPECT_EQ(tlvs.items[0], (Tlv{0x1401, text_bytes("abc")}));
  EXPECT_EQ(tlvs.items[1], (Tlv{0x0005, {}}));
  EXPECT_EQ(tlvs.sar_msg_ref_num(), 9);
}

TEST(SmppNames, StatusAndCommandNames) {  // 5.1.2.1, 5.1.3
  EXPECT_EQ(to_string(CommandStatus::esme_rinvcmdlen), "ESME_RINVCMDLEN");
  EXPECT_EQ(to_string(CommandStatus::esme_rthrottled), "ESME_RTHROTTLED");
  EXPECT_EQ(static_cast<std::uint32_t>(CommandStatus::esme_rinvoptparstream), 0xC0u);
  EXPECT_EQ(static_cast<std::uint32_t>(CommandStatus::esme_rmissingoptparam), 0xC3u);
  EXPECT_EQ(to_string(static_cast<CommandStatus>(0x400)), "ESME_0x00000400");
  EXPECT_EQ(to_string(static_cast<CommandStatus>(0x67)), "ESME_RQUERYFAIL");
  EXPECT_EQ(to_string(static_cast<CommandStatus>(0x104)), "ESME_RINVDCS");
  EXPECT_EQ(static_cast<std::uint32_t>(CommandStatus::esme_rinvsched), 0x61u);
  EXPECT_EQ(static_cast<std::uint32_t>(CommandStatus::esme_rbindfail), 0x0Du);
  EXPECT_EQ(to_string(CommandId::bind_transceiver_resp), "bind_transceiver_resp");
  EXPECT_EQ(response_to(CommandId::submit_sm), CommandId::submit_sm_resp);
  EXPECT_TRUE(is_response(CommandId::generic_nack));
  Failure failure{CommandStatus::esme_rinvparlen, "password", "too long"};
  EXPECT_EQ(failure.to_error().code, "smpp.esme_rinvparlen");
}

}  // namespace
}  // namespace smsgw::smpp
