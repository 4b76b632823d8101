// The store's trigger sendsms_dlr (src/store/migrations.cpp) and gateway::dlr_type_for
// (kannel_dlr.hpp) agree: for every dlr-mask from 0 to 31 and every way a message ends
// (sent, delivered, failed after a part left, failed before any left, expired, cancelled),
// the rows the trigger writes carry exactly the types dlr_type_for gives for the statuses the
// message went through, in that order.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "smsgw/gateway/kannel_dlr.hpp"
#include "smsgw/store/store.hpp"
#include "temp_dir.hpp"

namespace smsgw::gateway {
namespace {

using namespace std::chrono_literals;
using store::Store;

enum class Ending { sent, delivered, failed_after_left, failed_before_left, expired, cancelled };

// The statuses a message goes through for `ending`, each with whether a part had left.
std::vector<std::pair<std::string, bool>> statuses_of(Ending ending) {
  switch (ending) {
    case Ending::sent:
      return {{"sent", true}};
    case Ending::delivered:
      return {{"sent", true}, {"delivered", true}};
    case Ending::failed_after_left:
      return {{"sent", true}, {"failed", true}};
    case Ending::failed_before_left:
      return {{"failed", false}};
    case Ending::expired:
      return {{"expired", false}};
    case Ending::cancelled:
      return {{"cancelled", false}};
  }
  return {};
}

// Takes message `id` (queued) to `ending` through the store's operations.
void end_as(Store& store, const std::string& id, Ending ending, store::TimePoint now) {
  store::DeliveryReport report;
  report.modem = "m1";
  report.mr = 7;
  report.received_at = now;
  switch (ending) {
    case Ending::sent:
    case Ending::delivered:
    case Ending::failed_after_left:
      ASSERT_TRUE(store.begin_send(id, "m1", now).ok());
      ASSERT_TRUE(store.part_sent(id, 1, 7, now).ok());
      if (ending == Ending::sent) return;
      report.tp_status = ending == Ending::delivered ? 0 : 0x40;
      ASSERT_TRUE(store.record_report(id, 1, report).ok());
      return;
    case Ending::failed_before_left:
      ASSERT_TRUE(store.fail(id, "rejected", now).ok());
      return;
    case Ending::expired:
      ASSERT_TRUE(store.expire(id, now).ok());
      return;
    case Ending::cancelled:
      ASSERT_TRUE(store.cancel(id, now).ok());
      return;
  }
}

TEST(SendsmsDlrTrigger, WritesTheTypesDlrTypeForGivesForEveryMaskAndEnding) {
  test_support::TempDir dir;
  auto opened = Store::open(dir.path() / "smsgw.db");
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto& store = **opened;
  const auto now = std::chrono::system_clock::now();
  const std::vector<Ending> endings = {
      Ending::sent,    Ending::delivered, Ending::failed_after_left, Ending::failed_before_left,
      Ending::expired, Ending::cancelled};
  std::map<std::string, std::vector<int>> expected;
  ASSERT_TRUE(store.begin_batch().ok());
  for (std::uint32_t mask = 0; mask < 32; ++mask) {
    for (const auto ending : endings) {
      store::NewMessage m;
      m.to = "+491701234567";
      m.text = "x";
      m.encoding = "gsm7";
      m.parts.push_back({"0041", 20});
      m.origin = MessageOrigin{};
      m.origin->protocol = "sendsms";
      m.origin->dlr_url = "http://127.0.0.1/dlr?type=%d";
      m.origin->dlr_mask = mask;
      m.created_at = now;
      m.id = store.new_id(now);
      ASSERT_TRUE(store.insert_messages(std::span<const store::NewMessage>(&m, 1)).ok());
      end_as(store, m.id, ending, now);
      auto& types = expected[m.id];
      for (const auto& [status, left] : statuses_of(ending)) {
        if (const auto type = dlr_type_for(status, left, mask)) types.push_back(*type);
      }
    }
  }
  ASSERT_TRUE(store.commit_batch().ok());

  auto rows = store.due_webhooks(now + 24h, 10'000);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  std::map<std::string, std::vector<int>> written;
  for (const auto& id_types : expected) written[id_types.first];
  for (const auto& row : *rows) {
    ASSERT_EQ(row.kind, store::WebhookKind::dlr_url);
    const auto payload = nlohmann::json::parse(row.payload_json);
    written[payload.at("id").get<std::string>()].push_back(payload.at("type").get<int>());
  }
  EXPECT_EQ(written, expected);
}

}  // namespace
}  // namespace smsgw::gateway
