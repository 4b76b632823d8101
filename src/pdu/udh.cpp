#include "udh.hpp"

#include "octet_reader.hpp"

namespace smsgw::pdu::detail {
namespace {

std::optional<NationalLanguage> language_from_id(std::uint8_t id) {
  switch (id) {
    case static_cast<std::uint8_t>(NationalLanguage::turkish):
      return NationalLanguage::turkish;
    case static_cast<std::uint8_t>(NationalLanguage::spanish):
      return NationalLanguage::spanish;
    case static_cast<std::uint8_t>(NationalLanguage::portuguese):
      return NationalLanguage::portuguese;
    default:
      return std::nullopt;
  }
}

std::optional<Concat> concat_if_valid(unsigned ref, unsigned total, unsigned part) {
  if (total == 0 || part == 0 || part > total) return std::nullopt;
  return Concat{ref, part, total};
}

}  // namespace

Bytes build_udh(const std::optional<Concat>& concat, std::optional<NationalLanguage> single_shift,
                std::optional<NationalLanguage> locking_shift) {
  Bytes udh;
  if (concat) {
    udh.insert(udh.end(),
               {kIeConcat8, 3, static_cast<std::uint8_t>(concat->ref & 0xFF),
                static_cast<std::uint8_t>(concat->total), static_cast<std::uint8_t>(concat->part)});
  }
  if (single_shift)
    udh.insert(udh.end(), {kIeSingleShift, 1, static_cast<std::uint8_t>(*single_shift)});
  if (locking_shift) {
    udh.insert(udh.end(), {kIeLockingShift, 1, static_cast<std::uint8_t>(*locking_shift)});
  }
  return udh;
}

std::size_t udh_octets_with_length(bool concat, bool single_shift, bool locking_shift) {
  const std::size_t ies = (concat ? 5 : 0) + (single_shift ? 3 : 0) + (locking_shift ? 3 : 0);
  return ies == 0 ? 0 : ies + 1;
}

Result<HeaderInfo> parse_udh(std::span<const std::uint8_t> udh, std::size_t offset) {
  HeaderInfo info;
  std::size_t i = 0;
  while (i < udh.size()) {
    if (i + 2 > udh.size()) {
      return error_at(offset + i, "pdu.bad_udh", "information element header runs past the UDH");
    }
    const std::uint8_t iei = udh[i];
    const std::size_t length = udh[i + 1];
    if (i + 2 + length > udh.size()) {
      return error_at(offset + i, "pdu.bad_udh",
                      "information element 0x" + to_hex(Bytes{iei}) + " of length " +
                          std::to_string(length) + " runs past the UDH");
    }
    const auto data = udh.subspan(i + 2, length);
    if (iei == kIeConcat8 && length == 3) {
      info.concat = concat_if_valid(data[0], data[1], data[2]);
    } else if (iei == kIeConcat16 && length == 4) {
      info.concat =
          concat_if_valid(static_cast<unsigned>(data[0] << 8 | data[1]), data[2], data[3]);
    } else if (iei == kIeSingleShift && length == 1) {
      info.single_shift = language_from_id(data[0]);
    } else if (iei == kIeLockingShift && length == 1) {
      info.locking_shift = language_from_id(data[0]);
    }
    i += 2 + length;
  }
  return info;
}

}  // namespace smsgw::pdu::detail
