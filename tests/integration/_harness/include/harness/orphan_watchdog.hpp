// OrphanWatchdog: a forked process that SIGKILLs a test's servers once the test process is
// gone. A server started as another user (PostgreSQL and Kannel refuse or drop root) does
// not get the test's parent-death signal, so a killed test would leave it running.
//
// Contract: start() forks a child that polls its parent every 200 ms and, when the parent
// has died, SIGKILLs every pid in `victims`. stop() (also the destructor) kills and reaps
// the child; stop it before reaping a victim, so that it never signals a reused pid.
#pragma once

#include <sys/types.h>

#include <vector>

namespace smsgw::harness {

class OrphanWatchdog {
 public:
  OrphanWatchdog() = default;
  ~OrphanWatchdog() { stop(); }
  OrphanWatchdog(const OrphanWatchdog&) = delete;
  OrphanWatchdog& operator=(const OrphanWatchdog&) = delete;

  // Replaces a running watchdog. When fork fails there is none: only a crash of the test
  // would then leave the victims behind.
  void start(const std::vector<pid_t>& victims);
  void stop();

 private:
  pid_t pid_ = -1;
};

}  // namespace smsgw::harness
