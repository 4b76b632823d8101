// Every supported PDU type encodes and decodes back to the same value, and no truncation
// or single-octet change of a valid PDU crashes the decoder or breaks the round trip.
#include "test_support.hpp"

namespace smsgw::smpp {
namespace {

using test::expect_round_trip;
using test::hex;
using test::text_bytes;

std::vector<Pdu> samples() {
  std::vector<Pdu> pdus;
  std::uint32_t seq = 1;
  for (CommandId id : {CommandId::unbind, CommandId::unbind_resp, CommandId::enquire_link,
                       CommandId::enquire_link_resp}) {
    pdus.push_back(Pdu{id, CommandStatus::esme_rok, seq++, EmptyBody{}});
  }
  pdus.push_back(Pdu{CommandId::generic_nack, CommandStatus::esme_rinvcmdlen, seq++, EmptyBody{}});
  BindBody bind;
  bind.system_id = "abcdefghijklmno";  // 15, the maximum
  bind.password = "12345678";
  bind.system_type = "VMA";
  bind.addr_ton = 1;
  bind.addr_npi = 1;
  bind.address_range = std::string(40, '4');
  for (CommandId id :
       {CommandId::bind_transmitter, CommandId::bind_receiver, CommandId::bind_transceiver}) {
    pdus.push_back(Pdu{id, CommandStatus::esme_rok, seq++, bind});
    BindRespBody resp;
    resp.system_id = "smsgw";
    resp.tlvs.set_sc_interface_version(0x34);
    pdus.push_back(Pdu{response_to(id), CommandStatus::esme_rok, seq++, resp});
    pdus.push_back(Pdu{response_to(id), CommandStatus::esme_rbindfail, seq++, BindRespBody{}});
  }
  MessageBody m;
  m.service_type = "CMT";
  m.source_addr_ton = 5;
  m.source_addr = "smsgw";
  m.dest_addr_ton = 1;
  m.dest_addr_npi = 1;
  m.destination_addr = "4915112345678";
  m.esm_class = 0x43;
  m.priority_flag = 1;
  m.schedule_delivery_time = "261205103000004+";
  m.validity_period = "000002000000000R";
  m.registered_delivery = 1;
  m.short_message = hex("05 00 03 01 02 01");
  m.short_message.resize(254, 0x61);
  m.tlvs.set_sar(0xBEEF, 2, 1);
  m.tlvs.set_message_payload(Bytes(1000, 0x7A));
  pdus.push_back(Pdu{CommandId::submit_sm, CommandStatus::esme_rok, seq++, m});
  MessageBody receipt;
  receipt.esm_class = 0x04;
  receipt.short_message = text_bytes("id:1 sub:001 dlvrd:001 stat:DELIVRD err:000 text:");
  receipt.tlvs.set_receipted_message_id(std::string(64, 'f'));
  receipt.tlvs.set_message_state(2);
  pdus.push_back(Pdu{CommandId::deliver_sm, CommandStatus::esme_rok, seq++, receipt});
  MessageRespBody submitted;
  submitted.message_id = std::string(64, '9');
  pdus.push_back(Pdu{CommandId::submit_sm_resp, CommandStatus::esme_rok, seq++, submitted});
  pdus.push_back(
      Pdu{CommandId::submit_sm_resp, CommandStatus::esme_rthrottled, seq++, MessageRespBody{}});
  pdus.push_back(
      Pdu{CommandId::deliver_sm_resp, CommandStatus::esme_rok, seq++, MessageRespBody{}});
  pdus.push_back(Pdu{CommandId::deliver_sm_resp, CommandStatus::esme_rx_t_appn, 0x7FFFFFFF,
                     MessageRespBody{}});
  return pdus;
}

TEST(SmppRoundTrip, EverySupportedPduType) {
  std::size_t count = 0;
  for (const Pdu& pdu : samples()) {
    SCOPED_TRACE(std::string(to_string(pdu.command_id)));
    expect_round_trip(pdu);
    ++count;
  }
  EXPECT_EQ(count, 20u);
}

TEST(SmppRoundTrip, EncodedLengthsMatchTheLayout) {
  auto enquire = encode(Pdu{CommandId::enquire_link, CommandStatus::esme_rok, 1, EmptyBody{}});
  EXPECT_EQ(*enquire, hex("00 00 00 10 00 00 00 15 00 00 00 00 00 00 00 01"));
  auto refused = encode(
      Pdu{CommandId::bind_transceiver_resp, CommandStatus::esme_rinvsysid, 2, BindRespBody{}});
  EXPECT_EQ(*refused, hex("00 00 00 10 80 00 00 09 00 00 00 0F 00 00 00 02"));
  auto empty_ok =
      encode(Pdu{CommandId::deliver_sm_resp, CommandStatus::esme_rok, 3, MessageRespBody{}});
  EXPECT_EQ(*empty_ok, hex("00 00 00 11 80 00 00 05 00 00 00 00 00 00 00 03 00"));
}

// Decoding a changed or cut PDU either fails with a status or yields a Pdu that
// round-trips; the decoder never reads outside the span (checked under ASan by the fuzzer).
void check_any(const Bytes& octets) {
  auto decoded = decode(octets);
  if (!decoded.ok()) {
    EXPECT_FALSE(decoded.error().field.empty());
    EXPECT_NE(decoded.error().status, CommandStatus::esme_rok);
    return;
  }
  auto encoded = encode(*decoded);
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  auto again = decode(*encoded);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *decoded);
}

TEST(SmppRoundTrip, TruncationsAndSingleOctetChanges) {
  for (const Pdu& pdu : samples()) {
    auto encoded = encode(pdu);
    ASSERT_TRUE(encoded.ok());
    const Bytes& octets = *encoded;
    for (std::size_t cut = 0; cut < octets.size(); ++cut) {
      Bytes shorter(octets.begin(), octets.begin() + static_cast<std::ptrdiff_t>(cut));
      EXPECT_FALSE(decode(shorter).ok());
      // The same cut with command_length patched to agree.
      if (cut >= kHeaderLength) {
        shorter[2] = static_cast<std::uint8_t>(cut >> 8);
        shorter[3] = static_cast<std::uint8_t>(cut & 0xFF);
        check_any(shorter);
      }
    }
    if (octets.size() > 600) continue;  // the message_payload sample: enough from the cuts
    for (std::size_t at = 4; at < octets.size(); ++at) {
      for (std::uint8_t value : {0x00, 0x01, 0x7F, 0xFF}) {
        Bytes changed = octets;
        changed[at] = value;
        check_any(changed);
      }
    }
  }
}

}  // namespace
}  // namespace smsgw::smpp
