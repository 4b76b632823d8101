// exposed_secrets_warning: a config file with secrets must not be readable by everyone.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "smsgw/config/config.hpp"

namespace smsgw::config {
namespace {

TEST(Config, WarnsWhenAFileWithSecretsIsWorldReadable) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("smsgw-config-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[http]\ntokens = [\"abc\"]\n";
  auto config = load_config(path);
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  const auto warning = exposed_secrets_warning(path, *config);
  ASSERT_TRUE(warning.has_value());
  EXPECT_NE(warning->find(path.string()), std::string::npos) << *warning;
  EXPECT_NE(warning->find("API tokens"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("0644"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("chmod 640"), std::string::npos) << *warning;

  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  EXPECT_FALSE(exposed_secrets_warning(path, *config).has_value());

  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  Config no_secrets = *config;
  no_secrets.http.tokens.clear();
  EXPECT_FALSE(exposed_secrets_warning(path, no_secrets).has_value());
  no_secrets.webhooks.push_back(WebhookConfig{});
  no_secrets.webhooks.back().secret = "s3cret";
  const auto webhook_warning = exposed_secrets_warning(path, no_secrets);
  ASSERT_TRUE(webhook_warning.has_value());
  EXPECT_NE(webhook_warning->find("webhook secrets"), std::string::npos) << *webhook_warning;
  Config callback_only = no_secrets;
  callback_only.webhooks.clear();
  callback_only.http.callback_secret = "cb";
  EXPECT_TRUE(exposed_secrets_warning(path, callback_only).has_value());
  // A [[client]]'s token or secret is a secret too.
  Config client_only;
  client_only.clients.push_back(ClientConfig{});
  client_only.clients.back().token = "long-random-string-1";
  const auto client_warning = exposed_secrets_warning(path, client_only);
  ASSERT_TRUE(client_warning.has_value());
  EXPECT_NE(client_warning->find("API tokens"), std::string::npos) << *client_warning;
  client_only.clients.back().token.clear();
  client_only.clients.back().secret = "signing";
  EXPECT_TRUE(exposed_secrets_warning(path, client_only).has_value());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace smsgw::config
