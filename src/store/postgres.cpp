#include "postgres.hpp"

#include <algorithm>
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
  const char* detail =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL) : nullptr;
  std::string message =
      what + ": " +
      (primary != nullptr ? std::string(primary) : trimmed(PQerrorMessage(connection)));
  if (detail != nullptr && *detail != '\0') message += " (" + trimmed(detail) + ")";
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

Result<void> Connection::ensure_connected() {
  PGconn* connection = connection_.get();
  if (PQstatus(connection) == CONNECTION_BAD) {
    if (in_transaction_) lost_transaction_ = true;
    in_transaction_ = false;
    statements_.clear();
    PQreset(connection);  // blocks up to connect_timeout
    if (PQstatus(connection) != CONNECTION_OK) return connection_error(connection, "reconnect");
  }
  if (lost_transaction_) {
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
  // The store's "ROLLBACK" (exactly; not "ROLLBACK TO") of a transaction the connection was
  // lost in: the server rolled it back when the connection broke, so it is done, whether
  // or not the server is back yet.
  if (text == "ROLLBACK" &&
      (lost_transaction_ || (in_transaction_ && PQstatus(connection_.get()) == CONNECTION_BAD))) {
    lost_transaction_ = false;
    in_transaction_ = false;
    return {};
  }
  if (auto settled = settle(text); !settled) return settled;
  if (auto connected = ensure_connected(); !connected) return connected.error();
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
  // One round trip: both in one simple query (PostgreSQL docs 55.2.2.1).
  static const std::string begin_and_lock =
      "BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kWriteLockKey) + ")";
  if (auto locked = exec(begin_and_lock); !locked) {
    if (in_transaction_) (void)exec("ROLLBACK");
    return locked;
  }
  return {};
}

std::int64_t Connection::changes() {
  if (auto settled = settle(""); !settled) {
    pending_error_ = settled.error();
    return 0;
  }
  return changes_;
}

Result<void> Connection::settle(std::string_view next_sql) {
  const bool rolling_back = next_sql.starts_with("ROLLBACK");
  std::optional<Error> failure = std::exchange(pending_error_, std::nullopt);
  PGconn* connection = connection_.get();
  if (pending_.empty() && PQpipelineStatus(connection) != PQ_PIPELINE_OFF) {
    (void)PQexitPipelineMode(connection);  // entered, but a send failed
  }
  if (!pending_.empty()) {
    // libpq 34.5.1.3: after a Sync, each queued statement answers with its result(s) and a
    // null; once one failed, the rest answer PGRES_PIPELINE_ABORTED; then the Sync's own.
    if (PQpipelineSync(connection) != 1) {
      if (!failure) failure = connection_error(connection, "send");
    } else {
      for (const char* sql : pending_) {
        while (PGresult* raw = PQgetResult(connection)) {
          PgResult result(raw);
          const auto status = PQresultStatus(raw);
          if (succeeded(raw)) {
            note(raw);
          } else if (status != PGRES_PIPELINE_ABORTED && !failure) {
            failure = make_postgres_error(connection, raw, sql);
          }
        }
        if (PQstatus(connection) == CONNECTION_BAD) break;
      }
      while (PQstatus(connection) != CONNECTION_BAD) {
        PgResult result(PQgetResult(connection));
        if (!result || PQresultStatus(result.get()) == PGRES_PIPELINE_SYNC) break;
      }
    }
    pending_.clear();
    (void)PQexitPipelineMode(connection);  // refused only while answers are unread
    track_transaction();
    if (PQstatus(connection) == CONNECTION_BAD && !failure) {
      failure = connection_error(connection, "statements sent ahead");
    }
  }
  if (failure && !rolling_back) return std::move(*failure);
  return {};
}

Result<std::unique_ptr<db::Query>> Connection::query(const char* sql) {
  if (auto connected = ensure_connected(); !connected) return connected.error();
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

namespace {

// The parameter number in "could not determine data type of parameter $N" (the "$N" stays
// in every translation of the message), else 0.
std::size_t parameter_in(const PGresult* result) {
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const char* dollar = primary != nullptr ? std::strrchr(primary, '$') : nullptr;
  std::size_t number = 0;
  if (dollar != nullptr) std::from_chars(dollar + 1, dollar + std::strlen(dollar), number);
  return number;
}

std::string_view sqlstate(const PGresult* result) {
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return state != nullptr ? state : "";
}

}  // namespace

Result<void> Connection::prepare(const std::string& name, const char* sql, std::vector<Oid> types) {
  PGconn* connection = connection_.get();
  const std::string& text = rewritten_.at(sql).text;
  // A NULL has no type, and a parameter the server sees only in `$N IS NULL` first cannot
  // get one from its context (SQLSTATE 42P18): such a NULL is tried as text, then as int8
  // (42883/42804: the text did not fit). Each failed try aborts an open transaction, so
  // inside one the tries run under a savepoint (PostgreSQL docs, SAVEPOINT).
  const bool guarded = PQtransactionStatus(connection) == PQTRANS_INTRANS &&
                       std::find(types.begin(), types.end(), kUnknown) != types.end();
  if (guarded) {
    if (auto saved = exec("SAVEPOINT smsgw_prepare"); !saved) return saved;
  }
  std::size_t guessed = 0;  // the parameter (1-based) last given a guessed type
  Result<void> outcome;
  for (std::size_t attempt = 0; attempt <= 2 * types.size(); ++attempt) {
    // libpq 34.3.1: PQprepare; parameter types fixed here, 0 lets the server infer one.
    PgResult prepared(PQprepare(connection, name.c_str(), text.c_str(),
                                static_cast<int>(types.size()), types.data()));
    if (succeeded(prepared.get())) {
      outcome = {};
      break;
    }
    outcome = make_postgres_error(connection, prepared.get(), sql);
    track_transaction();
    const std::string_view state = sqlstate(prepared.get());
    const std::size_t parameter = parameter_in(prepared.get());
    if ((state == "42P08" || state == "42P18") && parameter >= 1 && parameter <= types.size() &&
        types[parameter - 1] == kUnknown) {
      types[parameter - 1] = kText;
      guessed = parameter;
    } else if ((state == "42883" || state == "42804") && guessed != 0 &&
               types[guessed - 1] == kText) {
      types[guessed - 1] = kInt8;
    } else {
      break;
    }
    if (guarded) {
      if (auto back = exec("ROLLBACK TO SAVEPOINT smsgw_prepare"); !back) return back;
    }
  }
  if (guarded && PQtransactionStatus(connection) == PQTRANS_INERROR) {
    (void)exec("ROLLBACK TO SAVEPOINT smsgw_prepare");
  }
  if (guarded) (void)exec("RELEASE SAVEPOINT smsgw_prepare");
  return outcome;
}

std::pair<const char*, std::string> Connection::statement_key(const char* sql,
                                                              const std::vector<Oid>& types) {
  std::string signature;
  for (const Oid type : types) signature += std::to_string(type) + ",";
  return {sql, std::move(signature)};
}

Result<std::string> Connection::statement_for(const char* sql, const std::vector<Oid>& types) {
  auto key = statement_key(sql, types);
  auto found = statements_.find(key);
  if (found == statements_.end()) {
    parameter_count(sql);
    std::string name = "s" + std::to_string(next_statement_++);
    if (auto prepared = prepare(name, sql, types); !prepared) return prepared.error();
    found = statements_.emplace(std::move(key), std::move(name)).first;
  }
  return found->second;
}

Result<void> Connection::send_prepared(const char* sql, const std::vector<Oid>& types,
                                       const std::vector<const char*>& values) {
  if (pending_.empty()) {
    if (auto connected = ensure_connected(); !connected) return connected.error();
  }
  const bool prepared = statements_.contains(statement_key(sql, types));
  if ((!in_transaction_ && pending_.empty()) || !prepared || pending_.size() >= kMostSentAhead) {
    // Preparing waits for an answer (so does a statement outside a transaction): the
    // statements sent ahead are read first.
    if (auto settled = settle(sql); !settled) return settled;
    if (auto connected = ensure_connected(); !connected) return connected.error();
    if (!in_transaction_) {
      auto result = run_prepared(sql, types, values);
      if (!result) return std::move(result).error();
      PQclear(*result);
      return {};
    }
  }
  auto name = statement_for(sql, types);
  if (!name) return std::move(name).error();
  PGconn* connection = connection_.get();
  if (PQpipelineStatus(connection) == PQ_PIPELINE_OFF && PQenterPipelineMode(connection) != 1) {
    return make_postgres_error(connection, nullptr, sql);
  }
  if (PQsendQueryPrepared(connection, name->c_str(), static_cast<int>(values.size()), values.data(),
                          nullptr, nullptr, 0) != 1) {
    Error error = make_postgres_error(connection, nullptr, sql);
    auto settled = settle(sql);
    return settled ? error : settled.error();
  }
  pending_.push_back(sql);
  return {};
}

Result<PGresult*> Connection::run_prepared(const char* sql, const std::vector<Oid>& types,
                                           const std::vector<const char*>& values) {
  if (auto settled = settle(sql); !settled) return settled.error();
  if (auto connected = ensure_connected(); !connected) return connected.error();
  PGconn* connection = connection_.get();
  auto name = statement_for(sql, types);
  if (!name) return std::move(name).error();
  PGresult* result = PQexecPrepared(connection, name->c_str(), static_cast<int>(values.size()),
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

db::Query& Query::bind_null(int index, db::NullType type) {
  switch (type) {
    case db::NullType::integer:
      return set(index, kInt8, std::nullopt);
    case db::NullType::real:
      return set(index, kFloat8, std::nullopt);
    case db::NullType::text:
      return set(index, kText, std::nullopt);
    case db::NullType::unknown:
      break;
  }
  return set(index, kUnknown, std::nullopt);
}

std::vector<const char*> Query::values() {
  const auto count = static_cast<std::size_t>(connection_->parameter_count(sql_));
  if (types_.size() < count) {
    types_.resize(count, kUnknown);
    values_.resize(count);
  }
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& value : values_) out.push_back(value ? value->c_str() : nullptr);
  return out;
}

Result<void> Query::send() {
  finish();
  return connection_->send_prepared(sql_, types_, values());
}

Result<bool> Query::step() {
  if (result_ == nullptr) {
    auto result = connection_->run_prepared(sql_, types_, values());
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
