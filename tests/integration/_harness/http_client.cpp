#include "harness/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>

#include "wire.hpp"

namespace smsgw::harness {

namespace {

using wire::lower;

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  [[nodiscard]] int fd() const noexcept { return fd_; }

 private:
  int fd_;
};

bool decode_chunked(const std::string& in, std::string& out) {
  std::size_t pos = 0;
  out.clear();
  for (;;) {
    const auto line_end = in.find("\r\n", pos);
    if (line_end == std::string::npos) return false;
    std::size_t size = 0;
    try {
      size = std::stoul(in.substr(pos, line_end - pos), nullptr, 16);
    } catch (const std::exception&) {
      return false;
    }
    pos = line_end + 2;
    if (size == 0) return true;
    if (pos + size > in.size()) return false;
    out.append(in, pos, size);
    pos += size + 2;
  }
}

}  // namespace

nlohmann::json HttpResponse::json() const {
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

std::string HttpResponse::header(const std::string& name) const {
  const auto it = headers.find(lower(name));
  return it == headers.end() ? std::string{} : it->second;
}

std::string HttpResponse::describe() const {
  if (status == 0) return "no answer: " + error;
  return std::to_string(status) + " " + body.substr(0, 2000);
}

HttpResponse parse_http_response(const std::string& bytes) {
  HttpResponse response;
  const auto head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    response.error = bytes.empty() ? "the connection closed without an answer"
                                   : "incomplete answer: " + bytes.substr(0, 200);
    return response;
  }
  const std::string head = bytes.substr(0, head_end);
  const std::string status_line = head.substr(0, head.find("\r\n"));
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) {
    response.error = "bad status line: " + status_line;
    return response;
  }
  response.status = std::atoi(status_line.c_str() + 9);
  wire::for_each_header(head, [&response](const std::string& name, const std::string& value) {
    auto [it, fresh] = response.headers.emplace(name, value);
    if (!fresh) it->second += ", " + value;  // repeated fields join (RFC 9110 5.3)
  });
  std::string body = bytes.substr(head_end + 4);
  if (lower(response.header("transfer-encoding")).find("chunked") != std::string::npos) {
    std::string decoded;
    if (!decode_chunked(body, decoded)) response.error = "bad chunked body";
    body = std::move(decoded);
  } else if (const auto length = response.header("content-length"); !length.empty()) {
    const auto n = static_cast<std::size_t>(std::stoul(length));
    if (body.size() < n) response.error = "body shorter than Content-Length";
    body.resize(std::min(body.size(), n));
  }
  response.body = std::move(body);
  return response;
}

namespace {

// Whether 127.0.0.1:`port` can be bound now (0: any; `port` gets the one bound).
bool can_bind(std::uint16_t& port) {
  Socket socket;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (::bind(socket.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return false;
  }
  socklen_t length = sizeof address;
  ::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return true;
}

// The lowest port the kernel hands out to outgoing connections
// (/proc/sys/net/ipv4/ip_local_port_range); 32768 when it cannot be read.
std::uint16_t ephemeral_low() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  unsigned low = 0;
  if (range >> low && low > 10001 && low <= 65535) return static_cast<std::uint16_t>(low);
  return 32768;
}

}  // namespace

std::uint16_t free_tcp_port() {
  // Below the ephemeral range: a port the kernel gave us and took back may at once become
  // the local port of some test's outgoing connection, and the server meant to bind it
  // then fails with "Address already in use".
  static std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<unsigned> pick(10000, ephemeral_low() - 1U);
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto port = static_cast<std::uint16_t>(pick(random));
    if (can_bind(port)) return port;
  }
  std::uint16_t any = 0;
  if (!can_bind(any)) throw std::runtime_error("free_tcp_port: bind failed");
  return any;
}

HttpClient::HttpClient(std::uint16_t port, std::string host, std::string token)
    : port_(port), host_(std::move(host)), token_(std::move(token)) {}

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::string& body, const HttpHeaders& headers,
                                 std::chrono::milliseconds timeout) const {
  std::string raw_request = method + " " + target + " HTTP/1.1\r\n";
  raw_request += "Host: " + host_ + ":" + std::to_string(port_) + "\r\n";
  raw_request += "Connection: close\r\n";
  bool has_content_type = false;
  bool has_authorization = false;
  for (const auto& [name, value] : headers) {
    if (lower(name) == "content-type") has_content_type = true;
    if (lower(name) == "authorization") has_authorization = true;
    raw_request += name + ": " + value + "\r\n";
  }
  if (!token_.empty() && !has_authorization) {
    raw_request += "Authorization: Bearer " + token_ + "\r\n";
  }
  if (!body.empty() || method == "POST" || method == "PUT") {
    if (!body.empty() && !has_content_type) raw_request += "Content-Type: application/json\r\n";
    raw_request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  raw_request += "\r\n";
  raw_request += body;
  return raw(raw_request, timeout);
}

HttpResponse HttpClient::raw(const std::string& raw_request,
                             std::chrono::milliseconds timeout) const {
  HttpResponse failed;
  Socket socket;
  if (socket.fd() < 0) {
    failed.error = "socket() failed";
    return failed;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  if (::inet_pton(AF_INET, host_ == "localhost" ? "127.0.0.1" : host_.c_str(), &address.sin_addr) !=
      1) {
    failed.error = "not an IPv4 address: " + host_;
    return failed;
  }
  if (::connect(socket.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    failed.error = "cannot connect to port " + std::to_string(port_) + ": " + std::strerror(errno);
    return failed;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left_ms = [&] {
    return static_cast<int>(std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now())
               .count()));
  };
  std::size_t written = 0;
  while (written < raw_request.size()) {
    pollfd pfd{socket.fd(), POLLOUT, 0};
    if (::poll(&pfd, 1, left_ms()) <= 0) {
      failed.error = "timed out while sending the request";
      return failed;
    }
    const ssize_t n = ::send(socket.fd(), raw_request.data() + written,
                             raw_request.size() - written, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      // The server may answer early (413) and close: read what it said.
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  std::string received;
  for (;;) {
    pollfd pfd{socket.fd(), POLLIN, 0};
    const int ready = ::poll(&pfd, 1, left_ms());
    if (ready == 0) {
      failed.error =
          "timed out waiting for the answer (got " + std::to_string(received.size()) + " bytes)";
      if (!received.empty()) {
        auto partial = parse_http_response(received);
        if (partial.status != 0 && partial.error.empty()) return partial;
      }
      return failed;
    }
    if (ready < 0) {
      if (errno == EINTR) continue;
      failed.error = "poll failed";
      return failed;
    }
    char buffer[16384];
    const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // closed (or reset after an early answer)
    received.append(buffer, static_cast<std::size_t>(n));
  }
  return parse_http_response(received);
}

}  // namespace smsgw::harness
