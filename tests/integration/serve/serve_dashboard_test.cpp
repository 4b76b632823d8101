// What the dashboard needs of the real `smsgw serve`: its files from the binary (open, with
// ETag, 304 and the security headers), GET /api/v1/info, and the message list's `to` and
// `modem` filters (dashboard-contract.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "serve_support.hpp"
#include "smsgw/common/version.hpp"

namespace smsgw::serve_test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAdmin = "admin-token-0123456789";
constexpr const char* kViewer = "viewer-token-0123456789";

harness::HarnessOptions with_tokens(std::vector<std::string> shift_tables = {}) {
  harness::HarnessOptions options;
  options.configure = [shift_tables](harness::GatewayConfig& config) {
    config.tables["http"]["tokens"] = harness::toml_string_array({kAdmin});
    if (!shift_tables.empty()) {
      config.tables["sms"]["shift_tables"] = harness::toml_string_array(shift_tables);
    }
    config.extra_toml = std::string("[[client]]\nname = \"viewer\"\ntoken = \"") + kViewer +
                        "\"\nscopes = [\"read\"]\n";
  };
  return options;
}

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

// URL path -> bytes of every file the page consists of (web/index.html, web/assets/*).
std::map<std::string, std::string> page_files() {
  const fs::path web = fs::path(SMSGW_SOURCE_DIR) / "web";
  std::map<std::string, std::string> files;
  if (fs::is_regular_file(web / "index.html")) files["/"] = read_file(web / "index.html");
  if (fs::is_directory(web / "assets")) {
    for (const auto& entry : fs::directory_iterator(web / "assets")) {
      const auto name = entry.path().filename().string();
      if (!name.starts_with(".")) files["/assets/" + name] = read_file(entry.path());
    }
  }
  return files;
}

void expect_page_headers(const harness::HttpResponse& response) {
  EXPECT_EQ(response.header("Cache-Control"), "no-cache");
  EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response.header("Referrer-Policy"), "no-referrer");
  const auto policy = response.header("Content-Security-Policy");
  EXPECT_NE(policy.find("default-src 'self'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe"), std::string::npos) << policy;
}

TEST(ServeDashboard, ServesEveryFileOfThePageWithoutAToken) {
  Gateway gw(with_tokens());
  harness::HttpClient anonymous(gw.http_port());
  const auto files = page_files();
  ASSERT_FALSE(files.empty());
  for (const auto& [path, bytes] : files) {
    const auto response = anonymous.get(path);
    ASSERT_EQ(response.status, 200) << path << " " << response.describe();
    EXPECT_EQ(response.body, bytes) << path;
    EXPECT_FALSE(response.header("Content-Type").empty()) << path;
    const auto etag = response.header("ETag");
    ASSERT_GE(etag.size(), 3u) << path;
    EXPECT_EQ(etag.front(), '"');
    EXPECT_EQ(etag.back(), '"');
    expect_page_headers(response);

    // The browser's revalidation: 304, no body, no Content-Length, the same headers.
    const auto again = anonymous.request("GET", path, {}, {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304) << path << " " << again.describe();
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(again.header("Content-Length"), "");
    EXPECT_EQ(again.header("ETag"), etag);
    expect_page_headers(again);
  }
  if (files.contains("/")) {
    EXPECT_EQ(anonymous.get("/").header("Content-Type"), "text/html; charset=utf-8");
  }
  const auto missing = anonymous.get("/assets/no-such-file.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["error"]["code"], "not_found");
  // The data still needs a token.
  EXPECT_EQ(anonymous.get("/api/v1/modems").status, 401);
  EXPECT_EQ(anonymous.get("/api/v1/info").status, 401);
}

TEST(ServeDashboard, InfoNamesTheCallerAndTheEncodersTables) {
  Gateway gw(with_tokens({"turkish", "spanish"}));
  harness::HttpClient viewer(gw.http_port(), "127.0.0.1", kViewer);
  const auto response = viewer.get("/api/v1/info");
  ASSERT_EQ(response.status, 200) << response.describe();
  const auto info = response.json();
  EXPECT_EQ(info["version"], std::string(kVersion));
  EXPECT_EQ(info["caller"], (json{{"name", "viewer"}, {"scopes", {"read"}}}));
  EXPECT_EQ(info["auth"], true);
  EXPECT_EQ(info["max_parts"], 10);
  EXPECT_EQ(info["shift_tables"], (json{"turkish", "spanish"}));

  const auto& standard = info["alphabets"]["default"];
  ASSERT_EQ(standard["locking"].size(), 128u);
  ASSERT_EQ(standard["single"].size(), 128u);
  EXPECT_EQ(standard["locking"][0x00], "@");
  EXPECT_EQ(standard["locking"][0x1B], "");
  EXPECT_EQ(standard["single"][0x65], "\u20AC");
  EXPECT_EQ(info["alphabets"]["turkish"]["locking"][0x1B], "");
  EXPECT_TRUE(info["alphabets"]["spanish"]["locking"].is_null());
  EXPECT_EQ(info["alphabets"]["spanish"]["single"].size(), 128u);

  harness::HttpClient admin(gw.http_port(), "127.0.0.1", kAdmin);
  EXPECT_EQ(admin.get("/api/v1/info").json()["caller"]["scopes"],
            (json{"send", "read", "modems", "admin"}));
}

TEST(ServeDashboard, MessagesFilterByRecipientAsWrittenAndByModem) {
  Gateway gw;
  const auto first = gw.submit_ok("+4915123000001", "one");
  const auto second = gw.submit_ok("+4915123000002", "two");
  const auto third = gw.submit_ok("+4915123000001", "three");
  gw.wait_status(first, {"delivered"});
  gw.wait_status(second, {"delivered"});
  const auto sent = gw.wait_status(third, {"delivered"});

  // The national form finds the normalised number, newest first.
  auto page = gw.client().get("/api/v1/messages?to=0151%2023000001");
  ASSERT_EQ(page.status, 200) << page.describe();
  auto messages = page.json()["messages"];
  ASSERT_EQ(messages.size(), 2u) << page.body;
  EXPECT_EQ(messages[0]["id"], third);
  EXPECT_EQ(messages[1]["id"], first);

  const auto refused = gw.client().get("/api/v1/messages?to=not-a-number");
  EXPECT_EQ(refused.status, 422) << refused.describe();
  EXPECT_EQ(refused.json()["error"]["field"], "to");

  const std::string modem = sent.value("modem", "");
  ASSERT_FALSE(modem.empty()) << sent.dump();
  page = gw.client().get("/api/v1/messages?to=%2B4915123000001&modem=" + modem);
  ASSERT_EQ(page.status, 200) << page.describe();
  for (const auto& message : page.json()["messages"]) EXPECT_EQ(message["modem"], modem);
  page = gw.client().get("/api/v1/messages?modem=no-such-modem");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(page.json()["messages"].empty());
}

}  // namespace
}  // namespace smsgw::serve_test
