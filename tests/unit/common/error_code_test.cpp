#include "smsgw/common/error_code.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "smsgw/common/result.hpp"

namespace smsgw {
namespace {

TEST(ErrorCode, EveryValueHasANameThatRoundTrips) {
  for (const ErrorCode code : kAllErrorCodes) {
    const auto name = to_string(code);
    ASSERT_FALSE(name.empty());
    const auto back = from_name(name);
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(*back, code) << name;
  }
}

TEST(ErrorCode, TheTableListsEveryValueOnceInDeclarationOrder) {
  // The enum is dense from `other` to `webhook_retry`; the table must cover each value.
  const auto last = static_cast<std::size_t>(ErrorCode::webhook_retry);
  ASSERT_EQ(kAllErrorCodes.size(), last + 1);
  for (std::size_t i = 0; i < kAllErrorCodes.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(kAllErrorCodes[i]), i);
  }
}

TEST(ErrorCode, NamesAreUnique) {
  std::set<std::string_view> names;
  for (const ErrorCode code : kAllErrorCodes) {
    EXPECT_TRUE(names.insert(to_string(code)).second) << to_string(code);
  }
}

TEST(ErrorCode, TheStableNamesUsersSee) {
  EXPECT_EQ(to_string(ErrorCode::not_found), "not_found");
  EXPECT_EQ(to_string(ErrorCode::conflict), "conflict");
  EXPECT_EQ(to_string(ErrorCode::config), "config");
  EXPECT_EQ(to_string(ErrorCode::at_timeout), "at.timeout");
  EXPECT_EQ(to_string(ErrorCode::at_io), "at.io");
  EXPECT_EQ(to_string(ErrorCode::at_closed), "at.closed");
  EXPECT_EQ(to_string(ErrorCode::at_error), "at.error");
  EXPECT_EQ(to_string(ErrorCode::modem_not_ready), "modem.not_ready");
  EXPECT_EQ(to_string(ErrorCode::modem_ussd), "modem.ussd");
  EXPECT_EQ(to_string(ErrorCode::modem_ussd_code), "modem.ussd_code");
  EXPECT_EQ(to_string(ErrorCode::modem_ussd_timeout), "modem.ussd_timeout");
  EXPECT_EQ(to_string(ErrorCode::modem_ussd_unsupported), "modem.ussd_unsupported");
  EXPECT_EQ(to_string(ErrorCode::serial_missing), "serial.missing");
  EXPECT_EQ(to_string(ErrorCode::pdu_bad_address), "pdu.bad_address");
  EXPECT_EQ(to_string(ErrorCode::webhook_retry), "webhook.retry");
}

TEST(ErrorCode, MakeErrorSetsNameAndKindTogether) {
  for (const ErrorCode code : kAllErrorCodes) {
    if (is_family(code) || code == ErrorCode::other) continue;
    const Error error = make_error(code, "why");
    EXPECT_EQ(error.kind, code);
    EXPECT_EQ(error.code, to_string(code));
    EXPECT_EQ(error.message, "why");
    EXPECT_FALSE(error.number.has_value());
    // The same code given as text reads back as the same kind.
    EXPECT_EQ(make_error(std::string(to_string(code)), "why"), error) << error.code;
  }
}

TEST(ErrorCode, CauseErrorsCarryTheirNumber) {
  const Error cms = make_error(ErrorCode::cms, 38, "+CMS ERROR: 38");
  EXPECT_EQ(cms.code, "cms.38");
  EXPECT_EQ(cms.kind, ErrorCode::cms);
  EXPECT_EQ(cms.number, 38);
  EXPECT_EQ(make_error("cms.38", "+CMS ERROR: 38"), cms);

  const Error cme = make_error(ErrorCode::cme, 10, "+CME ERROR: 10");
  EXPECT_EQ(cme.code, "cme.10");
  EXPECT_EQ(cme.kind, ErrorCode::cme);
  EXPECT_EQ(cme.number, 10);
  EXPECT_EQ(make_error("cme.10", "+CME ERROR: 10"), cme);

  const Error unknown = make_error("cme.unknown", "+CME ERROR: weird");
  EXPECT_EQ(unknown.kind, ErrorCode::cme);
  EXPECT_FALSE(unknown.number.has_value());
}

TEST(ErrorCode, FamiliesCoverTheirCodes) {
  EXPECT_EQ(make_error("pdu.truncated", "m").kind, ErrorCode::pdu);
  EXPECT_EQ(make_error("pdu.bad_address", "m").kind, ErrorCode::pdu_bad_address);
  EXPECT_EQ(family_of(ErrorCode::pdu_bad_address), ErrorCode::pdu);
  EXPECT_EQ(make_error("serial.busy", "m").kind, ErrorCode::serial);
  EXPECT_EQ(family_of(make_error(ErrorCode::serial_missing, "m").kind), ErrorCode::serial);
  EXPECT_EQ(make_error("number.too_short", "m").kind, ErrorCode::number);
  EXPECT_EQ(make_error("route.too_many_parts", "m").kind, ErrorCode::route);
  EXPECT_EQ(family_of(ErrorCode::at_timeout), ErrorCode::at_timeout);
}

TEST(ErrorCode, OtherCodesAreFreeForm) {
  for (const char* code : {"something.else", "cms.12x", "cms.", "pdu", "cms", "other",
                           "at.timeout2", "AT.TIMEOUT", "validation", ""}) {
    const Error error = make_error(code, "m");
    EXPECT_EQ(error.kind, ErrorCode::other) << code;
    EXPECT_EQ(error.code, code);
    EXPECT_FALSE(error.number.has_value()) << code;
  }
}

}  // namespace
}  // namespace smsgw
