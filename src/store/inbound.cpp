// Inbound messages: received parts, duplicates dropped, concatenated parts joined by the
// rules of scheduler/reassembler.hpp, and the inbox.
#include "smsgw/scheduler/reassembler.hpp"
#include "smsgw/store/ulid.hpp"
#include "store_impl.hpp"

#define INBOUND_COLUMNS \
  "id, modem, sender, smsc_time, concat_ref, total, parts_received, complete, text, received_at"

namespace smsgw::store {

using db::Query;

namespace {

StoredInbound read_inbound(const Query& q) {
  StoredInbound m;
  m.id = q.text(0);
  m.modem = q.text(1);
  m.sender = q.text(2);
  m.smsc_time = q.optional_time(3);
  m.concat_ref = q.optional_int(4);
  m.total = static_cast<int>(q.integer(5));
  m.parts_received = static_cast<int>(q.integer(6));
  m.complete = q.integer(7) != 0;
  m.text = q.text(8);
  m.received_at = q.time(9);
  return m;
}

}  // namespace

Result<InboxPage> Store::list_inbox(int limit, const std::optional<std::string>& before) {
  InboxQuery query;
  query.limit = limit;
  query.before = before;
  return list_inbox(query);
}

Result<InboxPage> Store::list_inbox(const InboxQuery& filter) {
  const int limit = std::clamp(filter.limit, 1, 1000);
  // ?1 before, ?2 limit, ?3 since (ms), ?4 the smallest id of that millisecond, ?5 from,
  // ?6 modem. Ids are ULIDs of the receive time, so `since` is also an id range (the
  // received_at test keeps it exact should the id generator have run ahead of the clock).
  // (A parameter's first use is CAST: PostgreSQL takes its type from there, and `? IS NULL`
  // alone says none.)
#define INBOX_FILTERS                                                                        \
  " id < COALESCE(?1, '~') AND (CAST(?3 AS BIGINT) IS NULL OR (id >= ?4 AND received_at >= " \
  "?3)) AND (CAST(?5 AS TEXT) IS NULL OR sender = ?5) AND (CAST(?6 AS TEXT) IS NULL OR "     \
  "modem = ?6) "
  std::unique_ptr<db::Query> query;
  if (filter.from) {
    STORE_TRY_ASSIGN(query, impl_->q("SELECT " INBOUND_COLUMNS " FROM inbound_messages INDEXED BY "
                                     "inbound_by_sender WHERE sender = ?5 AND" INBOX_FILTERS
                                     "ORDER BY sender, id DESC LIMIT ?2"));
  } else if (filter.modem) {
    STORE_TRY_ASSIGN(query, impl_->q("SELECT " INBOUND_COLUMNS " FROM inbound_messages INDEXED BY "
                                     "inbound_by_modem WHERE modem = ?6 AND" INBOX_FILTERS
                                     "ORDER BY modem, id DESC LIMIT ?2"));
  } else {
    STORE_TRY_ASSIGN(query,
                     impl_->q("SELECT " INBOUND_COLUMNS " FROM inbound_messages WHERE" INBOX_FILTERS
                              "ORDER BY id DESC LIMIT ?2"));
  }
#undef INBOX_FILTERS
  query->bind(1, filter.before).bind(2, limit + 1).bind(3, filter.since);
  query->bind(4,
              filter.since ? std::optional<std::string>(ulid_floor(*filter.since)) : std::nullopt);
  query->bind(5, filter.from).bind(6, filter.modem);
  InboxPage page;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    page.messages.push_back(read_inbound(*query));
  }
  if (page.messages.size() > static_cast<std::size_t>(limit)) {
    page.messages.pop_back();
    page.next_before = page.messages.back().id;
  }
  return page;
}

Result<InboundStoreResult> Store::store_inbound(const InboundPart& part) {
  const TimePoint now = or_now(part.received_at, std::chrono::system_clock::now());
  const TimePoint window_start = now - impl_->options.inbound_dedupe_window;
  if (!scheduler::valid_part_number(part.part, part.total)) {
    return make_error("invalid", "inbound part " + std::to_string(part.part) + " of " +
                                     std::to_string(part.total) + " is out of range");
  }
  return impl_->transaction([&]() -> Result<InboundStoreResult> {
    auto load = [&](const std::string& id, bool duplicate) -> Result<InboundStoreResult> {
      STORE_TRY_ASSIGN(auto query,
                       impl_->q("SELECT " INBOUND_COLUMNS " FROM inbound_messages WHERE id = ?"));
      query->bind(1, id);
      STORE_TRY(query->step());
      const StoredInbound m = read_inbound(*query);
      return InboundStoreResult{m.id,    duplicate, m.complete, m.parts_received,
                                m.total, m.text,    m.smsc_time};
    };
    // An identical PDU from the same modem within the window: the modem delivered it again.
    if (!part.pdu_hex.empty()) {
      STORE_TRY_ASSIGN(auto query,
                       impl_->q("SELECT m.id FROM inbound_parts p JOIN inbound_messages m ON "
                                "m.id = p.inbound_id WHERE p.pdu = ? AND m.modem = ? AND "
                                "p.received_at >= ? LIMIT 1"));
      query->bind_all(part.pdu_hex, part.modem, window_start);
      STORE_TRY_ASSIGN(const bool row, query->step());
      if (row) {
        const std::string id = query->text(0);
        query.reset();
        return load(id, true);
      }
    }
    std::optional<std::string> id;
    const bool concatenated = scheduler::joins_concatenation(part.concat_ref, part.total);
    if (concatenated) {
      STORE_TRY_ASSIGN(auto query,
                       impl_->q("SELECT id FROM inbound_messages WHERE modem = ? AND sender = ? "
                                "AND concat_ref = ? AND total = ? AND complete = 0 AND "
                                "received_at >= ? ORDER BY received_at DESC LIMIT 1"));
      query->bind_all(part.modem, part.sender, *part.concat_ref, part.total, window_start);
      STORE_TRY_ASSIGN(const bool row, query->step());
      if (row) id = query->text(0);
    }
    if (id) {
      STORE_TRY_ASSIGN(auto query, impl_->q("SELECT 1 FROM inbound_parts WHERE inbound_id = ? "
                                            "AND part = ?"));
      query->bind_all(*id, part.part);
      STORE_TRY_ASSIGN(const bool row, query->step());
      if (row) {
        query.reset();
        return load(*id, true);
      }
    } else {
      id = impl_->ids.next(now);
      STORE_TRY_ASSIGN(auto insert,
                       impl_->q("INSERT INTO inbound_messages (id, modem, sender, smsc_time, "
                                "concat_ref, total, parts_received, complete, text, received_at) "
                                "VALUES (?, ?, ?, ?, ?, ?, 0, 0, '', ?)"));
      STORE_TRY(insert
                    ->bind_all(*id, part.modem, part.sender, part.smsc_time,
                               concatenated ? part.concat_ref : std::nullopt, part.total, now)
                    .run());
    }
    STORE_TRY_ASSIGN(auto insert_part,
                     impl_->q("INSERT INTO inbound_parts (inbound_id, part, text, pdu, smsc_time, "
                              "received_at) VALUES (?, ?, ?, ?, ?, ?)"));
    STORE_TRY(
        insert_part->bind_all(*id, part.part, part.text, part.pdu_hex, part.smsc_time, now).run());
    std::vector<scheduler::ReceivedPart> present;
    {
      STORE_TRY_ASSIGN(auto query, impl_->q("SELECT part, text FROM inbound_parts WHERE "
                                            "inbound_id = ? ORDER BY part"));
      query->bind(1, *id);
      while (true) {
        STORE_TRY_ASSIGN(const bool row, query->step());
        if (!row) break;
        present.push_back({static_cast<int>(query->integer(0)), query->text(1)});
      }
    }
    const auto joined = scheduler::reassemble(present, part.total);
    STORE_TRY_ASSIGN(
        auto update,
        impl_->q("UPDATE inbound_messages SET parts_received = ?, complete = ?, text = "
                 "?, smsc_time = COALESCE(smsc_time, ?) WHERE id = ?"));
    STORE_TRY(
        update->bind_all(joined.parts_received, joined.complete, joined.text, part.smsc_time, *id)
            .run());
    if (joined.complete) {
      // It became complete with this part (a complete message takes no new part): its SMPP
      // deliveries, in the same transaction.
      STORE_TRY_ASSIGN(auto deliver,
                       impl_->q("INSERT INTO smpp_outbox (client, kind, ref, recipient, "
                                "created_at, next_attempt_at) VALUES (?, 'inbound', ?, ?, ?, 0)"));
      for (const auto& client : part.smpp_clients) {
        STORE_TRY(deliver->bind_all(client, *id, part.smpp_recipient, now).run());
      }
    }
    return load(*id, false);
  });
}

}  // namespace smsgw::store
