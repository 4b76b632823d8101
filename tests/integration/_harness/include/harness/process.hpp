// Child processes for integration tests: long-running ones (smsgw serve, smsgw-sim) whose
// output goes to a log file, and short commands whose output is captured.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace smsgw::harness {

using namespace std::chrono_literals;

// Paths of the binaries under test in this build tree.
std::string smsgw_binary();
std::string sim_binary();

// A process started in the background. stdout and stderr both go (appended) to `log`.
// The destructor kills a process still running (SIGKILL) and reaps it, so a failing test
// never leaves children behind.
class ChildProcess {
 public:
  // `argv[0]` is the program's path. `environment` empty: the caller's environment.
  // Throws std::runtime_error when fork/exec set-up fails.
  ChildProcess(std::vector<std::string> argv, std::filesystem::path log,
               std::vector<std::string> environment = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] const std::filesystem::path& log_path() const noexcept { return log_; }
  // The log so far.
  [[nodiscard]] std::string log() const;
  // The last `lines` lines of the log (for failure messages).
  [[nodiscard]] std::string log_tail(std::size_t lines = 40) const;

  // True while the process has not exited (reaps it when it has).
  bool running();
  // The exit status once known: the exit code, or 128 + signal number when killed.
  [[nodiscard]] std::optional<int> exit_code() const noexcept { return exit_code_; }

  // Waits up to `timeout` for the process to exit; its exit code, or nullopt if it still runs.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  // SIGTERM, then waits up to `timeout`; if it is still running then, SIGKILL. Returns the
  // exit code (128 + 9 when it had to be killed).
  int terminate(std::chrono::milliseconds timeout = 10s);
  // SIGKILL now and reap: a crash as far as the process can tell.
  int kill_hard();
  // Sends any signal (no waiting).
  void signal(int signal_number);

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed (also after the timeout: 128 + 9)
  std::string out;
  std::string err;
};

// Runs `argv` to completion, capturing stdout and stderr; killed after `timeout`.
// `environment` empty: the caller's environment; otherwise exactly these "NAME=value".
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::vector<std::string>& environment = {},
                          std::chrono::milliseconds timeout = 30s);

}  // namespace smsgw::harness
