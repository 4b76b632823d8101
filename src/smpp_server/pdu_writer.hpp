// PduWriter: the one writer of a connection's socket, so PDUs never interleave.
//
// Contract: send() encodes a PDU and queues its octets; run() writes the queue in order
// (everything queued while a write is in flight goes out in the next write) until finish()
// was called and the queue is empty, or a write fails; then it shuts down sending (and
// closes the socket after a failed write), and sets done(). send() after finish() or after a failed
// write is dropped. A PDU that does not encode (a bug: the server builds every PDU it sends) is
// logged and dropped. Single-threaded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/smpp/pdu.hpp"

namespace smsgw::smpp_server {

class PduWriter {
 public:
  PduWriter(asio::ip::tcp::socket& socket, std::string peer);
  PduWriter(const PduWriter&) = delete;
  PduWriter& operator=(const PduWriter&) = delete;

  void send(const smpp::Pdu& pdu);
  // Write what is queued, then close the socket.
  void finish();
  awaitable<void> run();

  [[nodiscard]] Event& done() { return done_; }
  [[nodiscard]] bool finishing() const { return finishing_; }
  // Octets queued and not yet handed to a write. A client that sends without reading
  // makes this grow; the connection stops reading while it is over a limit.
  [[nodiscard]] std::size_t backlog() const { return queue_.size(); }
  // Set after each completed write (and when the writer ends).
  [[nodiscard]] Event& progressed() { return progressed_; }

 private:
  asio::ip::tcp::socket& socket_;
  std::string peer_;
  std::vector<std::uint8_t> queue_;
  Event wake_;
  Event done_;
  Event progressed_;
  bool finishing_ = false;
  bool failed_ = false;
};

}  // namespace smsgw::smpp_server
