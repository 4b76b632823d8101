#include "smsgw/http/router.hpp"

#include <gtest/gtest.h>

#include <string>

namespace smsgw::http {
namespace {

struct FoundCase {
  std::string method;
  std::string path;
  RouteId route;
  std::string param;
};

class RouterFound : public ::testing::TestWithParam<FoundCase> {};

TEST_P(RouterFound, MatchesRouteAndParameter) {
  const auto& c = GetParam();
  const auto match = match_route(c.method, c.path);
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::found) << c.method << " " << c.path;
  EXPECT_EQ(match.route->id, c.route);
  EXPECT_EQ(match.param, c.param);
  EXPECT_TRUE(match.allow.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, RouterFound,
    ::testing::Values(
        FoundCase{"GET", "/api/v1/messages", RouteId::list_messages, ""},
        FoundCase{"POST", "/api/v1/messages", RouteId::submit_messages, ""},
        FoundCase{"GET", "/api/v1/messages/01HXABC", RouteId::get_message, "01HXABC"},
        FoundCase{"DELETE", "/api/v1/messages/01HXABC", RouteId::cancel_message, "01HXABC"},
        FoundCase{"GET", "/api/v1/modems", RouteId::list_modems, ""},
        FoundCase{"POST", "/api/v1/modems/modem0/ussd", RouteId::modem_ussd, "modem0"},
        FoundCase{"POST", "/api/v1/modems/modem0/balance", RouteId::modem_balance, "modem0"},
        FoundCase{"POST", "/api/v1/balance", RouteId::balance_all, ""},
        FoundCase{"GET", "/api/v1/inbox", RouteId::inbox, ""},
        FoundCase{"GET", "/api/v1/openapi.json", RouteId::openapi, ""},
        FoundCase{"GET", "/healthz", RouteId::healthz, ""},
        FoundCase{"GET", "/metrics", RouteId::metrics, ""},
        FoundCase{"GET", "/api/v1/info", RouteId::info, ""},
        FoundCase{"GET", "/", RouteId::page, ""},
        FoundCase{"GET", "/assets/app.js", RouteId::asset, "app.js"},
        FoundCase{"GET", "/assets/a%20b.css", RouteId::asset, "a b.css"},
        // Percent-escapes in a parameter are decoded.
        FoundCase{"GET", "/api/v1/messages/a%20b%2Bc", RouteId::get_message, "a b+c"},
        FoundCase{"POST", "/api/v1/modems/usb%3A1-2/ussd", RouteId::modem_ussd, "usb:1-2"}));

struct MissCase {
  std::string method;
  std::string path;
  RouteMatch::Outcome outcome;
  std::string allow;
};

class RouterMiss : public ::testing::TestWithParam<MissCase> {};

TEST_P(RouterMiss, AnswersNotFoundOrMethodNotAllowed) {
  const auto& c = GetParam();
  const auto match = match_route(c.method, c.path);
  EXPECT_EQ(match.outcome, c.outcome) << c.method << " " << c.path;
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allow, c.allow);
}

using Outcome = RouteMatch::Outcome;

INSTANTIATE_TEST_SUITE_P(
    Table, RouterMiss,
    ::testing::Values(
        MissCase{"GET", "//", Outcome::not_found, ""}, MissCase{"GET", "", Outcome::not_found, ""},
        MissCase{"GET", "/index.html", Outcome::not_found, ""},
        MissCase{"GET", "/assets", Outcome::not_found, ""},
        MissCase{"GET", "/assets/", Outcome::not_found, ""},
        MissCase{"GET", "/assets/a/b.js", Outcome::not_found, ""},
        MissCase{"GET", "/assets/a%2Fb.js", Outcome::not_found, ""},
        MissCase{"GET", "/api/v1", Outcome::not_found, ""},
        MissCase{"GET", "/api/v1/messages/", Outcome::not_found, ""},
        MissCase{"GET", "/api/v1/messages//", Outcome::not_found, ""},
        MissCase{"GET", "/api/v1/messages/a/b", Outcome::not_found, ""},
        MissCase{"GET", "/API/V1/MESSAGES", Outcome::not_found, ""},
        MissCase{"GET", "/api/v2/messages", Outcome::not_found, ""},
        MissCase{"GET", "/healthz/", Outcome::not_found, ""},
        MissCase{"GET", "/api/v1/modems//ussd", Outcome::not_found, ""},
        // Malformed or '/'-decoding escapes in a parameter are no resource.
        MissCase{"GET", "/api/v1/messages/%zz", Outcome::not_found, ""},
        MissCase{"GET", "/api/v1/messages/%4", Outcome::not_found, ""},
        MissCase{"GET", "/api/v1/messages/a%2Fb", Outcome::not_found, ""},
        // A known path with another method: 405 and the path's methods in table order.
        MissCase{"PUT", "/api/v1/messages", Outcome::method_not_allowed, "GET, POST"},
        MissCase{"DELETE", "/api/v1/messages", Outcome::method_not_allowed, "GET, POST"},
        MissCase{"POST", "/api/v1/messages/1", Outcome::method_not_allowed, "GET, DELETE"},
        MissCase{"GET", "/api/v1/modems/m/ussd", Outcome::method_not_allowed, "POST"},
        MissCase{"GET", "/api/v1/balance", Outcome::method_not_allowed, "POST"},
        MissCase{"POST", "/healthz", Outcome::method_not_allowed, "GET"},
        MissCase{"POST", "/", Outcome::method_not_allowed, "GET"},
        MissCase{"DELETE", "/assets/app.js", Outcome::method_not_allowed, "GET"},
        MissCase{"HEAD", "/metrics", Outcome::method_not_allowed, "GET"},
        MissCase{"get", "/metrics", Outcome::method_not_allowed, "GET"}));

TEST(Router, TableHasOneRowPerMethodAndPattern) {
  const auto table = routes();
  for (std::size_t i = 0; i < table.size(); ++i) {
    for (std::size_t j = i + 1; j < table.size(); ++j) {
      EXPECT_FALSE(table[i].method == table[j].method && table[i].pattern == table[j].pattern)
          << table[i].method << " " << table[i].pattern;
    }
  }
}

// /cgi-bin/sendsms is open to the bearer check only: it takes Kannel's username/password
// instead (api_sendsms_test.cpp).
TEST(Router, OnlyHealthApiDescriptionThePagesFilesAndSendsmsAreOpen) {
  for (const auto& route : routes()) {
    const bool expected_open = route.id == RouteId::healthz || route.id == RouteId::openapi ||
                               route.id == RouteId::page || route.id == RouteId::asset ||
                               route.id == RouteId::sendsms;
    EXPECT_EQ(route.open, expected_open) << route.pattern;
  }
}

TEST(Router, SplitTargetSeparatesPathQueryAndFragment) {
  auto target = split_target("/api/v1/messages?limit=5&status=sent");
  EXPECT_EQ(target.path, "/api/v1/messages");
  EXPECT_EQ(target.query, "limit=5&status=sent");
  target = split_target("/healthz");
  EXPECT_EQ(target.path, "/healthz");
  EXPECT_EQ(target.query, "");
  target = split_target("/a?b=1#frag?x");
  EXPECT_EQ(target.path, "/a");
  EXPECT_EQ(target.query, "b=1");
  target = split_target("/a?");
  EXPECT_EQ(target.path, "/a");
  EXPECT_EQ(target.query, "");
}

TEST(Router, PercentDecode) {
  std::string out;
  EXPECT_TRUE(percent_decode("a%41%62+c", out, false));
  EXPECT_EQ(out, "aAb+c");
  EXPECT_TRUE(percent_decode("a%41%62+c", out, true));
  EXPECT_EQ(out, "aAb c");
  EXPECT_TRUE(percent_decode("%00", out, false));
  EXPECT_EQ(out, std::string(1, '\0'));
  EXPECT_FALSE(percent_decode("%", out, false));
  EXPECT_FALSE(percent_decode("%4", out, false));
  EXPECT_FALSE(percent_decode("%G1", out, false));
  EXPECT_FALSE(percent_decode("abc%", out, false));
}

}  // namespace
}  // namespace smsgw::http
