// The single writer of an SMPP connection (pdu_writer.hpp).
#include "pdu_writer.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace smsgw::smpp_server {

PduWriter::PduWriter(asio::ip::tcp::socket& socket, std::string peer)
    : socket_(socket),
      peer_(std::move(peer)),
      wake_(socket.get_executor()),
      done_(socket.get_executor()),
      progressed_(socket.get_executor()) {}

void PduWriter::send(const smpp::Pdu& pdu) {
  if (finishing_ || failed_) return;
  auto octets = smpp::encode(pdu);
  if (!octets) {
    spdlog::error("smpp: {}: cannot encode {}: {}", peer_, smpp::to_string(pdu.command_id),
                  octets.error().message);
    return;
  }
  queue_.insert(queue_.end(), octets->begin(), octets->end());
  wake_.set();
}

void PduWriter::finish() {
  finishing_ = true;
  wake_.set();
}

awaitable<void> PduWriter::run() {
  std::vector<std::uint8_t> writing;
  for (;;) {
    if (queue_.empty()) {
      if (finishing_) break;
      wake_.reset();
      co_await wake_.wait();
      continue;
    }
    writing.clear();
    writing.swap(queue_);
    error_code ec;
    co_await asio::async_write(socket_, asio::buffer(writing),
                               asio::redirect_error(use_awaitable, ec));
    if (ec) {
      failed_ = true;
      break;
    }
    progressed_.set();
  }
  // Shut down sending only: closing with unread client octets in the socket would make the
  // kernel send a reset that can destroy the last PDUs before the client reads them. The
  // connection closes the socket once the client has closed too, or after a grace period.
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  if (failed_) socket_.close(ignored);
  queue_.clear();
  done_.set();
  progressed_.set();
}

}  // namespace smsgw::smpp_server
