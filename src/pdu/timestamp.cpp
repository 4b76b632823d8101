// TS 23.040 9.2.3.11 (TP-SCTS) and 9.2.3.12.1 (TP-VP relative format).
#include <cstdio>
#include <cstdlib>

#include "fields.hpp"

namespace smsgw::pdu {

std::string Timestamp::iso8601() const {
  const int offset_minutes = std::abs(tz_quarter_hours) * 15;
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", year, month, day,
                hour, minute, second, tz_quarter_hours < 0 ? '-' : '+', offset_minutes / 60,
                offset_minutes % 60);
  return text;
}

namespace detail {
namespace {

// Two decimal digits, semi-octets swapped: "15" is stored as 0x51.
std::uint8_t swapped_bcd(int value) {
  const int v = ((value % 100) + 100) % 100;
  return static_cast<std::uint8_t>((v % 10) << 4 | (v / 10));
}

}  // namespace

void append_timestamp(Bytes& out, const Timestamp& t) {
  out.push_back(swapped_bcd(t.year));
  out.push_back(swapped_bcd(t.month));
  out.push_back(swapped_bcd(t.day));
  out.push_back(swapped_bcd(t.hour));
  out.push_back(swapped_bcd(t.minute));
  out.push_back(swapped_bcd(t.second));
  // The time zone: quarters of an hour, bit 3 of the octet (the tens semi-octet) the sign.
  const int quarters = std::abs(t.tz_quarter_hours) % 80;
  std::uint8_t zone = swapped_bcd(quarters);
  if (t.tz_quarter_hours < 0) zone |= 0x08;
  out.push_back(zone);
}

Result<Timestamp> read_timestamp(OctetReader& reader, std::string_view what) {
  const std::size_t start = reader.offset();
  PDU_TRY(octets, reader.octets(7, what));
  int fields[7] = {};
  for (std::size_t i = 0; i < 7; ++i) {
    const int tens = octets[i] & (i == 6 ? 0x07 : 0x0F);
    const int units = octets[i] >> 4;
    if (tens > 9 || units > 9) {
      return error_at(start + i, "pdu.bad_timestamp",
                      std::string(what) + " has a semi-octet that is not a decimal digit");
    }
    fields[i] = tens * 10 + units;
  }
  Timestamp t;
  t.year = 2000 + fields[0];
  t.month = fields[1];
  t.day = fields[2];
  t.hour = fields[3];
  t.minute = fields[4];
  t.second = fields[5];
  t.tz_quarter_hours = (octets[6] & 0x08) ? -fields[6] : fields[6];
  return t;
}

std::uint8_t relative_validity_octet(std::chrono::seconds validity) {
  using namespace std::chrono;
  const long long secs = validity.count() < 0 ? 0 : validity.count();
  const long long minutes = (secs + 59) / 60;
  auto up = [](long long value, long long step) { return (value + step - 1) / step; };
  if (minutes <= 12 * 60) {
    // 0..143: (n + 1) * 5 minutes.
    const long long n = up(minutes, 5) - 1;
    return static_cast<std::uint8_t>(n < 0 ? 0 : n);
  }
  if (minutes <= 24 * 60) {
    // 144..167: 12 hours + (n - 143) * 30 minutes.
    return static_cast<std::uint8_t>(143 + up(minutes - 12 * 60, 30));
  }
  if (minutes <= 30LL * 24 * 60) {
    // 168..196: (n - 166) days.
    return static_cast<std::uint8_t>(166 + up(minutes, 24 * 60));
  }
  // 197..255: (n - 192) weeks.
  const long long weeks = up(minutes, 7LL * 24 * 60);
  return static_cast<std::uint8_t>(weeks >= 63 ? 255 : 192 + weeks);
}

std::chrono::seconds relative_validity_period(std::uint8_t n) {
  using namespace std::chrono;
  if (n <= 143) return minutes((n + 1) * 5);
  if (n <= 167) return hours(12) + minutes((n - 143) * 30);
  if (n <= 196) return hours(24 * (n - 166));
  return hours(24 * 7 * (n - 192));
}

}  // namespace detail
}  // namespace smsgw::pdu
