// FakeBackend: smpp::Backend over memory for the server's tests. Accounts by system_id;
// submits answer "M<n>" (held until release() while `hold` is set); an outbox of
// deliveries claimed, delivered, refused and released as the server asks.
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/smpp/backend.hpp"

namespace smsgw::smpp_server::test {

class FakeBackend : public smpp::Backend {
 public:
  explicit FakeBackend(asio::any_io_executor executor)
      : released_submits_(executor), added_(executor) {}

  struct Login {
    std::string password;
    bool may_send = true;
    bool may_receive = true;
  };
  std::map<std::string, Login> logins{{"alice", Login{"secret", true, true}}};

  bool hold = false;                    // submits wait for release()
  std::optional<smpp::Failure> refuse;  // every submit fails with this
  std::vector<smpp::SubmitSpec> submitted;

  std::vector<smpp::Delivery> outbox;  // waiting, oldest first
  std::set<std::int64_t> claimed;
  std::vector<std::int64_t> delivered_ids;
  std::vector<std::pair<std::int64_t, smpp::CommandStatus>> refused_ids;
  std::vector<std::int64_t> released_ids;

  void release() { released_submits_.set(); }
  void add(smpp::Delivery delivery) {
    outbox.push_back(std::move(delivery));
    added_.set();
  }

  smpp::Outcome<smpp::Account> authenticate(const smpp::BindRequest& request) override {
    const auto found = logins.find(request.system_id);
    if (found == logins.end()) {
      return smpp::Failure{smpp::CommandStatus::esme_rinvsysid, "system_id", "no such system_id"};
    }
    if (found->second.password != request.password) {
      return smpp::Failure{smpp::CommandStatus::esme_rinvpaswd, "password", "wrong password"};
    }
    const bool needs_send = request.mode != smpp::BindMode::receiver;
    if ((needs_send && !found->second.may_send) ||
        (request.mode == smpp::BindMode::receiver && !found->second.may_receive)) {
      return smpp::Failure{smpp::CommandStatus::esme_rbindfail, "system_id", "missing scope"};
    }
    return smpp::Account{.client = request.system_id,
                         .system_id = request.system_id,
                         .may_send = found->second.may_send,
                         .may_receive = found->second.may_receive};
  }

  awaitable<smpp::Outcome<std::string>> submit(smpp::Account, smpp::SubmitSpec spec) override {
    if (hold) co_await released_submits_.wait();
    if (refuse) co_return *refuse;
    submitted.push_back(std::move(spec));
    co_return "M" + std::to_string(submitted.size());
  }

  awaitable<std::vector<smpp::Delivery>> claim_deliveries(std::string, std::size_t limit) override {
    std::vector<smpp::Delivery> batch;
    for (const auto& delivery : outbox) {
      if (batch.size() == limit) break;
      if (claimed.insert(delivery.id).second) batch.push_back(delivery);
    }
    co_return batch;
  }
  awaitable<void> delivered(std::int64_t id) override {
    delivered_ids.push_back(id);
    std::erase_if(outbox, [id](const smpp::Delivery& d) { return d.id == id; });
    claimed.erase(id);
    co_return;
  }
  awaitable<void> refused(std::int64_t id, smpp::CommandStatus status) override {
    refused_ids.emplace_back(id, status);
    co_return;  // stays claimed: "retried later with back-off"
  }
  void released(const std::vector<std::int64_t>& ids) override {
    for (const auto id : ids) {
      released_ids.push_back(id);
      claimed.erase(id);
    }
  }
  awaitable<void> wait_for_deliveries(std::string,
                                      std::chrono::steady_clock::duration timeout) override {
    added_.reset();
    co_await added_.wait(timeout);
  }

 private:
  Event released_submits_;
  Event added_;
};

}  // namespace smsgw::smpp_server::test
