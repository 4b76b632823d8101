// GET /api/v1/events and GET /api/v1/stats through ApiHandler and a FakeGateway: the token in
// the query, Last-Event-ID from the header or the query, and their errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "fake_gateway.hpp"
#include "handle_request.hpp"
#include "smsgw/http/api_handler.hpp"

namespace smsgw::http {
namespace {

using json = nlohmann::json;
using testing::FakeGateway;

class EventRoutes : public ::testing::Test {
 protected:
  ApiResponse get(std::string_view target, std::string_view authorization = "",
                  std::string_view last_event_id = "") {
    ApiRequest request{
        .method = "GET",
        .target = target,
        .content_type = {},
        .authorization = authorization,
        .idempotency_key = "",
        .body = "",
        .last_event_id = last_event_id,
    };
    return testing::handle_request(io, *handler, request);
  }

  asio::io_context io;
  FakeGateway gateway{io.get_executor()};
  std::unique_ptr<ApiHandler> handler =
      std::make_unique<ApiHandler>(gateway, std::vector<std::string>{"secret"});
};

TEST_F(EventRoutes, TheStreamIsAcceptedWithTheHeaderTokenOrTheQueryToken) {
  const auto by_header = get("/api/v1/events", "Bearer secret");
  EXPECT_EQ(by_header.status, 200u);
  ASSERT_TRUE(by_header.stream.has_value());
  EXPECT_EQ(by_header.stream->caller.name, "http.tokens[0]");
  EXPECT_FALSE(by_header.stream->last_event_id.has_value());

  const auto by_query = get("/api/v1/events?access_token=secret&last_event_id=41");
  EXPECT_EQ(by_query.status, 200u);
  ASSERT_TRUE(by_query.stream.has_value());
  EXPECT_EQ(by_query.stream->last_event_id, std::optional<std::int64_t>(41));
}

TEST_F(EventRoutes, AWrongOrMissingTokenIsRefused) {
  const auto wrong = get("/api/v1/events?access_token=nope");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_FALSE(wrong.stream.has_value());
  EXPECT_EQ(get("/api/v1/events").status, 401u);
  // The query token is for the stream only.
  EXPECT_EQ(get("/api/v1/modems?access_token=secret").status, 401u);
}

TEST_F(EventRoutes, TheLastEventIdHeaderWinsAndAMalformedOneIsNamed) {
  const auto both = get("/api/v1/events?last_event_id=3", "Bearer secret", "17");
  ASSERT_TRUE(both.stream.has_value());
  EXPECT_EQ(both.stream->last_event_id, std::optional<std::int64_t>(17));

  const auto bad_header = get("/api/v1/events", "Bearer secret", "abc");
  EXPECT_EQ(bad_header.status, 400u);
  EXPECT_NE(bad_header.body.find("Last-Event-ID"), std::string::npos) << bad_header.body;

  const auto bad_query = get("/api/v1/events?last_event_id=-4", "Bearer secret");
  EXPECT_EQ(bad_query.status, 400u);
  EXPECT_NE(bad_query.body.find("last_event_id"), std::string::npos) << bad_query.body;

  const auto unknown = get("/api/v1/events?since=1", "Bearer secret");
  EXPECT_EQ(unknown.status, 422u);
  EXPECT_NE(unknown.body.find("since"), std::string::npos) << unknown.body;
}

TEST_F(EventRoutes, StatsAnswerTheGatewaysFigures) {
  gateway.stats_answer.queue_depth = 12;
  gateway.stats_answer.messages_by_status = {{"queued", 12}, {"sent", 3}};
  gateway.stats_answer.parts_per_minute.assign(60, 0);
  gateway.stats_answer.parts_per_minute.back() = 4;
  gateway.stats_answer.minute_start = TimePoint(std::chrono::minutes(28'000'000));
  const auto response = get("/api/v1/stats", "Bearer secret");
  ASSERT_EQ(response.status, 200u) << response.body;
  const auto body = json::parse(response.body);
  EXPECT_EQ(body.at("queue_depth"), 12);
  EXPECT_EQ(body.at("messages_by_status").at("sent"), 3);
  EXPECT_EQ(body.at("parts_per_minute").size(), 60u);
  EXPECT_EQ(body.at("parts_per_minute").back(), 4);
  EXPECT_EQ(body.at("minute_start"), "2023-03-28T10:40:00Z");
}

}  // namespace
}  // namespace smsgw::http
