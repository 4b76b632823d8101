// Status reports (3GPP TS 23.040 9.2.2.3): the parts a report may be about, and the
// reports that matched none. Applying a matched report is in message_transitions.cpp.
#include "store_impl.hpp"

namespace smsgw::store {

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

Result<std::int64_t> Store::store_unmatched_report(const DeliveryReport& report) {
  const TimePoint now = or_now(report.received_at, std::chrono::system_clock::now());
  return impl_->transaction([&]() -> Result<std::int64_t> {
    STORE_TRY_ASSIGN(auto insert, impl_->q("INSERT INTO unmatched_reports (" REPORT_COLUMNS
                                           ") VALUES (?, ?, ?, ?, ?, ?, "
                                           "?, ?) RETURNING id"));
    return insert
        ->bind_all(report.modem, report.mr, report.recipient, report.tp_status, report.scts,
                   report.discharge, report.pdu_hex, now)
        .single_integer();
  });
}

Result<std::vector<DeliveryReport>> Store::unmatched_reports(std::size_t limit) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT " REPORT_COLUMNS " FROM unmatched_reports ORDER BY id "
                            "DESC LIMIT ?"));
  query->bind(1, static_cast<std::int64_t>(limit));
  std::vector<DeliveryReport> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    out.push_back(read_report(*query));
  }
  return out;
}

}  // namespace smsgw::store
