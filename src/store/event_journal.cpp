// The event journal (table events, migrations.cpp kEventJournal): the events of the live
// stream that a client reconnecting with Last-Event-ID gets again (docs/store.md).
#include "store_impl.hpp"

namespace smsgw::store {

Result<std::int64_t> Store::append_journal(std::span<const NewJournalEvent> events, TimePoint at) {
  if (events.empty()) return make_error("store.error", "append_journal: no events");
  return impl_->transaction([&]() -> Result<std::int64_t> {
    STORE_TRY_ASSIGN(auto insert,
                     impl_->q("INSERT INTO events (at, type, client, data) VALUES (?, ?, ?, ?)"));
    for (const auto& event : events) {
      STORE_TRY(insert->bind_all(at, event.type, event.client, event.data).send());
    }
    // The ids are consecutive, the newest ours: appends run one at a time (the writers'
    // lock, database.hpp) and each takes the next id.
    STORE_TRY_ASSIGN(auto newest, impl_->q("SELECT MAX(id) FROM events"));
    STORE_TRY_ASSIGN(const std::int64_t last, newest->single_integer());
    const std::int64_t first = last - static_cast<std::int64_t>(events.size()) + 1;
    // Trimming in steps keeps the cost of an append flat: one DELETE per 1024 events.
    if (const std::int64_t step = last / 1024 * 1024; step >= first && step > 0) {
      STORE_TRY_ASSIGN(auto trim, impl_->q("DELETE FROM events WHERE id <= ?"));
      STORE_TRY(trim->bind_all(step - kEventsKept).run());
    }
    return first;
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
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT MIN(id), MAX(id) FROM events"));
  STORE_TRY_ASSIGN(const bool row, query->step());
  JournalBounds bounds;
  if (row) {
    bounds.last = query->optional_integer(1).value_or(0);
    bounds.first = query->optional_integer(0).value_or(bounds.last + 1);
  }
  return bounds;
}

}  // namespace smsgw::store
