// Processes for the end-to-end benchmarks: start `smsgw serve` and `smsgw-sim` in the
// background (optionally pinned to CPUs), and read what they cost (CPU time, memory) from
// /proc.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smsgw::bench {

// Paths of the binaries in this build tree.
std::string smsgw_binary();
std::string sim_binary();

// "0", "1", "0-1", "0,2-3" -> CPU numbers; nullopt when malformed. "" -> empty list.
std::optional<std::vector<int>> parse_cpu_list(std::string_view text);
// Pins the calling process (all its future threads) to `cpus`; an empty list does nothing.
// Returns false when the kernel refuses.
bool pin_self(const std::vector<int>& cpus);

// A process started in the background, stdout and stderr appended to `log`, pinned to
// `cpus` (empty: not pinned) from before exec. The destructor stops it (SIGTERM, then
// SIGKILL after 10 s) and reaps it. Throws std::runtime_error when fork/exec set-up fails.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, std::filesystem::path log,
               std::vector<int> cpus = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] const std::filesystem::path& log_path() const noexcept { return log_; }
  // True while the process has not exited (reaps it when it has).
  bool running();
  // SIGTERM, wait up to `grace`, then SIGKILL. The exit code (128 + signal when killed).
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // The last `lines` lines of the log.
  [[nodiscard]] std::string log_tail(std::size_t lines = 20) const;

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// utime + stime of every thread of `pid` (from /proc/<pid>/stat), in seconds.
double process_cpu_seconds(pid_t pid);
// CPU time of this process (all threads), in seconds.
double self_cpu_seconds();

struct MemoryUse {
  long peak_kib = 0;      // VmHWM: the most resident memory so far
  long resident_kib = 0;  // VmRSS now
};
MemoryUse process_memory(pid_t pid);

// The kind of file system `path` is on ("ext4", "tmpfs", "overlay", ...) or "fs magic 0x..".
std::string filesystem_type(const std::filesystem::path& path);
// What one durable commit costs on the disk under `dir` right now (milliseconds):
// fdatasync after overwriting a 4 KiB block in place (as SQLite rewrites its WAL after a
// checkpoint) and after appending one (as a growing WAL does). Disks shared with other work
// vary by 10x from minute to minute, so every benchmark prints this next to its figures.
struct FsyncCost {
  double overwrite_p50_ms = 0;
  double overwrite_p99_ms = 0;
  double append_p50_ms = 0;
  double append_p99_ms = 0;
};
FsyncCost fsync_probe(const std::filesystem::path& dir, int samples = 100);
std::string describe(const FsyncCost& cost);

// "load average 1.23 0.98 0.50" from /proc/loadavg.
std::string load_average();

// A TCP port on 127.0.0.1 that was free a moment ago.
unsigned short free_tcp_port();

}  // namespace smsgw::bench
