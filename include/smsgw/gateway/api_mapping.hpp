// The gateway's records in the shapes of the HTTP facade (http::GatewayApi): stored messages
// and inbound messages, modem snapshots with their SIM's dispatch status and balance, USSD
// replies and modem-layer errors.
//
// Contract: pure functions. An empty text field of a record or snapshot means "not known"
// and maps to an absent optional; an event detail of "{}" (no details) maps to "".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "smsgw/common/result.hpp"
#include "smsgw/config/config.hpp"
#include "smsgw/gateway/dispatcher.hpp"
#include "smsgw/http/gateway_api.hpp"
#include "smsgw/modem/modem.hpp"
#include "smsgw/pdu/pdu.hpp"
#include "smsgw/store/records.hpp"

namespace smsgw::gateway {

http::Message to_api(const store::StoredMessage& message);
http::InboundMessage to_api(const store::StoredInbound& message);

// One entry of GET /api/v1/modems. `sim` is the dispatcher's view of the modem's SIM (none
// when it is not attached); `balance` its latest reading (null when never read).
// `manual`: the SIM's manual pause (who, when), when it has one.
http::ModemInfo modem_info(const modem::ModemSnapshot& snapshot,
                           const std::optional<Dispatcher::SimStatus>& sim,
                           const store::BalanceRecord* balance,
                           const store::SimPause* manual = nullptr);

// One modem of GET /metrics; `sent` and `failed` count its parts since start.
http::ModemMetrics modem_metrics(const modem::ModemSnapshot& snapshot,
                                 const std::optional<Dispatcher::SimStatus>& sim,
                                 const store::BalanceRecord* balance, std::uint64_t sent,
                                 std::uint64_t failed);

// Messages by status, and the queued count as the queue depth.
void add_status_counts(const std::vector<std::pair<store::MessageStatus, std::int64_t>>& counts,
                       http::MetricsSnapshot& snapshot);

// The webhook outbox's backlog at `now`: pending count and the age of the oldest in
// seconds (0 when none is pending, and for one enqueued after `now`, as after a clock step).
void add_webhook_backlog(const store::WebhookBacklog& backlog, store::TimePoint now,
                         http::MetricsSnapshot& snapshot);

// A USSD reply or failure as the facade answers it: the network's own refusals are answers
// ("unsupported", "other_client"), the other failures map to "timeout", "validation" or
// "unavailable" (gateway_api.hpp).
Result<http::UssdReply> to_api(const Result<modem::UssdReply>& reply);

// GET /api/v1/info's facts about the gateway: the project's version, [sms] max_parts and
// shift_tables, and the alphabets: "default", then each shift table (config order, once).
http::GatewayInfo gateway_info(const config::SmsConfig& sms);

// One alphabet of GET /api/v1/info from the codec's own tables (smsgw/pdu/alphabets.hpp):
// the default alphabet and its extension table when `language` is none.
http::Gsm7Alphabet gsm7_alphabet(std::string name, std::optional<pdu::NationalLanguage> language);

}  // namespace smsgw::gateway
