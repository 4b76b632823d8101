#include "harness/smpp_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace smsgw::harness {

using smpp::CommandId;
using smpp::CommandStatus;
using smpp::Pdu;
using Clock = std::chrono::steady_clock;

namespace {

Pdu empty_pdu(CommandId id, std::uint32_t sequence,
              CommandStatus status = CommandStatus::esme_rok) {
  return smpp::make_pdu(id, status, sequence);
}

}  // namespace

smpp::MessageBody submit_body(const std::string& destination, const std::string& text) {
  smpp::MessageBody body;
  body.source_addr_ton = 1;
  body.source_addr_npi = 1;
  body.source_addr = "4930123456";
  body.dest_addr_ton = 1;
  body.dest_addr_npi = 1;
  body.destination_addr = destination;
  body.short_message.assign(text.begin(), text.end());
  return body;
}

SmppClient::SmppClient(std::uint16_t port, const std::string& host) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("smpp client: socket: " + std::string(strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const std::string why = strerror(errno);
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("smpp client: cannot connect to " + host + ":" + std::to_string(port) +
                             ": " + why);
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

SmppClient::~SmppClient() {
  if (fd_ >= 0) ::close(fd_);
}

void SmppClient::send_raw(const smpp::Bytes& octets) {
  std::size_t sent = 0;
  while (sent < octets.size()) {
    const auto n = ::send(fd_, octets.data() + sent, octets.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("smpp client: send: " + std::string(strerror(errno)));
    sent += static_cast<std::size_t>(n);
  }
}

void SmppClient::send(const Pdu& pdu) {
  auto octets = smpp::encode(pdu);
  if (!octets) throw std::runtime_error("smpp client: cannot encode: " + octets.error().message);
  send_raw(*octets);
}

std::optional<Pdu> SmppClient::read_socket(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto next = framer_.next();
    if (!next) throw std::runtime_error("smpp client: framing lost: " + next.error().message);
    if (next->has_value()) {
      auto pdu = smpp::decode(**next);
      if (!pdu) throw std::runtime_error("smpp client: bad PDU: " + pdu.error().message);
      return *pdu;
    }
    if (closed_) return std::nullopt;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return std::nullopt;
    pollfd waiting{fd_, POLLIN, 0};
    if (::poll(&waiting, 1, static_cast<int>(left)) <= 0) continue;
    std::array<std::uint8_t, 8192> buffer{};
    const auto n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n <= 0) {
      closed_ = true;
      continue;
    }
    framer_.feed(std::span<const std::uint8_t>(buffer.data(), static_cast<std::size_t>(n)));
  }
}

std::optional<Pdu> SmppClient::read(std::chrono::milliseconds timeout) {
  if (!kept_.empty()) {
    Pdu pdu = std::move(kept_.front());
    kept_.pop_front();
    return pdu;
  }
  return read_socket(timeout);
}

bool SmppClient::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!closed_ && Clock::now() < deadline) {
    (void)read_socket(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
  }
  return closed_;
}

Pdu SmppClient::request(Pdu pdu, std::chrono::milliseconds timeout) {
  if (pdu.sequence_number == 0) pdu.sequence_number = next_sequence();
  send(pdu);
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    auto answer = read_socket(left);
    if (!answer) break;
    if (answer->sequence_number == pdu.sequence_number && smpp::is_response(answer->command_id)) {
      return *answer;
    }
    if (answer->command_id == CommandId::enquire_link && answer_enquire_link) {
      send(empty_pdu(CommandId::enquire_link_resp, answer->sequence_number));
    } else if (answer->command_id == CommandId::deliver_sm) {
      kept_.push_back(std::move(*answer));
    }
  }
  throw std::runtime_error(
      "smpp client: no answer to " + std::string(smpp::to_string(pdu.command_id)) + " " +
      std::to_string(pdu.sequence_number) + (closed_ ? " (the server closed the connection)" : ""));
}

Pdu SmppClient::try_bind(CommandId id, const std::string& system_id, const std::string& password) {
  Pdu pdu = empty_pdu(id, 0);
  auto& body = std::get<smpp::BindBody>(pdu.body);
  body.system_id = system_id;
  body.password = password;
  body.system_type = "test";
  return request(pdu);
}

void SmppClient::bind(CommandId id, const std::string& system_id, const std::string& password) {
  const Pdu answer = try_bind(id, system_id, password);
  if (answer.command_status != CommandStatus::esme_rok) {
    throw std::runtime_error("smpp client: bind as " + system_id + " refused " +
                             smpp::to_string(answer.command_status));
  }
}

Pdu SmppClient::try_submit(const std::string& destination, const std::string& text,
                           const std::function<void(smpp::MessageBody&)>& edit) {
  Pdu pdu = empty_pdu(CommandId::submit_sm, 0);
  pdu.body = submit_body(destination, text);
  if (edit) edit(std::get<smpp::MessageBody>(pdu.body));
  return request(pdu);
}

std::string SmppClient::submit(const std::string& destination, const std::string& text,
                               const std::function<void(smpp::MessageBody&)>& edit) {
  const Pdu answer = try_submit(destination, text, edit);
  if (answer.command_status != CommandStatus::esme_rok) {
    throw std::runtime_error("smpp client: submit_sm to " + destination + " refused " +
                             smpp::to_string(answer.command_status));
  }
  return std::get<smpp::MessageRespBody>(answer.body).message_id;
}

Pdu SmppClient::wait_deliver(std::optional<CommandStatus> status,
                             std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    auto pdu = read(left);
    if (!pdu) break;
    if (pdu->command_id == CommandId::enquire_link && answer_enquire_link) {
      send(empty_pdu(CommandId::enquire_link_resp, pdu->sequence_number));
      continue;
    }
    if (pdu->command_id != CommandId::deliver_sm) continue;
    if (status) send(empty_pdu(CommandId::deliver_sm_resp, pdu->sequence_number, *status));
    return *pdu;
  }
  throw std::runtime_error(std::string("smpp client: no deliver_sm") +
                           (closed_ ? " (the server closed the connection)" : ""));
}

void SmppClient::unbind() {
  const Pdu answer = request(empty_pdu(CommandId::unbind, 0));
  if (answer.command_id != CommandId::unbind_resp) {
    throw std::runtime_error("smpp client: unbind answered " +
                             std::string(smpp::to_string(answer.command_id)));
  }
}

}  // namespace smsgw::harness
