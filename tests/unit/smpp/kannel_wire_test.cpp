// What Kannel 1.4.5 (Debian's bearerbox) sends as an SMPP client, byte for byte, captured
// at a test server: sendsms with dlr-mask 31, from=4930123, to=+491511234567 ("Hello world",
// "Price 5€ [x] ^~|", "Привет 👋" with coding=2, and "long text " x 40 that bearerbox split
// itself). Each decodes and maps to what smsgw stores; tests/integration/kannel runs the
// real Kannel against smsgw serve.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "smsgw/smpp/pdu.hpp"
#include "smsgw/smpp/submit_spec.hpp"
#include "test_support.hpp"

namespace smsgw::smpp {
namespace {

using test::hex;

// A whole PDU: header (command_status 0) and the captured body.
Bytes wire(std::uint32_t command_id, std::uint32_t sequence, const std::string& body_hex) {
  Bytes pdu = hex(std::string(32, '0') + body_hex);  // 16 header octets, filled in below
  const auto put = [&pdu](std::size_t at, std::uint32_t value) {
    for (std::size_t i = 0; i < 4; ++i) {
      pdu[at + i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
    }
  };
  put(0, static_cast<std::uint32_t>(pdu.size()));
  put(4, command_id);
  put(12, sequence);
  return pdu;
}

SubmitSpec kannel_submit(const std::string& body_hex) {
  const auto pdu = decode(wire(0x00000004, 2, body_hex));
  EXPECT_TRUE(pdu.ok()) << pdu.error().message;
  if (!pdu.ok()) return {};
  const auto spec = map_submit(std::get<MessageBody>(pdu->body), std::chrono::system_clock::now());
  EXPECT_TRUE(spec.ok()) << spec.error().field << ": " << spec.error().message;
  return spec.ok() ? *spec : SubmitSpec{};
}

TEST(KannelWire, BindTransceiver) {
  const auto pdu =
      decode(wire(0x00000009, 1, "6b616e6e656c00736563726574006b616e6e656c0034000000"));
  ASSERT_TRUE(pdu.ok()) << pdu.error().message;
  EXPECT_EQ(pdu->command_id, CommandId::bind_transceiver);
  const auto& bind = std::get<BindBody>(pdu->body);
  EXPECT_EQ(bind.system_id, "kannel");
  EXPECT_EQ(bind.password, "secret");
  EXPECT_EQ(bind.system_type, "kannel");  // Kannel refuses to start without system-type
  EXPECT_EQ(bind.interface_version, 0x34);
  EXPECT_EQ(bind.address_range, "");
}

// esm_class 0x03, registered_delivery 0x11 (dlr-mask 31 asks for the intermediate
// notification too), source TON 2 NPI 1, destination TON 1 NPI 1 without the '+'.
TEST(KannelWire, SingleMessages) {
  const auto gsm = kannel_submit(
      "00020134393330313233000101343931353131323334353637000300000000110000000b48656c6c"
      "6f20776f726c64");
  EXPECT_EQ(gsm.to, "+491511234567");
  EXPECT_EQ(gsm.text, "Hello world");
  EXPECT_EQ(gsm.registered_delivery, 1);
  EXPECT_EQ(gsm.source_addr, "4930123");
  EXPECT_EQ(gsm.source_ton, 2);
  EXPECT_FALSE(gsm.part.has_value());
  // data_coding 0, extension characters as 0x1B + code
  const auto extension = kannel_submit(
      "00020134393330313233000101343931353131323334353637000300000000110000001650726963"
      "6520351b65201b3c781b3e201b141b3d1b40");
  EXPECT_EQ(extension.text, "Price 5€ [x] ^~|");
  // data_coding 8, UTF-16BE with a surrogate pair
  const auto ucs2 = kannel_submit(
      "000201343933303132330001013439313531313233343536370003000000001100080012041f0440"
      "04380432043504420020d83ddc4b");
  EXPECT_EQ(ucs2.text, "Привет 👋");
}

// esm_class 0x43, UDH 05 00 03 ref total seq, registered_delivery only on part 1,
// more_messages_to_send (0x0426) = 1 on parts 1 and 2.
TEST(KannelWire, PartsOfALongMessage) {
  const std::string parts_hex[] = {
      "00020134393330313233000101343931353131323334353637004300000000110000009f05000303"
      "03016c6f6e672074657874206c6f6e672074657874206c6f6e672074657874206c6f6e6720746578"
      "74206c6f6e672074657874206c6f6e672074657874206c6f6e672074657874206c6f6e6720746578"
      "74206c6f6e672074657874206c6f6e672074657874206c6f6e672074657874206c6f6e6720746578"
      "74206c6f6e672074657874206c6f6e672074657874206c6f6e672074657874206c6f6e0426000101",
      "00020134393330313233000101343931353131323334353637004300000000000000009f05000303"
      "0302672074657874206c6f6e672074657874206c6f6e672074657874206c6f6e672074657874206c"
      "6f6e672074657874206c6f6e672074657874206c6f6e672074657874206c6f6e672074657874206c"
      "6f6e672074657874206c6f6e672074657874206c6f6e672074657874206c6f6e672074657874206c"
      "6f6e672074657874206c6f6e672074657874206c6f6e672074657874206c6f6e6720740426000101",
      "00020134393330313233000101343931353131323334353637004300000000000000006405000303"
      "0303657874206c6f6e672074657874206c6f6e672074657874206c6f6e672074657874206c6f6e67"
      "2074657874206c6f6e672074657874206c6f6e672074657874206c6f6e672074657874206c6f6e67"
      "2074657874206c6f6e67207465787420"};
  std::string text;
  for (int k = 0; k < 3; ++k) {
    const auto spec = kannel_submit(parts_hex[k]);
    ASSERT_TRUE(spec.part.has_value()) << k;
    EXPECT_EQ(spec.part->total, 3);
    EXPECT_EQ(spec.part->seq, k + 1);
    EXPECT_EQ(spec.part->ref, 3);
    EXPECT_EQ(spec.registered_delivery, k == 0 ? 1 : 0);
    text += spec.text;
  }
  std::string expected;
  for (int i = 0; i < 40; ++i) expected += "long text ";
  EXPECT_EQ(text, expected);
}

TEST(KannelWire, DeliverSmRespAndUnbind) {
  const auto resp = decode(wire(0x80000005, 1003, "00"));  // message_id "" (a NUL)
  ASSERT_TRUE(resp.ok()) << resp.error().message;
  EXPECT_EQ(std::get<MessageRespBody>(resp->body).message_id, "");
  const auto unbind = decode(wire(0x00000006, 9, ""));  // sent on SIGTERM
  ASSERT_TRUE(unbind.ok()) << unbind.error().message;
  EXPECT_EQ(unbind->command_id, CommandId::unbind);
}

}  // namespace
}  // namespace smsgw::smpp
