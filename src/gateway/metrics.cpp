#include "smsgw/gateway/metrics.hpp"

#include <algorithm>

namespace smsgw::gateway {

Metrics::Metrics() {
  latency_.upper_bounds = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};
  latency_.bucket_counts.assign(latency_.upper_bounds.size(), 0);
}

void Metrics::submitted(const std::string& operator_name, std::uint64_t count) {
  auto& c = operators_[operator_name];
  c.operator_name = operator_name;
  c.submitted += count;
}

void Metrics::message_final(const std::string& operator_name, const std::string& status) {
  auto& c = operators_[operator_name];
  c.operator_name = operator_name;
  if (status == "sent") ++c.sent;
  if (status == "delivered") ++c.delivered;
  if (status == "failed" || status == "expired") ++c.failed;
}

void Metrics::part_sent(const std::string& modem, double seconds) {
  ++sent_[modem];
  ++latency_.count;
  latency_.sum += seconds;
  auto it = std::lower_bound(latency_.upper_bounds.begin(), latency_.upper_bounds.end(), seconds);
  if (it != latency_.upper_bounds.end()) {
    ++latency_.bucket_counts[static_cast<std::size_t>(it - latency_.upper_bounds.begin())];
  }
}

void Metrics::part_failed(const std::string& modem) { ++failed_[modem]; }

void Metrics::message_received(const std::string& modem) { ++received_[modem]; }

void Metrics::client_submitted(const std::string& client, std::uint64_t count) {
  clients_[client] += count;
}

std::vector<http::OperatorCounters> Metrics::operators() const {
  std::vector<http::OperatorCounters> all;
  for (const auto& [name, c] : operators_) all.push_back(c);
  return all;
}

std::uint64_t Metrics::sent(const std::string& modem) const {
  auto it = sent_.find(modem);
  return it == sent_.end() ? 0 : it->second;
}

std::uint64_t Metrics::failed(const std::string& modem) const {
  auto it = failed_.find(modem);
  return it == failed_.end() ? 0 : it->second;
}

std::uint64_t Metrics::received(const std::string& modem) const {
  auto it = received_.find(modem);
  return it == received_.end() ? 0 : it->second;
}

}  // namespace smsgw::gateway
