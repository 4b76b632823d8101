// URLs, listen addresses and error answers (the pure parts of the API client).
#include "smsgw/cli/api_client.hpp"

#include <gtest/gtest.h>

namespace smsgw::cli {
namespace {

TEST(Endpoint, ParsesHttpUrls) {
  auto endpoint = parse_endpoint("http://127.0.0.1:8080");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->host, "127.0.0.1");
  EXPECT_EQ(endpoint->port, "8080");
  EXPECT_EQ(endpoint->path_prefix, "");
  EXPECT_EQ(endpoint->url, "http://127.0.0.1:8080");

  endpoint = parse_endpoint("http://[::1]:9000/gw/");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->host, "::1");
  EXPECT_EQ(endpoint->path_prefix, "/gw");
  EXPECT_EQ(endpoint->url, "http://[::1]:9000/gw");

  endpoint = parse_endpoint("gateway.local");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->port, "80");
}

TEST(Endpoint, RefusesWhatItCannotReach) {
  EXPECT_FALSE(parse_endpoint("https://host:443"));
  EXPECT_FALSE(parse_endpoint("ftp://host"));
  EXPECT_FALSE(parse_endpoint("http://host:0"));
  EXPECT_FALSE(parse_endpoint("http://host:99999"));
  EXPECT_FALSE(parse_endpoint("http://:8080"));
  EXPECT_FALSE(parse_endpoint("http://host:80/x?y=1"));
  EXPECT_NE(parse_endpoint("https://h").error().message.find("https is not supported"),
            std::string::npos);
}

TEST(Endpoint, UrlForListen) {
  EXPECT_EQ(url_for_listen("127.0.0.1:8080").value(), "http://127.0.0.1:8080");
  EXPECT_EQ(url_for_listen("0.0.0.0:8081").value(), "http://127.0.0.1:8081");
  EXPECT_EQ(url_for_listen("[::]:8082").value(), "http://[::1]:8082");
  EXPECT_EQ(url_for_listen("localhost:80").value(), "http://localhost:80");
  EXPECT_FALSE(url_for_listen("127.0.0.1:0"));
  EXPECT_FALSE(url_for_listen("nonsense"));
}

TEST(Failure, UsesTheServersErrorBody) {
  const HttpReply reply{
      422,
      R"({"error":{"code":"validation","message":"messages[3].to: missing","field":"messages[3].to"}})",
      {}};
  const ApiFailure failure = failure_of(reply, true);
  EXPECT_EQ(failure.status, 422u);
  EXPECT_EQ(failure.error.code, "validation");
  EXPECT_EQ(failure.error.message, "messages[3].to: missing");
  EXPECT_EQ(failure.field, "messages[3].to");
}

TEST(Failure, Unauthorized) {
  const HttpReply reply{401, R"({"error":{"code":"unauthorized","message":"x"}})", {}};
  EXPECT_EQ(failure_of(reply, true).error.message,
            "the token was refused (401); pass --token or set SMSGW_TOKEN");
  EXPECT_EQ(failure_of(reply, false).error.message,
            "the gateway needs a token (401); pass --token or set SMSGW_TOKEN");
}

TEST(Failure, ABodyWithoutAnErrorNamesTheStatus) {
  const ApiFailure failure = failure_of(HttpReply{502, "<html>bad gateway</html>", {}}, false);
  EXPECT_EQ(failure.error.code, "http.502");
  EXPECT_EQ(failure.error.message, "the gateway answered HTTP 502 Bad Gateway");
}

TEST(Encoding, PercentEncodesSegmentsAndValues) {
  EXPECT_EQ(encode_path_segment("01HX-abc_1.~"), "01HX-abc_1.~");
  EXPECT_EQ(encode_path_segment("a/b c"), "a%2Fb%20c");
  EXPECT_EQ(encode_query_value("x&y=z"), "x%26y%3Dz");
}

}  // namespace
}  // namespace smsgw::cli
