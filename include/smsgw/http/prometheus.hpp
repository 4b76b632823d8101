// /metrics: the Prometheus text exposition format (version 0.0.4) from a metrics snapshot.
//
// Contract: every family has one "# HELP" and one "# TYPE" line before its samples; label
// values escape '\\', '"' and newline, HELP texts '\\' and newline; unknown gauges (a modem's
// signal or balance that was never read) have no sample rather than a made-up 0. Histograms
// are cumulative with a final le="+Inf" bucket, _sum and _count.
// Families: smsgw_queue_depth, smsgw_messages{status}, smsgw_operator_messages_total
// {operator,event}, smsgw_modem_up{modem,operator}, smsgw_modem_state{modem,state},
// smsgw_modem_signal_dbm{modem}, smsgw_modem_balance{modem,currency},
// smsgw_modem_parts_total{modem,result}, smsgw_modem_errors_total{modem},
// smsgw_inbound_messages_total{modem}, smsgw_webhook_outbox_pending,
// smsgw_webhook_outbox_oldest_seconds, smsgw_smpp_outbox_pending,
// smsgw_send_latency_seconds, and the HTTP server's own
// smsgw_http_responses_total{class}, smsgw_http_connections_open,
// smsgw_http_connections_rejected_total.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "smsgw/http/gateway_api.hpp"

namespace smsgw::http {

// Counters kept by the HTTP server itself.
struct HttpCounters {
  std::array<std::uint64_t, 6> responses_by_class{};  // index status / 100: [1]..[5]
  std::uint64_t connections_open = 0;
  std::uint64_t connections_rejected = 0;  // refused at the connection cap
};

// Label value escaping (exposition format: backslash, double quote, line feed).
std::string escape_label_value(std::string_view value);

// The whole /metrics body. Content-Type: text/plain; version=0.0.4; charset=utf-8
std::string format_prometheus(const MetricsSnapshot& snapshot, const HttpCounters& http);

inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

}  // namespace smsgw::http
