// Status reports (3GPP TS 23.040 9.2.2.3): the parts a report may be about, the report
// applied to the part scheduler::match_status_report() chose, and the reports that matched
// nothing.
#include "smsgw/scheduler/dlr_matcher.hpp"
#include "store_impl.hpp"

namespace smsgw::store {
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

}  // namespace

Result<std::vector<ReportCandidate>> Store::report_candidates(const std::string& modem, int mr,
                                                              TimePoint since) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT p.message_id, p.idx, m.recipient, p.modem, p.mr, p.sent_at, "
                            "p.status FROM message_parts p JOIN messages m ON m.id = p.message_id "
                            "WHERE p.modem = ? AND p.mr = ? AND p.sent_at >= ? "
                            "ORDER BY p.sent_at DESC, p.message_id DESC"));
  query->bind_all(modem, mr, since);
  std::vector<ReportCandidate> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    ReportCandidate c;
    c.message_id = query->text(0);
    c.index = static_cast<int>(query->integer(1));
    c.to = query->text(2);
    c.modem = query->text(3);
    c.mr = static_cast<int>(query->integer(4));
    c.sent_at = query->time(5);
    c.status = parse_part_status(query->text(6)).value_or(PartStatus::unknown);
    out.push_back(std::move(c));
  }
  return out;
}

Result<MessageStatus> Store::record_report(const std::string& id, int index,
                                           const DeliveryReport& report) {
  const TimePoint now = or_now(report.received_at, std::chrono::system_clock::now());
  return impl_->transaction([&]() -> Result<MessageStatus> {
    STORE_TRY_ASSIGN(auto part, impl_->require_part(id, index));
    const ReportOutcome outcome = classify_report_status(report.tp_status);
    const std::string st = hex_byte(report.tp_status);
    // A final part keeps its status (transitions.hpp); the report is still logged.
    const auto to = next_status(part.status, report_event(outcome));
    if (to && *to == PartStatus::delivered) {
      STORE_TRY_ASSIGN(auto update,
                       impl_->q("UPDATE message_parts SET status = ?, delivered_at = ?, "
                                "report_status = ? WHERE message_id = ? AND idx = ?"));
      STORE_TRY(update->bind_all(to_string(*to), now, report.tp_status, id, index).run());
    } else if (to && *to == PartStatus::failed) {
      STORE_TRY_ASSIGN(auto update,
                       impl_->q("UPDATE message_parts SET status = ?, report_status = ?, "
                                "error = ? WHERE message_id = ? AND idx = ?"));
      STORE_TRY(update
                    ->bind_all(to_string(*to), report.tp_status,
                               "status report TP-ST " + st + ": the service centre gave up", id,
                               index)
                    .run());
    } else if (to) {
      STORE_TRY_ASSIGN(auto update,
                       impl_->q("UPDATE message_parts SET report_status = ? WHERE message_id = ? "
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
    STORE_TRY(impl_->add_event(id, "report", detail.str(), now));
    STORE_TRY_ASSIGN(auto message, impl_->require_message(id));
    if (message.status == MessageStatus::sending) return impl_->settle_if_done(id, now);
    STORE_TRY_ASSIGN(auto parts, impl_->parts_of(id));
    return impl_->apply_roll_up(id, message.status, parts, now);
  });
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
      STORE_TRY(store_unmatched_report(report));
      return settlement;
    }
    const auto& part = candidates[*match];
    STORE_TRY_ASSIGN(settlement.status, record_report(part.message_id, part.index, report));
    settlement.message_id = part.message_id;
    settlement.index = part.index;
    return settlement;
  });
}

Result<std::int64_t> Store::store_unmatched_report(const DeliveryReport& report) {
  const TimePoint now = or_now(report.received_at, std::chrono::system_clock::now());
  return impl_->transaction([&]() -> Result<std::int64_t> {
    STORE_TRY_ASSIGN(
        auto insert,
        impl_->q("INSERT INTO unmatched_reports (modem, mr, recipient, tp_status, "
                 "scts, discharge, pdu, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    STORE_TRY(insert
                  ->bind_all(report.modem, report.mr, report.recipient, report.tp_status,
                             report.scts, report.discharge, report.pdu_hex, now)
                  .run());
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(impl_->db->handle()));
  });
}

Result<std::vector<DeliveryReport>> Store::unmatched_reports(std::size_t limit) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT modem, mr, recipient, tp_status, scts, discharge, pdu, "
                            "received_at FROM unmatched_reports ORDER BY id DESC LIMIT ?"));
  query->bind(1, static_cast<std::int64_t>(limit));
  std::vector<DeliveryReport> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    DeliveryReport r;
    r.modem = query->text(0);
    r.mr = static_cast<int>(query->integer(1));
    r.recipient = query->optional_text(2);
    r.tp_status = static_cast<int>(query->integer(3));
    r.scts = query->optional_time(4);
    r.discharge = query->optional_time(5);
    r.pdu_hex = query->text(6);
    r.received_at = query->time(7);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace smsgw::store
