#include "smsgw/gateway/smpp_accounts.hpp"

#include <algorithm>

namespace smsgw::gateway {
namespace {

bool has_scope(const config::ClientConfig& client, std::string_view scope) {
  return std::find(client.scopes.begin(), client.scopes.end(), scope) != client.scopes.end();
}

bool any_account(std::span<const config::ClientConfig> clients) {
  return std::any_of(clients.begin(), clients.end(),
                     [](const config::ClientConfig& c) { return !c.system_id.empty(); });
}

smpp::Failure failure(smpp::CommandStatus status, std::string field, std::string message) {
  return smpp::Failure{status, std::move(field), std::move(message)};
}

}  // namespace

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  const std::size_t n = std::max(a.size(), b.size());
  unsigned difference = a.size() == b.size() ? 0u : 1u;
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    difference |= static_cast<unsigned>(x ^ y);
  }
  return difference == 0;
}

smpp::Outcome<smpp::Account> authenticate_bind(std::span<const config::ClientConfig> clients,
                                               const config::SmppConfig& smpp,
                                               const smpp::BindRequest& request) {
  if (!any_account(clients)) {
    if (smpp.listen_is_loopback) return smpp::Account{"", request.system_id, true, true};
    return failure(smpp::CommandStatus::esme_rinvsysid, "system_id",
                   "no [[client]] has an SMPP account (system_id and password)");
  }
  const auto it = std::find_if(clients.begin(), clients.end(), [&](const config::ClientConfig& c) {
    return !c.system_id.empty() && c.system_id == request.system_id;
  });
  if (it == clients.end()) {
    return failure(smpp::CommandStatus::esme_rinvsysid, "system_id",
                   "no [[client]] has system_id \"" + request.system_id + "\"");
  }
  // SMPP 3.4 5.2.2: a bind carries at most 8 characters; clients (Kannel) cut longer ones.
  const std::string_view expected =
      std::string_view(it->password).substr(0, config::kMaxSmppPasswordLength);
  if (!equal_in_constant_time(expected, request.password)) {
    return failure(smpp::CommandStatus::esme_rinvpaswd, "password",
                   "wrong password for system_id \"" + request.system_id + "\"");
  }
  smpp::Account account{it->name, it->system_id, has_scope(*it, "send"), has_scope(*it, "read")};
  const bool sends = request.mode != smpp::BindMode::receiver;
  if (sends && !account.may_send) {
    return failure(smpp::CommandStatus::esme_rbindfail, "system_id",
                   "client " + it->name +
                       " lacks the scope \"send\" a transmitter or "
                       "transceiver bind needs");
  }
  if (!sends && !account.may_receive) {
    return failure(smpp::CommandStatus::esme_rbindfail, "system_id",
                   "client " + it->name + " lacks the scope \"read\" a receiver bind needs");
  }
  return account;
}

std::vector<std::string> inbound_clients(std::span<const config::ClientConfig> clients,
                                         const config::SmppConfig& smpp, std::string_view modem,
                                         std::string_view iccid, std::string_view number) {
  std::vector<std::string> out;
  if (smpp.listen.empty()) return out;
  if (!any_account(clients)) {
    if (smpp.listen_is_loopback) out.emplace_back();
    return out;
  }
  for (const auto& client : clients) {
    if (client.system_id.empty() || !has_scope(client, "read")) continue;
    if (client.inbound) {
      const bool matches =
          std::any_of(client.inbound->begin(), client.inbound->end(), [&](const std::string& e) {
            return !e.empty() && (e == modem || e == iccid || e == number);
          });
      if (!matches) continue;
    }
    out.push_back(client.name);
  }
  return out;
}

}  // namespace smsgw::gateway
