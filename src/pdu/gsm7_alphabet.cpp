#include "gsm7_alphabet.hpp"

#include "utf.hpp"

namespace smsgw::pdu::detail {

Gsm7Alphabet::Gsm7Alphabet(std::optional<NationalLanguage> locking,
                           std::optional<NationalLanguage> single)
    : locking_(locking_table(locking)), single_(single_shift_table(single)) {
  if (locking_ == nullptr) locking_ = locking_table(std::nullopt);
  if (single_ == nullptr) single_ = single_shift_table(std::nullopt);
}

unsigned Gsm7Alphabet::septets_for(char32_t character) const {
  if (locking_->from_unicode.contains(character)) return 1;
  if (single_->from_unicode.contains(character)) return 2;
  return 0;
}

void Gsm7Alphabet::append(std::vector<std::uint8_t>& septets, char32_t character) const {
  if (auto found = locking_->from_unicode.find(character); found != locking_->from_unicode.end()) {
    septets.push_back(found->second);
    return;
  }
  if (auto found = single_->from_unicode.find(character); found != single_->from_unicode.end()) {
    septets.push_back(kEscape);
    septets.push_back(found->second);
  }
}

std::string Gsm7Alphabet::decode(std::span<const std::uint8_t> septets) const {
  std::string out;
  out.reserve(septets.size());
  for (std::size_t i = 0; i < septets.size(); ++i) {
    const std::uint8_t code = septets[i] & 0x7F;
    if (code != kEscape) {
      append_utf8(out, locking_->to_unicode[code]);
      continue;
    }
    if (i + 1 == septets.size()) {
      out.push_back(' ');
      continue;
    }
    const std::uint8_t shifted = septets[++i] & 0x7F;
    if (shifted == kEscape) {
      out.push_back(' ');
    } else if (const char32_t c = single_->to_unicode[shifted]; c != 0) {
      append_utf8(out, c);
    } else {
      append_utf8(out, locking_->to_unicode[shifted]);
    }
  }
  return out;
}

std::vector<std::uint8_t> pack_septets(std::span<const std::uint8_t> septets, std::size_t skip) {
  std::vector<std::uint8_t> out(packed_octets(skip + septets.size()), 0);
  for (std::size_t i = 0; i < septets.size(); ++i) {
    const std::size_t bit = (skip + i) * 7;
    const std::size_t octet = bit / 8;
    const unsigned shift = bit % 8;
    const unsigned value = septets[i] & 0x7Fu;
    out[octet] = static_cast<std::uint8_t>(out[octet] | (value << shift));
    if (shift > 1)
      out[octet + 1] = static_cast<std::uint8_t>(out[octet + 1] | (value >> (8 - shift)));
  }
  return out;
}

std::vector<std::uint8_t> unpack_septets(std::span<const std::uint8_t> octets, std::size_t first,
                                         std::size_t count) {
  std::vector<std::uint8_t> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t bit = (first + i) * 7;
    const std::size_t octet = bit / 8;
    const unsigned shift = bit % 8;
    unsigned value = octets[octet] >> shift;
    if (shift > 1) value |= static_cast<unsigned>(octets[octet + 1]) << (8 - shift);
    out.push_back(static_cast<std::uint8_t>(value & 0x7F));
  }
  return out;
}

}  // namespace smsgw::pdu::detail
