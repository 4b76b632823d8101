#include "smsgw/http/prometheus.hpp"

#include <charconv>
#include <cmath>

namespace smsgw::http {

namespace {

constexpr std::array<std::string_view, 6> kModemStates{
    "absent", "opening", "initialising", "ready", "sending", "backoff",
};

std::string number_text(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// A label set being written: {a="x",b="y"}.
class Labels {
 public:
  Labels& add(std::string_view name, std::string_view value) {
    text_ += text_.empty() ? '{' : ',';
    text_.append(name).append("=\"").append(escape_label_value(value)).append("\"");
    return *this;
  }
  [[nodiscard]] std::string str() const { return text_.empty() ? text_ : text_ + '}'; }

 private:
  std::string text_;
};

class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_.append("# HELP ").append(name).append(" ");
    for (char c : help) {
      if (c == '\\') {
        out_.append("\\\\");
      } else if (c == '\n') {
        out_.append("\\n");
      } else {
        out_.push_back(c);
      }
    }
    out_.append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
  }

  void sample(std::string_view name, const Labels& labels, double value) {
    out_.append(name).append(labels.str()).append(" ").append(number_text(value));
    out_.push_back('\n');
  }
  void sample(std::string_view name, const Labels& labels, std::uint64_t value) {
    out_.append(name).append(labels.str()).append(" ").append(std::to_string(value));
    out_.push_back('\n');
  }

  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Every modem gets all four reasons, 1 while that reason holds its SIM and 0 otherwise
// (a series that is always there: alerts need no absent() and see the 1 -> 0 step).
void write_pauses(Writer& out, const MetricsSnapshot& snapshot) {
  out.family("smsgw_modem_paused", "gauge",
             "1 while the SIM takes no new message for this reason (manual, disabled, "
             "low_balance, id_conflict), else 0.");
  for (const auto& modem : snapshot.modems) {
    const std::pair<const char*, bool> reasons[] = {{"manual", modem.paused_manual},
                                                    {"disabled", modem.paused_disabled},
                                                    {"low_balance", modem.paused_low_balance},
                                                    {"id_conflict", modem.paused_id_conflict}};
    for (const auto& [reason, on] : reasons) {
      out.sample("smsgw_modem_paused", Labels{}.add("modem", modem.id).add("reason", reason),
                 std::uint64_t{on ? 1U : 0U});
    }
  }
}

void write_modems(Writer& out, const MetricsSnapshot& snapshot) {
  out.family("smsgw_modem_up", "gauge", "1 when the modem is ready or sending, else 0.");
  for (const auto& modem : snapshot.modems) {
    out.sample("smsgw_modem_up",
               Labels{}.add("modem", modem.id).add("operator", modem.operator_name.value_or("")),
               std::uint64_t{modem.up ? 1U : 0U});
  }
  out.family("smsgw_modem_state", "gauge", "1 for the state the modem is in, 0 for the others.");
  for (const auto& modem : snapshot.modems) {
    for (auto state : kModemStates) {
      out.sample("smsgw_modem_state", Labels{}.add("modem", modem.id).add("state", state),
                 std::uint64_t{modem.state == state ? 1U : 0U});
    }
  }
  out.family("smsgw_modem_signal_dbm", "gauge", "Received signal strength (from +CSQ), dBm.");
  for (const auto& modem : snapshot.modems) {
    if (modem.signal_dbm) {
      out.sample("smsgw_modem_signal_dbm", Labels{}.add("modem", modem.id),
                 static_cast<double>(*modem.signal_dbm));
    }
  }
  out.family("smsgw_modem_balance", "gauge", "Last SIM balance read by USSD.");
  for (const auto& modem : snapshot.modems) {
    if (modem.balance) {
      out.sample("smsgw_modem_balance",
                 Labels{}.add("modem", modem.id).add("currency", modem.balance_currency),
                 *modem.balance);
    }
  }
  out.family("smsgw_modem_parts_total", "counter",
             "Message parts the modem sent (accepted by the network) or failed to send.");
  for (const auto& modem : snapshot.modems) {
    out.sample("smsgw_modem_parts_total", Labels{}.add("modem", modem.id).add("result", "sent"),
               modem.sent);
    out.sample("smsgw_modem_parts_total", Labels{}.add("modem", modem.id).add("result", "failed"),
               modem.failed);
  }
  out.family("smsgw_modem_errors_total", "counter", "AT command and +CMS/+CME errors.");
  for (const auto& modem : snapshot.modems) {
    out.sample("smsgw_modem_errors_total", Labels{}.add("modem", modem.id), modem.errors);
  }
  out.family("smsgw_inbound_messages_total", "counter",
             "Inbound messages the modem received, counted once stored whole (all parts).");
  for (const auto& modem : snapshot.modems) {
    out.sample("smsgw_inbound_messages_total", Labels{}.add("modem", modem.id), modem.received);
  }
  write_pauses(out, snapshot);
  out.family("smsgw_client_submissions_total", "counter",
             "Messages accepted from each API client ([[client]]) since start.");
  for (const auto& [client, count] : snapshot.client_submissions) {
    out.sample("smsgw_client_submissions_total", Labels{}.add("client", client), count);
  }
}

void write_histogram(Writer& out, std::string_view name, const Histogram& histogram) {
  const std::string bucket = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < histogram.upper_bounds.size(); ++i) {
    if (i < histogram.bucket_counts.size()) cumulative += histogram.bucket_counts[i];
    out.sample(bucket, Labels{}.add("le", number_text(histogram.upper_bounds[i])), cumulative);
  }
  out.sample(bucket, Labels{}.add("le", "+Inf"), histogram.count);
  out.sample(std::string(name) + "_sum", Labels{}, histogram.sum);
  out.sample(std::string(name) + "_count", Labels{}, histogram.count);
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      escaped.append("\\\\");
    } else if (c == '"') {
      escaped.append("\\\"");
    } else if (c == '\n') {
      escaped.append("\\n");
    } else {
      escaped.push_back(c);
    }
  }
  return escaped;
}

std::string format_prometheus(const MetricsSnapshot& snapshot, const HttpCounters& http) {
  Writer out;
  out.family("smsgw_queue_depth", "gauge", "Messages queued and not yet sending.");
  out.sample("smsgw_queue_depth", Labels{}, snapshot.queue_depth);

  out.family("smsgw_messages", "gauge", "Stored messages by status.");
  for (const auto& [status, count] : snapshot.messages_by_status) {
    out.sample("smsgw_messages", Labels{}.add("status", status), count);
  }

  out.family("smsgw_operator_messages_total", "counter",
             "Messages per destination operator: submitted, sent, delivered, failed.");
  for (const auto& counters : snapshot.operators) {
    const std::pair<std::string_view, std::uint64_t> events[] = {
        {"submitted", counters.submitted},
        {"sent", counters.sent},
        {"delivered", counters.delivered},
        {"failed", counters.failed},
    };
    for (const auto& [event, value] : events) {
      out.sample("smsgw_operator_messages_total",
                 Labels{}.add("operator", counters.operator_name).add("event", event), value);
    }
  }

  write_modems(out, snapshot);

  out.family("smsgw_webhook_outbox_pending", "gauge",
             "Webhook deliveries waiting in the outbox (neither delivered nor given up).");
  out.sample("smsgw_webhook_outbox_pending", Labels{}, snapshot.webhook_outbox_pending);
  out.family("smsgw_webhook_outbox_oldest_seconds", "gauge",
             "How long the oldest waiting webhook delivery has waited; 0 when none waits.");
  out.sample("smsgw_webhook_outbox_oldest_seconds", Labels{},
             snapshot.webhook_outbox_oldest_seconds);

  out.family("smsgw_smpp_outbox_pending", "gauge",
             "deliver_sm (delivery receipts, inbound messages) waiting for an SMPP receiver of "
             "their client.");
  out.sample("smsgw_smpp_outbox_pending", Labels{}, snapshot.smpp_outbox_pending);

  out.family("smsgw_event_streams", "gauge", "Clients connected to GET /api/v1/events now.");
  out.sample("smsgw_event_streams", Labels{}, snapshot.event_streams);
  out.family("smsgw_event_stream_overflows_total", "counter",
             "Event streams closed because their client fell behind (it reconnects and replays).");
  out.sample("smsgw_event_stream_overflows_total", Labels{}, snapshot.event_stream_overflows);

  out.family("smsgw_send_latency_seconds", "histogram",
             "Time from a message's acceptance to the network's answer to its last part.");
  write_histogram(out, "smsgw_send_latency_seconds", snapshot.send_latency);

  out.family("smsgw_http_responses_total", "counter", "HTTP responses by status class.");
  for (std::size_t i = 1; i < http.responses_by_class.size(); ++i) {
    out.sample("smsgw_http_responses_total", Labels{}.add("class", std::to_string(i) + "xx"),
               http.responses_by_class[i]);
  }
  out.family("smsgw_http_connections_open", "gauge", "HTTP connections open now.");
  out.sample("smsgw_http_connections_open", Labels{}, http.connections_open);
  out.family("smsgw_http_connections_rejected_total", "counter",
             "HTTP connections refused because the connection cap was reached.");
  out.sample("smsgw_http_connections_rejected_total", Labels{}, http.connections_rejected);
  return out.take();
}

}  // namespace smsgw::http
