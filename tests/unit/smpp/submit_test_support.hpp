// Helpers for the map_submit tests: map at a fixed instant, expect success or a refusal.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "smsgw/smpp/submit_spec.hpp"

namespace smsgw::smpp::test {

inline const TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 12 / 5} +
                              std::chrono::hours(7) + std::chrono::minutes(50);

inline SubmitSpec mapped(const MessageBody& body) {
  auto spec = map_submit(body, kNow);
  EXPECT_TRUE(spec.ok()) << spec.error().field << ": " << spec.error().message;
  if (!spec.ok()) return {};
  return *spec;
}

// Refused with `status`; the failure names `field` (also in its message) and `reason`.
inline void expect_refused(const MessageBody& body, CommandStatus status, const std::string& field,
                           const std::string& reason) {
  auto spec = map_submit(body, kNow);
  ASSERT_FALSE(spec.ok()) << "accepted; expected " << to_string(status);
  EXPECT_EQ(to_string(spec.error().status), to_string(status)) << spec.error().message;
  EXPECT_EQ(spec.error().field, field) << spec.error().message;
  EXPECT_NE(spec.error().message.find(field), std::string::npos) << spec.error().message;
  EXPECT_NE(spec.error().message.find(reason), std::string::npos) << spec.error().message;
}

}  // namespace smsgw::smpp::test
