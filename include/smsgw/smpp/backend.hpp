// Backend: what the SMPP server (src/smpp_server) needs from the gateway. The gateway
// implements it over its configuration and store; the server's tests implement it with a
// fake. Everything runs on the gateway's one io_context thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "smsgw/common/net.hpp"
#include "smsgw/smpp/failure.hpp"
#include "smsgw/smpp/pdu.hpp"
#include "smsgw/smpp/submit_spec.hpp"

namespace smsgw::smpp {

enum class BindMode { transmitter, receiver, transceiver };

struct BindRequest {
  std::string system_id;
  std::string password;
  BindMode mode = BindMode::transceiver;
  std::string peer;  // "address:port" of the client, for the log
};

// Who is bound. `client` is the [[client]] name, or "" when no [[client]] has an SMPP
// account and the server listens on loopback (any system_id binds, with every right).
struct Account {
  std::string client;
  std::string system_id;
  bool may_send = false;     // scope "send": submit_sm
  bool may_receive = false;  // scope "read": receipts and inbound messages as deliver_sm
};

// One deliver_sm waiting in the durable outbox (a receipt or an inbound message).
struct Delivery {
  std::int64_t id = 0;
  MessageBody body;
};

class Backend {
 public:
  virtual ~Backend() = default;

  // Checks a bind against the [[client]] accounts. Failures: ESME_RINVSYSID (no such
  // system_id), ESME_RINVPASWD (wrong password), ESME_RBINDFAIL (the client lacks the
  // scope the bind needs: transmitter and transceiver "send", receiver "read").
  virtual Outcome<Account> authenticate(const BindRequest& request) = 0;

  // Stores the message durably and answers its message_id only then (the 202 rule). A part
  // of a client-split message (spec.part) is stored too; every part of one message answers
  // the same message_id. Failures carry the submit_sm_resp status: ESME_RTHROTTLED (the
  // client's limits), ESME_RINVDSTADR (a number the gateway cannot normalise),
  // ESME_RSUBMITFAIL (any other refusal, e.g. too many parts), ESME_RSYSERR (the store).
  virtual awaitable<Outcome<std::string>> submit(Account account, SubmitSpec spec) = 0;

  // Claims up to `limit` deliveries waiting for `client`, oldest first, that no other bind
  // holds; they stay claimed until delivered(), refused() or released().
  virtual awaitable<std::vector<Delivery>> claim_deliveries(std::string client,
                                                            std::size_t limit) = 0;
  // deliver_sm_resp ESME_ROK: the delivery leaves the outbox.
  virtual awaitable<void> delivered(std::int64_t id) = 0;
  // A deliver_sm_resp with an error: tried again later with back-off; ESME_RX_R_APPN (the
  // client rejects it for good) drops it, logged.
  virtual awaitable<void> refused(std::int64_t id, CommandStatus status) = 0;
  // The bind closed before answering: the deliveries are claimable again at once.
  virtual void released(const std::vector<std::int64_t>& ids) = 0;
  // Returns when deliveries for `client` may have been added or become due, or after
  // `timeout`.
  virtual awaitable<void> wait_for_deliveries(std::string client,
                                              std::chrono::steady_clock::duration timeout) = 0;
};

}  // namespace smsgw::smpp
