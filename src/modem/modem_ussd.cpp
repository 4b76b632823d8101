#include <algorithm>

#include "modem_impl.hpp"

namespace smsgw::modem {

awaitable<Result<UssdReply>> ModemActor::Impl::ussd(std::string code) {
  if ((snap.state != ModemState::ready && snap.state != ModemState::sending) || !channel) {
    co_return make_error(ErrorCode::modem_not_ready,
                         settings.id + " is " + std::string(to_string(snap.state)));
  }
  if (ussd_in_flight) {
    co_return make_error("modem.busy", "a USSD session is already running on " + settings.id);
  }
  auto request = encode_ussd_request(code, profile->ussd_encoding);
  if (!request) co_return std::move(request).error();

  ussd_in_flight = true;
  ussd_notes.clear();
  ussd_arrived->reset();
  struct Done {
    bool& flag;
    ~Done() { flag = false; }
  } done{ussd_in_flight};

  // TS 27.007 7.15: <dcs> 15 = GSM 7-bit, language unspecified.
  auto accepted = co_await command("AT+CUSD=1," + quoted(*request) + ",15");
  if (!accepted) {
    log->warn("AT+CUSD=1 for {} refused: {}", code, accepted.error().message);
    co_return std::move(accepted).error();
  }
  const auto deadline = Clock::now() + settings.ussd_timeout;
  std::optional<UssdNotification> answer;
  while (!answer) {
    if (stopping) co_return make_error(ErrorCode::at_closed, "stopped");
    if (!ussd_notes.empty()) {
      auto note = std::move(ussd_notes.front());
      ussd_notes.pop_front();
      // "+CUSD: 2,"Initiating Release"" may precede the real answer (python-gsmmodem):
      // a later note wins; when none is queued yet, wait briefly for one.
      if (note.status == 2 && ussd_notes.empty()) {
        ussd_arrived->reset();
        const auto grace =
            std::min<Clock::duration>(settings.ussd_release_grace, deadline - Clock::now());
        if (grace > Clock::duration::zero()) co_await ussd_arrived->wait(grace);
      }
      const bool superseded = note.status == 2 && !ussd_notes.empty();
      if (!superseded) answer = std::move(note);
      continue;
    }
    ussd_arrived->reset();
    const auto left = deadline - Clock::now();
    bool arrived = false;
    if (left > Clock::duration::zero()) arrived = co_await ussd_arrived->wait(left);
    if (!arrived) {
      log->warn("no +CUSD for {} within {} ms; cancelling", code, settings.ussd_timeout.count());
      (void)co_await command("AT+CUSD=2");
      co_return make_error(ErrorCode::modem_ussd_timeout,
                           "no USSD answer to " + code + " within " +
                               std::to_string(settings.ussd_timeout.count()) + " ms");
    }
  }
  switch (answer->status) {
    case 3:
      co_return make_error(ErrorCode::modem_ussd, "another local client answered the USSD request");
    case 4:
      co_return make_error(ErrorCode::modem_ussd_unsupported,
                           "the network does not support the USSD request " + code);
    case 5:
      co_return make_error(ErrorCode::modem_ussd_timeout, "the network timed out on " + code);
    default:
      break;
  }
  UssdReply reply;
  reply.status = answer->status;
  reply.dcs = answer->dcs;
  reply.raw = answer->text.value_or("");
  auto text = decode_ussd_text(reply.raw, reply.dcs, profile->ussd_encoding);
  reply.text = text ? std::move(text).value() : reply.raw;
  if (reply.status == 1) {
    // The network waits for a menu choice; this API is one request, one answer.
    (void)co_await command("AT+CUSD=2");
  }
  log->info("USSD {} -> [{}] {}", code, reply.status, reply.text);
  co_return reply;
}

}  // namespace smsgw::modem
