#include "sqlite.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace smsgw::store::sqlite {
namespace {

// Modes a store file may keep: the owner's, and read for the group (0640, for a service
// group an operator set up on purpose). Anything more is cut back to 0600.
constexpr mode_t kAllowedModeBits = 0740;

std::string octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Opens (creating it, mode 0600 whatever the umask, when `create`) the file at `path` and
// cuts its mode back to what kAllowedModeBits allows.
Result<void> make_private(const std::filesystem::path& path, bool create) {
  const int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0);
  const int fd = ::open(path.c_str(), flags, 0600);
  if (fd < 0) {
    if (!create && errno == ENOENT) return {};
    return make_error("unavailable", "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  Result<void> result;
  if (::fstat(fd, &st) != 0) {
    result =
        make_error("unavailable", "cannot stat " + path.string() + ": " + std::strerror(errno));
  } else if ((st.st_mode & 0777 & ~kAllowedModeBits) != 0 && ::fchmod(fd, 0600) != 0) {
    result = make_error("unavailable", path.string() + " is mode " + octal(st.st_mode) +
                                           ", more open than 0640, and cannot be made 0600: " +
                                           std::strerror(errno) +
                                           " (chown it to the user smsgw runs as)");
  }
  ::close(fd);
  return result;
}

}  // namespace

Result<void> restrict_to_owner(const std::filesystem::path& path) {
  const std::string name = path.string();
  if (name.empty() || name == ":memory:" || name.rfind("file:", 0) == 0) return {};
  if (auto made = make_private(path, true); !made) return made;
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    if (auto made = make_private(name + suffix, false); !made) return made;
  }
  return {};
}

Error make_sqlite_error(int code, std::string_view what, std::string_view detail) {
  const int primary = code & 0xff;
  std::string message = std::string(what) + ": " + std::string(detail);
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
      return make_error("unavailable", std::move(message));
    case SQLITE_CONSTRAINT:
      return make_error(ErrorCode::conflict, std::move(message));
    default:
      return make_error("store.error", std::move(message));
  }
}

Query::~Query() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

db::Query& Query::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(statement_, index, value);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

db::Query& Query::bind(int index, double value) {
  const int rc = sqlite3_bind_double(statement_, index, value);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

db::Query& Query::bind(int index, std::string_view value) {
  const int rc = sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                                   SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

db::Query& Query::bind_null(int index, db::NullType /*type*/) {
  const int rc = sqlite3_bind_null(statement_, index);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Result<bool> Query::step() {
  if (bind_error_ != SQLITE_OK) {
    return make_sqlite_error(bind_error_, sqlite3_sql(statement_), sqlite3_errstr(bind_error_));
  }
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    // Ready to be bound and run again (bindings are kept until the next bind).
    sqlite3_reset(statement_);
    return false;
  }
  Error error = make_sqlite_error(sqlite3_extended_errcode(db_), sqlite3_sql(statement_),
                                  sqlite3_errmsg(db_));
  sqlite3_reset(statement_);
  return error;
}

bool Query::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::int64_t Query::integer(int column) const { return sqlite3_column_int64(statement_, column); }

double Query::real(int column) const { return sqlite3_column_double(statement_, column); }

std::string Query::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  const int size = sqlite3_column_bytes(statement_, column);
  return data == nullptr ? std::string() : std::string(data, static_cast<std::size_t>(size));
}

Result<std::unique_ptr<Connection>> Connection::open(const std::filesystem::path& path) {
  // Memory statistics make every SQLite allocation take a process-wide mutex; nothing reads
  // them. Only possible before SQLite initialises (a later call is refused, harmlessly).
  static const bool memstatus_off = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)memstatus_off;
  if (auto restricted = restrict_to_owner(path); !restricted) return restricted.error();
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error error = make_sqlite_error(rc, "cannot open database " + path.string(),
                                    db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return error;
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close_v2(db_);
}

Result<void> Connection::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    Error error = make_sqlite_error(rc, text.substr(0, 60), message != nullptr ? message : "");
    sqlite3_free(message);
    return error;
  }
  return {};
}

Result<std::unique_ptr<db::Query>> Connection::query(const char* sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) return make_sqlite_error(rc, sql, sqlite3_errmsg(db_));
    found = statements_.emplace(sql, statement).first;
  }
  return std::unique_ptr<db::Query>(std::make_unique<Query>(db_, found->second));
}

std::int64_t Connection::changes() { return sqlite3_changes64(db_); }

}  // namespace smsgw::store::sqlite
