#include <algorithm>
#include <variant>
#include <vector>

#include "modem_impl.hpp"

namespace smsgw::modem {

awaitable<Result<void>> ModemActor::Impl::select_memory(std::string memory) {
  if (read_memory == memory) co_return Result<void>{};
  auto reply = co_await command("AT+CPMS=" + quoted(memory));
  if (!reply) co_return reply.error();
  read_memory = memory;
  co_return Result<void>{};
}

// Every stored message of the primary memory, and the status reports in "SR".
awaitable<void> ModemActor::Impl::sweep() {
  co_await sweep_memory(primary_memory);
  if (sr_memory && primary_memory != "SR") {
    co_await sweep_memory("SR");
    (void)co_await select_memory(primary_memory);
  }
}

awaitable<void> ModemActor::Impl::sweep_memory(std::string memory) {
  if (auto selected = co_await select_memory(memory); !selected) {
    log->info("cannot select {} for the sweep: {}", memory, selected.error().message);
    co_return;
  }
  auto reply = co_await command("AT+CMGL=4", settings.long_command_timeout);
  if (!reply) {
    log->info("AT+CMGL=4 in {} failed: {}", memory, reply.error().message);
    co_return;
  }
  const auto messages = parse_cmgl_listing(reply->lines);
  if (!messages.empty()) log->info("{} stored message(s) in {}", messages.size(), memory);
  for (const auto& message : messages) {
    const Slot slot{memory, *message.header.index, false};
    if (undecodable.contains(slot)) continue;
    // Unsent/sent drafts (stat 2, 3) are the user's, not inbound.
    if (message.header.stat == 2 || message.header.stat == 3) continue;
    co_await hand_over(slot, message.pdu_hex);
  }
}

void ModemActor::Impl::enqueue(Slot slot) {
  if (reading == slot ||
      std::find(pending_reads.begin(), pending_reads.end(), slot) != pending_reads.end()) {
    log->debug("duplicate announcement of {} {} dropped", slot.memory, slot.index);
    return;
  }
  pending_reads.push_back(std::move(slot));
  wake->set();
}

awaitable<void> ModemActor::Impl::read_slot(Slot slot) {
  reading = slot;
  std::vector<std::string> memories{slot.memory};
  // Quectel EC25/EG25 store the report in "SR" but announce "SM" (asterisk-chan-quectel
  // PR#75): read "SR" first, then the announced memory.
  if (slot.report && profile->status_report_announced_in_sm_stored_in_sr && slot.memory != "SR") {
    memories.insert(memories.begin(), "SR");
  }
  for (const auto& memory : memories) {
    if (auto selected = co_await select_memory(memory); !selected) continue;
    auto reply = co_await command("AT+CMGR=" + std::to_string(slot.index));
    if (!reply) {
      log->debug("AT+CMGR={} in {}: {}", slot.index, memory, reply.error().message);
      continue;
    }
    auto stored = parse_cmgr_reply(reply->lines);
    if (!stored) {
      log->debug("{} {}: {}", memory, slot.index, stored.error().message);
      continue;
    }
    Slot found{memory, slot.index, slot.report};
    co_await hand_over(found, stored->pdu_hex);
    reading.reset();
    co_return;
  }
  log->debug("{} {} holds nothing (already read: a duplicate announcement)", slot.memory,
             slot.index);
  reading.reset();
}

// Hands an SMS-DELIVER or SMS-STATUS-REPORT to the listener (storage "" and index -1
// for direct delivery): true once it is stored. Nothing for an SMS-SUBMIT.
awaitable<std::optional<bool>> ModemActor::Impl::offer(pdu::Decoded decoded, std::string storage,
                                                       int index, std::string pdu_hex) {
  if (auto* deliver = std::get_if<pdu::Deliver>(&decoded.tpdu)) {
    InboundSms sms{settings.id, std::move(storage), index, std::move(*deliver), std::move(pdu_hex)};
    const bool stored = co_await listener.on_inbound(std::move(sms));
    if (stored) ++snap.received_total;
    co_return stored;
  }
  if (auto* report = std::get_if<pdu::StatusReport>(&decoded.tpdu)) {
    StatusReportEvent event{settings.id, std::move(*report), std::move(pdu_hex)};
    const bool stored = co_await listener.on_status_report(std::move(event));
    if (stored) ++snap.reports_total;
    co_return stored;
  }
  co_return std::nullopt;
}

// Decodes a stored PDU, hands it to the listener, and deletes it once stored.
awaitable<void> ModemActor::Impl::hand_over(Slot slot, std::string pdu_hex) {
  auto decoded = pdu::decode(pdu_hex);
  if (!decoded) {
    auto error = make_error("modem.bad_pdu", slot.memory + " " + std::to_string(slot.index) + ": " +
                                                 decoded.error().message + " (PDU " + pdu_hex +
                                                 "); kept on the SIM");
    log->error("{}", error.message);
    record_error(std::move(error));
    undecodable.insert(slot);
    co_return;
  }
  const auto offered = co_await offer(std::move(decoded).value(), slot.memory, slot.index, pdu_hex);
  if (!offered) co_return;  // an SMS-SUBMIT draft
  const bool stored = *offered;
  if (!stored) {
    log->warn("listener did not store {} {}; kept on the SIM", slot.memory, slot.index);
    unacknowledged.insert(slot);
    co_return;
  }
  unacknowledged.erase(slot);
  // From the delete on the slot is free: the modem may store the next message there and
  // announce it (+CMTI/+CDSI) right after the OK. That is a new message, not a repeat of
  // the one being read, so it must not be dropped as a duplicate announcement.
  reading.reset();
  if (auto selected = co_await select_memory(slot.memory); !selected) co_return;
  if (auto deleted = co_await command("AT+CMGD=" + std::to_string(slot.index)); !deleted) {
    log->warn("AT+CMGD={} in {} failed: {}", slot.index, slot.memory, deleted.error().message);
  }
}

// +CMT / +CDS: the PDU came with the URC (TS 27.005 3.4.1). With +CSMS=1 it is
// acknowledged (AT+CNMA) once the listener stored it, and so is a repeat of a PDU stored
// before; a refused or undecodable one is left unacknowledged for the network to send
// again (check_indications() picks it up from storage).
awaitable<void> ModemActor::Impl::handle_direct(at::Urc urc) {
  if (!urc.body) {
    log->warn("{} without its PDU line", urc.line);
    co_return;
  }
  const std::string pdu_hex = *urc.body;
  if (std::find(recent_direct.begin(), recent_direct.end(), pdu_hex) != recent_direct.end()) {
    log->info("the same {} again (the network missed the acknowledgement): dropped", urc.name);
    co_await acknowledge_direct();
    co_return;
  }
  auto decoded = pdu::decode(pdu_hex);
  if (!decoded) {
    auto error = make_error("modem.bad_pdu",
                            urc.name + ": " + decoded.error().message + " (PDU " + pdu_hex + ")");
    log->error("{}", error.message);
    record_error(std::move(error));
    co_return;
  }
  const auto offered = co_await offer(std::move(decoded).value(), "", -1, pdu_hex);
  const bool stored = offered.value_or(false);
  if (!stored) {
    log->warn("listener did not store the {}; {}", urc.name,
              needs_cnma ? "not acknowledged, the network sends it again"
                         : "it is lost (the modem acknowledged it by itself)");
    co_return;
  }
  recent_direct.push_back(pdu_hex);
  if (recent_direct.size() > kRecentDirect) recent_direct.pop_front();
  co_await acknowledge_direct();
}

awaitable<void> ModemActor::Impl::acknowledge_direct() {
  if (!needs_cnma) co_return;
  if (auto acked = co_await command("AT+CNMA"); !acked) {
    log->warn("AT+CNMA failed: {}", acked.error().message);
  }
}

// A +CMT / +CDS waiting for the listener goes before the next AT+CMGS, so its AT+CNMA is
// not stuck behind a send (the network waits only seconds for it).
awaitable<void> ModemActor::Impl::let_direct_deliveries_finish() {
  const auto deadline = Clock::now() + settings.command_timeout;
  while ((!pending_direct.empty() || direct_in_progress) && Clock::now() < deadline) {
    direct_done->reset();
    co_await direct_done->wait(deadline - Clock::now());
  }
}

}  // namespace smsgw::modem
