// The dashboard's embedded files (web_assets.hpp): the generated table holds exactly what
// web/ holds, and GET / and GET /assets/{name} answer it with ETag, 304 and the page's
// security headers. Checked against whatever web/ contains, not against particular pages.
#include "smsgw/http/web_assets.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fake_gateway.hpp"
#include "handle_request.hpp"

namespace smsgw::http {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::FakeGateway;

const fs::path kWebDir = fs::path(SMSGW_SOURCE_DIR) / "web";

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

// web/index.html and web/assets/* by their embedded names; dot files are not embedded.
std::map<std::string, std::string> files_on_disk() {
  std::map<std::string, std::string> files;
  if (fs::is_regular_file(kWebDir / "index.html")) {
    files["index.html"] = read_file(kWebDir / "index.html");
  }
  if (fs::is_directory(kWebDir / "assets")) {
    for (const auto& entry : fs::directory_iterator(kWebDir / "assets")) {
      const auto name = entry.path().filename().string();
      if (name.starts_with(".")) continue;
      files["assets/" + name] = read_file(entry.path());
    }
  }
  return files;
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0x0f]);
  }
  return out;
}

std::string expected_type(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> kTypes{
      {"html", "text/html; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"ico", "image/x-icon"},
      {"woff2", "font/woff2"},
      {"woff", "font/woff"},
      {"txt", "text/plain; charset=utf-8"},
      {"webmanifest", "application/manifest+json"},
  };
  const auto dot = name.rfind('.');
  std::string extension(dot == std::string_view::npos ? "" : name.substr(dot + 1));
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto it = kTypes.find(extension);
  return it != kTypes.end() ? it->second : "application/octet-stream";
}

std::string header(const ApiResponse& response, std::string_view name) {
  for (const auto& h : response.headers) {
    if (h.name == name) return h.value;
  }
  return {};
}

TEST(WebAssets, TheTableHoldsExactlyTheFilesOfWebSortedByName) {
  const auto on_disk = files_on_disk();
  ASSERT_FALSE(on_disk.empty()) << "web/ has no index.html and no assets";
  std::map<std::string, std::string> embedded;
  std::string previous;
  for (const auto& asset : web_assets()) {
    EXPECT_LT(previous, asset.name) << "not sorted, or twice";
    previous = std::string(asset.name);
    embedded[std::string(asset.name)] = std::string(asset.bytes);
  }
  EXPECT_EQ(embedded, on_disk);
}

TEST(WebAssets, ContentTypeByExtensionAndAStrongETagFromTheBytes) {
  for (const auto& asset : web_assets()) {
    EXPECT_EQ(asset.content_type, expected_type(asset.name)) << asset.name;
    EXPECT_EQ(asset.etag, "\"" + sha256_hex(asset.bytes).substr(0, 32) + "\"") << asset.name;
  }
  if (const auto* index = find_web_asset("index.html")) {
    EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  }
}

TEST(WebAssets, FindsByExactName) {
  for (const auto& asset : web_assets()) {
    const auto* found = find_web_asset(asset.name);
    ASSERT_NE(found, nullptr) << asset.name;
    EXPECT_EQ(found->name, asset.name);
  }
  EXPECT_EQ(find_web_asset(""), nullptr);
  EXPECT_EQ(find_web_asset("assets"), nullptr);
  EXPECT_EQ(find_web_asset("assets/"), nullptr);
  EXPECT_EQ(find_web_asset("no-such-file.js"), nullptr);
}

TEST(WebAssets, IfNoneMatchUsesTheWeakComparison) {
  const std::string_view etag = "\"abc\"";
  EXPECT_TRUE(etag_matches("\"abc\"", etag));
  EXPECT_TRUE(etag_matches("W/\"abc\"", etag));
  EXPECT_TRUE(etag_matches("\"x\", \"abc\"", etag));
  EXPECT_TRUE(etag_matches("\"x\",W/\"abc\" ", etag));
  EXPECT_TRUE(etag_matches("*", etag));
  EXPECT_TRUE(etag_matches(" * ", etag));
  EXPECT_FALSE(etag_matches("\"abcd\"", etag));
  EXPECT_FALSE(etag_matches("abc", etag));
  EXPECT_FALSE(etag_matches("", etag));
  EXPECT_FALSE(etag_matches(",", etag));
}

class PageRoutes : public ::testing::Test {
 protected:
  ApiResponse call(std::string_view method, std::string_view target,
                   std::string_view if_none_match = "") {
    return testing::handle_request(
        io, *handler, {.method = method, .target = target, .if_none_match = if_none_match});
  }

  // Checks a 200 or 304 answer of `asset`.
  static void expect_headers(const ApiResponse& response, const WebAsset& asset) {
    EXPECT_EQ(header(response, "ETag"), asset.etag);
    EXPECT_EQ(header(response, "Cache-Control"), "no-cache");
    EXPECT_EQ(header(response, "Content-Security-Policy"), kContentSecurityPolicy);
    EXPECT_EQ(header(response, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(response, "Referrer-Policy"), "no-referrer");
  }

  asio::io_context io;
  FakeGateway gateway{io.get_executor()};
  // Tokens configured: the page's files are open all the same.
  std::unique_ptr<ApiHandler> handler =
      std::make_unique<ApiHandler>(gateway, std::vector<std::string>{"s3cret"});
};

TEST_F(PageRoutes, EveryFileIsServedWithoutAToken) {
  for (const auto& asset : web_assets()) {
    const std::string target = asset.name == "index.html" ? "/" : "/" + std::string(asset.name);
    const auto response = call("GET", target);
    ASSERT_EQ(response.status, 200u) << target << " " << response.body;
    EXPECT_EQ(response.content_type, asset.content_type) << target;
    EXPECT_EQ(response.body, asset.bytes) << target;
    expect_headers(response, asset);
  }
}

TEST_F(PageRoutes, AMatchingIfNoneMatchIs304WithoutBody) {
  ASSERT_FALSE(web_assets().empty());
  const auto& asset = web_assets().front();
  const std::string target = asset.name == "index.html" ? "/" : "/" + std::string(asset.name);
  for (const std::string& condition : {std::string(asset.etag), "W/" + std::string(asset.etag),
                                       "\"other\", " + std::string(asset.etag), std::string("*")}) {
    const auto response = call("GET", target, condition);
    EXPECT_EQ(response.status, 304u) << condition;
    EXPECT_TRUE(response.body.empty());
    EXPECT_TRUE(response.content_type.empty());
    expect_headers(response, asset);
  }
  const auto changed = call("GET", target, "\"an-older-build\"");
  EXPECT_EQ(changed.status, 200u);
  EXPECT_EQ(changed.body, asset.bytes);
}

TEST_F(PageRoutes, UnknownOrNestedNamesAre404LikeAnyUnknownPath) {
  for (const char* target : {"/assets/no-such-file.js", "/assets/a%2Fb", "/assets/a/b", "/assets",
                             "/assets/", "/assets/%2e%2e", "/index.html", "/assets/index.html"}) {
    const auto response = call("GET", target);
    EXPECT_EQ(response.status, 404u) << target;
    EXPECT_EQ(response.content_type, kJsonContentType) << target;
    EXPECT_EQ(json::parse(response.body).at("error").at("code"), "not_found") << target;
  }
}

TEST_F(PageRoutes, OnlyGetAndAQueryStringIsIgnored) {
  const auto post = call("POST", "/");
  EXPECT_EQ(post.status, 405u);
  EXPECT_EQ(post.allow, "GET");
  if (const auto* index = find_web_asset("index.html")) {
    const auto response = call("GET", "/?v=2");
    EXPECT_EQ(response.status, 200u);
    EXPECT_EQ(response.body, index->bytes);
  }
  // The API's own routes still refuse an unknown parameter.
  EXPECT_EQ(call("GET", "/healthz?v=2").status, 422u);
}

TEST_F(PageRoutes, TheApiKeepsItsJsonAnswersWithoutThePagesHeaders) {
  const auto response = call("GET", "/healthz");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.content_type, kJsonContentType);
  EXPECT_TRUE(response.headers.empty());
  EXPECT_EQ(call("GET", "/api/v1/modems").status, 401u);  // still needs the token
}

}  // namespace
}  // namespace smsgw::http
