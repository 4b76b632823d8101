// The store's view of a database engine: a connection that caches prepared statements and
// a Query that binds, steps and reads one of them. Two engines implement it: SQLite
// (sqlite.hpp, the embedded default) and PostgreSQL (postgres.hpp, [store] url, several
// nodes on one database). Private to the store module.
//
// Contract (both engines):
// - SQL is written once, in the dialect both engines accept: parameters `?` or `?NNN`
//   (SQLite's numbering; the PostgreSQL connection rewrites them to `$N`, dialect.hpp),
//   `ON CONFLICT ... DO ...`, `RETURNING`, COALESCE, CASE. What cannot be shared (SQLite's
//   INDEXED BY hints, its two-argument scalar MAX) is rewritten by dialect.hpp's table.
// - Every failure is an Error: "unavailable" (busy, locked, full, I/O, connection lost:
//   try again later), "conflict" (a constraint violation), "store.error" (anything else).
// - Integer and time columns read as 64-bit integers; a boolean result reads as 0 or 1.
// - begin_write() opens the transaction every write runs in. Writers are serialised: on
//   SQLite by its single-writer lock (BEGIN IMMEDIATE), on PostgreSQL by one transaction-
//   scoped advisory lock that every node takes first, so a body that reads, checks the
//   transition table and writes sees no other writer in between, whichever node it is on.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "smsgw/common/result.hpp"
#include "smsgw/store/records.hpp"

namespace smsgw::store::db {

enum class Engine { sqlite, postgres };

// Milliseconds since the Unix epoch, the store's time column format.
std::int64_t to_millis(TimePoint time);
TimePoint from_millis(std::int64_t millis);

// The type of a NULL parameter, from the C++ type of the optional it came from: SQLite
// needs none; PostgreSQL needs one where the statement gives none (`?1 IS NULL OR ...`).
enum class NullType { unknown, integer, real, text };

template <class T>
constexpr NullType null_type_of() {
  if constexpr (std::is_same_v<T, double>) {
    return NullType::real;
  } else if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, TimePoint>) {
    return NullType::integer;
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return NullType::text;
  } else {
    return NullType::unknown;
  }
}

class Query {
 public:
  virtual ~Query() = default;

  // Binds 1-based parameter `index`.
  virtual Query& bind(int index, std::int64_t value) = 0;
  virtual Query& bind(int index, double value) = 0;
  virtual Query& bind(int index, std::string_view value) = 0;
  // A NULL of type `type`.
  virtual Query& bind_null(int index, NullType type) = 0;
  Query& bind(int index, std::nullopt_t) { return bind_null(index, NullType::unknown); }
  Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, TimePoint value) { return bind(index, to_millis(value)); }
  template <class T>
  Query& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index, null_type_of<T>());
  }
  // Binds every argument in order from parameter 1.
  template <class... Args>
  Query& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Steps once: true when a row is available, false when done.
  virtual Result<bool> step() = 0;
  // Steps until done (for statements that return no rows).
  Result<void> run();
  // run() for a write whose answer nobody needs at once (INSERT, UPDATE or DELETE without
  // RETURNING, SAVEPOINT). Inside a transaction the PostgreSQL engine sends it without
  // waiting for its answer (libpq 34.5, pipeline mode): a failure is reported by the next
  // call on the connection that waits for one (a read, run(), exec(), changes(): RELEASE
  // and COMMIT among them), so a transaction or savepoint never ends on a write whose
  // outcome was not seen. SQLite runs it at once.
  virtual Result<void> send() { return run(); }
  // The first column of the one row the statement returns (e.g. INSERT ... RETURNING id),
  // then steps until done; "store.error" when it returns no row.
  Result<std::int64_t> single_integer();

  virtual bool is_null(int column) const = 0;
  virtual std::int64_t integer(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual std::string text(int column) const = 0;
  TimePoint time(int column) const { return from_millis(integer(column)); }
  std::optional<std::int64_t> optional_integer(int column) const;
  std::optional<int> optional_int(int column) const;
  std::optional<double> optional_real(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<TimePoint> optional_time(int column) const;
};

class Connection {
 public:
  virtual ~Connection() = default;

  virtual Engine engine() const = 0;
  // Runs one or more statements without parameters or results (schema, BEGIN/COMMIT).
  virtual Result<void> exec(std::string_view sql) = 0;
  // A cached prepared statement for `sql` (a string literal: it keys the cache by address).
  virtual Result<std::unique_ptr<Query>> query(const char* sql) = 0;
  // Rows changed by the last statement run through this connection.
  virtual std::int64_t changes() = 0;
  // Opens the transaction a write runs in (see the header comment).
  virtual Result<void> begin_write() = 0;
  // Waits for the answers of the statements sent ahead (Query::send) and returns the first
  // failure among them; SQLite has none waiting.
  virtual Result<void> wait_sent() { return {}; }
};

}  // namespace smsgw::store::db
