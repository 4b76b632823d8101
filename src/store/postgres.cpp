#include "postgres.hpp"

#include <charconv>
#include <cstring>
#include <new>
#include <system_error>

#include "dialect.hpp"

namespace smsgw::store::postgres {
namespace {

// Type OIDs (src/include/catalog/pg_type.dat; stable across versions).
constexpr Oid kInt8 = 20;
constexpr Oid kText = 25;
constexpr Oid kFloat8 = 701;
constexpr Oid kUnknown = 0;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

bool succeeded(const PGresult* result) {
  if (result == nullptr) return false;
  const auto status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
}

// libpq's messages end with a newline; messages here do not.
std::string trimmed(const char* text) {
  std::string out = text == nullptr ? "" : text;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// SQLSTATEs that mean "try again later" (PostgreSQL docs Appendix A): connection exceptions
// (08), insufficient resources (53), the server shutting down or restarting (57P01..57P03),
// serialization failure and deadlock (40001, 40P01), lock not available (55P03).
bool is_transient(std::string_view state) {
  return state.starts_with("08") || state.starts_with("53") || state == "57P01" ||
         state == "57P02" || state == "57P03" || state == "40001" || state == "40P01" ||
         state == "55P03";
}

// Silences the server's notices and warnings (e.g. "there is no transaction in progress"),
// which libpq would print on stderr (libpq 34.13); errors travel as Results.
void ignore_notice(void*, const char*) {}

}  // namespace

std::string describe(PGconn* connection) {
  const char* host = PQhost(connection);
  const char* port = PQport(connection);
  const char* user = PQuser(connection);
  const char* database = PQdb(connection);
  std::string out;
  if (user != nullptr && *user != '\0') out += std::string(user) + "@";
  out += host != nullptr ? host : "";
  if (port != nullptr && *port != '\0') out += std::string(":") + port;
  if (database != nullptr && *database != '\0') out += std::string("/") + database;
  return "PostgreSQL " + out;
}

Error connection_error(PGconn* connection, std::string_view what) {
  return make_error("unavailable", std::string(what) + ": " + describe(connection) +
                                       " unavailable: " + trimmed(PQerrorMessage(connection)));
}

Error make_postgres_error(PGconn* connection, const PGresult* result, std::string_view sql) {
  const std::string what(sql.substr(0, 60));
  if (PQstatus(connection) == CONNECTION_BAD) return connection_error(connection, what);
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message =
      what + ": " +
      (primary != nullptr ? std::string(primary) : trimmed(PQerrorMessage(connection)));
  const std::string_view code = state != nullptr ? state : "";
  if (code.starts_with("23")) return make_error(ErrorCode::conflict, std::move(message));
  if (is_transient(code)) return make_error("unavailable", std::move(message));
  return make_error("store.error", std::move(message));
}

PgConnection connect(const std::string& url, const std::filesystem::path& password_file,
                     const std::string& application_name) {
  // libpq 34.1: with expand_dbname, `dbname` may be a URI or conninfo; the keywords after it
  // override what it sets.
  std::vector<const char*> keys{"dbname", "connect_timeout", "application_name", "options"};
  std::vector<const char*> values{url.c_str(), "3", application_name.c_str(),
                                  "-c synchronous_commit=on"};
  const std::string passfile = password_file.string();
  if (!passfile.empty()) {
    keys.push_back("passfile");
    values.push_back(passfile.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PgConnection connection(PQconnectdbParams(keys.data(), values.data(), 1));
  if (!connection) throw std::bad_alloc();
  PQsetNoticeProcessor(connection.get(), ignore_notice, nullptr);
  return connection;
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& url,
                                                     const std::filesystem::path& password_file,
                                                     const std::string& application_name) {
  PgConnection connection = connect(url, password_file, application_name);
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return connection_error(connection.get(), "cannot connect to the store");
  }
  const int version = PQserverVersion(connection.get());
  if (version < kMinimumServerVersion) {
    return make_error("store.error", describe(connection.get()) + " is version " +
                                         std::to_string(version / 10000) +
                                         "; the store needs PostgreSQL 13 or newer");
  }
  return std::unique_ptr<Connection>(new Connection(std::move(connection)));
}

Result<void> Connection::ensure_connected(bool rolling_back) {
  PGconn* connection = connection_.get();
  if (PQstatus(connection) == CONNECTION_BAD) {
    if (in_transaction_) lost_transaction_ = true;
    in_transaction_ = false;
    statements_.clear();
    PQreset(connection);  // blocks up to connect_timeout
    if (PQstatus(connection) != CONNECTION_OK) return connection_error(connection, "reconnect");
  }
  if (lost_transaction_ && !rolling_back) {
    return make_error("unavailable", describe(connection) +
                                         ": the connection was lost inside a transaction, which "
                                         "rolled back; waiting for its ROLLBACK");
  }
  return {};
}

void Connection::track_transaction() {
  // UNKNOWN (a lost connection) and ACTIVE tell nothing: what was known stays.
  switch (PQtransactionStatus(connection_.get())) {
    case PQTRANS_IDLE:
      in_transaction_ = false;
      break;
    case PQTRANS_INTRANS:
    case PQTRANS_INERROR:
      in_transaction_ = true;
      break;
    default:
      break;
  }
}

void Connection::note(const PGresult* result) {
  track_transaction();
  const std::string_view status = PQcmdStatus(const_cast<PGresult*>(result));
  if (status.starts_with("INSERT") || status.starts_with("UPDATE") ||
      status.starts_with("DELETE") || status.starts_with("MERGE")) {
    const char* tuples = PQcmdTuples(const_cast<PGresult*>(result));
    std::int64_t count = 0;
    std::from_chars(tuples, tuples + std::strlen(tuples), count);
    changes_ = count;
  }
}

Result<void> Connection::exec(std::string_view sql) {
  const std::string text(sql);
  // "ROLLBACK" alone (not "ROLLBACK TO"): ends a transaction a lost connection cut short.
  const bool rollback = text == "ROLLBACK";
  if (auto connected = ensure_connected(rollback); !connected) return connected.error();
  if (rollback && lost_transaction_) {
    lost_transaction_ = false;
    return {};  // the server rolled it back when the connection broke
  }
  PgResult result(PQexec(connection_.get(), text.c_str()));
  if (!succeeded(result.get())) {
    Error error = make_postgres_error(connection_.get(), result.get(), text);
    track_transaction();
    return error;
  }
  note(result.get());
  // A COMMIT of a failed transaction answers "ROLLBACK" (PostgreSQL docs, COMMIT).
  if (text == "COMMIT" && std::strcmp(PQcmdStatus(result.get()), "ROLLBACK") == 0) {
    return make_error("store.error", "COMMIT: the transaction had failed and was rolled back");
  }
  return {};
}

Result<void> Connection::begin_write() {
  if (auto begun = exec("BEGIN"); !begun) return begun;
  static const std::string lock =
      "SELECT pg_advisory_xact_lock(" + std::to_string(kWriteLockKey) + ")";
  if (auto locked = exec(lock); !locked) {
    (void)exec("ROLLBACK");
    return locked;
  }
  return {};
}

Result<std::unique_ptr<db::Query>> Connection::query(const char* sql) {
  if (auto connected = ensure_connected(false); !connected) return connected.error();
  return std::unique_ptr<db::Query>(std::make_unique<Query>(this, sql));
}

int Connection::parameter_count(const char* sql) {
  auto found = rewritten_.find(sql);
  if (found == rewritten_.end()) {
    auto rewritten = dialect::rewrite(sql);
    found = rewritten_
                .emplace(sql, Prepared{.text = std::move(rewritten.sql),
                                       .parameters = rewritten.parameters})
                .first;
  }
  return found->second.parameters;
}

Result<PGresult*> Connection::run_prepared(const char* sql, const std::vector<Oid>& types,
                                           const std::vector<const char*>& values) {
  if (auto connected = ensure_connected(false); !connected) return connected.error();
  PGconn* connection = connection_.get();
  std::string signature;
  for (const Oid type : types) signature += std::to_string(type) + ",";
  auto key = std::make_pair(sql, std::move(signature));
  auto found = statements_.find(key);
  if (found == statements_.end()) {
    parameter_count(sql);
    const std::string name = "s" + std::to_string(next_statement_++);
    // libpq 34.3.1: PQprepare; parameter types fixed here, 0 lets the server infer one.
    PgResult prepared(PQprepare(connection, name.c_str(), rewritten_.at(sql).text.c_str(),
                                static_cast<int>(types.size()), types.data()));
    if (!succeeded(prepared.get())) {
      Error error = make_postgres_error(connection, prepared.get(), sql);
      track_transaction();
      return error;
    }
    found = statements_.emplace(std::move(key), name).first;
  }
  PGresult* result =
      PQexecPrepared(connection, found->second.c_str(), static_cast<int>(values.size()),
                     values.data(), nullptr, nullptr, 0);
  if (!succeeded(result)) {
    Error error = make_postgres_error(connection, result, sql);
    track_transaction();
    PQclear(result);
    return error;
  }
  note(result);
  return result;
}

Query::~Query() { finish(); }

void Query::finish() {
  if (result_ != nullptr) PQclear(result_);
  result_ = nullptr;
  row_ = -1;
}

db::Query& Query::set(int index, Oid type, std::optional<std::string> value) {
  finish();  // binding starts a new run
  if (index < 1) return *this;
  const auto slot = static_cast<std::size_t>(index);
  if (types_.size() < slot) {
    types_.resize(slot, kUnknown);
    values_.resize(slot);
  }
  types_[slot - 1] = type;
  values_[slot - 1] = std::move(value);
  return *this;
}

db::Query& Query::bind(int index, std::int64_t value) {
  return set(index, kInt8, std::to_string(value));
}

db::Query& Query::bind(int index, double value) {
  char text[32];
  const auto written = std::to_chars(text, text + sizeof text, value);  // shortest exact
  return set(index, kFloat8, std::string(text, written.ptr));
}

db::Query& Query::bind(int index, std::string_view value) {
  return set(index, kText, std::string(value));
}

db::Query& Query::bind(int index, std::nullopt_t) { return set(index, kUnknown, std::nullopt); }

Result<bool> Query::step() {
  if (result_ == nullptr) {
    // Unbound parameters are NULL, as in SQLite.
    const auto count = static_cast<std::size_t>(connection_->parameter_count(sql_));
    if (types_.size() < count) {
      types_.resize(count, kUnknown);
      values_.resize(count);
    }
    std::vector<const char*> values;
    values.reserve(values_.size());
    for (const auto& value : values_) values.push_back(value ? value->c_str() : nullptr);
    auto result = connection_->run_prepared(sql_, types_, values);
    if (!result) return std::move(result).error();
    result_ = *result;
    row_ = -1;
  }
  if (++row_ < PQntuples(result_)) return true;
  finish();  // ready to be bound and run again
  return false;
}

bool Query::is_null(int column) const {
  return result_ == nullptr || PQgetisnull(result_, row_, column) != 0;
}

std::int64_t Query::integer(int column) const {
  if (is_null(column)) return 0;
  const char* text = PQgetvalue(result_, row_, column);
  const std::size_t size = static_cast<std::size_t>(PQgetlength(result_, row_, column));
  if (size == 1 && (text[0] == 't' || text[0] == 'f')) return text[0] == 't' ? 1 : 0;
  std::int64_t value = 0;
  const auto parsed = std::from_chars(text, text + size, value);
  if (parsed.ec == std::errc() && parsed.ptr == text + size) return value;
  // numeric with a fraction (e.g. AVG): truncated, as SQLite's integer read does.
  double real_value = 0;
  std::from_chars(text, text + size, real_value);
  return static_cast<std::int64_t>(real_value);
}

double Query::real(int column) const {
  if (is_null(column)) return 0;
  const char* text = PQgetvalue(result_, row_, column);
  double value = 0;
  std::from_chars(text, text + PQgetlength(result_, row_, column), value);
  return value;
}

std::string Query::text(int column) const {
  if (is_null(column)) return {};
  return std::string(PQgetvalue(result_, row_, column),
                     static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}

}  // namespace smsgw::store::postgres
