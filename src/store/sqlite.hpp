// The SQLite engine of the store (database.hpp): a connection that caches its prepared
// statements, and a Query that binds, steps and resets one of them.
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

#include "database.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/store/records.hpp"

namespace smsgw::store::sqlite {

// Maps an SQLite result code and message to an Error.
Error make_sqlite_error(int code, std::string_view what, std::string_view detail);

class Query final : public db::Query {
 public:
  Query(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  ~Query() override;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  using db::Query::bind;
  db::Query& bind(int index, std::int64_t value) override;
  db::Query& bind(int index, double value) override;
  db::Query& bind(int index, std::string_view value) override;
  db::Query& bind_null(int index, db::NullType type) override;
  Result<bool> step() override;
  bool is_null(int column) const override;
  std::int64_t integer(int column) const override;
  double real(int column) const override;
  std::string text(int column) const override;

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

class Connection final : public db::Connection {
 public:
  static Result<std::unique_ptr<Connection>> open(const std::filesystem::path& path);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  db::Engine engine() const override { return db::Engine::sqlite; }
  Result<void> exec(std::string_view sql) override;
  Result<std::unique_ptr<db::Query>> query(const char* sql) override;
  std::int64_t changes() override;
  // BEGIN IMMEDIATE: SQLite's write lock at once, so no other writer comes between.
  Result<void> begin_write() override { return exec("BEGIN IMMEDIATE"); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

}  // namespace smsgw::store::sqlite
