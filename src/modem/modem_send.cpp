#include "modem_impl.hpp"
#include "smsgw/causes/causes.hpp"

namespace smsgw::modem {
namespace {

// " (retry_soon)" etc. for a +CMS / +CME ERROR by the cause table (causes.hpp), for the
// log; empty for other errors.
std::string cause_class_note(const Error& error) {
  const bool cms = error.kind == ErrorCode::cms;
  if ((!cms && error.kind != ErrorCode::cme) || !error.number) return {};
  const auto send_class = cms ? causes::cms_class(*error.number) : causes::cme_class(*error.number);
  return " (" + std::string(causes::to_string(send_class)) + ")";
}

}  // namespace

// A pending recovery or re-init also closes the door: the modem is suspect until then.
bool ModemActor::Impl::can_send() const {
  return snap.state == ModemState::ready && !send_in_flight && channel && channel->is_open() &&
         !recovery_requested && !reinit_requested && !reset_requested;
}

awaitable<PartResult> ModemActor::Impl::send(pdu::SubmitPart part) {
  PartResult result;
  if (!can_send()) {
    result.error = make_error(ErrorCode::modem_not_ready,
                              settings.id + " is " + std::string(to_string(snap.state)) +
                                  (send_in_flight ? " with a send in flight" : ""));
    co_return result;
  }
  send_in_flight = true;
  set_state(ModemState::sending);
  const auto ch = channel;
  const auto counters = io;
  co_await let_direct_deliveries_finish();
  const auto bodies_before = counters->bodies_written;
  auto reply = co_await ch->command_with_body("AT+CMGS=" + std::to_string(part.length), part.pdu,
                                              settings.prompt_timeout, settings.send_timeout);
  if (reply) {
    result.outcome = PartResult::Outcome::sent;
    if (auto mr = first_parsed(*reply, parse_cmgs)) {
      result.mr = *mr;
    } else {
      result.error = make_error("modem.no_mr", "OK without +CMGS: <mr>");
      log->warn("AT+CMGS answered OK without +CMGS: <mr>");
    }
    ++snap.sent_total;
    recovery_level = 0;
    log->debug("part sent, MR {}", result.mr);
  } else {
    auto error = std::move(reply).error();
    const bool body_written = counters->bodies_written > bodies_before;
    const bool no_answer = error.kind == ErrorCode::at_timeout || is_port_failure(error);
    if (no_answer && body_written) {
      result.outcome = PartResult::Outcome::unknown;
      log->error("PDU written but no +CMGS ({}): outcome unknown", error.message);
    } else {
      result.outcome = PartResult::Outcome::failed;
      log->warn("send failed: {}{}", error.message, cause_class_note(error));
    }
    if (error.kind == ErrorCode::at_timeout) request_recovery();
    record_error(error);
    result.error = std::move(error);
  }
  send_in_flight = false;
  if (snap.state == ModemState::sending) set_state(ModemState::ready);
  wake->set();
  co_return result;
}

}  // namespace smsgw::modem
