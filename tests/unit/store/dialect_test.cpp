// store::dialect::to_postgres (dialect.hpp): the PostgreSQL spelling of the store's SQL.
#include "dialect.hpp"

#include <gtest/gtest.h>

#include "migrations.hpp"

namespace smsgw::store::dialect {
namespace {

TEST(DialectTest, NumberedParametersBecomeDollarParameters) {
  EXPECT_EQ(to_postgres("SELECT a FROM t WHERE b = ?1 AND c = ?12 OR d = ?1"),
            "SELECT a FROM t WHERE b = $1 AND c = $12 OR d = $1");
}

TEST(DialectTest, BareParametersFollowSqlitesNumbering) {
  EXPECT_EQ(to_postgres("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
  // One more than the largest so far, as SQLite numbers them.
  EXPECT_EQ(to_postgres("VALUES (?, ?5, ?, ?2, ?)"), "VALUES ($1, $5, $6, $2, $7)");
}

TEST(DialectTest, CountsParameters) {
  EXPECT_EQ(rewrite("SELECT 1").parameters, 0);
  EXPECT_EQ(rewrite("SELECT ?3, ?").parameters, 4);
  EXPECT_EQ(rewrite("SELECT ?2, ?1").parameters, 2);
}

TEST(DialectTest, LeavesLiteralsIdentifiersAndCommentsAlone) {
  EXPECT_EQ(to_postgres("SELECT '?', 'it''s ?1', \"col?\" FROM t WHERE x = ?"),
            "SELECT '?', 'it''s ?1', \"col?\" FROM t WHERE x = $1");
  EXPECT_EQ(to_postgres("SELECT ? -- why ?\n, ?"), "SELECT $1 -- why ?\n, $2");
  EXPECT_EQ(to_postgres("SELECT /* ? INDEXED BY x */ ?"), "SELECT /* ? INDEXED BY x */ $1");
  EXPECT_EQ(to_postgres("SELECT '" DUE_TIME_SQL "'"), "SELECT '" DUE_TIME_SQL "'");
  EXPECT_EQ(to_postgres("SELECT \"a\"\"?\" , ?"), "SELECT \"a\"\"?\" , $1");
}

TEST(DialectTest, RemovesIndexedBy) {
  EXPECT_EQ(to_postgres("SELECT id FROM messages INDEXED BY messages_due_time WHERE a = ?"),
            "SELECT id FROM messages WHERE a = $1");
  EXPECT_EQ(to_postgres("FROM m indexed  by\n\"ix\" WHERE"), "FROM m WHERE");
  // Only the hint: a column named indexed_by, or INDEXED alone, stays.
  EXPECT_EQ(to_postgres("SELECT indexed_by, reindexed FROM t"),
            "SELECT indexed_by, reindexed FROM t");
  EXPECT_EQ(to_postgres("SELECT indexed FROM t"), "SELECT indexed FROM t");
}

TEST(DialectTest, RenamesTheScalarMaxOfDueTime) {
  EXPECT_EQ(
      to_postgres("SELECT id FROM messages WHERE " DUE_TIME_SQL " <= ?1 ORDER BY " DUE_TIME_SQL),
      "SELECT id FROM messages WHERE GREATEST(COALESCE(send_at, 0), COALESCE(next_attempt_at, "
      "0)) <= $1 ORDER BY GREATEST(COALESCE(send_at, 0), COALESCE(next_attempt_at, 0))");
}

TEST(DialectTest, LeavesAggregateMaxAlone) {
  EXPECT_EQ(to_postgres("SELECT MIN(id), MAX(id) FROM events"),
            "SELECT MIN(id), MAX(id) FROM events");
  EXPECT_EQ(to_postgres("SELECT XMAX(last_seen, ?7)"), "SELECT XMAX(last_seen, $7)");
}

TEST(DialectTest, KeepsUnterminatedLiteralsAsTheyAre) {
  EXPECT_EQ(to_postgres("SELECT 'abc ?"), "SELECT 'abc ?");
  EXPECT_EQ(to_postgres(""), "");
}

}  // namespace
}  // namespace smsgw::store::dialect
