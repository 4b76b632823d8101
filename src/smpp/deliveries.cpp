// The deliver_sm bodies the server sends (SMPP 3.4 4.6.1): delivery receipts (Appendix B)
// and received messages. The contracts are in deliveries.hpp.
#include "smsgw/smpp/deliveries.hpp"

#include <algorithm>
#include <string_view>

#include "sm_text.hpp"
#include "smsgw/smpp/smpp_time.hpp"

namespace smsgw::smpp {
namespace {

// command.hpp: kMaxAddress (21, the NUL included) and kMaxShortMessage (254, sm_length).
constexpr std::size_t kAddressOctets = kMaxAddress - 1;
constexpr std::size_t kMaxPayload = 65535;     // 5.3.2.32: a TLV's 16-bit length
constexpr std::size_t kReceiptTextChars = 20;  // Appendix B: "first 20 characters"
constexpr std::uint8_t kEscape = 0x1B;         // TS 23.038 6.2.1

// A C-Octet String address: no NUL, at most 20 octets, not cut inside a UTF-8 character.
std::string address_field(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c != '\0') out.push_back(c);
  }
  if (out.size() <= kAddressOctets) return out;
  std::size_t cut = kAddressOctets;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  return out;
}

struct Address {
  std::string addr;
  std::uint8_t ton = 0;
  std::uint8_t npi = 0;
};

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 5.2.5 / 5.2.6: "+49..." -> TON 1 (international) NPI 1 (E.164) without '+'; digits ->
// TON 0 (unknown) NPI 1; "" -> TON 0 NPI 0; anything else -> TON 5 (alphanumeric) NPI 0.
Address address_of(std::string_view text) {
  if (text.empty()) return {"", 0, 0};
  if (text.front() == '+' && all_digits(text.substr(1))) {
    return {address_field(text.substr(1)), 1, 1};
  }
  if (all_digits(text)) return {address_field(text), 0, 1};
  return {address_field(text), 5, 0};
}

// The receipt's stat: value and message_state (5.2.28 / 5.3.2.35) for an API status.
struct ReceiptState {
  const char* stat;
  std::uint8_t message_state;
};

ReceiptState receipt_state(std::string_view status) {
  if (status == "delivered") return {"DELIVRD", 2};
  if (status == "expired") return {"EXPIRED", 3};
  if (status == "cancelled") return {"DELETED", 4};
  if (status == "failed") return {"UNDELIV", 5};
  if (status == "rejected") return {"REJECTD", 8};
  return {"UNKNOWN", 7};
}

// A character whose code is the same in the GSM 7-bit default alphabet and in ASCII, so a
// receipt reads the same whichever the ESME assumes for data_coding 0.
bool same_in_gsm_and_ascii(char32_t c) {
  if (c < 0x20 || c > 0x7A) return false;
  return std::u32string_view(U"$@[\\]^_`").find(c) == std::u32string_view::npos;
}

// Appendix B's text: the first 20 characters, line breaks and tabs as spaces, any other
// character outside the shared GSM/ASCII set as '?'.
std::string receipt_text(std::string_view utf8) {
  const std::u32string chars = detail::code_points(utf8);
  std::string out;
  for (std::size_t i = 0; i < chars.size() && i < kReceiptTextChars; ++i) {
    const char32_t c = chars[i];
    if (same_in_gsm_and_ascii(c)) {
      out.push_back(static_cast<char>(c));
    } else if (c == U'\n' || c == U'\r' || c == U'\t') {
      out.push_back(' ');
    } else {
      out.push_back('?');
    }
  }
  return out;
}

std::string three_digits(int value) {
  value = std::clamp(value, 0, 999);
  std::string out = std::to_string(value);
  return std::string(3 - out.size(), '0') + out;
}

}  // namespace

MessageBody delivery_receipt(const ReceiptFacts& facts) {
  const ReceiptState state = receipt_state(facts.status);
  const std::string text =
      "id:" + facts.message_id + " sub:001 dlvrd:" + (facts.status == "delivered" ? "001" : "000") +
      " submit date:" + receipt_date(facts.submitted_at) +
      " done date:" + receipt_date(facts.done_at) + " stat:" + state.stat +
      " err:" + three_digits(facts.error_code.value_or(0)) + " text:" + receipt_text(facts.text);
  MessageBody body;
  body.source_addr_ton = facts.dest_ton;
  body.source_addr_npi = facts.dest_npi;
  body.source_addr = address_field(facts.dest_addr);
  body.dest_addr_ton = facts.source_ton;
  body.dest_addr_npi = facts.source_npi;
  body.destination_addr = address_field(facts.source_addr);
  body.esm_class = 0x04;  // 5.2.12: SMSC delivery receipt
  body.data_coding = 0;
  body.short_message.assign(text.begin(), text.end());
  body.tlvs.set_receipted_message_id(facts.message_id);
  body.tlvs.set_message_state(state.message_state);
  return body;
}

MessageBody inbound_deliver(const InboundFacts& facts) {
  MessageBody body;
  const Address from = address_of(facts.from);
  body.source_addr_ton = from.ton;
  body.source_addr_npi = from.npi;
  body.source_addr = from.addr;
  const Address to = address_of(facts.to);
  body.dest_addr_ton = to.ton;
  body.dest_addr_npi = to.npi;
  body.destination_addr = to.addr;
  body.esm_class = 0;

  const std::u32string chars = detail::code_points(facts.text);
  Bytes octets;
  if (auto septets = detail::gsm7_septets(chars)) {
    body.data_coding = 0;
    octets = std::move(*septets);
    if (octets.size() > kMaxPayload) {
      octets.resize(kMaxPayload);
      if (octets.back() == kEscape) octets.pop_back();  // never split an escape pair
    }
  } else {
    body.data_coding = 8;
    octets = detail::utf16be(chars);
    if (octets.size() > kMaxPayload) {
      octets.resize(kMaxPayload - 1);  // whole code units
      const unsigned last = (octets[octets.size() - 2] << 8) | octets.back();
      if (last >= 0xD800 && last <= 0xDBFF) octets.resize(octets.size() - 2);
    }
  }
  if (octets.size() > kMaxShortMessage) {
    body.tlvs.set_message_payload(std::move(octets));  // 5.3.2.32: sm_length stays 0
  } else {
    body.short_message = std::move(octets);
  }
  return body;
}

}  // namespace smsgw::smpp
