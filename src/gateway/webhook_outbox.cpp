#include "smsgw/gateway/webhook_outbox.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "smsgw/http/webhook.hpp"

namespace smsgw::gateway {
namespace {

using json = nlohmann::json;
using store::Store;

constexpr auto kGiveUpAfter = std::chrono::hours(72);
constexpr std::size_t kDuePage = 64;
// Rows due later than now (a retry's back-off) are looked for this often.
constexpr auto kDueCheck = std::chrono::seconds(1);

}  // namespace

scheduler::RetryPolicy webhook_retry_policy() {
  scheduler::RetryOptions options;
  options.backoff_initial = std::chrono::seconds(5);
  options.backoff_max = std::chrono::hours(1);
  options.backoff_factor = 2.0;
  options.jitter = 0.0;
  return scheduler::RetryPolicy(options);
}

std::optional<TimePoint> webhook_retry_at(const Error& error, std::uint32_t earlier_failures,
                                          TimePoint created_at, TimePoint failed_at) {
  if (!http::webhook_error_is_retryable(error) || failed_at - created_at >= kGiveUpAfter) {
    return std::nullopt;
  }
  static const scheduler::RetryPolicy policy = webhook_retry_policy();
  return failed_at + policy.backoff(earlier_failures + 1, 0.0);
}

WebhookOutbox::WebhookOutbox(asio::any_io_executor executor,
                             std::vector<config::WebhookConfig> webhooks, store::StoreWorker& store)
    : executor_(executor),
      webhooks_(std::move(webhooks)),
      store_(store),
      wake_(executor),
      emits_(executor) {
  for (const auto& hook : webhooks_) secrets_[hook.url] = hook.secret;
}

void WebhookOutbox::stop() {
  stopping_ = true;
  wake_.set();
}

void WebhookOutbox::emit(const std::string& event, const std::string& payload_json) {
  std::vector<std::string> urls;
  for (const auto& hook : webhooks_) {
    if (hook.events.empty() ||
        std::find(hook.events.begin(), hook.events.end(), event) != hook.events.end()) {
      urls.push_back(hook.url);
    }
  }
  if (urls.empty()) return;
  const auto body = json{{"event", event}, {"data", json::parse(payload_json)}}.dump();
  emits_.spawn("webhooks: queueing " + event, [this, event, body, urls]() -> awaitable<void> {
    const auto now = std::chrono::system_clock::now();
    auto job = [&](Store& s) -> Result<void> {
      for (const auto& url : urls) {
        if (auto r = s.enqueue_webhook(event, body, url, now); !r) return r.error();
      }
      return {};
    };
    auto queued = co_await store_.call(job);
    if (!queued) spdlog::error("webhooks: cannot queue {}: {}", event, queued.error().message);
    wake_.set();
  });
}

awaitable<void> WebhookOutbox::run() {
  while (!webhooks_.empty() && !stopping_) {
    co_await deliver_due();
    wake_.reset();
    if (stopping_) break;
    co_await wake_.wait(kDueCheck);
  }
  co_await emits_.join();
}

awaitable<void> WebhookOutbox::deliver_due() {
  const auto now = std::chrono::system_clock::now();
  auto fetch_due = [now](Store& s) { return s.due_webhooks(now, kDuePage); };
  auto due = co_await store_.call(fetch_due);
  if (!due) co_return;
  for (const auto& d : *due) {
    if (stopping_) break;
    auto posted = co_await http::post_webhook(d.url, d.payload_json, secrets_[d.url]);
    const auto after = std::chrono::system_clock::now();
    if (posted) {
      auto mark_delivered = [id = d.id, after](Store& s) { return s.webhook_delivered(id, after); };
      (void)co_await store_.call(mark_delivered);
      continue;
    }
    const auto next = webhook_retry_at(
        posted.error(), static_cast<std::uint32_t>(std::max(0, d.attempts)), d.created_at, after);
    spdlog::warn("webhook {} to {}: {}{}", d.event, d.url, posted.error().message,
                 next ? "; will retry" : "; giving up");
    auto mark_failed = [id = d.id, e = posted.error().message, next](Store& s) {
      return s.webhook_failed(id, e, next);
    };
    (void)co_await store_.call(mark_failed);
  }
}

}  // namespace smsgw::gateway
