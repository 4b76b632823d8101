// The decoders never crash or read out of bounds, on any input, and every error names
// the octet where decoding stopped.
#include <gtest/gtest.h>

#include <random>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu {
namespace {

void expect_error_names_an_octet(const Result<Decoded>& decoded, const std::string& hex) {
  if (decoded.ok()) return;
  EXPECT_EQ(decoded.error().code.rfind("pdu.", 0), 0u) << hex;
  EXPECT_EQ(decoded.error().message.rfind("octet ", 0), 0u)
      << hex << " -> " << decoded.error().message;
}

std::vector<std::string> valid_pdus() {
  std::vector<std::string> pdus = {
      "079119890400202306400C91197909913764511090718384225110907183252200",
      "07917248014000F506B70AA18092020000317071518590803170715185418000",
      "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37",
      "0011000B916407281553F80000AA0AE8329BFD4697D9EC37",
      "00062A0491947142109071838422421090718385220007000804004F004B",
  };
  SubmitOptions options;
  options.national_languages = {NationalLanguage::turkish};
  options.validity = std::chrono::hours(1);
  for (const char* text : {"\u015Eehir \u0131\u015F\u0131k", "\U0001F600 smile", "[x]"}) {
    auto encoded = encode_submit("+4912345", std::string(text) + std::string(150, 'z'), options);
    for (const auto& part : encoded->parts) pdus.push_back(part.pdu);
  }
  DeliverOptions deliver;
  deliver.smsc = "+4917";
  auto delivered = encode_deliver("Sender", std::string(200, 'q'), deliver);
  for (const auto& pdu : *delivered) pdus.push_back(pdu);
  return pdus;
}

TEST(Robustness, EveryTruncationIsAnErrorAtAnOctet) {
  for (const auto& pdu : valid_pdus()) {
    ASSERT_TRUE(decode(pdu).ok()) << pdu;
    for (std::size_t digits = 0; digits < pdu.size(); digits += 2) {
      const std::string prefix = pdu.substr(0, digits);
      auto decoded = decode(prefix);
      expect_error_names_an_octet(decoded, prefix);
      if (decoded.ok()) {
        // Only a status report may end early: right after TP-ST (its optional part).
        EXPECT_EQ(decoded->type(), MessageType::status_report) << prefix;
      }
    }
  }
}

TEST(Robustness, RandomOctetsNeverCrash) {
  std::mt19937 random(20240601);
  std::uniform_int_distribution<int> octet(0, 255);
  std::uniform_int_distribution<int> length(0, 180);
  for (int i = 0; i < 20000; ++i) {
    Bytes bytes(static_cast<std::size_t>(length(random)));
    for (auto& b : bytes) b = static_cast<std::uint8_t>(octet(random));
    // Bias towards plausible PDUs: a small SMSC field and a valid MTI now and then.
    if (!bytes.empty() && i % 2 == 0) bytes[0] = static_cast<std::uint8_t>(bytes[0] % 12);
    const std::string hex = to_hex(bytes);
    expect_error_names_an_octet(decode(hex), hex);
  }
}

TEST(Robustness, MutatedValidPdusNeverCrash) {
  std::mt19937 random(7);
  const auto pdus = valid_pdus();
  for (int i = 0; i < 20000; ++i) {
    Bytes bytes = *from_hex(pdus[random() % pdus.size()]);
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int f = 0; f < flips; ++f) {
      bytes[random() % bytes.size()] = static_cast<std::uint8_t>(random());
    }
    if (random() % 4 == 0) bytes.resize(random() % (bytes.size() + 1));
    const std::string hex = to_hex(bytes);
    expect_error_names_an_octet(decode(hex), hex);
  }
}

TEST(Robustness, BadHexAndWhitespace) {
  for (const char* hex : {"", "0", "0G", "00 11", "zz", "\xFF\xFF"}) {
    auto decoded = decode(hex);
    ASSERT_FALSE(decoded.ok()) << hex;
    EXPECT_EQ(decoded.error().message.rfind("octet ", 0), 0u) << decoded.error().message;
  }
  auto trimmed = decode(" 0011000B916407281553F80000AA0AE8329BFD4697D9EC37\r\n");
  EXPECT_TRUE(trimmed.ok());
  auto reserved = decode("0003");
  ASSERT_FALSE(reserved.ok());
  EXPECT_EQ(reserved.error().code, "pdu.bad_mti");
  EXPECT_EQ(reserved.error().message.rfind("octet 1:", 0), 0u);
}

TEST(Robustness, UserDataLengthBeyondTheLimits) {
  // GSM 7-bit UDL 161 septets; UCS2 UDL 141 octets.
  auto gsm7 = decode("0004038121F3000042109071838422A1" + std::string(2 * 141, '0'));
  ASSERT_FALSE(gsm7.ok());
  EXPECT_EQ(gsm7.error().code, "pdu.bad_length");
  EXPECT_EQ(gsm7.error().message.rfind("octet 15:", 0), 0u) << gsm7.error().message;
  auto ucs2 = decode(
      "0004038121F3000842109071838422"
      "8D" +
      std::string(2 * 141, '0'));
  ASSERT_FALSE(ucs2.ok());
  EXPECT_EQ(ucs2.error().code, "pdu.bad_length");
}

TEST(Robustness, TimestampWithNonDecimalDigitsIsAnError) {
  auto decoded = decode(
      "0004038121F300004A109071838422"
      "00");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "pdu.bad_timestamp");
  EXPECT_EQ(decoded.error().message.rfind("octet 8:", 0), 0u) << decoded.error().message;
}

}  // namespace
}  // namespace smsgw::pdu
