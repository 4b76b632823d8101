// The event journal (table events, migrations.cpp kEventJournal): the events of the live
// stream that a client reconnecting with Last-Event-ID gets again (docs/store.md).
#include "store_impl.hpp"

namespace smsgw::store {

Result<std::int64_t> Store::append_journal(const std::string& type,
                                           const std::optional<std::string>& client,
                                           const std::string& data_json, TimePoint at) {
  return impl_->transaction([&]() -> Result<std::int64_t> {
    STORE_TRY_ASSIGN(auto insert, impl_->q("INSERT INTO events (at, type, client, data) "
                                           "VALUES (?, ?, ?, ?)"));
    STORE_TRY(insert->bind_all(at, type, client, data_json).run());
    const auto id = static_cast<std::int64_t>(sqlite3_last_insert_rowid(impl_->db->handle()));
    // Trimming in steps keeps the cost of an append flat: one DELETE per 1024 events.
    if (id % 1024 == 0) {
      STORE_TRY_ASSIGN(auto trim, impl_->q("DELETE FROM events WHERE id <= ?"));
      STORE_TRY(trim->bind_all(id - kEventsKept).run());
    }
    return id;
  });
}

Result<std::vector<JournalEvent>> Store::journal_after(std::int64_t after, int limit) {
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT id, at, type, client, data FROM events "
                                        "WHERE id > ? ORDER BY id LIMIT ?"));
  query->bind_all(after, std::max(limit, 1));
  std::vector<JournalEvent> events;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    events.push_back(JournalEvent{query->integer(0), query->time(1), query->text(2),
                                  query->optional_text(3), query->text(4)});
  }
  return events;
}

Result<JournalBounds> Store::journal_bounds() {
  // sqlite_sequence keeps the last id given even when its row has been trimmed.
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT (SELECT MIN(id) FROM events), "
                                        "(SELECT seq FROM sqlite_sequence WHERE name = 'events')"));
  STORE_TRY_ASSIGN(const bool row, query->step());
  JournalBounds bounds;
  if (row) {
    bounds.last = query->optional_integer(1).value_or(0);
    bounds.first = query->optional_integer(0).value_or(bounds.last + 1);
  }
  return bounds;
}

}  // namespace smsgw::store
