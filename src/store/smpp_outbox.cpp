// Store: the SMPP outbox (table smpp_outbox): delivery receipts (written by the trigger
// smpp_receipt) and inbound messages (written by store_inbound) waiting for a receiver of
// their client. The binds' claims are the gateway's, in memory; the store keeps rows,
// attempts, the time of the next attempt and which node holds a row until when, so that
// of several nodes one delivers it (claimed_by, claimed_until).
#include <algorithm>

#include "store_impl.hpp"

namespace smsgw::store {

Result<std::vector<SmppDelivery>> Store::Impl::read_due_smpp(
    const std::string& client, TimePoint now, std::size_t limit,
    std::span<const std::int64_t> excluding, std::vector<std::int64_t>& claimed) {
  // The client's rows in id order by index; those claimed are skipped here, so the read
  // asks for as many more.
  STORE_TRY_ASSIGN(
      auto query,
      q("SELECT o.id, o.client, o.kind, o.ref, o.recipient, o.created_at, o.attempts, "
        "o.last_error, m.id, m.status, m.created_at, m.delivered_at, m.text, "
        "m.last_error, g.registered_delivery, g.source_addr, g.source_ton, g.source_npi, "
        "g.dest_addr, g.dest_ton, g.dest_npi, g.protocol, i.id, i.sender, i.text, "
        "i.modem, i.smsc_time, i.received_at, m.sent_at "
        "FROM smpp_outbox o INDEXED BY smpp_outbox_by_client "
        "LEFT JOIN messages m ON o.kind = 'receipt' AND m.id = o.ref "
        "LEFT JOIN message_origins g ON g.message_id = m.id "
        "LEFT JOIN inbound_messages i ON o.kind = 'inbound' AND i.id = o.ref "
        "WHERE o.client = ?1 AND o.next_attempt_at <= ?2 AND (o.claimed_until IS NULL OR "
        "o.claimed_until < ?2 OR o.claimed_by = ?4) ORDER BY o.id LIMIT ?3"));
  query->bind(1, client).bind(2, now);
  query->bind(3, static_cast<std::int64_t>(limit + excluding.size())).bind(4, options.node);
  std::vector<SmppDelivery> out;
  while (out.size() < limit) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    const auto id = query->integer(0);
    claimed.push_back(id);  // an excluded row too: this node's bind holds it

    if (std::find(excluding.begin(), excluding.end(), id) != excluding.end()) continue;
    SmppDelivery d;
    d.id = id;
    d.client = query->text(1);
    d.kind = query->text(2) == "inbound" ? SmppDeliveryKind::inbound : SmppDeliveryKind::receipt;
    d.ref = query->text(3);
    d.created_at = query->time(5);
    d.attempts = static_cast<int>(query->integer(6));
    d.last_error = query->optional_text(7);
    if (d.kind == SmppDeliveryKind::receipt && query->optional_text(8)) {
      SmppReceiptRow r;
      r.message_id = query->text(8);
      r.status = parse_message_status(query->text(9)).value_or(MessageStatus::failed);
      r.submitted_at = query->time(10);
      r.sent_at = query->optional_time(28);
      r.done_at = query->optional_time(11).value_or(d.created_at);
      r.text = query->text(12);
      r.error = query->optional_text(13);
      if (query->optional_text(21)) {
        const auto octet = [&](int column) {
          return static_cast<std::uint8_t>(query->integer(column));
        };
        r.origin.protocol = query->text(21);
        r.origin.registered_delivery = octet(14);
        r.origin.source_addr = query->text(15);
        r.origin.source_ton = octet(16);
        r.origin.source_npi = octet(17);
        r.origin.dest_addr = query->text(18);
        r.origin.dest_ton = octet(19);
        r.origin.dest_npi = octet(20);
      }
      d.receipt = std::move(r);
    }
    if (d.kind == SmppDeliveryKind::inbound && query->optional_text(22)) {
      SmppInboundRow r;
      r.inbound_id = query->text(22);
      r.sender = query->text(23);
      r.text = query->text(24);
      r.modem = query->text(25);
      r.recipient = query->text(4);
      r.smsc_time = query->optional_time(26);
      r.received_at = query->time(27);
      d.inbound = std::move(r);
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<SmppDelivery>> Store::due_smpp_deliveries(
    const std::string& client, TimePoint now, std::size_t limit,
    std::span<const std::int64_t> excluding, TimePoint claim_until) {
  return impl_->transaction([&]() -> Result<std::vector<SmppDelivery>> {
    std::vector<std::int64_t> claimed;
    STORE_TRY_ASSIGN(auto out, impl_->read_due_smpp(client, now, limit, excluding, claimed));
    STORE_TRY_ASSIGN(auto claim, impl_->q("UPDATE smpp_outbox SET claimed_by = ?, "
                                          "claimed_until = ? WHERE id = ?"));
    for (const auto id : claimed) {
      STORE_TRY(claim->bind_all(impl_->options.node, claim_until, id).run());
    }
    return out;
  });
}

Result<void> Store::smpp_delivery_done(std::int64_t id) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto query, impl_->q("DELETE FROM smpp_outbox WHERE id = ?"));
    return query->bind(1, id).run();
  });
}

Result<void> Store::smpp_delivery_failed(std::int64_t id, const std::string& error,
                                         TimePoint next_attempt_at) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto query,
                     impl_->q("UPDATE smpp_outbox SET attempts = attempts + 1, last_error = ?, "
                              "next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL "
                              "WHERE id = ?"));
    STORE_TRY(query->bind_all(error, next_attempt_at, id).run());
    if (impl_->db->changes() == 0) {
      return make_error(ErrorCode::not_found,
                        "SMPP delivery " + std::to_string(id) + " does not exist");
    }
    return {};
  });
}

Result<std::int64_t> Store::smpp_outbox_pending() {
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT COUNT(*) FROM smpp_outbox"));
  STORE_TRY(query->step());
  const auto pending = query->integer(0);
  STORE_TRY(query->run());
  return pending;
}

}  // namespace smsgw::store
