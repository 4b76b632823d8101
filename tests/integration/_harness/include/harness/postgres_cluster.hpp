// A throw-away PostgreSQL cluster for one test (suite), from the Debian `postgresql` package
// (PostgreSQL 15 on Debian 12), for the store on PostgreSQL (issue 14).
//
//   if (!harness::postgres_installed()) GTEST_SKIP() << harness::postgres_missing_reason();
//   harness::PostgresCluster pg;
//   PGconn* c = PQconnectdb(pg.conninfo().c_str());   // password from pg.password_file()
//
// What it does, in order:
//   1. a temporary folder (TempDir "smsgw-pg-XXXXXX") holding data/ (PGDATA), run/ (the
//      unix socket), postgres.log (the server's output, appended across restarts) and
//      pgpass (0600, owned by the caller: the client's password file);
//   2. initdb into data/ (superuser "postgres", encoding UTF8, locale C; local socket
//      connections `trust`, TCP connections `scram-sha-256`; --no-sync: only initdb's own
//      final flush is skipped, the server keeps fsync, synchronous_commit and
//      full_page_writes at their defaults, since durability is what the tests check);
//   3. `postgres` itself (no pg_ctl: its pid is the postmaster's, so it can be signalled and
//      watched) listening on 127.0.0.1 and a free port only, its socket in run/;
//   4. waits until pg_isready says it accepts connections, then, as the superuser over the
//      socket, creates the role `user` (LOGIN, password from a 0600 file fed to psql -f,
//      never on a command line) and the database `database` owned by it.
// PostgreSQL refuses to run as root. Run as root (CI), initdb and the server run as the
// package's system user "postgres" ("nobody" when it is missing) through setpriv, and the
// folder is handed to that user; otherwise they run as the caller. Switching users clears
// the harness's parent-death signal, so as root a forked watchdog SIGKILLs the postmaster
// when the test process is gone (its backends then exit on their own: they watch the
// postmaster). The destructor stops the server (fast shutdown, SIGKILL after 10 s).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/orphan_watchdog.hpp"
#include "harness/process.hpp"
#include "harness/temp_dir.hpp"

namespace smsgw::harness {

// The folder holding initdb, postgres, pg_isready and psql: $SMSGW_TEST_PG_BINDIR when set,
// else the highest /usr/lib/postgresql/<version>/bin that has them all; nullopt when none.
std::optional<std::filesystem::path> postgres_bin_dir();
// True when postgres_bin_dir() found the binaries (tests skip otherwise).
bool postgres_installed();
// Why the binaries were not found, for GTEST_SKIP messages.
std::string postgres_missing_reason();

struct PostgresOptions {
  std::string database = "smsgw";  // created, owned by `user`
  std::string user = "smsgw";      // a LOGIN role (not a superuser) with a password
};

class PostgresCluster {
 public:
  // Starts the cluster (steps 1-4 above). Throws std::runtime_error naming the step, with
  // the tail of postgres.log (or initdb's output) and the folder, when one fails.
  explicit PostgresCluster(PostgresOptions options = {});
  // Stops the server (stop()); the folder goes with it unless keep_files() was called.
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  [[nodiscard]] static std::string host() { return "127.0.0.1"; }
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] const std::string& database() const noexcept { return options_.database; }
  [[nodiscard]] const std::string& user() const noexcept { return options_.user; }
  // A libpq password file ("host:port:database:user:password" lines, mode 0600) for
  // `user` on host():port(); point PGPASSFILE (or the `passfile` parameter) at it.
  [[nodiscard]] std::filesystem::path password_file() const { return dir() / "pgpass"; }
  // The password itself (for tests that check a wrong one is refused).
  [[nodiscard]] const std::string& password() const noexcept { return password_; }
  // "postgresql://<user>@127.0.0.1:<port>/<database>": no password, as in `[store] url`.
  [[nodiscard]] std::string url() const;
  // A complete libpq connection string (key=value form) for url()'s target with
  // passfile=<password_file()>.
  [[nodiscard]] std::string conninfo() const;
  // {"PGPASSFILE=<password_file()>"}: for child processes (smsgw serve) given url().
  [[nodiscard]] std::vector<std::string> client_environment() const;

  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_.path(); }
  [[nodiscard]] std::filesystem::path data_dir() const { return dir() / "data"; }
  [[nodiscard]] std::filesystem::path socket_dir() const { return dir() / "run"; }
  // The OS user the server runs as ("" when it runs as the caller).
  [[nodiscard]] const std::string& server_user() const noexcept { return server_user_; }
  // The postmaster's pid while it runs, else -1.
  [[nodiscard]] pid_t pid() const noexcept;
  // True while the postmaster has not exited.
  bool running();

  // Starts the server again on the same port and data (after stop()); returns once it
  // accepts connections. No-op while it runs. Throws as the constructor does.
  void start();
  // Fast shutdown (SIGINT: open sessions are ended, transactions in flight roll back,
  // a checkpoint is written); SIGKILL if it has not exited after `timeout`. Returns the
  // postmaster's exit code (-1 when it was not running). Clients see their connection
  // closed; committed rows stay.
  int stop(std::chrono::milliseconds timeout = 10s);
  // stop(), then start(): "the database restarted" for the clients. Same port, same data.
  void restart();

  // The last `lines` lines of postgres.log, for failure messages.
  [[nodiscard]] std::string log_tail(std::size_t lines = 40) const;
  // Keeps the folder (data, logs) after the test; its path is printed then.
  void keep_files() noexcept { dir_.keep(); }

 private:
  [[noreturn]] void fail(const std::string& what) const;
  // argv run as server_user_ (setpriv prefix) when there is one.
  [[nodiscard]] std::vector<std::string> as_server_user(std::vector<std::string> argv) const;
  [[nodiscard]] std::string bin(const char* program) const;
  void init_cluster();
  void create_role_and_database();
  void wait_ready();

  TempDir dir_;
  PostgresOptions options_;
  std::filesystem::path bin_dir_;
  std::string server_user_;
  std::string password_;
  std::uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> server_;
  OrphanWatchdog watchdog_;
};

}  // namespace smsgw::harness
