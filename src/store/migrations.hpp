// The store's schema as numbered migrations, one list for both engines.
//
// Contract: migrations()[i] takes a database from version i to version i + 1: on SQLite by
// its `sqlite` text (PRAGMA user_version = number applied), on PostgreSQL by its `postgres`
// text (table smsgw_schema holds the number applied; an empty text changes nothing there).
// Entries 1..9 have no PostgreSQL text: entry 10 carries the whole PostgreSQL baseline, the
// schema SQLite has at version 10. Every later entry gives both texts. Entries are never
// edited once released; a change to the schema is a new entry at the end.
#pragma once

#include <span>
#include <string_view>

// The dispatcher's queue group of a message row (store::queue_group, records.hpp), as an
// SQL expression: indexed by messages_group_ready and messages_group_timed; a query must
// use it verbatim for those indexes to serve.
#define QUEUE_GROUP_SQL                                                               \
  "(CASE WHEN COALESCE(pinned_modem, '') <> '' THEN 'modem:' || pinned_modem "        \
  "WHEN COALESCE(pinned_operator, '') <> '' THEN 'op:' || pinned_operator "           \
  "WHEN COALESCE(destination_operator, '') <> '' THEN 'op:' || destination_operator " \
  "ELSE 'any' END)"

// When a queued message comes due: the later of its send_at and next_attempt_at (0: now).
// Indexed by messages_group_timed and messages_due_time, for rows that have either. The
// PostgreSQL connection rewrites it to DUE_TIME_POSTGRES_SQL (dialect.hpp), the expression
// the PostgreSQL baseline indexes: queries keep writing DUE_TIME_SQL.
#define DUE_TIME_SQL "MAX(COALESCE(send_at, 0), COALESCE(next_attempt_at, 0))"
#define DUE_TIME_POSTGRES_SQL "GREATEST(COALESCE(send_at, 0), COALESCE(next_attempt_at, 0))"
#define HAS_DUE_TIME_SQL "(send_at IS NOT NULL OR next_attempt_at IS NOT NULL)"

namespace smsgw::store {

struct Migration {
  std::string_view sqlite;
  std::string_view postgres;  // empty: nothing to do on PostgreSQL
};

std::span<const Migration> migrations();

// The PostgreSQL baseline (migrations_postgres.cpp): the schema of SQLite version 10.
extern const std::string_view kPostgresBaseline;

}  // namespace smsgw::store
