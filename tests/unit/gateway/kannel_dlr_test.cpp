// Kannel DLR types and dlr-url escapes (kannel_dlr.hpp).
#include "smsgw/gateway/kannel_dlr.hpp"

#include <gtest/gtest.h>

namespace smsgw::gateway {
namespace {

DlrFacts facts() {
  DlrFacts f;
  f.type = kDlrSmscSuccess;
  f.receiver = "00491701234567";
  f.sender = "ACME Shop";
  f.at = std::chrono::system_clock::time_point{} + std::chrono::seconds(1717243200);
  f.smsc_id = "modem-1";
  f.message_id = "01HZX3J8Q6M2V7K9T0B5C4D1EF";
  f.answer = "NACK/+CMS ERROR: 38";
  f.service = "shop";
  f.coding = 2;
  f.mclass = 0;
  f.foreign_id = "17";
  f.dlr_url = "http://h/d?x=%d";
  return f;
}

TEST(KannelDlr, TypesFollowTheMask) {
  EXPECT_EQ(dlr_type_for("sent", true, 31), kDlrSmscSuccess);
  EXPECT_EQ(dlr_type_for("sent", true, 1), std::nullopt);
  EXPECT_EQ(dlr_type_for("delivered", true, 1), kDlrDelivered);
  EXPECT_EQ(dlr_type_for("delivered", true, 8), std::nullopt);
  EXPECT_EQ(dlr_type_for("failed", true, 2), kDlrUndelivered);
  EXPECT_EQ(dlr_type_for("failed", true, 16), std::nullopt);
  EXPECT_EQ(dlr_type_for("expired", false, 2), kDlrUndelivered);
  // Never left: an SMSC reject, also when only 2 is asked (as Kannel's bearerbox).
  EXPECT_EQ(dlr_type_for("failed", false, 16), kDlrSmscFail);
  EXPECT_EQ(dlr_type_for("failed", false, 2), kDlrSmscFail);
  EXPECT_EQ(dlr_type_for("cancelled", false, 18), kDlrSmscFail);
  EXPECT_EQ(dlr_type_for("failed", false, 1), std::nullopt);
  EXPECT_EQ(dlr_type_for("unknown", true, 63), std::nullopt);
  EXPECT_EQ(dlr_type_for("queued", false, 63), std::nullopt);
  EXPECT_EQ(dlr_type_for("sent", true, 0), std::nullopt);
}

TEST(KannelDlr, Answers) {
  EXPECT_EQ(dlr_answer(kDlrSmscSuccess, "sent", ""), "ACK/");
  EXPECT_EQ(dlr_answer(kDlrDelivered, "delivered", ""), "DELIVRD");
  EXPECT_EQ(dlr_answer(kDlrSmscFail, "failed", "+CMS ERROR: 38"), "NACK/+CMS ERROR: 38");
  EXPECT_EQ(dlr_answer(kDlrSmscFail, "cancelled", ""), "NACK/cancelled");
  EXPECT_EQ(dlr_answer(kDlrUndelivered, "expired", ""), "EXPIRED");
  EXPECT_EQ(dlr_answer(kDlrUndelivered, "failed", "report: 0x41"), "UNDELIV/report: 0x41");
}

TEST(KannelDlr, UrlEncodingIsKannels) {
  EXPECT_EQ(kannel_url_encode("a b+c/d?e=f&g%-_.!~*'()é"),
            "a+b%2Bc%2Fd%3Fe%3Df%26g%25-_.!~*'()%C3%A9");
}

TEST(KannelDlr, EveryEscapeExpands) {
  const auto f = facts();
  EXPECT_EQ(expand_dlr_url("http://h/d?type=%d&to=%p&from=%P&id=%I", f),
            "http://h/d?type=8&to=00491701234567&from=ACME+Shop&id=01HZX3J8Q6M2V7K9T0B5C4D1EF");
  EXPECT_EQ(expand_dlr_url("%q|%Q", f), "%2B491701234567|ACME+Shop");
  EXPECT_EQ(expand_dlr_url("%t|%T", f), "2024-06-01+12:00:00|1717243200");
  EXPECT_EQ(expand_dlr_url("%i|%n|%c|%C|%m|%F", f), "modem-1|shop|2|UTF-16BE|0|17");
  EXPECT_EQ(expand_dlr_url("%A", f), "NACK%2F%2BCMS+ERROR%3A+38");
  EXPECT_EQ(expand_dlr_url("%b", f), "NACK%2F%2BCMS+ERROR%3A+38");
  EXPECT_EQ(expand_dlr_url("%a", f), "NACK%2F%2BCMS+ERROR%3A+38");
  EXPECT_EQ(expand_dlr_url("%k|%s|%r", f), "NACK%2F%2BCMS|ERROR%3A|38");
  EXPECT_EQ(expand_dlr_url("%R", f), "http%3A%2F%2Fh%2Fd%3Fx%3D%25d");
  EXPECT_EQ(expand_dlr_url("100%%", f), "100%");
}

TEST(KannelDlr, EscapesWithoutAValueAndUnknownOnes) {
  const auto f = facts();
  EXPECT_EQ(expand_dlr_url("[%B%D%f%o%u%v%V%M%O]", f), "[]");
  EXPECT_EQ(expand_dlr_url("a%#smpp#param#b", f), "ab");
  EXPECT_EQ(expand_dlr_url("%x%Z", f), "%x%Z");
  EXPECT_EQ(expand_dlr_url("end%", f), "end%");
  EXPECT_EQ(expand_dlr_url("", f), "");
  DlrFacts none = f;
  none.mclass = -1;
  none.sender.clear();
  EXPECT_EQ(expand_dlr_url("m=%m&P=%P", none), "m=-1&P=");
}

}  // namespace
}  // namespace smsgw::gateway
