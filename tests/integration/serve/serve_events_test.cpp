// The live event stream (GET /api/v1/events) of the real gateway: order, replay after a
// reconnect and a restart, tokens in the query, what idle clients cost, and a slow client.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "harness/event_stream_client.hpp"
#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

using harness::EventStreamClient;
using harness::EventStreamOptions;
using harness::StreamedEvent;

constexpr const char* kToken = "events-test-token";

harness::HarnessOptions with_token() {
  harness::HarnessOptions options;
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["http"]["tokens"] = harness::toml_string_array({kToken});
  };
  return options;
}

EventStreamOptions authorised(std::optional<std::int64_t> last_event_id = std::nullopt) {
  EventStreamOptions options;
  options.token = kToken;
  options.last_event_id = last_event_id;
  return options;
}

bool is_status_of(const StreamedEvent& event, const std::string& id, const std::string& status) {
  if (event.type != "message") return false;
  const auto data = event.json();
  return data.value("id", "") == id && data.value("status", "") == status;
}

// The statuses the stream showed for message `id`, in stream order.
std::vector<std::string> statuses_of(const std::vector<StreamedEvent>& events,
                                     const std::string& id) {
  std::vector<std::string> out;
  for (const auto& event : events) {
    if (event.type == "message" && event.json().value("id", "") == id) {
      out.push_back(event.json().value("status", ""));
    }
  }
  return out;
}

// utime + stime of a process, in clock ticks (proc(5)).
long cpu_ticks(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto after_name = text.rfind(')');
  std::istringstream fields(text.substr(after_name + 2));
  std::string field;
  long utime = 0;
  long stime = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) {
      stime = std::stol(field);
      break;
    }
  }
  return utime + stime;
}

TEST(ServeEvents, AMessageIsSeenQueuedSendingSentDeliveredInOrder) {
  Gateway gw(with_token());
  EventStreamClient stream(gw.http_port(), authorised());
  ASSERT_EQ(stream.status(), 200) << stream.rest();
  EXPECT_NE(stream.head().find("Content-Type: text/event-stream"), std::string::npos)
      << stream.head();

  const std::string reference = "say \"hi\" \\ \u00e4";  // escapes in the event's JSON
  const auto id = gw.submit_ok("+491511000101", "watch me", {{"reference", reference}});
  const auto events =
      stream.until([&](const StreamedEvent& e) { return is_status_of(e, id, "delivered"); }, 20s,
                   "message " + id + " delivered");
  EXPECT_EQ(statuses_of(events, id),
            (std::vector<std::string>{"queued", "sending", "sent", "delivered"}));
  std::int64_t previous = 0;
  for (const auto& event : events) {
    if (event.type != "message") continue;
    ASSERT_TRUE(event.id.has_value()) << event.data;
    EXPECT_GT(*event.id, previous) << "ids must ascend";
    previous = *event.id;
    const auto data = event.json();
    EXPECT_EQ(data.value("to", ""), "+491511000101");
    EXPECT_EQ(data.value("parts", 0), 1);
    EXPECT_EQ(data.value("reference", ""), reference);
  }
  const auto delivered = events.back().json();
  EXPECT_EQ(delivered.value("modem", ""), "modem0");
}

TEST(ServeEvents, AReconnectAfterARestartReplaysWhatItMissedThenGoesLive) {
  Gateway gw(with_token());
  std::int64_t last_seen = 0;
  const auto first = gw.submit_ok("+491511000102", "before the break");
  {
    EventStreamClient stream(gw.http_port(), authorised(0));
    const auto events =
        stream.until([&](const StreamedEvent& e) { return is_status_of(e, first, "delivered"); },
                     20s, "the first message delivered");
    last_seen = *events.back().id;
  }
  // While no one listens: another message goes all the way, and the gateway restarts.
  const auto missed = gw.submit_ok("+491621000103", "while you were away");
  gw.wait_status(missed, {"delivered"});
  ASSERT_EQ(gw.stop_gateway(), 0);
  gw.start_gateway();

  EventStreamClient stream(gw.http_port(), authorised(last_seen));
  const auto replayed =
      stream.until([&](const StreamedEvent& e) { return is_status_of(e, missed, "delivered"); },
                   10s, "the missed message's events replayed");
  EXPECT_EQ(statuses_of(replayed, missed),
            (std::vector<std::string>{"queued", "sending", "sent", "delivered"}));
  EXPECT_TRUE(statuses_of(replayed, first).empty()) << "nothing at or before Last-Event-ID";
  for (const auto& event : replayed) {
    if (event.id) {
      EXPECT_GT(*event.id, last_seen);
    }
  }
  // Then live, without a gap or a repeat.
  const auto live = gw.submit_ok("+491511000104", "and now live");
  const auto after =
      stream.until([&](const StreamedEvent& e) { return is_status_of(e, live, "queued"); }, 10s,
                   "the live message queued");
  ASSERT_TRUE(after.back().id.has_value());
  EXPECT_GT(*after.back().id, *replayed.back().id);
}

TEST(ServeEvents, AnIdTheJournalNeverGaveIsAnsweredWithReset) {
  Gateway gw(with_token());
  EventStreamClient stream(gw.http_port(), authorised(999'999'999));
  const auto event = stream.next(5s);
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->type, "reset");
  EXPECT_FALSE(event->id.has_value());
  EXPECT_NE(event->json().value("reason", "").find("999999999"), std::string::npos) << event->data;
}

TEST(ServeEvents, TheTokenMayComeInTheQueryAndAWrongOneIsRefused) {
  Gateway gw(with_token());
  EventStreamOptions query;
  query.target = std::string("/api/v1/events?access_token=") + kToken;
  EventStreamClient good(gw.http_port(), query);
  EXPECT_EQ(good.status(), 200) << good.rest();

  EventStreamOptions wrong;
  wrong.target = "/api/v1/events?access_token=nope";
  EventStreamClient refused(gw.http_port(), wrong);
  EXPECT_EQ(refused.status(), 401);
  EXPECT_NE(refused.rest(1s).find("not valid"), std::string::npos);

  EventStreamClient none(gw.http_port());
  EXPECT_EQ(none.status(), 401);
  // The token never reaches the log.
  EXPECT_EQ(gw.gateway_log().find(kToken), std::string::npos);
}

TEST(ServeEvents, AHundredIdleStreamsCostNoMeasurableCpu) {
  Gateway gw(with_token());
  const pid_t pid = gw.gateway_pid();
  const auto ticks_per_second = ::sysconf(_SC_CLK_TCK);
  // The gateway's own idle cost (polling its modems) over the same span, for comparison.
  const auto measure = [&] {
    const long before = cpu_ticks(pid);
    std::this_thread::sleep_for(5s);
    return cpu_ticks(pid) - before;
  };
  const long alone = measure();
  std::vector<std::unique_ptr<EventStreamClient>> streams;
  for (int i = 0; i < 100; ++i) {
    streams.push_back(std::make_unique<EventStreamClient>(gw.http_port(), authorised()));
    ASSERT_EQ(streams.back()->status(), 200);
  }
  const long with_streams = measure();
  RecordProperty("idle_ticks_alone", static_cast<int>(alone));
  RecordProperty("idle_ticks_with_100_streams", static_cast<int>(with_streams));
  // Less than 2% of one core over 5 s more than without them (a tick is 1/CLK_TCK s).
  EXPECT_LE(with_streams - alone, ticks_per_second / 10)
      << "alone " << alone << " ticks, with 100 idle streams " << with_streams << " ticks";
  // Every stream still works.
  const auto id = gw.submit_ok("+491511000105", "for all hundred");
  for (auto& stream : streams) {
    stream->until([&](const StreamedEvent& e) { return is_status_of(e, id, "queued"); }, 10s,
                  "queued on every stream");
  }
}

TEST(ServeEvents, ASlowStreamIsDroppedWhileTheGatewayAndOtherStreamsGoOn) {
  Gateway gw(with_token());
  EventStreamOptions slow_options = authorised();
  slow_options.receive_buffer = 4096;
  EventStreamClient slow(gw.http_port(), slow_options);  // never reads
  EventStreamClient reader(gw.http_port(), authorised());
  ASSERT_EQ(reader.status(), 200);

  // 2,000 messages in 4 batches: well over what the slow stream's socket and buffer hold.
  std::vector<std::string> ids;
  for (int batch = 0; batch < 4; ++batch) {
    json messages = json::array();
    for (int i = 0; i < 500; ++i) {
      messages.push_back({{"to", number("+4915110", batch * 500 + i)},
                          {"text", "flood " + std::to_string(batch * 500 + i)},
                          {"send_at", "2099-01-01T00:00:00Z"}});
    }
    const auto started = std::chrono::steady_clock::now();
    const auto response = gw.client().post("/api/v1/messages", json{{"messages", messages}});
    ASSERT_EQ(response.status, 202) << response.describe();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << "the slow stream held it up";
    for (const auto& accepted : response.json()) ids.push_back(accepted.at("id"));
  }
  // The reader sees every one of them.
  std::set<std::string> queued;
  reader.until(
      [&](const StreamedEvent& e) {
        if (e.type == "message" && e.json().value("status", "") == "queued") {
          queued.insert(e.json().value("id", ""));
        }
        return queued.size() == ids.size();
      },
      30s, "2,000 queued events");
  // The slow one was closed by the gateway (reading now drains it to the end).
  EXPECT_TRUE(slow.closed_within(10s));
  EXPECT_NE(gw.gateway_log().find("fell behind"), std::string::npos) << gw.gateway_log_tail();
  EXPECT_EQ(gw.client().get("/healthz").status, 200);
}

}  // namespace
}  // namespace smsgw::serve_test
