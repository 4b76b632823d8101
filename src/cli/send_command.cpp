// `smsgw send`: submits messages through POST /api/v1/messages.
//
//   smsgw send --to NUMBER --text TEXT [--wait] [options]   one message; prints its id
//   smsgw send --csv FILE [options]                          many: `number,text` records
//
// --wait follows the message (GET /api/v1/messages/{id}, polling with back-off) and prints
// each status change; it ends at a final status (message_follow.hpp): exit 0 on delivered
// (or sent, with --no-status-report), 1 on failed, expired or cancelled, 3 on unknown with
// --no-status-report (a part may or may not have arrived; nothing can settle it).
//
// --csv validates every record locally (csv_messages.hpp) and reports bad ones with their
// line numbers; the good ones go in batches (bulk_submit.hpp), each with its own generated
// Idempotency-Key so that a batch resent over a new connection is never stored twice.
// Exit 1 when any line was rejected.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

#include "smsgw/cli/bulk_submit.hpp"
#include "smsgw/cli/client_options.hpp"
#include "smsgw/cli/commands.hpp"
#include "smsgw/cli/csv_messages.hpp"
#include "smsgw/cli/message_follow.hpp"
#include "smsgw/cli/progress.hpp"
#include "smsgw/cli/terminal.hpp"

namespace smsgw::cli {

namespace {

using nlohmann::json;

constexpr std::size_t kDefaultBatchSize = 100;
constexpr std::size_t kMaxBatchSize = 1000;  // the API's limit (http/requests.hpp)

struct SendOptions {
  ClientOptions client;
  std::string to;
  std::string text;
  std::string csv;
  bool wait = false;
  std::optional<std::int32_t> priority;
  bool flash = false;
  bool no_status_report = false;
  std::optional<std::int64_t> validity;
  std::string modem;
  std::string operator_name;
  std::string send_at;
  std::string idempotency_key;
  std::size_t batch_size = kDefaultBatchSize;
  double wait_timeout = 0;
  bool json = false;
};

// The fields every message of this run carries besides `to` and `text`.
json message_body(const SendOptions& options, std::string to, std::string text) {
  json body{{"to", std::move(to)}, {"text", std::move(text)}};
  if (options.priority) body["priority"] = *options.priority;
  if (options.validity) body["validity"] = *options.validity;
  if (options.flash) body["flash"] = true;
  if (options.no_status_report) body["status_report"] = false;
  if (!options.modem.empty()) body["modem"] = options.modem;
  if (!options.operator_name.empty()) body["operator"] = options.operator_name;
  if (!options.send_at.empty()) body["send_at"] = options.send_at;
  return body;
}

std::string string_field(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string random_idempotency_key() {
  std::random_device random;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key = "smsgw-cli-";
  for (int i = 0; i < 32; ++i) key.push_back(kHex[random() & 0x0F]);
  return key;
}

// Polls the message until a final status; prints each change ("  3s sent via m1") on
// `out`. Returns the exit code.
int follow_message(ApiClient& client, const std::string& id, const SendOptions& options) {
  using clock = std::chrono::steady_clock;
  const auto started = clock::now();
  std::ostream& out = options.json ? std::cerr : std::cout;
  const bool status_report = !options.no_status_report;
  const std::string target = "/api/v1/messages/" + encode_path_segment(id);
  std::string last_status;
  std::chrono::milliseconds delay{0};
  for (;;) {
    const ApiAnswer answer = value_or_fail(client.call("GET", target));
    const std::string status = string_field(answer.json, "status");
    const std::string error = string_field(answer.json, "error");
    if (status != last_status) {
      const auto elapsed =
          std::chrono::duration_cast<std::chrono::seconds>(clock::now() - started).count();
      std::string line = std::to_string(elapsed) + "s";
      if (line.size() < 4) line.insert(0, 4 - line.size(), ' ');
      line += " " + status;
      if (const auto modem = string_field(answer.json, "modem"); !modem.empty()) {
        line += " via " + modem;
      }
      if (!error.empty()) line += ": " + error;
      out << line << '\n';
      out.flush();
      last_status = status;
      delay = std::chrono::milliseconds{0};
    }
    if (const auto code = final_exit_code(status, status_report)) {
      if (options.json) print_body(answer.body);
      if (*code != 0) {
        fail("message " + id + " " + status + (error.empty() ? "" : ": " + error));
      }
      return *code;
    }
    delay = next_poll_delay(delay);
    if (options.wait_timeout > 0) {
      const auto limit = std::chrono::duration<double>(options.wait_timeout);
      if (clock::now() + delay - started > limit) {
        fail("message " + id + " is still " + status + " after " +
             std::to_string(static_cast<long long>(options.wait_timeout)) +
             "s (--wait-timeout); follow it with `smsgw message " + id + "`");
      }
    }
    std::this_thread::sleep_for(delay);
  }
}

void send_one(const SendOptions& options) {
  if (options.to.empty() || options.text.empty()) {
    usage_error("send", options.to.empty() ? "--to NUMBER is required (or --csv FILE)"
                                           : "--text TEXT is required and must not be empty");
  }
  ApiClient client = make_client(options.client);
  const json body = message_body(options, options.to, options.text);
  const ApiAnswer answer =
      value_or_fail(client.call("POST", "/api/v1/messages", &body, options.idempotency_key));
  const std::string id = string_field(answer.json, "id");
  if (id.empty()) fail("the gateway accepted the message but its answer has no id");
  if (!options.wait) {
    if (options.json) {
      print_body(answer.body);
    } else {
      std::cout << id << '\n';
    }
    return;
  }
  if (!options.json) {
    std::cout << id << '\n';
    std::cout.flush();
  }
  if (const int code = follow_message(client, id, options); code != 0) throw CliExit{code};
}

std::string read_all(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) fail("cannot read " + path);
  std::ostringstream content;
  content << file.rdbuf();
  if (file.bad()) fail("cannot read " + path);
  return std::move(content).str();
}

void send_csv(const SendOptions& options) {
  if (!options.to.empty() || !options.text.empty()) {
    usage_error("send", "--csv cannot be combined with --to or --text");
  }
  if (options.wait) usage_error("send", "--wait follows one message; it cannot be used with --csv");
  if (!options.idempotency_key.empty()) {
    usage_error("send", "--idempotency-key names one submission; --csv generates a key per batch");
  }
  const std::string shown = options.csv == "-" ? "stdin" : options.csv;
  const CsvMessages parsed = parse_csv_messages(read_all(options.csv));
  for (const auto& problem : parsed.problems) {
    std::cerr << "smsgw: " << shown << " line " << problem.line << ": " << problem.reason << '\n';
  }
  if (parsed.messages.empty() && parsed.problems.empty()) fail(shown + " holds no messages");
  ApiClient client = make_client(options.client);
  const bool token_sent = !options.client.token.empty();

  std::vector<BulkItem> items;
  items.reserve(parsed.messages.size());
  for (const auto& message : parsed.messages) {
    items.push_back(BulkItem{message.line, message_body(options, message.number, message.text)});
  }

  const bool draw_progress = is_terminal(2) && !items.empty();
  const bool unicode = detect_terminal_style(2).unicode;
  bool progress_drawn = false;
  const auto clear_progress = [&] {
    if (progress_drawn) std::cerr << "\r\x1b[K" << std::flush;
    progress_drawn = false;
  };
  const auto on_progress = [&](std::size_t done, std::size_t total) {
    if (!draw_progress) return;
    std::cerr << "\r\x1b[K" << progress_bar(done, total, 30, unicode) << std::flush;
    progress_drawn = true;
  };
  const auto on_rejected = [&](const CsvProblem& problem) {
    clear_progress();
    std::cerr << "smsgw: " << shown << " line " << problem.line << ": " << problem.reason << '\n';
  };
  const SubmitBatch submit = [&](const std::vector<json>& messages) {
    BatchOutcome outcome;
    const json body{{"messages", messages}};
    auto reply = client.request("POST", "/api/v1/messages", &body, random_idempotency_key());
    if (!reply) {
      outcome.failure = std::move(reply).error();
      return outcome;
    }
    if (reply->status >= 200 && reply->status < 300) {
      const auto list = json::parse(reply->body, nullptr, false);
      if (list.is_array()) {
        for (const auto& accepted : list) outcome.ids.push_back(string_field(accepted, "id"));
      }
      return outcome;
    }
    ApiFailure failure = failure_of(*reply, token_sent);
    auto index = batch_index_of(failure.field);
    if (!index) index = batch_index_of(failure.error.message);
    if (failure.status == 422 && index) {
      outcome.rejected_index = index;
      outcome.rejected_reason = without_batch_prefix(failure.error.message);
    } else {
      outcome.failure = std::move(failure.error);
    }
    return outcome;
  };

  on_progress(0, items.size());
  const BulkReport report =
      submit_in_batches(items, options.batch_size, submit, on_progress, on_rejected);
  clear_progress();

  std::vector<std::size_t> rejected_lines;
  for (const auto& problem : parsed.problems) rejected_lines.push_back(problem.line);
  for (const auto& problem : report.rejected) rejected_lines.push_back(problem.line);
  if (options.json) {
    json queued = json::array();
    for (const auto& line : report.queued) queued.push_back({{"line", line.line}, {"id", line.id}});
    std::vector<CsvProblem> rejected = parsed.problems;
    rejected.insert(rejected.end(), report.rejected.begin(), report.rejected.end());
    std::sort(rejected.begin(), rejected.end(),
              [](const CsvProblem& a, const CsvProblem& b) { return a.line < b.line; });
    json rejected_list = json::array();
    for (const auto& problem : rejected) {
      rejected_list.push_back({{"line", problem.line}, {"reason", problem.reason}});
    }
    print_body(json{{"queued", std::move(queued)}, {"rejected", std::move(rejected_list)}}.dump());
  } else {
    std::cout << bulk_summary(report.queued.size(), rejected_lines) << '\n';
    std::cout.flush();
  }
  if (report.failure) {
    fail(report.failure->message + "; " + std::to_string(report.not_sent) +
         " messages were not sent");
  }
  if (!rejected_lines.empty()) throw CliExit{1};
}

void run_send(const SendOptions& options) {
  if (options.csv.empty()) {
    send_one(options);
  } else {
    send_csv(options);
  }
}

}  // namespace

void add_send_command(CLI::App& app) {
  auto options = std::make_shared<SendOptions>();
  CLI::App* command = app.add_subcommand(
      "send", "submit a message (or a CSV file of them) through the API; --wait follows it");
  add_client_options(*command, options->client);
  command->add_option("--to", options->to, "destination number (+E.164, 00..., or national)");
  command->add_option("--text", options->text, "message text (UTF-8)");
  command->add_option("--csv", options->csv,
                      "send every `number,text` record of this CSV file (- for stdin)");
  command->add_flag("--wait", options->wait,
                    "follow the message to a final status; exit 1 if it failed or expired");
  command
      ->add_option("--wait-timeout", options->wait_timeout,
                   "with --wait: give up after this many seconds (0: never)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--priority", options->priority, "higher is sent first");
  command->add_flag("--flash", options->flash, "flash message (class 0)");
  command->add_flag("--no-status-report", options->no_status_report,
                    "do not ask for a delivery report");
  command->add_option("--validity", options->validity, "seconds the network may keep trying")
      ->check(CLI::PositiveNumber);
  command->add_option("--modem", options->modem, "send through this modem (its id)");
  command->add_option("--operator", options->operator_name, "send through a SIM of this operator");
  command->add_option("--send-at", options->send_at, "not before this time (RFC 3339)");
  command->add_option("--idempotency-key", options->idempotency_key,
                      "a retry with the same key returns the first answer");
  command->add_option("--batch-size", options->batch_size, "with --csv: messages per request")
      ->check(CLI::Range(std::size_t{1}, kMaxBatchSize))
      ->capture_default_str();
  command->add_flag("--json", options->json, "print the API's JSON answer");
  command->callback([options] { run_send(*options); });
}

}  // namespace smsgw::cli
