#include "smsgw/at/channel.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>

#include "smsgw/at/classify.hpp"
#include "smsgw/at/line_framer.hpp"

namespace smsgw::at {
namespace {

constexpr std::string_view kCtrlZ = "\x1a";
constexpr std::string_view kEsc = "\x1b";

std::string milliseconds_text(Channel::Clock::duration duration) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(duration).count()) +
         " ms";
}

// Wakes coroutines waiting for a change. Waiters own their timers, so a waiter whose frame
// is destroyed (io_context shutdown) leaves nothing dangling behind.
class Signal {
 public:
  explicit Signal(asio::any_io_executor executor) : executor_(std::move(executor)) {}

  void notify() {
    for (auto& waiter : waiters_) {
      if (auto timer = waiter.lock()) timer->cancel();
    }
    waiters_.clear();
  }

  // Returns on the next notify() or at `deadline`. Callers re-check their condition.
  awaitable<void> wait_until(Channel::Clock::time_point deadline) {
    auto timer = std::make_shared<asio::steady_timer>(executor_, deadline);
    std::erase_if(waiters_, [](const auto& waiter) { return waiter.expired(); });
    waiters_.push_back(timer);
    error_code ignored;
    co_await timer->async_wait(asio::redirect_error(use_awaitable, ignored));
  }

 private:
  asio::any_io_executor executor_;
  std::vector<std::weak_ptr<asio::steady_timer>> waiters_;
};

// A queued caller's claim on the channel.
struct Ticket {
  explicit Ticket(asio::any_io_executor executor) : wakeup(std::move(executor)) {}
  Signal wakeup;
  bool granted = false;
};

}  // namespace

// Everything the reader loop and the commands share. Coroutines hold it by shared_ptr, so
// it outlives the Channel while they unwind.
struct Channel::State {
  explicit State(std::unique_ptr<ByteStream> byte_stream)
      : stream(std::move(byte_stream)),
        executor(stream->executor()),
        reply_changed(executor),
        last_activity(Clock::now()) {}

  std::unique_ptr<ByteStream> stream;
  asio::any_io_executor executor;
  LineFramer framer;
  UrcHandler urc_handler;

  // Set once the channel can no longer be used: "at.io" or "at.closed".
  std::optional<Error> failure;
  bool reader_running = false;

  // Serialisation: one holder; the others queue in arrival order.
  bool held = false;
  std::deque<std::weak_ptr<Ticket>> queue;

  // The reply being collected (valid while `collecting`).
  bool collecting = false;
  std::string in_flight;
  std::vector<std::string> lines;
  std::optional<Result<void>> final_result;
  bool prompt_seen = false;
  Signal reply_changed;  // notified on every change a command may wait for

  // A two-line URC whose body line is still to come.
  std::optional<Urc> pending_urc;
  // A URC whose quoted text is still open (a multi-line USSD menu), and its line count.
  std::optional<Urc> continued_urc;
  int continued_lines = 0;
  static constexpr int kMaxContinuationLines = 32;

  Clock::time_point last_activity;

  void fail(Error error) {
    if (!failure) failure = std::move(error);
    stream->close();
    reply_changed.notify();
  }

  void dispatch(const Urc& urc) const {
    if (urc_handler) urc_handler(urc);
  }

  static bool quotes_open(std::string_view text) {
    return std::count(text.begin(), text.end(), '"') % 2 == 1;
  }

  // "+CSQ: ..." / "^HCSQ:...": the shape of an information response (V.250 5.7.2), which
  // USSD menu text ("1. Top up", "Balance: 5 EUR") does not have.
  static bool looks_like_response(std::string_view line) {
    if (line.size() < 3 || (line[0] != '+' && line[0] != '^')) return false;
    std::size_t name_end = 1;
    while (name_end < line.size() && (std::isupper(static_cast<unsigned char>(line[name_end])) ||
                                      std::isdigit(static_cast<unsigned char>(line[name_end])))) {
      ++name_end;
    }
    return name_end > 1 && name_end < line.size() && line[name_end] == ':';
  }

  // Appends `line` to a URC whose quoted text is open; false when `line` is not part of it.
  bool continue_urc(const std::string& line) {
    const auto next = classify(line, collecting ? in_flight : std::string_view{});
    if (next.kind != LineKind::intermediate || looks_like_response(line)) {
      dispatch(*continued_urc);  // never closed: deliver what came
      continued_urc.reset();
      return false;
    }
    continued_urc->line += '\n';
    continued_urc->line += line;
    if (!quotes_open(continued_urc->line) || ++continued_lines >= kMaxContinuationLines) {
      dispatch(*continued_urc);
      continued_urc.reset();
    }
    return true;
  }

  void on_line(std::string line) {
    if (continued_urc && continue_urc(line)) return;
    if (pending_urc) {
      Urc urc = std::move(*pending_urc);
      pending_urc.reset();
      const auto next = classify(line, collecting ? in_flight : std::string_view{});
      if (next.kind != LineKind::ok && next.kind != LineKind::error) {
        urc.body = std::move(line);
        dispatch(urc);
        return;
      }
      dispatch(urc);  // the body never came; the final result still counts
    }
    auto classification = classify(line, collecting ? in_flight : std::string_view{});
    switch (classification.kind) {
      case LineKind::urc: {
        Urc urc{std::move(classification.urc_name), std::move(line), std::nullopt};
        if (classification.two_line) {
          pending_urc = std::move(urc);
        } else if (classification.may_continue && quotes_open(urc.line)) {
          continued_urc = std::move(urc);
          continued_lines = 0;
        } else {
          dispatch(urc);
        }
        return;
      }
      case LineKind::ok:
      case LineKind::error:
        // A final result with no command waiting (a late answer to a timed-out command)
        // is dropped.
        if (collecting && !final_result) {
          final_result = classification.kind == LineKind::ok
                             ? Result<void>{}
                             : Result<void>{std::move(*classification.error)};
          reply_changed.notify();
        }
        return;
      case LineKind::intermediate:
        if (collecting && !final_result) lines.push_back(std::move(line));
        return;
    }
  }

  void on_frame(Frame frame) {
    switch (frame.kind) {
      case Frame::Kind::line:
        on_line(std::move(frame.text));
        return;
      case Frame::Kind::prompt:
        if (collecting) {
          prompt_seen = true;
          reply_changed.notify();
        }
        return;
      case Frame::Kind::overflow:
        // An overlong line is garbage: it neither belongs to a reply nor ends one.
        return;
    }
  }

  void begin(std::string_view command) {
    collecting = true;
    in_flight = std::string(command);
    lines.clear();
    final_result.reset();
    prompt_seen = false;
    framer.expect_echo(command);
  }

  void end() {
    collecting = false;
    in_flight.clear();
    framer.clear_echo();
  }

  // Waits until `done()` holds, the channel fails, or `timeout` passes. Level-triggered:
  // a change that happened before the call is seen at once.
  template <class Predicate>
  awaitable<bool> wait_for(Predicate done, Clock::duration timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!done() && !failure) {
      if (Clock::now() >= deadline) co_return false;
      co_await reply_changed.wait_until(deadline);
    }
    co_return done();
  }

  Error failure_or(Error otherwise) const { return failure ? *failure : std::move(otherwise); }

  // Holds the channel for one caller; the next queued caller gets it on destruction.
  class Turn {
   public:
    explicit Turn(std::shared_ptr<State> state) : state_(std::move(state)) {}
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn() { state_->release(); }

   private:
    std::shared_ptr<State> state_;
  };

  // Waits for the caller's turn (first come, first served).
  static awaitable<void> acquire(std::shared_ptr<State> self) {
    if (!self->held) {
      self->held = true;
      co_return;
    }
    auto ticket = std::make_shared<Ticket>(self->executor);
    self->queue.push_back(ticket);
    while (!ticket->granted) {
      co_await ticket->wakeup.wait_until(Clock::time_point::max());
    }
  }

  // Hands the turn to the longest-waiting caller that still exists.
  void release() {
    while (!queue.empty()) {
      auto next = queue.front().lock();
      queue.pop_front();
      if (next) {
        next->granted = true;
        next->wakeup.notify();
        return;
      }
    }
    held = false;
  }

  // Writes `bytes`; a failed write fails the channel ("at.io").
  awaitable<Result<void>> write(std::string_view bytes) {
    if (failure) co_return *failure;
    auto written = co_await stream->write_all(bytes);
    if (!written) {
      fail(make_error(ErrorCode::at_io, written.error().message));
      co_return *failure;
    }
    co_return Result<void>{};
  }

  // The outcome of the collected reply, once its final result arrived.
  Result<Response> take_reply() {
    Result<void> outcome = std::move(*final_result);
    if (!outcome) return std::move(outcome).error();
    return Response{std::move(lines)};
  }

  // Starts `command`: collects its reply and writes "<command>\r"; a failed write ends it.
  awaitable<Result<void>> start(std::string command) {
    begin(command);
    auto written = co_await write(command + "\r");
    if (!written) end();
    co_return written;
  }

  // Waits for the final result of the command in flight and ends the command. Without one
  // within `timeout`: the channel's failure, or "at.timeout" naming the command and `when`.
  awaitable<Result<Response>> finish(std::string command, Clock::duration timeout,
                                     std::string when) {
    const bool answered = co_await wait_for([this] { return final_result.has_value(); }, timeout);
    if (!answered) {
      end();
      co_return failure_or(
          make_error(ErrorCode::at_timeout,
                     command + ": no final result within " + milliseconds_text(timeout) + when));
    }
    auto reply = take_reply();
    end();
    co_return reply;
  }
};

Channel::Channel(std::unique_ptr<ByteStream> stream)
    : state_(std::make_shared<State>(std::move(stream))) {}

Channel::~Channel() { close(); }

void Channel::on_urc(UrcHandler handler) { state_->urc_handler = std::move(handler); }

bool Channel::is_open() const { return !state_->failure; }

Channel::Clock::time_point Channel::last_activity() const { return state_->last_activity; }

void Channel::close() {
  if (state_->failure) return;
  state_->fail(make_error(ErrorCode::at_closed, "the AT channel was closed"));
}

awaitable<void> Channel::run() {
  const auto state = state_;
  state->reader_running = true;
  std::array<char, 1024> buffer{};
  std::vector<Frame> frames;
  while (!state->failure) {
    auto received = co_await state->stream->read_some(buffer);
    if (!received) {
      state->fail(make_error(ErrorCode::at_io, received.error().message));
      break;
    }
    if (state->failure) break;  // closed while the read completed
    state->last_activity = Clock::now();
    frames.clear();
    state->framer.feed(std::string_view(buffer.data(), *received), frames);
    for (auto& frame : frames) {
      state->on_frame(std::move(frame));
    }
  }
  state->reader_running = false;
  for (auto* unfinished : {&state->pending_urc, &state->continued_urc}) {
    if (*unfinished) state->dispatch(**unfinished);
    unfinished->reset();
  }
}

awaitable<Result<Response>> Channel::command(std::string_view command, Clock::duration timeout) {
  const auto state = state_;
  const std::string text(command);  // the caller's view may not outlive the suspension
  co_await State::acquire(state);
  State::Turn turn(state);
  if (state->failure) co_return *state->failure;

  if (auto started = co_await state->start(text); !started) co_return std::move(started).error();
  co_return co_await state->finish(text, timeout, "");
}

awaitable<Result<Response>> Channel::command_with_body(std::string_view command,
                                                       std::string_view body,
                                                       Clock::duration prompt_timeout,
                                                       Clock::duration final_timeout) {
  const auto state = state_;
  const std::string text(command);
  const std::string payload(body);
  co_await State::acquire(state);
  State::Turn turn(state);
  if (state->failure) co_return *state->failure;

  // Phase 1 (TS 27.005 3.5.1): the command, then "> " or a final result (an error).
  if (auto started = co_await state->start(text); !started) co_return std::move(started).error();
  const bool prompted = co_await state->wait_for(
      [&] { return state->prompt_seen || state->final_result.has_value(); }, prompt_timeout);
  if (state->final_result) {
    // A final result instead of the prompt: the modem refused the command.
    auto reply = state->take_reply();
    state->end();
    if (reply) {
      co_return make_error("at.no_prompt", text + ": answered OK without a > prompt");
    }
    co_return reply;
  }
  if (!prompted) {
    if (state->failure) {
      state->end();
      co_return *state->failure;
    }
    // Abort the half-entered command with ESC and absorb the final result it may produce,
    // so that it cannot be taken for the next command's answer.
    auto escaped = co_await state->write(kEsc);
    if (escaped) {
      co_await state->wait_for([&] { return state->final_result.has_value(); }, prompt_timeout);
    }
    state->end();
    co_return state->failure_or(make_error(
        ErrorCode::at_timeout, text + ": no > prompt within " + milliseconds_text(prompt_timeout) +
                                   "; sent ESC to abort"));
  }

  // Phase 2: the body and Ctrl-Z, then the final result.
  state->prompt_seen = false;
  state->lines.clear();
  state->framer.expect_echo(payload);
  if (auto written = co_await state->write(payload + std::string(kCtrlZ)); !written) {
    state->end();
    co_return std::move(written).error();
  }
  co_return co_await state->finish(text, final_timeout, " after the body");
}

awaitable<Result<void>> Channel::write_raw(std::string_view bytes) {
  const auto state = state_;
  const std::string raw(bytes);
  co_await State::acquire(state);
  State::Turn turn(state);
  co_return co_await state->write(raw);
}

}  // namespace smsgw::at
