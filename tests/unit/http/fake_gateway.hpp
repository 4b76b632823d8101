// FakeGateway: an in-memory GatewayApi for the HTTP tests. It keeps submitted messages,
// implements the idempotency rule of gateway_api.hpp (replay / conflict / new), and can
// hold a submission in flight (for graceful-stop tests) or fail with a chosen Error.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/http/gateway_api.hpp"

namespace smsgw::http::testing {

class FakeGateway final : public GatewayApi {
 public:
  explicit FakeGateway(asio::any_io_executor executor) : hub(executor), release_(executor) {}

  // Every call waits here while hold_submissions is true, until release() is called.
  bool hold_submissions = false;
  void release() { release_.set(); }
  int submissions_in_flight = 0;

  std::optional<Error> fail_next;  // returned (once) by the next call instead of its answer
  bool throw_next = false;         // the next call throws (a bug in the gateway)
  std::vector<SubmitRequest> submitted;
  std::vector<std::optional<IdempotencyKey>> idempotency_seen;
  std::map<std::string, Message> messages;
  MessageQuery last_query;
  std::optional<std::string> last_balance_modem;
  std::string last_ussd_code;
  MetricsSnapshot snapshot;

  awaitable<Result<SubmitReply>> submit(SubmitRequest request,
                                        std::optional<IdempotencyKey> idempotency) override {
    std::vector<SubmitRequest> one;
    one.push_back(std::move(request));
    co_return co_await store(std::move(one), std::move(idempotency));
  }

  awaitable<Result<SubmitReply>> submit_batch(std::vector<SubmitRequest> requests,
                                              std::optional<IdempotencyKey> idempotency) override {
    co_return co_await store(std::move(requests), std::move(idempotency));
  }

  awaitable<Result<Message>> get_message(std::string id) override {
    if (auto error = take_failure()) co_return *error;
    const auto it = messages.find(id);
    if (it == messages.end()) co_return Error{ErrorCode::not_found, "no message " + id};
    co_return it->second;
  }

  awaitable<Result<MessagePage>> list_messages(MessageQuery query) override {
    last_query = query;
    if (auto error = take_failure()) co_return *error;
    MessagePage page;
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
      if (query.status && it->second.status != *query.status) continue;
      if (query.to && it->second.to != *query.to) continue;
      if (query.modem && it->second.modem != query.modem) continue;
      if (static_cast<int>(page.messages.size()) == query.limit) {
        page.next_before = page.messages.back().id;
        break;
      }
      page.messages.push_back(it->second);
    }
    co_return page;
  }

  // Live control: modems by id; pause records `by` and the time, reset answers conflict
  // while `resetting` is set.
  std::map<std::string, ModemInfo> modems_by_id;
  std::vector<std::string> paused_by_seen;
  bool resetting = false;

  Result<ModemInfo> modem_of(const std::string& id) {
    if (auto error = take_failure()) return *error;
    auto it = modems_by_id.find(id);
    if (it == modems_by_id.end()) return Error{ErrorCode::not_found, "no modem " + id};
    return it->second;
  }
  awaitable<Result<ModemInfo>> pause_modem(std::string id, std::string by) override {
    auto modem = modem_of(id);
    if (!modem) co_return modem;
    paused_by_seen.push_back(by);
    auto& stored = modems_by_id[id];
    stored.paused = "manual";
    stored.paused_by = by;
    stored.paused_at = TimePoint(std::chrono::seconds(1'700'000'000));
    co_return stored;
  }
  awaitable<Result<ModemInfo>> resume_modem(std::string id) override {
    auto modem = modem_of(id);
    if (!modem) co_return modem;
    auto& stored = modems_by_id[id];
    stored.paused.reset();
    stored.paused_by.reset();
    stored.paused_at.reset();
    co_return stored;
  }
  awaitable<Result<ModemInfo>> reset_modem(std::string id) override {
    auto modem = modem_of(id);
    if (!modem) co_return modem;
    if (resetting) co_return Error{ErrorCode::conflict, "a reset of " + id + " is already running"};
    resetting = true;
    co_return modem;
  }

  awaitable<Result<Message>> cancel_message(std::string id) override {
    if (auto error = take_failure()) co_return *error;
    const auto it = messages.find(id);
    if (it == messages.end()) co_return Error{ErrorCode::not_found, "no message " + id};
    if (it->second.status != "queued") {
      co_return Error{ErrorCode::conflict, "message " + id + " is " + it->second.status +
                                               "; only queued messages can be cancelled"};
    }
    it->second.status = "cancelled";
    co_return it->second;
  }

  awaitable<Result<std::vector<ModemInfo>>> list_modems() override {
    if (auto error = take_failure()) co_return *error;
    ModemInfo modem;
    modem.id = "modem0";
    modem.port = "/dev/ttyUSB2";
    modem.state = "ready";
    modem.imei = "356938035643809";
    modem.imsi = "262011234567890";
    modem.iccid = "8949020000012345678";
    modem.operator_name = "Telekom";
    modem.mccmnc = "26201";
    modem.csq = 20;
    modem.dbm = -73;
    modem.registration = "home";
    modem.sent_today = 12;
    co_return std::vector<ModemInfo>{modem};
  }

  awaitable<Result<UssdReply>> ussd(std::string modem_id, std::string code) override {
    last_ussd_code = code;
    if (auto error = take_failure()) co_return *error;
    if (modem_id != "modem0") co_return Error{ErrorCode::not_found, "no modem " + modem_id};
    co_return UssdReply{"Your balance is 12.34 EUR", "done"};
  }

  awaitable<Result<std::vector<BalanceResult>>> check_balance(
      std::optional<std::string> modem_id) override {
    last_balance_modem = modem_id;
    if (auto error = take_failure()) co_return *error;
    BalanceResult balance;
    balance.modem = modem_id.value_or("modem0");
    balance.amount = 12.34;
    balance.currency = "EUR";
    balance.raw = "Your balance is 12.34 EUR";
    co_return std::vector<BalanceResult>{balance};
  }

  awaitable<Result<InboxPage>> inbox(InboxQuery) override {
    if (auto error = take_failure()) co_return *error;
    co_return InboxPage{};
  }

  awaitable<Result<MetricsSnapshot>> metrics() override {
    if (auto error = take_failure()) co_return *error;
    co_return snapshot;
  }

  EventHub& event_hub() override { return hub; }

  // The journal: `journal` in id order; events before `journal_first` are "trimmed".
  awaitable<Result<EventReplay>> events_after(std::int64_t after, int limit) override {
    ++replays;
    if (auto error = take_failure()) co_return *error;
    EventReplay replay;
    const std::int64_t last = journal.empty() ? 0 : *journal.back().id;
    replay.gap = after > last || after < journal_first - 1;
    for (const auto& event : journal) {
      if (*event.id > after && *event.id >= journal_first &&
          replay.events.size() < static_cast<std::size_t>(limit)) {
        replay.events.push_back(event);
      }
    }
    co_return replay;
  }

  awaitable<Result<Stats>> stats() override {
    if (auto error = take_failure()) co_return *error;
    co_return stats_answer;
  }

  // Journals and publishes a message event for client `client` (none: no client).
  void publish_message(const std::string& id, const std::string& status,
                       std::optional<std::string> client = std::nullopt) {
    StreamEvent event{static_cast<std::int64_t>(journal.size()) + 1, "message",
                      R"({"id":")" + id + R"(","status":")" + status + R"("})", std::move(client)};
    journal.push_back(event);
    hub.publish(event);
  }

  EventHub hub;
  std::vector<StreamEvent> journal;
  std::int64_t journal_first = 1;
  int replays = 0;
  Stats stats_answer;

  GatewayInfo gateway_info{"9.9.9", 7, {}, {}};  // what info() answers
  awaitable<Result<GatewayInfo>> info() override {
    if (auto error = take_failure()) co_return *error;
    co_return gateway_info;
  }

 private:
  std::optional<Error> take_failure() {
    if (throw_next) {
      throw_next = false;
      throw std::runtime_error("fake gateway bug");
    }
    auto error = std::move(fail_next);
    fail_next.reset();
    return error;
  }

  awaitable<Result<SubmitReply>> store(std::vector<SubmitRequest> requests,
                                       std::optional<IdempotencyKey> idempotency) {
    ++submissions_in_flight;
    if (hold_submissions) co_await release_.wait();
    --submissions_in_flight;
    idempotency_seen.push_back(idempotency);
    if (auto error = take_failure()) co_return *error;
    if (idempotency) {
      const auto it = answers_.find(idempotency->key);
      if (it != answers_.end()) {
        if (it->second.first != idempotency->fingerprint) {
          co_return Error{ErrorCode::conflict,
                          "Idempotency-Key " + idempotency->key + " was used with another request"};
        }
        SubmitReply replay = it->second.second;
        replay.replayed = true;
        co_return replay;
      }
    }
    SubmitReply reply;
    for (auto& request : requests) {
      Message message;
      message.id = "01HX" + std::to_string(next_id_++);
      message.to = request.to;
      message.text = request.text;
      message.status = "queued";
      MessagePart part;
      part.index = 1;
      part.status = "queued";
      message.parts.push_back(part);
      messages[message.id] = message;
      reply.accepted.push_back(AcceptedMessage{message.id, 1, "gsm7"});
      submitted.push_back(std::move(request));
    }
    if (idempotency) answers_[idempotency->key] = {idempotency->fingerprint, reply};
    co_return reply;
  }

  Event release_;
  int next_id_ = 1000;
  std::map<std::string, std::pair<std::string, SubmitReply>> answers_;
};

}  // namespace smsgw::http::testing
