// A thin RAII layer over the SQLite C API for the store: a connection that caches its
// prepared statements, and a Query that binds, steps and resets one of them.
//
// Contract: every failure is an Error (codes as in store.hpp: "unavailable" for busy,
// locked, full and I/O errors, "conflict" for constraint violations, "store.error" else).
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "smsgw/common/result.hpp"
#include "smsgw/store/records.hpp"

namespace smsgw::store::sqlite {

// Milliseconds since the Unix epoch, the store's time column format.
std::int64_t to_millis(TimePoint time);
TimePoint from_millis(std::int64_t millis);

// Maps an SQLite result code and message to an Error.
Error make_sqlite_error(int code, std::string_view what, std::string_view detail);

class Query {
 public:
  Query(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Binds 1-based parameter `index`.
  Query& bind(int index, std::int64_t value);
  Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, double value);
  Query& bind(int index, std::string_view value);
  Query& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, TimePoint value) { return bind(index, to_millis(value)); }
  Query& bind(int index, std::nullopt_t);
  template <class T>
  Query& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
  }
  // Binds every argument in order from parameter 1.
  template <class... Args>
  Query& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Steps once: true when a row is available, false when done.
  Result<bool> step();
  // Steps until done (for statements that return no rows).
  Result<void> run();

  bool is_null(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  TimePoint time(int column) const { return from_millis(integer(column)); }
  std::optional<std::int64_t> optional_integer(int column) const;
  std::optional<int> optional_int(int column) const;
  std::optional<double> optional_real(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<TimePoint> optional_time(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
  int bind_error_ = SQLITE_OK;
};

// The database holds every message text (one-time codes among them). Creates the file at
// `path` mode 0600 whatever the umask, and cuts an existing file, -wal, -shm or -journal
// that others may read back to 0600 (0640 stays: a service group). SQLite creates -wal and
// -shm with the database file's mode (os_unix.c, robust_open), so they follow it.
// ":memory:" and "file:" URIs are left alone.
Result<void> restrict_to_owner(const std::filesystem::path& path);

class Connection {
 public:
  static Result<std::unique_ptr<Connection>> open(const std::filesystem::path& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without results (schema, pragmas, BEGIN/COMMIT).
  Result<void> exec(std::string_view sql);
  // A cached prepared statement for `sql` (a string literal: it keys the cache by address).
  Result<std::unique_ptr<Query>> query(const char* sql);
  // Rows changed by the last statement.
  std::int64_t changes() const;
  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

}  // namespace smsgw::store::sqlite
