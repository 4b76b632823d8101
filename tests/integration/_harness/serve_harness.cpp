#include "harness/serve_harness.hpp"

#include <unistd.h>

#include <csignal>
#include <stdexcept>
#include <thread>

namespace smsgw::harness {

using nlohmann::json;

void wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("timed out after " + std::to_string(timeout.count()) +
                               " ms waiting for " + what);
    }
    std::this_thread::sleep_for(20ms);
  }
}

ServeHarness::ServeHarness(HarnessOptions options)
    : dir_("smsgw-serve"),
      expect_ready_(options.expect_ready),
      serve_environment_(std::move(options.serve_environment)) {
  sim_ = std::make_unique<Simulator>(dir() / "sim", std::move(options.sim));
  http_port_ = free_tcp_port();
  config_ = GatewayConfig::defaults(sim_->port_glob(), http_port_);
  if (options.configure) options.configure(config_);
  if (options.start_gateway) start_gateway(expect_ready_);
}

ServeHarness::~ServeHarness() {
  if (serve_) serve_->terminate(10s);
  sim_.reset();
}

std::string ServeHarness::base_url() const {
  return "http://127.0.0.1:" + std::to_string(http_port_);
}

void ServeHarness::fail(const std::string& what) const {
  throw std::runtime_error(what + "\n--- serve.log (tail) ---\n" + gateway_log_tail() +
                           "\n--- sim.log (tail) ---\n" + sim_->log_tail(15));
}

void ServeHarness::start_gateway(int expect_ready, std::chrono::milliseconds timeout) {
  if (serve_ && serve_->running()) fail("start_gateway: serve is already running");
  // The token the client sends: the first of [http] tokens, parsed back from the TOML.
  token_.clear();
  if (auto http = config_.tables.find("http"); http != config_.tables.end()) {
    if (auto tokens = http->second.find("tokens"); tokens != http->second.end()) {
      const auto first = tokens->second.find('"');
      const auto end = first == std::string::npos ? first : tokens->second.find('"', first + 1);
      if (end != std::string::npos) token_ = tokens->second.substr(first + 1, end - first - 1);
    }
  }
  write_file(config_path(), config_.render());
  std::vector<std::string> environment;
  if (!serve_environment_.empty()) {
    for (char** entry = environ; *entry != nullptr; ++entry) environment.emplace_back(*entry);
    environment.insert(environment.end(), serve_environment_.begin(), serve_environment_.end());
  }
  serve_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{smsgw_binary(), "serve", "--config", config_path().string()},
      dir() / "serve.log", std::move(environment));
  const auto client_ = client();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (!serve_->running()) {
      fail("smsgw serve exited with code " + std::to_string(serve_->exit_code().value_or(-1)) +
           " during start-up");
    }
    if (client_.get("/healthz").status == 200) break;
    if (std::chrono::steady_clock::now() > deadline) fail("smsgw serve: /healthz never answered");
    std::this_thread::sleep_for(20ms);
  }
  const int ready = expect_ready >= 0    ? expect_ready
                    : expect_ready_ >= 0 ? expect_ready_
                                         : sim_->modems();
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  wait_modems_ready(ready, std::max(left, std::chrono::milliseconds(1000)));
}

int ServeHarness::stop_gateway(std::chrono::milliseconds timeout) {
  if (!serve_) return -1;
  return serve_->terminate(timeout);
}

void ServeHarness::kill_gateway() {
  if (serve_) serve_->kill_hard();
}

void ServeHarness::reload_gateway() {
  if (!serve_ || !serve_->running()) fail("reload_gateway: serve is not running");
  write_file(config_path(), config_.render());
  if (::kill(serve_->pid(), SIGHUP) != 0) fail("reload_gateway: kill(SIGHUP) failed");
}

pid_t ServeHarness::gateway_pid() const { return serve_ ? serve_->pid() : -1; }

bool ServeHarness::gateway_running() { return serve_ && serve_->running(); }

std::string ServeHarness::gateway_log() const { return read_file(dir() / "serve.log"); }

std::string ServeHarness::gateway_log_tail(std::size_t lines) const {
  return serve_ ? serve_->log_tail(lines) : std::string("(serve never started)");
}

json ServeHarness::wait_modems_ready(int count, std::chrono::milliseconds timeout) {
  json last;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto api = client();
  for (;;) {
    if (serve_ && !serve_->running()) {
      fail("smsgw serve exited with code " + std::to_string(serve_->exit_code().value_or(-1)));
    }
    const auto response = api.get("/api/v1/modems");
    if (response.status == 200) {
      last = response.json();
      int ready = 0;
      for (const auto& modem : last) {
        const auto state = modem.value("state", "");
        ready += state == "ready" || state == "sending";  // in service (busy with a backlog)
      }
      if (ready >= count) return last;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      fail("fewer than " + std::to_string(count) +
           " modems became ready; GET /api/v1/modems: " + last.dump());
    }
    std::this_thread::sleep_for(20ms);
  }
}

HttpClient ServeHarness::client() const { return HttpClient(http_port_, "127.0.0.1", token_); }

HttpResponse ServeHarness::submit(const std::string& to, const std::string& text, const json& extra,
                                  const HttpHeaders& headers) const {
  json body{{"to", to}, {"text", text}};
  body.update(extra);
  return client().post("/api/v1/messages", body, headers);
}

std::string ServeHarness::submit_ok(const std::string& to, const std::string& text,
                                    const json& extra) const {
  const auto response = submit(to, text, extra);
  if (response.status != 202) fail("POST /api/v1/messages answered " + response.describe());
  const auto body = response.json();
  if (!body.is_object() || !body.contains("id")) fail("202 without an id: " + response.body);
  return body.at("id").get<std::string>();
}

json ServeHarness::message(const std::string& id) const {
  const auto response = client().get("/api/v1/messages/" + id);
  if (response.status != 200) fail("GET /api/v1/messages/" + id + ": " + response.describe());
  return response.json();
}

json ServeHarness::wait_status(const std::string& id, const std::set<std::string>& statuses,
                               std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  json last;
  for (;;) {
    last = message(id);
    if (statuses.contains(last.value("status", ""))) return last;
    if (std::chrono::steady_clock::now() > deadline) {
      std::string wanted;
      for (const auto& s : statuses) wanted += (wanted.empty() ? "" : "|") + s;
      fail("message " + id + " did not reach " + wanted + " in " + std::to_string(timeout.count()) +
           " ms; last: " + last.dump());
    }
    std::this_thread::sleep_for(20ms);
  }
}

json ServeHarness::modems() const {
  const auto response = client().get("/api/v1/modems");
  if (response.status != 200) fail("GET /api/v1/modems: " + response.describe());
  return response.json();
}

std::vector<json> ServeHarness::all_messages() const {
  std::vector<json> all;
  std::string before;
  for (;;) {
    std::string target = "/api/v1/messages?limit=100";
    if (!before.empty()) target += "&before=" + before;
    const auto response = client().get(target);
    if (response.status != 200) fail("GET " + target + ": " + response.describe());
    const auto page = response.json();
    for (const auto& m : page.at("messages")) all.push_back(m);
    if (!page.contains("next_before") || page.at("next_before").is_null()) break;
    before = page.at("next_before").get<std::string>();
  }
  return all;
}

CommandResult ServeHarness::run_cli(std::vector<std::string> args,
                                    const std::vector<std::string>& extra_environment,
                                    std::chrono::milliseconds timeout) const {
  args.insert(args.begin(), smsgw_binary());
  args.push_back("--url");
  args.push_back(base_url());
  std::vector<std::string> environment{"PATH=/usr/bin:/bin", "LANG=C.UTF-8"};
  if (!token_.empty()) environment.push_back("SMSGW_TOKEN=" + token_);
  environment.insert(environment.end(), extra_environment.begin(), extra_environment.end());
  return run_command(args, environment, timeout);
}

}  // namespace smsgw::harness
