// PtyPort: one pseudo-terminal standing in for a modem's USB serial port.
//
// The master end belongs to the simulator; `link` (DIR/modemN) points at the slave tty.
// Both ends are raw (cfmakeraw: a cooked PTY rewrites line endings). The simulator keeps
// one slave descriptor of its own open, so the master never reads EIO while no gateway
// has the port open; an inotify watch on the slave tells when a gateway opens and closes
// it. Destruction closes everything and removes the link: the gateway's reads then fail
// (EIO / hang-up), as when a USB modem is unplugged.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw::sim {

class PtyPort {
 public:
  static Result<std::unique_ptr<PtyPort>> create(asio::io_context& io,
                                                 const std::filesystem::path& link);
  ~PtyPort();
  PtyPort(const PtyPort&) = delete;
  PtyPort& operator=(const PtyPort&) = delete;

  asio::posix::stream_descriptor& master() { return master_; }
  asio::posix::stream_descriptor& watch() { return watch_; }
  [[nodiscard]] const std::string& slave_name() const { return slave_name_; }
  [[nodiscard]] const std::filesystem::path& link() const { return link_; }

  // Reads pending inotify events without blocking and reports each, in order: true for
  // a gateway opening the slave, false for one closing it.
  void drain_open_events(const std::function<void(bool opened)>& on_event);
  // Closes both ends (pending reads fail) and removes the link; idempotent.
  void close();
  // Drops bytes written to the gateway that nobody read (the port was closed).
  void discard_unread_output();

 private:
  PtyPort(asio::io_context& io, int master_fd, int slave_fd, int inotify_fd, std::string slave,
          std::filesystem::path link);

  asio::posix::stream_descriptor master_;
  asio::posix::stream_descriptor watch_;
  int own_slave_fd_;
  bool closed_ = false;
  std::string slave_name_;
  std::filesystem::path link_;
};

}  // namespace smsgw::sim
