// PortOpener: the seam between the modem actor and the operating system's ports, so tests
// can hand the actor in-memory streams instead of ttys.
#pragma once

#include <memory>
#include <string>

#include "smsgw/at/byte_stream.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw::modem {

class PortOpener {
 public:
  virtual ~PortOpener() = default;
  // Opens `port` for exclusive use. Errors use the serial codes ("serial.missing" when
  // the path does not exist, "serial.busy", "serial.permission", ...).
  virtual Result<std::unique_ptr<at::ByteStream>> open(asio::any_io_executor executor,
                                                       const std::string& port, int baud) = 0;
  // True when the port path exists now (a USB modem re-enumerating makes it vanish and
  // come back).
  virtual bool exists(const std::string& port) = 0;
};

// Real ports and pseudo-terminals: serial::open_tty (raw termios, flock + TIOCEXCL) into
// an at::PosixStream.
std::shared_ptr<PortOpener> make_tty_port_opener();

}  // namespace smsgw::modem
