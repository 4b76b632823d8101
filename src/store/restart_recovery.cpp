// What a restart does with the messages a previous process left in "sending": each one is
// queued again, or, when a part may already have left and at_least_once is off, left
// `unknown` without a resend (transitions.hpp, outcome_unknown): a status report may still
// settle it. The rule applies to one node's claims (messages.claimed_by): at a restart to
// this node's own and to those nobody claimed; after another node's lease ran out, to that
// node's (take_over, nodes.cpp).
#include <algorithm>

#include "store_impl.hpp"

namespace smsgw::store {

Result<RecoveryReport> Store::recover_after_restart(bool at_least_once, TimePoint now,
                                                    const scheduler::MatchOptions& options) {
  return impl_->transaction([&]() -> Result<RecoveryReport> {
    return impl_->recover_claims(Impl::ClaimOwner{impl_->options.node, true}, at_least_once, now,
                                 options);
  });
}

Result<RecoveryReport> Store::Impl::recover_claims(const ClaimOwner& owner, bool at_least_once,
                                                   TimePoint now,
                                                   const scheduler::MatchOptions& matching) {
  RecoveryReport report;
  std::vector<std::string> sending;
  {
    // Another node's messages by messages_by_node (claimed_by, status, id); this node's
    // together with the unclaimed ones by messages_by_status (sending messages are few: at
    // most one per modem of each node).
    const char* sql =
        owner.unclaimed
            ? "SELECT id FROM messages WHERE status = 'sending' AND (claimed_by = ? OR "
              "claimed_by IS NULL OR claimed_by = '') ORDER BY id"
            : "SELECT id FROM messages WHERE claimed_by = ? AND status = 'sending' ORDER BY id";
    STORE_TRY_ASSIGN(auto query, q(sql));
    query->bind(1, owner.node);
    while (true) {
      STORE_TRY_ASSIGN(const bool row, query->step());
      if (!row) break;
      sending.push_back(query->text(0));
    }
  }
  for (const auto& id : sending) {
    STORE_TRY_ASSIGN(auto parts, parts_of(id));
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
      STORE_TRY(requeue_message(id, std::nullopt, std::nullopt));
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
      STORE_TRY(add_event(id, "recovered", detail.str(), now));
      report.requeued.push_back(id);
      continue;
    }
    const std::string error = "unknown outcome: the process stopped while part(s) " + uncertain +
                              " were being sent; not resent because at_least_once is off";
    STORE_TRY_ASSIGN(auto mark, q("UPDATE message_parts SET status = ?, error = ? "
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
    STORE_TRY(mark_unknown(id, error));
    STORE_TRY(add_event(id, "recovered",
                        JsonObject()
                            .text("action", "not_resent")
                            .text("parts", uncertain)
                            .text("error", error)
                            .str(),
                        now));
    STORE_TRY_ASSIGN(const auto settled, settle_from_unmatched(id, matching, now));
    if (settled) {
      report.settled.push_back(id);
    } else {
      report.unknown.push_back(id);
    }
  }
  return report;
}

}  // namespace smsgw::store
