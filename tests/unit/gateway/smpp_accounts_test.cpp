// SMPP binds over the [[client]] accounts and the routing of inbound messages to clients.
#include "smsgw/gateway/smpp_accounts.hpp"

#include <gtest/gtest.h>

namespace smsgw::gateway {
namespace {

using smpp::BindMode;
using smpp::CommandStatus;

config::ClientConfig client(std::string name, std::string system_id, std::string password,
                            std::vector<std::string> scopes = {"send", "read"}) {
  config::ClientConfig c;
  c.name = std::move(name);
  c.token = "t-" + c.name;
  c.system_id = std::move(system_id);
  c.password = std::move(password);
  c.scopes = std::move(scopes);
  return c;
}

config::SmppConfig listening(bool loopback = true) {
  config::SmppConfig smpp;
  smpp.listen = loopback ? "127.0.0.1:2775" : "0.0.0.0:2775";
  smpp.listen_is_loopback = loopback;
  return smpp;
}

smpp::BindRequest bind(std::string system_id, std::string password,
                       BindMode mode = BindMode::transceiver) {
  return smpp::BindRequest{std::move(system_id), std::move(password), mode, "127.0.0.1:5000"};
}

TEST(SmppAccounts, AClientsSystemIdAndPasswordBindWithItsScopes) {
  const std::vector<config::ClientConfig> clients{client("shop", "shop1", "secret"),
                                                  client("ops", "ops1", "pw", {"read"})};
  auto account = authenticate_bind(clients, listening(), bind("shop1", "secret"));
  ASSERT_TRUE(account.ok()) << account.error().message;
  EXPECT_EQ(account->client, "shop");
  EXPECT_EQ(account->system_id, "shop1");
  EXPECT_TRUE(account->may_send);
  EXPECT_TRUE(account->may_receive);
  auto receiver = authenticate_bind(clients, listening(), bind("ops1", "pw", BindMode::receiver));
  ASSERT_TRUE(receiver.ok());
  EXPECT_FALSE(receiver->may_send);
  EXPECT_TRUE(receiver->may_receive);
}

TEST(SmppAccounts, RefusalsCarryTheirStatus) {
  const std::vector<config::ClientConfig> clients{client("shop", "shop1", "secret", {"send"}),
                                                  client("ops", "ops1", "pw", {"read"})};
  EXPECT_EQ(authenticate_bind(clients, listening(), bind("nobody", "secret")).error().status,
            CommandStatus::esme_rinvsysid);
  EXPECT_EQ(authenticate_bind(clients, listening(), bind("shop1", "secreT")).error().status,
            CommandStatus::esme_rinvpaswd);
  EXPECT_EQ(authenticate_bind(clients, listening(), bind("shop1", "secret1")).error().status,
            CommandStatus::esme_rinvpaswd);
  EXPECT_EQ(authenticate_bind(clients, listening(), bind("shop1", "")).error().status,
            CommandStatus::esme_rinvpaswd);
  EXPECT_EQ(authenticate_bind(clients, listening(), bind("shop1", "secret", BindMode::receiver))
                .error()
                .status,
            CommandStatus::esme_rbindfail);
  EXPECT_EQ(authenticate_bind(clients, listening(), bind("ops1", "pw", BindMode::transmitter))
                .error()
                .status,
            CommandStatus::esme_rbindfail);
  EXPECT_EQ(authenticate_bind(clients, listening(), bind("ops1", "pw", BindMode::transceiver))
                .error()
                .status,
            CommandStatus::esme_rbindfail);
  // A token-only client is no SMPP account, even with an empty system_id in the bind.
  EXPECT_EQ(
      authenticate_bind(std::vector{client("api", "", ""), clients[0]}, listening(), bind("", ""))
          .error()
          .status,
      CommandStatus::esme_rinvsysid);
}

TEST(SmppAccounts, WithoutAccountsOnlyALoopbackListenerTakesAnyBind) {
  const std::vector<config::ClientConfig> clients{client("api", "", "")};
  auto anyone = authenticate_bind(clients, listening(true), bind("whoever", "x"));
  ASSERT_TRUE(anyone.ok());
  EXPECT_EQ(anyone->client, "");
  EXPECT_EQ(anyone->system_id, "whoever");
  EXPECT_TRUE(anyone->may_send);
  EXPECT_TRUE(anyone->may_receive);
  EXPECT_EQ(authenticate_bind(clients, listening(false), bind("whoever", "x")).error().status,
            CommandStatus::esme_rinvsysid);
}

TEST(SmppAccounts, AConfiguredPasswordOverEightCharactersBindsWithItsFirstEight) {
  const std::vector<config::ClientConfig> clients{client("shop", "shop1", "smpp-password")};
  config::SmppConfig smpp;
  EXPECT_TRUE(authenticate_bind(clients, smpp, bind("shop1", "smpp-pas")).ok());
  EXPECT_EQ(authenticate_bind(clients, smpp, bind("shop1", "smpp-pa")).error().status,
            smpp::CommandStatus::esme_rinvpaswd);
  EXPECT_EQ(authenticate_bind(clients, smpp, bind("shop1", "smpp-pax")).error().status,
            smpp::CommandStatus::esme_rinvpaswd);
}

TEST(SmppAccounts, PasswordsCompareWhole) {
  EXPECT_TRUE(equal_in_constant_time("abc", "abc"));
  EXPECT_TRUE(equal_in_constant_time("", ""));
  EXPECT_FALSE(equal_in_constant_time("abc", "abd"));
  EXPECT_FALSE(equal_in_constant_time("abc", "ab"));
  EXPECT_FALSE(equal_in_constant_time("", "a"));
  EXPECT_FALSE(equal_in_constant_time(std::string_view("a\0", 2), "a"));
}

TEST(SmppInboundRouting, RulesMatchModemIccidOrNumber) {
  auto all = client("all", "all1", "pw");
  auto by_modem = client("modem", "m1", "pw");
  by_modem.inbound = std::vector<std::string>{"modem2"};
  auto by_iccid = client("iccid", "i1", "pw");
  by_iccid.inbound = std::vector<std::string>{"8949000000000000001"};
  auto by_number = client("number", "n1", "pw");
  by_number.inbound = std::vector<std::string>{"+4915100000001", "modem9"};
  auto none = client("none", "x1", "pw");
  none.inbound = std::vector<std::string>{};
  auto sender = client("sender", "s1", "pw", {"send"});  // no "read": no receiver can bind
  auto api = client("api", "", "");                      // no SMPP account
  const std::vector clients{all, by_modem, by_iccid, by_number, none, sender, api};
  using V = std::vector<std::string>;
  EXPECT_EQ(
      inbound_clients(clients, listening(), "modem2", "8949000000000000001", "+4915100000001"),
      (V{"all", "modem", "iccid", "number"}));
  EXPECT_EQ(inbound_clients(clients, listening(), "modem1", "", ""), (V{"all"}));
  EXPECT_EQ(inbound_clients(clients, listening(), "modem9", "", ""), (V{"all", "number"}));
  EXPECT_EQ(inbound_clients(clients, listening(), "modem1", "", "+4915100000001"),
            (V{"all", "number"}));
}

TEST(SmppInboundRouting, AnonymousLoopbackGetsEverythingAndNoListenerNothing) {
  const std::vector<config::ClientConfig> clients{client("api", "", "")};
  EXPECT_EQ(inbound_clients(clients, listening(true), "modem0", "", ""),
            std::vector<std::string>{""});
  EXPECT_TRUE(inbound_clients(clients, listening(false), "modem0", "", "").empty());
  EXPECT_TRUE(inbound_clients(std::vector{client("all", "a1", "pw")}, config::SmppConfig{},
                              "modem0", "", "")
                  .empty());
}

}  // namespace
}  // namespace smsgw::gateway
