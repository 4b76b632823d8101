// Parts of unknown outcome: a +CMGS answer that never came (killed mid-send, a lost
// answer, an unplug). The part is `unknown`, not resent, until the network's status report
// settles it (scheduler::match_unknown_part) or, with sms.after_settle = "resend", no
// report came within sms.settle_unknown. The rest of the state machine:
// message_transitions.cpp.

#include <algorithm>

#include "smsgw/scheduler/dlr_matcher.hpp"
#include "store_impl.hpp"

namespace smsgw::store {

// ---- Impl helpers ---------------------------------------------------------------------------

Result<std::vector<Store::Impl::UnknownCandidate>> Store::Impl::unknown_parts_on(
    const std::string& modem, TimePoint since) {
  STORE_TRY_ASSIGN(auto query,
                   q("SELECT p.message_id, p.idx, m.recipient, p.sending_at FROM message_parts p "
                     "INDEXED BY parts_unknown JOIN messages m ON m.id = p.message_id "
                     "WHERE p.status = 'unknown' AND p.modem = ? AND p.sending_at >= ? "
                     "ORDER BY p.sending_at, p.message_id, p.idx"));
  query->bind_all(modem, since);
  std::vector<UnknownCandidate> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    out.push_back(UnknownCandidate{query->text(0), static_cast<int>(query->integer(1)),
                                   query->text(2), query->time(3)});
  }
  return out;
}

Result<void> Store::Impl::settle_unknown_part(const std::string& id, int index, int mr,
                                              TimePoint sending_at, const std::string& modem,
                                              TimePoint now) {
  STORE_TRY(move_part(id, index, PartEvent::sent, std::nullopt));
  STORE_TRY_ASSIGN(auto update, q("UPDATE message_parts SET mr = ?, sent_at = ?, error = NULL "
                                  "WHERE message_id = ? AND idx = ?"));
  STORE_TRY(update->bind_all(mr, sending_at, id, index).run());
  // The uncertainty is resolved; the message's event log keeps the story.
  STORE_TRY_ASSIGN(auto cleared, q("UPDATE messages SET last_error = NULL WHERE id = ?"));
  STORE_TRY(cleared->bind_all(id).run());
  return add_event(id, "settled",
                   JsonObject()
                       .number("index", index)
                       .number("mr", mr)
                       .text("modem", modem)
                       .text("reason",
                             "its +CMGS answer never came; the network's status report for it "
                             "shows it left")
                       .str(),
                   now);
}

Result<std::optional<MessageStatus>> Store::Impl::settle_from_unmatched(
    const std::string& id, const scheduler::MatchOptions& matching, TimePoint now) {
  STORE_TRY_ASSIGN(auto message, require_message(id));
  STORE_TRY_ASSIGN(auto parts, parts_of(id));
  std::optional<MessageStatus> status;
  for (const auto& part : parts) {
    if (part.status != PartStatus::unknown || !part.modem || !part.sending_at) continue;
    STORE_TRY_ASSIGN(auto query,
                     q("SELECT id, " REPORT_COLUMNS " FROM unmatched_reports WHERE modem = ? "
                       "AND received_at >= ? ORDER BY received_at, id"));
    query->bind_all(*part.modem, *part.sending_at);
    const scheduler::UnknownPart candidate{*part.modem, message.to, *part.sending_at};
    std::optional<std::pair<std::int64_t, DeliveryReport>> found;
    while (!found) {
      STORE_TRY_ASSIGN(const bool row, query->step());
      if (!row) break;
      DeliveryReport r = read_report(*query, 1);
      const scheduler::StatusReportFacts facts{r.modem, static_cast<std::uint8_t>(r.mr),
                                               r.recipient.value_or(""), r.scts, r.received_at};
      if (scheduler::match_unknown_part(facts, std::span(&candidate, 1), matching)) {
        found.emplace(query->integer(0), std::move(r));
      }
    }
    query.reset();
    if (!found) continue;
    STORE_TRY_ASSIGN(auto taken, q("DELETE FROM unmatched_reports WHERE id = ?"));
    STORE_TRY(taken->bind_all(found->first).run());
    STORE_TRY(settle_unknown_part(id, part.index, found->second.mr, *part.sending_at, *part.modem,
                                  now));
    STORE_TRY_ASSIGN(status, apply_report(id, part.index, found->second));
  }
  return status;
}

Result<MessageStatus> Store::Impl::resolve_unknown(const std::string& id, TimePoint now) {
  STORE_TRY_ASSIGN(auto parts, parts_of(id));
  const auto any = [&](auto&& predicate) {
    return std::any_of(parts.begin(), parts.end(), predicate);
  };
  if (any([](const StoredPart& p) { return p.status == PartStatus::failed; })) {
    return apply_roll_up(id, MessageStatus::unknown, parts, now);
  }
  if (any([](const StoredPart& p) { return p.status == PartStatus::unknown; })) {
    return MessageStatus::unknown;
  }
  if (any([](const StoredPart& p) { return p.status == PartStatus::queued; })) {
    // The rest of a multipart message goes on, through the SIM its parts left by.
    STORE_TRY(requeue_message(id, std::nullopt, std::nullopt));
    STORE_TRY(add_event(id, "requeued",
                        JsonObject()
                            .text("reason",
                                  "its unknown part was settled by a status report; the parts "
                                  "not yet sent follow through the same SIM")
                            .str(),
                        now));
    return MessageStatus::queued;
  }
  return settle_if_done(id, now);
}

// ---- Operations -----------------------------------------------------------------------------

Result<MessageStatus> Store::leave_unknown(const std::string& id, const std::string& error,
                                           TimePoint now, const PartFailure& part,
                                           const scheduler::MatchOptions& options) {
  return impl_->transaction([&]() -> Result<MessageStatus> {
    STORE_TRY(impl_->record_part_failure(id, part, now));
    STORE_TRY(impl_->mark_unknown(id, error));
    STORE_TRY(impl_->add_event(
        id, "unknown", JsonObject().number("index", part.index).text("error", error).str(),
        now));
    STORE_TRY_ASSIGN(const auto settled, impl_->settle_from_unmatched(id, options, now));
    return settled.value_or(MessageStatus::unknown);
  });
}

Result<std::vector<std::string>> Store::resend_unsettled(TimePoint began_before, TimePoint now) {
  return impl_->transaction([&]() -> Result<std::vector<std::string>> {
    std::vector<std::pair<std::string, std::string>> due;  // (message, the part's modem)
    {
      STORE_TRY_ASSIGN(auto query,
                       impl_->q("SELECT p.message_id, MIN(p.modem) FROM message_parts p JOIN "
                                "messages m ON m.id = p.message_id WHERE p.status = 'unknown' "
                                "AND m.status = 'unknown' AND p.resent_unknown = 0 AND "
                                "p.sending_at < ? GROUP BY p.message_id ORDER BY p.message_id"));
      query->bind_all(began_before);
      while (true) {
        STORE_TRY_ASSIGN(const bool row, query->step());
        if (!row) break;
        due.emplace_back(query->text(0), query->optional_text(1).value_or(""));
      }
    }
    std::vector<std::string> ids;
    for (const auto& [id, modem] : due) {
      STORE_TRY_ASSIGN(auto mark, impl_->q("UPDATE message_parts SET resent_unknown = 1 WHERE "
                                           "message_id = ? AND status = 'unknown'"));
      STORE_TRY(mark->bind_all(id).run());
      if (!modem.empty()) {
        STORE_TRY_ASSIGN(auto pin, impl_->q("UPDATE messages SET pinned_modem = ? WHERE id = ? "
                                            "AND pinned_modem IS NULL"));
        STORE_TRY(pin->bind_all(modem, id).run());
      }
      STORE_TRY(impl_->requeue_message(id, std::nullopt, std::nullopt));
      STORE_TRY(impl_->add_event(
          id, "resend",
          JsonObject()
              .text("modem", modem)
              .text("reason",
                    "no status report settled its unknown part(s) within sms.settle_unknown; "
                    "sms.after_settle is resend: sent again through the same SIM, once")
              .str(),
          now));
      ids.push_back(id);
    }
    return ids;
  });
}

}  // namespace smsgw::store
