#include "smsgw/gateway/api_mapping.hpp"

#include <algorithm>
#include <chrono>

#include "smsgw/common/version.hpp"
#include "smsgw/pdu/alphabets.hpp"
#include "smsgw/pdu/unicode.hpp"

namespace smsgw::gateway {
namespace {

std::optional<std::string> opt(const std::string& v) {
  return v.empty() ? std::nullopt : std::optional(v);
}

// +CUSD <m> (TS 27.007 7.15).
std::string ussd_status_name(int m) {
  switch (m) {
    case 0:
      return "done";
    case 1:
      return "action_required";
    case 2:
      return "terminated";
    case 3:
      return "other_client";
    case 4:
      return "unsupported";
    case 5:
      return "timeout";
    default:
      return "unknown";
  }
}

// Maps modem-layer errors to the facade's codes (gateway_api.hpp).
Error to_api_error(const Error& e) {
  std::string code = "unavailable";
  if (e.kind == ErrorCode::modem_ussd_timeout || e.kind == ErrorCode::at_timeout) code = "timeout";
  if (e.kind == ErrorCode::modem_ussd_code) code = "validation";
  return make_error(code, e.message);
}

// A table's characters as UTF-8 strings, "" for the codes without one.
std::vector<std::string> utf8_table(const pdu::Gsm7CodePoints& table) {
  std::vector<std::string> out(table.size());
  for (std::size_t code = 0; code < table.size(); ++code) {
    if (table[code] != 0) pdu::append_utf8(out[code], table[code]);
  }
  return out;
}

}  // namespace

http::Message to_api(const store::StoredMessage& m) {
  http::Message out;
  out.id = m.id;
  out.to = m.to;
  out.text = m.text;
  out.status = std::string(store::to_string(m.status));
  out.operator_name = m.destination_operator;
  out.modem = m.assigned_modem;
  for (const auto& p : m.parts) {
    http::MessagePart part;
    part.index = p.index;
    part.status = std::string(store::to_string(p.status));
    part.modem = p.modem;
    part.mr = p.mr;
    part.error = p.error;
    part.sent_at = p.sent_at;
    part.delivered_at = p.delivered_at;
    out.parts.push_back(std::move(part));
  }
  out.attempts = m.attempts;
  out.created_at = m.created_at;
  out.sent_at = m.sent_at;
  out.delivered_at = m.delivered_at;
  out.error = m.last_error;
  out.client = m.client;
  out.reference = m.reference;
  out.callback_url = m.callback_url;
  for (const auto& e : m.events) {
    out.events.push_back(
        http::MessageEvent{e.at, e.kind, e.detail_json == "{}" ? "" : e.detail_json});
  }
  return out;
}

http::InboundMessage to_api(const store::StoredInbound& m) {
  http::InboundMessage msg;
  msg.id = m.id;
  msg.modem = m.modem;
  msg.from = m.sender;
  msg.text = m.text;
  msg.parts = m.total;
  msg.parts_received = m.parts_received;
  msg.sent_at = m.smsc_time;
  msg.received_at = m.received_at;
  return msg;
}

http::ModemInfo modem_info(const modem::ModemSnapshot& s,
                           const std::optional<Dispatcher::SimStatus>& sim,
                           const store::BalanceRecord* balance, const store::SimPause* manual) {
  http::ModemInfo info;
  info.id = s.id;
  info.port = s.port;
  info.state = std::string(modem::to_string(s.state));
  info.imei = opt(s.imei);
  info.imsi = opt(s.imsi);
  info.iccid = opt(s.iccid);
  info.mccmnc = opt(s.mccmnc);
  if (s.csq && *s.csq != 99) info.csq = s.csq;
  info.dbm = s.dbm;
  info.registration = s.registration;
  info.errors = s.errors_total;
  if (s.last_error) info.last_error = s.last_error->message;
  if (sim) {
    if (!sim->operator_name.empty()) info.operator_name = sim->operator_name;
    info.sent_today = sim->sent_today;
    info.daily_limit = sim->per_day;
    // Several reasons at once: the first of manual, disabled, low_balance, id_conflict,
    // benched.
    if (sim->manual) {
      info.paused = "manual";
    } else if (sim->disabled) {
      info.paused = "disabled";
    } else if (sim->low_balance) {
      info.paused = "low_balance";
    } else if (sim->id_conflict) {
      info.paused = "id_conflict";
    } else if (sim->benched) {
      info.paused = "benched";
    }
    info.queue = sim->queue;
  }
  if (balance != nullptr) {
    info.balance =
        http::Balance{balance->amount, balance->currency, balance->raw, balance->checked_at};
  }
  if (manual != nullptr && sim && sim->manual) {
    info.paused_by = manual->paused_by;
    info.paused_at = manual->paused_at;
  }
  return info;
}

http::ModemMetrics modem_metrics(const modem::ModemSnapshot& s,
                                 const std::optional<Dispatcher::SimStatus>& sim,
                                 const store::BalanceRecord* balance, std::uint64_t sent,
                                 std::uint64_t failed) {
  http::ModemMetrics m;
  m.id = s.id;
  if (sim && !sim->operator_name.empty()) m.operator_name = sim->operator_name;
  m.state = std::string(modem::to_string(s.state));
  m.up = modem::in_service(s.state);
  m.signal_dbm = s.dbm;
  if (balance != nullptr) {
    m.balance = balance->amount;
    m.balance_currency = balance->currency;
  }
  m.sent = sent;
  m.failed = failed;
  m.errors = s.errors_total;
  if (sim) {
    m.paused_manual = sim->manual;
    m.paused_disabled = sim->disabled;
    m.paused_low_balance = sim->low_balance;
    m.paused_id_conflict = sim->id_conflict;
  }
  return m;
}

void add_status_counts(const std::vector<std::pair<store::MessageStatus, std::int64_t>>& counts,
                       http::MetricsSnapshot& snapshot) {
  for (const auto& [status, n] : counts) {
    snapshot.messages_by_status.emplace_back(std::string(store::to_string(status)),
                                             static_cast<std::uint64_t>(n));
    if (status == store::MessageStatus::queued) {
      snapshot.queue_depth = static_cast<std::uint64_t>(n);
    }
  }
}

void add_webhook_backlog(const store::WebhookBacklog& backlog, store::TimePoint now,
                         http::MetricsSnapshot& snapshot) {
  snapshot.webhook_outbox_pending =
      static_cast<std::uint64_t>(std::max<std::int64_t>(0, backlog.pending));
  snapshot.webhook_outbox_oldest_seconds = 0;
  if (backlog.oldest_created_at && *backlog.oldest_created_at < now) {
    snapshot.webhook_outbox_oldest_seconds =
        std::chrono::duration<double>(now - *backlog.oldest_created_at).count();
  }
}

Result<http::UssdReply> to_api(const Result<modem::UssdReply>& reply) {
  // The network's own refusals are answers, not failures of the gateway (TS 27.007 +CUSD <m>).
  if (!reply && reply.error().kind == ErrorCode::modem_ussd_unsupported) {
    return http::UssdReply{"", ussd_status_name(4)};
  }
  if (!reply && reply.error().kind == ErrorCode::modem_ussd) {
    return http::UssdReply{"", ussd_status_name(3)};
  }
  if (!reply) return to_api_error(reply.error());
  return http::UssdReply{reply->text, ussd_status_name(reply->status)};
}

http::Gsm7Alphabet gsm7_alphabet(std::string name, std::optional<pdu::NationalLanguage> language) {
  http::Gsm7Alphabet alphabet;
  alphabet.name = std::move(name);
  if (const auto locking = pdu::locking_shift_code_points(language)) {
    alphabet.locking = utf8_table(*locking);
  }
  alphabet.single = utf8_table(pdu::single_shift_code_points(language));
  return alphabet;
}

http::GatewayInfo gateway_info(const config::SmsConfig& sms) {
  http::GatewayInfo info;
  info.version = std::string(kVersion);
  info.max_parts = sms.max_parts;
  info.shift_tables = sms.shift_tables;
  info.alphabets.push_back(gsm7_alphabet("default", std::nullopt));
  for (const auto& name : sms.shift_tables) {
    const auto language = pdu::national_language_from_name(name);
    const bool listed = std::any_of(info.alphabets.begin(), info.alphabets.end(),
                                    [&](const http::Gsm7Alphabet& a) { return a.name == name; });
    if (language && !listed) info.alphabets.push_back(gsm7_alphabet(name, language));
  }
  return info;
}

}  // namespace smsgw::gateway
