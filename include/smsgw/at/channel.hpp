// AT channel: one command in flight per modem, URCs demultiplexed from replies.
//
// Contract:
// - command() writes "<cmd>\r" and completes on the first final result line
//   (TS 27.007 5.7 / 27.005 3.2.5: OK, ERROR, +CME ERROR: n, +CMS ERROR: n, and vendor
//   finals such as Huawei's "COMMAND NOT SUPPORT"), whole-line matched.
// - Commands are serialised: a second caller waits until the first has completed.
// - Unsolicited result codes go to the URC handler at any time, also between the lines
//   of a reply; they never end or pollute a command's reply.
// - A line that arrives before a command starts waiting is not lost (level-triggered).
// - Failures are values: "at.timeout", "at.io" (the stream failed; the channel is closed),
//   "at.closed", "at.error" (plain ERROR), "cme.<n>", "cms.<n>", "at.unsupported", and
//   (see classify.hpp) "cme.unknown"/"cms.unknown" for unlisted text, "at.no_carrier",
//   "at.busy", "at.no_answer", "at.no_dialtone"; command_with_body adds "at.no_prompt"
//   (OK instead of "> "). Messages name the command ("AT+CMGS=23: +CMS ERROR: 38 (...)").
// - Echo (ATE1) is recognised and dropped: the channel tells the framer what it sent.
// - Two-line URCs (+CMT, +CDS) arrive as one Urc with `body`; a +CUSD whose quoted text
//   spans lines (USSD menus) arrives as one Urc with the lines joined by '\n'.
// - Limits: a final result that arrives after its command timed out is dropped when no
//   command is waiting, but if the next command is already waiting it is taken as that
//   command's answer (nothing in the AT protocol tells them apart without echo). Callers
//   that time out should resynchronise (e.g. "AT" until OK) before relying on replies.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/at/byte_stream.hpp"
#include "smsgw/at/urc.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw::at {

// A successful reply: the information lines between the command and its OK.
struct Response {
  std::vector<std::string> lines;
};

class Channel {
 public:
  using Clock = std::chrono::steady_clock;
  using UrcHandler = std::function<void(const Urc&)>;

  explicit Channel(std::unique_ptr<ByteStream> stream);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // The reader loop; spawn it once. Returns when the stream fails or close() is called;
  // every waiting command then fails with "at.io" / "at.closed".
  awaitable<void> run();

  void on_urc(UrcHandler handler);

  // "AT+CSQ" -> Response{ {"+CSQ: 20,99"} }. `command` is sent with "\r" appended.
  awaitable<Result<Response>> command(std::string_view command, Clock::duration timeout);

  // Two-phase send (TS 27.005 3.5.1): writes "<command>\r", waits for the "> " prompt
  // (`prompt_timeout`), writes `body` + Ctrl-Z, and waits for the final result
  // (`final_timeout`). On a prompt timeout it sends ESC to abort and waits up to
  // `prompt_timeout` more for the final result the abort may produce, so that it cannot be
  // taken for the next command's answer. Nothing is written while waiting for the result
  // (Fibocom G510 aborts the send on any byte).
  awaitable<Result<Response>> command_with_body(std::string_view command, std::string_view body,
                                                Clock::duration prompt_timeout,
                                                Clock::duration final_timeout);

  // Raw bytes, for recovery (ESC, Ctrl-Z) outside of a command.
  awaitable<Result<void>> write_raw(std::string_view bytes);

  void close();
  [[nodiscard]] bool is_open() const;

  // When the last byte arrived from the modem (the construction time before any did).
  [[nodiscard]] Clock::time_point last_activity() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace smsgw::at
