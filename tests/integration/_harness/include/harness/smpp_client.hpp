// SmppClient: a small blocking SMPP 3.4 client (ESME) for black-box tests of `smsgw serve`'s
// SMPP server, over the project's own codec (smsgw/smpp/pdu.hpp, framer.hpp).
//
//   harness::SmppClient esme(port);
//   esme.bind(smpp::CommandId::bind_transceiver, "shop", "secret");   // throws unless ESME_ROK
//   const auto id = esme.submit("491511234567", "hello");             // the submit_sm_resp's id
//   const auto receipt = esme.wait_deliver();                         // answered ESME_ROK
//
// Reads never block longer than their timeout (poll(2)). A deliver_sm or enquire_link that
// arrives while waiting for a response is kept (deliver_sm, for wait_deliver) or answered
// (enquire_link, unless answer_enquire_link is false). Failures of the harness throw
// std::runtime_error.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "smsgw/smpp/framer.hpp"
#include "smsgw/smpp/pdu.hpp"

namespace smsgw::harness {

class SmppClient {
 public:
  explicit SmppClient(std::uint16_t port, const std::string& host = "127.0.0.1");
  ~SmppClient();
  SmppClient(const SmppClient&) = delete;
  SmppClient& operator=(const SmppClient&) = delete;

  // ---- Raw ------------------------------------------------------------------------------
  void send(const smpp::Pdu& pdu);
  void send_raw(const smpp::Bytes& octets);
  // The next PDU from the server (kept deliver_sm first), or nullopt after `timeout` or
  // when the server closed the connection (closed() then says so).
  std::optional<smpp::Pdu> read(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  [[nodiscard]] bool closed() const { return closed_; }
  // Waits until the server closes the connection; false when it is still open after
  // `timeout`. PDUs that arrive meanwhile are dropped.
  bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  std::uint32_t next_sequence() { return ++sequence_; }
  bool answer_enquire_link = true;

  // ---- Requests --------------------------------------------------------------------------
  // Sends `request` (its sequence_number set when 0) and returns the response with the same
  // sequence_number; throws when none comes within `timeout`.
  smpp::Pdu request(smpp::Pdu request,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // bind_transmitter / _receiver / _transceiver; the bind_*_resp (any status).
  smpp::Pdu try_bind(smpp::CommandId id, const std::string& system_id, const std::string& password);
  // Like try_bind, but throws unless the answer is ESME_ROK.
  void bind(smpp::CommandId id, const std::string& system_id, const std::string& password);
  // A submit_sm to `destination` (TON 1 NPI 1, digits without '+') with `text` as GSM 7-bit
  // (data_coding 0, one character per octet, ASCII only), after `edit` changed it; the
  // submit_sm_resp.
  smpp::Pdu try_submit(const std::string& destination, const std::string& text,
                       const std::function<void(smpp::MessageBody&)>& edit = {});
  // Like try_submit, but throws unless ESME_ROK; the message_id.
  std::string submit(const std::string& destination, const std::string& text,
                     const std::function<void(smpp::MessageBody&)>& edit = {});
  // The next deliver_sm, answered with `status` (nullopt: not answered); throws when none
  // comes within `timeout`.
  smpp::Pdu wait_deliver(std::optional<smpp::CommandStatus> status = smpp::CommandStatus::esme_rok,
                         std::chrono::milliseconds timeout = std::chrono::seconds(15));
  void unbind();

 private:
  std::optional<smpp::Pdu> read_socket(std::chrono::milliseconds timeout);

  int fd_ = -1;
  smpp::Framer framer_;
  std::deque<smpp::Pdu> kept_;  // deliver_sm that arrived while waiting for a response
  std::uint32_t sequence_ = 0;
  bool closed_ = false;
};

// The message body of a submit_sm like SmppClient::try_submit's, for tests that send it raw.
smpp::MessageBody submit_body(const std::string& destination, const std::string& text);

}  // namespace smsgw::harness
