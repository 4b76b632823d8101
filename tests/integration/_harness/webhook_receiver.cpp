#include "harness/webhook_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "wire.hpp"

namespace smsgw::harness {

namespace {

using wire::lower;

// Reads until `bytes` holds the head and the Content-Length body, the peer closes, or 5 s.
bool read_request(int fd, std::string& bytes, std::size_t& head_end) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  head_end = std::string::npos;
  std::size_t wanted = std::string::npos;
  while (std::chrono::steady_clock::now() < deadline) {
    if (head_end == std::string::npos) {
      head_end = bytes.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const std::string head = lower(bytes.substr(0, head_end));
        std::size_t length = 0;
        if (const auto at = head.find("\r\ncontent-length:"); at != std::string::npos) {
          length = std::stoul(head.substr(at + 17));
        }
        wanted = head_end + 4 + length;
      }
    }
    if (wanted != std::string::npos && bytes.size() >= wanted) return true;
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 100) <= 0) continue;
    char buffer[8192];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  return false;
}

}  // namespace

std::string ReceivedRequest::header(const std::string& lower_case_name) const {
  const auto it = headers.find(lower(lower_case_name));
  return it == headers.end() ? std::string{} : it->second;
}

nlohmann::json ReceivedRequest::json() const {
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

WebhookReceiver::WebhookReceiver(int fail_first) : fail_remaining_(fail_first) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("WebhookReceiver: socket() failed");
  const int yes = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("WebhookReceiver: cannot listen on 127.0.0.1");
  }
  socklen_t length = sizeof address;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

WebhookReceiver::~WebhookReceiver() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

std::string WebhookReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void WebhookReceiver::fail_next(int count) {
  std::lock_guard lock(mutex_);
  fail_remaining_ = count;
}

std::vector<ReceivedRequest> WebhookReceiver::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<ReceivedRequest> WebhookReceiver::accepted() const {
  std::vector<ReceivedRequest> out;
  for (auto& request : requests()) {
    if (request.answered >= 200 && request.answered < 300) out.push_back(std::move(request));
  }
  return out;
}

bool WebhookReceiver::wait_until(
    const std::function<bool(const std::vector<ReceivedRequest>&)>& done,
    std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return done(requests_); });
}

void WebhookReceiver::serve() {
  while (!stopping_) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, 50) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    handle(fd);
    ::close(fd);
  }
}

void WebhookReceiver::handle(int fd) {
  std::string bytes;
  std::size_t head_end = 0;
  if (!read_request(fd, bytes, head_end)) return;
  ReceivedRequest request;
  const std::string head = bytes.substr(0, head_end);
  const std::string request_line = head.substr(0, head.find("\r\n"));
  const auto space = request_line.find(' ');
  request.method = request_line.substr(0, space);
  request.target = request_line.substr(space + 1, request_line.rfind(' ') - space - 1);
  wire::for_each_header(head, [&request](const std::string& name, const std::string& value) {
    request.headers[name] = value;
  });
  request.body = bytes.substr(head_end + 4);
  {
    std::lock_guard lock(mutex_);
    request.answered = fail_remaining_ > 0 ? 500 : 200;
    if (fail_remaining_ > 0) --fail_remaining_;
  }
  const std::string answer =
      request.answered == 200
          ? "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
          : "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(request));
  }
  arrived_.notify_all();
}

}  // namespace smsgw::harness
