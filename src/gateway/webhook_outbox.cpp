#include "smsgw/gateway/webhook_outbox.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "smsgw/gateway/kannel_dlr.hpp"

namespace smsgw::gateway {
namespace {

using store::Store;

constexpr auto kGiveUpAfter = std::chrono::hours(72);
constexpr std::size_t kDuePage = 64;
// Rows due later than now (a retry's back-off) are looked for this often.
constexpr auto kDueCheck = std::chrono::seconds(1);
// The shortest claim of a page of due rows (claim_due_webhooks).
constexpr auto kClaimFor = std::chrono::minutes(1);

// The URL a dlr_url row fetches. A row of the trigger sendsms_dlr (src/store/migrations.cpp)
// carries the dlr-url unexpanded and the payload {"id","type","status","at","modem"}: its
// escapes are expanded now from these and the message's facts (kannel_dlr.hpp), giving the
// URL the status change asked for. A row queued by an older version (empty payload) carries
// its URL expanded already. Errors: "not_found" when the message no longer exists,
// kDlrPayload for a payload that does not parse (both final), any other a store failure.
constexpr const char* kDlrPayload = "dlr.payload";

Result<std::string> dlr_target(Store& s, const store::WebhookDelivery& d) {
  if (d.payload_json.empty()) return d.url;
  const auto payload = nlohmann::json::parse(d.payload_json, nullptr, false);
  if (!payload.is_object() || !payload.contains("id") || !payload["id"].is_string() ||
      !payload.contains("type") || !payload["type"].is_number_integer() ||
      !payload.contains("at") || !payload["at"].is_number_integer()) {
    return Error{kDlrPayload, "dlr-url row " + std::to_string(d.id) + ": payload does not parse"};
  }
  const auto id = payload["id"].get<std::string>();
  auto origin = s.message_origin(id);
  if (!origin) return origin.error();
  auto message = s.get_message(id);
  if (!message) return message.error();
  DlrFacts facts;
  facts.type = payload["type"].get<int>();
  if (*origin) {
    facts.receiver = (*origin)->dest_addr;
    facts.sender = (*origin)->source_addr;
  }
  facts.at = TimePoint(std::chrono::milliseconds(payload["at"].get<std::int64_t>()));
  const auto modem = payload.value("modem", nlohmann::json());
  facts.smsc_id = modem.is_string() ? modem.get<std::string>() : "";
  facts.message_id = id;
  facts.answer =
      dlr_answer(facts.type, payload.value("status", ""), message->last_error.value_or(""));
  facts.service = message->client.value_or("");
  facts.coding = message->encoding == "ucs2" ? 2 : 0;
  facts.mclass = message->flash ? 0 : -1;
  if (!message->parts.empty() && message->parts.front().mr) {
    facts.foreign_id = std::to_string(*message->parts.front().mr);
  }
  facts.dlr_url = d.url;
  return expand_dlr_url(d.url, facts);
}

bool subscribed(const config::WebhookConfig& hook, const std::string& event) {
  return hook.events.empty() ||
         std::find(hook.events.begin(), hook.events.end(), event) != hook.events.end();
}

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

WebhookSettings WebhookSettings::from(const config::Config& config) {
  return WebhookSettings{config.webhooks, config.http.callback_hosts, config.http.ca_file,
                         config.http.callback_secret};
}

std::string callback_secret_for(const std::optional<std::string>& client,
                                const std::map<std::string, std::string>& client_secrets,
                                const std::string& callback_secret,
                                const std::vector<config::WebhookConfig>& webhooks) {
  if (client) {
    if (auto it = client_secrets.find(*client); it != client_secrets.end() && !it->second.empty()) {
      return it->second;
    }
  }
  if (!callback_secret.empty()) return callback_secret;
  for (const auto& hook : webhooks) {
    if (subscribed(hook, "message.status") && !hook.secret.empty()) return hook.secret;
  }
  return {};
}

WebhookOutbox::WebhookOutbox(asio::any_io_executor executor,
                             std::vector<config::WebhookConfig> webhooks, store::StoreWorker& store)
    : executor_(executor),
      callback_hosts_(std::make_shared<const http::CallbackHosts>()),
      store_(store),
      wake_(executor),
      emits_(executor) {
  settings_.webhooks = std::move(webhooks);
  // One TLS context for every https delivery (the system's CA store is read once).
  if (auto tls = http::WebhookTls::create(); tls) tls_ = std::move(tls).value();
}

Result<void> WebhookOutbox::reconfigure(WebhookSettings settings) {
  auto hosts = http::CallbackHosts::parse(settings.callback_hosts);
  if (!hosts) return Error{"config.invalid", "http.callback_hosts: " + hosts.error().message};
  auto created = http::WebhookTls::create(settings.ca_file);
  if (!created) {
    return Error{"config.invalid", std::string(settings.ca_file.empty() ? "" : "http.ca_file: ") +
                                       created.error().message};
  }
  std::shared_ptr<http::WebhookTls> tls = std::move(created).value();
  settings_ = std::move(settings);
  callback_hosts_ = std::make_shared<const http::CallbackHosts>(std::move(hosts).value());
  tls_ = std::move(tls);
  wake_.set();
  return {};
}

void WebhookOutbox::set_client_secrets(std::map<std::string, std::string> name_to_secret) {
  client_secrets_ = std::move(name_to_secret);
}

Result<void> WebhookOutbox::check_callback_url(const std::string& url) const {
  auto parsed = http::parse_webhook_url(url);
  if (!parsed) return Error{"validation", parsed.error().message};
  return callback_hosts_->check_host(parsed->host);
}

void WebhookOutbox::stop() {
  stopping_ = true;
  wake_.set();
}

std::vector<std::string> WebhookOutbox::subscribers(const std::string& event) const {
  std::vector<std::string> urls;
  for (const auto& hook : settings_.webhooks) {
    if (subscribed(hook, event)) urls.push_back(hook.url);
  }
  return urls;
}

void WebhookOutbox::emit(const std::string& event, const std::string& payload_json) {
  std::vector<std::string> urls = subscribers(event);
  if (urls.empty()) return;
  const auto body = webhook_body(event, payload_json);
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

void WebhookOutbox::emit_message_status(MessageStatusEvent event) {
  std::vector<std::string> urls = subscribers("message.status");
  // Without callback hosts no callback can be delivered: skip reading the message then.
  if (urls.empty() && callback_hosts_->empty()) return;
  emits_.spawn("webhooks: queueing message.status", [this, event, urls]() -> awaitable<void> {
    const auto now = std::chrono::system_clock::now();
    auto job = [&](Store& s) -> Result<void> {
      auto tags = s.message_tags(event.id);
      if (!tags) return tags.error();
      MessageStatusEvent tagged = event;
      tagged.client = tags->client;
      tagged.reference = tags->reference;
      const auto body = webhook_body("message.status", message_status_payload(tagged));
      for (const auto& url : urls) {
        if (auto r = s.enqueue_webhook("message.status", body, url, now); !r) return r.error();
      }
      if (tags->callback_url) {
        auto r = s.enqueue_webhook("message.status", body, *tags->callback_url, now,
                                   store::WebhookKind::callback, tags->client);
        if (!r) return r.error();
      }
      return {};
    };
    auto queued = co_await store_.call(job);
    if (!queued) {
      spdlog::error("webhooks: cannot queue message.status of {}: {}", event.id,
                    queued.error().message);
    }
    wake_.set();
  });
}

awaitable<void> WebhookOutbox::run() {
  while (!stopping_) {
    co_await deliver_due();
    wake_.reset();
    if (stopping_) break;
    co_await wake_.wait(kDueCheck);
  }
  co_await emits_.join();
}

awaitable<void> WebhookOutbox::deliver_due() {
  const auto now = std::chrono::system_clock::now();
  // The page is claimed for this node (several nodes on one store: each row leaves once).
  // A claim lasts twice a delivery's timeout, at least kClaimFor; rows whose claim would
  // run out before their delivery could end are left for the next pass, which claims
  // them again (another node may have taken them meanwhile).
  const auto delivery_timeout = http::WebhookPostOptions{}.timeout;
  const auto claim_until =
      now + std::max<std::chrono::system_clock::duration>(kClaimFor, 2 * delivery_timeout);
  auto fetch_due = [now, claim_until](Store& s) {
    return s.claim_due_webhooks(now, claim_until, kDuePage);
  };
  auto due = co_await store_.call(fetch_due);
  if (!due) co_return;
  for (auto& d : *due) {
    if (stopping_) break;
    if (std::chrono::system_clock::now() + delivery_timeout >= claim_until) break;
    co_await deliver(std::move(d));
  }
}

awaitable<void> WebhookOutbox::deliver(store::WebhookDelivery d) {
  http::WebhookPostOptions options;
  options.tls = tls_;
  std::string secret;
  if (d.kind == store::WebhookKind::callback) {
    secret = callback_secret_for(d.client, client_secrets_, settings_.callback_secret,
                                 settings_.webhooks);
    options.allowed_hosts = callback_hosts_;
  } else if (d.kind == store::WebhookKind::dlr_url) {
    options.allowed_hosts = callback_hosts_;
    options.get = true;  // Kannel fetches its dlr-url; unsigned, as Kannel's
    auto expand = [d](Store& s) { return dlr_target(s, d); };
    auto target = co_await store_.call(expand);
    if (!target) {
      // A store failure is tried again at the next pass (the row stays due); a row whose
      // message is gone or whose payload does not parse is given up.
      const bool final =
          target.error().kind == ErrorCode::not_found || target.error().code == kDlrPayload;
      spdlog::warn("dlr-url {}: {}{}", d.url, target.error().message,
                   final ? "; giving up" : "; will retry");
      if (!final) co_return;
      auto give_up = [id = d.id, why = target.error().message](Store& s) {
        return s.webhook_failed(id, why, std::nullopt);
      };
      (void)co_await store_.call(give_up);
      co_return;
    }
    d.url = *target;
  } else {
    const auto hook = std::find_if(settings_.webhooks.begin(), settings_.webhooks.end(),
                                   [&](const config::WebhookConfig& w) { return w.url == d.url; });
    if (hook == settings_.webhooks.end()) {
      spdlog::warn("webhook {} to {}: no longer configured; giving up", d.event, d.url);
      auto give_up = [id = d.id](Store& s) {
        return s.webhook_failed(id, "the webhook is no longer configured", std::nullopt);
      };
      (void)co_await store_.call(give_up);
      co_return;
    }
    secret = hook->secret;
  }
  auto posted = co_await http::post_webhook(d.url, d.payload_json, secret, std::move(options));
  const auto after = std::chrono::system_clock::now();
  if (posted) {
    auto mark_delivered = [id = d.id, after](Store& s) { return s.webhook_delivered(id, after); };
    (void)co_await store_.call(mark_delivered);
    co_return;
  }
  const auto next = webhook_retry_at(
      posted.error(), static_cast<std::uint32_t>(std::max(0, d.attempts)), d.created_at, after);
  const char* what = d.kind == store::WebhookKind::webhook    ? "webhook"
                     : d.kind == store::WebhookKind::callback ? "callback"
                                                              : "dlr-url";
  spdlog::warn("{} {} to {}: {}{}", what, d.event, d.url, posted.error().message,
               next ? "; will retry" : "; giving up");
  auto mark_failed = [id = d.id, e = posted.error().message, next](Store& s) {
    return s.webhook_failed(id, e, next);
  };
  (void)co_await store_.call(mark_failed);
}

}  // namespace smsgw::gateway
