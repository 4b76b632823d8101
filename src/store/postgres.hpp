// The PostgreSQL engine of the store (database.hpp, design decisions 1-6): one libpq
// connection that caches its prepared statements, and a Query that binds, runs and walks
// the rows of one of them.
//
// Contract:
// - SQL is the store's shared dialect, rewritten once per statement by dialect.hpp.
// - Parameters go as text with explicit type OIDs (int8, float8, text; null as unknown);
//   results come back as text (libpq 34.3.1, PQexecPrepared with resultFormat 0).
// - Errors (SQLSTATE, PostgreSQL docs Appendix A): class 23 -> "conflict"; class 08, 53,
//   57P01..57P03, 40001, 40P01, 55P03 and a lost connection -> "unavailable"; anything
//   else -> "store.error" (message: the first 60 characters of the SQL, the server's
//   primary message and its detail in brackets, e.g. which key already exists).
// - Reconnect: once the connection is bad (PQstatus CONNECTION_BAD), the next call resets
//   it (PQreset, libpq 34.1) and forgets the prepared statements; while that fails every
//   call answers "unavailable" naming the server. A transaction the loss cut short stays
//   "unavailable" for every call until the store's ROLLBACK, so no statement of its body
//   runs outside it and a COMMIT never reports what the server never saw.
// - Query::send() inside a transaction: the statement is queued in libpq's pipeline mode
//   (libpq 34.5) and the connection leaves it at the next call that waits for an answer,
//   which first reads every queued answer (after a Sync) and fails with the first queued
//   failure, without running its own statement; a ROLLBACK or ROLLBACK TO runs regardless.
// - Not thread-safe: one thread (the store worker) uses a connection at a time.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "database.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw::store::postgres {

// The advisory lock key every writer takes in begin_write() ("smsgw" in ASCII).
inline constexpr std::int64_t kWriteLockKey = 0x736d736777;
// Statements sent ahead before their answers are read anyway: a bound on what either
// side buffers (libpq 34.5.1.1 on the deadlock of an unread pipeline).
inline constexpr std::size_t kMostSentAhead = 256;
// The oldest server accepted (PQserverVersion form).
inline constexpr int kMinimumServerVersion = 130000;

// Maps a failed result (or its absence) to an Error (see the header comment).
Error make_postgres_error(PGconn* connection, const PGresult* result, std::string_view sql);

// Opens a libpq connection (design decision 6): PQconnectdbParams with expand_dbname = 1 and
// dbname = `url` (a URI or key=value conninfo), then passfile (when not empty),
// connect_timeout=3, application_name and options=-c synchronous_commit=on. The connection
// is returned even when bad (check PQstatus); never null. Deleted with PQfinish.
struct ConnectionDeleter {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
using PgConnection = std::unique_ptr<PGconn, ConnectionDeleter>;
PgConnection connect(const std::string& url, const std::filesystem::path& password_file,
                     const std::string& application_name);
// "user@host:port/database" of a connection, for messages.
std::string describe(PGconn* connection);
// The "unavailable" Error for a connection that is bad, naming the server and libpq's message.
Error connection_error(PGconn* connection, std::string_view what);

class Connection;

class Query final : public db::Query {
 public:
  Query(Connection* connection, const char* sql) : connection_(connection), sql_(sql) {}
  ~Query() override;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  using db::Query::bind;
  db::Query& bind(int index, std::int64_t value) override;
  db::Query& bind(int index, double value) override;
  db::Query& bind(int index, std::string_view value) override;
  db::Query& bind_null(int index, db::NullType type) override;
  // The first call runs the statement; the next ones walk its rows. After the last row it
  // answers false and is ready to be bound and run again (bindings are kept).
  Result<bool> step() override;
  Result<void> send() override;
  bool is_null(int column) const override;
  // int8 (or numeric) text; a boolean's 't'/'f' reads 1/0.
  std::int64_t integer(int column) const override;
  double real(int column) const override;
  std::string text(int column) const override;

 private:
  db::Query& set(int index, Oid type, std::optional<std::string> value);
  void finish();
  // The bound values as libpq takes them (unbound parameters are NULL, as in SQLite).
  std::vector<const char*> values();

  Connection* connection_;
  const char* sql_;
  std::vector<Oid> types_;
  std::vector<std::optional<std::string>> values_;
  PGresult* result_ = nullptr;
  int row_ = -1;
};

class Connection final : public db::Connection {
 public:
  // Connects (see connect()); "unavailable" when the server cannot be reached or refuses,
  // "store.error" when it is older than PostgreSQL 13.
  static Result<std::unique_ptr<Connection>> open(const std::string& url,
                                                  const std::filesystem::path& password_file,
                                                  const std::string& application_name);
  ~Connection() override = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  db::Engine engine() const override { return db::Engine::postgres; }
  // PQexec: one or more statements (simple query protocol), no parameters. A COMMIT the
  // server answers with ROLLBACK (the transaction had failed) is a "store.error".
  Result<void> exec(std::string_view sql) override;
  Result<std::unique_ptr<db::Query>> query(const char* sql) override;
  // Rows changed by the last INSERT, UPDATE, DELETE or MERGE (PQcmdTuples).
  // Reads the answers of statements sent ahead first; when one failed, the next call
  // reports it and this answers 0.
  std::int64_t changes() override;
  Result<void> wait_sent() override { return settle(""); }
  // BEGIN, then pg_advisory_xact_lock(kWriteLockKey) (PostgreSQL docs 9.27.10): every
  // writer on every node waits here for the one before it to commit or roll back.
  Result<void> begin_write() override;

  // For Query: runs `sql` prepared for `types` with text `values` (nullptr: NULL); the
  // result (PGRES_TUPLES_OK or PGRES_COMMAND_OK), owned by the caller, or the Error.
  Result<PGresult*> run_prepared(const char* sql, const std::vector<Oid>& types,
                                 const std::vector<const char*>& values);
  // For Query::send(): the same statement queued in pipeline mode when a transaction is
  // open (run at once otherwise).
  Result<void> send_prepared(const char* sql, const std::vector<Oid>& types,
                             const std::vector<const char*>& values);
  // The number of parameters `sql` uses (after the dialect rewrite).
  int parameter_count(const char* sql);

 private:
  explicit Connection(PgConnection connection) : connection_(std::move(connection)) {}
  // Resets a bad connection (see the header comment); "unavailable" while it fails or while
  // a transaction the loss cut short waits for its ROLLBACK.
  Result<void> ensure_connected();
  // PQprepare of `sql`'s rewritten text as `name` for parameter `types` (see the .cpp for
  // how a NULL parameter without a type is typed).
  Result<void> prepare(const std::string& name, const char* sql, std::vector<Oid> types);
  // The statement cache's key, and the prepared statement's name for (sql, types),
  // prepared now when new.
  static std::pair<const char*, std::string> statement_key(const char* sql,
                                                           const std::vector<Oid>& types);
  Result<std::string> statement_for(const char* sql, const std::vector<Oid>& types);
  // Reads the answers of the statements sent ahead (Sync, then one answer each) and leaves
  // pipeline mode; the first failure among them, or one kept from changes(). None when
  // `next_sql`, the statement about to run, is a rollback: it ends what failed.
  Result<void> settle(std::string_view next_sql);
  // Records whether a transaction is open (PQtransactionStatus, libpq 34.2).
  void track_transaction();
  // Records what a finished command tells: its row count and the transaction status.
  void note(const PGresult* result);

  struct Prepared {
    std::string text;  // the PostgreSQL text (dialect.hpp)
    int parameters = 0;
  };
  PgConnection connection_;
  // Keyed by (SQL address, OID signature): one server-side statement per pair.
  std::map<std::pair<const char*, std::string>, std::string> statements_;
  std::map<const char*, Prepared> rewritten_;  // by SQL address, across reconnects
  int next_statement_ = 0;
  std::int64_t changes_ = 0;
  bool in_transaction_ = false;
  bool lost_transaction_ = false;
  std::vector<const char*> pending_;    // SQL of the statements sent ahead, in order
  std::optional<Error> pending_error_;  // a failure settle() found for changes()
};

}  // namespace smsgw::store::postgres
