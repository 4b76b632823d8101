#include "smsgw/gateway/message_builder.hpp"

#include <gtest/gtest.h>

namespace smsgw::gateway {
namespace {

http::SubmitRequest req(std::string to, std::string text) {
  http::SubmitRequest r;
  r.to = std::move(to);
  r.text = std::move(text);
  return r;
}

class MessageBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto table = scheduler::OperatorTable::create(
        {{"Telekom", {"26201"}, {"+49151", "+49160"}}, {"Vodafone", {"26202"}, {"+49152"}}}, "49");
    ASSERT_TRUE(table.ok()) << table.error().message;
    operators_ = std::move(*table);
  }

  MessageBuilder builder(std::size_t max_parts = 10) {
    MessageBuilderOptions options;
    options.default_country_code = "49";
    options.max_parts = max_parts;
    options.modem_known = [](const std::string& id) { return id == "modem0"; };
    return MessageBuilder(options, operators_);
  }

  scheduler::OperatorTable operators_;
  const store::TimePoint now_ = std::chrono::system_clock::now();
};

TEST_F(MessageBuilderTest, NormalisesTheNumberAndFindsItsOperator) {
  http::SubmitRequest request;
  request.to = "0151 2345 6789";
  request.text = "hello";
  auto b = builder();
  auto m = b.build(request, now_);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->to, "+4915123456789");
  EXPECT_EQ(m->destination_operator, "Telekom");
  EXPECT_EQ(m->encoding, "gsm7");
  ASSERT_EQ(m->parts.size(), 1U);
  EXPECT_EQ(m->parts[0].pdu_hex.substr(0, 2), "00");  // empty SMSC field
  EXPECT_EQ(static_cast<std::size_t>(m->parts[0].tpdu_length), m->parts[0].pdu_hex.size() / 2 - 1);
}

TEST_F(MessageBuilderTest, AnUnknownPrefixHasNoOperator) {
  http::SubmitRequest request;
  request.to = "+447700900123";
  request.text = "hi";
  auto b = builder();
  auto m = b.build(request, now_);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->destination_operator.has_value());
}

TEST_F(MessageBuilderTest, LongTextIsSplitWithDistinctReferences) {
  http::SubmitRequest request;
  request.to = "+4915123456789";
  request.text = std::string(200, 'a');
  auto b = builder();
  auto first = b.build(request, now_);
  auto second = b.build(request, now_);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(first->parts.size(), 2U);
  // The concatenation IE (00 03 ref total part) differs between the two messages.
  auto ref_of = [](const store::NewMessage& m) {
    const auto& pdu = m.parts[0].pdu_hex;
    const auto at = pdu.find("0003");
    return pdu.substr(at + 4, 2);
  };
  EXPECT_NE(ref_of(*first), ref_of(*second));
}

TEST_F(MessageBuilderTest, RefusalsNameTheField) {
  auto b = builder(2);
  http::SubmitRequest bad_number = req("hello", "x");
  auto r1 = b.build(bad_number, now_);
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.error().code, "validation");
  EXPECT_EQ(r1.error().message.rfind("to: ", 0), 0U) << r1.error().message;

  http::SubmitRequest empty = req("+4915123456789", "");
  auto r2 = b.build(empty, now_);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().message.rfind("text: ", 0), 0U);

  http::SubmitRequest too_long = req("+4915123456789", std::string(400, 'a'));
  auto r3 = b.build(too_long, now_);
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.error().message.rfind("text: ", 0), 0U) << r3.error().message;

  http::SubmitRequest pinned = req("+4915123456789", "x");
  pinned.modem = "modem9";
  auto r4 = b.build(pinned, now_);
  ASSERT_FALSE(r4.ok());
  EXPECT_EQ(r4.error().message.rfind("modem: ", 0), 0U);

  http::SubmitRequest op = req("+4915123456789", "x");
  op.operator_name = "Nobody";
  auto r5 = b.build(op, now_);
  ASSERT_FALSE(r5.ok());
  EXPECT_EQ(r5.error().message.rfind("operator: ", 0), 0U);
}

TEST_F(MessageBuilderTest, ValidityCountsFromSendAt) {
  http::SubmitRequest request = req("+4915123456789", "x");
  request.send_at = now_ + std::chrono::hours(1);
  request.validity = std::chrono::seconds(600);
  auto b = builder();
  auto m = b.build(request, now_);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(m->expires_at.has_value());
  EXPECT_EQ(*m->expires_at, *request.send_at + std::chrono::seconds(600));
}

// [sms] status_report is the default of a request that does not say; a request that says
// wins. The PDU's TP-SRR follows (3GPP TS 23.040 9.2.3.5).
TEST_F(MessageBuilderTest, StatusReportDefaultsToTheConfiguredValue) {
  MessageBuilderOptions options;
  options.default_country_code = "49";
  options.status_report = false;
  MessageBuilder quiet(options, operators_);
  auto unsaid = quiet.build(req("+4915123456789", "hi"), now_);
  ASSERT_TRUE(unsaid.ok()) << unsaid.error().message;
  EXPECT_FALSE(unsaid->status_report);
  auto asked = req("+4915123456789", "hi");
  asked.status_report = true;
  auto said = quiet.build(asked, now_);
  ASSERT_TRUE(said.ok());
  EXPECT_TRUE(said->status_report);
  EXPECT_NE(said->parts.at(0).pdu_hex, unsaid->parts.at(0).pdu_hex);  // TP-SRR differs
  auto b = builder();
  EXPECT_TRUE(b.build(req("+4915123456789", "hi"), now_)->status_report);  // default true
}

}  // namespace
}  // namespace smsgw::gateway
