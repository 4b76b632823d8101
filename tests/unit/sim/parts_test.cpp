// The simulator's small pure parts: command-line parsing, identities, storage, config,
// fault plan, and the control protocol against a fake target.
#include <gtest/gtest.h>

#include "at_command.hpp"
#include "control_commands.hpp"
#include "harness.hpp"
#include "identity.hpp"
#include "message_store.hpp"

namespace smsgw::sim::test {
namespace {

TEST(SimParseCommandLine, BasicAndExtendedCommands) {
  auto commands = parse_command_line("E0V1+CMEE=1;+CSQ;+CPMS=\"SM\",\"SR\";+CNMI=?;^CURC?");
  ASSERT_TRUE(commands);
  ASSERT_EQ(commands->size(), 7u);
  EXPECT_EQ((*commands)[0].name, "E");
  EXPECT_EQ((*commands)[0].number, "0");
  EXPECT_EQ((*commands)[2].name, "+CMEE");
  EXPECT_EQ((*commands)[2].form, AtCommand::Form::set);
  EXPECT_EQ((*commands)[2].int_arg(0), 1);
  EXPECT_EQ((*commands)[3].form, AtCommand::Form::action);
  EXPECT_EQ((*commands)[4].text_arg(1), "SR");
  EXPECT_EQ((*commands)[5].form, AtCommand::Form::test);
  EXPECT_EQ((*commands)[6].name, "^CURC");
  EXPECT_EQ((*commands)[6].form, AtCommand::Form::query);
}

TEST(SimParseCommandLine, QuotedSemicolonsAndBadLines) {
  auto commands = parse_command_line("+CUSD=1,\"*100;1#\",15");
  ASSERT_TRUE(commands);
  EXPECT_EQ((*commands)[0].text_arg(1), "*100;1#");
  EXPECT_FALSE(parse_command_line("+CUSD=1,\"open"));
  EXPECT_FALSE(parse_command_line("!!"));
  EXPECT_TRUE(parse_command_line("")->empty());
  EXPECT_EQ((*parse_command_line("+cmgs=23"))[0].name, "+CMGS");
}

TEST(SimIdentity, LuhnAndDefaults) {
  EXPECT_EQ(luhn_check_digit("49015420323751"), '8');  // IMEI 490154203237518 (TS 23.003 example)
  const std::string imei = default_imei("35000011", 5);
  ASSERT_EQ(imei.size(), 15u);
  EXPECT_EQ(imei.back(), luhn_check_digit(imei.substr(0, 14)));
  EXPECT_NE(default_imei("35000011", 5), default_imei("35000011", 6));
  EXPECT_EQ(default_imsi("310260", 1).size(), 15u);
  const std::string iccid = default_iccid("26201", 2);
  EXPECT_EQ(iccid.size(), 19u);
  EXPECT_EQ(iccid.substr(0, 4), "8949");
  EXPECT_EQ(iccid.back(), luhn_check_digit(iccid.substr(0, 18)));
  EXPECT_EQ(iccid_crsm_form("8944200053671052499"), "984402003576012594F9");
}

TEST(SimMessageStore, LowestFreeSlotDeleteFlagsAndEviction) {
  MessageStore store(1, 2, 2);
  EXPECT_EQ(store.store("SM", {"00", 0, MessageStatus::unread, 0}), 1);
  EXPECT_EQ(store.store("SM", {"01", 0, MessageStatus::read, 0}), 2);
  EXPECT_EQ(store.store("SM", {"02", 0, MessageStatus::unread, 0}), std::nullopt);
  store.remove_by_flag("SM", 1);  // read ones
  EXPECT_EQ(store.used("SM"), 1);
  EXPECT_EQ(store.store("SM", {"03", 0, MessageStatus::unread, 0}), 2);
  EXPECT_EQ(store.list("SM", MessageStatus::unread).size(), 2u);
  EXPECT_FALSE(store.in_range("SM", 0));
  EXPECT_FALSE(store.in_range("SM", 3));
  EXPECT_FALSE(store.has_memory("XX"));
  store.store_evicting_oldest("SR", {"a", 0, MessageStatus::unread, 0});
  store.store_evicting_oldest("SR", {"b", 0, MessageStatus::unread, 0});
  const int index = store.store_evicting_oldest("SR", {"c", 0, MessageStatus::unread, 0});
  EXPECT_EQ(index, 1);
  EXPECT_EQ(store.find("SR", 1)->pdu, "c");
}

TEST(SimModemConfig, FileLayersAndErrors) {
  const nlohmann::json file = {{"defaults", {{"send_latency_ms", 50}, {"personality", "zte"}}},
                               {"modems",
                                {{{"personality", "huawei"},
                                  {"pin", "1234"},
                                  {"imsi", "310260000000001"},
                                  {"mnc_digits", 3}},
                                 {{"faults", {{"hang", "cmgs"}}}}}}};
  auto configs = build_modem_configs(3, "generic", file);
  ASSERT_TRUE(configs.ok()) << configs.error().message;
  EXPECT_EQ((*configs)[0].personality, "huawei");
  EXPECT_EQ((*configs)[0].pin, "1234");
  EXPECT_EQ((*configs)[0].send_latency_ms, 50);
  EXPECT_EQ((*configs)[0].imei.substr(0, 8), "35167805");  // the Huawei TAC
  EXPECT_EQ((*configs)[1].personality, "zte");
  EXPECT_EQ((*configs)[1].faults.hang, FaultConfig::Hang::cmgs);
  EXPECT_EQ((*configs)[2].personality, "zte");
  EXPECT_NE((*configs)[1].imei, (*configs)[2].imei);

  auto mixed = build_modem_configs(5, "mixed", nullptr);
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ((*mixed)[4].personality, "quectel");

  auto bad = build_modem_configs(1, "generic", {{"defaults", {{"csq", 40}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "modem 0: csq: must be 0-31 or 99 (TS 27.007 8.5)");
  EXPECT_FALSE(build_modem_configs(1, "generic", {{"defaults", {{"nope", 1}}}}).ok());
  EXPECT_FALSE(build_modem_configs(1, "nokia", nullptr).ok());
}

TEST(SimModemConfig, CnmiSupportInTheTestCommandForm) {
  auto support = parse_cnmi_support("(0-2),(0,2),(0),(0-2),(0,1)");
  ASSERT_TRUE(support.ok()) << support.error().message;
  EXPECT_EQ(*support, (CnmiSupport{{0, 1, 2}, {0, 2}, {0}, {0, 1, 2}, {0, 1}}));
  EXPECT_EQ(format_cnmi_support(*support), "(0,1,2),(0,2),(0),(0,1,2),(0,1)");
  for (const char* wrong : {"", "(0-2),(0,2)", "(0-2)(0,2),(0),(0),(0)", "(2-1),(0),(0),(0),(0)",
                            "(0,),(0),(0),(0),(0)", "(0),(0),(0),(0),(0),(0)", "0,1,2,3,4"}) {
    EXPECT_FALSE(parse_cnmi_support(wrong).ok()) << wrong;
  }
  EXPECT_EQ(parse_cnmi_support("(0),(0)").error().message,
            "\"(0),(0)\": expected five lists (mode, mt, bm, ds, bfr) at character 8");

  ModemConfig config = default_modem_config(0, "generic");
  ASSERT_TRUE(apply_settings(config, {{"cnmi_supported", "(2),(2),(0),(1),(0)"}}).ok());
  EXPECT_EQ(config.cnmi_supported, (CnmiSupport{{2}, {2}, {0}, {1}, {0}}));
  auto refused = apply_settings(config, {{"cnmi_supported", "(2)"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().message.starts_with("cnmi_supported: ")) << refused.error().message;
  ASSERT_TRUE(apply_settings(config, {{"cnmi_supported", nullptr}}).ok());
  EXPECT_FALSE(config.cnmi_supported.has_value());
}

TEST(SimFaultPlan, NextCountersWinAndSeedsRepeat) {
  FaultConfig faults;
  faults.cms_error_next = 1;
  faults.lost_answer_next = 1;
  faults.cms_error_codes = {42};
  FaultPlan plan(1);
  EXPECT_EQ(plan.decide_send(faults).cms_code, 42);
  EXPECT_EQ(plan.decide_send(faults).fault, SendFault::lost_answer);
  EXPECT_EQ(plan.decide_send(faults).fault, SendFault::none);
  FaultPlan a(7), b(7);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a.jittered(200, 50), b.jittered(200, 50));
  for (char c : a.garbage()) {
    EXPECT_NE(c, '\r');
    EXPECT_NE(c, '\n');
  }
}

class FakeTarget : public ControlTarget {
 public:
  FakeTarget() : modem_(quiet_config("generic"), host_) {
    modem_.power_on();
    host_.advance(1000);
    host_.take();
  }
  int modem_count() const override { return 1; }
  SimulatedModem& modem(int) override { return modem_; }
  Result<void> unplug(int index, std::optional<int> after) override {
    unplugged.emplace_back(index, after.value_or(-1));
    return {};
  }
  Result<void> replug(int) override {
    ++replugs;
    return {};
  }
  nlohmann::json describe() const override { return {{"modems", nlohmann::json::array()}}; }

  FakeHost host_;
  SimulatedModem modem_;
  std::vector<std::pair<int, int>> unplugged;
  int replugs = 0;
};

TEST(SimControlCommands, InjectSetFaultStats) {
  FakeTarget target;
  auto answer = handle_control_line(
      target, R"({"cmd":"inject","modem":0,"from":"+4917612345678","text":"hi"})");
  EXPECT_EQ(answer["ok"], true);
  EXPECT_EQ(answer["parts"], 1);
  EXPECT_EQ(target.host_.take(), "\r\n+CMTI: \"SM\",1\r\n");

  EXPECT_EQ(handle_control_line(target, R"({"cmd":"set","modem":0,"send_latency_ms":7})")["ok"],
            true);
  EXPECT_EQ(target.modem_.config().send_latency_ms, 7);

  answer = handle_control_line(
      target,
      R"({"cmd":"fault","modem":0,"cms_error_next":2,"cms_error_codes":[38],"unplug_ms":2000})");
  EXPECT_EQ(answer["ok"], true) << answer.dump();
  EXPECT_EQ(answer["faults"]["cms_error_next"], 2);
  ASSERT_EQ(target.unplugged.size(), 1u);
  EXPECT_EQ(target.unplugged[0], std::make_pair(0, 2000));

  answer = handle_control_line(target, R"({"cmd":"stats"})");
  EXPECT_EQ(answer["modems"][0]["received"], 1);

  answer = handle_control_line(target, R"({"cmd":"messages","modem":0})");
  EXPECT_EQ(answer["messages"].size(), 1u);

  EXPECT_EQ(
      handle_control_line(
          target,
          R"({"cmd":"status_report","modem":0,"mr":5,"to":"+4917612345678","status":"failed"})")
          ["ok"],
      true);
  EXPECT_EQ(target.modem_.store().used("SR"), 1);
}

TEST(SimControlCommands, ErrorsAreAnswersNotCrashes) {
  FakeTarget target;
  EXPECT_EQ(handle_control_line(target, "not json")["ok"], false);
  EXPECT_EQ(handle_control_line(target, "[1,2]")["ok"], false);
  EXPECT_EQ(handle_control_line(target, R"({"cmd":"explode"})")["ok"], false);
  EXPECT_EQ(
      handle_control_line(target, R"({"cmd":"inject","modem":5,"from":"+1","text":"x"})")["error"],
      "no modem 5 (have 1)");
  EXPECT_EQ(handle_control_line(target, R"({"cmd":"inject","modem":0})")["ok"], false);
  EXPECT_EQ(handle_control_line(target, R"({"cmd":"set","modem":0,"csq":"x"})")["error"],
            "csq: must be an integer");
  EXPECT_EQ(handle_control_line(target, R"({"cmd":"fault","modem":0,"hang":"maybe"})")["ok"],
            false);
}

TEST(SimControlCommands, InjectOrderAndRepeatedPart) {
  FakeTarget target;
  const std::string long_text(400, 'x');  // 3 parts
  auto answer =
      handle_control_line(target, R"({"cmd":"inject","modem":0,"from":"+4917612345678","text":")" +
                                      long_text + R"(","order":[2,0,1],"repeat_part":1})");
  EXPECT_EQ(answer["ok"], true) << answer.dump();
  EXPECT_EQ(answer["parts"], 3);
  EXPECT_EQ(target.modem_.store().used("SM"), 4);
  EXPECT_EQ(handle_control_line(target, R"({"cmd":"stats"})")["modems"][0]["received"], 4);

  const auto error_of = [&](const std::string& fields) {
    return handle_control_line(
               target, R"({"cmd":"inject","modem":0,"from":"+4917612345678","text":")" + long_text +
                           R"(",)" + fields + "}")
        .value("error", "ok");
  };
  const std::string order_shape =
      "\"order\" must be a non-empty array of 0-based part indexes, e.g. [2,0,1]";
  EXPECT_EQ(error_of(R"("order":"2,0,1")"), order_shape);
  EXPECT_EQ(error_of(R"("order":[])"), order_shape);
  EXPECT_EQ(error_of(R"("order":[2,"0",1])"), order_shape);
  EXPECT_EQ(error_of(R"("order":[0,1])"),
            "\"order\" must list every part exactly once: the message has 3 parts (0-2), "
            "\"order\" has 2");
  EXPECT_EQ(error_of(R"("order":[0,1,3])"),
            "\"order\" names part 3: the message has 3 parts (0-2)");
  EXPECT_EQ(error_of(R"("repeat_part":-1)"), "\"repeat_part\" must be a 0-based part index");
  EXPECT_EQ(error_of(R"("repeat_part":"1")"), "\"repeat_part\" must be a 0-based part index");
  EXPECT_EQ(error_of(R"("repeat_part":3)"),
            "\"repeat_part\" 3 is not a part: the message has 3 parts (0-2)");
  EXPECT_EQ(target.modem_.store().used("SM"), 4);  // refused injections deliver nothing
}

}  // namespace
}  // namespace smsgw::sim::test
