// TS 23.040 9.1.2.5 address fields and the user-facing address parser.
#include <cctype>

#include "fields.hpp"
#include "gsm7_alphabet.hpp"
#include "utf.hpp"

namespace smsgw::pdu {
namespace {

constexpr std::size_t kMaxDigits = 20;               // 10 octets of BCD (9.1.2.5: 12 octets in all)
constexpr std::size_t kMaxAlphanumericSeptets = 11;  // 10 octets of packed septets

// TS 23.040 9.1.2.5: Type-of-Address = 1 | TON (3 bits) | NPI (4 bits).
constexpr std::uint8_t kTonUnknown = 0, kTonInternational = 1, kTonNational = 2,
                       kTonAlphanumeric = 5;
constexpr std::uint8_t kNpiIsdn = 1;

bool has_letter(std::string_view text) {
  for (unsigned char c : text) {
    if (std::isalpha(c) || c >= 0x80) return true;
  }
  return false;
}

Error bad_address(std::string_view text, std::string_view why) {
  return make_error(ErrorCode::pdu_bad_address,
                    "address \"" + std::string(text) + "\": " + std::string(why));
}

}  // namespace

Result<Address> parse_address(std::string_view text) {
  if (text.empty()) return bad_address(text, "is empty");
  if (has_letter(text)) {
    PDU_TRY(characters, detail::decode_utf8(text));
    const detail::Gsm7Alphabet alphabet(std::nullopt, std::nullopt);
    std::size_t septets = 0;
    for (const auto& c : characters) {
      const unsigned n = alphabet.septets_for(c.value);
      if (n == 0) {
        return bad_address(text, "alphanumeric sender character " + detail::describe(c.value) +
                                     " is not in the GSM 7-bit alphabet");
      }
      septets += n;
    }
    if (septets > kMaxAlphanumericSeptets) {
      return bad_address(text, "alphanumeric addresses hold at most 11 GSM 7-bit characters");
    }
    return Address{std::string(text), Address::Type::alphanumeric};
  }
  const bool international = text.front() == '+';
  const std::string_view digits = international ? text.substr(1) : text;
  if (digits.empty()) return bad_address(text, "has no digits");
  for (char c : digits) {
    if (c < '0' || c > '9') {
      return bad_address(text,
                         std::string("character '") + c + "' is neither a digit nor a letter");
    }
  }
  if (digits.size() > kMaxDigits) {
    return bad_address(text, "has " + std::to_string(digits.size()) +
                                 " digits, more than the 20 an SMS address holds");
  }
  if (international) return Address{std::string(text), Address::Type::international};
  return Address{std::string(digits), Address::Type::unknown};
}

namespace detail {
namespace {

constexpr char kBcdDigits[] = "0123456789*#abc";

std::uint8_t type_of_address(Address::Type type) {
  switch (type) {
    case Address::Type::international:
      return 0x80 | kTonInternational << 4 | kNpiIsdn;
    case Address::Type::national:
      return 0x80 | kTonNational << 4 | kNpiIsdn;
    case Address::Type::alphanumeric:
      return 0x80 | kTonAlphanumeric << 4;
    case Address::Type::unknown:
      break;
  }
  return 0x80 | kTonUnknown << 4 | kNpiIsdn;
}

std::string_view digits_of(const Address& address) {
  std::string_view text = address.text;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  return text;
}

int bcd_value(char c) {
  for (int v = 0; v < 15; ++v) {
    if (kBcdDigits[v] == c) return v;
  }
  return 0x0F;
}

// Semi-octet BCD, low nibble first, odd counts filled with F (9.1.2.3).
Bytes bcd(std::string_view digits) {
  Bytes out;
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    const int low = bcd_value(digits[i]);
    const int high = i + 1 < digits.size() ? bcd_value(digits[i + 1]) : 0x0F;
    out.push_back(static_cast<std::uint8_t>(high << 4 | low));
  }
  return out;
}

Bytes alphanumeric_value(const Address& address, std::size_t& septet_count) {
  std::vector<std::uint8_t> septets;
  if (auto characters = decode_utf8(address.text); characters.ok()) {
    const Gsm7Alphabet alphabet(std::nullopt, std::nullopt);
    for (const auto& c : *characters) {
      if (alphabet.septets_for(c.value) != 0) alphabet.append(septets, c.value);
    }
  }
  if (septets.size() > kMaxAlphanumericSeptets) septets.resize(kMaxAlphanumericSeptets);
  septet_count = septets.size();
  return pack_septets(septets, 0);
}

std::string decode_bcd(std::span<const std::uint8_t> value, std::size_t semi_octets) {
  std::string digits;
  for (std::size_t i = 0; i < semi_octets; ++i) {
    const std::uint8_t octet = value[i / 2];
    const int nibble = (i % 2 == 0) ? (octet & 0x0F) : (octet >> 4);
    if (nibble != 0x0F) digits.push_back(kBcdDigits[nibble]);
  }
  return digits;
}

Address address_from(std::uint8_t toa, std::span<const std::uint8_t> value,
                     std::size_t semi_octets) {
  const int ton = (toa >> 4) & 0x07;
  if (ton == kTonAlphanumeric) {
    const std::size_t septets = semi_octets * 4 / 7;
    const auto codes = unpack_septets(value, 0, septets);
    return Address{Gsm7Alphabet(std::nullopt, std::nullopt).decode(codes),
                   Address::Type::alphanumeric};
  }
  std::string digits = decode_bcd(value, semi_octets);
  if (ton == kTonInternational) return Address{"+" + digits, Address::Type::international};
  if (ton == kTonNational) return Address{digits, Address::Type::national};
  return Address{digits, Address::Type::unknown};
}

}  // namespace

void append_tp_address(Bytes& out, const Address& address) {
  if (address.type == Address::Type::alphanumeric) {
    std::size_t septets = 0;
    const Bytes value = alphanumeric_value(address, septets);
    out.push_back(static_cast<std::uint8_t>((septets * 7 + 3) / 4));
    out.push_back(type_of_address(address.type));
    out.insert(out.end(), value.begin(), value.end());
    return;
  }
  const std::string_view digits = digits_of(address);
  out.push_back(static_cast<std::uint8_t>(digits.size()));
  out.push_back(type_of_address(address.type));
  const Bytes value = bcd(digits);
  out.insert(out.end(), value.begin(), value.end());
}

Result<Address> read_tp_address(OctetReader& reader, std::string_view what) {
  const std::size_t start = reader.offset();
  PDU_TRY(semi_octets, reader.octet(std::string(what) + " length"));
  if (semi_octets > kMaxDigits) {
    return error_at(start, "pdu.bad_address",
                    std::string(what) + " length " + std::to_string(semi_octets) +
                        " exceeds the 20 semi-octets an address holds");
  }
  PDU_TRY(toa, reader.octet(std::string(what) + " type of address"));
  PDU_TRY(value, reader.octets((semi_octets + 1) / 2, what));
  return address_from(toa, value, semi_octets);
}

void append_smsc_address(Bytes& out, const Address* address) {
  if (address == nullptr) {
    out.push_back(0);
    return;
  }
  const Bytes value = bcd(digits_of(*address));
  out.push_back(static_cast<std::uint8_t>(value.size() + 1));
  out.push_back(type_of_address(address->type));
  out.insert(out.end(), value.begin(), value.end());
}

Result<std::optional<Address>> read_smsc_address(OctetReader& reader) {
  PDU_TRY(length, reader.octet("SMSC length"));
  if (length == 0) return std::optional<Address>{};
  if (length > 11) {
    return error_at(0, "pdu.bad_address",
                    "SMSC length " + std::to_string(length) + " exceeds the 11 octets it may hold");
  }
  PDU_TRY(toa, reader.octet("SMSC type of address"));
  PDU_TRY(value, reader.octets(length - 1u, "SMSC address"));
  std::size_t semi_octets = value.size() * 2;
  if (!value.empty() && (value.back() >> 4) == 0x0F) --semi_octets;
  return std::optional<Address>{address_from(toa, value, semi_octets)};
}

}  // namespace detail
}  // namespace smsgw::pdu
