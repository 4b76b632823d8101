#include <array>
#include <utility>

#include "modem_impl.hpp"
#include "smsgw/at/urc_table.hpp"

namespace smsgw::modem {

// Unsolicited result codes (at/urc_table.hpp): the ones the actor acts on go through the
// table below; boot lines re-initialise a modem that was serving; noise is logged at trace
// level; anything else at debug level.
void ModemActor::Impl::on_urc(const at::Urc& urc) {
  struct Route {
    std::string_view name;
    void (Impl::*handle)(const at::Urc&);
  };
  static constexpr std::array kRoutes = {
      Route{"+CMTI", &Impl::on_stored_announcement},  // TS 27.005 3.4.1, <mt>=1
      Route{"+CDSI", &Impl::on_stored_announcement},  // TS 27.005 3.4.1, <ds>=2
      Route{"+CMT", &Impl::on_direct_delivery},       // TS 27.005 3.4.1, <mt>=2
      Route{"+CDS", &Impl::on_direct_delivery},       // TS 27.005 3.4.1, <ds>=1
      Route{"+CUSD", &Impl::on_ussd_notification},    // TS 27.007 7.15
      Route{"+CREG", &Impl::on_registration},         // TS 27.007 7.2
      Route{"+CGREG", &Impl::on_registration},        // TS 27.007 10.1.20
      Route{"+CEREG", &Impl::on_registration},        // TS 27.007 10.1.22
  };
  for (const auto& route : kRoutes) {
    if (urc.name == route.name) {
      (this->*route.handle)(urc);
      return;
    }
  }
  if (at::is_boot_urc(urc.name, urc.line)) {
    if (in_service(snap.state)) {
      log->warn("the modem restarted ({}); initialising again", urc.line);
      reinit_requested = true;
      wake->set();
    }
    return;
  }
  if (at::is_noise_urc(urc.name)) {
    log->trace("noise {}", urc.line);
    return;
  }
  log->debug("unhandled URC {}", urc.line);
}

// A message or status report stored in <mem>,<index>: read by the serve loop.
void ModemActor::Impl::on_stored_announcement(const at::Urc& urc) {
  auto slot = parse_storage_index(urc.line);
  if (!slot) {
    log->warn("{}", slot.error().message);
    return;
  }
  enqueue(Slot{slot->memory, slot->index, urc.name == "+CDSI"});
}

// The PDU came with the URC: handed over by the serve loop (handle_direct).
void ModemActor::Impl::on_direct_delivery(const at::Urc& urc) {
  pending_direct.push_back(urc);
  wake->set();
}

// Queued for the USSD request in flight; ignored when none is.
void ModemActor::Impl::on_ussd_notification(const at::Urc& urc) {
  auto note = parse_cusd(urc.line);
  if (!note) {
    log->warn("{}", note.error().message);
    return;
  }
  if (!ussd_in_flight) {
    log->info("unsolicited {} ignored", urc.line);
    return;
  }
  ussd_notes.push_back(std::move(note).value());
  ussd_arrived->set();
}

void ModemActor::Impl::on_registration(const at::Urc& urc) {
  auto registration = parse_registration(urc.line, RegistrationForm::unsolicited);
  if (!registration) return;
  const std::string state(to_string(registration->state));
  if (state != snap.registration) {
    snap.registration = state;
    notify_changed();
  }
}

}  // namespace smsgw::modem
