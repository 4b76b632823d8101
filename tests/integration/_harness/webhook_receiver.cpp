#include "harness/webhook_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
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
// `receive` reads what is there (0 or less: closed or failed); `ready` waits up to 100 ms
// for more.
template <class Receive, class Ready>
bool read_request(Receive receive, Ready ready, std::string& bytes, std::size_t& head_end) {
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
    if (!ready()) continue;
    char buffer[8192];
    const long n = receive(buffer, sizeof buffer);
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

struct WebhookReceiver::Tls {
  SSL_CTX* context = nullptr;
  ~Tls() { SSL_CTX_free(context); }
};

namespace {

std::shared_ptr<WebhookReceiver::Tls> make_tls(const std::string& certificate_pem,
                                               const std::string& key_pem) {
  auto tls = std::make_shared<WebhookReceiver::Tls>();
  tls->context = SSL_CTX_new(TLS_server_method());
  BIO* cert_bio = BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size()));
  X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  BIO_free(cert_bio);
  BIO* key_bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  BIO_free(key_bio);
  const bool ok = cert != nullptr && key != nullptr &&
                  SSL_CTX_use_certificate(tls->context, cert) == 1 &&
                  SSL_CTX_use_PrivateKey(tls->context, key) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  if (!ok) throw std::runtime_error("WebhookReceiver: bad certificate or key");
  return tls;
}

}  // namespace

WebhookReceiver::WebhookReceiver(const std::string& certificate_pem, const std::string& key_pem,
                                 int fail_first)
    : tls_(make_tls(certificate_pem, key_pem)), fail_remaining_(fail_first) {
  start();
}

void WebhookReceiver::set_certificate(const std::string& certificate_pem,
                                      const std::string& key_pem) {
  auto tls = make_tls(certificate_pem, key_pem);
  std::lock_guard lock(mutex_);
  tls_ = std::move(tls);
}

int WebhookReceiver::handshake_failures() const {
  std::lock_guard lock(mutex_);
  return handshake_failures_;
}

WebhookReceiver::WebhookReceiver(int fail_first) : fail_remaining_(fail_first) { start(); }

void WebhookReceiver::start() {
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

std::string WebhookReceiver::url(const std::string& path, const std::string& host) const {
  return std::string(tls_ ? "https://" : "http://") + host + ":" + std::to_string(port_) + path;
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
  std::shared_ptr<Tls> tls;
  {
    std::lock_guard lock(mutex_);
    tls = tls_;
  }
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(nullptr, SSL_free);
  if (tls) {
    timeval five_seconds{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
    ssl.reset(SSL_new(tls->context));
    SSL_set_fd(ssl.get(), fd);
    if (SSL_accept(ssl.get()) != 1) {
      ERR_clear_error();
      {
        std::lock_guard lock(mutex_);
        ++handshake_failures_;
      }
      arrived_.notify_all();
      return;
    }
  }
  auto receive = [&](char* buffer, std::size_t size) -> long {
    if (ssl) return SSL_read(ssl.get(), buffer, static_cast<int>(size));
    return ::recv(fd, buffer, size, 0);
  };
  auto ready = [&]() {
    if (ssl) return true;  // SSL_read blocks up to SO_RCVTIMEO
    pollfd pfd{fd, POLLIN, 0};
    return ::poll(&pfd, 1, 100) > 0;
  };
  std::string bytes;
  std::size_t head_end = 0;
  if (!read_request(receive, ready, bytes, head_end)) return;
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
  if (ssl) {
    SSL_write(ssl.get(), answer.data(), static_cast<int>(answer.size()));
    SSL_shutdown(ssl.get());
  } else {
    ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
  }
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(request));
  }
  arrived_.notify_all();
}

}  // namespace smsgw::harness
