// Fuzzes smsgw::pdu::from_hex on any string. Invariants: no crash; what it accepts comes
// back unchanged (upper-cased) through to_hex; an even-length run of hex digits is accepted.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "smsgw/pdu/pdu.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  smsgw::Result<smsgw::pdu::Bytes> bytes = smsgw::pdu::from_hex(input);

  bool all_hex_digits = true;
  std::string upper;
  for (char c : input) {
    all_hex_digits = all_hex_digits && std::isxdigit(static_cast<unsigned char>(c));
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (bytes) {
    smsgw::fuzz::require(bytes->size() * 2 == input.size(), "from_hex accepted a non-hex octet");
    smsgw::fuzz::require(smsgw::pdu::to_hex(bytes.value()) == upper,
                         "to_hex(from_hex(x)) differs from x");
  } else if (!input.empty()) {
    smsgw::fuzz::require(!(all_hex_digits && input.size() % 2 == 0),
                         "from_hex refused an even-length run of hex digits");
  }
  return 0;
}
