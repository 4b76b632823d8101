// The store's PostgreSQL engine (src/store/postgres.hpp) and store::QueueListener against a
// real server (harness::PostgresCluster): binding and reading each type, the dialect's
// parameters, statement reuse, errors, transactions and savepoints, begin_write()
// serialising writers, RETURNING, reconnecting after a restart, statements sent ahead
// (Query::send), and LISTEN/NOTIFY.
// One cluster for the suite; each test uses tables of its own.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "harness/postgres_cluster.hpp"
#include "postgres.hpp"
#include "smsgw/store/queue_listener.hpp"

namespace smsgw::store::postgres {
namespace {

using namespace std::chrono_literals;

class PostgresConnectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (harness::postgres_installed()) cluster_ = new harness::PostgresCluster();
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    if (cluster_ == nullptr) GTEST_SKIP() << harness::postgres_missing_reason();
  }

  static std::unique_ptr<Connection> open() {
    auto connection = Connection::open(cluster_->url(), cluster_->password_file(), "smsgw/test");
    if (!connection) {
      ADD_FAILURE() << connection.error().message;
      return nullptr;
    }
    return std::move(*connection);
  }

  // Runs `sql` (one parameter) with `n`; the error of query() or of the run.
  static Result<void> run(Connection& db, const char* sql, std::int64_t n) {
    auto query = db.query(sql);
    if (!query) return query.error();
    return (*query)->bind_all(n).run();
  }

  static harness::PostgresCluster* cluster_;
};

harness::PostgresCluster* PostgresConnectionTest::cluster_ = nullptr;

TEST_F(PostgresConnectionTest, BindsAndReadsEveryType) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE types_t (i BIGINT, r DOUBLE PRECISION, t TEXT, b BIGINT)"));
  static const char* const kInsert = "INSERT INTO types_t (i, r, t, b) VALUES (?1, ?2, ?3, ?4)";
  auto insert = db->query(kInsert);
  ASSERT_TRUE(insert);
  auto first = (*insert)->bind_all(std::int64_t{-9007199254740993}, 0.1, "it's ü", true).run();
  ASSERT_TRUE(first) << first.error().message;
  auto second = (*insert)->bind_all(std::nullopt, std::nullopt, std::nullopt, false).run();
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(db->changes(), 1);
  // b = 1: a boolean result, read as 1 or 0.
  auto select = db->query("SELECT i, r, t, b = 1 FROM types_t ORDER BY i NULLS LAST");
  ASSERT_TRUE(select);
  auto& q = **select;
  ASSERT_TRUE(*q.step());
  EXPECT_EQ(q.integer(0), -9007199254740993);
  EXPECT_EQ(q.real(1), 0.1);
  EXPECT_EQ(q.text(2), "it's ü");
  EXPECT_EQ(q.integer(3), 1);
  ASSERT_TRUE(*q.step());
  EXPECT_EQ(q.optional_integer(0), std::nullopt);
  EXPECT_EQ(q.optional_real(1), std::nullopt);
  EXPECT_EQ(q.optional_text(2), std::nullopt);
  EXPECT_EQ(q.integer(3), 0);
  EXPECT_FALSE(*q.step());
}

TEST_F(PostgresConnectionTest, RewritesBareAndNumberedParameters) {
  auto db = open();
  ASSERT_TRUE(db);
  auto query = db->query("SELECT ?::BIGINT + ?3, ?2 || 'x'");
  ASSERT_TRUE(query);
  (*query)->bind(1, 40).bind(2, "a").bind(3, 2);
  ASSERT_TRUE(*(*query)->step());
  EXPECT_EQ((*query)->integer(0), 42);
  EXPECT_EQ((*query)->text(1), "ax");
  EXPECT_FALSE(*(*query)->step());
}

TEST_F(PostgresConnectionTest, ReusesAStatementInALoop) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE loop_t (n BIGINT)"));
  static const char* const kInsert = "INSERT INTO loop_t (n) VALUES (?)";
  auto insert = db->query(kInsert);
  ASSERT_TRUE(insert);
  for (int n = 1; n <= 5; ++n) ASSERT_TRUE((*insert)->bind_all(n).run());
  // A second Query of the same SQL uses the cached statement.
  auto again = db->query(kInsert);
  ASSERT_TRUE((*again)->bind_all(std::int64_t{6}).run());
  auto sum = db->query("SELECT SUM(n), COUNT(*) FROM loop_t");
  ASSERT_TRUE(*(*sum)->step());
  EXPECT_EQ((*sum)->integer(0), 21);
  EXPECT_EQ((*sum)->integer(1), 6);
}

TEST_F(PostgresConnectionTest, AUniqueViolationIsAConflict) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE unique_t (id TEXT PRIMARY KEY)"));
  auto insert = db->query("INSERT INTO unique_t (id) VALUES (?1)");
  ASSERT_TRUE((*insert)->bind_all("a").run());
  auto again = (*insert)->bind_all("a").run();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorCode::conflict) << again.error().message;
  auto bad = db->exec("SELECT * FROM no_such_table");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "store.error");
}

TEST_F(PostgresConnectionTest, RollsBackTransactionsAndSavepoints) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE tx_t (id TEXT PRIMARY KEY)"));
  static const char* const kInsert = "INSERT INTO tx_t (id) VALUES (?1)";
  ASSERT_TRUE(db->begin_write());
  ASSERT_TRUE((*db->query(kInsert))->bind_all("kept").run());
  ASSERT_TRUE(db->exec("SAVEPOINT job"));
  ASSERT_TRUE((*db->query(kInsert))->bind_all("undone").run());
  EXPECT_FALSE((*db->query(kInsert))->bind_all("kept").run());  // aborts to the savepoint
  ASSERT_TRUE(db->exec("ROLLBACK TO job"));
  ASSERT_TRUE(db->exec("COMMIT"));
  ASSERT_TRUE(db->begin_write());
  ASSERT_TRUE((*db->query(kInsert))->bind_all("rolled back").run());
  ASSERT_TRUE(db->exec("ROLLBACK"));
  auto ids = db->query("SELECT string_agg(id, ',' ORDER BY id) FROM tx_t");
  ASSERT_TRUE(*(*ids)->step());
  EXPECT_EQ((*ids)->text(0), "kept");
  // A COMMIT of a failed transaction is an error, not a silent rollback.
  ASSERT_TRUE(db->begin_write());
  EXPECT_FALSE((*db->query(kInsert))->bind_all("kept").run());
  EXPECT_FALSE(db->exec("COMMIT"));
}

TEST_F(PostgresConnectionTest, BeginWriteSerialisesWriters) {
  auto first = open();
  auto second = open();
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(first->begin_write());
  std::atomic<bool> second_began{false};
  std::thread writer([&] {
    EXPECT_TRUE(second->begin_write());
    second_began = true;
    EXPECT_TRUE(second->exec("COMMIT"));
  });
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(second_began) << "the second writer did not wait for the first";
  ASSERT_TRUE(first->exec("COMMIT"));
  writer.join();
  EXPECT_TRUE(second_began);
}

TEST_F(PostgresConnectionTest, ReturningGivesTheNewId) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec(
      "CREATE TABLE returning_t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v TEXT)"));
  static const char* const kInsert = "INSERT INTO returning_t (v) VALUES (?) RETURNING id";
  auto insert = db->query(kInsert);
  EXPECT_EQ((*insert)->bind_all("a").single_integer().value(), 1);
  EXPECT_EQ((*insert)->bind_all("b").single_integer().value(), 2);
}

TEST_F(PostgresConnectionTest, ReconnectsAfterARestart) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE restart_t (n BIGINT)"));
  static const char* const kInsert = "INSERT INTO restart_t (n) VALUES (?1)";
  ASSERT_TRUE(run(*db, kInsert, 1));
  cluster_->stop();
  auto down = run(*db, kInsert, 2);
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, "unavailable") << down.error().message;
  auto still_down = db->exec("SELECT 1");
  ASSERT_FALSE(still_down);
  EXPECT_EQ(still_down.error().code, "unavailable") << still_down.error().message;
  cluster_->start();
  // The first call may still see the old connection's loss; then it is back, and the
  // statement is prepared again.
  Result<void> back = run(*db, kInsert, 3);
  if (!back) {
    EXPECT_EQ(back.error().code, "unavailable") << back.error().message;
    back = run(*db, kInsert, 3);
  }
  ASSERT_TRUE(back) << back.error().message;
  auto count = db->query("SELECT COUNT(*) FROM restart_t");
  ASSERT_TRUE(*(*count)->step());
  EXPECT_EQ((*count)->integer(0), 2);
}

TEST_F(PostgresConnectionTest, ATransactionCutShortStaysFailedUntilRollback) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE cut_t (n BIGINT)"));
  static const char* const kInsert = "INSERT INTO cut_t (n) VALUES (?1)";
  ASSERT_TRUE(db->begin_write());
  ASSERT_TRUE(run(*db, kInsert, 1));
  cluster_->restart();
  EXPECT_FALSE(run(*db, kInsert, 2));
  auto cut = run(*db, kInsert, 3);  // reconnected, but its transaction is gone
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, "unavailable");
  EXPECT_FALSE(db->exec("COMMIT"));
  EXPECT_TRUE(db->exec("ROLLBACK"));
  auto after = run(*db, kInsert, 4);
  ASSERT_TRUE(after) << after.error().message;
  auto count = db->query("SELECT COUNT(*), MAX(n) FROM cut_t");
  ASSERT_TRUE(*(*count)->step());
  EXPECT_EQ((*count)->integer(0), 1);
  EXPECT_EQ((*count)->integer(1), 4);
}

TEST_F(PostgresConnectionTest, ARollbackWhileTheServerIsDownEndsTheLostTransaction) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE down_t (n BIGINT)"));
  static const char* const kInsert = "INSERT INTO down_t (n) VALUES (?1)";
  ASSERT_TRUE(db->begin_write());
  ASSERT_TRUE(run(*db, kInsert, 1));
  cluster_->stop();
  EXPECT_FALSE(run(*db, kInsert, 2));
  EXPECT_TRUE(db->exec("ROLLBACK"));
  auto down = db->begin_write();
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, "unavailable");
  cluster_->start();
  auto back = db->begin_write();
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_TRUE(run(*db, kInsert, 3));
  ASSERT_TRUE(db->exec("COMMIT"));
  auto count = db->query("SELECT COUNT(*) FROM down_t");
  ASSERT_TRUE(*(*count)->step());
  EXPECT_EQ((*count)->integer(0), 1);
}

// Query::send(): inside a transaction the statements go out without waiting (pipeline
// mode); the next call that waits reads their answers first.
TEST_F(PostgresConnectionTest, StatementsSentAheadRunInOrderBeforeTheNextRead) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE ahead_t (n BIGINT PRIMARY KEY)"));
  static const char* const kInsert = "INSERT INTO ahead_t (n) VALUES (?1)";
  static const char* const kDouble = "UPDATE ahead_t SET n = n * 10 WHERE n >= ?1";
  ASSERT_TRUE(db->begin_write());
  for (std::int64_t n = 1; n <= 3; ++n) {
    auto insert = db->query(kInsert);
    ASSERT_TRUE(insert);
    ASSERT_TRUE((*insert)->bind_all(n).send());
  }
  auto update = db->query(kDouble);
  ASSERT_TRUE((*update)->bind_all(std::int64_t{2}).send());
  EXPECT_EQ(db->changes(), 2);  // the UPDATE's, read when asked for
  auto sum = db->query("SELECT SUM(n) FROM ahead_t");
  ASSERT_TRUE(*(*sum)->step());
  EXPECT_EQ((*sum)->integer(0), 51);
  ASSERT_TRUE(db->exec("COMMIT"));
}

TEST_F(PostgresConnectionTest, AFailureSentAheadIsReportedByTheNextCallThatWaits) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE ahead_fail_t (n BIGINT PRIMARY KEY)"));
  static const char* const kInsert = "INSERT INTO ahead_fail_t (n) VALUES (?1)";
  auto send = [&](std::int64_t n) { return (*db->query(kInsert))->bind_all(n).send(); };
  ASSERT_TRUE(db->begin_write());
  ASSERT_TRUE(send(1));
  ASSERT_TRUE((*db->query("SAVEPOINT job"))->send());
  ASSERT_TRUE(send(2));
  ASSERT_TRUE(send(1));  // a duplicate: its answer is not read yet
  ASSERT_TRUE(send(3));  // after the failure: not run
  auto released = (*db->query("RELEASE job"))->run();
  ASSERT_FALSE(released);
  EXPECT_EQ(released.error().kind, ErrorCode::conflict) << released.error().message;
  // The rollback runs whatever failed before it, and the transaction goes on.
  ASSERT_TRUE((*db->query("ROLLBACK TO job"))->run());
  ASSERT_TRUE((*db->query("RELEASE job"))->run());
  ASSERT_TRUE(send(4));
  ASSERT_TRUE(db->exec("COMMIT"));
  auto rows = db->query("SELECT COUNT(*), SUM(n) FROM ahead_fail_t");
  ASSERT_TRUE(*(*rows)->step());
  EXPECT_EQ((*rows)->integer(0), 2);
  EXPECT_EQ((*rows)->integer(1), 5);
  // Outside a transaction nothing waits for later: the failure is the call's own.
  auto alone = send(4);
  ASSERT_FALSE(alone);
  EXPECT_EQ(alone.error().kind, ErrorCode::conflict);
}

TEST_F(PostgresConnectionTest, StatementsSentAheadWhenTheServerGoesAreUnavailable) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE ahead_lost_t (n BIGINT)"));
  static const char* const kInsert = "INSERT INTO ahead_lost_t (n) VALUES (?1)";
  ASSERT_TRUE(db->begin_write());
  ASSERT_TRUE((*db->query(kInsert))->bind_all(std::int64_t{1}).send());
  cluster_->restart();
  (void)(*db->query(kInsert))->bind_all(std::int64_t{2}).send();
  auto lost = db->exec("COMMIT");
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, "unavailable") << lost.error().message;
  EXPECT_TRUE(db->exec("ROLLBACK"));
  Result<void> again = db->begin_write();
  if (!again) again = db->begin_write();  // the first may still see the old connection's loss
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_TRUE((*db->query(kInsert))->bind_all(std::int64_t{3}).send());
  ASSERT_TRUE(db->exec("COMMIT"));
  auto rows = db->query("SELECT COUNT(*), MAX(n) FROM ahead_lost_t");
  ASSERT_TRUE(*(*rows)->step());
  EXPECT_EQ((*rows)->integer(0), 1);
  EXPECT_EQ((*rows)->integer(1), 3);
}

TEST_F(PostgresConnectionTest, NullParametersTakeTheirTypeFromContext) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE null_t (n BIGINT, t TEXT)"));
  ASSERT_TRUE(db->exec("INSERT INTO null_t VALUES (1, 'a')"));
  auto query = db->query(
      "SELECT COUNT(*) FROM null_t WHERE (?1 IS NULL OR n = ?1) AND "
      "(?2 IS NULL OR t = ?2)");
  ASSERT_TRUE(query);
  (*query)->bind_all(std::nullopt, std::nullopt);
  auto row = (*query)->step();
  ASSERT_TRUE(row) << row.error().message;
  EXPECT_EQ((*query)->integer(0), 1);
  EXPECT_FALSE(*(*query)->step());
  (*query)->bind_all(2, std::nullopt);
  ASSERT_TRUE(*(*query)->step());
  EXPECT_EQ((*query)->integer(0), 0);
  EXPECT_FALSE(*(*query)->step());
  // Inside a transaction too, which the tries leave as it was.
  ASSERT_TRUE(db->begin_write());
  auto typed = db->query(
      "SELECT COUNT(*) FROM null_t WHERE (?2 IS NULL OR t = ?2) AND "
      "(?1 IS NULL OR n >= ?1)");
  (*typed)->bind_all(std::nullopt, std::nullopt);
  auto typed_row = (*typed)->step();
  ASSERT_TRUE(typed_row) << typed_row.error().message;
  EXPECT_EQ((*typed)->integer(0), 1);
  EXPECT_FALSE(*(*typed)->step());
  ASSERT_TRUE(db->exec("COMMIT"));
  auto alone = db->query("SELECT ?1 IS NULL");
  (*alone)->bind(1, std::nullopt);
  auto alone_row = (*alone)->step();
  ASSERT_TRUE(alone_row) << alone_row.error().message;
  EXPECT_EQ((*alone)->integer(0), 1);
}

// Counts callbacks; waits for the next ones.
struct Heard {
  std::mutex mutex;
  std::condition_variable changed;
  int count = 0;
  void notify() {
    std::lock_guard lock(mutex);
    ++count;
    changed.notify_all();
  }
  bool wait_for_more_than(int seen, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [&] { return count > seen; });
  }
  int now() {
    std::lock_guard lock(mutex);
    return count;
  }
};

TEST_F(PostgresConnectionTest, QueueListenerHearsNotifyAndSurvivesARestart) {
  Heard heard;
  auto listener = QueueListener::start(cluster_->url(), cluster_->password_file(), "smsgw_queue",
                                       [&] { heard.notify(); });
  ASSERT_TRUE(listener) << listener.error().message;
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("SELECT pg_notify('smsgw_queue', '')"));
  ASSERT_TRUE(heard.wait_for_more_than(0, 5s));
  cluster_->restart();
  // Back: one call for what may have been missed, then NOTIFY is heard again.
  ASSERT_TRUE(heard.wait_for_more_than(1, 10s));
  const int before = heard.now();
  Result<void> sent = db->exec("NOTIFY smsgw_queue");
  if (!sent) sent = db->exec("NOTIFY smsgw_queue");  // the first call may see the loss
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_TRUE(heard.wait_for_more_than(before, 5s));
  listener->reset();
}

TEST_F(PostgresConnectionTest, RefusesAnUnreachableServer) {
  auto connection = Connection::open("postgresql://nobody@127.0.0.1:1/none", {}, "smsgw/test");
  ASSERT_FALSE(connection);
  EXPECT_EQ(connection.error().code, "unavailable");
  EXPECT_NE(connection.error().message.find("127.0.0.1"), std::string::npos)
      << connection.error().message;
}

}  // namespace
}  // namespace smsgw::store::postgres
