#include "harness/event_stream_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace smsgw::harness {

nlohmann::json StreamedEvent::json() const { return nlohmann::json::parse(data, nullptr, false); }

EventStreamClient::EventStreamClient(std::uint16_t port, EventStreamOptions options) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  if (options.receive_buffer > 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &options.receive_buffer,
                 sizeof(options.receive_buffer));
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    const std::string error = std::strerror(errno);
    ::close(fd_);
    throw std::runtime_error("connect to the event stream: " + error);
  }
  std::string request = "GET " + options.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                        "Accept: text/event-stream\r\n";
  if (!options.token.empty()) request += "Authorization: Bearer " + options.token + "\r\n";
  if (options.last_event_id) {
    request += "Last-Event-ID: " + std::to_string(*options.last_event_id) + "\r\n";
  }
  request += "\r\n";
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    ::close(fd_);
    throw std::runtime_error("cannot send the event stream request");
  }
}

EventStreamClient::~EventStreamClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool EventStreamClient::fill(std::chrono::steady_clock::time_point deadline) {
  if (closed_) return false;
  const auto now = std::chrono::steady_clock::now();
  if (now >= deadline) return false;
  pollfd p{fd_, POLLIN, 0};
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
  if (::poll(&p, 1, static_cast<int>(wait.count()) + 1) <= 0) return false;
  char chunk[16384];
  const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
  if (n <= 0) {
    closed_ = true;
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

int EventStreamClient::status(std::chrono::milliseconds timeout) {
  if (status_ >= 0) return status_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (buffer_.find("\r\n\r\n") == std::string::npos) {
    if (!fill(deadline)) return 0;
  }
  const auto end = buffer_.find("\r\n\r\n");
  head_ = buffer_.substr(0, end + 4);
  buffer_.erase(0, end + 4);
  const auto space = head_.find(' ');
  int code = 0;
  if (space != std::string::npos) {
    std::from_chars(head_.data() + space + 1, head_.data() + head_.size(), code);
  }
  status_ = code;
  return status_;
}

std::string EventStreamClient::rest(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  status(timeout);
  while (fill(deadline)) {
  }
  return std::exchange(buffer_, {});
}

std::optional<StreamedEvent> EventStreamClient::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (status(timeout) != 200) return std::nullopt;
  for (;;) {
    const auto line_end = buffer_.find('\n');
    if (line_end == std::string::npos) {
      if (!fill(deadline)) return std::nullopt;
      continue;
    }
    std::string line = buffer_.substr(0, line_end);
    buffer_.erase(0, line_end + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (pending_.data.empty() && pending_.type.empty()) continue;
      StreamedEvent event = std::exchange(pending_, {});
      if (event.type.empty()) event.type = "message";
      if (!event.data.empty() && event.data.back() == '\n') event.data.pop_back();
      return event;
    }
    if (line.front() == ':') {
      ++comments_;
      continue;
    }
    const auto colon = line.find(':');
    const std::string field = line.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (field == "event") {
      pending_.type = value;
    } else if (field == "data") {
      pending_.data += value + "\n";
    } else if (field == "id") {
      std::int64_t id = 0;
      if (std::from_chars(value.data(), value.data() + value.size(), id).ec == std::errc{}) {
        pending_.id = id;
      }
    }
  }
}

std::vector<StreamedEvent> EventStreamClient::until(
    const std::function<bool(const StreamedEvent&)>& done, std::chrono::milliseconds timeout,
    const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<StreamedEvent> events;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto event = left.count() > 0 ? next(left) : std::nullopt;
    if (!event) {
      std::string seen;
      for (const auto& e : events) seen += "\n  " + e.type + " " + e.data;
      if (seen.size() > 4000) seen = "..." + seen.substr(seen.size() - 4000);
      throw std::runtime_error("event stream: " + what + " did not come (" +
                               std::to_string(events.size()) + " events came):" + seen);
    }
    events.push_back(*event);
    if (done(events.back())) return events;
  }
}

bool EventStreamClient::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (fill(deadline)) buffer_.clear();
  return closed_;
}

}  // namespace smsgw::harness
