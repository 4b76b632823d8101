// map_submit(): the submit_sm fields besides the UDH (SMPP 3.4 4.4.1): data_coding,
// esm_class, priority_flag, registered_delivery, addresses, times, sm_default_msg_id.
#include <chrono>

#include "smsgw/smpp/submit_spec.hpp"
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

MessageBody base(Bytes short_message = text_bytes("Hi")) {
  MessageBody body;
  body.source_addr_ton = 5;
  body.source_addr = "Shop";
  body.dest_addr_ton = 1;
  body.dest_addr_npi = 1;
  body.destination_addr = "4915112345678";
  body.short_message = std::move(short_message);
  return body;
}

MessageBody coded(std::uint8_t data_coding, Bytes short_message) {
  MessageBody body = base(std::move(short_message));
  body.data_coding = data_coding;
  return body;
}

TEST(SmppSubmitFields, Ucs2IsUtf16WithSurrogatePairs) {
  // "Hi 😀" as Kannel sends coding=2 (UCS-2): the emoji U+1F600 as the pair D83D DE00.
  const SubmitSpec spec = mapped(coded(8, hex("00 48 00 69 00 20 D8 3D DE 00")));
  EXPECT_EQ(spec.text, "Hi \U0001F600");
  EXPECT_FALSE(spec.flash);
  EXPECT_EQ(mapped(coded(8, hex("04 1F 04 40 04 38 20 AC"))).text, "\u041F\u0440\u0438\u20AC");
}

TEST(SmppSubmitFields, BrokenUcs2IsRefusedNamingTheOctet) {
  expect_refused(coded(8, hex("00 48 00")), CommandStatus::esme_rsubmitfail, "short_message",
                 "3 octets, an odd number");
  expect_refused(coded(8, hex("00 48 D8 3D 00 69")), CommandStatus::esme_rsubmitfail,
                 "short_message", "octet 2 of short_message: UTF-16 high surrogate without");
  expect_refused(coded(8, hex("00 48 D8 3D")), CommandStatus::esme_rsubmitfail, "short_message",
                 "octet 2");
  expect_refused(coded(8, hex("DE 00 00 48")), CommandStatus::esme_rsubmitfail, "short_message",
                 "octet 0 of short_message: UTF-16 low surrogate");
}

TEST(SmppSubmitFields, Ia5AndLatin1) {
  EXPECT_EQ(mapped(coded(1, text_bytes("a@b$c_"))).text, "a@b$c_");
  expect_refused(coded(1, hex("41 E9")), CommandStatus::esme_rsubmitfail, "short_message",
                 "octet 1 of short_message: 0xE9 is not an IA5");
  EXPECT_EQ(mapped(coded(3, hex("43 61 66 E9 20 A3 35"))).text, "Caf\u00E9 \u00A35");
}

TEST(SmppSubmitFields, MessageClassZeroIsFlash) {
  // TS 23.038 4: 0x10-0x13 GSM 7-bit with class 0-3, 0xF0-0xF3 the same in group 1111,
  // 0x18-0x1B UCS-2 with a class.
  for (const std::uint8_t dcs : {0x10, 0xF0}) {
    const SubmitSpec spec = mapped(coded(dcs, hex("1B 65")));
    EXPECT_TRUE(spec.flash) << int{dcs};
    EXPECT_EQ(spec.text, "\u20AC");
  }
  for (const std::uint8_t dcs : {0x11, 0x12, 0x13, 0xF1, 0xF2, 0xF3}) {
    const SubmitSpec spec = mapped(coded(dcs, hex("40")));
    EXPECT_FALSE(spec.flash) << int{dcs};
    EXPECT_EQ(spec.text, "\u00A1");  // GSM 0x40 is '¡'
  }
  SubmitSpec spec = mapped(coded(0x18, hex("00 41")));
  EXPECT_TRUE(spec.flash);
  EXPECT_EQ(spec.text, "A");
  spec = mapped(coded(0x19, hex("00 41")));
  EXPECT_FALSE(spec.flash);
}

TEST(SmppSubmitFields, DataCodingsThatAreNotTextAreRefused) {
  for (const std::uint8_t dcs :
       {0x02, 0x04, 0x05, 0x06, 0x07, 0x09, 0x0E, 0x14, 0x20, 0x38, 0xC0, 0xE0, 0xF4, 0xF7, 0xFF}) {
    char name[8];
    std::snprintf(name, sizeof name, "0x%02X", dcs);
    expect_refused(coded(dcs, text_bytes("x")), CommandStatus::esme_rsubmitfail, "data_coding",
                   "data_coding " + std::string(name) + " is not text");
  }
}

TEST(SmppSubmitFields, EsmClassMessagingModeIsIgnoredMessageTypeIsChecked) {
  for (const std::uint8_t esm : {0x00, 0x01, 0x02, 0x03, 0x80, 0x83}) {
    MessageBody body = base();
    body.esm_class = esm;
    EXPECT_EQ(mapped(body).text, "Hi") << int{esm};
  }
  for (const std::uint8_t esm : {0x04, 0x08, 0x10, 0x20, 0x0B}) {
    MessageBody body = base();
    body.esm_class = esm;
    expect_refused(body, CommandStatus::esme_rinvesmclass, "esm_class", "bits 2-5");
  }
}

TEST(SmppSubmitFields, PriorityFlag) {
  MessageBody body = base();
  for (std::uint8_t priority = 0; priority <= 3; ++priority) {
    body.priority_flag = priority;
    EXPECT_EQ(mapped(body).priority, priority);
  }
  body.priority_flag = 4;
  expect_refused(body, CommandStatus::esme_rinvprtflg, "priority_flag", "priority_flag 4 is not");
}

TEST(SmppSubmitFields, RegisteredDelivery) {
  MessageBody body = base();
  body.registered_delivery = 2;
  EXPECT_EQ(mapped(body).registered_delivery, 2);
  body.registered_delivery = 0x11;  // intermediate notification bit 4: not kept
  EXPECT_EQ(mapped(body).registered_delivery, 1);
  body.registered_delivery = 0x0C;  // SME acknowledgement bits only
  EXPECT_EQ(mapped(body).registered_delivery, 0);
  body.registered_delivery = 3;
  expect_refused(body, CommandStatus::esme_rinvregdlvflg, "registered_delivery", "reserved");
  body.registered_delivery = 0x13;
  expect_refused(body, CommandStatus::esme_rinvregdlvflg, "registered_delivery", "0x13");
}

TEST(SmppSubmitFields, Destinations) {
  MessageBody body = base();
  body.destination_addr = "+4915112345678";  // '+' with TON 1 written anyway
  EXPECT_EQ(mapped(body).to, "+4915112345678");
  EXPECT_EQ(mapped(body).dest_addr, "+4915112345678");
  body.dest_addr_ton = 0;
  EXPECT_EQ(mapped(body).to, "+4915112345678");
  body.destination_addr = "015112345678";
  EXPECT_EQ(mapped(body).to, "015112345678");
  body.dest_addr_ton = 2;
  EXPECT_EQ(mapped(body).to, "015112345678");
  body.dest_addr_ton = 4;
  body.destination_addr = "2222";
  EXPECT_EQ(mapped(body).to, "2222");

  body.dest_addr_ton = 5;
  body.destination_addr = "Alice";
  expect_refused(body, CommandStatus::esme_rinvdstadr, "destination_addr", "TON 5");
  body.dest_addr_ton = 1;
  expect_refused(body, CommandStatus::esme_rinvdstadr, "destination_addr", "only digits");
  body.destination_addr = "49-151-123";
  expect_refused(body, CommandStatus::esme_rinvdstadr, "destination_addr", "only digits");
  body.destination_addr = "+";
  expect_refused(body, CommandStatus::esme_rinvdstadr, "destination_addr", "only digits");
  body.destination_addr = "";
  expect_refused(body, CommandStatus::esme_rinvdstadr, "destination_addr", "is empty");
  body.dest_addr_ton = 2;
  body.destination_addr = "+4915112345678";
  expect_refused(body, CommandStatus::esme_rinvdstadr, "destination_addr", "starts with '+'");
  body.dest_addr_ton = 7;
  expect_refused(body, CommandStatus::esme_rinvdstton, "dest_addr_ton", "reserved");
}

TEST(SmppSubmitFields, ScheduleAndValidity) {
  MessageBody body = base();
  body.validity_period = "000002000000000R";
  SubmitSpec spec = mapped(body);
  EXPECT_FALSE(spec.send_at.has_value());
  EXPECT_EQ(spec.validity, seconds(2 * 86400));

  // The gateway counts validity from send_at: the message still expires two days from now.
  body.schedule_delivery_time = "000000010000000R";
  spec = mapped(body);
  EXPECT_EQ(spec.send_at, kNow + hours(1));
  EXPECT_EQ(spec.validity, hours(47));

  // Absolute, Berlin winter time: 2026-12-05 10:00 +01:00 = 09:00 UTC, 70 minutes away.
  body.schedule_delivery_time = "";
  body.validity_period = "261205100000004+";
  EXPECT_EQ(mapped(body).validity, minutes(70));
  body.schedule_delivery_time = "261205100000004+";
  body.validity_period = "261205120000004+";
  spec = mapped(body);
  EXPECT_EQ(spec.send_at, sys_days{year{2026} / 12 / 5} + hours(9));
  EXPECT_EQ(spec.validity, hours(2));

  // A schedule in the past is kept; the expiry is still the validity_period's instant.
  body.schedule_delivery_time = "261205065000000+";
  body.validity_period = "261205085000000+";
  spec = mapped(body);
  EXPECT_EQ(spec.send_at, kNow - hours(1));
  EXPECT_EQ(*spec.send_at + *spec.validity, kNow + hours(1));
}

TEST(SmppSubmitFields, BadTimes) {
  MessageBody body = base();
  body.schedule_delivery_time = "261305100000004+";
  expect_refused(body, CommandStatus::esme_rinvsched, "schedule_delivery_time", "month 13");
  body.schedule_delivery_time = "";
  body.validity_period = "261205100000004X";
  expect_refused(body, CommandStatus::esme_rinvexpiry, "validity_period", "ends in 'X'");
  body.validity_period = "261205070000000+";  // 07:00 UTC, before now (07:50)
  expect_refused(body, CommandStatus::esme_rinvexpiry, "validity_period", "not in the future");
  body.validity_period = "000000000000000R";
  expect_refused(body, CommandStatus::esme_rinvexpiry, "validity_period", "not in the future");
  body.schedule_delivery_time = "000001000000000R";
  body.validity_period = "000000120000000R";
  expect_refused(body, CommandStatus::esme_rinvexpiry, "validity_period",
                 "ends before schedule_delivery_time \"000001000000000R\"");
}

TEST(SmppSubmitFields, PredefinedMessagesAreRefused) {
  MessageBody body = base();
  body.sm_default_msg_id = 3;
  expect_refused(body, CommandStatus::esme_rinvdftmsgid, "sm_default_msg_id", "predefined");
}

TEST(SmppSubmitFields, EmptyTextIsAnEmptyMessage) { EXPECT_EQ(mapped(base({})).text, ""); }

}  // namespace
}  // namespace smsgw::smpp
