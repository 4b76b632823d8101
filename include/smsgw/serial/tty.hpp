// Opening a serial port (or a pseudo-terminal) for one exclusive owner.
//
// open_tty() opens with O_RDWR|O_NOCTTY|O_NONBLOCK|O_CLOEXEC, takes flock(LOCK_EX|LOCK_NB)
// and TIOCEXCL so two processes never drive one modem, and sets raw termios (cfmakeraw,
// the requested baud rate, CLOCAL|CREAD, 8N1, no hardware or software flow control).
// The flock lives as long as the descriptor. On pseudo-terminals the TIOCEXCL flag outlives
// it: close through at::PosixStream (which clears it) or clear it with ioctl(TIOCNXCL). Errors are
// values naming the port and why:
//   "serial.missing"        the path does not exist (ENOENT/ENODEV/ENXIO)
//   "serial.busy"           another process holds it ("locked by pid N" when /proc/locks says)
//   "serial.permission"     EACCES/EPERM, with the hint to add the user to group dialout
//   "serial.not_a_tty"      the path is not a terminal
//   "serial.bad_baud"       the baud rate has no termios constant
//   "serial.io"             anything else, with strerror
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "smsgw/common/result.hpp"
#include "smsgw/serial/unique_fd.hpp"

namespace smsgw::serial {

struct TtyOptions {
  int baud = 115200;
  bool exclusive = true;  // flock + TIOCEXCL
};

Result<UniqueFd> open_tty(const std::string& path, const TtyOptions& options = {});

// The pid holding an flock/POSIX lock on the file with this device and inode, read from
// the text of /proc/locks ("1: FLOCK  ADVISORY  WRITE 1234 00:05:85 0 EOF"). Pure.
std::optional<pid_t> lock_holder_from_proc_locks(std::string_view proc_locks, unsigned dev_major,
                                                 unsigned dev_minor, unsigned long inode);

// True when `baud` has a termios speed constant (B9600 ... B4000000).
bool is_supported_baud(int baud);

}  // namespace smsgw::serial
