#include "smsgw/serial/tty.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "smsgw/at/posix_stream.hpp"

namespace smsgw::serial {
namespace {

// A pseudo-terminal pair; the test opens the slave by name like a serial port.
struct Pty {
  Pty() {
    char name[256] = {};
    if (::openpty(&master, &slave_keepalive, name, nullptr, nullptr) != 0) {
      ADD_FAILURE() << "openpty failed";
    }
    slave_name = name;
    // The test holds no slave descriptor of its own, so the locks seen are open_tty's.
    ::close(slave_keepalive);
    slave_keepalive = -1;
  }
  ~Pty() {
    if (master >= 0) ::close(master);
  }
  int master = -1;
  int slave_keepalive = -1;
  std::string slave_name;
};

TEST(OpenTty, OpensAPseudoTerminalInRawModeAtTheBaudRate) {
  Pty pty;
  auto fd = open_tty(pty.slave_name, TtyOptions{.baud = 9600});
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  termios settings{};
  ASSERT_EQ(::tcgetattr(fd->get(), &settings), 0);
  EXPECT_EQ(settings.c_lflag & (ICANON | ECHO | ISIG), 0U);
  EXPECT_EQ(settings.c_oflag & OPOST, 0U);
  EXPECT_EQ(settings.c_iflag & (ICRNL | IXON | IXOFF), 0U);
  EXPECT_NE(settings.c_cflag & CLOCAL, 0U);
  EXPECT_NE(settings.c_cflag & CREAD, 0U);
  EXPECT_EQ(settings.c_cflag & CRTSCTS, 0U);
  EXPECT_EQ(::cfgetospeed(&settings), B9600);
  const int flags = ::fcntl(fd->get(), F_GETFL);
  EXPECT_NE(flags & O_NONBLOCK, 0);
  EXPECT_NE(::fcntl(fd->get(), F_GETFD) & FD_CLOEXEC, 0);
}

TEST(OpenTty, CarriageReturnsPassUnchangedInBothDirections) {
  Pty pty;
  auto fd = open_tty(pty.slave_name);
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  termios master_settings{};
  ASSERT_EQ(::tcgetattr(pty.master, &master_settings), 0);
  ::cfmakeraw(&master_settings);
  ASSERT_EQ(::tcsetattr(pty.master, TCSANOW, &master_settings), 0);

  ASSERT_EQ(::write(fd->get(), "AT\r", 3), 3);
  char buffer[16] = {};
  ASSERT_EQ(::read(pty.master, buffer, sizeof buffer), 3);
  EXPECT_EQ(std::string(buffer, 3), "AT\r");
  ASSERT_EQ(::write(pty.master, "\r\nOK\r\n", 6), 6);
  ::usleep(0);
  ssize_t got = -1;
  for (int attempt = 0; attempt < 1000 && got < 0; ++attempt)
    got = ::read(fd->get(), buffer, sizeof buffer);
  ASSERT_EQ(got, 6);
  EXPECT_EQ(std::string(buffer, 6), "\r\nOK\r\n");
}

TEST(OpenTty, SecondOpenIsBusyAndNamesTheLockHolder) {
  Pty pty;
  auto first = open_tty(pty.slave_name);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = open_tty(pty.slave_name);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "serial.busy");
  EXPECT_NE(second.error().message.find(pty.slave_name), std::string::npos);
  if (::geteuid() == 0) {
    // root passes TIOCEXCL, so flock reports it, and /proc/locks names this process.
    EXPECT_NE(second.error().message.find("pid " + std::to_string(::getpid())), std::string::npos)
        << second.error().message;
  }
  first->reset();
  auto third = open_tty(pty.slave_name);
  EXPECT_TRUE(third.ok()) << third.error().message;
}

TEST(OpenTty, WithoutExclusiveTwoOpensWork) {
  Pty pty;
  auto first = open_tty(pty.slave_name, TtyOptions{.exclusive = false});
  ASSERT_TRUE(first.ok());
  auto second = open_tty(pty.slave_name, TtyOptions{.exclusive = false});
  EXPECT_TRUE(second.ok());
}

TEST(OpenTty, MissingPortSaysSo) {
  auto fd = open_tty("/dev/ttyUSB-smsgw-test-absent");
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.error().code, "serial.missing");
  EXPECT_NE(fd.error().message.find("/dev/ttyUSB-smsgw-test-absent"), std::string::npos);
}

TEST(OpenTty, NonTerminalIsRefused) {
  const auto path =
      std::filesystem::temp_directory_path() / ("smsgw-tty-test-" + std::to_string(::getpid()));
  std::ofstream(path) << "not a tty";
  auto fd = open_tty(path.string());
  std::filesystem::remove(path);
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.error().code, "serial.not_a_tty");

  auto null_device = open_tty("/dev/null");
  ASSERT_FALSE(null_device.ok());
  EXPECT_EQ(null_device.error().code, "serial.not_a_tty");
}

// The code and message open_tty() gives for `path`; when running as root, asked from a
// child process that has dropped to user "nobody" (root may open anything).
std::pair<std::string, std::string> open_as_unprivileged_user(const std::string& path) {
  if (::geteuid() != 0) {
    auto fd = open_tty(path);
    if (fd.ok()) return {"ok", ""};
    return {fd.error().code, fd.error().message};
  }
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return {"pipe failed", ""};
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    std::string answer = "setuid failed\n";
    if (::setgid(65534) == 0 && ::setuid(65534) == 0) {
      auto fd = open_tty(path);
      answer = fd.ok() ? std::string("ok\n") : fd.error().code + "\n" + fd.error().message;
    }
    (void)!::write(pipe_fds[1], answer.data(), answer.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string answer;
  char buffer[512];
  for (ssize_t got; (got = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
    answer.append(buffer, got);
  ::close(pipe_fds[0]);
  ::waitpid(child, nullptr, 0);
  const auto newline = answer.find('\n');
  return {answer.substr(0, newline),
          newline == std::string::npos ? "" : answer.substr(newline + 1)};
}

TEST(OpenTty, PermissionDeniedNamesTheDialoutGroup) {
  const auto path =
      std::filesystem::temp_directory_path() / ("smsgw-tty-perm-" + std::to_string(::getpid()));
  std::ofstream(path) << "x";
  std::filesystem::permissions(path, std::filesystem::perms::none);
  const auto [code, message] = open_as_unprivileged_user(path.string());
  std::filesystem::remove(path);
  EXPECT_EQ(code, "serial.permission");
  EXPECT_NE(message.find("dialout"), std::string::npos) << message;
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
}

TEST(OpenTty, ExclusiveWhileOpenAndReopenableAfterPosixStreamCloses) {
  Pty pty;
  ASSERT_EQ(::chmod(pty.slave_name.c_str(), 0666), 0);
  auto fd = open_tty(pty.slave_name);
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  EXPECT_EQ(open_as_unprivileged_user(pty.slave_name).first, "serial.busy");
  asio::io_context io;
  at::PosixStream stream(io.get_executor(), fd->release(), pty.slave_name);
  stream.close();
  EXPECT_EQ(open_as_unprivileged_user(pty.slave_name).first, "ok");
}

TEST(OpenTty, UnsupportedBaudRateIsAnError) {
  Pty pty;
  auto fd = open_tty(pty.slave_name, TtyOptions{.baud = 123456});
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.error().code, "serial.bad_baud");
  EXPECT_TRUE(is_supported_baud(115200));
  EXPECT_TRUE(is_supported_baud(921600));
  EXPECT_FALSE(is_supported_baud(0));
}

TEST(LockHolder, FindsTheHolderInProcLocks) {
  // proc(5) format; the second line is a blocked waiter for the same file.
  const std::string text =
      "1: POSIX  ADVISORY  WRITE 712 fd:01:3670052 0 EOF\n"
      "2: FLOCK  ADVISORY  WRITE 4242 00:05:85 0 EOF\n"
      "2: -> FLOCK  ADVISORY  WRITE 5151 00:05:85 0 EOF\n"
      "3: OFDLCK ADVISORY  READ  -1 00:05:99 0 EOF\n";
  EXPECT_EQ(lock_holder_from_proc_locks(text, 0, 5, 85), 4242);
  EXPECT_EQ(lock_holder_from_proc_locks(text, 0xfd, 1, 3670052), 712);
  EXPECT_EQ(lock_holder_from_proc_locks(text, 0, 5, 99), std::nullopt);  // no pid for OFD locks
  EXPECT_EQ(lock_holder_from_proc_locks(text, 0, 5, 86), std::nullopt);
  EXPECT_EQ(lock_holder_from_proc_locks("garbage\n\n1: x\n", 0, 5, 85), std::nullopt);
}

}  // namespace
}  // namespace smsgw::serial
