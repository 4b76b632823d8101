#include "process.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace smsgw::bench {
namespace {

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool parse_int(std::string_view text, int& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} && end == text.data() + text.size() && value >= 0;
}

bool fill_cpu_set(const std::vector<int>& cpus, cpu_set_t& set) {
  CPU_ZERO(&set);
  for (const int cpu : cpus) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return false;
    CPU_SET(cpu, &set);
  }
  return true;
}

}  // namespace

std::string smsgw_binary() { return SMSGW_BENCH_SMSGW_BINARY; }
std::string sim_binary() { return SMSGW_BENCH_SIM_BINARY; }

std::optional<std::vector<int>> parse_cpu_list(std::string_view text) {
  std::vector<int> cpus;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const auto dash = item.find('-');
    int first = 0;
    int last = 0;
    if (dash == std::string_view::npos) {
      if (!parse_int(item, first)) return std::nullopt;
      last = first;
    } else if (!parse_int(item.substr(0, dash), first) || !parse_int(item.substr(dash + 1), last) ||
               last < first) {
      return std::nullopt;
    }
    for (int cpu = first; cpu <= last; ++cpu) cpus.push_back(cpu);
  }
  return cpus;
}

bool pin_self(const std::vector<int>& cpus) {
  if (cpus.empty()) return true;
  cpu_set_t set;
  return fill_cpu_set(cpus, set) && sched_setaffinity(0, sizeof set, &set) == 0;
}

ChildProcess::ChildProcess(std::vector<std::string> argv, std::filesystem::path log,
                           std::vector<int> cpus)
    : log_(std::move(log)) {
  if (argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
  cpu_set_t set;
  if (!fill_cpu_set(cpus, set)) throw std::invalid_argument("ChildProcess: bad CPU number");
  const int log_fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open " + log_.string());
  std::vector<char*> args;
  for (auto& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) {
    ::close(log_fd);
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlives the benchmark
    if (!cpus.empty() && sched_setaffinity(0, sizeof set, &set) != 0) _exit(126);
    execv(args[0], args.data());
    _exit(127);
  }
  ::close(log_fd);
}

ChildProcess::~ChildProcess() { stop(); }

bool ChildProcess::running() {
  if (pid_ <= 0 || exit_code_) return false;
  int status = 0;
  const pid_t done = waitpid(pid_, &status, WNOHANG);
  if (done == pid_) {
    exit_code_ = decode_status(status);
    return false;
  }
  return done == 0;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (!running()) return exit_code_.value_or(-1);
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      exit_code_ = decode_status(status);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_.value_or(-1);
}

std::string ChildProcess::log_tail(std::size_t lines) const {
  const std::string text = read_file(log_);
  std::size_t start = text.size();
  for (std::size_t seen = 0; start > 0 && seen <= lines; ++seen) {
    const auto newline = text.rfind('\n', start - 1);
    if (newline == std::string::npos) return text;
    start = newline;
  }
  return text.substr(start + 1);
}

double process_cpu_seconds(pid_t pid) {
  // /proc/<pid>/stat: the command name (field 2) may hold spaces; utime and stime are
  // fields 14 and 15, counted after the closing parenthesis.
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14) utime = std::stoull(field);
    if (index == 15) {
      stime = std::stoull(field);
      break;
    }
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double self_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

MemoryUse process_memory(pid_t pid) {
  std::istringstream status(read_file("/proc/" + std::to_string(pid) + "/status"));
  MemoryUse use;
  std::string line;
  while (std::getline(status, line)) {
    const auto value = [&] { return std::stol(line.substr(line.find(':') + 1)); };
    if (line.starts_with("VmHWM:")) use.peak_kib = value();
    if (line.starts_with("VmRSS:")) use.resident_kib = value();
  }
  return use;
}

std::string filesystem_type(const std::filesystem::path& path) {
  struct statfs info {};
  if (statfs(path.c_str(), &info) != 0) return "unknown";
  switch (static_cast<unsigned long>(info.f_type)) {
    case EXT4_SUPER_MAGIC:
      return "ext4";
    case TMPFS_MAGIC:
      return "tmpfs";
    case OVERLAYFS_SUPER_MAGIC:
      return "overlay";
    case BTRFS_SUPER_MAGIC:
      return "btrfs";
    case XFS_SUPER_MAGIC:
      return "xfs";
    default: {
      char text[40];
      std::snprintf(text, sizeof text, "fs magic 0x%lx", static_cast<unsigned long>(info.f_type));
      return text;
    }
  }
}

FsyncCost fsync_probe(const std::filesystem::path& dir, int samples) {
  const auto path = dir / ".fsync-probe";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return {};
  const std::string block(4096, 'x');
  const auto timed_write = [&](off_t offset, std::vector<double>& ms) {
    if (::pwrite(fd, block.data(), block.size(), offset) != static_cast<ssize_t>(block.size())) {
      return false;
    }
    const auto t0 = std::chrono::steady_clock::now();
    if (::fdatasync(fd) != 0) return false;
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    return true;
  };
  std::vector<double> append;
  std::vector<double> overwrite;
  for (int i = 0; i < samples && timed_write(off_t{4096} * i, append); ++i) {
  }
  for (int i = 0; i < samples && timed_write(off_t{4096} * i, overwrite); ++i) {
  }
  ::close(fd);
  std::filesystem::remove(path);
  const auto at = [](std::vector<double>& ms, double p) {
    if (ms.empty()) return 0.0;
    std::sort(ms.begin(), ms.end());
    return ms[static_cast<std::size_t>(p * static_cast<double>(ms.size() - 1))];
  };
  return {at(overwrite, 0.50), at(overwrite, 0.99), at(append, 0.50), at(append, 0.99)};
}

std::string describe(const FsyncCost& cost) {
  char text[128];
  std::snprintf(text, sizeof text, "fdatasync p50/p99: overwrite %.2f/%.2f ms, append %.2f/%.2f ms",
                cost.overwrite_p50_ms, cost.overwrite_p99_ms, cost.append_p50_ms,
                cost.append_p99_ms);
  return text;
}

std::string load_average() {
  std::string text = read_file("/proc/loadavg");
  const auto third = text.find(' ', text.find(' ', text.find(' ') + 1) + 1);
  return "load average " + text.substr(0, third);
}

unsigned short free_tcp_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free TCP port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace smsgw::bench
