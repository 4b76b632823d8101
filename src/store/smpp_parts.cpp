// Store: the parts of long messages an SMPP client split itself (table smpp_parts), and
// the step that makes a complete (or timed-out) group one message.
#include "store_impl.hpp"

#define SMPP_PART_COLUMNS                                                                   \
  "client, destination, ref, total, seq, text, registered_delivery, message_id, "           \
  "source_addr, source_ton, source_npi, dest_addr, dest_ton, dest_npi, priority, send_at, " \
  "validity_seconds, flash, received_at"

namespace smsgw::store {
namespace {

SmppPart read_smpp_part(const db::Query& q) {
  SmppPart p;
  p.key.client = q.text(0);
  p.key.destination = q.text(1);
  p.key.ref = static_cast<int>(q.integer(2));
  p.key.total = static_cast<int>(q.integer(3));
  p.seq = static_cast<int>(q.integer(4));
  p.text = q.text(5);
  p.registered_delivery = static_cast<int>(q.integer(6));
  p.message_id = q.text(7);
  p.source_addr = q.text(8);
  p.source_ton = static_cast<int>(q.integer(9));
  p.source_npi = static_cast<int>(q.integer(10));
  p.dest_addr = q.text(11);
  p.dest_ton = static_cast<int>(q.integer(12));
  p.dest_npi = static_cast<int>(q.integer(13));
  p.priority = static_cast<int>(q.integer(14));
  p.send_at = q.optional_time(15);
  if (const auto seconds = q.optional_integer(16)) p.validity = std::chrono::seconds(*seconds);
  p.flash = q.integer(17) != 0;
  p.received_at = q.time(18);
  return p;
}

}  // namespace

Result<SmppPartResult> Store::store_smpp_part(const SmppPart& part) {
  if (part.key.total < 2 || part.seq < 1 || part.seq > part.key.total) {
    return make_error("invalid", "SMPP part " + std::to_string(part.seq) + " of " +
                                     std::to_string(part.key.total) + " is out of range");
  }
  if (part.message_id.empty()) return make_error("invalid", "an SMPP part needs a message id");
  const TimePoint now = or_now(part.received_at, std::chrono::system_clock::now());
  return impl_->transaction([&]() -> Result<SmppPartResult> {
    const auto& k = part.key;
    SmppPartResult result;
    {
      STORE_TRY_ASSIGN(auto query,
                       impl_->q("SELECT message_id FROM smpp_parts WHERE client = ? AND "
                                "destination = ? AND ref = ? AND total = ? LIMIT 1"));
      query->bind_all(k.client, k.destination, k.ref, k.total);
      STORE_TRY_ASSIGN(const bool row, query->step());
      result.message_id = row ? query->text(0) : part.message_id;
      STORE_TRY(query->run());
    }
    STORE_TRY_ASSIGN(auto insert,
                     impl_->q("INSERT INTO smpp_parts (" SMPP_PART_COLUMNS
                              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                              "ON CONFLICT (client, destination, ref, total, seq) DO NOTHING"));
    std::optional<std::int64_t> validity;
    if (part.validity) validity = part.validity->count();
    STORE_TRY(insert
                  ->bind_all(k.client, k.destination, k.ref, k.total, part.seq, part.text,
                             part.registered_delivery, result.message_id, part.source_addr,
                             part.source_ton, part.source_npi, part.dest_addr, part.dest_ton,
                             part.dest_npi, part.priority, part.send_at, validity, part.flash, now)
                  .run());
    result.duplicate = impl_->db->changes() == 0;
    STORE_TRY_ASSIGN(auto count, impl_->q("SELECT COUNT(*) FROM smpp_parts WHERE client = ? AND "
                                          "destination = ? AND ref = ? AND total = ?"));
    count->bind_all(k.client, k.destination, k.ref, k.total);
    STORE_TRY(count->step());
    result.parts_received = static_cast<int>(count->integer(0));
    STORE_TRY(count->run());
    result.complete = result.parts_received == k.total;
    return result;
  });
}

Result<std::vector<SmppPart>> Store::smpp_group_parts(const SmppGroupKey& key) {
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT " SMPP_PART_COLUMNS
                                        " FROM smpp_parts WHERE client = ? AND destination = ? "
                                        "AND ref = ? AND total = ? ORDER BY seq"));
  query->bind_all(key.client, key.destination, key.ref, key.total);
  std::vector<SmppPart> parts;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    parts.push_back(read_smpp_part(*query));
  }
  return parts;
}

Result<bool> Store::assemble_smpp_group(const SmppGroupKey& key, const NewMessage& message,
                                        const std::optional<std::string>& fail_error,
                                        TimePoint now) {
  if (message.id.empty()) return make_error("invalid", "an SMPP group's message needs its id");
  return impl_->transaction([&]() -> Result<bool> {
    STORE_TRY_ASSIGN(auto remove,
                     impl_->q("DELETE FROM smpp_parts WHERE client = ? AND destination = ? AND "
                              "ref = ? AND total = ? AND message_id = ?"));
    STORE_TRY(remove->bind_all(key.client, key.destination, key.ref, key.total, message.id).run());
    if (impl_->db->changes() == 0) return false;
    STORE_TRY(impl_->insert_one(message, now));
    if (fail_error) {
      // queued -fail-> failed, as Store::fail does (transitions.hpp); the status update
      // fires the receipt trigger.
      STORE_TRY(impl_->mark_failed(message.id, *fail_error));
      STORE_TRY(impl_->move_parts(message.id, PartEvent::message_failed, *fail_error));
      STORE_TRY(impl_->add_event(message.id, "failed",
                                 JsonObject().text("error", *fail_error).str(), now));
    }
    return true;
  });
}

Result<std::vector<SmppGroupState>> Store::smpp_groups_to_finish(TimePoint cutoff) {
  // smpp_parts holds only the parts in flight: reading it whole, in key order, is small.
  // (The ORDER BY is the primary key's order: free on SQLite, whose GROUP BY walks it.)
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT client, destination, ref, total, MIN(message_id), COUNT(*), "
                            "MIN(received_at) FROM smpp_parts GROUP BY client, destination, ref, "
                            "total HAVING COUNT(*) >= total OR MIN(received_at) < ? "
                            "ORDER BY client, destination, ref, total"));
  query->bind(1, cutoff);
  std::vector<SmppGroupState> groups;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    SmppGroupState g;
    g.key = SmppGroupKey{query->text(0), query->text(1), static_cast<int>(query->integer(2)),
                         static_cast<int>(query->integer(3))};
    g.message_id = query->text(4);
    g.parts_received = static_cast<int>(query->integer(5));
    g.first_received_at = query->time(6);
    groups.push_back(std::move(g));
  }
  return groups;
}

}  // namespace smsgw::store
