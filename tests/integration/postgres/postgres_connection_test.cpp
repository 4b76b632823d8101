// The store's PostgreSQL engine (src/store/postgres.hpp) and store::QueueListener against a
// real server (harness::PostgresCluster): binding and reading each type, the dialect's
// parameters, statement reuse, errors, transactions and savepoints, begin_write()
// serialising writers, RETURNING, reconnecting after a restart, and LISTEN/NOTIFY.
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
