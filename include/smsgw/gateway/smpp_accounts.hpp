// The SMPP server's accounts and inbound routing over the [[client]] tables (pure: no I/O).
//
// authenticate_bind() (issue 13 design notes, "Authentication"): a bind's system_id and
// password are a [[client]]'s system_id and password (the password compared in constant
// time; a password over SMPP's 8 characters by its first 8, which is what a bind can
// carry and what Kannel sends). When NO client has a system_id and the listener is on loopback, any
// bind is accepted as Account{client = "", every right}. Failures (SMPP 3.4 5.1.3): ESME_RINVSYSID
// no such system_id, ESME_RINVPASWD wrong password, ESME_RBINDFAIL the client lacks the scope its
// bind needs (transmitter and transceiver "send", receiver "read"). may_send / may_receive are the
// scopes "send" / "read".
//
// inbound_clients(): the clients whose SMPP receivers get an inbound message received by
// `modem` (ICCID `iccid`, [[sim]] number `number`; "" when unknown): every client with an
// SMPP account and the scope "read" whose `inbound` rule matches (no key = every message,
// entries match the modem id, the ICCID or the number, [] = none). With no SMPP account
// configured and a loopback listener it is {""}, the anonymous account; none when
// [smpp] listen is empty (no receiver can ever bind: rows would wait forever).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/config/config.hpp"
#include "smsgw/smpp/backend.hpp"

namespace smsgw::gateway {

smpp::Outcome<smpp::Account> authenticate_bind(std::span<const config::ClientConfig> clients,
                                               const config::SmppConfig& smpp,
                                               const smpp::BindRequest& request);

std::vector<std::string> inbound_clients(std::span<const config::ClientConfig> clients,
                                         const config::SmppConfig& smpp, std::string_view modem,
                                         std::string_view iccid, std::string_view number);

// Equal strings, in a time that depends on their lengths only.
bool equal_in_constant_time(std::string_view a, std::string_view b);

}  // namespace smsgw::gateway
