// Session: the pure core of one SMPP 3.4 connection (no I/O, no clock of its own).
//
// It decides, for every whole PDU the Framer yields (or its framing Failure), what the
// connection does next, and keeps the state that those decisions need:
// - the bind state machine of SMPP 3.4 2.3 and 4.1: open -> bound_tx / bound_rx /
//   bound_trx -> unbinding -> closed. In `open` only the bind family is accepted; a bind
//   on a bound session is answered ESME_RALYBND (5.1.3); any other request in the wrong
//   state gets its _resp with ESME_RINVBNDSTS: submit_sm needs bound_tx or bound_trx,
//   unbind and enquire_link need a bound state (2.3, table 2-1). Three refused binds on
//   one connection close it.
// - bad PDUs (chapter 3, 5.1.3), never desynchronising the stream: a supported request
//   that fails to decode -> its _resp with the Failure's status and the same
//   sequence_number, the session goes on; an unknown or unsupported command_id (query_sm,
//   data_sm, replace_sm, cancel_sm, submit_multi, outbind, ...) or a deliver_sm from the
//   client -> generic_nack ESME_RINVCMDID, the session goes on; a framing Failure (a
//   command_length under 16 or over the maximum) -> generic_nack with its status, then
//   close, since the next PDU's start is lost.
// - the window ([smpp] window) in both directions: at most `window` submit_sm are being
//   stored at once (one more is answered ESME_RTHROTTLED at once, 5.1.3), at most
//   `window` deliver_sm wait for their deliver_sm_resp.
// - link supervision (4.11): after `enquire_link_interval` without a PDU from the client
//   a bound session sends enquire_link; no enquire_link_resp within
//   `enquire_link_timeout` closes it. A connection that has not bound within
//   interval + timeout is closed too.
// - sequence numbers of the PDUs the server originates (3.2: 0x00000001-0x7FFFFFFF).
//
// Contract: every method is total (any input, any state) and never throws on client data.
// Responses carry no body when their status is an error (4.1.2, 4.4.2).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smsgw/smpp/backend.hpp"
#include "smsgw/smpp/failure.hpp"
#include "smsgw/smpp/pdu.hpp"

namespace smsgw::smpp_server {

using Clock = std::chrono::steady_clock;

enum class BindState { open, bound_tx, bound_rx, bound_trx, unbinding, closed };

std::string_view to_string(BindState state);
std::string_view to_string(smpp::BindMode mode);

struct SessionOptions {
  std::uint32_t window = 10;
  Clock::duration enquire_link_interval = std::chrono::seconds(30);
  Clock::duration enquire_link_timeout = std::chrono::seconds(10);
  std::string system_id = "smsgw";  // the server's, in bind_*_resp (4.1.2)
};

// What the connection does with one received PDU.
struct Action {
  enum class Kind {
    none,          // nothing to send (a late or unmatched response)
    reply,         // send `reply`
    authenticate,  // check `bind` (Backend::authenticate), then call Session::bind_checked
    submit,        // map and store `message`, then call Session::submit_answered
    delivered,     // deliver_sm of outbox row `delivery` answered ESME_ROK
    refused,       // deliver_sm of outbox row `delivery` answered `status`
    close,         // send `reply` when set, then close the connection because of `reason`
  };
  Kind kind = Kind::none;
  std::optional<smpp::Pdu> reply;
  std::uint32_t sequence = 0;  // of the request (authenticate, submit)
  smpp::BindRequest bind;      // authenticate (peer left empty)
  smpp::MessageBody message;   // submit
  std::int64_t delivery = 0;   // delivered, refused
  smpp::CommandStatus status = smpp::CommandStatus::esme_rok;  // refused
  std::string reason;                                          // close; also set for replies
                                                               // to bad PDUs (for the log)
};

// What the link supervision asks for at a given instant.
struct Tick {
  std::optional<smpp::Pdu> enquire_link;  // send it
  std::optional<std::string> close;       // close the connection, with this reason
};

class Session {
 public:
  Session(SessionOptions options, Clock::time_point now);

  // One whole PDU as the Framer yields it, received at `now`.
  Action receive(std::span<const std::uint8_t> octets, Clock::time_point now);
  // The Framer's Failure: generic_nack with its status, then close.
  Action framing_failed(const smpp::Failure& failure);

  // The answer to the bind that Action::authenticate asked for. On success the session is
  // bound (mode from the bind) as `account`; the reply is the bind_*_resp. A refusal keeps
  // the session open; the third one closes it.
  Action bind_checked(std::uint32_t sequence, smpp::BindMode mode,
                      const smpp::Outcome<smpp::Account>& account);

  // The result of storing the submit_sm `sequence`: its submit_sm_resp (message_id on
  // success, else the Failure's status and no body). Frees one place in the window.
  smpp::Pdu submit_answered(std::uint32_t sequence, const smpp::Outcome<std::string>& message_id);

  // The unbind_resp once the client has asked to unbind and no submit_sm is outstanding
  // (SMPP 3.4 4.2: every request before the unbind is answered first), exactly once; the
  // connection closes after sending it.
  std::optional<smpp::Pdu> take_unbind_resp();

  // The server ends the bind (shutdown): later submit_sm are refused ESME_RINVBNDSTS;
  // unbind_request() gives the unbind to send once submits_outstanding() is 0.
  void begin_server_unbind();
  std::optional<smpp::Pdu> unbind_request();
  // True once the client has answered the server's unbind.
  [[nodiscard]] bool unbind_answered() const { return unbind_answered_; }

  // A deliver_sm for outbox row `delivery`; counts in the outbound window until its
  // deliver_sm_resp (or a generic_nack for it) arrives.
  smpp::Pdu deliver(const smpp::Delivery& delivery);
  // Places left in the outbound window; 0 unless bound as receiver or transceiver.
  [[nodiscard]] std::size_t deliver_window_free() const;
  // deliver_sm sent and not answered (released when the connection closes).
  [[nodiscard]] std::vector<std::int64_t> unanswered_deliveries() const;

  // Link supervision at `now`; next_deadline() is when to call tick() next.
  Tick tick(Clock::time_point now);
  [[nodiscard]] Clock::time_point next_deadline() const;

  void close() { state_ = BindState::closed; }

  [[nodiscard]] BindState state() const { return state_; }
  [[nodiscard]] bool bound() const;
  [[nodiscard]] bool receives() const;  // bound as receiver or transceiver
  [[nodiscard]] const std::optional<smpp::Account>& account() const { return account_; }
  [[nodiscard]] std::optional<smpp::BindMode> mode() const { return mode_; }
  [[nodiscard]] std::size_t submits_outstanding() const { return submits_outstanding_; }
  [[nodiscard]] const SessionOptions& options() const { return options_; }

 private:
  Action on_request(const smpp::Pdu& pdu);
  Action on_response(smpp::CommandId id, smpp::CommandStatus status, std::uint32_t sequence);
  Action on_decode_failure(std::span<const std::uint8_t> octets, const smpp::Failure& failure);
  std::uint32_t next_sequence();

  SessionOptions options_;
  BindState state_ = BindState::open;
  std::optional<smpp::Account> account_;
  std::optional<smpp::BindMode> mode_;
  int refused_binds_ = 0;
  std::uint8_t bind_interface_version_ = 0x34;  // of the bind being checked
  std::size_t submits_outstanding_ = 0;
  std::optional<std::uint32_t> unbind_sequence_;  // the client's unbind, not yet answered
  bool server_unbind_ = false;                    // begin_server_unbind() was called
  std::optional<std::uint32_t> server_unbind_sequence_;
  bool unbind_answered_ = false;
  std::map<std::uint32_t, std::int64_t> deliveries_;  // sequence -> outbox row
  std::uint32_t last_sequence_ = 0;
  Clock::time_point connected_at_;
  Clock::time_point last_received_;
  std::optional<std::uint32_t> enquire_sequence_;  // the server's enquire_link, unanswered
  Clock::time_point enquire_sent_at_{};
};

using smpp::make_pdu;

}  // namespace smsgw::smpp_server
