#include "smsgw/scheduler/time_zone.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <vector>

namespace smsgw::scheduler {
namespace {

struct Transitions {
  std::vector<std::int64_t> at;         // Unix seconds, ascending
  std::vector<std::int32_t> offset_of;  // UTC offset (s) in force from at[i]
  std::int32_t before_first = 0;        // local time type 0
};

class Bytes {
 public:
  explicit Bytes(std::span<const unsigned char> bytes) : bytes_(bytes) {}
  [[nodiscard]] bool has(std::size_t n) const { return bytes_.size() - pos_ >= n; }
  std::int64_t big_endian(std::size_t width) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) value = (value << 8) | bytes_[pos_ + i];
    pos_ += width;
    if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
    return static_cast<std::int64_t>(value);
  }
  std::uint8_t byte() { return bytes_[pos_++]; }
  void skip(std::size_t n) { pos_ += n; }
  [[nodiscard]] std::size_t position() const { return pos_; }

 private:
  std::span<const unsigned char> bytes_;
  std::size_t pos_ = 0;
};

struct Header {
  char version = 0;
  std::uint32_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

// RFC 8536 3.1: "TZif", version, 15 unused octets, six 32-bit counts.
Result<Header> read_header(Bytes& in) {
  if (!in.has(44)) return make_error("tz.truncated", "shorter than a TZif header");
  const char magic[4] = {static_cast<char>(in.byte()), static_cast<char>(in.byte()),
                         static_cast<char>(in.byte()), static_cast<char>(in.byte())};
  if (std::string_view(magic, 4) != "TZif") {
    return make_error("tz.format", "not a TZif file (no \"TZif\" magic)");
  }
  Header h;
  h.version = static_cast<char>(in.byte());
  in.skip(15);
  h.isut = static_cast<std::uint32_t>(in.big_endian(4));
  h.isstd = static_cast<std::uint32_t>(in.big_endian(4));
  h.leap = static_cast<std::uint32_t>(in.big_endian(4));
  h.time = static_cast<std::uint32_t>(in.big_endian(4));
  h.type = static_cast<std::uint32_t>(in.big_endian(4));
  h.chars = static_cast<std::uint32_t>(in.big_endian(4));
  if (h.type == 0) return make_error("tz.format", "no local time types");
  return h;
}

// RFC 8536 3.2: the data block, with `width`-octet times (4 in version 1, else 8).
Result<Transitions> read_block(Bytes& in, const Header& h, std::size_t width) {
  const std::size_t size =
      h.time * width + h.time + h.type * 6 + h.chars + h.leap * (width + 4) + h.isstd + h.isut;
  if (!in.has(size)) return make_error("tz.truncated", "the data block is cut short");
  Transitions t;
  t.at.reserve(h.time);
  for (std::uint32_t i = 0; i < h.time; ++i) t.at.push_back(in.big_endian(width));
  std::vector<std::uint8_t> type_of(h.time);
  for (auto& type : type_of) type = in.byte();
  std::vector<std::int32_t> offsets(h.type);
  for (auto& offset : offsets) {
    offset = static_cast<std::int32_t>(in.big_endian(4));
    in.skip(2);  // isdst, desigidx
  }
  in.skip(h.chars + h.leap * (width + 4) + h.isstd + h.isut);
  for (const auto type : type_of) {
    if (type >= h.type) return make_error("tz.format", "a transition names a missing type");
    t.offset_of.push_back(offsets[type]);
  }
  if (!std::is_sorted(t.at.begin(), t.at.end())) {
    return make_error("tz.format", "transition times are not ascending");
  }
  t.before_first = offsets[0];
  return t;
}

LocalCalendar calendar_of(Transitions t) {
  auto shared = std::make_shared<const Transitions>(std::move(t));
  return LocalCalendar::from_offset_function([shared](TimePoint instant) {
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(instant.time_since_epoch()).count();
    const auto& at = shared->at;
    const auto next = std::upper_bound(at.begin(), at.end(), seconds);
    const std::int32_t offset =
        next == at.begin()
            ? shared->before_first
            : shared->offset_of[static_cast<std::size_t>(std::distance(at.begin(), next) - 1)];
    return std::chrono::minutes(offset / 60);
  });
}

Result<LocalCalendar> load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("tz.io", path + ": cannot be read");
  const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                         std::istreambuf_iterator<char>());
  auto calendar = parse_tzif(bytes);
  if (!calendar) return make_error(calendar.error().code, path + ": " + calendar.error().message);
  return calendar;
}

}  // namespace

Result<LocalCalendar> parse_tzif(std::span<const unsigned char> bytes) {
  Bytes in(bytes);
  auto first = read_header(in);
  if (!first) return first.error();
  auto v1 = read_block(in, *first, 4);
  if (!v1) return v1.error();
  if (first->version == 0) return calendar_of(std::move(*v1));
  // Version 2 and later: a second header and block with 64-bit times (RFC 8536 3.3).
  auto second = read_header(in);
  if (!second) return second.error();
  auto v2 = read_block(in, *second, 8);
  if (!v2) return v2.error();
  return calendar_of(std::move(*v2));
}

Result<LocalCalendar> load_time_zone(std::string_view name) {
  const char* dir_env = std::getenv("TZDIR");
  const std::string dir = dir_env != nullptr && *dir_env != 0 ? dir_env : "/usr/share/zoneinfo";
  if (!name.empty()) return load_file(dir + "/" + std::string(name));
  if (const char* tz = std::getenv("TZ"); tz != nullptr && *tz != 0) {
    std::string_view zone = tz;
    if (zone.front() == ':') zone.remove_prefix(1);
    const std::string path =
        zone.starts_with("/") ? std::string(zone) : dir + "/" + std::string(zone);
    if (auto calendar = load_file(path); calendar) return calendar;
  }
  if (auto calendar = load_file("/etc/localtime"); calendar) return calendar;
  return LocalCalendar();
}

}  // namespace smsgw::scheduler
