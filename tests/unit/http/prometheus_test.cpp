#include "smsgw/http/prometheus.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace smsgw::http {
namespace {

MetricsSnapshot sample_snapshot() {
  MetricsSnapshot snapshot;
  snapshot.queue_depth = 7;
  snapshot.messages_by_status = {{"queued", 7}, {"delivered", 120}};
  snapshot.operators.push_back(OperatorCounters{"Telekom", 130, 125, 120, 2});
  ModemMetrics ready;
  ready.id = "modem0";
  ready.operator_name = "Telekom";
  ready.state = "ready";
  ready.up = true;
  ready.signal_dbm = -73;
  ready.balance = 12.5;
  ready.balance_currency = "EUR";
  ready.sent = 125;
  ready.failed = 2;
  ready.errors = 3;
  ready.received = 4;
  ModemMetrics absent;
  absent.id = "modem1";
  absent.state = "absent";
  snapshot.modems = {ready, absent};
  snapshot.send_latency.upper_bounds = {0.5, 1, 2.5};
  snapshot.send_latency.bucket_counts = {10, 20, 5};
  snapshot.send_latency.count = 37;
  snapshot.send_latency.sum = 41.25;
  snapshot.webhook_outbox_pending = 12;
  snapshot.webhook_outbox_oldest_seconds = 95.5;
  snapshot.event_streams = 3;
  snapshot.event_stream_overflows = 1;
  snapshot.smpp_outbox_pending = 7;
  return snapshot;
}

bool contains_line(const std::string& text, const std::string& line) {
  std::istringstream lines(text);
  std::string current;
  while (std::getline(lines, current)) {
    if (current == line) return true;
  }
  return false;
}

TEST(Prometheus, EscapesLabelValues) {
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value(R"(a"b)"), R"(a\"b)");
  EXPECT_EQ(escape_label_value(R"(a\b)"), R"(a\\b)");
  EXPECT_EQ(escape_label_value("a\nb"), R"(a\nb)");
  EXPECT_EQ(escape_label_value("\\\"\n"), R"(\\\"\n)");
}

TEST(Prometheus, FormatsEveryFamily) {
  HttpCounters http;
  http.responses_by_class[2] = 100;
  http.responses_by_class[4] = 3;
  http.connections_open = 2;
  const auto text = format_prometheus(sample_snapshot(), http);
  const char* expected[] = {
      "# HELP smsgw_queue_depth Messages queued and not yet sending.",
      "# TYPE smsgw_queue_depth gauge",
      "smsgw_queue_depth 7",
      "smsgw_messages{status=\"delivered\"} 120",
      "smsgw_operator_messages_total{operator=\"Telekom\",event=\"submitted\"} 130",
      "smsgw_operator_messages_total{operator=\"Telekom\",event=\"failed\"} 2",
      "smsgw_modem_up{modem=\"modem0\",operator=\"Telekom\"} 1",
      "smsgw_modem_up{modem=\"modem1\",operator=\"\"} 0",
      "smsgw_modem_state{modem=\"modem0\",state=\"ready\"} 1",
      "smsgw_modem_state{modem=\"modem0\",state=\"sending\"} 0",
      "smsgw_modem_state{modem=\"modem1\",state=\"absent\"} 1",
      "smsgw_modem_signal_dbm{modem=\"modem0\"} -73",
      "smsgw_modem_balance{modem=\"modem0\",currency=\"EUR\"} 12.5",
      "smsgw_modem_parts_total{modem=\"modem0\",result=\"sent\"} 125",
      "smsgw_modem_errors_total{modem=\"modem0\"} 3",
      "# TYPE smsgw_inbound_messages_total counter",
      "smsgw_inbound_messages_total{modem=\"modem0\"} 4",
      "smsgw_inbound_messages_total{modem=\"modem1\"} 0",
      "# TYPE smsgw_webhook_outbox_pending gauge",
      "smsgw_webhook_outbox_pending 12",
      "# TYPE smsgw_webhook_outbox_oldest_seconds gauge",
      "smsgw_webhook_outbox_oldest_seconds 95.5",
      "# TYPE smsgw_smpp_outbox_pending gauge",
      "smsgw_smpp_outbox_pending 7",
      "# TYPE smsgw_event_streams gauge",
      "smsgw_event_streams 3",
      "# TYPE smsgw_event_stream_overflows_total counter",
      "smsgw_event_stream_overflows_total 1",
      "# TYPE smsgw_send_latency_seconds histogram",
      "smsgw_send_latency_seconds_bucket{le=\"0.5\"} 10",
      "smsgw_send_latency_seconds_bucket{le=\"1\"} 30",
      "smsgw_send_latency_seconds_bucket{le=\"2.5\"} 35",
      "smsgw_send_latency_seconds_bucket{le=\"+Inf\"} 37",
      "smsgw_send_latency_seconds_sum 41.25",
      "smsgw_send_latency_seconds_count 37",
      "smsgw_http_responses_total{class=\"2xx\"} 100",
      "smsgw_http_responses_total{class=\"4xx\"} 3",
      "smsgw_http_connections_open 2",
      "smsgw_http_connections_rejected_total 0",
  };
  for (const char* line : expected) EXPECT_TRUE(contains_line(text, line)) << line << "\n" << text;
  // Unknown values have no sample rather than a made-up zero.
  EXPECT_FALSE(contains_line(text, "smsgw_modem_signal_dbm{modem=\"modem1\"} 0"));
  EXPECT_EQ(text.find("smsgw_modem_balance{modem=\"modem1\""), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
}

TEST(Prometheus, EveryFamilyHasOneHelpAndTypeBeforeItsSamples) {
  const auto text = format_prometheus(sample_snapshot(), HttpCounters{});
  std::istringstream lines(text);
  std::string line;
  std::set<std::string> declared;
  std::string current;
  while (std::getline(lines, line)) {
    ASSERT_FALSE(line.empty());
    if (line.rfind("# HELP ", 0) == 0) {
      current = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_TRUE(declared.insert(current).second) << "HELP twice for " << current;
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      EXPECT_EQ(line.substr(7, line.find(' ', 7) - 7), current);
      continue;
    }
    const auto name = line.substr(0, line.find_first_of("{ "));
    EXPECT_EQ(name.rfind(current, 0), 0u) << line << " outside family " << current;
  }
}

TEST(Prometheus, EscapesModemAndOperatorNames) {
  MetricsSnapshot snapshot;
  ModemMetrics modem;
  modem.id = "usb\"1\\2\nx";
  modem.state = "ready";
  modem.up = true;
  snapshot.modems = {modem};
  const auto text = format_prometheus(snapshot, HttpCounters{});
  EXPECT_TRUE(contains_line(text, R"(smsgw_modem_up{modem="usb\"1\\2\nx",operator=""} 1)")) << text;
}

TEST(Prometheus, EmptyHistogramStillHasInfSumAndCount) {
  const auto text = format_prometheus(MetricsSnapshot{}, HttpCounters{});
  EXPECT_TRUE(contains_line(text, "smsgw_send_latency_seconds_bucket{le=\"+Inf\"} 0"));
  EXPECT_TRUE(contains_line(text, "smsgw_send_latency_seconds_sum 0"));
  EXPECT_TRUE(contains_line(text, "smsgw_send_latency_seconds_count 0"));
  EXPECT_TRUE(contains_line(text, "smsgw_webhook_outbox_pending 0"));
  EXPECT_TRUE(contains_line(text, "smsgw_webhook_outbox_oldest_seconds 0"));
  EXPECT_TRUE(contains_line(text, "smsgw_smpp_outbox_pending 0"));
}

}  // namespace
}  // namespace smsgw::http
