// The server over a real loopback socket, with a fake gateway. Client and server run as
// coroutines on one io_context; each test's client stops the server when it is done.
#include "smsgw/http/server.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "fake_gateway.hpp"
#include "smsgw/common/net.hpp"
// Beast after net.hpp (the Asio include order, docs/architecture.md pitfall 1).
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace smsgw::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using json = nlohmann::json;
using testing::FakeGateway;
using namespace std::chrono_literals;

// One client connection: raw requests out, parsed responses in.
struct Client {
  explicit Client(asio::any_io_executor executor) : stream(executor) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

struct Response {
  unsigned status = 0;
  bhttp::fields headers;
  std::string body;
  bool keep_alive = false;
  error_code error;  // set when no response could be read

  json body_json() const { return json::parse(body); }
};

std::string request_text(std::string_view method, std::string_view target,
                         std::string_view body = "", std::string_view extra_headers = "") {
  std::string text;
  text.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
  if (!body.empty()) {
    text.append("Content-Type: application/json\r\nContent-Length: ")
        .append(std::to_string(body.size()))
        .append("\r\n");
  }
  text.append(extra_headers).append("\r\n").append(body);
  return text;
}

awaitable<Response> read_response(Client& client) {
  Response response;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  client.stream.expires_after(5s);
  co_await bhttp::async_read(client.stream, client.buffer, parser,
                             asio::redirect_error(use_awaitable, response.error));
  if (response.error) co_return response;
  auto message = parser.release();
  response.status = message.result_int();
  response.keep_alive = message.keep_alive();
  response.body = std::move(message.body());
  response.headers = std::move(message.base());
  co_return response;
}

awaitable<Response> exchange(Client& client, std::string text) {
  error_code ec;
  client.stream.expires_after(5s);
  co_await asio::async_write(client.stream, asio::buffer(text),
                             asio::redirect_error(use_awaitable, ec));
  if (ec) {
    Response failed;
    failed.error = ec;
    co_return failed;
  }
  co_return co_await read_response(client);
}

// True when the server closes the connection (EOF or reset) before `limit`.
awaitable<bool> closed_by_server(Client& client, std::chrono::steady_clock::duration limit) {
  client.stream.expires_after(limit);
  std::array<char, 256> sink{};
  error_code ec;
  while (!ec) {
    co_await client.stream.async_read_some(asio::buffer(sink),
                                           asio::redirect_error(use_awaitable, ec));
  }
  co_return ec == asio::error::eof || ec == asio::error::connection_reset;
}

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    if (options.listen == ServerOptions{}.listen) options.listen = "127.0.0.1:0";
    auto created = Server::create(io.get_executor(), gateway, std::move(options));
    ASSERT_TRUE(created.ok()) << created.error().message;
    server = std::move(created).value();
  }

  awaitable<Client*> connect() {
    clients.push_back(std::make_unique<Client>(io.get_executor()));
    auto& client = *clients.back();
    error_code ec;
    co_await client.stream.async_connect(server->local_endpoint(),
                                         asio::redirect_error(use_awaitable, ec));
    EXPECT_FALSE(ec) << ec.message();
    co_return &client;
  }

  // Runs the server and `client` until both finish (the client's end stops the server).
  void run(std::function<awaitable<void>()> client) {
    bool server_done = false;
    bool client_done = false;
    asio::co_spawn(io, run_server(*server, server_done), asio::detached);
    asio::co_spawn(io, run_client(client, client_done), asio::detached);
    io.run_for(30s);
    EXPECT_TRUE(client_done) << "the client did not finish";
    EXPECT_TRUE(server_done) << "Server::run did not return after stop()";
  }

  static awaitable<void> run_server(Server& server, bool& done) {
    co_await server.run();
    done = true;
  }
  // When the client is done its connections close, so the server has no reason to linger.
  awaitable<void> run_client(std::function<awaitable<void>()>& client, bool& done) {
    co_await client();
    done = true;
    for (auto& connection : clients) connection->stream.close();
    server->stop();
  }

  asio::io_context io;
  FakeGateway gateway{io.get_executor()};
  std::unique_ptr<Server> server;
  std::vector<std::unique_ptr<Client>> clients;
};

TEST_F(ServerTest, SubmitAnswers202WithLocationAndJson) {
  start();
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    const auto response = co_await exchange(
        *client,
        request_text("POST", "/api/v1/messages", R"({"to":"+4915112345678","text":"hi"})"));
    EXPECT_EQ(response.status, 202u);
    EXPECT_EQ(response.headers[bhttp::field::location], "/api/v1/messages/01HX1000");
    EXPECT_EQ(response.headers[bhttp::field::content_type], "application/json");
    EXPECT_FALSE(response.headers[bhttp::field::date].empty());
    EXPECT_EQ(response.body_json(),
              (json{{"id", "01HX1000"}, {"status", "queued"}, {"parts", 1}, {"encoding", "gsm7"}}));
  });
  ASSERT_EQ(gateway.submitted.size(), 1u);
  EXPECT_EQ(gateway.submitted[0].text, "hi");
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    auto response = co_await exchange(*client, request_text("GET", "/healthz"));
    EXPECT_EQ(response.status, 200u);
    EXPECT_TRUE(response.keep_alive);
    response = co_await exchange(
        *client, request_text("POST", "/api/v1/messages", R"({"to":"+491","text":"a"})"));
    EXPECT_EQ(response.status, 202u);
    response = co_await exchange(*client, request_text("GET", "/api/v1/messages/01HX1000"));
    EXPECT_EQ(response.status, 200u);
    EXPECT_EQ(response.body_json().at("text"), "a");
    // Two pipelined requests in one write are answered in order.
    response = co_await exchange(
        *client, request_text("GET", "/api/v1/nothing") + request_text("GET", "/healthz"));
    EXPECT_EQ(response.status, 404u);
    response = co_await read_response(*client);
    EXPECT_EQ(response.status, 200u);
    // "Connection: close" is honoured.
    response =
        co_await exchange(*client, request_text("GET", "/healthz", "", "Connection: close\r\n"));
    EXPECT_EQ(response.status, 200u);
    EXPECT_FALSE(response.keep_alive);
    EXPECT_TRUE(co_await closed_by_server(*client, 5s));
  });
}

TEST_F(ServerTest, Http10ClosesUnlessItAsksForKeepAlive) {
  start();
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    auto response =
        co_await exchange(*client, "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    EXPECT_EQ(response.status, 200u);
    EXPECT_TRUE(response.keep_alive);
    response = co_await exchange(*client, "GET /healthz HTTP/1.0\r\n\r\n");
    EXPECT_EQ(response.status, 200u);
    EXPECT_FALSE(response.keep_alive);
    EXPECT_TRUE(co_await closed_by_server(*client, 5s));
  });
}

TEST_F(ServerTest, MissingOrBadTokenIs401WithBearerChallenge) {
  ServerOptions options;
  options.tokens = {"correct-horse"};
  start(options);
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    const std::string body = R"({"to":"+491","text":"a"})";
    auto response = co_await exchange(*client, request_text("POST", "/api/v1/messages", body));
    EXPECT_EQ(response.status, 401u);
    EXPECT_EQ(response.headers[bhttp::field::www_authenticate], "Bearer realm=\"smsgw\"");
    EXPECT_EQ(response.body_json().at("error").at("code"), "unauthorized");
    response = co_await exchange(*client, request_text("POST", "/api/v1/messages", body,
                                                       "Authorization: Bearer correct-hors\r\n"));
    EXPECT_EQ(response.status, 401u);
    EXPECT_EQ(response.headers[bhttp::field::www_authenticate],
              "Bearer realm=\"smsgw\", error=\"invalid_token\"");
    response = co_await exchange(*client, request_text("GET", "/metrics"));
    EXPECT_EQ(response.status, 401u);
    // The health check and the API description stay open.
    response = co_await exchange(*client, request_text("GET", "/healthz"));
    EXPECT_EQ(response.status, 200u);
    response = co_await exchange(*client, request_text("GET", "/api/v1/openapi.json"));
    EXPECT_EQ(response.status, 200u);
    response = co_await exchange(*client, request_text("POST", "/api/v1/messages", body,
                                                       "Authorization: Bearer correct-horse\r\n"));
    EXPECT_EQ(response.status, 202u);
  });
  EXPECT_EQ(gateway.submitted.size(), 1u);
}

TEST_F(ServerTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  start();
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    auto response = co_await exchange(*client, request_text("GET", "/api/v1/unknown"));
    EXPECT_EQ(response.status, 404u);
    EXPECT_EQ(response.body_json().at("error").at("code"), "not_found");
    response = co_await exchange(*client, request_text("DELETE", "/api/v1/modems"));
    EXPECT_EQ(response.status, 405u);
    EXPECT_EQ(response.headers[bhttp::field::allow], "GET");
    EXPECT_EQ(response.body_json().at("error").at("code"), "method_not_allowed");
  });
}

TEST_F(ServerTest, CancelOnceSendingBeganIs409) {
  start();
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    auto response = co_await exchange(
        *client, request_text("POST", "/api/v1/messages", R"({"to":"+491","text":"a"})"));
    EXPECT_EQ(response.status, 202u);
    gateway.messages["01HX1000"].status = "sending";
    response = co_await exchange(*client, request_text("DELETE", "/api/v1/messages/01HX1000"));
    EXPECT_EQ(response.status, 409u);
    EXPECT_EQ(response.body_json().at("error").at("code"), "conflict");
  });
}

TEST_F(ServerTest, BodyAboveTheLimitIs413AndClosesTheConnection) {
  ServerOptions options;
  options.body_limit = 1024;
  start(options);
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    const std::string body = R"({"to":"+491","text":")" + std::string(2000, 'x') + "\"}";
    auto response = co_await exchange(*client, request_text("POST", "/api/v1/messages", body));
    EXPECT_EQ(response.status, 413u);
    EXPECT_EQ(response.body_json().at("error").at("code"), "too_large");
    EXPECT_FALSE(response.keep_alive);
    EXPECT_TRUE(co_await closed_by_server(*client, 5s));
    // Chunked bodies are capped too.
    client = co_await connect();
    response = co_await exchange(
        *client,
        "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n800\r\n" +
            std::string(0x800, ' ') + "\r\n0\r\n\r\n");
    EXPECT_EQ(response.status, 413u);
  });
  EXPECT_TRUE(gateway.submitted.empty());
}

awaitable<void> write_ignoring_errors(Client& client, std::shared_ptr<const std::string> data) {
  error_code ec;
  co_await asio::async_write(client.stream, asio::buffer(*data),
                             asio::redirect_error(use_awaitable, ec));
}

TEST_F(ServerTest, The413ReachesAClientThatIsStillSendingItsBody) {
  ServerOptions options;
  options.body_limit = 1024;
  start(options);
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    const std::size_t body_size = 512 * 1024;
    auto upload = std::make_shared<const std::string>(
        "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: " +
        std::to_string(body_size) + "\r\n\r\n" + std::string(body_size, ' '));
    asio::co_spawn(io, write_ignoring_errors(*client, upload), asio::detached);
    const auto response = co_await read_response(*client);
    EXPECT_FALSE(response.error) << response.error.message();
    EXPECT_EQ(response.status, 413u);
  });
}

TEST_F(ServerTest, HeaderBlockAboveTheLimitIs431) {
  ServerOptions options;
  options.header_limit = 1024;
  start(options);
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    const auto response = co_await exchange(
        *client, request_text("GET", "/healthz", "", "X-Big: " + std::string(2000, 'a') + "\r\n"));
    EXPECT_EQ(response.status, 431u);
    EXPECT_EQ(response.body_json().at("error").at("code"), "headers_too_large");
  });
}

TEST_F(ServerTest, NonJsonBodyIs415AndFieldErrorIs422NamingTheField) {
  start();
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    auto response = co_await exchange(
        *client,
        "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
        "Content-Length: 5\r\n\r\nhello");
    EXPECT_EQ(response.status, 415u);
    EXPECT_EQ(response.body_json().at("error").at("code"), "unsupported_media_type");
    response = co_await exchange(
        *client, request_text("POST", "/api/v1/messages", R"({"to":"+491","text":7})"));
    EXPECT_EQ(response.status, 422u);
    EXPECT_EQ(response.body_json().at("error").at("field"), "text");
    EXPECT_EQ(response.body_json().at("error").at("message"), "text: must be a string");
    response = co_await exchange(*client, request_text("POST", "/api/v1/messages", "{\"to\""));
    EXPECT_EQ(response.status, 400u);
    EXPECT_EQ(response.body_json().at("error").at("code"), "invalid");
    EXPECT_TRUE(response.keep_alive);  // a bad body does not cost the connection
  });
}

TEST_F(ServerTest, MalformedHttpIs400AndCloses) {
  start();
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    const auto response = co_await exchange(*client, "GET /healthz HTTP/9.9\r\n\r\n");
    EXPECT_EQ(response.status, 400u);
    EXPECT_EQ(response.body_json().at("error").at("code"), "invalid");
    EXPECT_TRUE(co_await closed_by_server(*client, 5s));
  });
}

// Requests the parser cannot frame get a 400 with a one-line reason, then the connection
// closes (RFC 9112 6.3: Content-Length with Transfer-Encoding is a smuggling attempt).
TEST_F(ServerTest, UnframeableRequestsAre400WithAReasonAndClose) {
  const std::string kPost = "POST /api/v1/messages HTTP/1.1\r\nHost: gw\r\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Content-Length with chunked",
       kPost + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
      {"malformed chunk size",
       kPost + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"},
      {"two Content-Lengths", kPost + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"},
      // Without chunked last the body has no length; reading on would take the next bytes
      // ("abc" here) for a request of their own.
      {"Transfer-Encoding not ending in chunked",
       kPost + "Transfer-Encoding: gzip\r\n\r\nabc"},
      {"a transfer coding before chunked",
       kPost + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"},
      {"chunked then another on a second line",
       kPost + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n"},
      {"bad start line", "HELLO\r\n\r\n"},
      {"header without colon", "GET /healthz HTTP/1.1\r\nHost gw\r\n\r\n"},
  };
  start();
  run([&]() -> awaitable<void> {
    for (const auto& c : cases) {
      const std::string& what = c.first;
      auto* client = co_await connect();
      const auto response = co_await exchange(*client, c.second);
      EXPECT_EQ(response.status, 400u) << what;
      if (response.status == 400u) {
        EXPECT_EQ(response.body_json().at("error").at("code"), "invalid") << what;
        const std::string reason = response.body_json().at("error").at("message");
        EXPECT_EQ(reason.find('\n'), std::string::npos) << what << ": " << reason;
        EXPECT_NE(reason.find("malformed HTTP request"), std::string::npos) << what;
      }
      const bool closed = co_await closed_by_server(*client, 5s);
      EXPECT_TRUE(closed) << what;
    }
  });
}

TEST_F(ServerTest, SilentConnectionIsClosedAfterTheRequestTimeout) {
  ServerOptions options;
  options.request_timeout = 200ms;
  start(options);
  run([&]() -> awaitable<void> {
    auto* silent = co_await connect();
    EXPECT_TRUE(co_await closed_by_server(*silent, 10s));
    // A request that stalls half-way is closed too.
    auto* stalled = co_await connect();
    error_code ec;
    const std::string partial = "POST /api/v1/messages HTTP/1.1\r\nContent-Length: 100\r\n\r\n{";
    co_await asio::async_write(stalled->stream, asio::buffer(partial),
                               asio::redirect_error(use_awaitable, ec));
    EXPECT_TRUE(co_await closed_by_server(*stalled, 10s));
  });
  EXPECT_TRUE(gateway.submitted.empty());
}

TEST_F(ServerTest, IdempotentReplayPassesThroughTheFacade) {
  start();
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    const std::string key = "Idempotency-Key: order-42\r\n";
    auto first = co_await exchange(
        *client, request_text("POST", "/api/v1/messages", R"({"to":"+491","text":"a"})", key));
    EXPECT_EQ(first.status, 202u);
    EXPECT_TRUE(first.headers["Idempotent-Replayed"].empty());
    // Same body with other key order and spacing: the same fingerprint, the first answer.
    auto replay = co_await exchange(
        *client, request_text("POST", "/api/v1/messages", R"({ "text": "a", "to": "+491" })", key));
    EXPECT_EQ(replay.status, 202u);
    EXPECT_EQ(replay.body, first.body);
    EXPECT_EQ(replay.headers[bhttp::field::location], first.headers[bhttp::field::location]);
    EXPECT_EQ(replay.headers["Idempotent-Replayed"], "true");
    // Same key, another body: 409.
    auto conflict = co_await exchange(
        *client, request_text("POST", "/api/v1/messages", R"({"to":"+491","text":"b"})", key));
    EXPECT_EQ(conflict.status, 409u);
    EXPECT_EQ(conflict.body_json().at("error").at("code"), "conflict");
  });
  EXPECT_EQ(gateway.submitted.size(), 1u);
  ASSERT_EQ(gateway.idempotency_seen.size(), 3u);
  EXPECT_EQ(gateway.idempotency_seen[0]->key, "order-42");
  EXPECT_EQ(gateway.idempotency_seen[0]->fingerprint, gateway.idempotency_seen[1]->fingerprint);
  EXPECT_NE(gateway.idempotency_seen[0]->fingerprint, gateway.idempotency_seen[2]->fingerprint);
}

TEST_F(ServerTest, GracefulStopFinishesInFlightRequestsAndClosesIdleOnes) {
  start();
  gateway.hold_submissions = true;
  bool stopped = false;
  run([&]() -> awaitable<void> {
    auto* idle = co_await connect();
    auto response = co_await exchange(*idle, request_text("GET", "/healthz"));
    EXPECT_EQ(response.status, 200u);

    auto* busy = co_await connect();
    error_code ec;
    const auto request = request_text("POST", "/api/v1/messages", R"({"to":"+491","text":"a"})");
    co_await asio::async_write(busy->stream, asio::buffer(request),
                               asio::redirect_error(use_awaitable, ec));
    // Wait until the submission is inside the gateway.
    for (int i = 0; i < 1000 && gateway.submissions_in_flight == 0; ++i) {
      asio::steady_timer tick(io, 1ms);
      co_await tick.async_wait(use_awaitable);
    }
    EXPECT_EQ(gateway.submissions_in_flight, 1);

    server->stop();
    stopped = true;
    // The idle connection is closed at once; new connections are refused.
    EXPECT_TRUE(co_await closed_by_server(*idle, 5s));
    Client late(io.get_executor());
    co_await late.stream.async_connect(server->local_endpoint(),
                                       asio::redirect_error(use_awaitable, ec));
    EXPECT_TRUE(ec) << "a connection was accepted after stop()";

    // The request in flight completes, with Connection: close.
    gateway.release();
    response = co_await read_response(*busy);
    EXPECT_EQ(response.status, 202u);
    EXPECT_FALSE(response.keep_alive);
    EXPECT_TRUE(co_await closed_by_server(*busy, 5s));
  });
  EXPECT_TRUE(stopped);
  EXPECT_EQ(gateway.submitted.size(), 1u);
}

TEST_F(ServerTest, ConnectionsAboveTheCapAreAnswered503) {
  ServerOptions options;
  options.max_connections = 1;
  start(options);
  run([&]() -> awaitable<void> {
    auto* first = co_await connect();
    auto response = co_await exchange(*first, request_text("GET", "/healthz"));
    EXPECT_EQ(response.status, 200u);
    auto* second = co_await connect();
    response = co_await exchange(*second, request_text("GET", "/healthz"));
    EXPECT_EQ(response.status, 503u);
    EXPECT_EQ(response.body_json().at("error").at("code"), "unavailable");
    EXPECT_FALSE(response.keep_alive);
    second->stream.close();
    // The first connection still works.
    response = co_await exchange(*first, request_text("GET", "/healthz"));
    EXPECT_EQ(response.status, 200u);
  });
}

TEST_F(ServerTest, Expect100ContinueIsAnsweredBeforeTheBody) {
  start();
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    const std::string body = R"({"to":"+491","text":"a"})";
    error_code ec;
    const std::string head =
        "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: application/json\r\nExpect: 100-continue\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n\r\n";
    co_await asio::async_write(client->stream, asio::buffer(head),
                               asio::redirect_error(use_awaitable, ec));
    auto interim = co_await read_response(*client);
    EXPECT_EQ(interim.status, 100u);
    const auto response = co_await exchange(*client, body);
    EXPECT_EQ(response.status, 202u);
  });
  EXPECT_EQ(gateway.submitted.size(), 1u);
}

TEST_F(ServerTest, MetricsCountResponses) {
  start();
  run([&]() -> awaitable<void> {
    auto* client = co_await connect();
    (void)co_await exchange(*client, request_text("GET", "/nothing"));
    const auto response = co_await exchange(*client, request_text("GET", "/metrics"));
    EXPECT_EQ(response.status, 200u);
    EXPECT_EQ(response.headers[bhttp::field::content_type],
              "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(response.body.find("smsgw_http_responses_total{class=\"4xx\"} 1\n"),
              std::string::npos)
        << response.body;
    EXPECT_NE(response.body.find("smsgw_http_connections_open 1\n"), std::string::npos);
  });
}

TEST(ServerCreate, RefusesNoTokensOnANonLoopbackAddress) {
  asio::io_context io;
  FakeGateway gateway(io.get_executor());
  ServerOptions options;
  options.listen = "0.0.0.0:0";
  auto refused = Server::create(io.get_executor(), gateway, options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "config");
  EXPECT_EQ(refused.error().message,
            "http.listen = \"0.0.0.0:0\" is not a loopback address and http.tokens is empty: "
            "refusing to serve the API without authentication (add a token to http.tokens or a "
            "[[client]], or listen on 127.0.0.1)");
  options.tokens = {"t"};
  EXPECT_TRUE(Server::create(io.get_executor(), gateway, options).ok());
  options.tokens = {};
  options.listen = "localhost:0";
  EXPECT_TRUE(Server::create(io.get_executor(), gateway, options).ok());
  options.tokens = {""};
  EXPECT_EQ(Server::create(io.get_executor(), gateway, options).error().message,
            "http.tokens[0]: must not be empty");
}

TEST(ServerCreate, ReportsAnAddressInUse) {
  asio::io_context io;
  FakeGateway gateway(io.get_executor());
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  auto first = Server::create(io.get_executor(), gateway, options);
  ASSERT_TRUE(first.ok());
  options.listen = "127.0.0.1:" + std::to_string((*first)->local_endpoint().port());
  auto second = Server::create(io.get_executor(), gateway, options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "http.listen");
  EXPECT_NE(second.error().message.find("cannot bind " + options.listen), std::string::npos)
      << second.error().message;
}

TEST(ServerCreate, ParsesListenAddresses) {
  auto address = parse_listen("127.0.0.1:8080");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->host, "127.0.0.1");
  EXPECT_EQ(address->port, 8080);
  address = parse_listen("[::1]:9000");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->host, "::1");
  EXPECT_EQ(address->port, 9000);
  const std::pair<const char*, const char*> bad[] = {
      {"8080", "must be host:port or [ipv6]:port"},
      {":8080", "must be host:port or [ipv6]:port"},
      {"host:", "port \"\" must be a number from 0 to 65535"},
      {"host:70000", "port \"70000\" must be a number from 0 to 65535"},
      {"host:80x", "port \"80x\" must be a number from 0 to 65535"},
      {"::1:8080", "an IPv6 address must be written in brackets, e.g. [::1]:8080"},
      {"[::1]8080", "must be host:port or [ipv6]:port"},
      {"[zz]:80", "\"zz\" is not an IPv6 address"},
      {"a b:80", "\"a b\" is neither an IP address nor a host name"},
  };
  for (const auto& [listen, reason] : bad) {
    const auto parsed = parse_listen(listen);
    ASSERT_FALSE(parsed.ok()) << listen;
    EXPECT_EQ(parsed.error().message, "http.listen = \"" + std::string(listen) + "\": " + reason);
  }
}

}  // namespace
}  // namespace smsgw::http
