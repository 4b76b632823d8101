// [http] ca_file, callback_hosts and callback_secret: https webhooks and per-message
// callbacks (the refusals are in config_test.cpp's table of invalid keys).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "smsgw/config/config.hpp"
#include "test_pki.hpp"

namespace smsgw::config {
namespace {

TEST(Config, HttpsWebhooksAndCallbackKeys) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("smsgw-config-ca-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "tls");
  test::write_text_file((dir / "tls" / "ca.pem").string(), test::TestCa().certificate_pem());
  const auto config = parse_config(R"toml(
[http]
ca_file = "tls/ca.pem"
callback_hosts = ["hooks.example.com", "*.shop.example", "203.0.113.0/24", "fd00::/8", "*"]
callback_secret = "cb-secret"

[[webhook]]
url = "https://hooks.example.com/smsgw"
)toml",
                                   dir / "smsgw.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->http.ca_file, dir / "tls" / "ca.pem");  // relative to the file's folder
  EXPECT_EQ(config->http.callback_hosts,
            (std::vector<std::string>{"hooks.example.com", "*.shop.example", "203.0.113.0/24",
                                      "fd00::/8", "*"}));
  EXPECT_EQ(config->http.callback_secret, "cb-secret");
  ASSERT_EQ(config->webhooks.size(), 1u);
  EXPECT_EQ(config->webhooks[0].url, "https://hooks.example.com/smsgw");

  // A file that holds no certificate is refused at load, naming the key.
  std::ofstream(dir / "tls" / "ca.pem") << "not a certificate\n";
  const auto garbage = parse_config("[http]\nca_file = \"tls/ca.pem\"\n", dir / "smsgw.toml");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().message.rfind((dir / "smsgw.toml").string() +
                                              ": http.ca_file: cannot "
                                              "load CA certificates from " +
                                              (dir / "tls" / "ca.pem").string(),
                                          0),
            0u)
      << garbage.error().message;
  std::filesystem::remove_all(dir);

  const auto defaults = default_config("/srv/smsgw.toml");
  EXPECT_TRUE(defaults.http.ca_file.empty());
  EXPECT_TRUE(defaults.http.callback_hosts.empty());
  EXPECT_TRUE(defaults.http.callback_secret.empty());
}

}  // namespace
}  // namespace smsgw::config
