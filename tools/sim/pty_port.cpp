#include "pty_port.hpp"

#include <fcntl.h>
#include <pty.h>
#include <sys/inotify.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace smsgw::sim {

namespace {

Error os_error(std::string what) {
  return make_error("sim.pty", what + ": " + std::strerror(errno));
}

void make_raw(int fd) {
  termios settings{};
  if (tcgetattr(fd, &settings) == 0) {
    cfmakeraw(&settings);
    tcsetattr(fd, TCSANOW, &settings);
  }
}

}  // namespace

Result<std::unique_ptr<PtyPort>> PtyPort::create(asio::io_context& io,
                                                 const std::filesystem::path& link) {
  int master = -1, slave = -1;
  char name[128] = {};
  if (openpty(&master, &slave, name, nullptr, nullptr) != 0) return os_error("openpty");
  make_raw(master);
  make_raw(slave);
  fcntl(master, F_SETFD, FD_CLOEXEC);
  fcntl(slave, F_SETFD, FD_CLOEXEC);
  const int watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (watch < 0 ||
      inotify_add_watch(watch, name, IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE) < 0) {
    Error error = os_error(std::string("inotify on ") + name);
    if (watch >= 0) ::close(watch);
    ::close(master);
    ::close(slave);
    return error;
  }
  // Replace the link atomically so a gateway polling for it never sees a half state.
  std::filesystem::path temporary = link;
  temporary += ".new";
  std::error_code ec;
  std::filesystem::remove(temporary, ec);
  std::filesystem::create_symlink(name, temporary, ec);
  if (!ec) std::filesystem::rename(temporary, link, ec);
  if (ec) {
    ::close(watch);
    ::close(master);
    ::close(slave);
    return make_error("sim.pty", "link " + link.string() + ": " + ec.message());
  }
  return std::unique_ptr<PtyPort>(new PtyPort(io, master, slave, watch, name, link));
}

PtyPort::PtyPort(asio::io_context& io, int master_fd, int slave_fd, int inotify_fd,
                 std::string slave, std::filesystem::path link)
    : master_(io, master_fd),
      watch_(io, inotify_fd),
      own_slave_fd_(slave_fd),
      slave_name_(std::move(slave)),
      link_(std::move(link)) {
  master_.non_blocking(true);
}

PtyPort::~PtyPort() { close(); }

void PtyPort::close() {
  if (closed_) return;
  closed_ = true;
  std::error_code ec;
  // Only our own link: a newer port may already have replaced it.
  if (std::filesystem::is_symlink(link_, ec) &&
      std::filesystem::read_symlink(link_, ec) == slave_name_)
    std::filesystem::remove(link_, ec);
  error_code ignored;
  watch_.close(ignored);
  master_.close(ignored);
  ::close(own_slave_fd_);
}

void PtyPort::drain_open_events(const std::function<void(bool opened)>& on_event) {
  if (closed_) return;
  alignas(inotify_event) char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(watch_.native_handle(), buffer, sizeof buffer);
    if (n <= 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
      if (event->mask & IN_OPEN) on_event(true);
      if (event->mask & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE)) on_event(false);
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
}

void PtyPort::discard_unread_output() {
  if (!closed_) tcflush(own_slave_fd_, TCIFLUSH);
}

}  // namespace smsgw::sim
