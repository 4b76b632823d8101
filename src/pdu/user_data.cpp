#include "user_data.hpp"

#include "gsm7_alphabet.hpp"
#include "segmentation.hpp"
#include "udh.hpp"
#include "utf.hpp"

namespace smsgw::pdu::detail {

DataCoding interpret_dcs(std::uint8_t dcs) {
  DataCoding coding;
  const unsigned group = dcs >> 4;
  if (group <= 0x7) {
    // 00xx general data coding, 01xx the same with automatic deletion.
    const bool compressed = dcs & 0x20;
    switch ((dcs >> 2) & 0x03) {
      case 1:
        coding.encoding = Encoding::eight_bit;
        break;
      case 2:
        coding.encoding = Encoding::ucs2;
        break;
      default:
        coding.encoding = Encoding::gsm7;
        break;
    }
    if (compressed) coding.encoding = Encoding::eight_bit;
    if (dcs & 0x10) coding.message_class = dcs & 0x03;
  } else if (group == 0xC || group == 0xD) {
    coding.encoding = Encoding::gsm7;  // message waiting indication, discard / store
  } else if (group == 0xE) {
    coding.encoding = Encoding::ucs2;  // message waiting indication, store, UCS2
  } else if (group == 0xF) {
    coding.encoding = (dcs & 0x04) ? Encoding::eight_bit : Encoding::gsm7;
    coding.message_class = dcs & 0x03;
  }
  return coding;
}

std::uint8_t make_dcs(Encoding encoding, std::optional<int> message_class) {
  std::uint8_t dcs = 0x00;
  if (encoding == Encoding::eight_bit) dcs = 0x04;
  if (encoding == Encoding::ucs2) dcs = 0x08;
  if (message_class) dcs = static_cast<std::uint8_t>(dcs | 0x10 | (*message_class & 0x03));
  return dcs;
}

Result<UserData> read_user_data(OctetReader& reader, std::uint8_t dcs, bool has_header) {
  const DataCoding coding = interpret_dcs(dcs);
  UserData ud;
  ud.encoding = coding.encoding;
  ud.message_class = coding.message_class;

  const std::size_t udl_offset = reader.offset();
  PDU_TRY(udl, reader.octet("TP-UDL"));
  const bool septets = coding.encoding == Encoding::gsm7;
  const std::size_t limit = septets ? kMaxSeptets : kMaxOctets;
  if (udl > limit) {
    return error_at(udl_offset, "pdu.bad_length",
                    "user data length " + std::to_string(udl) + " exceeds " +
                        std::to_string(limit) + (septets ? " septets" : " octets"));
  }
  const std::size_t octet_count = septets ? packed_octets(udl) : udl;
  const std::size_t data_offset = reader.offset();
  if (octet_count > reader.remaining()) {
    return error_at(data_offset, "pdu.truncated",
                    "user data length " + std::to_string(udl) + " needs " +
                        std::to_string(octet_count) + " octets but only " +
                        std::to_string(reader.remaining()) + " remain");
  }
  PDU_TRY(data, reader.octets(octet_count, "TP-UD"));

  std::size_t header_octets = 0;  // UDHL included
  HeaderInfo info;
  if (has_header) {
    if (data.empty()) {
      return error_at(data_offset, "pdu.bad_udh", "TP-UDHI is set but the user data is empty");
    }
    header_octets = std::size_t{data[0]} + 1;
    const std::size_t header_units = septets ? udh_septets(header_octets) : header_octets;
    if (header_octets > data.size() || header_units > udl) {
      return error_at(data_offset, "pdu.bad_udh",
                      "user data header length " + std::to_string(data[0]) +
                          " exceeds the user data length " + std::to_string(udl));
    }
    const auto udh = data.subspan(1, header_octets - 1);
    PDU_TRY(parsed, parse_udh(udh, data_offset + 1));
    info = parsed;
    ud.udh = Bytes(udh.begin(), udh.end());
    ud.concat = info.concat;
    ud.single_shift = info.single_shift;
    ud.locking_shift = info.locking_shift;
  }

  switch (coding.encoding) {
    case Encoding::gsm7: {
      const std::size_t skip = has_header ? udh_septets(header_octets) : 0;
      const auto codes = unpack_septets(data, skip, udl - skip);
      ud.text = Gsm7Alphabet(info.locking_shift, info.single_shift).decode(codes);
      break;
    }
    case Encoding::ucs2:
      ud.text = utf16be_to_utf8(data.subspan(header_octets));
      break;
    case Encoding::eight_bit: {
      const auto body = data.subspan(header_octets);
      ud.data.assign(body.begin(), body.end());
      break;
    }
  }
  return ud;
}

}  // namespace smsgw::pdu::detail
