// The client subcommands as a user runs them: the real `smsgw` binary against a fake HTTP
// API (fake_api.hpp) answering the contract's shapes (contract.md "HTTP API v1",
// src/http/json.cpp). Checks tables, --json passthrough, exit codes and the one-line errors.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "fake_api.hpp"
#include "run_process.hpp"

namespace smsgw::test {
namespace {

using nlohmann::json;

// The environment of a user with a UTF-8 locale, output piped (not a terminal).
std::vector<std::string> base_environment() {
  return {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "COLUMNS=80"};
}

ProcessResult run(const std::vector<std::string>& args,
                  std::vector<std::string> extra_environment = {}) {
  auto environment = base_environment();
  environment.insert(environment.end(), extra_environment.begin(), extra_environment.end());
  return run_smsgw(args, environment);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// Columns of a line of UTF-8 text without wide characters.
std::size_t columns_of(const std::string& line) {
  std::size_t count = 0;
  for (unsigned char c : line) count += (c & 0xC0) != 0x80;
  return count;
}

CannedReply error_reply(unsigned status, const std::string& code, const std::string& message) {
  return CannedReply{status, json{{"error", {{"code", code}, {"message", message}}}}.dump()};
}

const std::string kModemsBody = json::parse(R"([
  {"id": "m1", "port": "/dev/smsgw/usb-1-1.2", "state": "ready", "imei": "867584030123456",
   "imsi": "262011234567890", "iccid": "8949020000012345678",
   "operator": {"name": "Telekom", "mccmnc": "26201"}, "signal": {"csq": 21, "dbm": -71},
   "registration": "home",
   "balance": {"amount": 12.34, "currency": "EUR", "raw": "Guthaben 12,34 EUR",
               "checked_at": "2024-05-01T11:55:00Z"},
   "sent_today": 12, "errors": 0, "queue": 3},
  {"id": "m2", "port": "/dev/ttyUSB6", "state": "backoff", "imei": null, "imsi": null,
   "iccid": null, "operator": null, "signal": {"csq": null, "dbm": null},
   "registration": "unknown", "balance": null, "sent_today": 0, "errors": 4, "queue": 0}
])")
                                    .dump();

// A port on which nothing listens: bound, then closed.
unsigned short closed_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io,
                                   asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  acceptor.close();
  return port;
}

std::filesystem::path temp_file(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("smsgw-cli-test-" + std::to_string(getpid()) + "-" + name);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(CliModems, TableFitsEightyColumnsWithoutColourWhenPiped) {
  FakeApi api([](const RecordedRequest&) { return CannedReply{200, kModemsBody}; });
  const auto result = run({"modems", "--url", api.url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out.find('\x1b'), std::string::npos);
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 3u) << result.out;
  for (const auto& line : lines) EXPECT_LE(columns_of(line), 80u) << line;
  EXPECT_TRUE(lines[0].starts_with("ID  ")) << lines[0];
  EXPECT_NE(lines[1].find("\u2582\u2584\u2586\u2588 -71"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("12.34 EUR"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("backoff"), std::string::npos) << lines[2];
  ASSERT_EQ(api.requests().size(), 1u);
  EXPECT_EQ(api.requests()[0].method, "GET");
  EXPECT_EQ(api.requests()[0].target, "/api/v1/modems");
}

TEST(CliModems, AsciiWhenTheLocaleIsNotUtf8AndNarrowerWithColumns) {
  FakeApi api([](const RecordedRequest&) { return CannedReply{200, kModemsBody}; });
  const auto result =
      run_smsgw({"modems", "--url", api.url()}, {"PATH=/usr/bin:/bin", "LANG=C", "COLUMNS=50"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = lines_of(result.out);
  for (const auto& line : lines) EXPECT_LE(line.size(), 50u) << line;
  EXPECT_NE(lines[1].find("#### -71"), std::string::npos) << result.out;
  for (unsigned char c : result.out) EXPECT_LT(c, 0x80) << result.out;
}

TEST(CliModems, JsonPrintsExactlyTheApisList) {
  FakeApi api([](const RecordedRequest&) { return CannedReply{200, kModemsBody}; });
  const auto result = run({"modems", "--json", "--url", api.url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, kModemsBody + "\n");
}

TEST(CliModems, UrlAndTokenComeFromTheConfig) {
  FakeApi api([](const RecordedRequest&) { return CannedReply{200, "[]"}; });
  const auto config =
      temp_file("smsgw.toml", "[http]\nlisten = \"0.0.0.0:" + std::to_string(api.port()) +
                                  "\"\ntokens = [\"from-config\", \"other\"]\n");
  const auto result = run({"modems", "--config", config.string()});
  std::filesystem::remove(config);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "no modems\n");
  ASSERT_EQ(api.requests().size(), 1u);
  EXPECT_EQ(api.requests()[0].authorization, "Bearer from-config");
}

TEST(CliErrors, DaemonDownSaysSoOnOneLine) {
  const auto port = std::to_string(closed_port());
  const auto result = run({"modems", "--url", "http://127.0.0.1:" + port});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "smsgw: cannot reach smsgw at http://127.0.0.1:" + port +
                            ": connection refused; is `smsgw serve` running?\n");
}

TEST(CliErrors, RefusedTokenSaysWhatToDo) {
  FakeApi api([](const RecordedRequest&) {
    return error_reply(401, "unauthorized", "the bearer token is not valid");
  });
  const auto result = run({"messages", "--url", api.url()}, {"SMSGW_TOKEN=wrong"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "smsgw: the token was refused (401); pass --token or set SMSGW_TOKEN\n");
  ASSERT_EQ(api.requests().size(), 1u);
  EXPECT_EQ(api.requests()[0].authorization, "Bearer wrong");
}

TEST(CliErrors, TokenFlagWinsOverTheEnvironment) {
  FakeApi api([](const RecordedRequest&) { return CannedReply{200, "[]"}; });
  const auto result =
      run({"modems", "--token", "s3cret", "--url", api.url()}, {"SMSGW_TOKEN=from-env"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(api.requests()[0].authorization, "Bearer s3cret");
}

TEST(CliErrors, ApiErrorsPrintTheServersMessage) {
  FakeApi api(
      [](const RecordedRequest&) { return error_reply(404, "not_found", "no message 01HXNOPE"); });
  const auto result = run({"message", "01HXNOPE", "--url", api.url()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "smsgw: no message 01HXNOPE\n");
  EXPECT_EQ(api.requests()[0].target, "/api/v1/messages/01HXNOPE");
}

TEST(CliErrors, ASlowDaemonTimesOutWithOneLine) {
  FakeApi api([](const RecordedRequest&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    return CannedReply{200, "[]"};
  });
  const auto result = run({"modems", "--timeout", "0.2", "--url", api.url()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "smsgw: smsgw at " + api.url() +
                            " did not answer within 200ms (--timeout sets how long to wait)\n");
}

TEST(CliErrors, BadUsageExitsTwo) {
  EXPECT_EQ(run({"send", "--text", "hi", "--url", "http://127.0.0.1:1"}).exit_code, 2);
  EXPECT_EQ(run({"modems", "--frobnicate"}).exit_code, 2);
  EXPECT_EQ(run({"ussd", "*100#"}).exit_code, 2);  // --modem is required
  const auto https = run({"modems", "--url", "https://example.org"});
  EXPECT_EQ(https.exit_code, 2);
  EXPECT_NE(https.err.find("https is not supported"), std::string::npos) << https.err;
}

TEST(CliSend, SubmitsTheOptionsAndPrintsTheId) {
  FakeApi api([](const RecordedRequest&) {
    return CannedReply{202, R"({"encoding":"gsm7","id":"01HXSEND","parts":1,"status":"queued"})"};
  });
  const auto result = run({"send", "--to", "+4915112345678", "--text", "Hallo, Welt", "--priority",
                           "5", "--flash", "--no-status-report", "--validity", "3600", "--modem",
                           "m1", "--idempotency-key", "order-42", "--url", api.url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "01HXSEND\n");
  const auto requests = api.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/api/v1/messages");
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[0].idempotency_key, "order-42");
  EXPECT_EQ(json::parse(requests[0].body), json({{"to", "+4915112345678"},
                                                 {"text", "Hallo, Welt"},
                                                 {"priority", 5},
                                                 {"flash", true},
                                                 {"status_report", false},
                                                 {"validity", 3600},
                                                 {"modem", "m1"}}));
}

// A message that moves one status further on every GET, as listed.
FakeApi::Handler message_moving_through(std::vector<std::string> statuses, std::string error) {
  auto polls = std::make_shared<std::size_t>(0);
  return [statuses, error, polls](const RecordedRequest& request) {
    if (request.method == "POST") {
      return CannedReply{202, R"({"encoding":"gsm7","id":"01HXW","parts":1,"status":"queued"})"};
    }
    const auto& status = statuses[std::min(*polls, statuses.size() - 1)];
    ++*polls;
    json message{{"id", "01HXW"},
                 {"to", "+49151"},
                 {"text", "x"},
                 {"status", status},
                 {"operator", nullptr},
                 {"modem", "m1"},
                 {"parts", json::array()},
                 {"attempts", 1},
                 {"created_at", "2024-05-01T12:00:00Z"},
                 {"sent_at", nullptr},
                 {"delivered_at", nullptr},
                 {"error", status == "failed" ? json(error) : json(nullptr)},
                 {"events", json::array()}};
    return CannedReply{200, message.dump()};
  };
}

TEST(CliSend, WaitFollowsTheMessageToDelivered) {
  FakeApi api(message_moving_through({"queued", "sent", "delivered"}, ""));
  const auto result = run({"send", "--to", "+49151", "--text", "x", "--wait", "--url", api.url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 4u) << result.out;
  EXPECT_EQ(lines[0], "01HXW");
  EXPECT_TRUE(lines[1].ends_with(" queued via m1")) << lines[1];
  EXPECT_TRUE(lines[2].ends_with(" sent via m1")) << lines[2];
  EXPECT_TRUE(lines[3].ends_with(" delivered via m1")) << lines[3];
  const auto requests = api.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[1].target, "/api/v1/messages/01HXW");
}

TEST(CliSend, WaitStopsAtSentWithoutStatusReports) {
  FakeApi api(message_moving_through({"sending", "sent", "delivered"}, ""));
  const auto result = run({"send", "--to", "+49151", "--text", "x", "--wait", "--no-status-report",
                           "--url", api.url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(lines_of(result.out).back().ends_with(" sent via m1")) << result.out;
  EXPECT_EQ(api.requests().size(), 3u);  // POST + two GETs
}

TEST(CliSend, WaitExitsOneWhenTheMessageFails) {
  FakeApi api(message_moving_through({"failed"}, "+CMS ERROR: 38"));
  const auto result = run({"send", "--to", "+49151", "--text", "x", "--wait", "--url", api.url()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "smsgw: message 01HXW failed: +CMS ERROR: 38\n");
}

// Emulates the API's batch rule: all or nothing, 422 naming the first bad message.
CannedReply batch_api(const RecordedRequest& request) {
  const auto body = json::parse(request.body);
  json accepted = json::array();
  const auto& messages = body["messages"];
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto to = messages[i]["to"].get<std::string>();
    if (to == "+000") {
      const std::string field = "messages[" + std::to_string(i) + "].to";
      return CannedReply{422, json{{"error",
                                    {{"code", "validation"},
                                     {"message", field + ": +000 is not a valid number"},
                                     {"field", field}}}}
                                  .dump()};
    }
    accepted.push_back(
        {{"id", "id-" + to}, {"status", "queued"}, {"parts", 1}, {"encoding", "gsm7"}});
  }
  return CannedReply{202, accepted.dump()};
}

TEST(CliSendCsv, BadLinesAreReportedAndTheRestQueued) {
  const auto csv = temp_file("bulk.csv",
                             "number,text\n"                  // 1
                             "+491511,\"Hi, \"\"you\"\"\"\n"  // 2
                             ",no number\n"                   // 3
                             "+000,server refuses\n"          // 4
                             "+491512,\"two\nlines\"\n"       // 5-6
                             "+491513,\n"                     // 7
                             "+491514,last\n");               // 8
  FakeApi api(batch_api);
  const auto result = run({"send", "--csv", csv.string(), "--batch-size", "2", "--url", api.url()});
  std::filesystem::remove(csv);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "3 queued, 3 rejected (lines 3, 4, 7)\n");
  const auto errors = lines_of(result.err);
  ASSERT_EQ(errors.size(), 3u) << result.err;
  EXPECT_EQ(errors[0], "smsgw: " + csv.string() + " line 3: number is empty");
  EXPECT_EQ(errors[1], "smsgw: " + csv.string() + " line 7: text is empty");
  EXPECT_EQ(errors[2], "smsgw: " + csv.string() + " line 4: to: +000 is not a valid number");

  std::vector<std::string> queued_texts;
  std::map<std::string, int> keys;
  for (const auto& request : api.requests()) {
    EXPECT_FALSE(request.idempotency_key.empty());
    ++keys[request.idempotency_key];
    EXPECT_EQ(request.connection, 1);  // one kept-alive connection for the whole run
  }
  EXPECT_EQ(keys.size(), api.requests().size());  // a fresh key per request body
  // Batches: [2, 4] refused -> [2] accepted; [5, 8] accepted.
  const auto requests = api.requests();
  ASSERT_EQ(requests.size(), 3u);
  const auto resent = json::parse(requests[1].body)["messages"];
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(resent[0]["text"], "Hi, \"you\"");
  EXPECT_EQ(json::parse(requests[2].body)["messages"][0]["text"], "two\nlines");
}

TEST(CliSendCsv, AConnectionClosedBetweenBatchesIsReopenedAndTheBatchResent) {
  const auto csv = temp_file("reopen.csv", "+491511,a\n+491512,b\n+491513,c\n");
  FakeApi api(batch_api, /*close_after_reply=*/true);
  const auto result = run({"send", "--csv", csv.string(), "--batch-size", "1", "--url", api.url()});
  std::filesystem::remove(csv);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "3 queued\n");
  const auto requests = api.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].connection, 1);
  EXPECT_EQ(requests[1].connection, 2);
  EXPECT_EQ(requests[2].connection, 3);
}

TEST(CliSendCsv, JsonReportsLinesWithIds) {
  const auto csv = temp_file("ok.csv", "+491511,a\n+491512,b\n");
  FakeApi api(batch_api);
  const auto result = run({"send", "--csv", csv.string(), "--json", "--url", api.url()});
  std::filesystem::remove(csv);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out), json::parse(R"({"queued": [{"line": 1, "id": "id-+491511"},
                                        {"line": 2, "id": "id-+491512"}],
                             "rejected": []})"));
}

TEST(CliSendCsv, TheDaemonGoingAwayStopsTheRunWithOneLine) {
  const auto csv = temp_file("down.csv", "+491511,a\n");
  const auto port = std::to_string(closed_port());
  const auto result = run({"send", "--csv", csv.string(), "--url", "http://127.0.0.1:" + port});
  std::filesystem::remove(csv);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "0 queued\n");
  EXPECT_EQ(result.err, "smsgw: cannot reach smsgw at http://127.0.0.1:" + port +
                            ": connection refused; is `smsgw serve` running?; 1 messages were "
                            "not sent\n");
}

const std::string kBalancesBody = json::parse(R"json([
  {"modem": "m1", "imei": "867584030123456", "iccid": "8949020000012345678",
   "operator": "Telekom", "amount": 12.34, "currency": "EUR", "raw": "Guthaben 12,34 EUR",
   "checked_at": "2024-05-01T12:00:00Z", "error": null},
  {"modem": "m2", "imei": null, "iccid": null, "operator": null, "amount": null,
   "currency": "", "raw": "", "checked_at": null, "error": "modem m2 is not ready (backoff)"}
])json")
                                      .dump();

TEST(CliBalance, TableWithPerSimErrorsExitsOne) {
  FakeApi api([](const RecordedRequest&) { return CannedReply{200, kBalancesBody}; });
  const auto result = run({"balance", "--url", api.url()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("12.34 EUR"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Guthaben 12,34 EUR"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("modem m2 is not ready (backoff)"), std::string::npos);
  EXPECT_EQ(result.err, "smsgw: the balance check failed on 1 of 2 SIMs\n");  // no spinner
  EXPECT_EQ(api.requests()[0].method, "POST");
  EXPECT_EQ(api.requests()[0].target, "/api/v1/balance");
}

TEST(CliBalance, OneModemJsonIsTheApisList) {
  const std::string one = json::array({json::parse(kBalancesBody)[0]}).dump();
  FakeApi api([&](const RecordedRequest&) { return CannedReply{200, one}; });
  const auto result = run({"balance", "--modem", "m1", "--json", "--url", api.url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, one + "\n");
  EXPECT_EQ(api.requests()[0].target, "/api/v1/modems/m1/balance");
}

TEST(CliUssd, PrintsTheReplyText) {
  FakeApi api([](const RecordedRequest&) {
    return CannedReply{200, R"({"response":"Ihr Guthaben: 12,34 EUR","status":"done"})"};
  });
  const auto result = run({"ussd", "--modem", "m1", "*100#", "--url", api.url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "Ihr Guthaben: 12,34 EUR\n");
  const auto requests = api.requests();
  EXPECT_EQ(requests[0].target, "/api/v1/modems/m1/ussd");
  EXPECT_EQ(json::parse(requests[0].body), json({{"code", "*100#"}}));
}

TEST(CliUssd, TimeoutFromTheGatewayIsOneLine) {
  FakeApi api([](const RecordedRequest&) {
    return error_reply(504, "timeout", "no USSD reply from m1 within 30s");
  });
  const auto result = run({"ussd", "--modem", "m1", "*100#", "--url", api.url()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "smsgw: no USSD reply from m1 within 30s\n");
}

TEST(CliMessages, ListPassesFiltersAndShowsATable) {
  FakeApi api([](const RecordedRequest&) {
    return CannedReply{
        200, R"({"messages":[{"id":"01HXA","to":"+4915112345678","text":"hello","status":"failed",
        "operator":"Telekom","modem":"m1","parts":[],"attempts":3,
        "created_at":"2024-05-01T12:00:00Z","sent_at":null,"delivered_at":null,
        "error":"+CMS ERROR: 38"}],"next_before":null})"};
  });
  const auto result = run({"messages", "--status", "failed", "--limit", "5", "--url", api.url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(api.requests()[0].target, "/api/v1/messages?limit=5&status=failed");
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 2u) << result.out;
  EXPECT_TRUE(lines[0].starts_with("ID     TO")) << lines[0];
  EXPECT_NE(lines[1].find("failed"), std::string::npos);
  EXPECT_NE(lines[1].find("hello"), std::string::npos);
}

TEST(CliMessages, OneMessageWithPartsAndEventsAndJson) {
  const std::string body =
      R"({"id":"01HXB","to":"+49151","text":"hi","status":"delivered","operator":null,
      "modem":"m1","parts":[{"index":1,"status":"delivered","modem":"m1","mr":7,"error":null,
      "sent_at":"2024-05-01T12:00:01Z","delivered_at":"2024-05-01T12:00:09Z"}],"attempts":1,
      "created_at":"2024-05-01T12:00:00Z","sent_at":"2024-05-01T12:00:01Z",
      "delivered_at":"2024-05-01T12:00:09Z","error":null,
      "events":[{"at":"2024-05-01T12:00:00Z","kind":"queued","detail":""},
                {"at":"2024-05-01T12:00:09Z","kind":"report","detail":"TP-ST 0x00"}]})";
  FakeApi api([&](const RecordedRequest&) { return CannedReply{200, body}; });
  const auto human = run({"message", "01HXB", "--url", api.url()});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("status    delivered\n"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("\nparts\n"), std::string::npos);
  EXPECT_NE(human.out.find("TP-ST 0x00"), std::string::npos);
  const auto machine = run({"message", "01HXB", "--json", "--url", api.url()});
  EXPECT_EQ(machine.out, body + "\n");
}

TEST(CliInbox, ShowsReceivedMessages) {
  FakeApi api([](const RecordedRequest&) {
    return CannedReply{200, R"({"messages":[{"id":"i1","modem":"m1","from":"+491701",
      "text":"Gr\u00fc\u00dfe","parts":2,"parts_received":2,"complete":true,"sent_at":null,
      "received_at":"2024-05-01T12:00:00Z"}],"next_before":null})"};
  });
  const auto result = run({"inbox", "--url", api.url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(api.requests()[0].target, "/api/v1/inbox?limit=50");
  EXPECT_NE(result.out.find("+491701"), std::string::npos);
  EXPECT_NE(result.out.find("Gr\u00fc\u00dfe"), std::string::npos) << result.out;

  const auto filtered = run({"inbox", "--since", "2024-05-01T12:00:00+02:00", "--from", "+491701",
                             "--modem", "m1", "--limit", "5", "--url", api.url()});
  ASSERT_EQ(filtered.exit_code, 0) << filtered.err;
  EXPECT_EQ(api.requests()[1].target,
            "/api/v1/inbox?limit=5&since=2024-05-01T12%3A00%3A00%2B02%3A00&from=%2B491701&"
            "modem=m1");
}

TEST(CliMessages, FiltersByReferenceAndClient) {
  FakeApi api([](const RecordedRequest&) {
    return CannedReply{200, R"({"messages":[],"next_before":null})"};
  });
  const auto result =
      run({"messages", "--reference", "order 17", "--client", "shop", "--url", api.url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(api.requests()[0].target, "/api/v1/messages?limit=50&reference=order%2017&client=shop");
}

TEST(CliMessages, FiltersByRecipientAndModem) {
  FakeApi api([](const RecordedRequest&) {
    return CannedReply{200, R"({"messages":[],"next_before":null})"};
  });
  const auto result = run({"messages", "--to", "+49 151 123", "--modem", "usb:1-2", "--status",
                           "sent", "--url", api.url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(api.requests()[0].target,
            "/api/v1/messages?limit=50&status=sent&to=%2B49%20151%20123&modem=usb%3A1-2");
}

}  // namespace
}  // namespace smsgw::test
