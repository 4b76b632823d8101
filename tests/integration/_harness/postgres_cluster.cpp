#include "harness/postgres_cluster.hpp"

#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <random>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "harness/http_client.hpp"

namespace smsgw::harness {

namespace {

constexpr const char* kSuperuser = "postgres";
constexpr const char* kPackageRoot = "/usr/lib/postgresql";

bool has_binaries(const std::filesystem::path& dir) {
  for (const char* program : {"initdb", "postgres", "pg_isready", "psql"}) {
    if (::access((dir / program).c_str(), X_OK) != 0) return false;
  }
  return true;
}

// "15" -> 15.0, "9.6" -> 9.6; anything else sorts first.
double version_of(const std::string& name) {
  char* end = nullptr;
  const double value = std::strtod(name.c_str(), &end);
  return end == name.c_str() ? -1.0 : value;
}

// 24 hex digits from std::random_device: a password that needs no quoting anywhere.
std::string random_password() {
  std::random_device device;
  std::string out;
  for (int i = 0; i < 24; ++i) out.push_back("0123456789abcdef"[device() % 16]);
  return out;
}

// As root: the package's system user, else "nobody"; as anyone else: "" (the caller).
std::string pick_server_user() {
  if (::geteuid() != 0) return {};
  for (const char* candidate : {"postgres", "nobody"}) {
    if (::getpwnam(candidate) != nullptr) return candidate;
  }
  throw std::runtime_error("PostgreSQL: running as root and neither user postgres nor nobody");
}

void give_to(const std::filesystem::path& path, const std::string& user) {
  const passwd* entry = ::getpwnam(user.c_str());
  if (entry == nullptr) throw std::runtime_error("no user " + user);
  if (::chown(path.c_str(), entry->pw_uid, entry->pw_gid) != 0) {
    throw std::runtime_error("cannot chown " + path.string() + " to " + user);
  }
}

// A SQL identifier in double quotes.
std::string identifier(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

// A conninfo value in single quotes (backslash and quote escaped).
std::string conninfo_value(const std::string& value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

std::string tail(const std::string& text, std::size_t lines) {
  std::size_t start = text.size();
  for (std::size_t seen = 0; start > 0 && seen <= lines; ++seen) {
    const auto newline = text.rfind('\n', start - 1);
    start = newline == std::string::npos ? 0 : newline;
  }
  return text.substr(start);
}

}  // namespace

std::optional<std::filesystem::path> postgres_bin_dir() {
  if (const char* forced = std::getenv("SMSGW_TEST_PG_BINDIR"); forced != nullptr && *forced) {
    if (has_binaries(forced)) return std::filesystem::path(forced);
    return std::nullopt;
  }
  std::error_code error;
  std::optional<std::filesystem::path> best;
  double best_version = -1.0;
  for (const auto& entry : std::filesystem::directory_iterator(kPackageRoot, error)) {
    const auto bin = entry.path() / "bin";
    const double version = version_of(entry.path().filename().string());
    if (version > best_version && has_binaries(bin)) {
      best = bin;
      best_version = version;
    }
  }
  return best;
}

bool postgres_installed() { return postgres_bin_dir().has_value(); }

std::string postgres_missing_reason() {
  return std::string(
             "PostgreSQL server binaries (initdb, postgres, pg_isready, psql) not "
             "found in ") +
         kPackageRoot +
         "/<version>/bin or $SMSGW_TEST_PG_BINDIR: install the Debian package `postgresql` "
         "(tools/setup.sh does)";
}

PostgresCluster::PostgresCluster(PostgresOptions options)
    : dir_("smsgw-pg"), options_(std::move(options)) {
  const auto bin_dir = postgres_bin_dir();
  if (!bin_dir) throw std::runtime_error(postgres_missing_reason());
  bin_dir_ = *bin_dir;
  server_user_ = pick_server_user();
  password_ = random_password();
  port_ = free_tcp_port();
  std::filesystem::create_directory(socket_dir());
  std::filesystem::permissions(socket_dir(), std::filesystem::perms::owner_all);
  if (!server_user_.empty()) {
    // The server user owns the folder (initdb creates data/ in it) and the socket folder;
    // pgpass stays the caller's (0600): only the client reads it.
    give_to(dir(), server_user_);
    give_to(socket_dir(), server_user_);
  }
  write_file(password_file(), host() + ":" + std::to_string(port_) + ":" + options_.database + ":" +
                                  options_.user + ":" + password_ + "\n");
  std::filesystem::permissions(
      password_file(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  try {
    init_cluster();
    start();
    create_role_and_database();
  } catch (...) {
    stop();
    throw;
  }
}

PostgresCluster::~PostgresCluster() { stop(); }

std::string PostgresCluster::url() const {
  return "postgresql://" + options_.user + "@" + host() + ":" + std::to_string(port_) + "/" +
         options_.database;
}

std::string PostgresCluster::conninfo() const {
  return "host=" + host() + " port=" + std::to_string(port_) +
         " dbname=" + conninfo_value(options_.database) + " user=" + conninfo_value(options_.user) +
         " passfile=" + conninfo_value(password_file().string()) + " connect_timeout=5";
}

std::vector<std::string> PostgresCluster::client_environment() const {
  return {"PGPASSFILE=" + password_file().string()};
}

pid_t PostgresCluster::pid() const noexcept {
  return server_ && !server_->exit_code() ? server_->pid() : -1;
}

bool PostgresCluster::running() { return server_ && server_->running(); }

std::string PostgresCluster::bin(const char* program) const {
  return (bin_dir_ / program).string();
}

std::vector<std::string> PostgresCluster::as_server_user(std::vector<std::string> argv) const {
  if (server_user_.empty()) return argv;
  const passwd* entry = ::getpwnam(server_user_.c_str());
  if (entry == nullptr) throw std::runtime_error("no user " + server_user_);
  std::vector<std::string> out{"/usr/bin/setpriv", "--reuid=" + std::to_string(entry->pw_uid),
                               "--regid=" + std::to_string(entry->pw_gid), "--init-groups", "--"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

void PostgresCluster::init_cluster() {
  // Locale C and UTF8: the same collation on every machine. trust on the socket only (its
  // folder is 0700: the server user, and root); every TCP login needs the password.
  const auto result =
      run_command(as_server_user({bin("initdb"), "--pgdata=" + data_dir().string(),
                                  std::string("--username=") + kSuperuser, "--encoding=UTF8",
                                  "--no-locale", "--auth-local=trust", "--auth-host=scram-sha-256",
                                  "--no-sync", "--no-instructions"}),
                  {}, 120s);
  write_file(dir() / "initdb.log", result.out + result.err);
  if (result.exit_code != 0) {
    throw std::runtime_error("PostgreSQL: initdb failed (exit " + std::to_string(result.exit_code) +
                             ", files in " + dir().string() + "):\n" + result.out + result.err);
  }
}

void PostgresCluster::start() {
  if (running()) return;
  server_ = std::make_unique<ChildProcess>(
      as_server_user({bin("postgres"), "-D", data_dir().string(), "-p", std::to_string(port_), "-k",
                      socket_dir().string(), "-c", "listen_addresses=" + host(),
                      // A new cluster creates every WAL segment it fills (a server in
                      // service recycles them); zero-filling 16 MB holds a commit ~100 ms.
                      "-c", "wal_init_zero=off"}),
      dir() / "postgres.log");
  if (!server_user_.empty()) watchdog_.start({server_->pid()});
  wait_ready();
}

void PostgresCluster::wait_ready() {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    if (!server_->running()) fail("postgres exited during start-up");
    // Exit 0: accepting connections (1: still starting or shutting down, 2: no answer).
    const auto probe = run_command({bin("pg_isready"), "-q", "-h", host(), "-p",
                                    std::to_string(port_), "-d", "postgres", "-t", "2"},
                                   {}, 5s);
    if (probe.exit_code == 0) return;
    if (std::chrono::steady_clock::now() > deadline) fail("postgres never accepted connections");
    std::this_thread::sleep_for(50ms);
  }
}

void PostgresCluster::create_role_and_database() {
  // The password goes through a 0600 file read by psql, never through argv (visible in ps).
  const auto script = dir() / "setup.sql";
  write_file(script, "");
  std::filesystem::permissions(
      script, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  write_file(script, "CREATE ROLE " + identifier(options_.user) + " LOGIN PASSWORD '" + password_ +
                         "';\nCREATE DATABASE " + identifier(options_.database) + " OWNER " +
                         identifier(options_.user) + ";\n");
  const auto result = run_command(
      {bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket_dir().string(), "-p",
       std::to_string(port_), "-U", kSuperuser, "-d", "postgres", "-f", script.string()},
      {}, 60s);
  std::error_code ignored;
  std::filesystem::remove(script, ignored);
  if (result.exit_code != 0) fail("creating the role and database failed: " + result.err);
}

int PostgresCluster::stop(std::chrono::milliseconds timeout) {
  watchdog_.stop();  // first, so it never signals the postmaster's pid after it is reaped
  if (!server_) return -1;
  if (!server_->running()) return server_->exit_code().value_or(-1);
  server_->signal(SIGINT);  // fast shutdown (SIGTERM would wait for every client to leave)
  if (const auto code = server_->wait(timeout)) return *code;
  return server_->kill_hard();
}

void PostgresCluster::restart() {
  stop();
  start();
}

std::string PostgresCluster::log_tail(std::size_t lines) const {
  return tail(read_file(dir() / "postgres.log"), lines);
}

void PostgresCluster::fail(const std::string& what) const {
  throw std::runtime_error("PostgreSQL: " + what + " (port " + std::to_string(port_) +
                           ", files in " + dir().string() + ")\n--- postgres.log (tail) ---\n" +
                           log_tail(30));
}

}  // namespace smsgw::harness
