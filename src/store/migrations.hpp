// The store's schema as numbered migrations (PRAGMA user_version = number applied).
//
// Contract: kMigrations[i] takes a database from version i to version i + 1. Entries are
// never edited once released; a change to the schema is a new entry at the end.
#pragma once

#include <span>
#include <string_view>

namespace smsgw::store {

std::span<const std::string_view> migrations();

}  // namespace smsgw::store
