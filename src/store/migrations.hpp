// The store's schema as numbered migrations (PRAGMA user_version = number applied).
//
// Contract: kMigrations[i] takes a database from version i to version i + 1. Entries are
// never edited once released; a change to the schema is a new entry at the end.
#pragma once

#include <span>
#include <string_view>

// The dispatcher's queue group of a message row (store::queue_group, records.hpp), as an
// SQL expression: indexed by messages_group_queue; a query must use it verbatim for that
// index to serve.
#define QUEUE_GROUP_SQL                                                               \
  "(CASE WHEN COALESCE(pinned_modem, '') <> '' THEN 'modem:' || pinned_modem "        \
  "WHEN COALESCE(pinned_operator, '') <> '' THEN 'op:' || pinned_operator "           \
  "WHEN COALESCE(destination_operator, '') <> '' THEN 'op:' || destination_operator " \
  "ELSE 'any' END)"

namespace smsgw::store {

std::span<const std::string_view> migrations();

}  // namespace smsgw::store
