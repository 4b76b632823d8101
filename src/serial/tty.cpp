#include "smsgw/serial/tty.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace smsgw::serial {
namespace {

struct BaudRate {
  int baud;
  speed_t speed;
};

constexpr std::array kBaudRates = {
    BaudRate{1200, B1200},       BaudRate{2400, B2400},       BaudRate{4800, B4800},
    BaudRate{9600, B9600},       BaudRate{19200, B19200},     BaudRate{38400, B38400},
    BaudRate{57600, B57600},     BaudRate{115200, B115200},   BaudRate{230400, B230400},
    BaudRate{460800, B460800},   BaudRate{500000, B500000},   BaudRate{576000, B576000},
    BaudRate{921600, B921600},   BaudRate{1000000, B1000000}, BaudRate{1152000, B1152000},
    BaudRate{1500000, B1500000}, BaudRate{2000000, B2000000}, BaudRate{2500000, B2500000},
    BaudRate{3000000, B3000000}, BaudRate{3500000, B3500000}, BaudRate{4000000, B4000000},
};

std::string errno_text(int error) { return std::strerror(error); }

std::optional<pid_t> lock_holder(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  std::ifstream locks("/proc/locks");
  if (!locks) return std::nullopt;
  std::stringstream text;
  text << locks.rdbuf();
  return lock_holder_from_proc_locks(text.str(), major(info.st_dev), minor(info.st_dev),
                                     info.st_ino);
}

Error busy_error(const std::string& path) {
  if (const auto pid = lock_holder(path)) {
    return make_error("serial.busy", path + " is busy: locked by pid " + std::to_string(*pid) +
                                         " (another smsgw, or a tool such as ModemManager?)");
  }
  return make_error("serial.busy",
                    path + " is busy: another process has it open exclusively (ModemManager?)");
}

Error open_error(const std::string& path, int error) {
  switch (error) {
    case ENOENT:
    case ENODEV:
    case ENXIO:
      return make_error(ErrorCode::serial_missing, path + " does not exist (" + errno_text(error) +
                                                       "): is the modem plugged in?");
    case EACCES:
    case EPERM:
      return make_error("serial.permission",
                        path +
                            ": permission denied; add the user to group dialout "
                            "(usermod -aG dialout USER) and log in again");
    case EBUSY:
      return busy_error(path);
    default:
      return make_error("serial.io", path + ": open failed: " + errno_text(error));
  }
}

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  while (!line.empty()) {
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    const auto end = line.find_first_of(" \t");
    out.push_back(line.substr(0, end));
    if (end == std::string_view::npos) break;
    line.remove_prefix(end);
  }
  return out;
}

template <class Number>
std::optional<Number> parse_number(std::string_view text, int base) {
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

bool is_supported_baud(int baud) {
  for (const auto& rate : kBaudRates) {
    if (rate.baud == baud) return true;
  }
  return false;
}

std::optional<pid_t> lock_holder_from_proc_locks(std::string_view proc_locks, unsigned dev_major,
                                                 unsigned dev_minor, unsigned long inode) {
  // proc(5): "<n>: <type> <ADVISORY|MANDATORY> <READ|WRITE> <pid> <maj>:<min>:<inode> <start>
  // <end>", major and minor in hex; blocked waiters carry "->" after the number.
  while (!proc_locks.empty()) {
    const auto end = proc_locks.find('\n');
    const std::string_view line = proc_locks.substr(0, end);
    proc_locks.remove_prefix(end == std::string_view::npos ? proc_locks.size() : end + 1);
    const auto parts = fields(line);
    if (parts.size() < 6 || parts[1] == "->") continue;
    const std::string_view file = parts[5];
    const auto first = file.find(':');
    const auto second = file.find(':', first == std::string_view::npos ? 0 : first + 1);
    if (first == std::string_view::npos || second == std::string_view::npos) continue;
    const auto major_number = parse_number<unsigned>(file.substr(0, first), 16);
    const auto minor_number =
        parse_number<unsigned>(file.substr(first + 1, second - first - 1), 16);
    const auto inode_number = parse_number<unsigned long>(file.substr(second + 1), 10);
    const auto pid = parse_number<pid_t>(parts[4], 10);
    if (!major_number || !minor_number || !inode_number || !pid || *pid <= 0) continue;
    if (*major_number == dev_major && *minor_number == dev_minor && *inode_number == inode) {
      return *pid;
    }
  }
  return std::nullopt;
}

Result<UniqueFd> open_tty(const std::string& path, const TtyOptions& options) {
  const auto rate = std::find_if(kBaudRates.begin(), kBaudRates.end(),
                                 [&](const BaudRate& r) { return r.baud == options.baud; });
  if (rate == kBaudRates.end()) {
    return make_error("serial.bad_baud", path + ": baud rate " + std::to_string(options.baud) +
                                             " is not supported (use e.g. 115200)");
  }

  UniqueFd fd(::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) return open_error(path, errno);

  termios settings{};
  if (::tcgetattr(fd.get(), &settings) != 0) {
    if (errno == ENOTTY || errno == EINVAL) {
      return make_error("serial.not_a_tty",
                        path + " is not a terminal (a serial port was expected)");
    }
    return make_error("serial.io",
                      path + ": reading the terminal settings failed: " + errno_text(errno));
  }

  if (options.exclusive) {
    // flock: one owner among cooperating processes; it dies with the descriptor.
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) return busy_error(path);
      return make_error("serial.io", path + ": locking failed: " + errno_text(errno));
    }
    // TIOCEXCL: the kernel refuses further open()s of this tty (except by root). Best effort:
    // not every driver allows it, and flock already keeps smsgw instances apart.
    (void)::ioctl(fd.get(), TIOCEXCL);
  }
  // On pseudo-terminals TIOCEXCL outlives the descriptor: clear it if we fail from here on.
  struct ExclusiveFlagGuard {
    int fd;
    bool armed;
    ~ExclusiveFlagGuard() {
      if (armed) (void)::ioctl(fd, TIOCNXCL);
    }
  } exclusive_guard{fd.get(), options.exclusive};

  // Raw 8N1, no echo, no line editing, no flow control (docs/architecture.md pitfall 6).
  ::cfmakeraw(&settings);
  settings.c_cflag |= CLOCAL | CREAD;
  settings.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS | CSTOPB | PARENB);
  settings.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  settings.c_cc[VMIN] = 1;
  settings.c_cc[VTIME] = 0;
  ::cfsetispeed(&settings, rate->speed);
  ::cfsetospeed(&settings, rate->speed);
  if (::tcsetattr(fd.get(), TCSANOW, &settings) != 0) {
    return make_error("serial.io", path + ": setting raw mode at " + std::to_string(options.baud) +
                                       " baud failed: " + errno_text(errno));
  }
  ::tcflush(fd.get(), TCIFLUSH);  // drop bytes that were waiting from before we opened
  exclusive_guard.armed = false;
  return fd;
}

}  // namespace smsgw::serial
