// The dispatcher's SIMs as the configuration sees them: a reload's new options and
// [[modem]] limits, and each SIM's counters read back from the store.

#include <spdlog/spdlog.h>

#include "dispatcher_slot.hpp"
#include "smsgw/gateway/dispatcher.hpp"

namespace smsgw::gateway {

using store::Store;

void Dispatcher::reconfigure(DispatcherOptions options, bool calendar_changed) {
  options_ = std::move(options);
  policy_ = scheduler::SelectionPolicy(options_.routing);
  retry_ = scheduler::RetryPolicy(options_.retry);
  for (auto& [id, slot] : slots_) {
    slot->health.set_options(options_.health);
    if (calendar_changed) slot->iccid.clear();  // read its counters again, in the new days
    refresh_operator(*slot);
  }
  wake();
}

void Dispatcher::set_modem_limits(const std::string& modem_id, scheduler::Limits limits) {
  auto it = slots_.find(modem_id);
  if (it == slots_.end()) return;
  it->second->own_limits = limits;
  refresh_operator(*it->second);
  wake();
}

awaitable<void> Dispatcher::until_idle(std::string modem_id) {
  asio::steady_timer timer(executor_);
  while (true) {
    auto it = slots_.find(modem_id);
    if (it == slots_.end() || !it->second->busy) co_return;
    timer.expires_after(std::chrono::milliseconds(50));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

void Dispatcher::restore_usage(const std::string& modem_id, const std::string& iccid) {
  // Limits survive a restart: count what this SIM already used today and this month.
  const auto now = std::chrono::system_clock::now();
  const auto& calendar = options_.calendar;
  const auto day = calendar.day_of(now);
  const auto month_first = scheduler::LocalCalendar::first_day_of_month(calendar.month_of(now));
  jobs_.spawn("dispatcher: counting what SIM " + iccid + " sent",
              [this, modem_id, iccid, day, month_first, now]() -> awaitable<void> {
                auto job = [iccid, day, month_first](Store& s) {
                  return s.sim_usage(iccid, day, month_first);
                };
                auto usage = co_await store_.call(job);
                auto it = slots_.find(modem_id);
                if (!usage || it == slots_.end() || it->second->iccid != iccid) co_return;
                it->second->limiter.restore_usage(
                    now, static_cast<std::uint32_t>(usage->sent_today),
                    static_cast<std::uint32_t>(usage->sent_this_month),
                    std::move(usage->recipients_today));
                wake();
              });
}

}  // namespace smsgw::gateway
