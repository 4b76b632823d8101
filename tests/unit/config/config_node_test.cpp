// [store] url / password_file and [node] (name, lease, url, poll): several nodes sharing
// one PostgreSQL database (README, "Several hosts").
#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>

#include "smsgw/config/config.hpp"

namespace smsgw::config {
namespace {

using namespace std::chrono_literals;

Result<Config> parse(std::string_view text) { return parse_config(text, "/srv/smsgw/smsgw.toml"); }

// The error's message holds `part` (the key and the reason).
void expect_refused(std::string_view text, const std::string& part) {
  auto config = parse(text);
  ASSERT_FALSE(config.ok()) << text;
  EXPECT_EQ(config.error().code, "config.invalid");
  EXPECT_NE(config.error().message.find(part), std::string::npos) << config.error().message;
  EXPECT_EQ(config.error().message.find('\n'), std::string::npos);
}

std::string this_host() {
  char buffer[HOST_NAME_MAX + 1] = {};
  EXPECT_EQ(::gethostname(buffer, sizeof buffer - 1), 0);
  return buffer;
}

TEST(ConfigNode, DefaultsAreSqliteTheHostNameAndTheListenAddress) {
  auto config = parse("");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config->store.url.empty());
  EXPECT_FALSE(config->store.shared());
  EXPECT_TRUE(config->store.password_file.empty());
  EXPECT_EQ(config->node.lease, 30s);
  EXPECT_EQ(config->node.poll, 2s);
  EXPECT_EQ(config->node.url, "http://127.0.0.1:8080");
  const std::string host = this_host();
  if (!host.empty() && host.size() <= 64 &&
      host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
          std::string::npos) {
    EXPECT_EQ(config->node.name, host);
  }
  EXPECT_FALSE(config->node.name.empty());
  EXPECT_EQ(*config, default_config("/srv/smsgw/smsgw.toml"));
}

TEST(ConfigNode, UrlFollowsTheListenAddress) {
  auto config = parse("[http]\nlisten = \"10.0.0.2:9000\"\ntokens = [\"t\"]\n");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->node.url, "http://10.0.0.2:9000");
  // An unspecified address is no address to reach: the host name stands in for it.
  config = parse("[http]\nlisten = \"0.0.0.0:9000\"\ntokens = [\"t\"]\n");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->node.url.rfind("http://", 0), 0u);
  EXPECT_EQ(config->node.url.find("0.0.0.0"), std::string::npos) << config->node.url;
  EXPECT_EQ(config->node.url.substr(config->node.url.size() - 5), ":9000");
}

TEST(ConfigNode, SharedStoreAndNodeAreRead) {
  auto config = parse(
      "[store]\nurl = \"postgresql://smsgw@db.example/smsgw\"\npassword_file = \"pgpass\"\n"
      "[node]\nname = \"site-a\"\nlease = \"45s\"\nurl = \"https://a.example:8443\"\n"
      "poll = \"500ms\"\n");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->store.url, "postgresql://smsgw@db.example/smsgw");
  EXPECT_TRUE(config->store.shared());
  EXPECT_EQ(config->store.password_file, std::filesystem::path("/srv/smsgw/pgpass"));
  EXPECT_EQ(config->node.name, "site-a");
  EXPECT_EQ(config->node.lease, 45s);
  EXPECT_EQ(config->node.url, "https://a.example:8443");
  EXPECT_EQ(config->node.poll, 500ms);
}

TEST(ConfigNode, AbsolutePasswordFileStaysAsGiven) {
  auto config = parse("[store]\nurl = \"dbname=smsgw\"\npassword_file = \"/etc/smsgw/pgpass\"\n");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->store.password_file, std::filesystem::path("/etc/smsgw/pgpass"));
}

TEST(ConfigNode, PathAndUrlTogetherAreRefusedNamingBoth) {
  auto config = parse("[store]\npath = \"smsgw.db\"\nurl = \"postgresql://db/smsgw\"\n");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("store.path"), std::string::npos);
  EXPECT_NE(config.error().message.find("store.url"), std::string::npos);
  EXPECT_NE(config.error().message.find("(line 3)"), std::string::npos) << config.error().message;
}

TEST(ConfigNode, BadStoreValuesAreRefused) {
  expect_refused("[store]\nurl = \"\"\n", "store.url: must not be empty");
  expect_refused("[store]\nurl = 5\n", "store.url: must be a string");
  expect_refused("[store]\npassword_file = \"pgpass\"\n",
                 "store.password_file: is used only with store.url");
  expect_refused("[store]\nurl = \"dbname=x\"\npassword_file = \"\"\n",
                 "store.password_file: must not be empty");
  expect_refused("[store]\nhost = \"db\"\n", "store.host");
}

TEST(ConfigNode, BadNodeNamesAreRefused) {
  expect_refused("[node]\nname = \"\"\n", "node.name: must have 1 to 64 characters");
  expect_refused("[node]\nname = \"" + std::string(65, 'a') + "\"\n",
                 "node.name: must have 1 to 64 characters");
  expect_refused("[node]\nname = \"site a\"\n", "node.name: may hold only letters");
  expect_refused("[node]\nname = \"site/a\"\n", "node.name: may hold only letters");
  auto longest = parse("[node]\nname = \"" + std::string(64, 'a') + "\"\n");
  EXPECT_TRUE(longest.ok());
  auto dotted = parse("[node]\nname = \"host-1.site_b\"\n");
  ASSERT_TRUE(dotted.ok());
  EXPECT_EQ(dotted->node.name, "host-1.site_b");
}

TEST(ConfigNode, LeaseMustBeAtLeastThreeSeconds) {
  expect_refused("[node]\nlease = \"2s\"\n", "node.lease: must be at least 3s");
  expect_refused("[node]\nlease = \"2999ms\"\n", "node.lease: must be at least 3s");
  expect_refused("[node]\nlease = \"0s\"\n", "node.lease: must be a positive duration");
  expect_refused("[node]\nlease = \"later\"\n", "node.lease: must be a positive duration");
  auto config = parse("[node]\nlease = 3\n");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->node.lease, 3s);
}

TEST(ConfigNode, BadUrlPollAndKeysAreRefused) {
  expect_refused("[node]\nurl = \"10.0.0.2:8080\"\n",
                 "node.url: must be an http:// or https:// URL");
  expect_refused("[node]\nurl = \"http://\"\n", "node.url: has no host");
  expect_refused("[node]\nurl = \"http://a b\"\n", "node.url: must not contain white space");
  expect_refused("[node]\npoll = \"0s\"\n", "node.poll: must be a positive duration");
  expect_refused("[node]\nheartbeat = \"10s\"\n", "node.heartbeat");
}

TEST(ConfigNode, StoreUrlForTheLogHidesAPassword) {
  StoreConfig store;
  store.url = "postgresql://smsgw:s3cret@db.example:5432/smsgw";
  EXPECT_EQ(store.url_for_log(), "postgresql://smsgw:***@db.example:5432/smsgw");
  store.url = "postgresql://smsgw@db.example/smsgw?password=s3cret&sslmode=require";
  EXPECT_EQ(store.url_for_log(),
            "postgresql://smsgw@db.example/smsgw?password=***&sslmode=require");
  store.url = "host=db.example user=smsgw password = s3cret dbname=smsgw";
  EXPECT_EQ(store.url_for_log(), "host=db.example user=smsgw password = *** dbname=smsgw");
  store.url = "postgresql://smsgw@db.example/smsgw";
  EXPECT_EQ(store.url_for_log(), store.url);
  store.url = "postgresql://smsgw:s3cret@db.example/smsgw";
  EXPECT_EQ(store.name_for_log(), "postgresql://smsgw:***@db.example/smsgw");
  store.url.clear();
  store.path = "/var/lib/smsgw/smsgw.db";
  EXPECT_EQ(store.name_for_log(), "/var/lib/smsgw/smsgw.db");
}

}  // namespace
}  // namespace smsgw::config
