#include <algorithm>
#include <utility>

#include "modem_impl.hpp"

namespace smsgw::modem {

std::string_view to_string(ModemState state) {
  switch (state) {
    case ModemState::absent:
      return "absent";
    case ModemState::opening:
      return "opening";
    case ModemState::initialising:
      return "initialising";
    case ModemState::ready:
      return "ready";
    case ModemState::sending:
      return "sending";
    case ModemState::backoff:
      return "backoff";
  }
  return "absent";
}

std::string_view to_string(PartResult::Outcome outcome) {
  switch (outcome) {
    case PartResult::Outcome::sent:
      return "sent";
    case PartResult::Outcome::failed:
      return "failed";
    case PartResult::Outcome::unknown:
      return "unknown";
  }
  return "unknown";
}

ModemActor::Impl::Impl(asio::any_io_executor executor_in, ModemSettings settings_in,
                       ModemListener& listener_in, std::shared_ptr<PortOpener> opener_in)
    : executor(std::move(executor_in)),
      settings(std::move(settings_in)),
      listener(listener_in),
      opener(std::move(opener_in)),
      log(spdlog::default_logger()->clone("modem." + settings.id)),
      wake(std::make_shared<Event>(executor)),
      stopped(std::make_shared<Event>(executor)),
      direct_done(std::make_shared<Event>(executor)),
      interrupt(std::make_shared<Event>(executor)),
      ussd_arrived(std::make_shared<Event>(executor)) {
  backoff = settings.backoff_initial;
  snap.id = settings.id;
  snap.port = settings.port;
  snap.state_since = std::chrono::system_clock::now();
  if (settings.profile != "auto") {
    auto found = find_profile(settings.profile);
    if (found) {
      forced_profile = *found;
      profile = *found;
    } else {
      log->error("{}; detecting the profile instead", found.error().message);
    }
  }
  snap.profile = std::string(profile->name);
}

void ModemActor::Impl::set_state(ModemState state) {
  if (snap.state == state) return;
  log->info("state {} -> {}", to_string(snap.state), to_string(state));
  snap.state = state;
  snap.state_since = std::chrono::system_clock::now();
  listener.on_state_changed(snap);
}

void ModemActor::Impl::record_error(Error error) {
  ++snap.errors_total;
  snap.last_error = std::move(error);
}

void ModemActor::Impl::notify_changed() { listener.on_state_changed(snap); }

awaitable<bool> ModemActor::Impl::sleep_unless_stopped(milliseconds duration) {
  const bool stop_requested = co_await stopped->wait(duration);
  co_return !stop_requested;
}

Result<void> ModemActor::Impl::connect() {
  set_state(ModemState::opening);
  resync_needed = false;
  auto stream = opener->open(executor, settings.port, settings.baud);
  if (!stream) return std::move(stream).error();
  io = std::make_shared<IoCounters>();
  channel = std::make_shared<at::Channel>(
      std::make_unique<TrackingStream>(std::move(stream).value(), io));
  channel->on_urc([this](const at::Urc& urc) { on_urc(urc); });
  asio::co_spawn(
      executor,
      [ch = channel, woken = wake]() -> awaitable<void> {
        co_await ch->run();
        woken->set();  // the serve loop notices the port is gone
      },
      asio::detached);
  read_memory.clear();
  log->info("opened {}", settings.port);
  return {};
}

void ModemActor::Impl::disconnect() {
  if (!channel) return;
  channel->on_urc({});
  channel->close();
  channel.reset();
  pending_reads.clear();
  pending_direct.clear();
  direct_done->set();
  reading.reset();
  unacknowledged.clear();
  undecodable.clear();
  ussd_notes.clear();
}

awaitable<void> ModemActor::Impl::wait_for_port() {
  set_state(ModemState::absent);
  log->info("waiting for {} to appear", settings.port);
  while (!stopping && !opener->exists(settings.port)) {
    const bool slept = co_await sleep_unless_stopped(settings.absent_poll);
    if (!slept) co_return;
  }
}

awaitable<Result<at::Response>> ModemActor::Impl::command(std::string text, milliseconds timeout) {
  auto ch = channel;
  if (!ch)
    co_return make_error(ErrorCode::at_closed, "the port of " + settings.id + " is not open");
  if (resync_needed) {
    // The answer of a timed-out command may still come and would be taken for this
    // command's (at/channel.hpp, "Limits"): let an "AT" absorb it first.
    resync_needed = false;
    (void)co_await probe();
  }
  auto reply = co_await ch->command(text, timeout);
  if (log->should_log(spdlog::level::trace)) {  // [log] level = "trace": every exchange
    std::string answer;
    if (reply) {
      for (const auto& line : reply->lines) answer += line + " | ";
      answer += "OK";
    } else {
      answer = reply.error().message;
    }
    log->trace("{} -> {}", text, answer);
  }
  if (reply) {
    command_timeouts = 0;
  } else if (reply.error().kind == ErrorCode::at_timeout) {
    resync_needed = true;
    log->warn("{}", reply.error().message);
    if (++command_timeouts >= settings.timeouts_before_recovery &&
        snap.state != ModemState::initialising) {
      request_recovery();
    }
  } else if (!is_port_failure(reply.error())) {
    command_timeouts = 0;  // the modem answered, with an error
  }
  co_return reply;
}

awaitable<Result<at::Response>> ModemActor::Impl::command(std::string text) {
  co_return co_await command(std::move(text), settings.command_timeout);
}

// "AT" until it answers OK, up to probe_attempts times.
awaitable<Result<void>> ModemActor::Impl::probe() {
  auto ch = channel;
  if (!ch) co_return make_error(ErrorCode::at_closed, "the port is not open");
  Error last = make_error(ErrorCode::at_timeout, "no answer");
  for (int attempt = 0; attempt < settings.probe_attempts; ++attempt) {
    auto reply = co_await ch->command("AT", settings.probe_timeout);
    if (reply) co_return Result<void>{};
    last = reply.error();
    if (is_port_failure(last)) break;
  }
  co_return make_error("modem.no_answer",
                       settings.port + " does not answer AT (" + last.message + ")");
}

void ModemActor::Impl::request_recovery() {
  recovery_requested = true;
  wake->set();
}

awaitable<ModemActor::Impl::Exit> ModemActor::Impl::serve() {
  auto next_poll = Clock::now() + settings.poll_interval;
  while (true) {
    if (stopping) co_return Exit::stop;
    // A reset waits for the send in flight (its end wakes this loop): closing the port
    // under it would leave its outcome unknown.
    if (reset_requested && !send_in_flight) co_return Exit::reset;
    if (!channel || !channel->is_open()) co_return Exit::port_lost;
    if (recovery_requested) {
      recovery_requested = false;
      const auto outcome = co_await recover();
      if (outcome != Exit::recovered) co_return outcome;
      continue;
    }
    if (reinit_requested) {
      reinit_requested = false;
      set_state(ModemState::initialising);
      if (auto again = co_await initialise(); !again) {
        record_error(std::move(again).error());
        co_return Exit::reopen;
      }
      set_state(ModemState::ready);
      continue;
    }
    if (!pending_direct.empty()) {
      auto urc = std::move(pending_direct.front());
      pending_direct.pop_front();
      direct_in_progress = true;
      co_await handle_direct(std::move(urc));
      direct_in_progress = false;
      if (pending_direct.empty()) direct_done->set();
      continue;
    }
    if (!pending_reads.empty()) {
      auto slot = std::move(pending_reads.front());
      pending_reads.pop_front();
      co_await read_slot(std::move(slot));
      continue;
    }
    if (Clock::now() >= next_poll) {
      const bool changed = co_await poll_status();
      if (changed) notify_changed();
      co_await check_indications();
      if (!indications) co_await sweep();
      for (const auto& slot : unacknowledged) pending_reads.push_back(slot);
      unacknowledged.clear();
      next_poll = Clock::now() + settings.poll_interval;
      continue;
    }
    wake->reset();
    co_await wake->wait(next_poll - Clock::now());
  }
}

awaitable<void> ModemActor::Impl::run() {
  stopping = false;
  stopped->reset();
  while (!stopping) {
    if (!opener->exists(settings.port)) {
      co_await wait_for_port();
      continue;
    }
    if (auto connected = connect(); !connected) {
      const auto& error = connected.error();
      log->warn("{}", error.message);
      record_error(error);
      if (error.kind == ErrorCode::serial_missing) continue;  // vanished meanwhile: wait for it
      reset_requested = resetting = false;  // the reset's reopen failed: the usual back-off
      co_await back_off(backoff);
      backoff = std::min(backoff * 2, settings.backoff_max);
      continue;
    }
    if (reset_requested) {
      reset_requested = false;
      co_await reset_radio();
    }
    set_state(ModemState::initialising);
    if (auto ready = co_await initialise(); !ready) {
      log->warn("init failed: {}", ready.error().message);
      record_error(std::move(ready).error());
      disconnect();
      if (stopping) break;
      if (!reset_requested) resetting = false;
      co_await back_off(backoff);
      backoff = std::min(backoff * 2, settings.backoff_max);
      continue;
    }
    if (resetting) log->info("reset done");
    resetting = false;
    set_state(ModemState::ready);
    const auto ready_since = Clock::now();
    const auto exit = co_await serve();
    disconnect();
    if (Clock::now() - ready_since >= settings.backoff_reset_after) {
      backoff = settings.backoff_initial;
    }
    switch (exit) {
      case Exit::recovered:
      case Exit::stop:
      case Exit::reset:  // reopened at once
        break;
      case Exit::port_lost:
        log->warn("lost {}", settings.port);
        record_error(make_error(ErrorCode::at_io, "lost " + settings.port));
        break;
      case Exit::reboot:
        set_state(ModemState::backoff);
        co_await sleep_unless_stopped(settings.reboot_wait);
        break;
      case Exit::reopen:
        co_await back_off(backoff);
        backoff = std::min(backoff * 2, settings.backoff_max);
        break;
    }
  }
  disconnect();
  set_state(ModemState::absent);
}

void ModemActor::Impl::stop() {
  stopping = true;
  stopped->set();
  interrupt->set();
  wake->set();
  ussd_arrived->set();
  direct_done->set();
  if (channel) channel->close();
}

ModemActor::ModemActor(asio::any_io_executor executor, ModemSettings settings,
                       ModemListener& listener, std::shared_ptr<PortOpener> opener)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(settings), listener,
                                   std::move(opener))) {}

ModemActor::~ModemActor() { impl_->disconnect(); }

awaitable<void> ModemActor::run() { co_await impl_->run(); }

void ModemActor::stop() { impl_->stop(); }

Result<void> ModemActor::reset() { return impl_->request_reset(); }

bool ModemActor::resetting() const { return impl_->resetting; }

const ModemSnapshot& ModemActor::snapshot() const { return impl_->snap; }

const Profile& ModemActor::profile() const { return *impl_->profile; }

bool ModemActor::can_send() const { return impl_->can_send(); }

awaitable<PartResult> ModemActor::send(pdu::SubmitPart part) {
  co_return co_await impl_->send(std::move(part));
}

awaitable<Result<UssdReply>> ModemActor::ussd(std::string code) {
  co_return co_await impl_->ussd(std::move(code));
}

}  // namespace smsgw::modem
