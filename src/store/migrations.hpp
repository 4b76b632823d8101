// The store's schema as numbered migrations (PRAGMA user_version = number applied).
//
// Contract: kMigrations[i] takes a database from version i to version i + 1. Entries are
// never edited once released; a change to the schema is a new entry at the end.
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
// Indexed by messages_group_timed and messages_due_time, for rows that have either.
#define DUE_TIME_SQL "MAX(COALESCE(send_at, 0), COALESCE(next_attempt_at, 0))"
#define HAS_DUE_TIME_SQL "(send_at IS NOT NULL OR next_attempt_at IS NOT NULL)"

namespace smsgw::store {

std::span<const std::string_view> migrations();

}  // namespace smsgw::store
