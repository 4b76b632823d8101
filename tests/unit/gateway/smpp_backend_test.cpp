// SmppBackend against a real store (temporary file behind a StoreWorker) with a real
// message builder; the gateway's submission path is a hook that builds and stores.
#include "smsgw/gateway/smpp_backend.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "io_loop.hpp"
#include "smsgw/gateway/message_builder.hpp"
#include "temp_dir.hpp"

namespace smsgw::gateway {
namespace {

using namespace std::chrono_literals;
using smpp::CommandStatus;

class SmppBackendTest : public ::testing::Test {
 protected:
  SmppBackendTest() : builder_(builder_options(), operators_) {
    config_.routing.default_country_code = "49";
    config_.smpp.listen = "127.0.0.1:2775";
    config_.smpp.parts_timeout = 10min;
    auto opened = store::Store::open(dir_.path() / "smsgw.db");
    EXPECT_TRUE(opened.ok());
    worker_ = std::make_unique<store::StoreWorker>(io_.get_executor(), std::move(*opened));
    SmppHooks hooks;
    hooks.submit = [this](http::SubmitRequest r) { return submit_hook(std::move(r)); };
    hooks.charge = [this](const std::string& client, std::size_t parts, TimePoint) -> Result<void> {
      charges_.push_back(client);
      if (charge_error_) return *charge_error_;
      charged_ += parts;
      return {};
    };
    hooks.refund = [this](const std::string&, std::size_t parts, TimePoint) { charged_ -= parts; };
    hooks.build = [this](const http::SubmitRequest& r, TimePoint now) {
      return builder_.build(r, now);
    };
    hooks.store_group = [this](store::SmppGroupKey key, store::NewMessage m,
                               std::optional<std::string> fail_error) {
      return store_group_hook(std::move(key), std::move(m), std::move(fail_error));
    };
    backend_ = std::make_unique<SmppBackend>(io_.get_executor(), config_, *worker_, hooks);
  }

  static MessageBuilderOptions builder_options() {
    MessageBuilderOptions options;
    options.default_country_code = "49";
    options.max_parts = 4;
    return options;
  }

  awaitable<Result<http::SubmitReply>> submit_hook(http::SubmitRequest request) {
    submitted_.push_back(request);
    if (submit_error_) co_return *submit_error_;
    auto built = builder_.build(request, std::chrono::system_clock::now());
    if (!built) co_return built.error();
    std::vector<store::NewMessage> messages{std::move(*built)};
    auto job = [&messages](store::Store& s) { return s.insert_messages(messages); };
    auto stored = co_await worker_->call(job);
    if (!stored) co_return make_error("unavailable", stored.error().message);
    http::SubmitReply reply;
    reply.accepted.push_back(http::AcceptedMessage{stored->ids.at(0), 1, "gsm7"});
    co_return reply;
  }

  awaitable<Result<bool>> store_group_hook(store::SmppGroupKey key, store::NewMessage message,
                                           std::optional<std::string> fail_error) {
    const auto now = std::chrono::system_clock::now();
    auto job = [&](store::Store& s) {
      return s.assemble_smpp_group(key, message, fail_error, now);
    };
    co_return co_await worker_->call(job);
  }

  // Runs `task` to its end on the test's io_context.
  template <class T>
  T run(awaitable<T> task) {
    return testing::run_task(io_, std::move(task));
  }
  void run(awaitable<void> task) {
    bool done = false;
    auto runner = [&]() -> awaitable<void> {
      co_await std::move(task);
      done = true;
    };
    asio::co_spawn(io_, runner(), asio::detached);
    EXPECT_TRUE(run_until([&] { return done; })) << "the task did not complete";
  }
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
    return testing::run_until(io_, done, limit);
  }
  template <class F>
  std::invoke_result_t<F&, store::Store&> call(F& job) {
    return run(worker_->call(job));
  }

  smpp::Outcome<std::string> submit(smpp::SubmitSpec spec, std::string client = "shop") {
    smpp::Account account{client, client + "1", true, true};
    return run(backend_->submit(account, std::move(spec)));
  }
  store::StoredMessage message(const std::string& id) {
    auto job = [id](store::Store& s) { return s.get_message(id); };
    auto m = call(job);
    EXPECT_TRUE(m.ok()) << m.error().message;
    return m.ok() ? *m : store::StoredMessage{};
  }
  MessageOrigin origin(const std::string& id) {
    auto job = [id](store::Store& s) { return s.message_origin(id); };
    auto o = call(job);
    return o.ok() && *o ? **o : MessageOrigin{};
  }
  std::vector<smpp::Delivery> claim(const std::string& client = "shop") {
    return run(backend_->claim_deliveries(client, 10));
  }
  // A message of `client` over SMPP with registered_delivery 1, failed at once: one receipt.
  std::string failed_smpp_message(const std::string& client = "shop") {
    auto id = submit(spec("+4915112345678", "hi", 1), client);
    EXPECT_TRUE(id.ok());
    auto job = [id = id.value()](store::Store& s) {
      return s.fail(id, "no SIM", std::chrono::system_clock::now());
    };
    EXPECT_TRUE(call(job).ok());
    return id.value();
  }

  static smpp::SubmitSpec spec(std::string to, std::string text, std::uint8_t rd = 0) {
    smpp::SubmitSpec s;
    s.to = std::move(to);
    s.text = std::move(text);
    s.registered_delivery = rd;
    s.source_addr = "SHOP";
    s.source_ton = 5;
    s.dest_addr = "4915112345678";
    s.dest_ton = 1;
    s.dest_npi = 1;
    return s;
  }
  static smpp::SubmitSpec part(std::uint8_t seq, std::uint8_t total, std::string text,
                               std::uint8_t rd = 0, std::uint16_t ref = 42) {
    auto s = spec("015112345678", std::move(text), rd);
    s.part = smpp::ClientPart{ref, total, seq};
    return s;
  }

  test_support::TempDir dir_;
  asio::io_context io_;
  config::Config config_;
  scheduler::OperatorTable operators_;
  MessageBuilder builder_;
  std::unique_ptr<store::StoreWorker> worker_;
  std::unique_ptr<SmppBackend> backend_;
  std::vector<http::SubmitRequest> submitted_;
  std::optional<Error> submit_error_;
  std::optional<Error> charge_error_;
  std::vector<std::string> charges_;
  std::size_t charged_ = 0;
};

TEST_F(SmppBackendTest, AWholeMessageGoesThroughTheSubmitPathWithItsOrigin) {
  auto id = submit(spec("+4915112345678", "hello", 1));
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_EQ(submitted_.size(), 1u);
  const auto& request = submitted_[0];
  EXPECT_EQ(request.client, "shop");
  EXPECT_EQ(request.status_report, true);
  ASSERT_TRUE(request.origin);
  EXPECT_EQ(request.origin->protocol, "smpp");
  EXPECT_EQ(request.origin->registered_delivery, 1);
  EXPECT_EQ(request.origin->source_addr, "SHOP");
  EXPECT_EQ(message(*id).text, "hello");
  EXPECT_EQ(origin(*id).dest_ton, 1);

  ASSERT_TRUE(submit(spec("+4915112345678", "x"), "").ok());
  EXPECT_EQ(submitted_[1].client, std::nullopt);
  EXPECT_EQ(submitted_[1].status_report, std::nullopt);  // [sms] status_report decides
}

TEST_F(SmppBackendTest, GatewayRefusalsBecomeSubmitStatuses) {
  const std::pair<Error, CommandStatus> cases[] = {
      {make_error("rate_limited", "client shop is over its limit"), CommandStatus::esme_rthrottled},
      {make_error("validation", "to: not a phone number"), CommandStatus::esme_rinvdstadr},
      {make_error("validation", "text: 12 parts exceed 10"), CommandStatus::esme_rsubmitfail},
      {make_error("unavailable", "disk I/O error"), CommandStatus::esme_rsyserr},
  };
  for (const auto& [error, status] : cases) {
    submit_error_ = error;
    auto id = submit(spec("+4915112345678", "x"));
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().status, status) << error.code;
    EXPECT_EQ(id.error().message, error.message);
  }
}

TEST_F(SmppBackendTest, PartsAnswerOneIdAndBecomeOneMessage) {
  auto second = submit(part(2, 3, "big "));
  ASSERT_TRUE(second.ok()) << second.error().message;
  auto first = submit(part(1, 3, "Hello ", 1));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, *second);
  auto repeat = submit(part(2, 3, "big "));
  ASSERT_TRUE(repeat.ok());
  EXPECT_EQ(*repeat, *second);
  EXPECT_EQ(charged_, 2u);  // the repeat was refunded
  auto job = [id = *first](store::Store& s) { return s.get_message(id); };
  EXPECT_FALSE(call(job).ok());  // not a message yet
  // The destination is matched as normalised.
  auto last_spec = part(3, 3, "world");
  last_spec.to = "+4915112345678";
  auto last = submit(last_spec);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, *first);
  const auto m = message(*first);
  EXPECT_EQ(m.text, "Hello big world");
  EXPECT_EQ(m.to, "+4915112345678");
  EXPECT_EQ(m.client, "shop");
  EXPECT_EQ(m.status, store::MessageStatus::queued);
  EXPECT_TRUE(m.status_report);
  EXPECT_EQ(origin(*first).registered_delivery, 1);  // the OR of the parts'
  EXPECT_EQ(origin(*first).source_addr, "SHOP");
  EXPECT_TRUE(submitted_.empty());  // parts never take the whole-message path
  EXPECT_EQ(charged_, 3u);
}

TEST_F(SmppBackendTest, PartRefusals) {
  auto bad = submit(part(1, 2, "x"));
  ASSERT_TRUE(bad.ok());
  auto to_nowhere = part(1, 2, "x");
  to_nowhere.to = "12";
  EXPECT_EQ(submit(to_nowhere).error().status, CommandStatus::esme_rinvdstadr);
  charge_error_ = make_error("rate_limited", "over the limit");
  EXPECT_EQ(submit(part(2, 2, "y")).error().status, CommandStatus::esme_rthrottled);
  charge_error_.reset();
  auto job = [](store::Store& s) { return s.smpp_groups_to_finish(TimePoint{}); };
  EXPECT_TRUE(call(job).value().empty());  // the throttled part was not stored
}

TEST_F(SmppBackendTest, TooManyPartsMakeAFailedMessage) {
  // [sms] max_parts is 4 here: 5 parts of 153 characters cannot be sent.
  const std::string text(153, 'a');
  std::string id;
  for (std::uint8_t seq = 1; seq <= 5; ++seq) {
    auto answer = submit(part(seq, 5, text, 1));
    ASSERT_TRUE(answer.ok());
    id = *answer;
  }
  const auto m = message(id);
  EXPECT_EQ(m.status, store::MessageStatus::failed);
  ASSERT_TRUE(m.last_error);
  EXPECT_TRUE(m.last_error->starts_with("smpp: text:")) << *m.last_error;
  EXPECT_EQ(claim().size(), 1u);  // its receipt
}

TEST_F(SmppBackendTest, SweepFailsATimedOutGroupAndFinishesACompleteOne) {
  auto id = submit(part(1, 3, "one ", 1));
  ASSERT_TRUE(submit(part(3, 3, "three")).ok());
  run(backend_->sweep(std::chrono::system_clock::now()));
  auto none = [id = *id](store::Store& s) { return s.get_message(id); };
  EXPECT_FALSE(call(none).ok());  // still within parts_timeout
  run(backend_->sweep(std::chrono::system_clock::now() + 11min));
  const auto failed = message(*id);
  EXPECT_EQ(failed.status, store::MessageStatus::failed);
  EXPECT_EQ(failed.last_error, "smpp: 2 of 3 parts arrived within 10m");
  EXPECT_EQ(failed.text, "one three");
  const auto receipts = claim();
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0].body.esm_class, 0x04);

  // A complete group whose message was not made (the process stopped in between).
  store::SmppPart p;
  p.key = store::SmppGroupKey{"shop", "+4915112345678", 9, 2};
  p.message_id = "01JCOMPLETE0000000000000000";
  p.text = "a";
  auto one = [p](store::Store& s) { return s.store_smpp_part(p); };
  ASSERT_TRUE(call(one).ok());
  p.seq = 2;
  p.text = "b";
  auto two = [p](store::Store& s) { return s.store_smpp_part(p); };
  ASSERT_TRUE(call(two).ok());
  run(backend_->sweep(std::chrono::system_clock::now()));
  const auto made = message("01JCOMPLETE0000000000000000");
  EXPECT_EQ(made.status, store::MessageStatus::queued);
  EXPECT_EQ(made.text, "ab");
}

TEST_F(SmppBackendTest, DeliveriesAreClaimedOnceAndReleasedAtOnce) {
  const auto id = failed_smpp_message();
  auto claimed = claim();
  ASSERT_EQ(claimed.size(), 1u);
  const auto& body = claimed[0].body;
  EXPECT_EQ(body.esm_class, 0x04);
  EXPECT_EQ(body.source_addr, "4915112345678");  // the submit_sm's addresses, swapped
  EXPECT_EQ(body.destination_addr, "SHOP");
  const std::string text(body.short_message.begin(), body.short_message.end());
  EXPECT_NE(text.find("id:" + id), std::string::npos) << text;
  EXPECT_NE(text.find("stat:REJECTD"), std::string::npos) << text;  // no part ever left
  EXPECT_TRUE(claim().empty());
  EXPECT_TRUE(claim("other").empty());
  EXPECT_EQ(backend_->claimed(), 1u);
  backend_->released({claimed[0].id});
  EXPECT_EQ(backend_->claimed(), 0u);
  auto again = claim();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, claimed[0].id);
  run(backend_->delivered(again[0].id));
  EXPECT_EQ(backend_->claimed(), 0u);
  EXPECT_TRUE(claim().empty());
  auto pending = [](store::Store& s) { return s.smpp_outbox_pending(); };
  EXPECT_EQ(call(pending).value(), 0);
}

TEST_F(SmppBackendTest, RefusedDeliveriesBackOffAndRejectedOnesAreDropped) {
  failed_smpp_message();
  auto claimed = claim();
  ASSERT_EQ(claimed.size(), 1u);
  run(backend_->refused(claimed[0].id, CommandStatus::esme_rsyserr));
  EXPECT_EQ(backend_->claimed(), 0u);
  EXPECT_TRUE(claim().empty());  // due in 5 s
  auto job = [](store::Store& s) {
    const auto now = std::chrono::system_clock::now() + 6s;
    return s.due_smpp_deliveries("shop", now, 10, {}, now + 60s);
  };
  auto later = call(job);
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ(later->front().attempts, 1);
  EXPECT_EQ(later->front().last_error,
            "deliver_sm_resp " + smpp::to_string(CommandStatus::esme_rsyserr));

  failed_smpp_message();
  auto second = claim();
  ASSERT_EQ(second.size(), 1u);
  run(backend_->refused(second[0].id, CommandStatus::esme_rx_r_appn));
  auto pending = [](store::Store& s) { return s.smpp_outbox_pending(); };
  EXPECT_EQ(call(pending).value(), 1);  // only the one backing off
}

TEST_F(SmppBackendTest, RetryDelaysDoubleFromFiveSecondsToTenMinutes) {
  std::vector<std::int64_t> delays;
  for (int failures = 0; failures < 10; ++failures) {
    delays.push_back(smpp_retry_delay(failures).count());
  }
  EXPECT_EQ(delays, (std::vector<std::int64_t>{5, 10, 20, 40, 80, 160, 320, 600, 600, 600}));
  EXPECT_EQ(smpp_retry_delay(1000), 600s);
}

TEST_F(SmppBackendTest, WaitReturnsWhenItsClientIsNotifiedOrAtTheTimeout) {
  EXPECT_TRUE(claim().empty());
  bool woke = false;
  auto waiter = [&]() -> awaitable<void> {
    co_await backend_->wait_for_deliveries("shop", 10s);
    woke = true;
  };
  asio::co_spawn(io_, waiter(), asio::detached);
  run_until([] { return false; }, 50ms);
  EXPECT_FALSE(woke);
  backend_->notify("other");
  run_until([] { return false; }, 50ms);
  EXPECT_FALSE(woke);
  backend_->notify("shop");
  EXPECT_TRUE(run_until([&] { return woke; }, 1s));

  // A notification between a claim and the next wait is not lost.
  backend_->notify("shop");
  const auto start = std::chrono::steady_clock::now();
  run(backend_->wait_for_deliveries("shop", 10s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_TRUE(claim().empty());
  const auto timed = std::chrono::steady_clock::now();
  run(backend_->wait_for_deliveries("shop", 50ms));
  EXPECT_GE(std::chrono::steady_clock::now() - timed, 50ms);
}

TEST_F(SmppBackendTest, AFinalStatusWakesTheClientOfAnSmppMessage) {
  auto id = submit(spec("+4915112345678", "hi", 1));
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(claim().empty());
  bool woke = false;
  auto waiter = [&]() -> awaitable<void> {
    co_await backend_->wait_for_deliveries("shop", 10s);
    woke = true;
  };
  asio::co_spawn(io_, waiter(), asio::detached);
  run_until([] { return false; }, 30ms);
  backend_->message_final("01NOTANSMPPMESSAGE00000000");
  run_until([] { return false; }, 30ms);
  EXPECT_FALSE(woke);
  backend_->message_final(*id);
  EXPECT_TRUE(run_until([&] { return woke; }, 1s));
}

TEST_F(SmppBackendTest, InboundMessagesBecomeDeliverSm) {
  store::InboundPart in;
  in.modem = "modem0";
  in.sender = "+4917099999999";
  in.text = "Hi there";
  in.pdu_hex = "0791";
  in.smpp_clients = {"shop"};
  in.smpp_recipient = "+4915100000001";
  auto job = [in](store::Store& s) { return s.store_inbound(in); };
  ASSERT_TRUE(call(job).ok());
  auto claimed = claim();
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].body.esm_class, 0);
  EXPECT_EQ(claimed[0].body.source_addr, "4917099999999");
  EXPECT_EQ(claimed[0].body.source_addr_ton, 1);
  EXPECT_EQ(claimed[0].body.destination_addr, "4915100000001");
  EXPECT_EQ(std::string(claimed[0].body.short_message.begin(), claimed[0].body.short_message.end()),
            "Hi there");
}

TEST(SmppShortDuration, NamesTheLargestWholeUnit) {
  EXPECT_EQ(short_duration(std::chrono::minutes(10)), "10m");
  EXPECT_EQ(short_duration(std::chrono::hours(2)), "2h");
  EXPECT_EQ(short_duration(std::chrono::seconds(90)), "90s");
}

}  // namespace
}  // namespace smsgw::gateway
