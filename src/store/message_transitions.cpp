// The outbound message's state machine, from submission to the status report that settles
// it: every operation that changes a message's or a part's status, each one transaction,
// each consulting the table in transitions.hpp. Restart recovery is restart_recovery.cpp.
#include <algorithm>

#include "smsgw/scheduler/dlr_matcher.hpp"
#include "store_impl.hpp"

namespace smsgw::store {

using db::to_millis;

namespace {

std::string hex_byte(int value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "0x";
  out += kHex[(value >> 4) & 0xf];
  out += kHex[value & 0xf];
  return out;
}

std::string_view outcome_name(ReportOutcome outcome) {
  switch (outcome) {
    case ReportOutcome::delivered:
      return "delivered";
    case ReportOutcome::pending:
      return "pending";
    case ReportOutcome::failed:
      return "failed";
  }
  return "failed";
}

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
                     "modem = CASE WHEN ?3 <> 0 THEN NULL ELSE modem END "
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
  STORE_TRY_ASSIGN(auto message, message_with_parts(id));
  const auto next = next_status(message.status, MessageEvent::claim);
  if (!next) return refused(id, message.status, MessageEvent::claim);
  const MessageStatus claimed = *next;
  STORE_TRY_ASSIGN(auto update,
                   q("UPDATE messages SET status = ?, assigned_modem = ?, attempts = attempts + 1, "
                     "next_attempt_at = NULL, claimed_by = ? WHERE id = ?"));
  STORE_TRY(update->bind_all(to_string(claimed), modem, options.node, id).send());
  STORE_TRY_ASSIGN(auto parts, q("UPDATE message_parts SET modem = ? WHERE message_id = ? AND "
                                 "status = 'queued'"));
  STORE_TRY(parts->bind_all(modem, id).send());
  STORE_TRY(add_event(
      id, "claimed",
      JsonObject().text("modem", modem).number("attempt", message.attempts + 1).str(), now));
  // The rows as the UPDATEs left them, without reading them again.
  message.status = claimed;
  message.assigned_modem = modem;
  message.attempts += 1;
  message.next_attempt_at.reset();
  for (auto& part : message.parts) {
    if (part.status == PartStatus::queued) part.modem = modem;
  }
  return message;
}

Result<void> Store::Impl::start_part(const StoredMessage& message, StoredPart& part,
                                     TimePoint now) {
  if (message.status != MessageStatus::sending) {
    return make_error(ErrorCode::conflict, "message " + message.id + " is " +
                                               std::string(to_string(message.status)) +
                                               ", not sending: none of its parts may start");
  }
  const auto to = next_status(part.status, PartEvent::start_sending);
  if (!to) return refused(message.id, part.index, part.status, PartEvent::start_sending);
  STORE_TRY_ASSIGN(auto began, q("UPDATE message_parts SET status = ?, sending_at = ? "
                                 "WHERE message_id = ? AND idx = ?"));
  STORE_TRY(began->bind_all(to_string(*to), now, message.id, part.index).send());
  part.status = *to;
  return add_event(message.id, "part_sending",
                   JsonObject()
                       .number("index", part.index)
                       .text("modem", message.assigned_modem.value_or(""))
                       .str(),
                   now);
}

Result<void> Store::Impl::record_part_sending(const std::string& id, int index, TimePoint now) {
  STORE_TRY_ASSIGN(auto message, message_with_parts(id));
  STORE_TRY_ASSIGN(auto* part, part_in(message, index));
  return start_part(message, *part, now);
}

Result<MessageStatus> Store::Impl::record_part_sent(const std::string& id, int index, int mr,
                                                    TimePoint now) {
  STORE_TRY_ASSIGN(auto message, message_with_parts(id));
  STORE_TRY_ASSIGN(auto* part, part_in(message, index));
  const auto to = next_status(part->status, PartEvent::sent);
  if (!to) return refused(id, index, part->status, PartEvent::sent);
  STORE_TRY_ASSIGN(auto update, q("UPDATE message_parts SET status = ?, mr = ?, sent_at = ?, "
                                  "error = NULL WHERE message_id = ? AND idx = ?"));
  STORE_TRY(update->bind_all(to_string(*to), mr, now, id, index).send());
  STORE_TRY(add_event(id, "part_sent",
                      JsonObject()
                          .number("index", index)
                          .number("mr", mr)
                          .text("modem", part->modem.value_or(""))
                          .str(),
                      now));
  // The part as the UPDATE left it.
  part->status = *to;
  part->mr = mr;
  part->sent_at = now;
  part->error.reset();
  return settle_parts(message, now);
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

Result<void> Store::Impl::mark_failed(const std::string& id, const std::string& error) {
  STORE_TRY_ASSIGN(auto message, require_transition(id, MessageEvent::fail));
  STORE_TRY_ASSIGN(auto update, q("UPDATE messages SET status = ?, last_error = ?, "
                                  "next_attempt_at = NULL WHERE id = ?"));
  return update->bind_all(to_string(*next_status(message.status, MessageEvent::fail)), error, id)
      .run();
}

Result<void> Store::Impl::mark_unknown(const std::string& id, const std::string& error) {
  STORE_TRY_ASSIGN(auto message, require_transition(id, MessageEvent::outcome_unknown));
  STORE_TRY_ASSIGN(auto update, q("UPDATE messages SET status = ?, last_error = ?, "
                                  "next_attempt_at = NULL WHERE id = ?"));
  return update
      ->bind_all(to_string(*next_status(message.status, MessageEvent::outcome_unknown)), error, id)
      .run();
}

Result<void> Store::Impl::requeue_message(const std::string& id,
                                          std::optional<TimePoint> next_attempt_at,
                                          const std::optional<std::string>& error) {
  STORE_TRY_ASSIGN(auto message, require_transition(id, MessageEvent::requeue));
  STORE_TRY_ASSIGN(auto update,
                   q("UPDATE messages SET status = ?, assigned_modem = NULL, next_attempt_at = ?, "
                     "last_error = COALESCE(?, last_error), claimed_by = NULL WHERE id = ?"));
  STORE_TRY(update
                ->bind_all(to_string(*next_status(message.status, MessageEvent::requeue)),
                           next_attempt_at, error, id)
                .run());
  STORE_TRY(pin_to_sim_of_sent_parts(id));
  return move_parts(id, PartEvent::requeue, std::nullopt);
}

Result<MessageStatus> Store::Impl::settle_if_done(const std::string& id, TimePoint now) {
  STORE_TRY_ASSIGN(auto message, message_with_parts(id));
  return settle_parts(message, now);
}

Result<MessageStatus> Store::Impl::settle_parts(const StoredMessage& message, TimePoint now) {
  const std::string& id = message.id;
  const auto& parts = message.parts;
  const auto sent = next_status(message.status, MessageEvent::all_parts_left);
  if (!sent) return message.status;
  const bool settled = std::all_of(parts.begin(), parts.end(), [](const StoredPart& p) {
    return p.status == PartStatus::sent || p.status == PartStatus::delivered ||
           (p.status == PartStatus::failed && p.report_status.has_value());
  });
  if (!settled) return message.status;
  STORE_TRY_ASSIGN(auto update, q("UPDATE messages SET status = ?, sent_at = ?, next_attempt_at "
                                  "= NULL WHERE id = ?"));
  STORE_TRY(update->bind_all(to_string(*sent), now, id).send());
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
    STORE_TRY(update->bind_all(to_string(*next), now, id).send());
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
  STORE_TRY(update->bind_all(to_string(*next), error, id).send());
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
    if (count) {
      STORE_TRY(impl_->count_sent(count->iccid, count->day, count->parts));
      if (!count->recipient.empty()) {
        STORE_TRY(impl_->note_recipient(count->iccid, count->day, count->recipient));
      }
    }
    for (auto& part : message.parts) {
      if (part.status != PartStatus::queued) continue;
      STORE_TRY(impl_->start_part(message, part, now));
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
    STORE_TRY(impl_->mark_failed(id, error));
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
      STORE_TRY_ASSIGN(auto query, impl_->q("SELECT id FROM messages INDEXED BY messages_expiry "
                                            "WHERE status = 'queued' AND expires_at IS NOT "
                                            "NULL AND expires_at <= ?"));
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

// ---- Submission -----------------------------------------------------------------------------

// Inserts one message with its parts and "queued" event (inside a transaction).
Result<std::string> Store::Impl::insert_one(const NewMessage& message, TimePoint now) {
  if (message.parts.empty()) {
    return make_error("invalid", "message to " + message.to + " has no parts");
  }
  const std::string id = message.id.empty() ? ids.next(now) : message.id;
  const TimePoint created = or_now(message.created_at, now);
  STORE_TRY_ASSIGN(auto insert,
                   q("INSERT INTO messages (id, recipient, text, encoding, part_count, priority, "
                     "send_at, expires_at, flash, status_report, pinned_modem, pinned_operator, "
                     "destination_operator, status, attempts, created_at, client, reference, "
                     "callback_url) VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)"));
  insert->bind_all(id, message.to, message.text, message.encoding,
                   static_cast<int>(message.parts.size()), message.priority, message.send_at,
                   message.expires_at, message.flash, message.status_report, message.pinned_modem,
                   message.pinned_operator, message.destination_operator, created, message.client,
                   message.reference, message.callback_url);
  // Sent ahead: a duplicate id then fails at insert_messages' wait (PostgreSQL).
  if (auto done = insert->send(); !done) {
    if (done.error().kind == ErrorCode::conflict) {
      return make_error(ErrorCode::conflict, "message id " + id + " already exists");
    }
    return done.error();
  }
  STORE_TRY_ASSIGN(auto part_insert,
                   q("INSERT INTO message_parts (message_id, idx, pdu, tpdu_length, status) "
                     "VALUES (?, ?, ?, ?, 'queued')"));
  for (std::size_t i = 0; i < message.parts.size(); ++i) {
    STORE_TRY(part_insert
                  ->bind_all(id, static_cast<int>(i + 1), message.parts[i].pdu_hex,
                             message.parts[i].tpdu_length)
                  .send());
  }
  if (const auto& origin = message.origin) {
    STORE_TRY_ASSIGN(auto origin_insert,
                     q("INSERT INTO message_origins (message_id, protocol, registered_delivery, "
                       "source_addr, source_ton, source_npi, dest_addr, dest_ton, dest_npi, "
                       "dlr_url, dlr_mask) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    STORE_TRY(origin_insert
                  ->bind_all(id, origin->protocol, int{origin->registered_delivery},
                             origin->source_addr, int{origin->source_ton}, int{origin->source_npi},
                             origin->dest_addr, int{origin->dest_ton}, int{origin->dest_npi},
                             origin->dlr_url, static_cast<std::int64_t>(origin->dlr_mask))
                  .run());
  }
  STORE_TRY(add_event(id, "queued",
                      JsonObject()
                          .text("to", message.to)
                          .number("parts", static_cast<std::int64_t>(message.parts.size()))
                          .text("encoding", message.encoding)
                          .number("priority", message.priority)
                          .str(),
                      created));
  return id;
}

Result<SubmissionResult> Store::insert_messages(
    std::span<const NewMessage> messages, const std::optional<IdempotencyRecord>& idempotency) {
  const TimePoint now = std::chrono::system_clock::now();
  return impl_->transaction([&]() -> Result<SubmissionResult> {
    SubmissionResult result;
    if (idempotency) {
      STORE_TRY_ASSIGN(result.replay, impl_->claim_key(*idempotency, now));
      if (result.replay) return result;
    }
    if (messages.empty()) return make_error("invalid", "a submission needs at least one message");
    for (const auto& message : messages) {
      STORE_TRY_ASSIGN(auto id, impl_->insert_one(message, now));
      result.ids.push_back(std::move(id));
    }
    if (auto waited = impl_->db->wait_sent(); !waited) {
      // A duplicate id, named as insert_one names it (the server's detail gives the key).
      const Error& error = waited.error();
      static constexpr std::string_view kKey = "Key (id)=(";
      const auto key = error.message.find(kKey);
      const auto end = key == std::string::npos ? key : error.message.find(')', key + kKey.size());
      if (error.kind != ErrorCode::conflict || end == std::string::npos) return error;
      const auto start = key + kKey.size();
      return make_error(
          ErrorCode::conflict,
          "message id " + error.message.substr(start, end - start) + " already exists");
    }
    return result;
  });
}

// ---- Status reports (3GPP TS 23.040 9.2.2.3) -------------------------------------------------

Result<MessageStatus> Store::Impl::apply_report(const std::string& id, int index,
                                                const DeliveryReport& report) {
  const TimePoint now = or_now(report.received_at, std::chrono::system_clock::now());
  STORE_TRY_ASSIGN(auto part, require_part(id, index));
  const ReportOutcome outcome = classify_report_status(report.tp_status);
  const std::string st = hex_byte(report.tp_status);
  // A final part keeps its status (transitions.hpp); the report is still logged.
  const auto to = next_status(part.status, report_event(outcome));
  if (to && *to == PartStatus::delivered) {
    STORE_TRY_ASSIGN(auto update, q("UPDATE message_parts SET status = ?, delivered_at = ?, "
                                    "report_status = ? WHERE message_id = ? AND idx = ?"));
    STORE_TRY(update->bind_all(to_string(*to), now, report.tp_status, id, index).run());
  } else if (to && *to == PartStatus::failed) {
    STORE_TRY_ASSIGN(auto update, q("UPDATE message_parts SET status = ?, report_status = ?, "
                                    "error = ? WHERE message_id = ? AND idx = ?"));
    STORE_TRY(update
                  ->bind_all(to_string(*to), report.tp_status,
                             "status report TP-ST " + st + ": the service centre gave up", id,
                             index)
                  .run());
  } else if (to) {
    STORE_TRY_ASSIGN(auto update,
                     q("UPDATE message_parts SET report_status = ? WHERE message_id = ? "
                       "AND idx = ?"));
    STORE_TRY(update->bind_all(report.tp_status, id, index).run());
  }
  JsonObject detail;
  detail.number("index", index)
      .text("tp_st", st)
      .text("outcome", outcome_name(outcome))
      .text("modem", report.modem)
      .number("mr", report.mr);
  if (!to) detail.text("ignored", "the part is already " + std::string(to_string(part.status)));
  STORE_TRY(add_event(id, "report", detail.str(), now));
  STORE_TRY_ASSIGN(auto message, require_message(id));
  if (message.status == MessageStatus::sending) return settle_if_done(id, now);
  if (message.status == MessageStatus::unknown) return resolve_unknown(id, now);
  STORE_TRY_ASSIGN(auto parts, parts_of(id));
  return apply_roll_up(id, message.status, parts, now);
}

Result<MessageStatus> Store::record_report(const std::string& id, int index,
                                           const DeliveryReport& report) {
  return impl_->transaction([&]() { return impl_->apply_report(id, index, report); });
}

Result<ReportSettlement> Store::settle_report(const DeliveryReport& report,
                                              const scheduler::MatchOptions& options) {
  const TimePoint received = or_now(report.received_at, std::chrono::system_clock::now());
  return impl_->transaction([&]() -> Result<ReportSettlement> {
    STORE_TRY_ASSIGN(auto candidates,
                     report_candidates(report.modem, report.mr, received - options.window));
    std::vector<scheduler::SentPart> sent;
    sent.reserve(candidates.size());
    for (const auto& c : candidates) {
      sent.push_back(
          scheduler::SentPart{c.modem, static_cast<std::uint8_t>(c.mr), c.to, c.sent_at});
    }
    const scheduler::StatusReportFacts facts{report.modem, static_cast<std::uint8_t>(report.mr),
                                             report.recipient.value_or(""), report.scts, received};
    const auto match = scheduler::match_status_report(facts, sent, options);
    ReportSettlement settlement;
    if (!match) {
      // No known part: perhaps a part whose +CMGS never came (its MR is unknown).
      STORE_TRY_ASSIGN(auto unknown,
                       impl_->unknown_parts_on(report.modem, received - options.window));
      std::vector<scheduler::UnknownPart> parts;
      parts.reserve(unknown.size());
      for (const auto& u : unknown) {
        parts.push_back(scheduler::UnknownPart{report.modem, u.recipient, u.sending_at});
      }
      const auto settles = scheduler::match_unknown_part(facts, parts, options);
      if (!settles) {
        STORE_TRY(store_unmatched_report(report));
        return settlement;
      }
      const auto& part = unknown[*settles];
      STORE_TRY(impl_->settle_unknown_part(part.message_id, part.index, report.mr, part.sending_at,
                                           report.modem, received));
      STORE_TRY_ASSIGN(settlement.status, impl_->apply_report(part.message_id, part.index, report));
      settlement.message_id = part.message_id;
      settlement.index = part.index;
      settlement.settled_unknown = true;
      return settlement;
    }
    const auto& part = candidates[*match];
    STORE_TRY_ASSIGN(settlement.status, record_report(part.message_id, part.index, report));
    settlement.message_id = part.message_id;
    settlement.index = part.index;
    return settlement;
  });
}

}  // namespace smsgw::store
