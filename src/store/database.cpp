#include "database.hpp"

namespace smsgw::store::db {

std::int64_t to_millis(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

TimePoint from_millis(std::int64_t millis) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(millis)));
}

Result<void> Query::run() {
  while (true) {
    auto row = step();
    if (!row) return std::move(row).error();
    if (!*row) return {};
  }
}

Result<std::int64_t> Query::single_integer() {
  auto row = step();
  if (!row) return std::move(row).error();
  if (!*row) return make_error("store.error", "the statement returned no row");
  const std::int64_t value = integer(0);
  if (auto done = run(); !done) return done.error();
  return value;
}

std::optional<std::int64_t> Query::optional_integer(int column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

std::optional<int> Query::optional_int(int column) const {
  if (is_null(column)) return std::nullopt;
  return static_cast<int>(integer(column));
}

std::optional<double> Query::optional_real(int column) const {
  if (is_null(column)) return std::nullopt;
  return real(column);
}

std::optional<std::string> Query::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<TimePoint> Query::optional_time(int column) const {
  if (is_null(column)) return std::nullopt;
  return time(column);
}

}  // namespace smsgw::store::db
