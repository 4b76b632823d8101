// ServeHarness: the real `smsgw serve` against `smsgw-sim`, for black-box tests.
//
//   harness::ServeHarness gw;                   // 2 modems: 26201 (Telekom), 26202 (Vodafone)
//   auto id = gw.submit_ok("+491511234567", "hello");
//   auto message = gw.wait_status(id, {"delivered"});
//
// What it does, in order:
//   1. a temporary folder (TempDir "smsgw-serve-XXXXXX"): sim/ (the simulator's ports,
//      control.sock, sent.jsonl), smsgw.toml, smsgw.db, serve.log, sim.log;
//   2. smsgw-sim with HarnessOptions::sim (fast latencies by default);
//   3. smsgw.toml from GatewayConfig::defaults (a free port on 127.0.0.1, the port glob of
//      the simulator, two operators; see gateway_config.hpp), then HarnessOptions::configure;
//   4. `smsgw serve --config smsgw.toml`, waiting for GET /healthz and for every simulated
//      modem to be `ready` in GET /api/v1/modems (HarnessOptions::expect_ready).
// The destructor stops serve (SIGTERM) and the simulator. Every failure of the harness
// itself throws std::runtime_error whose message ends with the tail of serve.log.
//
// Stable API for other suites: the members below keep their meaning; new ones may be added.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/gateway_config.hpp"
#include "harness/http_client.hpp"
#include "harness/process.hpp"
#include "harness/simulator.hpp"
#include "harness/temp_dir.hpp"

namespace smsgw::harness {

using namespace std::chrono_literals;

struct HarnessOptions {
  SimOptions sim;
  // Edits the generated config before the first start (operators, limits, tokens...).
  std::function<void(GatewayConfig&)> configure;
  // How many modems must be `ready` before the constructor returns; -1: all of sim.modems.
  int expect_ready = -1;
  // false: the constructor starts only the simulator (call start_gateway() yourself).
  bool start_gateway = true;
  // Added to the test's environment for `smsgw serve` (e.g. libfaketime's LD_PRELOAD and
  // FAKETIME to run it on a clock the test sets).
  std::vector<std::string> serve_environment;
};

// Polls `done` every 20 ms until it is true; throws std::runtime_error naming `what` after
// `timeout`.
void wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                const std::string& what);

class ServeHarness {
 public:
  explicit ServeHarness(HarnessOptions options = {});
  ~ServeHarness();
  ServeHarness(const ServeHarness&) = delete;
  ServeHarness& operator=(const ServeHarness&) = delete;

  // ---- Where things are ---------------------------------------------------------------
  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_.path(); }
  [[nodiscard]] std::filesystem::path config_path() const { return dir() / "smsgw.toml"; }
  [[nodiscard]] std::filesystem::path database_path() const { return dir() / "smsgw.db"; }
  [[nodiscard]] std::uint16_t http_port() const noexcept { return http_port_; }
  // "http://127.0.0.1:<port>" (for `smsgw ... --url`).
  [[nodiscard]] std::string base_url() const;
  // The first configured token, or "" when the API has none.
  [[nodiscard]] const std::string& token() const noexcept { return token_; }
  Simulator& sim() noexcept { return *sim_; }
  TempDir& temp_dir() noexcept { return dir_; }
  // The config of the next start; edit it, then restart_gateway() to apply.
  GatewayConfig& config() noexcept { return config_; }

  // ---- The gateway process ------------------------------------------------------------
  // Writes the config, starts serve and waits until it is up (healthz, `expect_ready`
  // modems ready). Throws when serve exits or is not up within `timeout`.
  void start_gateway(int expect_ready = -1, std::chrono::milliseconds timeout = 15s);
  // SIGTERM; waits up to `timeout`; returns the exit code (128 + 9 when it had to be killed).
  int stop_gateway(std::chrono::milliseconds timeout = 15s);
  // SIGKILL: a crash, nothing flushed or closed by the gateway.
  void kill_gateway();
  // Writes config() to the config file and sends serve SIGHUP (a live reload).
  void reload_gateway();
  [[nodiscard]] bool gateway_running();
  // The serve process's id (-1 when it is not running), e.g. to read its CPU time.
  [[nodiscard]] pid_t gateway_pid() const;
  // serve.log: everything serve printed, across restarts.
  [[nodiscard]] std::string gateway_log() const;
  [[nodiscard]] std::string gateway_log_tail(std::size_t lines = 60) const;
  // Waits until GET /api/v1/modems lists at least `count` modems in service: `ready`, or
  // `sending` (a modem busy with a backlog may never be seen idle).
  nlohmann::json wait_modems_ready(int count, std::chrono::milliseconds timeout = 15s);

  // ---- The API --------------------------------------------------------------------------
  // A client for the gateway's port, carrying token() when there is one.
  [[nodiscard]] HttpClient client() const;
  // POST /api/v1/messages {"to", "text"} + `extra` fields; the raw answer.
  HttpResponse submit(const std::string& to, const std::string& text,
                      const nlohmann::json& extra = nlohmann::json::object(),
                      const HttpHeaders& headers = {}) const;
  // Like submit(), but throws unless the answer is 202; returns the message id.
  std::string submit_ok(const std::string& to, const std::string& text,
                        const nlohmann::json& extra = nlohmann::json::object()) const;
  // GET /api/v1/messages/{id} (throws unless 200).
  nlohmann::json message(const std::string& id) const;
  // Polls the message until its status is one of `statuses`; returns it. Throws after
  // `timeout` with the message's last state.
  nlohmann::json wait_status(const std::string& id, const std::set<std::string>& statuses,
                             std::chrono::milliseconds timeout = 15s) const;
  // GET /api/v1/modems (throws unless 200).
  nlohmann::json modems() const;
  // Every message in the store, newest first (follows next_before).
  std::vector<nlohmann::json> all_messages() const;

  // ---- The CLI --------------------------------------------------------------------------
  // Runs `smsgw <args...> --url <base_url()>` (for the client subcommands: modems, balance,
  // ussd, send, messages, message, inbox) in a clean environment: PATH, LANG=C.UTF-8,
  // SMSGW_TOKEN=token() when the API has tokens, then `extra_environment`. Other
  // subcommands: run_command({smsgw_binary(), ...}) directly.
  CommandResult run_cli(std::vector<std::string> args,
                        const std::vector<std::string>& extra_environment = {},
                        std::chrono::milliseconds timeout = 30s) const;

 private:
  [[noreturn]] void fail(const std::string& what) const;

  TempDir dir_;
  std::unique_ptr<Simulator> sim_;
  GatewayConfig config_;
  std::uint16_t http_port_ = 0;
  std::string token_;
  int expect_ready_ = -1;
  std::vector<std::string> serve_environment_;
  std::unique_ptr<ChildProcess> serve_;
};

}  // namespace smsgw::harness
