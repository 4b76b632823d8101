// The outbound message's state machine: every operation that changes a message's or a
// part's status, each one transaction, each consulting the table in transitions.hpp.
#include <algorithm>

#include "store_impl.hpp"

namespace smsgw::store {

using sqlite::to_millis;

namespace {

constexpr const char* kValidityEnded = "validity period ended before it could be sent";

}  // namespace

// ---- Impl helpers ---------------------------------------------------------------------------

Result<StoredMessage> Store::Impl::require_transition(const std::string& id, MessageEvent event) {
  STORE_TRY_ASSIGN(auto message, require_message(id));
  if (!next_status(message.status, event)) return refused(id, message.status, event);
  return message;
}

Result<PartStatus> Store::Impl::move_part(const std::string& id, int index, PartEvent event,
                                          const std::optional<std::string>& error) {
  STORE_TRY_ASSIGN(auto part, require_part(id, index));
  const auto to = next_status(part.status, event);
  if (!to) return refused(id, index, part.status, event);
  STORE_TRY_ASSIGN(auto update, q("UPDATE message_parts SET status = ?, error = COALESCE(?, "
                                  "error) WHERE message_id = ? AND idx = ?"));
  STORE_TRY(update->bind_all(to_string(*to), error, id, index).run());
  return *to;
}

Result<void> Store::Impl::move_parts(const std::string& id, PartEvent event,
                                     const std::optional<std::string>& error) {
  STORE_TRY_ASSIGN(auto parts, parts_of(id));
  STORE_TRY_ASSIGN(auto update,
                   q("UPDATE message_parts SET status = ?1, error = COALESCE(error, ?2), "
                     "modem = CASE WHEN ?3 THEN NULL ELSE modem END "
                     "WHERE message_id = ?4 AND idx = ?5"));
  for (const auto& part : parts) {
    const auto to = next_status(part.status, event);
    if (!to) continue;
    STORE_TRY(update->bind(1, to_string(*to))
                  .bind(2, error)
                  .bind(3, event == PartEvent::requeue)
                  .bind(4, id)
                  .bind(5, part.index)
                  .run());
  }
  return {};
}

Result<void> Store::Impl::pin_to_sim_of_sent_parts(const std::string& id) {
  STORE_TRY_ASSIGN(
      auto pin,
      q("UPDATE messages SET pinned_modem = (SELECT modem FROM message_parts WHERE "
        "message_id = ?1 AND sent_at IS NOT NULL AND modem IS NOT NULL ORDER BY idx LIMIT 1) "
        "WHERE id = ?1 AND pinned_modem IS NULL AND EXISTS (SELECT 1 FROM message_parts "
        "WHERE message_id = ?1 AND sent_at IS NOT NULL AND modem IS NOT NULL)"));
  return pin->bind(1, id).run();
}

Result<StoredMessage> Store::Impl::claim(const std::string& id, const std::string& modem,
                                         TimePoint now) {
  STORE_TRY_ASSIGN(auto message, require_transition(id, MessageEvent::claim));
  STORE_TRY_ASSIGN(auto update,
                   q("UPDATE messages SET status = ?, assigned_modem = ?, attempts = attempts + 1, "
                     "next_attempt_at = NULL WHERE id = ?"));
  STORE_TRY(
      update->bind_all(to_string(*next_status(message.status, MessageEvent::claim)), modem, id)
          .run());
  STORE_TRY_ASSIGN(auto parts, q("UPDATE message_parts SET modem = ? WHERE message_id = ? AND "
                                 "status = 'queued'"));
  STORE_TRY(parts->bind_all(modem, id).run());
  STORE_TRY(add_event(
      id, "claimed",
      JsonObject().text("modem", modem).number("attempt", message.attempts + 1).str(), now));
  return message_with_parts(id);
}

Result<void> Store::Impl::record_part_sending(const std::string& id, int index, TimePoint now) {
  STORE_TRY_ASSIGN(auto message, require_message(id));
  if (message.status != MessageStatus::sending) {
    return make_error(ErrorCode::conflict, "message " + id + " is " +
                                               std::string(to_string(message.status)) +
                                               ", not sending: none of its parts may start");
  }
  STORE_TRY(move_part(id, index, PartEvent::start_sending, std::nullopt));
  return add_event(
      id, "part_sending",
      JsonObject().number("index", index).text("modem", message.assigned_modem.value_or("")).str(),
      now);
}

Result<MessageStatus> Store::Impl::record_part_sent(const std::string& id, int index, int mr,
                                                    TimePoint now) {
  STORE_TRY_ASSIGN(auto part, require_part(id, index));
  STORE_TRY(move_part(id, index, PartEvent::sent, std::nullopt));
  STORE_TRY_ASSIGN(auto update, q("UPDATE message_parts SET mr = ?, sent_at = ?, error = NULL "
                                  "WHERE message_id = ? AND idx = ?"));
  STORE_TRY(update->bind_all(mr, now, id, index).run());
  STORE_TRY(add_event(id, "part_sent",
                      JsonObject()
                          .number("index", index)
                          .number("mr", mr)
                          .text("modem", part.modem.value_or(""))
                          .str(),
                      now));
  return settle_if_done(id, now);
}

Result<void> Store::Impl::record_part_failure(const std::string& id, const PartFailure& failure,
                                              TimePoint now) {
  const auto event = failure.outcome_unknown ? PartEvent::outcome_unknown : PartEvent::send_failed;
  STORE_TRY_ASSIGN(auto part, require_part(id, failure.index));
  const auto to = next_status(part.status, event);
  if (!to) return refused(id, failure.index, part.status, event);
  STORE_TRY_ASSIGN(auto update, q("UPDATE message_parts SET status = ?, error = ? WHERE "
                                  "message_id = ? AND idx = ?"));
  STORE_TRY(update->bind_all(to_string(*to), failure.error, id, failure.index).run());
  return add_event(id, failure.outcome_unknown ? "part_unknown" : "part_failed",
                   JsonObject().number("index", failure.index).text("error", failure.error).str(),
                   now);
}

Result<void> Store::Impl::requeue_message(const std::string& id,
                                          std::optional<TimePoint> next_attempt_at,
                                          const std::optional<std::string>& error) {
  STORE_TRY_ASSIGN(auto message, require_transition(id, MessageEvent::requeue));
  STORE_TRY_ASSIGN(auto update,
                   q("UPDATE messages SET status = ?, assigned_modem = NULL, next_attempt_at = ?, "
                     "last_error = COALESCE(?, last_error) WHERE id = ?"));
  STORE_TRY(update
                ->bind_all(to_string(*next_status(message.status, MessageEvent::requeue)),
                           next_attempt_at, error, id)
                .run());
  STORE_TRY(pin_to_sim_of_sent_parts(id));
  return move_parts(id, PartEvent::requeue, std::nullopt);
}

Result<MessageStatus> Store::Impl::settle_if_done(const std::string& id, TimePoint now) {
  STORE_TRY_ASSIGN(auto message, require_message(id));
  STORE_TRY_ASSIGN(auto parts, parts_of(id));
  const auto sent = next_status(message.status, MessageEvent::all_parts_left);
  if (!sent) return message.status;
  const bool settled = std::all_of(parts.begin(), parts.end(), [](const StoredPart& p) {
    return p.status == PartStatus::sent || p.status == PartStatus::delivered ||
           (p.status == PartStatus::failed && p.report_status.has_value());
  });
  if (!settled) return message.status;
  STORE_TRY_ASSIGN(auto update, q("UPDATE messages SET status = ?, sent_at = ?, next_attempt_at "
                                  "= NULL WHERE id = ?"));
  STORE_TRY(update->bind_all(to_string(*sent), now, id).run());
  STORE_TRY(add_event(id, "sent",
                      JsonObject()
                          .text("modem", message.assigned_modem.value_or(""))
                          .number("parts", static_cast<std::int64_t>(parts.size()))
                          .str(),
                      now));
  return apply_roll_up(id, *sent, parts, now);
}

Result<MessageStatus> Store::Impl::apply_roll_up(const std::string& id, MessageStatus current,
                                                 const std::vector<StoredPart>& parts,
                                                 TimePoint now) {
  std::vector<PartStatus> statuses;
  for (const auto& p : parts) statuses.push_back(p.status);
  const MessageStatus rolled = roll_up(current, statuses);
  if (rolled == current) return current;
  const auto event = rolled == MessageStatus::delivered ? MessageEvent::parts_delivered
                                                        : MessageEvent::part_failed_by_report;
  const auto next = next_status(current, event);
  if (!next) return refused(id, current, event);
  if (*next == MessageStatus::delivered) {
    STORE_TRY_ASSIGN(auto update,
                     q("UPDATE messages SET status = ?, delivered_at = ? WHERE id = ?"));
    STORE_TRY(update->bind_all(to_string(*next), now, id).run());
    STORE_TRY(add_event(id, "delivered", "{}", now));
    return *next;
  }
  std::string error = "a part failed";
  for (const auto& p : parts) {
    if (p.status == PartStatus::failed) {
      error = "part " + std::to_string(p.index) + ": " + p.error.value_or("failed");
      break;
    }
  }
  STORE_TRY_ASSIGN(auto update, q("UPDATE messages SET status = ?, last_error = ? WHERE id = ?"));
  STORE_TRY(update->bind_all(to_string(*next), error, id).run());
  STORE_TRY(add_event(id, "failed", JsonObject().text("error", error).str(), now));
  return *next;
}

// ---- Operations -----------------------------------------------------------------------------

Result<StoredMessage> Store::claim_message(const std::string& id, const std::string& modem,
                                           TimePoint now) {
  return impl_->transaction([&]() { return impl_->claim(id, modem, now); });
}

Result<StoredMessage> Store::begin_send(const std::string& id, const std::string& modem,
                                        TimePoint now, const std::optional<DailyCount>& count) {
  return impl_->transaction([&]() -> Result<StoredMessage> {
    STORE_TRY_ASSIGN(auto message, impl_->claim(id, modem, now));
    if (count) STORE_TRY(impl_->count_sent(count->iccid, count->day, count->parts));
    for (auto& part : message.parts) {
      if (part.status != PartStatus::queued) continue;
      STORE_TRY(impl_->record_part_sending(id, part.index, now));
      part.status = PartStatus::sending;
      break;
    }
    return message;
  });
}

Result<void> Store::part_sending(const std::string& id, int index, TimePoint now) {
  return impl_->transaction([&]() { return impl_->record_part_sending(id, index, now); });
}

Result<MessageStatus> Store::part_sent(const std::string& id, int index, int mr, TimePoint now,
                                       std::optional<int> next_index) {
  return impl_->transaction([&]() -> Result<MessageStatus> {
    STORE_TRY_ASSIGN(const auto status, impl_->record_part_sent(id, index, mr, now));
    if (!next_index) return status;
    STORE_TRY(impl_->record_part_sending(id, *next_index, now));
    return status;
  });
}

Result<void> Store::part_failed(const std::string& id, int index, const std::string& error,
                                TimePoint now) {
  return impl_->transaction([&]() {
    return impl_->record_part_failure(id, PartFailure{index, false, error}, now);
  });
}

Result<void> Store::part_unknown(const std::string& id, int index, const std::string& error,
                                 TimePoint now) {
  return impl_->transaction([&]() {
    return impl_->record_part_failure(id, PartFailure{index, true, error}, now);
  });
}

Result<void> Store::requeue(const std::string& id, TimePoint next_attempt_at,
                            const std::string& error, TimePoint now,
                            const std::optional<PartFailure>& part) {
  return impl_->transaction([&]() -> Result<void> {
    if (part) STORE_TRY(impl_->record_part_failure(id, *part, now));
    STORE_TRY_ASSIGN(auto message, impl_->require_message(id));
    STORE_TRY(impl_->requeue_message(id, next_attempt_at, error));
    return impl_->add_event(id, "requeued",
                            JsonObject()
                                .text("error", error)
                                .number("next_attempt_at", to_millis(next_attempt_at))
                                .number("attempts", message.attempts)
                                .str(),
                            now);
  });
}

Result<void> Store::fail(const std::string& id, const std::string& error, TimePoint now,
                         const std::optional<PartFailure>& part) {
  return impl_->transaction([&]() -> Result<void> {
    if (part) STORE_TRY(impl_->record_part_failure(id, *part, now));
    STORE_TRY_ASSIGN(auto message, impl_->require_transition(id, MessageEvent::fail));
    STORE_TRY_ASSIGN(auto update, impl_->q("UPDATE messages SET status = ?, last_error = ?, "
                                           "next_attempt_at = NULL WHERE id = ?"));
    STORE_TRY(
        update->bind_all(to_string(*next_status(message.status, MessageEvent::fail)), error, id)
            .run());
    STORE_TRY(impl_->move_parts(id, PartEvent::message_failed, error));
    return impl_->add_event(id, "failed", JsonObject().text("error", error).str(), now);
  });
}

Result<void> Store::expire(const std::string& id, TimePoint now,
                           const std::optional<PartFailure>& part) {
  return impl_->transaction([&]() -> Result<void> {
    if (part) STORE_TRY(impl_->record_part_failure(id, *part, now));
    STORE_TRY_ASSIGN(auto message, impl_->require_transition(id, MessageEvent::expire));
    STORE_TRY_ASSIGN(auto update, impl_->q("UPDATE messages SET status = ?, last_error = ?, "
                                           "next_attempt_at = NULL WHERE id = ?"));
    STORE_TRY(update
                  ->bind_all(to_string(*next_status(message.status, MessageEvent::expire)),
                             kValidityEnded, id)
                  .run());
    return impl_->add_event(id, "expired", "{}", now);
  });
}

Result<std::vector<std::string>> Store::expire_due(TimePoint now) {
  return impl_->transaction([&]() -> Result<std::vector<std::string>> {
    std::vector<std::string> ids;
    {
      STORE_TRY_ASSIGN(auto query, impl_->q("SELECT id FROM messages WHERE status = 'queued' "
                                            "AND expires_at IS NOT NULL AND expires_at <= ?"));
      query->bind(1, now);
      while (true) {
        STORE_TRY_ASSIGN(const bool row, query->step());
        if (!row) break;
        ids.push_back(query->text(0));
      }
    }
    const auto expired = *next_status(MessageStatus::queued, MessageEvent::expire);
    STORE_TRY_ASSIGN(auto update, impl_->q("UPDATE messages SET status = ?, last_error = ?, "
                                           "next_attempt_at = NULL WHERE id = ?"));
    for (const auto& id : ids) {
      STORE_TRY(update->bind_all(to_string(expired), kValidityEnded, id).run());
      STORE_TRY(impl_->add_event(id, "expired", "{}", now));
    }
    return ids;
  });
}

Result<StoredMessage> Store::cancel(const std::string& id, TimePoint now) {
  return impl_->transaction([&]() -> Result<StoredMessage> {
    STORE_TRY_ASSIGN(auto message, impl_->require_transition(id, MessageEvent::cancel));
    STORE_TRY_ASSIGN(auto update, impl_->q("UPDATE messages SET status = ? WHERE id = ?"));
    STORE_TRY(
        update->bind_all(to_string(*next_status(message.status, MessageEvent::cancel)), id).run());
    STORE_TRY(impl_->add_event(id, "cancelled", "{}", now));
    return impl_->message_with_parts(id);
  });
}

// ---- Restart --------------------------------------------------------------------------------

Result<RecoveryReport> Store::recover_after_restart(bool at_least_once, TimePoint now) {
  return impl_->transaction([&]() -> Result<RecoveryReport> {
    RecoveryReport report;
    std::vector<std::string> sending;
    {
      STORE_TRY_ASSIGN(auto query,
                       impl_->q("SELECT id FROM messages WHERE status = 'sending' ORDER BY id"));
      while (true) {
        STORE_TRY_ASSIGN(const bool row, query->step());
        if (!row) break;
        sending.push_back(query->text(0));
      }
    }
    for (const auto& id : sending) {
      STORE_TRY_ASSIGN(auto parts, impl_->parts_of(id));
      std::string uncertain;  // parts that may have left: "2,3"
      std::vector<int> uncertain_parts;
      for (const auto& p : parts) {
        if (p.status == PartStatus::sending || p.status == PartStatus::unknown) {
          if (!uncertain.empty()) uncertain += ',';
          uncertain += std::to_string(p.index);
          uncertain_parts.push_back(p.index);
        }
      }
      if (uncertain.empty() || at_least_once) {
        // No PDU can have left, or the operator accepts duplicates: queue it again.
        STORE_TRY(impl_->requeue_message(id, std::nullopt, std::nullopt));
        JsonObject detail;
        detail.text("action", "requeued");
        if (uncertain.empty()) {
          detail.text("reason", "the process stopped before any part of this attempt was written");
        } else {
          detail.text("parts", uncertain)
              .text("reason",
                    "the process stopped while these parts were being sent; at_least_once is "
                    "set, so they are sent again and may arrive twice");
        }
        STORE_TRY(impl_->add_event(id, "recovered", detail.str(), now));
        report.requeued.push_back(id);
        continue;
      }
      const std::string error = "unknown outcome: the process stopped while part(s) " + uncertain +
                                " were being sent; not resent because at_least_once is off";
      STORE_TRY_ASSIGN(auto mark, impl_->q("UPDATE message_parts SET status = ?, error = ? "
                                           "WHERE message_id = ? AND idx = ?"));
      for (const auto& p : parts) {
        if (std::find(uncertain_parts.begin(), uncertain_parts.end(), p.index) ==
            uncertain_parts.end()) {
          continue;
        }
        const auto to = next_status(p.status, PartEvent::outcome_unknown);
        if (!to) return refused(id, p.index, p.status, PartEvent::outcome_unknown);
        STORE_TRY(mark->bind_all(to_string(*to), error, id, p.index).run());
      }
      STORE_TRY_ASSIGN(auto message, impl_->require_transition(id, MessageEvent::fail));
      STORE_TRY_ASSIGN(auto update, impl_->q("UPDATE messages SET status = ?, last_error = ?, "
                                             "next_attempt_at = NULL WHERE id = ?"));
      STORE_TRY(
          update->bind_all(to_string(*next_status(message.status, MessageEvent::fail)), error, id)
              .run());
      STORE_TRY(impl_->add_event(id, "recovered",
                                 JsonObject()
                                     .text("action", "not_resent")
                                     .text("parts", uncertain)
                                     .text("error", error)
                                     .str(),
                                 now));
      report.unknown.push_back(id);
    }
    return report;
  });
}

}  // namespace smsgw::store
