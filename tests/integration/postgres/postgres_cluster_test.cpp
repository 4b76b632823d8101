// The PostgreSQL harness (harness/postgres_cluster.hpp) and the two PostgreSQL features the
// store on several nodes (issue 14) relies on, through libpq:
// - the role logs in over TCP with the password from the password file, and only so;
// - SELECT ... FOR UPDATE SKIP LOCKED: two connections claiming rows never get the same one;
// - LISTEN/NOTIFY: a notification reaches a second connection, once its transaction commits;
// - restart(): committed rows survive it, a transaction in flight does not, and clients
//   reconnect (PQreset) on the same port.
// One cluster for the whole suite (initdb costs about a second); each test has its tables.
#include "harness/postgres_cluster.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <latch>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "harness/temp_dir.hpp"

namespace smsgw {
namespace {

using namespace std::chrono_literals;

struct ConnectionDeleter {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
using Connection = std::unique_ptr<PGconn, ConnectionDeleter>;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// A connection, good or bad (check PQstatus); never null.
Connection connect(const std::string& conninfo) {
  Connection connection(PQconnectdb(conninfo.c_str()));
  if (!connection) throw std::runtime_error("PQconnectdb: out of memory");
  return connection;
}

// Runs `sql` with text parameters $1..$n; the result, whatever its status.
PgResult exec(PGconn* connection, const std::string& sql,
              const std::vector<std::string>& parameters = {}) {
  std::vector<const char*> values;
  for (const auto& parameter : parameters) values.push_back(parameter.c_str());
  return PgResult(PQexecParams(connection, sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
}

// exec() that throws with the server's message unless the statement succeeded.
PgResult run(PGconn* connection, const std::string& sql,
             const std::vector<std::string>& parameters = {}) {
  auto result = exec(connection, sql, parameters);
  const auto status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error(sql + ": " + PQerrorMessage(connection));
  }
  return result;
}

// The first column of every row, as text.
std::vector<std::string> column(const PgResult& result) {
  std::vector<std::string> out;
  for (int row = 0; row < PQntuples(result.get()); ++row) {
    out.emplace_back(PQgetvalue(result.get(), row, 0));
  }
  return out;
}

std::string single_value(PGconn* connection, const std::string& sql) {
  const auto values = column(run(connection, sql));
  if (values.size() != 1) throw std::runtime_error(sql + ": not one row");
  return values.front();
}

// The next notification on `connection` within `timeout`; nullptr when none came.
std::unique_ptr<PGnotify, decltype(&PQfreemem)> next_notification(
    PGconn* connection, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (PQconsumeInput(connection) == 0) break;
    if (PGnotify* notification = PQnotifies(connection)) return {notification, &PQfreemem};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd socket{PQsocket(connection), POLLIN, 0};
    ::poll(&socket, 1, static_cast<int>(left.count()));
  }
  return {nullptr, &PQfreemem};
}

class Postgres : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!harness::postgres_installed()) return;
    try {
      cluster_ = std::make_unique<harness::PostgresCluster>();
    } catch (const std::exception& error) {
      start_error_ = error.what();
    }
  }
  static void TearDownTestSuite() { cluster_.reset(); }

  void SetUp() override {
    if (!harness::postgres_installed()) GTEST_SKIP() << harness::postgres_missing_reason();
    ASSERT_TRUE(cluster_) << start_error_;
  }

  // A connection to the test database that must succeed.
  static Connection open() {
    auto connection = connect(cluster_->conninfo());
    if (PQstatus(connection.get()) != CONNECTION_OK) {
      throw std::runtime_error(std::string("connect: ") + PQerrorMessage(connection.get()) +
                               cluster_->log_tail(20));
    }
    return connection;
  }

  static inline std::unique_ptr<harness::PostgresCluster> cluster_;
  static inline std::string start_error_;
};

TEST_F(Postgres, LogsInWithThePasswordFileOnly) {
  EXPECT_EQ(cluster_->url(),
            "postgresql://smsgw@127.0.0.1:" + std::to_string(cluster_->port()) + "/smsgw");

  const auto connection = open();
  EXPECT_EQ(single_value(connection.get(), "SELECT current_user"), "smsgw");
  EXPECT_EQ(single_value(connection.get(), "SELECT current_database()"), "smsgw");
  EXPECT_EQ(single_value(connection.get(), "SELECT rolsuper FROM pg_roles WHERE rolname = 'smsgw'"),
            "f");
  EXPECT_EQ(single_value(connection.get(), "SHOW server_version_num").substr(0, 2), "15");
  EXPECT_EQ(single_value(connection.get(), "SHOW fsync"), "on");
  EXPECT_EQ(single_value(connection.get(), "SHOW synchronous_commit"), "on");

  // url() as a libpq URI, with the password file from PGPASSFILE (as smsgw serve gets it).
  ::setenv("PGPASSFILE", cluster_->password_file().c_str(), 1);
  const auto by_url = connect(cluster_->url() + "?connect_timeout=5");
  ::unsetenv("PGPASSFILE");
  EXPECT_EQ(PQstatus(by_url.get()), CONNECTION_OK) << PQerrorMessage(by_url.get());

  // No password file: refused (TCP logins need the password).
  harness::TempDir scratch("smsgw-pg-client");
  const auto none = connect(cluster_->url() +
                            "?connect_timeout=5&passfile=" + (scratch.path() / "missing").string());
  EXPECT_EQ(PQstatus(none.get()), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(none.get())).find("no password supplied"), std::string::npos)
      << PQerrorMessage(none.get());

  // A wrong password: refused.
  const auto wrong_file = scratch.path() / "pgpass";
  harness::write_file(wrong_file, "*:*:*:*:not-" + cluster_->password() + "\n");
  std::filesystem::permissions(
      wrong_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto wrong =
      connect(cluster_->url() + "?connect_timeout=5&passfile=" + wrong_file.string());
  EXPECT_EQ(PQstatus(wrong.get()), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(wrong.get())).find("password authentication failed"),
            std::string::npos)
      << PQerrorMessage(wrong.get());
}

TEST_F(Postgres, CreatesATableInsertsAndReadsRows) {
  const auto connection = open();
  run(connection.get(), "CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL)");
  const std::vector<std::string> bodies{"hello", "grüße ✓", "it's \"quoted\""};
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    run(connection.get(), "INSERT INTO notes (id, body) VALUES ($1, $2)",
        {std::to_string(i + 1), bodies[i]});
  }
  const auto rows = run(connection.get(), "SELECT id, body FROM notes ORDER BY id");
  ASSERT_EQ(PQntuples(rows.get()), 3);
  for (int row = 0; row < 3; ++row) {
    EXPECT_EQ(std::string(PQgetvalue(rows.get(), row, 0)), std::to_string(row + 1));
    EXPECT_EQ(std::string(PQgetvalue(rows.get(), row, 1)), bodies[static_cast<std::size_t>(row)]);
  }
  // A duplicate key fails with its SQLSTATE (unique_violation), the connection stays usable.
  const auto duplicate = exec(connection.get(), "INSERT INTO notes VALUES (1, 'again')");
  EXPECT_EQ(PQresultStatus(duplicate.get()), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(duplicate.get(), PG_DIAG_SQLSTATE), "23505");
  EXPECT_EQ(single_value(connection.get(), "SELECT count(*) FROM notes"), "3");
}

TEST_F(Postgres, SkipLockedClaimsNeverHandOutARowTwice) {
  const auto setup = open();
  run(setup.get(), "CREATE TABLE queue (id integer PRIMARY KEY, claimed_by text)");
  run(setup.get(), "INSERT INTO queue (id) SELECT generate_series(1, 200)");
  const std::string claim_locked =
      "SELECT id FROM queue WHERE claimed_by IS NULL ORDER BY id LIMIT 5 "
      "FOR UPDATE SKIP LOCKED";

  // Two open transactions: the second skips the rows the first holds, without waiting.
  const auto a = open();
  const auto b = open();
  run(a.get(), "BEGIN");
  run(b.get(), "BEGIN");
  EXPECT_EQ(column(run(a.get(), claim_locked)),
            (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(column(run(b.get(), claim_locked)),
            (std::vector<std::string>{"6", "7", "8", "9", "10"}));
  // Without SKIP LOCKED the row is taken: NOWAIT fails with lock_not_available.
  const auto taken = exec(b.get(), "SELECT id FROM queue WHERE id = 1 FOR UPDATE NOWAIT");
  EXPECT_STREQ(PQresultErrorField(taken.get(), PG_DIAG_SQLSTATE), "55P03");
  run(a.get(), "ROLLBACK");
  run(b.get(), "ROLLBACK");

  // Two claimers at once, each committing batches of 3 (the claim issue 14's nodes make):
  // every row is claimed exactly once.
  const std::string claim =
      "WITH batch AS (SELECT id FROM queue WHERE claimed_by IS NULL ORDER BY id LIMIT 3 "
      "FOR UPDATE SKIP LOCKED) "
      "UPDATE queue SET claimed_by = $1 FROM batch WHERE queue.id = batch.id RETURNING queue.id";
  std::vector<std::vector<int>> claimed(2);
  std::vector<std::string> errors(2);
  std::latch ready(2);
  std::vector<std::thread> claimers;
  for (std::size_t n = 0; n < 2; ++n) {
    claimers.emplace_back([&, n] {
      bool arrived = false;
      try {
        const auto connection = open();
        arrived = true;
        ready.arrive_and_wait();
        const std::string name = "node-" + std::to_string(n);
        for (;;) {
          const auto ids = column(run(connection.get(), claim, {name}));
          if (ids.empty()) break;
          for (const auto& id : ids) claimed[n].push_back(std::stoi(id));
        }
      } catch (const std::exception& error) {
        errors[n] = error.what();
        if (!arrived) ready.count_down();  // never leave the other one waiting
      }
    });
  }
  for (auto& claimer : claimers) claimer.join();
  ASSERT_EQ(errors, (std::vector<std::string>{"", ""}));
  std::set<int> all;
  for (const auto& ids : claimed) {
    for (const int id : ids) EXPECT_TRUE(all.insert(id).second) << "row " << id << " twice";
  }
  EXPECT_EQ(all.size(), 200U);
  for (std::size_t n = 0; n < 2; ++n) {
    EXPECT_EQ(single_value(setup.get(), "SELECT count(*) FROM queue WHERE claimed_by = 'node-" +
                                            std::to_string(n) + "'"),
              std::to_string(claimed[n].size()));
  }
  RecordProperty("claimed_by_node_0", static_cast<int>(claimed[0].size()));
  RecordProperty("claimed_by_node_1", static_cast<int>(claimed[1].size()));
}

TEST_F(Postgres, NotifyReachesAListeningConnectionOnCommit) {
  const auto listener = open();
  const auto sender = open();
  run(listener.get(), "LISTEN smsgw_queue");

  run(sender.get(), "BEGIN");
  run(sender.get(), "SELECT pg_notify('smsgw_queue', 'site-a')");
  // Not before the commit: a woken node finds the rows the notification is about.
  EXPECT_EQ(next_notification(listener.get(), 300ms), nullptr);
  run(sender.get(), "COMMIT");

  const auto notification = next_notification(listener.get(), 5s);
  ASSERT_NE(notification, nullptr);
  EXPECT_STREQ(notification->relname, "smsgw_queue");
  EXPECT_STREQ(notification->extra, "site-a");
  EXPECT_EQ(notification->be_pid, PQbackendPID(sender.get()));
  EXPECT_EQ(next_notification(listener.get(), 100ms), nullptr);

  // Another channel is not heard.
  run(sender.get(), "NOTIFY smsgw_other");
  EXPECT_EQ(next_notification(listener.get(), 200ms), nullptr);
}

TEST_F(Postgres, RestartKeepsCommittedRowsAndDropsUncommittedOnes) {
  const auto writer = open();
  run(writer.get(), "CREATE TABLE durable (id integer PRIMARY KEY)");
  run(writer.get(), "INSERT INTO durable SELECT generate_series(1, 100)");
  const auto in_flight = open();
  run(in_flight.get(), "BEGIN");
  run(in_flight.get(), "INSERT INTO durable VALUES (1000)");
  const auto port = cluster_->port();
  const auto old_pid = cluster_->pid();

  const auto started = std::chrono::steady_clock::now();
  cluster_->restart();
  RecordProperty("restart_ms",
                 static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::steady_clock::now() - started)
                                      .count()));
  EXPECT_EQ(cluster_->port(), port);
  EXPECT_NE(cluster_->pid(), old_pid);

  // The old sessions are gone: the next statement fails and the connection is bad.
  const auto lost = exec(writer.get(), "SELECT 1");
  EXPECT_NE(PQresultStatus(lost.get()), PGRES_TUPLES_OK);
  EXPECT_EQ(PQstatus(writer.get()), CONNECTION_BAD);
  EXPECT_NE(PQresultStatus(exec(in_flight.get(), "COMMIT").get()), PGRES_COMMAND_OK);

  const auto reader = open();
  EXPECT_EQ(single_value(reader.get(), "SELECT count(*) FROM durable"), "100");
  EXPECT_EQ(single_value(reader.get(), "SELECT count(*) FROM durable WHERE id = 1000"), "0");

  // PQreset reconnects with the same parameters (password file included).
  PQreset(writer.get());
  ASSERT_EQ(PQstatus(writer.get()), CONNECTION_OK) << PQerrorMessage(writer.get());
  EXPECT_EQ(single_value(writer.get(), "SELECT max(id) FROM durable"), "100");
}

}  // namespace
}  // namespace smsgw
