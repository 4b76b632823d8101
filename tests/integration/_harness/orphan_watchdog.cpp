#include "harness/orphan_watchdog.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <ctime>

namespace smsgw::harness {

void OrphanWatchdog::start(const std::vector<pid_t>& victims) {
  stop();
  const pid_t test = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return;
  if (pid == 0) {
    // Async-signal-safe calls only (the test process has threads). No inherited fds.
    ::close_range(3, ~0U, 0);
    const timespec tick{0, 200'000'000};
    while (::getppid() == test) ::nanosleep(&tick, nullptr);
    for (const pid_t victim : victims) ::kill(victim, SIGKILL);
    ::_exit(0);
  }
  pid_ = pid;
}

void OrphanWatchdog::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace smsgw::harness
