// Shared helpers for the store tests: a temporary database file per test and message
// builders.
#pragma once

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "smsgw/store/store.hpp"
#include "temp_dir.hpp"

namespace smsgw::store::testing {

using namespace std::chrono_literals;

inline TimePoint at(std::int64_t seconds) {
  return TimePoint(std::chrono::seconds(1'700'000'000 + seconds));
}

using test_support::TempDir;

inline NewMessage message_to(std::string to, int parts = 1, int priority = 0) {
  NewMessage m;
  m.to = std::move(to);
  m.text = "hello";
  m.encoding = "gsm7";
  m.priority = priority;
  for (int i = 0; i < parts; ++i) {
    m.parts.push_back(NewPart{"0041000B915121551532F40000" + std::to_string(i), 20 + i});
  }
  return m;
}

// Every message due at `now`, group by group, as the dispatcher reads them.
inline std::vector<StoredMessage> due_at(Store& store, TimePoint now) {
  std::vector<StoredMessage> out;
  const auto groups = store.queue_groups();
  EXPECT_TRUE(groups.ok()) << groups.error().message;
  if (!groups.ok()) return out;
  for (const auto& group : groups.value()) {
    auto due = store.due_in_group(group, now, 1000);
    EXPECT_TRUE(due.ok()) << due.error().message;
    if (!due.ok()) continue;
    out.insert(out.end(), due->begin(), due->end());
  }
  return out;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::open(dir_.path() / "smsgw.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(*opened);
  }

  // Inserts one message created at `created` and returns its id.
  std::string add(NewMessage m, TimePoint created = at(0)) {
    m.created_at = created;
    if (m.id.empty()) m.id = store_->new_id(created);
    auto result = store_->insert_messages(std::span<const NewMessage>(&m, 1));
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    return result.ok() ? result->ids.at(0) : "";
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace smsgw::store::testing
