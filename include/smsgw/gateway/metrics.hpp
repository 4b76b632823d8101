// Metrics: the gateway's counters for /metrics (Prometheus), kept in memory since start.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "smsgw/http/gateway_api.hpp"

namespace smsgw::gateway {

class Metrics {
 public:
  Metrics();

  void submitted(const std::string& operator_name, std::uint64_t count = 1);
  void message_final(const std::string& operator_name, const std::string& status);
  void part_sent(const std::string& modem, double seconds_since_accepted);
  void part_failed(const std::string& modem);
  // An inbound message stored whole on `modem` (counted once, when its last part came).
  void message_received(const std::string& modem);
  // `count` messages accepted from API client `client` ([[client]] name).
  void client_submitted(const std::string& client, std::uint64_t count);

  std::vector<http::OperatorCounters> operators() const;
  http::Histogram send_latency() const { return latency_; }
  std::uint64_t sent(const std::string& modem) const;
  std::uint64_t failed(const std::string& modem) const;
  std::uint64_t received(const std::string& modem) const;
  const std::map<std::string, std::uint64_t>& client_submissions() const { return clients_; }

 private:
  std::map<std::string, http::OperatorCounters> operators_;
  std::map<std::string, std::uint64_t> sent_;
  std::map<std::string, std::uint64_t> failed_;
  std::map<std::string, std::uint64_t> received_;
  std::map<std::string, std::uint64_t> clients_;
  http::Histogram latency_;
};

}  // namespace smsgw::gateway
